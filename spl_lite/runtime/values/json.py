"""Splunk's JSON field extraction (KV_MODE=json) and flattened field paths (a.b{}.c)."""
from __future__ import annotations

from typing import Any, Callable

from .scalar import Value, format_number


# ------------------------------------------------------------------ JSON extraction (§0.1)

def json_scalar(v: Any) -> str:
    """Splunk's text for a JSON leaf: null -> "null", booleans lower-case, numbers as text."""
    if type(v) is str:
        return v
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if type(v) is float:
        return format_number(v)
    return str(v)


def json_leaves(obj: dict, prefix: str, emit: Callable[[str, Any], None]) -> None:
    """Call ``emit(name, value)`` for every leaf of a JSON object, named as Splunk names it:
    nested keys joined with ".", arrays marked "{}"; empty objects and arrays give nothing."""
    # A stack, not recursion: an event may nest a thousand levels deep. Children are pushed in
    # reverse so that leaves come out in document order.
    todo = [(prefix + k, v) for k, v in reversed(obj.items())]
    while todo:
        key, v = todo.pop()
        t = type(v)
        if t is dict:
            todo += [(key + "." + k, child) for k, child in reversed(v.items())]
        elif t is list:
            name = key + "{}"
            todo += [(name, child) for child in reversed(v)]
        else:
            emit(key, v)


def flatten(body: dict, prefix: str = "", out: dict | None = None) -> dict:
    """All leaf fields of a JSON object as Splunk's KV_MODE=json extracts them; an array that
    gives several values for one name makes a multivalue, in document order."""
    if out is None:
        out = {}
    json_leaves(body, prefix, lambda key, v: _add_value(out, key, json_scalar(v)))
    return out


def _add_value(out: dict, key: str, value: str) -> None:
    cur = out.get(key)
    if cur is None:
        out[key] = value
    elif type(cur) is list:
        cur.append(value)
    else:
        out[key] = [cur, value]


# ------------------------------------------------------------------ field paths

_PATH_CACHE: dict[str, tuple] = {}


def _compile_path(name: str) -> tuple:
    """Split a flattened field name into steps: (key, is_array) pairs.

    ``resources{}.ARN`` -> (("resources", True), ("ARN", False)). A nested array is
    ``a{}{}``.
    """
    steps = []
    for part in name.split("."):
        depth = 0
        while part.endswith("{}"):
            part = part[:-2]
            depth += 1
        steps.append((part, depth))
    return tuple(steps)


def _walk(node: Any, steps: tuple, i: int, out: list) -> None:
    if i == len(steps):
        if type(node) is dict or type(node) is list:
            return  # objects and arrays are not leaves, so they are not fields
        out.append(json_scalar(node))
        return
    if type(node) is not dict:
        return
    key, depth = steps[i]
    if key not in node:
        # A key that itself contains dots: try joining it with the following steps.
        for j in range(i + 1, len(steps)):
            joined = ".".join(s[0] for s in steps[i:j + 1])
            if steps[j][1] == 0 and all(s[1] == 0 for s in steps[i:j]) and joined in node:
                _walk(node[joined], steps, j + 1, out)
                return
        return
    child = node[key]
    if depth:
        _walk_array(child, depth, steps, i + 1, out)
    else:
        _walk(child, steps, i + 1, out)


def _walk_array(node: Any, depth: int, steps: tuple, i: int, out: list) -> None:
    if type(node) is not list:
        return
    for item in node:
        if depth > 1:
            _walk_array(item, depth - 1, steps, i, out)
        else:
            _walk(item, steps, i, out)


def body_value(body: dict, name: str) -> Value:
    """The value of a flattened field name inside a JSON body, or None."""
    v = body.get(name)
    if v is not None or name in body:
        t = type(v)
        if t is str:
            return v
        if t is not dict and t is not list:
            return json_scalar(v)
    steps = _PATH_CACHE.get(name)
    if steps is None:
        steps = _PATH_CACHE[name] = _compile_path(name)
    if len(steps) == 1 and not steps[0][1]:
        return None
    out: list = []
    _walk(body, steps, 0, out)
    if not out:
        return None
    return out[0] if len(out) == 1 else out
