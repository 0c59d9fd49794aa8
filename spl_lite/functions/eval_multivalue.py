"""Multivalue eval functions."""
from __future__ import annotations

from ..errors import SplError
from ..runtime.values import first_value, to_number, to_string, values_of
from ..syntax import ast
from .eval_conditional import regex
from .registry import eval_function


def _mv(values: list):
    return None if not values else values[0] if len(values) == 1 else values


@eval_function("mvcount", 1, usage="mvcount(<multivalue>)", nulls=False)
def _mvcount(v):
    """The number of values; null when the field is missing."""
    return None if v is None else len(values_of(v))


@eval_function("mvindex", 2, 3, usage="mvindex(<multivalue>, <start>, [<end>])")
def _mvindex(v, start, end=None):
    """The value at a 0-based index (negative counts from the end); with end, an inclusive range."""
    vals = values_of(v)
    s = to_number(start)
    if s is None:
        return None
    s = int(s)
    n = len(vals)
    if s < 0:
        s += n
    if not 0 <= s < n:
        return None
    if end is None:
        return vals[s]
    e = to_number(end)
    if e is None:
        return None
    e = int(e)
    if e < 0:
        e += n
    e = min(e, n - 1)
    return _mv(vals[s:e + 1]) if e >= s else None


@eval_function("mvjoin", 2, usage='mvjoin(<multivalue>, "<delimiter>")')
def _mvjoin(v, delim):
    """The values joined into one text."""
    return to_string(delim).join(to_string(x) for x in values_of(v))


@eval_function("mvappend", 1, None, usage="mvappend(<value>, ...)", nulls=False)
def _mvappend(*args):
    """All values of all arguments in one multivalue (nulls are skipped)."""
    return _mv([x for a in args for x in values_of(a)])


@eval_function("mvdedup", 1, usage="mvdedup(<multivalue>)")
def _mvdedup(v):
    """The values without repeats, first occurrence kept."""
    return _mv(list(dict.fromkeys(values_of(v))))


@eval_function("mvsort", 1, usage="mvsort(<multivalue>)")
def _mvsort(v):
    """The values sorted as text (10 sorts before 9)."""
    return _mv(sorted(values_of(v), key=to_string))


@eval_function("mvreverse", 1, usage="mvreverse(<multivalue>)")
def _mvreverse(v):
    """The values in reverse order."""
    return _mv(list(reversed(values_of(v))))


@eval_function("mvfind", 2, usage='mvfind(<multivalue>, "<regex>")', regex_arg=1)
def _mvfind(v, pattern):
    """The 0-based index of the first value matching the regex; null if none does."""
    rx = regex(to_string(pattern))
    for i, x in enumerate(values_of(v)):
        if rx.search(to_string(x)):
            return i
    return None


@eval_function("mvzip", 2, 3, usage='mvzip(<mv1>, <mv2>, ["<delimiter>"])')
def _mvzip(a, b, delim=","):
    """Values paired up position by position, joined with the delimiter (default ",")."""
    d = to_string(delim)
    return _mv([f"{to_string(x)}{d}{to_string(y)}" for x, y in zip(values_of(a), values_of(b))])


@eval_function("mvrange", 2, 3, usage="mvrange(<start>, <end>, [<step>])")
def _mvrange(start, end, step=1):
    """The numbers from start up to, not including, end."""
    s, e, st = to_number(start), to_number(end), to_number(step)
    if None in (s, e, st) or st == 0:
        return None
    out, x = [], s
    while (x < e if st > 0 else x > e) and len(out) < 10000:
        out.append(x)
        x += st
    return _mv(out)


@eval_function("mvfilter", 1, usage="mvfilter(<boolean expression on one field>)", builder=True)
def _mvfilter(env, nodes, args, compiler):
    """The values of the one field in the expression for which the expression is true."""
    fields = ast.field_refs(nodes[0])
    if len(fields) != 1:
        raise SplError("mvfilter() needs an expression that uses exactly one field.",
                       command=compiler.command, span=nodes[0].span)
    name = fields.pop()
    test = args[0]

    def apply(ev):
        from ..runtime.values import get_field
        kept = []
        for x in values_of(get_field(ev, name)):
            probe = {name: x}
            if test(probe) is True:
                kept.append(x)
        return _mv(kept)
    return apply


@eval_function("mvmap", 2, usage="mvmap(<multivalue>, <expression>)", builder=True)
def _mvmap(env, nodes, args, compiler):
    """The expression applied to each value of the field."""
    if not isinstance(nodes[0], ast.FieldRef):
        raise SplError("mvmap() takes a field as its first argument.", command=compiler.command,
                       span=nodes[0].span)
    name, fn = nodes[0].name, args[1]

    def apply(ev):
        from ..runtime.values import get_field
        out = []
        for x in values_of(get_field(ev, name)):
            probe = dict(ev)
            probe[name] = x
            r = fn(probe)
            if r is not None:
                out.append(r)
        return _mv(out)
    return apply


@eval_function("commands", 1, usage="commands(<search string>)")
def _commands(v):
    """The command names used in a search string."""
    parts = [p.strip().split()[0] for p in to_string(first_value(v)).split("|") if p.strip()]
    return _mv(parts)
