"""Search terms (the ``search`` command and the leading search) compiled into event tests.

Splunk's rules (semantics.md §2): values match case-insensitively and as whole values, ``*`` is
a wildcard, a multivalue field matches when any value does, ``f!=v`` needs the field to exist
while ``NOT f=v`` also keeps events without it, and free-text terms match whole tokens of _raw.
"""
from __future__ import annotations

import re
from typing import Callable

import regex as _regex

from ..errors import SplError
from ..runtime.terms import CIDR as _CIDR, TIME_MODIFIERS, TimeRange, always as _ALWAYS
from ..runtime.timeutil import time_modifier
from ..runtime.values import wildcard_regex, event_fields, raw_bytes, field_getter, get_field, match_field_names, to_number, to_string, values_of

Test = Callable[[dict], bool]
_MISSING = object()

MAJOR_BREAKERS = " \t\n\r[]<>(){}|!;,'\"*&?+"
MINOR_BREAKERS = "/:=@.-$#%\\_"
_BREAK_CLASS = re.escape(MAJOR_BREAKERS + MINOR_BREAKERS)


def value_matcher(pattern: str) -> Callable[[object], bool]:
    """A test of one single value against a search value: case-insensitive, * wildcard, CIDR."""
    if pattern == "*":
        return lambda v: True
    if _CIDR.match(pattern):
        from ..functions.eval_conditional import cidr_contains
        low = pattern.lower()
        return lambda v: cidr_contains(pattern, to_string(v) or "") or (to_string(v) or "").lower() == low
    if "*" in pattern:
        rx = wildcard_regex(pattern)
        return lambda v: rx.match(to_string(v) or "")
    low = pattern.lower()
    if pattern.isascii():
        return lambda v: (v if type(v) is str else to_string(v) or "").lower() == low
    fold = pattern.casefold()
    return lambda v: (to_string(v) or "").casefold() == fold


def keyword_matcher(text: str, quoted: bool, case_sensitive: bool = False,
                    whole_term: bool = False) -> Callable[[object], bool]:
    """A test of _raw (text or the bytes it was loaded as) for a free-text term: whole tokens,
    case-insensitive unless CASE(), between any breakers unless TERM() (major ones only)."""
    parts = text.split("*")
    if len(parts) > 1 and not quoted and not case_sensitive and not any(c in MAJOR_BREAKERS for c in text if c != "*"):
        return _wildcard_keyword(parts, MAJOR_BREAKERS if whole_term else MAJOR_BREAKERS + MINOR_BREAKERS)
    edge = re.escape(MAJOR_BREAKERS) if whole_term else _BREAK_CLASS
    if case_sensitive:
        pattern = _term_pattern(parts, quoted, edge)
        rx, rxb = _regex.compile(pattern), _regex.compile(pattern.encode("utf-8"))
        return lambda raw: (rxb if type(raw) is bytes else rx).search(raw) is not None
    # Without CASE() the term and the text are compared lowered, as str.lower() lowers them
    # (the rule of field=value and of lower(): values/scalar.py), so the Kelvin sign is a k here
    # too. Text all ASCII is lowered as bytes.
    pattern = _term_pattern([p.lower() for p in parts], quoted, edge)
    rx, rxb = _regex.compile(pattern), _regex.compile(pattern.encode("utf-8"))
    # The longest literal piece must occur somewhere: a plain substring test rules out most
    # events far faster than the token-boundary regex.
    # (In a phrase, a space stands for any run of white space.)
    piece = max(re.split(r"[*\s]+", text) if quoted else parts, key=len).lower()
    piece_b = piece.encode("utf-8")

    def match(raw):
        if type(raw) is bytes:
            if raw.isascii():
                low = raw.lower()
                return piece_b in low and rxb.search(low) is not None
            raw = raw.decode("utf-8", "replace")
        low = raw.lower()
        return piece in low and rx.search(low) is not None
    return match


def _term_pattern(parts: list[str], quoted: bool, edge: str) -> str:
    """The regex of a free-text term (``parts``: its text split at each *), which never goes back
    over a value more than once per place it starts at.

    A * never crosses a major breaker, so each piece after a * is taken at its leftmost place and
    kept (an atomic group): a later place only shortens the run before it, and the run after it
    matches anything but a major breaker either way (a piece holding a major breaker has one
    place only: its breaker is the first one after the run). The last piece must also end the
    term, which is tested inside its group, so its leftmost place is the leftmost that works.
    Written as plain runs, ``"*a*a*a*a*b"`` took minutes on one long value."""
    def piece(text: str) -> str:
        body = re.escape(text)
        return re.sub(r"(?:\\\s)+", r"\\s+", body) if quoted else body

    end = f"(?![^{edge}])"
    run = f"[^{re.escape(MAJOR_BREAKERS)}]*?"
    out = [f"(?<![^{edge}])", piece(parts[0])]
    for i, text in enumerate(parts[1:], 2):
        out.append(f"(?>{run}{piece(text)}{end if i == len(parts) else ''})")
    if len(parts) == 1:
        out.append(end)
    return "".join(out)


_SEGMENTS = re.compile(f"[^{re.escape(MAJOR_BREAKERS)}]+")


def _wildcard_keyword(parts: list[str], edges: str):
    """A free-text term with wildcards, in linear time: a * never crosses a major breaker, so
    the term lies inside one segment between major breakers, starting and ending at breakers.
    Inside a segment the pieces are found leftmost (a * there matches anything)."""
    parts = [p.lower() for p in parts]
    longest = max(parts, key=len)
    edge_set = set(edges)

    def in_segment(seg: str) -> bool:
        first, middle, last = parts[0], parts[1:-1], parts[-1]
        start = 0
        if first:
            start = seg.find(first)
            while start > 0 and seg[start - 1] not in edge_set:
                start = seg.find(first, start + 1)
            if start < 0:
                return False
        pos = start + len(first)
        for p in middle:
            i = seg.find(p, pos)
            if i < 0:
                return False
            pos = i + len(p)
        if not last:
            return True
        i = seg.find(last, pos)
        while i >= 0:
            end = i + len(last)
            if end == len(seg) or seg[end] in edge_set:
                return True
            i = seg.find(last, i + 1)
        return False

    def match(raw) -> bool:
        if type(raw) is bytes:
            raw = raw.decode("utf-8", "replace")
        low = raw.lower()
        if longest not in low:
            return False
        return any(in_segment(m.group()) for m in _SEGMENTS.finditer(low) if longest in m.group())
    return match


def _field_values(name: str) -> Callable[[dict], list]:
    if "*" in name:
        def wildcard_values(ev):
            fields = event_fields(ev)
            return [x for n in match_field_names(name, fields) for x in values_of(fields[n])]
        return wildcard_values
    return lambda ev: values_of(get_field(ev, name))


def _compare_test(op: str, value: str):
    num = to_number(value)

    def test(v):
        n = to_number(v) if num is not None else None
        if n is not None:
            a, b = n, num
        else:
            a, b = to_string(v), value
        if op == "<":
            return a < b
        if op == ">":
            return a > b
        if op == "<=":
            return a <= b
        return a >= b
    return test


class SearchCompiler:
    """Turns a search-term tree into a test; collects time modifiers for the leading search."""

    def __init__(self, env, command: str = "search", leading: bool = False):
        self.env = env
        self.command = command
        self.leading = leading
        self.time_range = TimeRange()

    def compile(self, node) -> Test:
        return getattr(self, "_" + type(node).__name__)(node)

    def _And(self, node):
        tests = [self.compile(t) for t in node.terms]
        tests = [t for t in tests if t is not _ALWAYS]
        if not tests:
            return _ALWAYS
        if len(tests) == 1:
            return tests[0]
        return lambda ev: all(t(ev) for t in tests)

    def _Or(self, node):
        tests = [self.compile(t) for t in node.terms]
        return lambda ev: any(t(ev) for t in tests)

    def _Not(self, node):
        count = 0
        while type(node).__name__ == "Not":  # NOT NOT ... x: a run of NOTs, counted, not recursed
            count, node = count + 1, node.term
        inner = self.compile(node)
        if count % 2 == 0:
            return inner
        return lambda ev: not inner(ev)

    def _Subsearch(self, node):
        if self.env.validating:
            return _ALWAYS  # the subsearch was validated where it stands; it runs with the search
        from .subsearch import run_subsearch, subsearch_terms
        return self.compile(subsearch_terms(run_subsearch(node, self.env)))

    def _FieldSubsearch(self, node):
        if self.env.validating:
            return _ALWAYS
        from .subsearch import _quote, run_subsearch, subsearch_text
        from ..syntax.parser import parse
        # As in Splunk, the subsearch's text is pasted after the operator: return $f gives a value.
        text = subsearch_text(run_subsearch(node.subsearch, self.env))
        return self.compile(parse(f"{_quote(node.field)}{node.op}{text}").leading)

    def _Keyword(self, node):
        if node.text == "*" and not node.quoted:
            return _ALWAYS
        match = keyword_matcher(node.text, node.quoted, node.case_sensitive, node.whole_term)

        def test(ev):
            raw = ev.get("_raw", _MISSING)
            if raw is _MISSING:
                raw = raw_bytes(ev)
            if type(raw) is list:  # makemv _raw: any of its values
                return any(match(to_string(x)) for x in raw)
            return raw is not None and match(raw if type(raw) in (str, bytes) else to_string(raw))
        return test

    def _FieldIn(self, node):
        matchers = [value_matcher(v) for v in node.values]
        values = _field_values(node.field)
        return lambda ev: any(m(x) for x in values(ev) for m in matchers)

    def _FieldMatch(self, node):
        name, op, value = node.field, node.op, node.value
        if name.lower() in TIME_MODIFIERS and op == "=":
            return self._time_modifier(node)
        values = _field_values(name)
        if op in ("=", "=="):
            if value == "*":
                return lambda ev: bool(values(ev))
            m = value_matcher(value)
            if "*" not in name and "*" not in value and not _CIDR.match(value):
                return _fast_equals(name, m)
            return lambda ev: any(m(x) for x in values(ev))
        if op == "!=":
            m = value_matcher(value)

            def not_equal(ev):
                vals = values(ev)
                return bool(vals) and not any(m(x) for x in vals)
            return not_equal
        cmp = _compare_test(op, value)
        return lambda ev: any(cmp(x) for x in values(ev))

    def _time_modifier(self, node):
        if not self.leading:
            raise SplError(f"'{node.field}' sets the time range of the search; it only works in the "
                           "first search of the pipeline.", command=self.command, span=node.span)
        t = time_modifier(node.value, self.env.now_value())
        if t is None:
            raise SplError(f"Invalid value \"{node.value}\" for time term '{node.field}'.",
                           command=self.command, span=node.span,
                           hint="use a relative time such as -24h@h, an epoch, or %m/%d/%Y:%H:%M:%S")
        if node.field.lower() in ("earliest", "starttime"):
            self.time_range.earliest = t
        else:
            self.time_range.latest = t
        return _ALWAYS


def _fast_equals(name: str, m):
    get = field_getter(name)

    def test(ev):
        v = get(ev)
        if v is None:
            return False
        if type(v) is list:
            return any(m(x) for x in v)
        return m(v)
    return test



def compile_search(node, env, command: str = "search", leading: bool = False):
    """(test, time range) for a search-term tree; None means every event."""
    c = SearchCompiler(env, command, leading)
    test = c.compile(node) if node is not None else _ALWAYS
    return test, c.time_range


def compile_search_string(text: str, env, span=None) -> Test:
    """A test for search terms written as a string (searchmatch)."""
    from ..syntax.parser import parse
    pipeline = parse(text)
    if pipeline.commands:
        raise SplError("searchmatch() takes search terms only, without '|'.", command="eval", span=span)
    test, _ = compile_search(pipeline.leading, env)
    return test

