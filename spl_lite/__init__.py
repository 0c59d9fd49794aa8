"""spl_lite: Splunk's search language over local JSON logs (AWS CloudTrail first).

    import spl_lite
    engine = spl_lite.Engine()
    engine.load("logs/")
    result = engine.search("eventName=ConsoleLogin | stats count by userIdentity.userName")
"""
from .engine import Engine, Query
from .errors import SplError
from .result import Result

__all__ = ["Engine", "Query", "Result", "SplError"]
__version__ = "0.1.0"
