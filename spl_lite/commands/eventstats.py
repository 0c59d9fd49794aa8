"""eventstats and streamstats: stats results added to each event instead of replacing them."""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import ClassVar

from .. import limits
from ..compiler.aggregation import compile_aggregates, group_keys, key_function, split_stats_items
from ..runtime import timeutil
from ..runtime.values import get_field, set_field, to_number
from ..columnar.stats import eventstats_selection, streamstats_selection
from ..syntax import ast
from .base import Command, Kind, to_bool, to_int, to_text, writable


@dataclass(frozen=True)
class EventstatsCommand(Command):
    """Add aggregates over all events (per BY group) to every event, keeping the events."""

    columns: ClassVar[str] = "selection"
    name: ClassVar[str] = "eventstats"
    kind: ClassVar[Kind] = Kind.DATASET
    syntax: ClassVar[str] = "eventstats <function>(<field>) [AS <name>] [, ...] [BY <field>...]"
    example: ClassVar[str] = "eventstats avg(bytes) AS avg_bytes BY userName"
    options: ClassVar[dict] = {"allnum": to_bool}

    aggregates: tuple = ()
    by: tuple[str, ...] = ()
    allnum: bool = False

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        aggs, by = split_stats_items(cls, args)
        return cls(args.span, tuple(aggs), by, opts.get("allnum", False))

    def fields_written(self):
        return frozenset(a.alias or a.text for a in self.aggregates)

    def prepare(self, env):
        specs = compile_aggregates(self.aggregates, env, self.name, allnum=self.allnum)
        by = self.by

        def run(events, ctx):
            columns = eventstats_selection(events, by, self.aggregates, specs)
            if columns is not None:
                limits.check_held(len(columns), self.name, self.span)
                return columns
            return by_event(events)

        def by_event(events):
            events = limits.collect(events, self.name, self.span)
            groups: dict[tuple, list] = {}
            for ev in events:
                for key in (group_keys(ev, by) if by else [()]):
                    states = groups.get(key)
                    if states is None:
                        states = groups[key] = [s.new() for s in specs]
                    for spec, st in zip(specs, states):
                        spec.feed(st, ev)
            results = {k: [st.result() for st in sts] for k, sts in groups.items()}
            if not by and () not in results:
                results[()] = [s.new().result() for s in specs]
            for ev in events:
                keys = group_keys(ev, by) if by else [()]
                if not keys:
                    yield ev
                    continue
                ev = writable(ev)
                for spec, value in zip(specs, results[keys[0]]):
                    set_field(ev, spec.column, value)
                yield ev
        return run


def _time(ev) -> float | None:
    return to_number(get_field(ev, "_time"))


@dataclass(frozen=True)
class StreamstatsCommand(Command):
    """Add running aggregates to each event, over the events so far (per BY group)."""

    columns: ClassVar[str] = "selection"
    name: ClassVar[str] = "streamstats"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = ("streamstats [current=<bool>] [window=<N>] [time_window=<span>] [global=<bool>] "
                             "<function>(<field>) [AS <name>] [, ...] [BY <field>...]")
    example: ClassVar[str] = "streamstats count AS n BY userName"
    options: ClassVar[dict] = {"current": to_bool, "window": to_int, "global": to_bool,
                               "reset_on_change": to_bool, "allnum": to_bool, "time_window": to_text}


    aggregates: tuple = ()
    by: tuple[str, ...] = ()
    current: bool = True
    window: int = 0
    shared_window: bool = True  # global=t: the window is the last N results, whatever their group
    reset_on_change: bool = False
    allnum: bool = False
    time_window: float | None = None  # seconds: only the events that close in time count

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        aggs, by = split_stats_items(cls, args)
        window = opts.get("window", 0)
        if not 0 <= window <= 10000:
            raise cls.error("window must be between 0 and 10000 (max_stream_window).", args.span)
        time_window = None
        if opts.get("time_window") is not None:
            span = timeutil.parse_span(opts["time_window"])
            if span is None or span[1] != "s":
                where = next(i.value_span for i in args.items if isinstance(i, ast.Option) and i.name == "time_window")
                raise cls.error(f"Invalid time_window '{opts['time_window']}'. Use a time such as 30s, 5m, 1h, 1d.", where)
            time_window = span[0]
        return cls(args.span, tuple(aggs), by, opts.get("current", True), window, opts.get("global", True),
                   opts.get("reset_on_change", False), opts.get("allnum", False), time_window)

    def fields_written(self):
        return frozenset(a.alias or a.text for a in self.aggregates)

    def prepare(self, env):
        specs = compile_aggregates(self.aggregates, env, self.name, allnum=self.allnum)
        by, current, window = self.by, self.current, self.window
        keys_of = key_function(by)

        def results(history):
            states = [s.new() for s in specs]
            for past in history:
                for spec, st in zip(specs, states):
                    spec.feed(st, past)
            return [st.result() for st in states]

        def run(events, ctx):
            if not (window or self.reset_on_change or self.time_window):
                columns = streamstats_selection(events, by, self.aggregates, specs, current)
                if columns is not None:
                    return columns
            return by_event(events)

        def by_event(events):
            running: dict[tuple, object] = {}
            recent: deque = deque(maxlen=window or None)  # (group, event) for global=t windows
            previous = None
            for ev in events:
                keys = keys_of(ev)
                if not keys:
                    yield ev
                    continue
                key = keys[0]
                if self.reset_on_change and previous is not None and key != previous:
                    running.clear()  # the BY values changed: start over, as Splunk does
                    recent.clear()
                previous = key
                if window and self.shared_window and by:
                    if current:
                        recent.append((key, ev))
                    values = results(e for k, e in recent if k == key)
                    if not current:
                        recent.append((key, ev))
                elif self.time_window is not None:
                    # Events arrive in time order (newest first as searched): the window is those
                    # seen so far within time_window of this one, at most window= of them.
                    hist = running.setdefault(key, deque(maxlen=window or None))
                    t = _time(ev)
                    while hist and (t is None or abs(t - _time(hist[0])) > self.time_window):
                        hist.popleft()
                    if current:
                        hist.append(ev)
                    values = results(hist)
                    if not current:
                        hist.append(ev)
                elif window:
                    hist = running.setdefault(key, deque(maxlen=window))
                    if current:
                        hist.append(ev)
                        values = results(hist)
                    else:
                        values = results(hist)
                        hist.append(ev)
                else:
                    states = running.get(key)
                    if states is None:
                        states = running[key] = [s.new() for s in specs]
                    if current:
                        for spec, st in zip(specs, states):
                            spec.feed(st, ev)
                    values = [st.result() for st in states]
                    if not current:
                        for spec, st in zip(specs, states):
                            spec.feed(st, ev)
                out = writable(ev)
                for spec, value in zip(specs, values):
                    set_field(out, spec.column, list(value) if type(value) is list else value)
                yield out
        return run
