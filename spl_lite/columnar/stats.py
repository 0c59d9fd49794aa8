"""Aggregating commands a column at a time: stats, eventstats, streamstats count, timechart, top
and rare, over the Selection the leading search hands on.

Each gives the same answer as its command's event-by-event code, or None when some part of the
call needs events (a multivalue field, an eval expression, a function whose result depends on
every value's multiplicity or order). Groups are numbered from the BY fields' codes; a stats
state is fed once per distinct value and group.
"""
from __future__ import annotations

import numpy as np

from ..functions.stats_functions import Count, DistinctCount, Max, Min, Values
from ..compiler.aggregation import group_order
from ..store.columns import Column, Encoder, group_keys
from ..store.selection import Selection
from ..syntax import ast
from .kernels import plain_columns, with_fields, selection, write_columns

# Results do not change when a value is fed twice: fed once per distinct value and group.
_SET_FUNCTIONS = (DistinctCount, Values, Min, Max)


def _groups(sel: Selection, by, cols):
    """(rows with every BY field, group per such row, first row per group, group keys)."""
    if not by:
        return np.arange(len(sel)), np.zeros(len(sel), np.int64), np.zeros(min(1, len(sel)), np.int64), [()]
    present = np.ones(len(sel), dtype=bool)
    for b in by:
        present &= cols[b].codes >= 0
    rows = np.nonzero(present)[0]
    group, first = group_keys([cols[b].group_codes()[rows] for b in by], len(rows))
    keys = [tuple(cols[b].values[cols[b].codes[r]] for b in by) for r in rows[first].tolist()]
    return rows, group, first, keys


def _aggregate(sel, specs, aggs, cols, rows, group, ngroups) -> list[list]:
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
        codes = cols[name].group_codes()[rows]  # 5 and 5.0 are one value to dc and values
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
    cols = None if names is None else plain_columns(sel, list(by) + names)
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
    return Selection(sel.store, sel.positions, with_fields(sel.fields, extra), extra, sel.everything)


def streamstats_selection(events, by, aggs, specs, current: bool) -> Selection | None:
    """streamstats count with no window: each event's place in its group so far."""
    sel = selection(events)
    if sel is None or not all(agg.arg is None and spec.factory is Count for agg, spec in zip(aggs, specs)):
        return None
    cols = plain_columns(sel, list(by))
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
    top = int(np.max(counts, initial=0))
    made = {spec.column: Column(codes, list(range(top + 1))) for spec in specs}
    return write_columns(sel, made)


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
    series_values: list[str | None] = [None]
    if by:
        series = cols[by[0]]
        codes = series.group_codes()[rows]
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


def top_counts(events, fields, by, ascending: bool) -> dict | None:
    """top/rare: per BY group, [(values, count)] most (or least) common first, ties in the
    order the events show them, a column at a time."""
    sel = selection(events)
    if sel is None:
        return None
    cols = plain_columns(sel, list(by) + list(fields))
    if cols is None:
        return None
    rows, group, first, keys = _groups(sel, by, cols)
    present = np.ones(len(rows), dtype=bool)
    for f in fields:
        present &= cols[f].codes[rows] >= 0
    rows, group = rows[present], group[present]
    combo, first_row = group_keys([group] + [cols[f].group_codes()[rows] for f in fields], len(rows))
    counts = np.bincount(combo, minlength=len(first_row)).tolist()
    out: dict = {}
    for c, r in enumerate(first_row.tolist()):
        values = tuple(cols[f].values[cols[f].codes[rows[r]]] for f in fields)
        out.setdefault(keys[int(group[r])], []).append((r, values, counts[c]))
    return {g: [(values, n) for _, values, n in sorted(items, key=lambda i: (i[2] if ascending else -i[2], i[0]))]
            for g, items in out.items()}
