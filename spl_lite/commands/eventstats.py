"""eventstats and streamstats: stats results added to each event instead of replacing them."""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import ClassVar

from ..runtime.aggregation import compile_aggregates, group_keys, split_stats_items
from ..runtime.values import set_field
from .base import Command, Kind, to_bool, to_int, to_text, writable


@dataclass(frozen=True)
class EventstatsCommand(Command):
    """Add aggregates over all events (per BY group) to every event, keeping the events."""

    name: ClassVar[str] = "eventstats"
    kind: ClassVar[Kind] = Kind.DATASET
    syntax: ClassVar[str] = "eventstats <function>(<field>) [AS <name>] [, ...] [BY <field>...]"
    example: ClassVar[str] = "eventstats avg(bytes) AS avg_bytes BY userName"
    options: ClassVar[dict] = {"allnum": to_bool}

    aggregates: tuple = ()
    by: tuple[str, ...] = ()

    @classmethod
    def from_args(cls, args):
        cls.read_options(args.items)
        aggs, by = split_stats_items(cls, args.items)
        return cls(args.span, tuple(aggs), by)

    def fields_written(self):
        return frozenset(a.alias or a.text for a in self.aggregates)

    def prepare(self, env):
        specs = compile_aggregates(self.aggregates, env, self.name)
        by = self.by

        def run(events, ctx):
            events = list(events)
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


@dataclass(frozen=True)
class StreamstatsCommand(Command):
    """Add running aggregates to each event, over the events so far (per BY group)."""

    name: ClassVar[str] = "streamstats"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = ("streamstats [current=<bool>] [window=<N>] [global=<bool>] "
                             "<function>(<field>) [AS <name>] [, ...] [BY <field>...]")
    example: ClassVar[str] = "streamstats count AS n BY userName"
    options: ClassVar[dict] = {"current": to_bool, "window": to_int, "global": to_bool,
                               "reset_on_change": to_bool, "allnum": to_bool, "time_window": to_text}

    aggregates: tuple = ()
    by: tuple[str, ...] = ()
    current: bool = True
    window: int = 0

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        aggs, by = split_stats_items(cls, args.items)
        window = opts.get("window", 0)
        if not 0 <= window <= 10000:
            raise cls.error("window must be between 0 and 10000 (max_stream_window).", args.span)
        return cls(args.span, tuple(aggs), by, opts.get("current", True), window)

    def fields_written(self):
        return frozenset(a.alias or a.text for a in self.aggregates)

    def prepare(self, env):
        specs = compile_aggregates(self.aggregates, env, self.name)
        by, current, window = self.by, self.current, self.window

        def results(history):
            states = [s.new() for s in specs]
            for past in history:
                for spec, st in zip(specs, states):
                    spec.feed(st, past)
            return [st.result() for st in states]

        def run(events, ctx):
            running: dict[tuple, object] = {}
            for ev in events:
                keys = group_keys(ev, by) if by else [()]
                if not keys:
                    yield ev
                    continue
                key = keys[0]
                if window:
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
