"""spl_lite: Splunk's search language over local JSON logs (AWS CloudTrail first).

    import spl_lite
    engine = spl_lite.Engine()
    engine.load("logs/")
    result = engine.search("eventName=ConsoleLogin | stats count by userIdentity.userName")
"""
from __future__ import annotations

# Not typing.TYPE_CHECKING: `spl-lite` imports this package before it can take Ctrl-C, so it
# imports nothing here (importing typing took long enough for a Ctrl-C to land in it).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .engine import Engine, Query
    from .errors import SplError
    from .result import Result

__all__ = ["Engine", "Query", "Result", "SplError"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # The engine (and with it every command) is imported on first use, so a loading worker
    # process that imports only the store starts in a third of the time.
    if name in ("Engine", "Query"):
        from . import engine
        return getattr(engine, name)
    if name == "SplError":  # also on first use: `spl-lite` imports nothing before it handles Ctrl-C
        from .errors import SplError
        return SplError
    if name == "Result":
        from .result import Result
        return Result
    raise AttributeError(f"module 'spl_lite' has no attribute '{name}'")
