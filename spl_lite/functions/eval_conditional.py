"""Conditional, comparison and informational eval functions."""
from __future__ import annotations

import ipaddress

from ..runtime.values import compare_values, like, first_value, to_number, to_string, values_of
from ..runtime.regex import compile_regex
from .registry import eval_function


@eval_function("if", 3, usage="if(<condition>, <then>, <else>)", lazy=True)
def _if(ev, c, t, f):
    """The second argument when the condition is true, else the third (also when it is null)."""
    return t(ev) if c(ev) is True else f(ev)


@eval_function("case", 2, None, usage="case(<cond1>, <value1>, <cond2>, <value2>, ...)", lazy=True)
def _case(ev, *args):
    """The value paired with the first true condition; null when none is true."""
    for i in range(0, len(args) - 1, 2):
        if args[i](ev) is True:
            return args[i + 1](ev)
    return None


@eval_function("coalesce", 1, None, usage="coalesce(<value>, ...)", lazy=True)
def _coalesce(ev, *args):
    """The first argument that is not null (an empty string counts as a value)."""
    for a in args:
        v = a(ev)
        if v is not None:
            return v
    return None


@eval_function("validate", 2, None, usage="validate(<cond1>, <msg1>, ...)", lazy=True)
def _validate(ev, *args):
    """The message paired with the first condition that is false or null; null if all hold."""
    for i in range(0, len(args) - 1, 2):
        if args[i](ev) is not True:
            return args[i + 1](ev)
    return None


@eval_function("nullif", 2, usage="nullif(<a>, <b>)", nulls=False)
def _nullif(a, b):
    """Null when the two arguments are equal, else the first."""
    if a is not None and b is not None and compare_values(a, b) == 0:
        return None
    return a


@eval_function("null", 0, usage="null()")
def _null():
    """Null: assigning it removes the field."""
    return None


@eval_function("true", 0, usage="true()", boolean=True)
def _true():
    """Boolean true."""
    return True


@eval_function("false", 0, usage="false()", boolean=True)
def _false():
    """Boolean false."""
    return False


@eval_function("isnull", 1, usage="isnull(<value>)", nulls=False, boolean=True)
def _isnull(v):
    """Whether the value is null (the field is missing)."""
    return v is None


@eval_function("isnotnull", 1, usage="isnotnull(<value>)", nulls=False, boolean=True)
def _isnotnull(v):
    """Whether the value is not null."""
    return v is not None


@eval_function("isnum", 1, usage="isnum(<value>)", nulls=False, boolean=True)
def _isnum(v):
    """Whether the value is a number (a field holding "42" counts)."""
    return v is not None and type(v) is not bool and to_number(v) is not None


@eval_function("isint", 1, usage="isint(<value>)", nulls=False, boolean=True)
def _isint(v):
    """Whether the value is a whole number."""
    n = to_number(v) if type(v) is not bool else None
    return n is not None and n == int(n)


@eval_function("isstr", 1, usage="isstr(<value>)", nulls=False, boolean=True)
def _isstr(v):
    """Whether the value is a string (a field holding "42" is both string and number)."""
    return type(v) is str or (type(v) is list and bool(v))


@eval_function("isbool", 1, usage="isbool(<value>)", nulls=False, boolean=True)
def _isbool(v):
    """Whether the value is a Boolean."""
    return type(v) is bool


@eval_function("typeof", 1, usage="typeof(<value>)", nulls=False)
def _typeof(v):
    """Number, String, Bool or Invalid (for null)."""
    if v is None:
        return "Invalid"
    if type(v) is bool:
        return "Bool"
    if type(v) is list:
        return "Multivalue" if len(v) > 1 else _typeof(v[0])
    return "Number" if to_number(v) is not None else "String"


@eval_function("in", 2, None, usage="in(<value>, <v1>, <v2>, ...)", nulls=False, boolean=True)
def _in(v, *items):
    """Whether the value equals one of the listed values (exactly, no wildcards)."""
    if v is None:
        return None
    return any(compare_values(x, i) == 0 for i in items if i is not None for x in values_of(v))


@eval_function("like", 2, usage='like(<text>, "<pattern with % and _>")', nulls=False, boolean=True)
def _like(v, pattern):
    """SQL LIKE: % matches any run of characters, _ exactly one."""
    return like(v, pattern)


def regex(pattern: str, command: str = "eval"):
    """A compiled PCRE-style pattern whose matches stop at the regex time limit."""
    return compile_regex(pattern, command=command)


@eval_function("match", 2, usage='match(<text>, "<regex>")', nulls=False, boolean=True, regex_arg=1)
def _match(v, pattern):
    """Whether the regex matches anywhere in the text (unanchored, case-sensitive)."""
    if v is None or pattern is None:
        return None
    rx = regex(to_string(pattern))
    return any(rx.search(to_string(x)) is not None for x in values_of(v))


@eval_function("cidrmatch", 2, usage='cidrmatch("<cidr>", <ip>)', nulls=False, boolean=True)
def _cidrmatch(cidr, ip):
    """Whether the IP address (v4 or v6) is inside the subnet."""
    if cidr is None or ip is None:
        return None
    return cidr_contains(to_string(cidr), to_string(first_value(ip)))


def cidr_contains(cidr: str, ip: str) -> bool:
    try:
        return ipaddress.ip_address(ip.strip()) in ipaddress.ip_network(cidr.strip(), strict=False)
    except ValueError:
        return False


@eval_function("searchmatch", 1, usage='searchmatch("<search terms>")', builder=True, boolean=True)
def _searchmatch(env, nodes, args, compiler):
    """Whether the event matches the search terms, with search's rules (case-insensitive)."""
    from ..syntax import ast
    node = nodes[0]
    if not isinstance(node, ast.Literal) or not isinstance(node.value, str):
        from ..errors import SplError
        raise SplError("searchmatch() takes a quoted search string.", command=compiler.command,
                       span=node.span)
    test = compiler.search_test(node.value, node.span)
    return lambda ev: test(ev)
