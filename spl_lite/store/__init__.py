"""The event store and the loaders that fill it."""
from .loader import LoadReport, load_paths
from .records import make_event
from .memory import EventStore, ScanRequest

__all__ = ["EventStore", "ScanRequest", "LoadReport", "load_paths", "make_event"]
