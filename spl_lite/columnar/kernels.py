"""Commands a column at a time, over the Selection the leading search hands on: sort, head,
dedup, rex, where, eval and spath here, the aggregating ones in columnar.stats.

Each function gives the same answer as its command's event-by-event code, or None when some
part of the call needs events (a multivalue field where it matters, a function that reads the
whole event): the command then runs as usual. Work per value (a test, a sort key, a regex, an
expression) is done once per distinct value or combination of values.
"""
from __future__ import annotations

import numpy as np

from ..store.columns import Column, Encoder, columnable, group_keys, overlay
from ..syntax.ast import mentions_subsearch
from ..store.selection import Selection
from ..runtime.values import field_getter
from ..syntax import ast


def selection(events) -> Selection | None:
    # The executor hands commands a Selection only when it runs them a column at a time.
    return events if type(events) is Selection else None


def plain_columns(sel: Selection, names) -> dict | None:
    if not all(columnable(n) for n in names):
        return None
    cols = sel.columns(list(dict.fromkeys(names)))
    if any(c is None or c.multivalue for c in cols.values()):
        return None
    return cols


def with_fields(fields, extra):
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


def write_columns(sel: Selection, made: dict) -> Selection:
    extra = dict(sel.extra)
    for name, col in made.items():
        extra[name] = overlay(sel.column(name) if name in sel.extra else None, col)
    return Selection(sel.store, sel.positions, with_fields(sel.fields, made), extra, sel.everything)


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


def _per_combination(sel: Selection, names: list, fn):
    """(fn of a one-row event per distinct combination of the fields' values, the combination
    of each row), or None when a field is no column."""
    cols = sel.columns(names)
    if any(c is None for c in cols.values()):
        return None
    group, first = group_keys([cols[n].codes for n in names], len(sel))
    out = []
    for r in first.tolist():
        ev = {}
        for n in names:
            v = cols[n].get(r)
            if v is not None:
                ev[n] = list(v) if type(v) is list else v
        out.append(fn(ev))
    return out, group


def where_selection(events, expr, test) -> Selection | None:
    """where: the expression evaluated once per distinct combination of the fields it reads."""
    sel = selection(events)
    if sel is None:
        return None
    names = sorted(ast.field_refs(expr))
    if _calls(expr) & _EVENT_FUNCTIONS or not all(columnable(n) for n in names) or mentions_subsearch([expr]):
        return None  # a subsearch's text names its fields only when it has run
    made = _per_combination(sel, names, lambda ev: test(ev) is True)
    if made is None:
        return None
    verdict, group = made
    keep = np.array(verdict, dtype=bool)[group] if verdict else np.zeros(len(sel), dtype=bool)
    return sel.take(np.nonzero(keep)[0])


def eval_selection(events, assignments, compiled) -> Selection | None:
    """eval: each expression worked out once per distinct combination of the fields it reads,
    left to right (a later one reads an earlier one's column)."""
    from ..runtime.values import set_field
    sel = selection(events)
    if sel is None:
        return None
    for a in assignments:
        if _calls(a.expr) & _EVENT_FUNCTIONS or not columnable(a.target) or \
                not all(columnable(n) for n in ast.field_refs(a.expr)) or mentions_subsearch([a.expr]):
            return None
    for a, (target, fn) in zip(assignments, compiled):
        enc = Encoder()

        def value_code(ev, target=target, fn=fn):
            v = fn(ev)
            set_field(ev, target, None if type(v) is bool else v)
            return enc.code(ev[target])
        made = _per_combination(sel, sorted(ast.field_refs(a.expr)), value_code)
        if made is None:
            return None
        group = made[1]
        codes = np.array(made[0] or [0], dtype=np.int32)[group] if len(sel) else np.zeros(0, np.int32)
        # Whole: eval's null hides the events' own value, as set_field's does.
        sel = write_columns(sel, {target: Column(codes.astype(np.int32), enc.values, whole=True)})
    return sel


def spath_selection(events, path: str, output: str, spath_of) -> Selection | None:
    """spath input=_raw path=a.b: the value at a plain path of keys is the field as extracted
    wherever that is text (spath gives a JSON leaf's text as extraction does), so only the
    events where the path holds no text (missing, an object, an array) are parsed and given
    ``spath_of(event)``. None when a key holding a dot could be read as the path by extraction
    but not by spath, or when a null would have to hide a value the events have."""
    sel = selection(events)
    if sel is None or "{" in path or not columnable(output) or output in sel.extra or \
            sel.store.defines(output) or sel.store.defines(path) or sel.few():
        return None
    parents = path.split(".")[:-1]
    if parents and (sel.store.holds_escapes() or
                    any(sel.store.holds_text(b'"' + k.encode("utf-8") + b".") for k in parents)):
        return None
    store = sel.store
    col = store.derived_column(("spath", path, output), lambda: _spath_column(store, path, output, spath_of))
    if col is None:
        return None
    return write_columns(sel, {output: col if sel.everything else col.take(sel.positions)})


def _spath_column(store, path: str, output: str, spath_of) -> Column | None:
    """spath's value at the path for every event of the store: the extracted text where there
    is some, the events parsed elsewhere (made once per load: a command is run again and again).
    Whole, as no event where spath finds nothing has a value of its own for ``output``; None
    when one has (spath's null would hide it: a column cannot say that yet)."""
    col = store.column(path)
    if col is None:
        return None
    text = np.array([type(v) is str for v in col.values] + [False], dtype=bool)
    enc = Encoder()
    table = np.array([enc.code(v) if type(v) is str else -1 for v in col.values] + [-1], dtype=np.int32)
    codes = table[col.codes]
    own = field_getter(output)
    for p in np.nonzero(~text[col.codes])[0].tolist():
        ev = store.event(p)
        value = spath_of(ev)
        if value is None and own(ev) is not None:
            return None
        codes[p] = enc.code(value)
    return Column(codes.astype(np.int32), enc.values, whole=True)
