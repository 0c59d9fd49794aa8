"""Conformance: all of Splunk's published detections (security_content, every data source), unchanged.

    python benchmarks/published_detections.py [--verbose]

Reads ../shared/corpus/security_content_detections.jsonl (1,711 detections) and defines the
macros of ../shared/corpus/macros.jsonl, loads the real CloudTrail events of ../shared/data, and
for each detection records whether it compiled (parsed, macros expanded, validated) and whether it
ran to completion. Most find no events here (their data sources are Windows, Linux, network
devices...): running is the check, not the rows. Prints figures by category and every reason a
detection stopped; a traceback is counted as a defect, never hidden. --verbose prints each stop.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import traceback
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import spl_lite  # noqa: E402
from detections import load_engine  # noqa: E402 (the same engine: macros of the corpus, events of ../shared/data)

SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "security_content_detections.jsonl"


def kind_of_stop(error: spl_lite.SplError) -> str:
    """What stopped a detection, in a few words a reader can group by."""
    text = error.message
    if "is not supported yet" in text:
        return "command not supported"
    if "lookup table" in text and "does not exist" in text:
        return "lookup file not here"
    if "GeoIP database" in text:
        return "no GeoIP database"
    if "macro" in text and "cannot be found" in text:
        return "macro not defined"
    return "other"


def published(out=lambda *line: None, verbose: bool = False):
    """(totals, by category, reasons): every detection compiled and run once."""
    print = out  # noqa: A001 (the report goes where the caller wants it)
    detections = [json.loads(line) for line in CORPUS.read_text().splitlines()]
    totals: Counter = Counter()
    by_category: dict[str, Counter] = defaultdict(Counter)
    reasons: Counter = Counter()
    with tempfile.TemporaryDirectory() as lookups:
        engine = load_engine(Path(lookups))
        for d in detections:
            counts = by_category[d["category"]]
            for c in (totals, counts):
                c["detections"] += 1
            stage, why = "compile", None
            try:
                query = engine.compile(d["spl"])
                stage = "run"
                for c in (totals, counts):
                    c["compiled"] += 1
                query.run()
                for c in (totals, counts):
                    c["ran"] += 1
            except spl_lite.SplError as e:
                kind = kind_of_stop(e)
                for c in (totals, counts):
                    c[kind] += 1
                    c[f"stopped at {stage}"] += 1
                why = f"{kind}: {e.command}: {e.message.splitlines()[0].split(' (looked in')[0][:110]}"
                reasons[why] += 1
            except Exception:  # a traceback is a defect: count it and show it
                for c in (totals, counts):
                    c["tracebacks"] += 1
                why = "TRACEBACK " + traceback.format_exc().strip().splitlines()[-1]
                reasons[why] += 1
            if why and (verbose or why.startswith("TRACEBACK")):
                print(f"{d['name'][:70]:70}  {why}")
    print()
    print(f"{'category':12} {'detections':>10} {'compiled':>9} {'ran':>6} {'not supported':>14} {'other stops':>12}")
    for name, c in sorted(by_category.items()) + [("all", totals)]:
        other = c["detections"] - c["ran"] - c["command not supported"]
        print(f"{name:12} {c['detections']:>10} {c['compiled']:>9} {c['ran']:>6} {c['command not supported']:>14} "
              f"{other:>12}")
    n = totals["detections"]
    print(f"\ncompiled: {totals['compiled']}/{n} ({100 * totals['compiled'] / n:.1f}%); ran to completion: "
          f"{totals['ran']}/{n} ({100 * totals['ran'] / n:.1f}%); use no command spl_lite lacks: "
          f"{n - totals['command not supported']}/{n} ({100 * (n - totals['command not supported']) / n:.1f}%); "
          f"tracebacks: {totals['tracebacks']}")
    print("why the others stopped:")
    for why, count in reasons.most_common():
        print(f"  {count:4}  {why}")
    return totals, by_category, reasons


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verbose", action="store_true", help="print each detection that stopped, and why")
    args = ap.parse_args()
    totals, _, _ = published(out=print, verbose=args.verbose)
    return 1 if totals["tracebacks"] else 0


if __name__ == "__main__":
    sys.exit(main())
