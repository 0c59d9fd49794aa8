"""The Python functions the SQL engines call: eval and stats functions (the memory engine's
own, so their answers are the same by construction), Splunk's sort order as sortable text, and
numbers printed as Python prints them. Each engine registers them under the spl_* names."""
from __future__ import annotations

import ipaddress
import math
import struct

import orjson

from ..functions import EVAL_FUNCTIONS, stats_functions
from ..runtime.values.scalar import OUT_OF_RANGE
from ..runtime.values import Rounded, output_value, sort_key_auto, to_number, to_string

def output(value, kind: str):
    if kind == "json":
        value = _from_json(value)
        if isinstance(value, Rounded):
            return value  # Result keeps its decimals for display
    if kind == "num" and isinstance(value, float) and math.isnan(value):
        return value
    return output_value(value)


def eval_function(name: str, args: list):
    """An eval function as the memory engine calls it, on arguments given as JSON."""
    spec = EVAL_FUNCTIONS[name]
    values = [_from_json(a) for a in args]
    if spec.propagate_nulls and any(v is None for v in values):
        result = None
    else:
        assert spec.impl is not None  # only lazy functions (if, case) have none, and they are not UDFs
        try:
            result = spec.impl(*values)
        except OUT_OF_RANGE:  # null, as in memory
            result = None
    if spec.returns_bool:
        return result if isinstance(result, bool) else None
    return None if result is None else _to_json(result)


def _to_json(value) -> str:
    if isinstance(value, Rounded):  # round(x, 4) keeps its decimals for display
        return orjson.dumps({ROUNDED: [float(value), value.decimals]}).decode()
    value = output_value(value)
    if isinstance(value, float) and not math.isfinite(value):  # JSON has no NaN or infinity
        return orjson.dumps({DOUBLE: repr(value)}).decode()
    if isinstance(value, list) and any(isinstance(v, float) and not math.isfinite(v) for v in value):
        return orjson.dumps([{DOUBLE: repr(v)} if isinstance(v, float) and not math.isfinite(v) else v
                             for v in value]).decode()
    return orjson.dumps(value).decode()


def _from_json(text):
    value = orjson.loads(text) if text is not None else None
    if isinstance(value, dict) and ROUNDED in value:
        return Rounded(*value[ROUNDED])
    if isinstance(value, dict) and DOUBLE in value:
        return float(value[DOUBLE])
    if isinstance(value, list):
        return [float(v[DOUBLE]) if isinstance(v, dict) and DOUBLE in v else v for v in value]
    return value


ROUNDED = "$rounded"
DOUBLE = "$double"  # nan, inf and -inf, which JSON cannot write


def stats_function(name: str, values: list, times: list) -> str:
    """A stats function over a group's values in event order: the memory engine's own class."""
    state = stats_functions.lookup(name)()
    for value, t in zip(values, times):
        if value is not None:
            state.add(value, t)
    result = state.result()
    return orjson.dumps(output_value(list(result) if isinstance(result, list) else result),
                        option=orjson.OPT_SERIALIZE_NUMPY).decode()


# ------------------------------------------------------------------ Splunk's sort order as text
def _number_key(n: float) -> str:
    """A double as 16 hex digits that sort as the numbers do."""
    bits = struct.unpack(">Q", struct.pack(">d", float(n)))[0]
    bits = bits ^ 0xFFFFFFFFFFFFFFFF if bits >> 63 else bits | (1 << 63)
    return f"{bits:016x}"


def _auto_key(text):
    kind, key, s = sort_key_auto(text)
    if kind == 0:
        return "0" + _number_key(key)
    if kind == 1:
        return f"1{key[0]}{key[1]:032x}"
    return "2" + s if kind == 2 else "3"


def _num_key(text):
    n = to_number(text)
    return "0" + _number_key(n) if n is not None and not (isinstance(n, float) and math.isnan(n)) else "2" + text


def _ip_key(text):
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return "2" + text
    return f"1{ip.version}{int(ip):032x}"


SORT_KEYS = {"auto": _auto_key, "num": _num_key, "str": lambda text: "2" + text, "ip": _ip_key}



def number_text(n):
    """A double that is not a small whole number, as Python (and so the memory engine) prints it."""
    return None if n is None else to_string(n)


# lower() and upper() as Python (and the memory engine) has them, for text that is not ASCII.
TEXT_CASE = {"spl_lower": str.lower, "spl_upper": str.upper}
