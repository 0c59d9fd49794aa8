"""The sparkline stats function's state; stats and chart finish it (runtime/sparkline.py)."""
from __future__ import annotations

from . import stats_functions
from .registry import stats_function


@stats_function("sparkline")
class Sparkline(stats_functions.StatsFunction):
    """A trend over time: the inner function's value per time bucket (stats and chart only)."""
    inner: type = stats_functions.Count
    span: tuple | None = None
    takes_field = False

    def __init__(self):
        self.seen: list[tuple[float, object]] = []

    def add(self, value, time):
        if time is not None:
            self.seen.append((time, value))

    def result(self):
        return self  # its buckets are known only once every row is
