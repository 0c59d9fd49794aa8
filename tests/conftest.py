"""Shared test helpers: where ../shared is, and how a result cell reads as Splunk shows it."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def shared_path(*parts) -> Path:
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} is not here (../shared is absent)")
    return p


def cell(value):
    """A Result value as Splunk displays it: text, a list of texts, or None."""
    if value is None:
        return None
    if isinstance(value, list):
        return [cell(v) for v in value]
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value):
            return str(int(value))
        return repr(value)
    return str(value)


def table_of(result):
    return {"columns": list(result.fields),
            # round(x, 4) is a float in the row and keeps its decimals in how it is shown
            "rows": [[result.display.get((i, f)) or cell(r.get(f)) for f in result.fields]
                     for i, r in enumerate(result.rows)]}


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def engine_arguments(engine: str) -> dict:
    if engine == "databricks":
        return {"engine": "spark", "engine_options": {"render_as": "databricks"}}
    return {"engine": engine}


def case_engine(case: dict, directory: Path, *, now=None, engine: str = "memory"):
    """An engine holding a worked case's events, lookups (written into ``directory``) and macros.
    ``engine`` "databricks": Spark running the SQL printed for Databricks."""
    import spl_lite
    lookups = directory / "lookups"
    lookups.mkdir()
    for name, text in case.get("lookups", {}).items():
        (lookups / name).write_text(text)
    e = spl_lite.Engine(addons=case.get("addons", False), now=now if now is not None else case.get("now"),
                        lookups_dir=lookups, **engine_arguments(engine))
    for m in case.get("macros", []):
        e.define_macro(m["name"], m["definition"], m.get("args", ()))
    meta = case.get("metadata") or {}
    e.add_events(case["events"], index=meta.get("index", "main"),
                 sourcetype=meta.get("sourcetype", "aws:cloudtrail"), host=meta.get("host"),
                 source=meta.get("source"))
    return e


# A test that hangs is a failure with its stack printed, not a CI run that never ends. This is
# a watchdog far above any test's run time, not an assertion of speed (speed is the benchmark's).
HANG_SECONDS = 600


@pytest.fixture(autouse=True)
def _hang_guard():
    import faulthandler
    faulthandler.dump_traceback_later(HANG_SECONDS, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()
