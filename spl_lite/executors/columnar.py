"""Commands a column at a time, over the Selection the leading search hands on.

Each function here gives the same answer as its command's event-by-event code, or None when
some part of the call needs events (a multivalue field, an eval expression, a function whose
result depends on every value's multiplicity or order): the command then runs as usual. Work
per value (a test, a sort key, a stats state) is done once per distinct value or group.
"""
from __future__ import annotations

import numpy as np

from ..functions.stats_functions import Count, DistinctCount, Max, Min, Values
from ..runtime.aggregation import group_order
from ..store import columns
from ..store.columns import Column, Encoder, columnable, group_keys
from ..store.selection import Selection
from ..syntax import ast

# Results do not change when a value is fed twice: fed once per distinct value and group.
_SET_FUNCTIONS = (DistinctCount, Values, Min, Max)


def selection(events) -> Selection | None:
    return events if type(events) is Selection and columns.ENABLED else None


def _plain_columns(sel: Selection, names) -> dict | None:
    if not all(columnable(n) for n in names):
        return None
    cols = sel.columns(list(dict.fromkeys(names)))
    if any(c is None or c.multivalue for c in cols.values()):
        return None
    return cols


def _groups(sel: Selection, by, cols):
    """(rows with every BY field, group per such row, first row per group, group keys)."""
    if not by:
        return np.arange(len(sel)), np.zeros(len(sel), np.int64), np.zeros(min(1, len(sel)), np.int64), [()]
    present = np.ones(len(sel), dtype=bool)
    for b in by:
        present &= cols[b].codes >= 0
    rows = np.nonzero(present)[0]
    group, first = group_keys([cols[b].codes[rows] for b in by], len(rows))
    keys = [tuple(cols[b].values[cols[b].codes[r]] for b in by) for r in rows[first].tolist()]
    return rows, group, first, keys


def _aggregate(sel, specs, aggs, cols, rows, group, ngroups) -> list[list] | None:
    """Per aggregate, its result for each group."""
    out = []
    for spec, agg in zip(specs, aggs):
        kind = spec.factory
        if agg.arg is None:
            out.append(np.bincount(group, minlength=ngroups).tolist())
            continue
        name = agg.arg.text
        if name == "_time":
            times = sel.times()[rows]
            ok = ~np.isnan(times)
            pick = np.full(ngroups, np.inf if kind is Min else -np.inf)
            (np.minimum if kind is Min else np.maximum).at(pick, group[ok], times[ok])
            results = []
            for g, t in enumerate(pick.tolist()):
                st = kind()
                if t not in (np.inf, -np.inf):
                    st.add(int(t) if t.is_integer() else t, None)
                results.append(st.result())
            out.append(results)
            continue
        codes = cols[name].codes[rows]
        has = codes >= 0
        if kind is Count:
            out.append(np.bincount(group[has], minlength=ngroups).tolist())
            continue
        width = len(cols[name].values) + 1
        pairs = np.unique(group[has].astype(np.int64) * width + codes[has])
        states = [kind() for _ in range(ngroups)]
        values = cols[name].values
        for g, c in zip((pairs // width).tolist(), (pairs % width).tolist()):
            states[g].add(values[c], None)
        out.append([st.result() for st in states])
    return out


def _supported(specs, aggs, allowed) -> list | None:
    """The plain fields the aggregates read, or None when one needs the events."""
    names = []
    for spec, agg in zip(specs, aggs):
        if agg.arg is None:
            if spec.factory is not Count:
                return None
            continue
        if isinstance(agg.arg, ast.ExprArg) or spec.factory not in allowed:
            return None
        if agg.arg.text == "_time":
            if spec.factory not in (Min, Max):
                return None
            continue
        names.append(agg.arg.text)
    return names


def _stats_inputs(events, by, aggs, specs):
    """(selection, columns of the BY fields and arguments), or None when events are needed."""
    sel = selection(events)
    names = None if sel is None else _supported(specs, aggs, (Count,) + _SET_FUNCTIONS)
    cols = None if names is None else _plain_columns(sel, list(by) + names)
    return None if cols is None else (sel, cols)


def stats_rows(events, by, aggs, specs) -> list[dict] | None:
    inputs = _stats_inputs(events, by, aggs, specs)
    if inputs is None:
        return None
    sel, cols = inputs
    rows, group, first, keys = _groups(sel, by, cols)
    if not by and not len(sel):
        return [{spec.column: spec.new().result() for spec in specs}]
    results = _aggregate(sel, specs, aggs, cols, rows, group, len(first))
    out = []
    for g in sorted(range(len(keys)), key=lambda g: group_order(keys[g])):
        row = dict(zip(by, keys[g]))
        for spec, per_group in zip(specs, results):
            row[spec.column] = per_group[g]
        out.append(row)
    return out


def eventstats_selection(events, by, aggs, specs) -> Selection | None:
    """eventstats adds each group's results to its events: columns of the selection."""
    inputs = _stats_inputs(events, by, aggs, specs)
    if inputs is None or any(s.column in by or s.column in inputs[1] for s in specs):
        return None
    sel, cols = inputs
    rows, group, first, _ = _groups(sel, by, cols)
    ngroups = max(len(first), 1 if not by else 0)
    results = _aggregate(sel, specs, aggs, cols, rows, group, ngroups)
    extra = dict(sel.extra)
    for spec, per_group in zip(specs, results):
        enc = Encoder()
        made = np.array([enc.code(v) for v in per_group] or [0], dtype=np.int32)
        codes = np.full(len(sel), -1, dtype=np.int32)
        codes[rows] = made[group] if len(rows) else codes[rows]
        extra[spec.column] = Column(codes, enc.values)
    return Selection(sel.store, sel.positions, _with(sel.fields, extra), extra, sel.everything)


def streamstats_selection(events, by, aggs, specs, current: bool) -> Selection | None:
    """streamstats count with no window: each event's place in its group so far."""
    sel = selection(events)
    if sel is None or not all(agg.arg is None and spec.factory is Count for agg, spec in zip(aggs, specs)):
        return None
    cols = _plain_columns(sel, list(by))
    if cols is None or any(s.column in by for s in specs):
        return None
    rows, group, _, _ = _groups(sel, by, cols)
    by_group = np.argsort(group, kind="stable")
    starts = np.searchsorted(group[by_group], group[by_group], side="left")
    nth = np.empty(len(rows), dtype=np.int64)
    nth[by_group] = np.arange(len(rows)) - starts
    counts = nth + (1 if current else 0)
    codes = np.full(len(sel), -1, dtype=np.int32)
    codes[rows] = counts
    top = int(counts.max(initial=0))
    made = {spec.column: Column(codes, list(range(top + 1))) for spec in specs}
    return write_columns(sel, made)


def _with(fields, extra):
    return None if fields is None else fields | frozenset(extra)


def _rank(col: Column, keyfn, desc: bool) -> np.ndarray:
    """A sort key per row: equal values equal ranks, missing values last either way."""
    keys = [keyfn(v) for v in col.values]
    order = sorted(range(len(keys)), key=keys.__getitem__)
    rank = np.zeros(len(keys) + 1, dtype=np.int64)
    r = 0
    for i, k in enumerate(order):
        if i and keys[k] != keys[order[i - 1]]:
            r += 1
        rank[k + 1] = -r if desc else r
    rank[0] = np.iinfo(np.int64).max
    return rank[col.codes + 1]


def sort_selection(events, keys, key_functions, limit: int) -> Selection | None:
    sel = selection(events)
    if sel is None:
        return None
    ranks = []
    for name, desc, mode in keys:
        if name == "_time" and mode in ("auto", "num"):
            t = sel.times()
            big = np.inf
            ranks.append(np.where(np.isnan(t), big, -t if desc else t))
            continue
        if not columnable(name):
            return None
        col = sel.column(name)
        if col is None:
            return None
        ranks.append(_rank(col, key_functions[mode], desc))
    ordered = sel.sorted_by(ranks) if ranks else sel
    return ordered.first(limit) if limit else ordered


def dedup_selection(events, fields, count: int, keepempty: bool) -> Selection | None:
    sel = selection(events)
    if sel is None or not all(columnable(f) for f in fields):
        return None
    cols = sel.columns(list(fields))
    if any(c is None for c in cols.values()):
        return None
    present = np.ones(len(sel), dtype=bool)
    for f in fields:
        present &= cols[f].codes >= 0
    rows = np.nonzero(present)[0]
    group, _ = group_keys([cols[f].codes[rows] for f in fields], len(rows))
    by_group = np.argsort(group, kind="stable")
    starts = np.searchsorted(group[by_group], group[by_group], side="left")
    nth = np.empty(len(rows), dtype=np.int64)
    nth[by_group] = np.arange(len(rows)) - starts
    kept = rows[nth < count]
    if keepempty:
        kept = np.union1d(kept, np.nonzero(~present)[0])
    return sel.take(np.sort(kept))


def head_selection(events, limit: int) -> Selection | None:
    """head N of a selection, the first N of a pending sort worked out alone."""
    sel = selection(events)
    return None if sel is None else sel.first(limit)


def overlay(base: Column | None, top: Column) -> Column:
    """``top`` where it has a value, else ``base`` (a command that writes a field leaves the
    events it gives no value to as they were)."""
    if base is None or (top.codes >= 0).all():
        return top
    enc = Encoder()
    top_map = np.array([enc.code(v) for v in top.values] + [-1], dtype=np.int32)
    base_map = np.array([enc.code(v) for v in base.values] + [-1], dtype=np.int32)
    codes = np.where(top.codes >= 0, top_map[top.codes], base_map[base.codes])
    return Column(codes.astype(np.int32), enc.values)


def write_columns(sel: Selection, made: dict) -> Selection:
    extra = dict(sel.extra)
    for name, col in made.items():
        extra[name] = overlay(sel.column(name) if name in sel.extra else None, col)
    return Selection(sel.store, sel.positions, _with(sel.fields, made), extra, sel.everything)


def rex_selection(events, field: str, found_of) -> Selection | None:
    """rex: the fields a regex finds, worked out once per distinct value of the field."""
    sel = selection(events)
    if sel is None or not columnable(field):
        return None
    col = sel.column(field)
    if col is None:
        return None
    found = [found_of(v) for v in col.values]
    made = {}
    for name in sorted(set().union(*found)) if found else ():
        enc = Encoder()
        table = np.array([-1] + [enc.code(f.get(name)) for f in found] + [-1], dtype=np.int32)
        made[name] = Column(table[col.codes + 1], enc.values)
    return write_columns(sel, made)


# Functions that read more than their arguments' fields (the event's text, the clock).
_EVENT_FUNCTIONS = frozenset(("searchmatch", "random", "time"))


def _calls(node) -> set[str]:
    out: set[str] = set()
    todo = [node]
    while todo:
        n = todo.pop()
        if isinstance(n, ast.Call):
            out.add(n.name.lower())
        for child in (getattr(n, "left", None), getattr(n, "right", None), getattr(n, "operand", None)):
            if child is not None:
                todo.append(child)
        todo.extend(getattr(n, "args", ()) or ())
        todo.extend(getattr(n, "items", ()) or ())
    return out


def where_selection(events, expr, test) -> Selection | None:
    """where: the expression evaluated once per distinct combination of the fields it reads."""
    sel = selection(events)
    if sel is None:
        return None
    names = sorted(ast.field_refs(expr))
    if _calls(expr) & _EVENT_FUNCTIONS or not all(columnable(n) for n in names):
        return None
    cols = sel.columns(names)
    if any(c is None for c in cols.values()):
        return None
    group, first = group_keys([cols[n].codes for n in names], len(sel))
    verdict = []
    for r in first.tolist():
        ev = {}
        for n in names:
            v = cols[n].get(r)
            if v is not None:
                ev[n] = list(v) if type(v) is list else v
        verdict.append(test(ev) is True)
    keep = np.array(verdict, dtype=bool)[group] if verdict else np.zeros(len(sel), dtype=bool)
    return sel.take(np.nonzero(keep)[0])


def timechart_cells(events, by, aggs, specs, span_for, usenull: bool, null: str):
    """timechart's cells ({(bucket, series): results}, span) a column at a time; () when no
    event has a time; None when the call needs events (or calendar spans such as 1mon)."""
    from ..runtime.values import to_string
    inputs = _stats_inputs(events, by, aggs, specs)
    if inputs is None:
        return None
    sel, cols = inputs
    times = sel.times()
    rows = np.nonzero(~np.isnan(times))[0]
    if not len(rows):
        return ()
    t = times[rows]
    span = span_for(_number(t.min()), _number(t.max()))
    if span[1] != "s":
        return None
    buckets, bucket_codes = np.unique(np.floor_divide(t, span[0]) * span[0], return_inverse=True)
    keys = [bucket_codes.reshape(-1).astype(np.int32)]
    series_values = [None]
    if by:
        series = cols[by[0]]
        codes = series.codes[rows]
        if not usenull:
            keep = codes >= 0
            rows, codes, keys[0] = rows[keep], codes[keep], keys[0][keep]
        series_values = [to_string(v) for v in series.values] + [null]
        keys.append(np.where(codes >= 0, codes, len(series.values)).astype(np.int32))
    group, first = group_keys(keys, len(rows))
    results = _aggregate(sel, specs, aggs, cols, rows, group, len(first))
    out = {}
    for g, r in enumerate(first.tolist()):
        key = (_number(buckets[keys[0][r]]), series_values[keys[1][r]] if by else None)
        out[key] = [per_group[g] for per_group in results]
    return out, span


def _number(x):
    x = float(x)
    return int(x) if x.is_integer() else x
