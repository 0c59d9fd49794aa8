"""Commands Splunk has and spl_lite does not (yet): a clear message instead of a syntax error."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..errors import Span, SplError
from .base import Command, Kind

# Splunk's search commands (Search Reference), less those spl_lite implements.
SPLUNK_COMMANDS = (
    "abstract", "accum", "addcoltotals", "addinfo", "analyzefields", "anomalies",
    "anomalousvalue", "anomalydetection", "appendpipe", "arules", "associate",
    "audit", "autoregress", "bucketdir", "cluster", "cofilter", "collect", "concurrency",
    "contingency", "correlate", "datamodel", "dbinspect", "delete", "delta", "diff", "erex", "eventcount",
    "extract", "fieldformat", "filldown", "findtypes", "folderize", "foreach", "format",
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


@dataclass(frozen=True)
class UnsupportedCommand(Command):
    """A real Splunk command that spl_lite does not run yet: the search compiles (its syntax and
    the rest of the pipeline are checked) and stops with a clear message when it runs."""

    name: ClassVar[str] = "unsupported"
    kind: ClassVar[Kind] = Kind.STREAMING

    command: str = ""
    name_span: Span | None = None

    def fields_read(self):
        return None

    def error_now(self) -> SplError:
        return SplError(f"Command '{self.command}' is not supported yet in spl_lite.", command=self.command,
                        span=self.name_span)

    def prepare(self, env):
        # The search compiles (its syntax and the rest of the pipeline are checked); running it stops here.
        def run(events, ctx):
            raise self.error_now()
        return run
