"""The event store and the loaders that fill it."""
from .loader import LoadReport, load_paths, make_event
from .memory import EventStore

__all__ = ["EventStore", "LoadReport", "load_paths", "make_event"]
