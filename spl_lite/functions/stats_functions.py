"""Stats functions: one small class each, a new instance per group (add values, then result)."""
from __future__ import annotations

import math
import re
from collections import Counter

from ..runtime.values import to_number, to_ordered_number, to_string
from .registry import STATS_FUNCTIONS, stats_function

LIST_MAX = 100  # list() keeps the first 100 values (limits.conf list_maxsize)


class StatsFunction:
    """Collects the values of one group; ``add`` gets each single value and the event's _time."""
    names: tuple[str, ...] = ()
    takes_field = True  # count is the only one that may have no argument

    def add(self, value, time) -> None:
        raise NotImplementedError

    def result(self):
        raise NotImplementedError


@stats_function("count", "c")
class Count(StatsFunction):
    """The number of events, or of values of a field (each value of a multivalue counts)."""
    takes_field = False

    def __init__(self):
        self.n = 0

    def add(self, value, time):
        self.n += 1

    def result(self):
        return self.n


@stats_function("dc", "distinct_count", "estdc")
class DistinctCount(StatsFunction):
    """The number of distinct values, compared as text."""
    def __init__(self):
        self.seen = set()

    def add(self, value, time):
        self.seen.add(to_string(value))

    def result(self):
        return len(self.seen)


class _Numbers(StatsFunction):
    """Functions over the numeric values only; others are ignored, as Splunk does."""

    def __init__(self):
        self.nums = []

    def add(self, value, time):
        n = to_ordered_number(value)
        if n is not None:
            self.nums.append(n)


@stats_function("sum")
class Sum(_Numbers):
    """The sum of the numeric values."""
    def result(self):
        return sum(self.nums) if self.nums else None


@stats_function("sumsq")
class SumSq(_Numbers):
    """The sum of the squares of the numeric values."""
    def result(self):
        return sum(n * n for n in self.nums) if self.nums else None


@stats_function("avg", "mean")
class Avg(_Numbers):
    """The mean of the numeric values."""
    def result(self):
        return sum(self.nums) / len(self.nums) if self.nums else None


@stats_function("range")
class Range(_Numbers):
    """The largest numeric value minus the smallest."""
    def result(self):
        return max(self.nums) - min(self.nums) if self.nums else None


class _Extreme(StatsFunction):
    """min/max: numeric when any value is a number, else by text."""
    pick = min

    def __init__(self):
        self.nums = []
        self.texts = []

    def add(self, value, time):
        n = to_ordered_number(value)  # NaN has no place among numbers: it counts as text
        if n is not None:
            self.nums.append(n)
        else:
            self.texts.append(to_string(value))

    def result(self):
        if self.nums:
            return type(self).pick(self.nums)
        return type(self).pick(self.texts) if self.texts else None


@stats_function("min")
class Min(_Extreme):
    """The smallest value: numeric when any value is a number, else by text."""
    pick = min


@stats_function("max")
class Max(_Extreme):
    """The largest value: numeric when any value is a number, else by text."""
    pick = max


def _spread(nums, sample: bool) -> tuple[float, float] | None:
    """(scale, variance / scale²). Worked out directly where that stays within a float's range
    (scale 1); otherwise over the numbers divided by the largest magnitude, so the standard
    deviation of 1e300 and -1e300 is 1.41e300 and their variance inf, not an overflow."""
    n = len(nums)
    if n < (2 if sample else 1):
        return None
    div = n - 1 if sample else n
    mean = sum(nums) / n
    direct = sum((x - mean) * (x - mean) for x in nums) / div
    scale = max(abs(x) for x in nums)
    if math.isfinite(direct) or not math.isfinite(scale):
        return 1.0, direct
    xs = [x / scale for x in nums]
    mean = sum(xs) / n
    return scale, sum((x - mean) * (x - mean) for x in xs) / div


def _variance(nums, sample: bool):
    s = _spread(nums, sample)
    return None if s is None else s[0] * s[0] * s[1] if s[1] else s[1]


def _stdev(nums, sample: bool):
    s = _spread(nums, sample)
    return None if s is None else s[0] * math.sqrt(s[1])


@stats_function("var")
class Var(_Numbers):
    """The sample variance of the numeric values."""
    def result(self):
        return _variance(self.nums, True)


@stats_function("varp")
class VarP(_Numbers):
    """The population variance of the numeric values."""
    def result(self):
        return _variance(self.nums, False)


@stats_function("stdev")
class Stdev(_Numbers):
    """The sample standard deviation of the numeric values."""
    def result(self):
        return _stdev(self.nums, True)


@stats_function("stdevp")
class StdevP(_Numbers):
    """The population standard deviation."""
    def result(self):
        return _stdev(self.nums, False)


@stats_function("median")
class Median(_Numbers):
    """The middle value (the upper middle one for an even count)."""
    def result(self):
        if not self.nums:
            return None
        s = sorted(self.nums)
        # With an even count Splunk takes the upper of the two middle values.
        return s[len(s) // 2]


class Percentile(_Numbers):
    """The N-th percentile: perc95(x), p99.9(x) (linear interpolation, as Splunk's examples show)."""
    pct = 50.0

    def result(self):
        if not self.nums:
            return None
        s = sorted(self.nums)
        rank = self.pct / 100 * (len(s) - 1)
        lo = int(math.floor(rank))
        hi = min(lo + 1, len(s) - 1)
        # Rounded to 10 places so that 9 + 0.55 prints 9.55, as Splunk shows it.
        value = round(s[lo] + (s[hi] - s[lo]) * (rank - lo), 10)
        return int(value) if float(value).is_integer() else value


PERCENTILE = re.compile(r"(perc|p|exactperc|upperperc)(\d+(?:\.\d+)?)\Z")


def percentile_function(name: str):
    m = PERCENTILE.match(name)
    if not m:
        return None
    pct = float(m.group(2))
    if pct > 100:
        return None
    return type(f"Perc{m.group(2)}", (Percentile,), {"pct": pct})


@stats_function("mode")
class Mode(StatsFunction):
    """The most frequent value."""
    def __init__(self):
        self.counts = Counter()

    def add(self, value, time):
        self.counts[to_string(value)] += 1

    def result(self):
        return self.counts.most_common(1)[0][0] if self.counts else None


@stats_function("values")
class Values(StatsFunction):
    """The distinct values, sorted as text, as a multivalue."""
    def __init__(self):
        self.seen = set()

    def add(self, value, time):
        self.seen.add(to_string(value))

    def result(self):
        # Distinct values sorted as text, so 10 comes before 9.
        return sorted(self.seen) or None


@stats_function("list")
class List(StatsFunction):
    """Every value in order, up to 100, as a multivalue."""
    def __init__(self):
        self.items = []

    def add(self, value, time):
        if len(self.items) < LIST_MAX:
            self.items.append(value)

    def result(self):
        return list(self.items) or None


@stats_function("first")
class First(StatsFunction):
    """The value of the first event (the newest)."""
    def __init__(self):
        self.value = None

    def add(self, value, time):
        if self.value is None:
            self.value = value

    def result(self):
        return self.value


@stats_function("last")
class Last(StatsFunction):
    """The value of the last event (the oldest)."""
    def __init__(self):
        self.value = None

    def add(self, value, time):
        self.value = value

    def result(self):
        return self.value


class _ByTime(StatsFunction):
    def __init__(self):
        self.best = None
        self.time = None

    def better(self, t, best) -> bool:
        raise NotImplementedError

    def add(self, value, time):
        t = to_number(time)
        if t is None:
            return
        if self.time is None or self.better(t, self.time):
            self.time, self.best = t, value


@stats_function("earliest")
class Earliest(_ByTime):
    """The value of the event with the earliest _time."""
    def better(self, t, best):
        return t <= best

    def result(self):
        return self.best


@stats_function("latest")
class Latest(_ByTime):
    """The value of the event with the latest _time."""
    def better(self, t, best):
        return t > best

    def result(self):
        return self.best


@stats_function("earliest_time")
class EarliestTime(Earliest):
    """The earliest _time of the field."""
    def result(self):
        return self.time


@stats_function("latest_time")
class LatestTime(Latest):
    """The latest _time of the field."""
    def result(self):
        return self.time


@stats_function("rate")
class Rate(StatsFunction):
    """The per-second rate of a growing counter: (latest - earliest) / (latest_time - earliest_time)."""
    def __init__(self):
        self.first, self.last = Earliest(), Latest()

    def add(self, value, time):
        if to_number(value) is not None:
            self.first.add(value, time)
            self.last.add(value, time)

    def result(self):
        if self.first.time is None or self.last.time == self.first.time:
            return None
        return (to_number(self.last.best) - to_number(self.first.best)) / (self.last.time - self.first.time)


def all_numeric(cls):
    """allnum=t: a numeric function gives null for a group whose values are not all numbers."""
    if not issubclass(cls, _Numbers):
        return cls

    class AllNumeric(cls):
        def add(self, value, time):
            if to_number(value) is None:
                self.mixed = True
            super().add(value, time)

        def result(self):
            return None if getattr(self, "mixed", False) else super().result()
    return AllNumeric


def lookup(name: str):
    """The stats function class for a name (perc95 and p99.9 included), or None."""
    cls = STATS_FUNCTIONS.get(name.lower())
    return cls if cls is not None else percentile_function(name.lower())


def known_names() -> list[str]:
    return sorted(STATS_FUNCTIONS) + ["perc<N>", "p<N>"]

