"""Text, crypto and JSON eval functions."""
from __future__ import annotations

import hashlib
import urllib.parse

import orjson

from ..runtime.values import json_scalar, to_string, values_of
from ..runtime.regex import check_replacement
from .eval_conditional import regex
from .registry import eval_function


def _per_value(fn, v):
    if type(v) is list:
        return [fn(to_string(x)) for x in v]
    return fn(to_string(v))


@eval_function("len", 1, usage="len(<text>)")
def _len(v):
    """The number of characters in the text."""
    return len(to_string(v))


@eval_function("lower", 1, usage="lower(<text>)")
def _lower(v):
    """The text in lower case (each value of a multivalue)."""
    return _per_value(str.lower, v)


@eval_function("upper", 1, usage="upper(<text>)")
def _upper(v):
    """The text in upper case (each value of a multivalue)."""
    return _per_value(str.upper, v)


@eval_function("substr", 2, 3, usage="substr(<text>, <start>, [<length>])")
def _substr(v, start, length=None):
    """Part of the text; start counts from 1, a negative start from the end."""
    from ..runtime.values import to_number
    s = to_string(v)
    st = to_number(start)
    if st is None:
        return None
    st = int(st)
    if st > 0:
        begin = st - 1
    elif st < 0:
        begin = max(0, len(s) + st)
    else:
        begin = 0
    if length is None:
        return s[begin:]
    n = to_number(length)
    if n is None:
        return None
    n = int(n) - (1 if st == 0 else 0)  # SQLite: start 0 is one place before the first character
    return s[begin:begin + max(0, n)]


def _repl_template(repl: str) -> str:
    # Splunk writes back-references as \1; Python needs \g<1> to keep "\10" unambiguous.
    out, i = [], 0
    while i < len(repl):
        c = repl[i]
        if c == "\\" and i + 1 < len(repl) and repl[i + 1].isdigit():
            out.append(f"\\g<{repl[i + 1]}>")
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


@eval_function("replace", 3, usage='replace(<text>, "<regex>", "<replacement>")', regex_arg=1)
def _replace(v, pattern, repl):
    """Every match of the regex replaced; \\1 in the replacement is the first group."""
    rx = regex(to_string(pattern))
    template = _repl_template(to_string(repl))
    check_replacement(rx, template, to_string(repl))
    return _per_value(lambda s: rx.sub(template, s), v)


def _trim_fn(kind):
    def trim(v, chars=" \t"):
        chars = to_string(chars)
        method = {"both": str.strip, "left": str.lstrip, "right": str.rstrip}[kind]
        return _per_value(lambda s: method(s, chars), v)
    return trim


eval_function("trim", 1, 2, usage='trim(<text>, ["<chars>"])')(_trim_fn("both"))
eval_function("ltrim", 1, 2, usage='ltrim(<text>, ["<chars>"])')(_trim_fn("left"))
eval_function("rtrim", 1, 2, usage='rtrim(<text>, ["<chars>"])')(_trim_fn("right"))


@eval_function("split", 2, usage='split(<text>, "<delimiter>")')
def _split(v, delim):
    """A multivalue of the pieces between delimiters ("" splits into characters)."""
    s, d = to_string(v), to_string(delim)
    parts = list(s) if d == "" else s.split(d)
    return parts or None


@eval_function("urldecode", 1, usage="urldecode(<url>)")
def _urldecode(v):
    """The URL with %xx escapes decoded."""
    return urllib.parse.unquote_plus(to_string(v))


def _hash(algorithm):
    def digest(v):
        return hashlib.new(algorithm, to_string(v).encode("utf-8")).hexdigest()
    digest.__doc__ = f"The {algorithm.upper()} hex digest of the text."
    return digest


for _alg in ("md5", "sha1", "sha256", "sha512"):
    eval_function(_alg, 1, usage=f"{_alg}(<text>)")(_hash(_alg))


# ------------------------------------------------------------------ JSON

def parse_json_path(path: str) -> list:
    """``a.b{1}.c`` / ``a.b{}.c`` -> ['a', 'b', 1, 'c'] / ['a', 'b', '*', 'c']."""
    steps: list[str | int] = []
    for part in path.split("."):
        while part:
            brace = part.find("{")
            if brace < 0:
                steps.append(part)
                break
            if brace > 0:
                steps.append(part[:brace])
            close = part.find("}", brace)
            if close < 0:
                steps.append(part[brace:])  # an unclosed brace is part of a key name
                break
            inner = part[brace + 1:close]
            steps.append("*" if inner == "" else int(inner) if inner.lstrip("-").isdigit() else inner)
            part = part[close + 1:]
    return steps


def json_path_values(doc, steps: list, index_base: int = 0) -> list:
    nodes = [doc]
    for step in steps:
        nxt = []
        for n in nodes:
            if step == "*":
                if type(n) is list:
                    nxt.extend(n)
            elif type(step) is int:
                if type(n) is list:
                    i = step - index_base
                    if -len(n) <= i < len(n):
                        nxt.append(n[i])
            elif type(n) is dict and step in n:
                nxt.append(n[step])
            elif type(n) is list:
                nxt.extend(x[step] for x in n if type(x) is dict and step in x)
        nodes = nxt
    return nodes


def json_text_or_scalar(node):
    if type(node) is dict or type(node) is list:
        return orjson.dumps(node).decode()
    return json_scalar(node)


def spath_values(text, path: str):
    """What spath gives for a path: a value, a multivalue, JSON text for a subtree, or None."""
    try:
        doc = orjson.loads(text)
    except (orjson.JSONDecodeError, TypeError):
        return None
    found = json_path_values(doc, parse_json_path(path))
    vals: list = []
    for node in found:
        if type(node) is list and path.endswith("{}"):
            vals.extend(json_text_or_scalar(x) for x in node)
        else:
            vals.append(json_text_or_scalar(node))
    if not vals:
        return None
    return vals[0] if len(vals) == 1 else vals


@eval_function("spath", 2, usage='spath(<json field>, "<path>")')
def _spath(v, path):
    """The value at a path (a.b{0}.c) in a JSON text."""
    return spath_values(to_string(v), to_string(path))


@eval_function("json_extract", 1, None, usage='json_extract(<json>, "<path>", ...)')
def _json_extract(v, *paths):
    """Values at paths in a JSON text ({N} is 0-based); several paths give a JSON array."""
    try:
        doc = orjson.loads(to_string(v))
    except orjson.JSONDecodeError:
        return None
    if not paths:
        return json_text_or_scalar(doc)
    results = []
    for p in paths:
        found = json_path_values(doc, parse_json_path(to_string(p)))
        if not found:
            results.append(None)
        elif len(found) == 1:
            results.append(found[0])
        else:
            results.append(found)
    if len(results) == 1:
        r = results[0]
        return None if r is None else json_text_or_scalar(r)
    return orjson.dumps(results).decode()


@eval_function("json_valid", 1, usage="json_valid(<text>)", boolean=True)
def _json_valid(v):
    """Whether the text is valid JSON."""
    try:
        orjson.loads(to_string(v))
        return True
    except orjson.JSONDecodeError:
        return False


@eval_function("json_keys", 1, usage="json_keys(<json>)")
def _json_keys(v):
    """The keys of a JSON object, as a JSON array."""
    try:
        doc = orjson.loads(to_string(v))
    except orjson.JSONDecodeError:
        return None
    return orjson.dumps(list(doc)).decode() if type(doc) is dict else None


@eval_function("json_array_to_mv", 1, usage="json_array_to_mv(<json array>)")
def _json_array_to_mv(v):
    """The elements of a JSON array as a multivalue."""
    try:
        doc = orjson.loads(to_string(v))
    except orjson.JSONDecodeError:
        return None
    if type(doc) is not list:
        return None
    return [json_text_or_scalar(x) for x in doc] or None


@eval_function("mv_to_json_array", 1, 2, usage="mv_to_json_array(<multivalue>)")
def _mv_to_json_array(v, infer=None):
    """A multivalue as a JSON array of strings."""
    return orjson.dumps([to_string(x) for x in values_of(v)]).decode()

