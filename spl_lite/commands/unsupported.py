"""Commands Splunk has and spl_lite does not (yet): a clear message instead of a syntax error."""
from __future__ import annotations

# Splunk's search commands (Search Reference), less those spl_lite implements.
SPLUNK_COMMANDS = (
    "abstract", "accum", "addcoltotals", "addinfo", "analyzefields", "anomalies",
    "anomalousvalue", "anomalydetection", "appendpipe", "arules", "associate",
    "audit", "autoregress", "bucketdir", "chart", "cluster", "cofilter", "collect", "concurrency",
    "contingency", "correlate", "datamodel", "dbinspect", "delete", "delta", "diff", "erex", "eventcount",
    "extract", "fieldformat", "fieldsummary", "filldown", "findtypes", "folderize", "foreach", "format",
    "from", "gauge", "gentimes", "geom", "geomfilter", "geostats", "highlight", "history", "iconify",
    "inputcsv", "kmeans", "kvform", "loadjob", "localize",
    "localop", "makecontinuous", "map", "mcollect", "metadata", "metasearch", "meventcollect",
    "mpreview", "msearch", "mstats", "multikv", "multisearch", "mvcombine", "nomv", "outlier",
    "outputcsv", "outputtext", "overlap", "pivot", "predict", "rangemap", "redistribute",
    "reltime", "require", "rest", "rtorder", "savedsearch", "script", "scrub", "searchtxn",
    "selfjoin", "sendemail", "set", "setfields", "sichart", "sirare", "sistats", "sitimechart", "sitop",
    "strcat", "streamstats_", "tags", "timewrap", "transaction", "transpose", "trendline",
    "tscollect", "tstats", "typeahead", "typelearner", "typer", "union", "untable", "walklex",
    "x11", "xmlkv", "xmlunescape", "xpath", "xyseries", "fit", "apply", "summary", "score",
    "multireport", "inputintelligence", "makejson", "search_", "ess_", "geoip",
)
NOT_YET_ALL = tuple(c for c in SPLUNK_COMMANDS if not c.endswith("_"))
