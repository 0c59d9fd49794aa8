"""Every rule about values: null, multivalue, number/string coercion, comparison, field paths.

An event is a plain dict of field name -> value. Events loaded from JSON keep their parsed
body under the key ``BODY`` and resolve Splunk's flattened names (``a.b``, ``a{}.b``) from it
on demand, so loading never pays for flattening and the body is shared, never copied. A flat
key always wins over the body, and a flat ``None`` hides a body field (it was removed or
set to null by a command).

Values:
    None            null (missing)
    str             a single value, as extracted (JSON numbers keep their text)
    int | float     a number computed by eval or stats
    list            a multivalue: an ordered list of single values (never empty)
    bool            only inside eval; it cannot be stored in a field
"""
from __future__ import annotations

import ipaddress
import math
import re
from typing import Any, Callable, Iterator

Value = Any
Event = dict

BODY = "\x00body"  # the parsed JSON body, shared with the store
RAW = "\x00raw"  # the event's text: str, bytes, or an offset into its file's buffer
ORIGIN = "\x00origin"  # a dict shared by the events of one file: index, sourcetype, source, host
BUFFER = "\x00buffer"  # in an origin: the file's bytes, which offsets in RAW point into
METADATA = frozenset(("_raw", "index", "sourcetype", "source", "host"))


def raw_bytes(event: Event):
    """The event's text as loaded: str or bytes (None for results that have no _raw)."""
    raw = event.get(RAW)
    if type(raw) is int:
        buffer = event[ORIGIN][BUFFER]
        end = buffer.find(b"\n", raw)
        line = buffer[raw:end if end >= 0 else len(buffer)]
        return line[:-1] if line.endswith(b"\r") else line
    return raw


def raw_text(event: Event) -> str | None:
    raw = raw_bytes(event)
    return raw.decode("utf-8", "replace") if type(raw) is bytes else raw


def _metadata(event: Event, name: str) -> Value:
    if name == "_raw":
        return raw_text(event)
    origin = event.get(ORIGIN)
    return origin.get(name) if origin is not None else None


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
    for k, v in obj.items():
        key = prefix + k
        t = type(v)
        if t is dict:
            if v:
                json_leaves(v, key + ".", emit)
        elif t is list:
            _array_leaves(v, key + "{}", emit)
        else:
            emit(key, v)


def _array_leaves(arr: list, key: str, emit) -> None:
    for v in arr:
        t = type(v)
        if t is dict:
            if v:
                json_leaves(v, key + ".", emit)
        elif t is list:
            _array_leaves(v, key + "{}", emit)
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


def get_field(event: Event, name: str) -> Value:
    """The value of a field in an event (None when missing)."""
    if name in event:
        return event[name]
    body = event.get(BODY)
    if body is None:
        return None
    if name in METADATA:
        return _metadata(event, name)
    return body_value(body, name)


_MISSING = object()
_GETTERS: dict[str, "Callable[[Event], Value]"] = {}


def field_getter(name: str):
    """A fast function event -> value for one field name (what get_field does, specialised)."""
    getter = _GETTERS.get(name)
    if getter is None:
        getter = _GETTERS[name] = _make_getter(name)
    return getter


def _make_getter(name: str):
    if name in METADATA or "{" in name:
        return lambda ev: get_field(ev, name)
    keys = name.split(".")
    if len(keys) == 1:
        def get_top(ev):
            v = ev.get(name, _MISSING)
            if v is not _MISSING:
                return v
            body = ev.get(BODY)
            if body is None:
                return None
            v = body.get(name)
            if type(v) is str:
                return v
            if v is None:
                return "null" if name in body else None
            return None if type(v) is dict or type(v) is list else json_scalar(v)
        return get_top
    parents, last = keys[:-1], keys[-1]

    def get_nested(ev):
        v = ev.get(name, _MISSING)
        if v is not _MISSING:
            return v
        body = ev.get(BODY)
        if body is None:
            return None
        node = body
        for k in parents:
            nxt = node.get(k)
            if type(nxt) is not dict:
                if nxt is None and k not in node:
                    prefix = k + "."
                    for key in node:
                        if key.startswith(prefix):
                            return body_value(body, name)  # a key that holds dots
                    return None
                return body_value(body, name)  # arrays, or keys that hold dots
            node = nxt
        v = node.get(last, _MISSING)
        if type(v) is str:
            return v
        if v is _MISSING:
            return None if name not in body else body_value(body, name)
        if v is None:
            return "null"
        return None if type(v) is dict or type(v) is list else json_scalar(v)
    return get_nested


def event_fields(event: Event) -> dict:
    """Every non-null field of the event, flattened, as a new dict."""
    body = event.get(BODY)
    out = flatten(body) if body is not None else {}
    if body is not None:
        for name in METADATA:
            v = _metadata(event, name)
            if v is not None:
                out[name] = v
    for k, v in event.items():
        if k[:1] == "\x00":
            continue
        if v is None:
            out.pop(k, None)
        else:
            out[k] = v
    return out


def field_names(event: Event) -> set[str]:
    """The names of the event's non-null fields."""
    body = event.get(BODY)
    out: set[str] = set()
    if body is not None:
        json_leaves(body, "", lambda key, v: out.add(key))
        out.update(n for n in METADATA if _metadata(event, n) is not None)
    for k, v in event.items():
        if k[:1] == "\x00":
            continue
        if v is None:
            out.discard(k)
        else:
            out.add(k)
    return out


def set_field(event: Event, name: str, value: Value) -> None:
    """Write a field on an event that the caller already owns (a copy)."""
    if type(value) is list:
        if not value:
            value = None
        elif len(value) == 1:
            value = value[0]
    event[name] = value


def remove_field(event: Event, name: str) -> None:
    """Remove a field from an event the caller owns; a body field is hidden, not deleted."""
    if BODY in event:
        event[name] = None
    else:
        event.pop(name, None)


def copy_event(event: Event) -> Event:
    """A copy that a command may write to; the JSON body stays shared."""
    return dict(event)


def materialize(event: Event) -> Event:
    """An event with every field flat and no shared body (for commands that rebuild rows)."""
    if BODY not in event:
        return dict(event)
    return event_fields(event)


# ------------------------------------------------------------------ multivalue

def values_of(v: Value) -> list:
    """The single values of a field: [] for null, the list for a multivalue."""
    if v is None:
        return []
    if type(v) is list:
        return v
    return [v]


def first_value(v: Value) -> Value:
    if type(v) is list:
        return v[0] if v else None
    return v


# ------------------------------------------------------------------ numbers and strings

_NUM_RE = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*\Z")


def to_number(v: Value) -> int | float | None:
    """A number when the value looks like one (eval reads "8080" as 8080), else None."""
    t = type(v)
    if t is int or t is float:
        return v
    if t is bool:
        return None
    if t is list:
        return to_number(v[0]) if len(v) == 1 else None
    if t is str:
        if not v or not _NUM_RE.match(v):
            if v in ("nan", "NaN"):
                return math.nan
            return None
        s = v.strip()
        try:
            return int(s)
        except ValueError:
            return float(s)
    return None


def is_number(v: Value) -> bool:
    return to_number(v) is not None


def format_number(n: float | int) -> str:
    """Splunk prints integral doubles without a decimal point and others at full precision."""
    if type(n) is int:
        return str(n)
    if math.isnan(n):
        return "nan"
    if math.isinf(n):
        return "inf" if n > 0 else "-inf"
    if n == int(n) and abs(n) < 1e16:
        return str(int(n))
    return repr(n)


def to_string(v: Value) -> str | None:
    """The text of a single value (None stays None; a multivalue gives its first value)."""
    t = type(v)
    if t is str:
        return v
    if v is None:
        return None
    if t is bool:
        return "True" if v else "False"
    if t is int or t is float:
        return format_number(v)
    if t is list:
        return to_string(v[0]) if v else None
    if isinstance(v, Rounded):
        return str(v)
    return str(v)


class Rounded(float):
    """A number that remembers how many decimals round() gave it: round(0.80499,4) -> 0.8050."""

    __slots__ = ("decimals",)

    def __new__(cls, value: float, decimals: int):
        obj = super().__new__(cls, value)
        obj.decimals = decimals
        return obj

    def __str__(self) -> str:
        return f"{float(self):.{self.decimals}f}"


def display(v: Value) -> str | list | None:
    """A value as Splunk shows it: text, a list of texts, or None."""
    if type(v) is list:
        return [to_string(x) for x in v]
    if isinstance(v, Rounded):
        return str(v)
    return to_string(v)


def output_value(v: Value) -> Value:
    """A value as Result.rows holds it: str, int, float, list or None."""
    t = type(v)
    if t is list:
        # A multivalue of one value is a single value; of none, null.
        if len(v) < 2:
            return output_value(v[0]) if v else None
        return [output_value(x) for x in v]
    if t is Rounded:
        return v  # a float that prints with round()'s decimals
    if t is float and v == int(v) and abs(v) < 1e16 and not math.isinf(v):
        return int(v)
    return v


# ------------------------------------------------------------------ comparison

def compare_values(a: Value, b: Value) -> int:
    """eval's comparison: numeric when both sides are numbers, else case-sensitive text."""
    na, nb = to_number(a), to_number(b)
    if na is not None and nb is not None:
        return (na > nb) - (na < nb)
    sa, sb = to_string(a), to_string(b)
    return (sa > sb) - (sa < sb)


def _ip_key(s: str):
    try:
        ip = ipaddress.ip_address(s)
    except ValueError:
        return None
    return (ip.version, int(ip))


def sort_key_auto(v: Value) -> tuple:
    """Order used by sort's auto mode and by stats group rows.

    Numbers first, numerically; then IP addresses; then strings by UTF-8 bytes, so digits
    sort before upper case before lower case.
    """
    v = first_value(v)
    n = to_number(v)
    if n is not None and not (type(n) is float and math.isnan(n)):
        return (0, n, "")
    s = to_string(v)
    if s is None:
        return (3, 0, "")
    ip = _ip_key(s) if s[:1].isdigit() or ":" in s else None
    if ip is not None:
        return (1, ip, "")
    return (2, 0, s)


def sort_key_str(v: Value) -> tuple:
    s = to_string(first_value(v))
    return (3, 0, "") if s is None else (2, 0, s)


def sort_key_num(v: Value) -> tuple:
    n = to_number(first_value(v))
    if n is None:
        return sort_key_str(v)
    return (0, n, "")


def sort_key_ip(v: Value) -> tuple:
    s = to_string(first_value(v))
    ip = _ip_key(s) if s is not None else None
    return (1, ip, "") if ip is not None else sort_key_str(v)


def is_truthy(v: Value) -> bool:
    """Whether a where/if condition holds: null and non-Boolean values count as false."""
    return v is True


# ------------------------------------------------------------------ wildcards

_WILDCARD_CACHE: dict[tuple[str, bool], re.Pattern] = {}


def wildcard_regex(pattern: str, ignore_case: bool = True) -> re.Pattern:
    """A compiled regex for a Splunk wildcard pattern where ``*`` matches any run."""
    key = (pattern, ignore_case)
    rx = _WILDCARD_CACHE.get(key)
    if rx is None:
        body = ".*".join(re.escape(p) for p in pattern.split("*"))
        rx = re.compile(body + r"\Z", re.DOTALL | (re.IGNORECASE if ignore_case else 0))
        _WILDCARD_CACHE[key] = rx
    return rx


def match_field_names(pattern: str, names) -> Iterator[str]:
    """Field names matching a wildcard pattern (field names are case-sensitive)."""
    if "*" not in pattern:
        if pattern in names:
            yield pattern
        return
    rx = wildcard_regex(pattern, ignore_case=False)
    for n in names:
        if rx.match(n):
            yield n
