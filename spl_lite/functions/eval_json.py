"""JSON eval functions that build and change JSON text: json_object, json_array, json_set,
json_append, json_extend, json_delete, json_extract_exact, json_entries.

Eval values are text, so a value that is itself JSON text of an object or array (the output of
another json_* function) is embedded as JSON, as Splunk embeds its JSON values; numbers stay
numbers and other text is a JSON string.
"""
from __future__ import annotations

import orjson

from ..runtime.values import json_scalar, to_number, to_string
from .eval_text import json_text_or_scalar, parse_json_path
from .registry import eval_function


def to_json(v):
    """An eval value as a JSON value."""
    if v is None:
        return None
    if type(v) is list:
        return [to_json(x) for x in v]
    if type(v) is bool:
        return v
    if type(v) in (int, float):
        return v
    text = to_string(v)
    if text[:1] in ("{", "["):
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    n = to_number(v) if type(v) is not str else None
    return n if n is not None else text


def _dump(doc) -> str:
    return orjson.dumps(doc).decode()


def _load(v):
    try:
        return orjson.loads(to_string(v))
    except orjson.JSONDecodeError:
        return None


@eval_function("json_object", 0, None, usage='json_object(<key>, <value>, ...)', nulls=False)
def _json_object(*args):
    """A JSON object from key and value pairs."""
    if len(args) % 2:
        return None
    return _dump({to_string(args[i]): to_json(args[i + 1]) for i in range(0, len(args), 2)})


@eval_function("json_array", 0, None, usage="json_array(<value>, ...)", nulls=False)
def _json_array(*args):
    """A JSON array of the values."""
    return _dump([to_json(a) for a in args])


def _steps(path, exact: bool) -> list:
    text = to_string(path) or ""
    return [text] if exact else parse_json_path(text)


def _set(doc, steps: list, value, mode: str):
    """Put ``value`` at the path (making objects on the way); mode set, append or extend."""
    node = doc
    for i, step in enumerate(steps):
        last = i == len(steps) - 1
        if type(step) is int:
            if type(node) is not list or not -len(node) <= step < len(node):
                return False
            if last:
                return _place(node, step, value, mode)
            node = node[step]
            continue
        if type(node) is not dict or step == "*":
            return False
        if last:
            return _place(node, step, value, mode)
        if type(node.get(step)) not in (dict, list):
            node[step] = {}
        node = node[step]
    return False


def _place(parent, key, value, mode: str) -> bool:
    if mode == "set":
        parent[key] = value
        return True
    current = parent[key] if (type(parent) is list or key in parent) else None
    if type(current) is not list:
        return False
    if mode == "append":
        current.append(value)
    else:
        current.extend(value if type(value) is list else [value])
    return True


def _changer(mode: str, exact: bool = False):
    def fn(doc_text, *pairs):
        doc = _load(doc_text)
        if doc is None or len(pairs) % 2:
            return None
        for i in range(0, len(pairs), 2):
            _set(doc, _steps(pairs[i], exact), to_json(pairs[i + 1]), mode)
        return _dump(doc)
    return fn


def _registered(name: str, usage: str, summary: str, mode: str, exact: bool = False):
    fn = _changer(mode, exact)
    fn.__doc__ = summary
    eval_function(name, 3, None, usage=usage, nulls=False)(fn)


_registered("json_set", 'json_set(<json>, "<path>", <value>, ...)',
            "Set the values at paths in JSON text (objects made on the way).", "set")
_registered("json_set_exact", 'json_set_exact(<json>, "<key>", <value>, ...)',
            "Set values at keys taken as written (a key may hold dots).", "set", exact=True)
_registered("json_append", 'json_append(<json>, "<path>", <value>, ...)',
            "Append values to the arrays at paths in JSON text.", "append")
_registered("json_extend", 'json_extend(<json>, "<path>", <json array>, ...)',
            "Add the elements of an array to the array at a path in JSON text.", "extend")


@eval_function("json_delete", 2, None, usage='json_delete(<json>, "<path>", ...)')
def _json_delete(doc_text, *paths):
    """JSON text without the keys (or array elements) at the paths."""
    doc = _load(doc_text)
    if doc is None:
        return None
    for p in paths:
        steps = parse_json_path(to_string(p))
        node = doc
        for step in steps[:-1]:
            node = node.get(step) if type(node) is dict else (
                node[step] if type(node) is list and type(step) is int and -len(node) <= step < len(node) else None)
        last = steps[-1] if steps else None
        if type(node) is dict and last in node:
            del node[last]
        elif type(node) is list and type(last) is int and -len(node) <= last < len(node):
            del node[last]
    return _dump(doc)


@eval_function("json_extract_exact", 1, None, usage='json_extract_exact(<json>, "<key>", ...)')
def _json_extract_exact(doc_text, *keys):
    """The values of top-level keys taken as written (a key may hold dots); several give an array."""
    doc = _load(doc_text)
    if type(doc) is not dict:
        return None
    if not keys:
        return json_text_or_scalar(doc)
    found = [doc.get(to_string(k)) for k in keys]
    if len(found) == 1:
        return None if found[0] is None else json_text_or_scalar(found[0])
    return _dump(found)


@eval_function("json_entries", 1, usage="json_entries(<json object>)")
def _json_entries(doc_text):
    """A JSON array of {"key": ..., "value": ...} objects, one per key of the object."""
    doc = _load(doc_text)
    if type(doc) is not dict:
        return None
    return _dump([{"key": k, "value": v} for k, v in doc.items()])



@eval_function("lookup", 2, 3, usage='lookup("<lookup table>", <json object of inputs>, [<json array of outputs>])',
               builder=True)
def _lookup(env, nodes, args, compiler):
    """The output fields of the first lookup row matching the inputs, as a JSON object
    (lookup("users.csv", json_object("uid", uid), json_array("name"))); all its fields without
    the third argument."""
    from ..lookups import LookupTable, lookup_path
    from ..syntax import ast
    table_node = nodes[0]
    if not isinstance(table_node, ast.Literal) or not isinstance(table_node.value, str):
        from ..errors import SplError
        raise SplError("lookup() takes the lookup table's name as a quoted string.", command=compiler.command,
                       span=table_node.span)
    path = lookup_path(env.services.lookups_dir, table_node.value, command=compiler.command, span=table_node.span,
                       must_exist=not env.validating)
    cache: dict = {}

    def run(ev):
        if "table" not in cache:
            cache["table"] = LookupTable.read(path, compiler.command, table_node.span)
        inputs = _load(args[1](ev))
        if type(inputs) is not dict or not inputs:
            return None
        outputs = _load(args[2](ev)) if len(args) > 2 else None
        table = cache["table"]
        names = list(inputs)
        rows = table.matcher(names)(tuple(json_scalar(inputs[n]) for n in names))
        if not rows:
            return None
        row = rows[0]
        wanted = [to_string(o) for o in outputs] if type(outputs) is list else \
            [c for c in table.columns if c not in names]
        return _dump({c: row.get(c) for c in wanted if row.get(c) is not None})
    return run
