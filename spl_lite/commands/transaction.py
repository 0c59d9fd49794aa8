"""transaction: group events that share field values, within time limits, into one event each.

Events are taken oldest first. An event joins the open transaction of its values of the fields
(every field must have a value); maxspan, maxpause and maxevents close a transaction and open
another; startswith opens one, endswith closes one. A transaction that did not begin with a
startswith event or end with an endswith event is evicted: dropped, or kept with closed_txn=0
under keepevicted=true. Each transaction is an event: the earliest _time, duration (last minus
first), eventcount, the events' _raw joined by newlines, and every field with its values (one
value, or a multivalue: unique and sorted unless mvlist=true keeps every value in order).
Transactions come out newest first, as Splunk gives them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .. import limits
from ..runtime import timeutil
from ..runtime.expressions import compile_expr
from ..runtime.search_terms import compile_search
from ..runtime.values import event_fields, get_field
from ..syntax import ast
from ..syntax.transformer import unquote
from .base import Command, Kind, to_bool, to_int, to_text


def _seconds(text: str) -> float | None:
    """maxspan=/maxpause= as seconds; -1 (or none given) means no limit."""
    if text.strip() == "-1":
        return None
    if text.strip().lstrip("-").isdigit():
        return float(text)
    span = timeutil.parse_span(text)
    if span is None or span[1] != "s":
        raise ValueError("expected a time such as 30s, 5m, 2h, 1d, or -1 for no limit")
    return span[0]


@dataclass(frozen=True)
class TransactionCommand(Command):
    """Group events that share values of the fields into transactions (duration, eventcount)."""

    name: ClassVar[str] = "transaction"
    kind: ClassVar[Kind] = Kind.DATASET
    syntax: ClassVar[str] = ("transaction [<field>...] [maxspan=<time>] [maxpause=<time>] [maxevents=<N>] "
                             "[startswith=<search>] [endswith=<search>] [keepevicted=<bool>] [mvlist=<bool>]")
    example: ClassVar[str] = 'transaction user startswith="eventName=ConsoleLogin" maxspan=1h'
    options: ClassVar[dict] = {"maxspan": _seconds, "maxpause": _seconds, "maxevents": to_int,
                               "keepevicted": to_bool, "mvlist": to_bool, "delim": to_text,
                               "connected": to_bool, "unifyends": to_bool, "keeporphans": to_bool,
                               "mvraw": to_bool, "nullstr": to_text, "maxopentxn": to_int,
                               "maxopenevents": to_int}
    ignored_options: ClassVar[frozenset] = frozenset({"connected", "unifyends", "keeporphans", "mvraw", "nullstr",
                                                      "maxopentxn", "maxopenevents"})

    fields: tuple = ()
    maxspan: float | None = None
    maxpause: float | None = None
    maxevents: int | None = None
    startswith: object = None  # (kind, text, span)
    endswith: object = None
    keepevicted: bool = False
    mvlist: bool = False
    delim: str = " "

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options([i for i in args.items if isinstance(i, ast.Option)])
        fields = tuple(w.text for w in args.items if isinstance(w, ast.Word))
        ends = {}
        for item in args.items:
            if isinstance(item, ast.TxnFilter):
                ends[item.which] = item
        maxevents = opts.get("maxevents", 1000)
        return cls(args.span, fields, opts.get("maxspan"), opts.get("maxpause"),
                   None if maxevents is not None and maxevents < 0 else maxevents,
                   ends.get("startswith"), ends.get("endswith"), opts.get("keepevicted", False),
                   opts.get("mvlist", False), opts.get("delim", " "))

    def fields_read(self):
        return None

    def prepare(self, env):
        starts = _filter(self.startswith, env)
        ends = _filter(self.endswith, env)

        def run(events, ctx):
            events = limits.collect(events, self.name, self.span)
            order = sorted(range(len(events)), key=lambda i: (_time(events[i]), -i))
            open_txns: dict[tuple, dict] = {}
            done: list[dict] = []

            def close(key, closed):
                txn = open_txns.pop(key)
                txn["closed"] = closed and (starts is None or txn["started"])
                done.append(txn)

            for i in order:
                ev = events[i]
                key = tuple(get_field(ev, f) for f in self.fields)
                if any(v is None for v in key):
                    continue
                key = tuple(tuple(v) if isinstance(v, list) else v for v in key)
                t = _time(ev)
                is_start = starts is not None and starts(ev)
                txn = open_txns.get(key)
                if txn is not None and (is_start or (self.maxspan is not None and t - txn["first"] > self.maxspan)
                                        or (self.maxpause is not None and t - txn["last"] > self.maxpause)
                                        or (self.maxevents is not None and len(txn["events"]) >= self.maxevents)):
                    close(key, ends is None)
                    txn = None
                if txn is None:
                    txn = open_txns[key] = {"events": [], "first": t, "last": t, "started": is_start}
                txn["events"].append(ev)
                txn["last"] = t
                if ends is not None and ends(ev):
                    close(key, True)
            for key in list(open_txns):
                close(key, ends is None)
            kept = [txn for txn in done if txn["closed"] or self.keepevicted]
            kept.sort(key=lambda txn: -txn["first"])
            for txn in kept:
                yield self._merge(txn)
        return run

    def _merge(self, txn: dict) -> dict:
        values: dict[str, list] = {}
        raws = []
        for ev in txn["events"]:
            for name, value in event_fields(ev).items():
                if name.startswith("_"):
                    continue
                values.setdefault(name, []).extend(value if isinstance(value, list) else [value])
            raw = get_field(ev, "_raw")
            if raw is not None:
                raws.append(str(raw))
        out: dict = {"_time": txn["first"]}
        key = dict(zip(self.fields, (get_field(txn["events"][0], f) for f in self.fields)))
        for name, vals in values.items():
            if name in key:  # the values that made the transaction: one each
                out[name] = key[name]
                continue
            if not self.mvlist:
                vals = sorted(set(map(str, vals)))
            out[name] = vals[0] if len(vals) == 1 else vals
        out["_raw"] = "\n".join(raws)
        out["duration"] = _number(txn["last"] - txn["first"])
        out["eventcount"] = len(txn["events"])
        if self.keepevicted:
            out["closed_txn"] = 1 if txn["closed"] else 0
        return out


def _time(ev) -> float:
    t = get_field(ev, "_time")
    return float(t) if t is not None else 0.0


def _number(x: float):
    return int(x) if x == int(x) else x


def _filter(spec, env):
    """A test for startswith=/endswith=: search terms, quoted or in parentheses, or eval(...)."""
    if spec is None:
        return None
    from ..syntax.parser import parse, parse_expression
    text = spec.text.strip()
    if text.lower().startswith("eval(") and text.endswith(")"):
        expr = compile_expr(parse_expression(text[5:-1]), env, command="transaction")
        return lambda ev: expr(ev) is True
    if text.startswith('"') and text.endswith('"') and len(text) > 1:
        text = unquote(text)
    elif text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    test, _ = compile_search(parse(text).leading, env, command="transaction")
    return test
