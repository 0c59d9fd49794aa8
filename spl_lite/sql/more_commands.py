"""The commands beyond the core ones, as SQL: dedup, top/rare, streamstats count, fillnull,
convert ctime(), rex and regex, bin, lookup, inputlookup, uniq, addtotals. One function per
command, each given the Translator it adds to (its public methods only); COMMANDS maps
the command's class to it."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable

from sqlglot import exp

from ..commands.addtotals import AddtotalsCommand, UniqCommand
from ..commands.bin import BinCommand
from ..commands.convert import ConvertCommand
from ..commands.dedup import DedupCommand
from ..commands.eventstats import StreamstatsCommand
from ..commands.fillnull import FillnullCommand
from ..commands.lookup import InputlookupCommand, LookupCommand
from ..commands.rex import RegexCommand, RexCommand, sed_parts
from ..commands.top import RareCommand, TopCommand
from ..lookups import LookupTable, lookup_path
from ..runtime import timeutil
from ..runtime.regex import compile_regex
from ..runtime.values import to_number
from .expressions import SearchTranslator, unsupported
from .dialects import caseless, portable, supports
from .values import Value, as_number, as_text, col, fn, number_text, sort_key, sql_limit

if TYPE_CHECKING:
    from .translate import Translator


def needs(t: Translator, operation: str, c, what: str) -> str:
    """A portable operation the dialect must have, else the command stops here."""
    if not supports(t.dialect, operation):
        raise unsupported(what, t.dialect, command=c.name, span=c.span)
    return operation


def _DedupCommand(t: Translator, c: DedupCommand, rel, name):
    if c.keepevents or c.sortby:
        raise unsupported("dedup keepevents= or sortby", t.dialect, command=c.name, span=c.span)
    ref = t.ref(rel)
    values = [ref(f, c) for f in c.fields]
    if any(v.type == "mv" for v in values):
        raise unsupported("dedup of a multivalue field", t.dialect, command=c.name, span=c.span)
    texts = [as_text(v) for v in values]
    missing = exp.or_(*[exp.Is(this=t.copy(), expression=exp.Null()) for t in texts])
    in_order = exp.Order(expressions=[exp.Ordered(this=col("_ord"))])
    if c.consecutive:
        # A result is dropped when its values equal those of the last result that had them all.
        key = exp.Case(ifs=[exp.If(this=missing.copy(), true=exp.Null())],
                       default=exp.Array(expressions=[t.copy() for t in texts]))
        before = exp.Window(this=exp.IgnoreNulls(this=exp.Lag(this=key)),
                            order=in_order)
        numbered = t.add_step(name + "_r", exp.select(*t.carried(rel), exp.alias_(key.copy(), "_key", quoted=True),
                                                     exp.alias_(before, "_before", quoted=True))
                             .from_(rel.name), rel)
        kept = exp.and_(exp.Not(this=exp.Is(this=col("_key"), expression=exp.Null())),
                        exp.or_(exp.Is(this=col("_before"), expression=exp.Null()),
                                exp.NEQ(this=col("_key"), expression=col("_before"))))
    else:
        first = exp.Window(this=exp.RowNumber(), partition_by=texts, order=in_order)
        numbered = t.add_step(name + "_r", exp.select(*t.carried(rel), exp.alias_(first, "_first", quoted=True))
                             .from_(rel.name), rel)
        kept = exp.and_(exp.LTE(this=col("_first"), expression=exp.Literal.number(c.count)),
                        exp.Not(this=exp.Paren(this=missing.copy())))
    if c.keepempty:
        kept = exp.or_(kept, missing.copy())
    body = exp.select(*t.carried(rel)).from_(numbered.name).where(kept)
    return t.add_step(name, body, rel)


def _TopCommand(t: Translator, c: TopCommand, rel, name):
    o = dict(c.opts)
    ref = t.ref(rel)
    by = {b: ref(b, c) for b in c.by}
    values = {f: ref(f, c) for f in c.fields}
    if any(v.type == "mv" for v in [*by.values(), *values.values()]):
        raise unsupported(f"{c.name} of a multivalue field", t.dialect, command=c.name, span=c.span)
    keys = {**by, **values}
    present = exp.and_(*[exp.Not(this=exp.Is(this=as_text(v), expression=exp.Null())) for v in keys.values()])
    counted = t.add_step(name + "_c", exp.select(*[exp.alias_(as_text(v), k, quoted=True) for k, v in keys.items()],
                                               exp.alias_(exp.Count(this=exp.Star()), "_n", quoted=True),
                                               exp.alias_(exp.Min(this=col("_ord")), "_seen", quoted=True))
                        .from_(rel.name).where(present).group_by(*[as_text(v) for v in keys.values()]),
                        rel, columns={}, events=False, hidden=set(), table=True, always=set())
    group = [col(b) for b in by] or None
    # Most common first (least for rare); equal counts in the order their values first came.
    rank = exp.Window(this=exp.RowNumber(), partition_by=group, order=exp.Order(expressions=[
        exp.Ordered(this=col("_n"), desc=not c.ascending), exp.Ordered(this=col("_seen"))]))
    total = exp.Window(this=exp.Sum(this=col("_n")), partition_by=[col(b) for b in by] or None)
    ranked = t.add_step(name + "_r", exp.select(exp.Star(), exp.alias_(rank, "_rank", quoted=True),
                                               exp.alias_(total, "_total", quoted=True)).from_(counted.name),
                       counted)
    outputs: list[exp.Expr] = [col(k) for k in keys]
    columns = {k: "str" for k in keys}
    if o.get("showcount", True):
        outputs.append(exp.alias_(col("_n"), o.get("countfield", "count"), quoted=True))
        columns[o.get("countfield", "count")] = "num"
    if o.get("showperc", True):
        percent = portable("percent", exp.Div(this=exp.Mul(this=exp.cast(exp.Literal.number(100), "DOUBLE"),
                                                             expression=col("_n")), expression=col("_total")))
        outputs.append(exp.alias_(percent, o.get("percentfield", "percent"), quoted=True))
        columns[o.get("percentfield", "percent")] = "str"
    limit = o.get("limit", 10)
    if limit:
        shown = exp.LTE(this=col("_rank"), expression=exp.Literal.number(limit))
        parts = [col(k) for k in keys] + [col("_n"), col("_total"), col("_rank")]
        kept = exp.select(*parts).from_(ranked.name).where(shown)
        if o.get("useother"):
            # One more row per group: the values past the limit, counted together.
            other = exp.select(*[col(b) for b in by],
                               *[exp.alias_(exp.Literal.string(o.get("otherstr", "OTHER")), f, quoted=True)
                                 for f in values],
                               exp.alias_(exp.Sum(this=col("_n")), "_n", quoted=True),
                               exp.alias_(exp.Max(this=col("_total")), "_total", quoted=True),
                               exp.alias_(exp.Literal.number(limit + 1), "_rank", quoted=True)) \
                .from_(ranked.name).where(exp.Not(this=shown.copy())) \
                .having(exp.GT(this=exp.Sum(this=col("_n")), expression=exp.Literal.number(0)))
            if by:
                other = other.group_by(*[col(b) for b in by])
            kept = exp.union(kept, other, distinct=False)  # type: ignore[assignment]  # a query either way
        ranked = t.add_step(name + "_k", kept, ranked)
    order = [exp.Ordered(this=sort_key(Value(col(b), "str"))) for b in by] + [exp.Ordered(this=col("_rank"))]
    numbered = exp.Window(this=exp.RowNumber(), order=exp.Order(expressions=order))
    body = exp.select(exp.alias_(numbered, "_ord", quoted=True), *outputs).from_(ranked.name)
    return t.add_step(name, body, ranked, columns=columns, always=set(columns))


def _StreamstatsCommand(t: Translator, c: StreamstatsCommand, rel, name):
    plain = c.window == 0 and not c.reset_on_change and not c.allnum
    if not plain or any(a.func.lower() not in ("count", "c") or a.arg is not None for a in c.aggregates):
        raise unsupported("streamstats other than a running count", t.dialect, command=c.name,
                          span=c.span)
    ref = t.ref(rel)
    keys = [ref(b, c) for b in c.by]
    if any(v.type == "mv" for v in keys):
        raise unsupported("streamstats by a multivalue field", t.dialect, command=c.name, span=c.span)
    running = exp.Window(this=exp.RowNumber(), partition_by=[as_text(v) for v in keys] or None,
                         order=exp.Order(expressions=[exp.Ordered(this=col("_ord"))]))
    count: exp.Expr = running if c.current else exp.Sub(this=running, expression=exp.Literal.number(1))
    if keys:
        # Events missing a BY field pass through without the running count.
        missing = exp.or_(*[exp.Is(this=v.sql.copy(), expression=exp.Null()) for v in keys])
        count = exp.Case(ifs=[exp.If(this=missing, true=exp.Null())], default=count)
    return t.set_fields(name, rel, {a.alias or a.text: Value(count.copy(), "num") for a in c.aggregates})


def _FillnullCommand(t: Translator, c: FillnullCommand, rel, name):
    if not c.fields:
        raise unsupported("fillnull without a field list", t.dialect, command=c.name, span=c.span)
    ref = t.ref(rel)
    filled = {}
    for f in dict.fromkeys(c.fields):
        v = ref(f, c)
        if v.type not in ("str", "null"):
            # A number keeps its type where present and would become text where filled.
            raise unsupported("fillnull of a field that is not text", t.dialect, command=c.name, span=c.span)
        filled[f] = Value(exp.Coalesce(this=as_text(v), expressions=[exp.Literal.string(c.value)]), "str")
    return t.set_fields(name, rel, filled, always=True)


def re2(t: Translator, pattern: str, c) -> str:
    """A user's regex for the SQL engine (RE2 or Java's); the executor checks the engine
    accepts it before running."""
    if re.search(r"\)[?*]|\)\{0|\|", pattern):
        # A group that may not take part in the match: PCRE leaves the field alone, SQL gives "".
        raise unsupported("A regex with optional groups or alternatives", t.dialect, command=c.name,
                          span=c.span)
    # Groups are read by number: names go (RE2 and Java spell them differently).
    converted = re.sub(r"\(\?P?<[A-Za-z_]\w*>", "(", pattern)
    t.regexes.append((converted, c))
    return converted


def _sed(t: Translator, c: RexCommand, rel, name):
    """rex mode=sed "s/<regex>/<replacement>/[g|i]": the field's text edited."""
    parts = _sed_parts(c.pattern)
    if parts is None:
        raise unsupported("This sed expression", t.dialect, command=c.name, span=c.span)
    pattern, replacement, flags = parts
    v = t.ref(rel)(c.field, c)
    if v.type not in ("str", "num"):
        raise unsupported("rex mode=sed on a field that is not text", t.dialect, command=c.name, span=c.span)
    rx = re2(t, (caseless(t.dialect) if "i" in flags else "") + pattern, c)
    operation = needs(t, "regexp_replace" if "g" in flags else "regexp_replace_first", c,
                           "rex mode=sed replacing only the first match")
    edited = portable(operation, as_text(v), exp.Literal.string(rx), exp.Literal.string(replacement))
    return t.set_fields(name, rel, {c.field: Value(edited, "str")})


def _RexCommand(t: Translator, c: RexCommand, rel, name):
    if c.sed:
        return _sed(t, c, rel, name)
    v = t.ref(rel)(c.field, c)
    if v.type not in ("str", "num"):
        raise unsupported("rex on a field that is not text", t.dialect, command=c.name, span=c.span)
    pattern = re2(t, c.pattern, c)
    groups = compile_regex(c.pattern).groupindex
    text, ref = as_text(v), t.ref(rel)
    matched = exp.Coalesce(this=exp.RegexpLike(this=text, expression=exp.Literal.string(pattern)),
                           expressions=[exp.false()])
    if c.max_match != 1:
        return t.set_fields(name, rel, _rex_all(t, c, text, pattern, groups, matched, ref))
    # The fields of a match are set; without a match they keep what they had.
    values = {g: Value(exp.Case(ifs=[exp.If(this=matched.copy(), true=exp.RegexpExtract(
        this=text.copy(), expression=exp.Literal.string(pattern), group=exp.Literal.number(i)))],
        default=as_text(ref(g, c))), "str") for g, i in groups.items()}
    return t.set_fields(name, rel, values)


def _rex_all(t: Translator, c, text, pattern, groups, matched, ref) -> dict:
    """max_match=0 (every match) or N: each group's captures as a multivalue."""
    values = {}
    for g, i in groups.items():
        if ref(g, c).type != "null":
            raise unsupported("rex max_match onto a field that results may already have", t.dialect,
                              command=c.name, span=c.span)
        found = fn("regexp_extract_all", text.copy(), exp.Literal.string(pattern), exp.Literal.number(i))
        if c.max_match:
            found = portable("slice", found, exp.Literal.number(1), exp.Literal.number(c.max_match))
        values[g] = Value(exp.Case(ifs=[exp.If(this=matched.copy(), true=found)]), "mv")
    return values


def _RegexCommand(t: Translator, c: RegexCommand, rel, name):
    v = t.ref(rel)(c.field, c)
    if v.type not in ("str", "num", "null"):
        raise unsupported("regex on a multivalue field", t.dialect, command=c.name, span=c.span)
    hit = exp.RegexpLike(this=as_text(v), expression=exp.Literal.string(re2(t, c.pattern, c)))
    keep: exp.Expr
    if c.negate:
        # regex f!="..." also keeps the results that have no f.
        keep = exp.Not(this=exp.Coalesce(this=hit, expressions=[exp.false()]))
    else:
        keep = exp.Coalesce(this=hit, expressions=[exp.false()])
    return t.add_step(name, exp.select(*t.carried(rel)).from_(rel.name).where(keep), rel)


def _ConvertCommand(t: Translator, c: ConvertCommand, rel, name):
    if re.search(r"%[^YmdHMSyjpIbBaAe%]", c.timeformat):
        raise unsupported(f"convert timeformat=\"{c.timeformat}\"", t.dialect, command=c.name, span=c.span)
    ref = t.ref(rel)
    for i, item in enumerate(c.items):
        source, target = item.field.text, (item.alias.text if item.alias else item.field.text)
        if item.func.lower() != "ctime" or "*" in source:
            raise unsupported(f"convert {item.func}()", t.dialect, command=c.name, span=item.span)
        v = ref(source, item)
        if v.type not in ("str", "num", "null"):
            raise unsupported("convert of a multivalue field", t.dialect, command=c.name, span=item.span)
        n = as_number(v)
        text = portable(needs(t, "strftime", c, "convert ctime()"), n, exp.Literal.string(c.timeformat))
        # A value that is not a number stays as it was (under an alias, nothing is set).
        otherwise = ref(target, item).sql if item.alias else as_text(v)
        value = exp.Case(ifs=[exp.If(this=exp.Not(this=exp.Is(this=n.copy(), expression=exp.Null())),
                                     true=text)], default=otherwise)
        rel = t.set_fields(f"{name}_{i}", rel, {target: Value(value, "str")})
    return rel


def _LookupCommand(t: Translator, c: LookupCommand, rel, name):
    """A CSV lookup with one row per key: a match sets each output field (an empty cell
    clears it), no match leaves the event as it was; OUTPUTNEW keeps the fields it has."""
    path = lookup_path(t.lookups_dir, c.table, command=c.name, span=c.table_span)
    table = LookupTable.read(path, c.name, c.table_span)
    inputs = [i.column for i in c.inputs]
    missing = [col_ for col_ in inputs if col_ not in table.columns]
    if missing:
        raise unsupported(f"A lookup on a column the file lacks ('{missing[0]}')", t.dialect,
                          command=c.name, span=c.span)
    keys = [tuple(r.get(i) for i in inputs) for r in table.rows]
    if len(set(keys)) != len(keys) or any(isinstance(v, list) for r in table.rows for v in r.values()):
        raise unsupported("A lookup file with several rows for one key", t.dialect, command=c.name,
                          span=c.table_span)
    lookup = t.knowledge.tables.setdefault(("file", str(path)), (f"lookup_{len(t.knowledge.tables)}",
                                                                     table))[0]
    ref = t.ref(rel)
    values = [ref(i.field, c) for i in c.inputs]
    if any(v.type not in ("str", "null") for v in values):
        raise unsupported("A lookup on a field that is not text", t.dialect, command=c.name, span=c.span)
    where = exp.and_(*[exp.EQ(this=exp.column(i.column, table="l", quoted=True), expression=v.sql)
                       for i, v in zip(c.inputs, values)])

    def first(column: str) -> exp.Expr:
        # The first row's value as an aggregate: Spark answers a correlated LIMIT 1 wrongly.
        return exp.Subquery(this=exp.select(exp.ArgMin(this=exp.column(column, table="l", quoted=True),
                                                       expression=exp.column("_row", table="l")))
                            .from_(exp.alias_(exp.to_table(lookup), "l")).where(where.copy()))
    matched = exp.Exists(this=exp.select(exp.Literal.number(1)).from_(exp.alias_(exp.to_table(lookup), "l"))
                         .where(where.copy()))
    outputs = [(o.column, o.field) for o in c.outputs] or [(k, k) for k in table.columns if k not in inputs]
    own = {target: ref(target, c) for _, target in outputs}
    if any(v.type not in ("str", "null") for v in own.values()):
        raise unsupported("A lookup writing over a field that is not text", t.dialect, command=c.name,
                          span=c.span)
    set_to = {}
    for column, target in outputs:
        found: exp.Expr = exp.Case(ifs=[exp.If(this=matched.copy(), true=first(column))], default=own[target].sql)
        if c.new_only:  # OUTPUTNEW: fields the event has stay
            found = exp.Coalesce(this=own[target].sql.copy(), expressions=[found])
        set_to[target] = Value(found, "str")
    return t.set_fields(name, rel, set_to)


def _BinCommand(t: Translator, c: BinCommand, rel, name):
    """bin with a span: _time down to the start of its bucket (seconds-based spans), any
    other numeric field into the text "low-high" of its bucket."""
    span = timeutil.parse_span(c.span_text) if c.span_text else None
    number = to_number(c.span_text) if c.span_text and span is None else None
    if c.aligntime or (span is None and number is None) or (span is not None and span[1] != "s"):
        raise unsupported("bin without a span of seconds or a number (bins=, aligntime=, months)",
                          t.dialect, command=c.name, span=c.span)
    v = t.ref(rel)(c.field, c)
    if v.type not in ("str", "num"):
        raise unsupported("bin of a field that is not a number or text", t.dialect, command=c.name,
                          span=c.span)
    n = as_number(v)
    width = exp.Literal.number(span[0] if span else number)
    low = exp.Mul(this=exp.Floor(this=exp.Div(this=n, expression=width)), expression=width.copy())
    if c.field == "_time":
        bucket: exp.Expr = low
        kind = "num"
    else:
        high = exp.Add(this=low.copy(), expression=width.copy())
        bucket = exp.DPipe(this=exp.DPipe(this=number_text(low), expression=exp.Literal.string("-")),
                           expression=number_text(high))
        kind = "str"
    if c.field == "_time" and v.type != "num":
        raise unsupported("bin of a _time that is not a number", t.dialect, command=c.name, span=c.span)
    # A value that is not a number stays as it was.
    value = exp.Case(ifs=[exp.If(this=exp.Not(this=exp.Is(this=n.copy(), expression=exp.Null())), true=bucket)],
                     default=v.sql if kind == "num" else as_text(v))
    return t.set_fields(name, rel, {c.alias or c.field: Value(value, kind)})


def _UniqCommand(t: Translator, c: UniqCommand, rel, name):
    """Results equal to the one before them (every field) are dropped."""
    if rel.events:
        raise unsupported("uniq over events", t.dialect, command=c.name, span=c.span)
    row = exp.Tuple(expressions=[col(f) for f in rel.columns]) if rel.columns else exp.Literal.number(1)
    before = exp.Window(this=exp.Lag(this=row.copy()), order=exp.Order(expressions=[exp.Ordered(this=col("_ord"))]))
    numbered = t.add_step(name + "_r", exp.select(*t.carried(rel), exp.alias_(row, "_row", quoted=True),
                                                 exp.alias_(before, "_before", quoted=True)).from_(rel.name), rel)
    keep = exp.or_(exp.Is(this=col("_before"), expression=exp.Null()),
                   exp.NullSafeNEQ(this=col("_row"), expression=col("_before")))
    return t.add_step(name, exp.select(*t.carried(rel)).from_(numbered.name).where(keep), rel)


def _InputlookupCommand(t: Translator, c: InputlookupCommand, rel, name):
    """The rows of a lookup file in file order, from start=, kept by WHERE, up to max=."""
    from .translate import Relation  # the Translator's own module imports this one
    if c.append:
        raise unsupported("inputlookup append=t", t.dialect, command=c.name, span=c.span)
    path = lookup_path(t.lookups_dir, c.table, command=c.name, span=c.table_span)
    table = LookupTable.read(path, c.name, c.table_span)
    if any(isinstance(v, list) for r in table.rows for v in r.values()):
        raise unsupported("A lookup file with multivalue cells", t.dialect, command=c.name, span=c.table_span)
    lookup = t.knowledge.tables.setdefault(("file", str(path)), (f"lookup_{len(t.knowledge.tables)}",
                                                                     table))[0]
    body = exp.select(exp.alias_(col("_row"), "_ord", quoted=True), *[col(k) for k in table.columns]) \
        .from_(lookup).where(exp.GTE(this=col("_row"), expression=exp.Literal.number(c.start)))
    rows = t.add_step(name + "_t", body, Relation(lookup), columns={k: "str" for k in table.columns},
                     events=False, hidden=set(), table=False)
    test = SearchTranslator(t.ref(rows), t.dialect, c.name).test(c.where)
    body = exp.select(*t.carried(rows)).from_(rows.name).where(test).order_by(col("_ord"))
    if c.max:
        body = body.limit(sql_limit(c.max))
    return t.add_step(name, body, rows)


def _AddtotalsCommand(t: Translator, c: AddtotalsCommand, rel, name):
    """addtotals of named fields: Total is the sum of those that hold numbers, set only when
    one does (row=t; col=t's summary row is not translated yet)."""
    o = dict(c.opts)
    if not c.fields or any("*" in f for f in c.fields) or o.get("col") or not o.get("row", True):
        raise unsupported("addtotals other than row totals of named fields", t.dialect, command=c.name,
                          span=c.span)
    ref = t.ref(rel)
    target = o.get("fieldname", "Total")
    if ref(target, c).type != "null":
        raise unsupported(f"addtotals onto a field '{target}' that results may already have", t.dialect,
                          command=c.name, span=c.span)
    numbers = [as_number(ref(f, c)) for f in c.fields]
    total = numbers[0]
    for n in numbers[1:]:
        total = exp.Add(this=exp.Coalesce(this=total, expressions=[exp.Literal.number(0)]),
                        expression=exp.Coalesce(this=n, expressions=[exp.Literal.number(0)]))
    some = exp.or_(*[exp.Not(this=exp.Is(this=n.copy(), expression=exp.Null())) for n in numbers])
    return t.set_fields(name, rel, {target: Value(exp.Case(ifs=[exp.If(this=some, true=total)]), "num")})


def _sed_parts(expr: str):
    """(regex, replacement, flags) of s/<regex>/<replacement>/<flags> with only g and i flags and
    \\1-style groups, which RE2 replaces the same way; None for anything else (y///, nth match)."""
    parts = sed_parts(expr) if expr[:1] == "s" else None
    if parts is None or len(parts) < 2 or len(parts) > 3:
        return None
    flags = parts[2] if len(parts) == 3 else ""
    if set(flags) - {"g", "i"} or re.search(r"\\g<|\$\d|&", parts[1]):
        return None
    return parts[0], parts[1], flags


# The command node's class -> its translation, for Translator.translate.
COMMANDS: dict[type, Callable[..., Any]] = {  # (Translator, command, relation, name) -> Relation
    DedupCommand: _DedupCommand,
    TopCommand: _TopCommand,
    StreamstatsCommand: _StreamstatsCommand,
    FillnullCommand: _FillnullCommand,
    RexCommand: _RexCommand,
    RegexCommand: _RegexCommand,
    ConvertCommand: _ConvertCommand,
    LookupCommand: _LookupCommand,
    BinCommand: _BinCommand,
    UniqCommand: _UniqCommand,
    InputlookupCommand: _InputlookupCommand,
    AddtotalsCommand: _AddtotalsCommand,
    RareCommand: _TopCommand,
}
