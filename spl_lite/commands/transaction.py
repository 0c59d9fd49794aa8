"""transaction: group events that share field values, within time limits, into one event each.

Events are taken oldest first. An event joins the latest open transaction that shares a value of
the fields with it and contradicts none (so fields link transitively); maxspan, maxpause and maxevents close a transaction and open
another; startswith opens one, endswith closes one. A transaction that did not begin with a
startswith event or end with an endswith event is evicted: dropped, or kept with closed_txn=0
under keepevicted=true; events with none of the fields are orphans, dropped unless
keeporphans=true (then _txn_orphan=1). closed_txn is added when maxspan, maxpause, maxevents or
startswith is given, or with keepevicted. Each transaction is an event: the earliest _time, duration (last minus
first), eventcount, the events' _raw joined by newlines, and every field with its values (one
value, or a multivalue: unique and sorted unless mvlist=true keeps every value in order).
Transactions come out newest first, as Splunk gives them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .. import limits
from ..errors import SplError
from ..runtime import timeutil
from ..compiler.expressions import compile_expr
from ..compiler.search_terms import compile_search
from ..runtime.values import copy_event, event_fields, get_field
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
    ignored_options: ClassVar[frozenset] = frozenset({"connected", "unifyends", "mvraw", "nullstr",
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
    keeporphans: bool = False
    marks_closed: bool = False  # closed_txn is added when maxspan, maxpause, maxevents or startswith is given

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options([i for i in args.items if isinstance(i, ast.Option)])
        fields = tuple(w.text for w in args.items if isinstance(w, ast.Word))
        ends = {}
        for item in args.items:
            if isinstance(item, ast.TxnFilter):
                ends[item.which] = item
        maxevents = opts.get("maxevents", 1000)
        marks = any(k in opts for k in ("maxspan", "maxpause", "maxevents")) or "startswith" in ends
        return cls(args.span, fields, opts.get("maxspan"), opts.get("maxpause"),
                   None if maxevents is not None and maxevents < 0 else maxevents,
                   ends.get("startswith"), ends.get("endswith"), opts.get("keepevicted", False),
                   opts.get("mvlist", False), opts.get("delim", " "), opts.get("keeporphans", False), marks)

    def fields_read(self):
        return None

    def prepare(self, env):
        starts = _filter(self.startswith, env)
        ends = _filter(self.endswith, env)

        def run(events, ctx):
            events = limits.collect(events, self.name, self.span)
            order = sorted(range(len(events)), key=lambda i: (_time(events[i]), -i))
            open_txns: list[dict] = []
            done: list[dict] = []
            orphans: list = []

            def close(txn, closed):
                open_txns.remove(txn)
                txn["closed"] = closed and (starts is None or txn["started"])
                done.append(txn)

            for i in order:
                ev = events[i]
                values = {f: _key(get_field(ev, f)) for f in self.fields}
                values = {f: v for f, v in values.items() if v is not None}
                if self.fields and not values:
                    orphans.append(ev)
                    continue
                t = _time(ev)
                is_start = starts is not None and starts(ev)
                # Linked transitively: an event joins the latest open transaction whose values it
                # does not contradict and shares one with; its other values join the transaction's.
                txn = next((x for x in reversed(open_txns) if _joins(x["values"], values)), None)
                if txn is not None and (is_start or (self.maxspan is not None and t - txn["first"] > self.maxspan)
                                        or (self.maxpause is not None and t - txn["last"] > self.maxpause)
                                        or (self.maxevents is not None and len(txn["events"]) >= self.maxevents)):
                    close(txn, ends is None)
                    txn = None
                if txn is None:
                    txn = {"events": [], "first": t, "last": t, "started": is_start, "values": {}}
                    open_txns.append(txn)
                txn["events"].append(ev)
                txn["values"].update(values)
                txn["last"] = t
                if ends is not None and ends(ev):
                    close(txn, True)
            for txn in list(open_txns):
                close(txn, ends is None)
            kept = [txn for txn in done if txn["closed"] or self.keepevicted]
            out = [self._merge(txn) for txn in kept]
            if self.keeporphans:
                for ev in orphans:
                    ev = copy_event(ev)
                    ev["_txn_orphan"] = 1
                    out.append(ev)
            out.sort(key=lambda r: -_time(r))
            return iter(out)
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
        key = {f: v for f, v in txn["values"].items()}
        for name, vals in values.items():
            if name in key:  # the values that made the transaction: one each
                out[name] = list(key[name]) if isinstance(key[name], tuple) else key[name]
                continue
            if not self.mvlist:
                vals = sorted(set(map(str, vals)))
            out[name] = vals[0] if len(vals) == 1 else vals
        out["_raw"] = "\n".join(raws)
        out["duration"] = _number(txn["last"] - txn["first"])
        out["eventcount"] = len(txn["events"])
        if self.keepevicted or self.marks_closed:
            out["closed_txn"] = 1 if txn["closed"] else 0
        return out


def _key(v):
    return tuple(v) if isinstance(v, list) else v


def _joins(have: dict, values: dict) -> bool:
    """Whether an event's values fit a transaction's: none differs and (with both) one is shared."""
    shared = [f for f in values if f in have]
    return all(have[f] == values[f] for f in shared) and (bool(shared) or not have or not values)


def _time(ev) -> float:
    t = get_field(ev, "_time")
    return float(t) if t is not None else 0.0


def _number(x: float):
    return int(x) if x == int(x) else x


def _filter(spec, env):
    """A test for startswith=/endswith=: search terms, quoted or in parentheses, or eval(...).
    An error inside points at the whole option, since its text was parsed on its own."""
    if spec is None:
        return None
    try:
        return _compile_filter(spec.text.strip(), env)
    except SplError as e:
        raise SplError(f"The {spec.which} filter does not compile: {e.message}", command="transaction",
                       span=spec.span, hint=e.hint) from None


def _compile_filter(text: str, env):
    from ..syntax.parser import parse, parse_expression
    if text.lower().startswith("eval(") and text.endswith(")"):
        expr = compile_expr(parse_expression(text[5:-1]), env, command="transaction")
        return lambda ev: expr(ev) is True
    if text.startswith('"') and text.endswith('"') and len(text) > 1:
        text = unquote(text)
    elif text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    test, _ = compile_search(parse(text).leading, env, command="transaction")
    return test
