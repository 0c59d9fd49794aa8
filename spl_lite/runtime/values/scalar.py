"""Single values and multivalues: null, number/string coercion, comparison, sort order, wildcards."""
from __future__ import annotations

import ipaddress
import math
import re
from typing import Any, Iterator

Value = Any


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

_SURROGATE = re.compile(r"[\ud800-\udfff]")
# The text eval reads as a number, as Splunk's C library reads it (strtod): ASCII digits only
# (Python's int() also takes "١٢"), white space around it, and the words nan, inf and infinity.
# The SQL engines use these same patterns (spl_lite.sql.values), so both read the same numbers.
SPACE = r"[ \t\n\r\f\x0b]*"  # ASCII white space, spelt so RE2 and Java read it alike
NUMBER = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
SPECIAL = r"[+-]?(?:[nN][aA][nN]|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?)"
_NUM_RE = re.compile(f"{SPACE}(?:({NUMBER})|({SPECIAL})){SPACE}\\Z")
# Past 2**53 an integer is a double, as every Splunk number is (the SQL engines' too): 2**53+1
# is 9007199254740992, 9223372036854775807+1 is 9.223372036854776e18.
EXACT = 2 ** 53
# What a function raises on a value out of its range (int of inf or NaN, 1e308 ** 2): its answer
# is null, as Splunk's is for a value a function cannot take; every caller of functions catches it.
OUT_OF_RANGE = (OverflowError, ValueError)
# tonumber()'s stricter reading: no white space around the number.
STRICT_NUMBER = re.compile(f"(?:{NUMBER}|{SPECIAL})\\Z")


# Case-insensitive matching compares text as Python's str.lower() leaves it, in search terms
# and in `lower()` alike. Two characters outside ASCII lower to ASCII letters: the Kelvin sign
# to "k" and the dotted capital I to "i" and a combining dot. A search of raw bytes for
# lower-case ASCII text must also look at events holding them (by their UTF-8 bytes).
LOWERS_TO_ASCII = {"k": "\u212a".encode(), "i": "\u0130".encode()}


def folded_bytes(text: bytes) -> tuple[bytes, ...]:
    """The UTF-8 of the characters outside ASCII whose lower case gives a letter of ``text``."""
    return tuple(b for letter, b in LOWERS_TO_ASCII.items() if letter.encode() in text)


def holds_lowered(raw: bytes, text: bytes) -> bool:
    """Whether ``raw`` lowered (as str.lower() lowers) holds the lower-case ``text``."""
    if text in raw.lower():
        return True
    # Only those two characters can make lowering as str differ from lowering as bytes here.
    return any(b in raw for b in folded_bytes(text)) and \
        text in raw.decode("utf-8", "replace").lower().encode("utf-8")


def whole(n: int) -> int | float:
    """An integer as Splunk holds it: exact up to 2**53, a double beyond."""
    return n if -EXACT <= n <= EXACT else float(n)


def to_number(v: Value) -> int | float | None:
    """A number when the value looks like one (eval reads "8080" as 8080), else None."""
    t = type(v)
    if t is int:
        return v if -EXACT <= v <= EXACT else float(v)
    if t is float:
        return v
    if t is bool:
        return None
    if t is list:
        return to_number(v[0]) if len(v) == 1 else None
    if t is str:
        m = _NUM_RE.match(v) if v else None
        if m is None:
            return None
        text = m.group(1)
        if text is None:
            return float(m.group(2))  # nan, inf, infinity
        try:
            n = int(text)
        except ValueError:
            return float(text)
        return n if -EXACT <= n <= EXACT else float(n)
    return None


def to_ordered_number(v: Value) -> int | float | None:
    """A number that has a place among numbers: to_number, but None for NaN, which sorts with
    the text values and which the numeric statistics (sum, avg, min, max...) pass over."""
    n = to_number(v)
    return None if n != n else n


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
    decimals: int

    def __new__(cls, value: float, decimals: int):
        obj = super().__new__(cls, value)
        obj.decimals = decimals
        return obj

    def __str__(self) -> str:
        return f"{float(self):.{self.decimals}f}"




def output_value(v: Value) -> Value:
    """A value as Result.rows holds it: only str, int (64-bit), float, list or None leave the
    engine, so JSON, CSV and the library all take it as it is."""
    t = type(v)
    if t is str:
        # Half a UTF-16 pair (printf("%c", 55296), urldecode, a JSON escape in a field) cannot
        # be written as UTF-8: it leaves as U+FFFD, the replacement character.
        if v.isascii() or _SURROGATE.search(v) is None:
            return v
        return _SURROGATE.sub("\ufffd", v)
    if v is None:
        return v
    if t is list:
        # A multivalue of one value is a single value; of none, null.
        if len(v) < 2:
            return output_value(v[0]) if v else None
        return [output_value(x) for x in v]
    if t is float or t is Rounded:
        v = float(v)
        if v.is_integer() and abs(v) < 1e16:
            return int(v)
        return v  # NaN and infinities stay floats (JSON writes them as null)
    if t is int:
        return v if -2 ** 63 <= v < 2 ** 63 else float(v)
    if t is bool:
        return "true" if v else "false"
    return to_string(v)


# ------------------------------------------------------------------ comparison

def compare_values(a: Value, b: Value) -> int | None:
    """eval's comparison: numeric when both sides are numbers, else case-sensitive text.

    None when the two are unordered: NaN (a number to Splunk, as "nan" and "NaN" are) compared
    with any number, itself included. Splunk compares doubles, so as IEEE 754 has it every
    comparison with NaN is false but !=, which is true: `where v=10` and `where v>5` drop a
    "nan", `where v!=10` keeps it. Callers read None that way."""
    na, nb = to_number(a), to_number(b)
    if na is not None and nb is not None:
        if na != na or nb != nb:  # NaN
            return None
        return (na > nb) - (na < nb)
    sa, sb = to_string(a), to_string(b)
    if sa is None or sb is None:
        return (sa is not None) - (sb is not None)  # null sorts before any value
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
    n = to_ordered_number(v)
    if n is not None:
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
    n = to_ordered_number(first_value(v))
    if n is None:
        return sort_key_str(v)
    return (0, n, "")


def sort_key_ip(v: Value) -> tuple:
    s = to_string(first_value(v))
    ip = _ip_key(s) if s is not None else None
    return (1, ip, "") if ip is not None else sort_key_str(v)




# ------------------------------------------------------------------ wildcards

class Wildcard:
    """A whole-value pattern where ``*`` (or LIKE's ``%``) matches any run and LIKE's ``_`` one
    character, matched in linear time: a regex backtracks exponentially on ``*e*e*e*zzq``.

    The pieces between runs are found leftmost, one after another, which is always right when
    every run may match anything.
    """

    __slots__ = ("pieces", "fold", "min_len", "match")

    def __init__(self, pattern: str, ignore_case: bool = True, any_run: str = "*", any_one: str | None = None):
        self.fold = ignore_case
        text = pattern.lower() if ignore_case else pattern
        self.pieces = [_Piece(p, any_one) for p in text.split(any_run)]
        self.min_len = sum(p.length for p in self.pieces)
        self.match = self._shortcut() or self._match

    def _shortcut(self):
        """The common shapes (x*, *x, *x*) as one string method: most patterns are these."""
        texts = [p.text for p in self.pieces]
        if len(texts) not in (2, 3) or any(p.rx is not None for p in self.pieces) or texts[-1] and len(texts) == 3:
            return None
        lower = str.lower if self.fold else None
        if len(texts) == 3 and not texts[0]:
            middle = texts[1]
            return (lambda v: middle in v.lower()) if lower else (lambda v: middle in v)
        if len(texts) == 2 and not texts[1]:
            head = texts[0]
            return (lambda v: v.lower().startswith(head)) if lower else (lambda v: v.startswith(head))
        if len(texts) == 2 and not texts[0]:
            tail = texts[1]
            return (lambda v: v.lower().endswith(tail)) if lower else (lambda v: v.endswith(tail))
        return None

    def _match(self, value: str) -> bool:
        s = value.lower() if self.fold else value
        pieces = self.pieces
        if len(pieces) == 1:
            return len(s) == self.min_len and pieces[0].at(s, 0)
        if len(s) < self.min_len:
            return False
        first, last = pieces[0], pieces[-1]
        pos, end = first.length, len(s) - last.length
        if not first.at(s, 0) or not last.at(s, end):
            return False
        for p in pieces[1:-1]:
            pos = p.find(s, pos, end)
            if pos < 0:
                return False
        return True


    def runs(self, value: str, greedy: bool = False) -> list[str] | None:
        """What each * matched when the whole value matches (None when it does not), in linear
        time, as a regex of (.*?) runs captures them (greedy: of (.*) runs). Lazy runs take each
        piece at its leftmost place, greedy ones at its rightmost, found from the end. Patterns
        without single-character wildcards."""
        s = value.lower() if self.fold else value
        texts = [p.text for p in self.pieces]
        if len(texts) == 1:
            return [] if s == texts[0] else None
        if len(s) < self.min_len or len(s) != len(value) or not s.startswith(texts[0]) \
                or not s.endswith(texts[-1]):
            return None
        lo, hi = len(texts[0]), len(s) - len(texts[-1])
        starts = []
        if greedy:
            pos = hi
            for t in reversed(texts[1:-1]):
                pos = s.rfind(t, lo, pos)
                if pos < 0:
                    return None
                starts.append(pos)
            starts.reverse()
        else:
            pos = lo
            for t in texts[1:-1]:
                i = s.find(t, pos, hi)
                if i < 0:
                    return None
                starts.append(i)
                pos = i + len(t)
        ends = [lo] + [i + len(t) for i, t in zip(starts, texts[1:-1])]
        return [value[a:b] for a, b in zip(ends, starts + [hi])]


class _Piece:
    """Literal text between runs; with single-character wildcards, a fixed-length regex."""

    __slots__ = ("text", "rx", "length")

    def __init__(self, text: str, any_one: str | None):
        self.text, self.length = text, len(text)
        self.rx = None
        if any_one is not None and any_one in text:
            # Fixed length: this regex cannot backtrack.
            self.rx = re.compile("".join("." if c == any_one else re.escape(c) for c in text), re.DOTALL)

    def at(self, s: str, pos: int) -> bool:
        if self.rx is None:
            return s.startswith(self.text, pos)
        return self.rx.match(s, pos) is not None

    def find(self, s: str, pos: int, end: int) -> int:
        """Where the piece ends, found leftmost in s[pos:end]; -1 if it is not there."""
        if self.rx is None:
            i = s.find(self.text, pos, end)
            return i if i < 0 else i + self.length
        m = self.rx.search(s, pos, end)
        return -1 if m is None else m.end()


_WILDCARD_CACHE: dict[tuple[str, bool], Wildcard] = {}


def wildcard_regex(pattern: str, ignore_case: bool = True) -> Wildcard:
    """A matcher for a Splunk wildcard pattern where ``*`` matches any run (``.match(text)``)."""
    key = (pattern, ignore_case)
    rx = _WILDCARD_CACHE.get(key)
    if rx is None:
        if len(_WILDCARD_CACHE) > 10_000:
            _WILDCARD_CACHE.clear()
        rx = _WILDCARD_CACHE[key] = Wildcard(pattern, ignore_case)
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


# SQL's LIKE, as eval's LIKE operator and like() take it.
_LIKE_CACHE: dict[str, Wildcard] = {}


def like_regex(pattern: str) -> Wildcard:
    """SQL LIKE: % is any run, _ one character, anchored at both ends (case-sensitive)."""
    rx = _LIKE_CACHE.get(pattern)
    if rx is None:
        if len(_LIKE_CACHE) > 10_000:
            _LIKE_CACHE.clear()
        rx = _LIKE_CACHE[pattern] = Wildcard(pattern, ignore_case=False, any_run="%", any_one="_")
    return rx


def like(a, b):
    if a is None or b is None:
        return None
    rx = like_regex(to_string(b))
    return any(rx.match(to_string(x)) for x in values_of(a))
