"""rex: extract fields with a regular expression's named groups, or edit a field with sed."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..functions.eval_conditional import regex
from ..runtime.regex import IGNORECASE, check_replacement, compile_regex
from ..functions.eval_text import _repl_template
from ..runtime.values import field_getter, get_field, set_field, to_string, values_of
from ..syntax import ast
from ..columnar.kernels import rex_selection
from .base import Command, Kind, to_int, to_text, writable


MEMO_SIZE = 100_000


def sed_parts(expr: str) -> list[str] | None:
    """The parts of ``s/re/repl/flags`` or ``y/abc/xyz/`` after the letter, split on its
    delimiter (a backslash before the delimiter keeps it); None when it is neither."""
    if len(expr) < 2 or expr[0] not in "sy":
        return None
    delim = expr[1]
    parts, cur, i = [], [], 2
    while i < len(expr):
        c = expr[i]
        if c == "\\" and i + 1 < len(expr) and expr[i + 1] == delim:
            cur.append(delim)
            i += 2
            continue
        if c == delim:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    parts.append("".join(cur))
    return parts


def parse_sed(expr: str, span=None):
    """A function text -> text for ``s/re/repl/flags`` or ``y/abc/xyz/``; None when malformed.
    A bad regex or a replacement naming a group the regex lacks is an SplError."""
    parts = sed_parts(expr)
    if parts is None:
        return None
    if expr[0] == "y":
        if len(parts) < 2 or len(parts[0]) != len(parts[1]):
            return None
        table = str.maketrans(parts[0], parts[1])
        return lambda s: s.translate(table)
    if len(parts) < 2:
        return None
    pattern, written, repl = parts[0], parts[1], _repl_template(parts[1])
    flags = parts[2] if len(parts) > 2 else ""
    rx = compile_regex(pattern, IGNORECASE if "i" in flags else 0, command="rex", span=span)
    check_replacement(rx, repl, written)
    digits = "".join(c for c in flags if c.isdigit())
    if "g" in flags:
        return lambda s: rx.sub(repl, s)
    if digits:
        nth = to_int(digits)

        def nth_only(s):
            count = [0]

            def sub(m):
                count[0] += 1
                return m.expand(repl) if count[0] == nth else m.group(0)
            return rx.sub(sub, s)
        return nth_only
    return lambda s: rx.sub(repl, s, count=1)


@dataclass(frozen=True)
class RexCommand(Command):
    """Extract fields from a field's text with a regex's named groups (?<name>...), or sed-edit it."""

    columns: ClassVar[str] = "selection"
    name: ClassVar[str] = "rex"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = 'rex [field=<field>] [max_match=<N>] [mode=sed] "<regex>"'
    example: ClassVar[str] = 'rex field=eventName "^(?<action>[A-Z][a-z]+)(?<object>.*)$"'
    options: ClassVar[dict] = {"field": to_text, "max_match": to_int, "mode": to_text,
                               "offset_field": to_text}
    option_values: ClassVar[dict] = {"mode": ("sed",)}
    ignored_options: ClassVar[frozenset] = frozenset({"offset_field"})

    field: str = "_raw"
    pattern: str = ""
    max_match: int = 1
    sed: bool = False

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        strings = [i for i in args.items if isinstance(i, ast.QuotedString)]
        if len(strings) != 1:
            raise cls.error('Usage: rex [field=<field>] "<regex>"', args.span)
        mode = opts.get("mode")
        if mode is not None and mode != "sed":
            raise cls.error(f"Invalid mode '{mode}'; the only mode is sed.", args.span)
        s = strings[0]
        if mode == "sed":
            if parse_sed(s.text, s.span) is None:
                raise cls.error('Malformed sed expression. Use "s/<regex>/<replacement>/[g|N]" or '
                                '"y/<from>/<to>/".', s.span)
        else:
            rx = compile_regex(s.text, command="rex", span=s.span)
            if not rx.groupindex:
                raise cls.error("The regex has no named groups (?<name>...), so it extracts no fields.",
                                s.span)
        return cls(args.span, opts.get("field", "_raw"), s.text, opts.get("max_match", 1), mode == "sed")

    def fields_written(self):
        return frozenset() if self.sed else frozenset(regex(self.pattern).groupindex)

    def prepare(self, env):
        field = self.field
        if self.sed:
            edit = parse_sed(self.pattern, self.span)

            def run_sed(events, ctx):
                for ev in events:
                    v = get_field(ev, field)
                    if v is None:
                        yield ev
                        continue
                    ev = writable(ev)
                    set_field(ev, field, [edit(to_string(x)) for x in values_of(v)])
                    yield ev
            return run_sed
        rx = compile_regex(self.pattern, command="rex", span=self.span)
        names = list(rx.groupindex)
        limit = self.max_match
        get = field_getter(field)

        def extract(texts) -> dict[str, list]:
            found: dict[str, list] = {}
            n = 0
            for text in texts:
                for m in rx.finditer(to_string(text)):
                    for name in names:
                        g = m.group(name)
                        if g is not None:
                            found.setdefault(name, []).append(g)
                    n += 1
                    if limit and n >= limit:
                        return found
            return found

        def found_of(v) -> dict:
            return {name: vals[0] if len(vals) == 1 else vals for name, vals in extract(values_of(v)).items()}

        def run(events, ctx):
            columns = rex_selection(events, field, found_of)
            return columns if columns is not None else by_event(events)

        def by_event(events):
            # The same text always gives the same fields: remember them (eventName, eventSource
            # and the like repeat across thousands of events).
            memo: dict = {}
            for ev in events:
                v = get(ev)
                if v is None:
                    yield ev
                    continue
                key = tuple(v) if type(v) is list else v
                found = memo.get(key)
                if found is None:
                    found = found_of(v)
                    if len(memo) < MEMO_SIZE:
                        memo[key] = found
                if found:
                    ev = writable(ev)
                    ev.update(found)
                yield ev
        return run


@dataclass(frozen=True)
class RegexCommand(Command):
    """Keep the results whose field matches (=) or does not match (!=) a regex."""

    name: ClassVar[str] = "regex"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = 'regex [<field>=|<field>!=]"<regex>"'
    example: ClassVar[str] = 'regex userAgent!="^aws-cli"'

    field: str = "_raw"
    negate: bool = False
    pattern: str = ""

    @classmethod
    def from_args(cls, args):
        items = args.items
        strings = [i for i in items if isinstance(i, ast.QuotedString)]
        fields = [i for i in items if isinstance(i, ast.Word)]
        if len(strings) != 1:
            raise cls.error("Usage: regex <field> (=|!=) <regex>.", args.span)
        compile_regex(strings[0].text, command="SearchOperator:regex", span=strings[0].span)
        field = fields[0].text if fields else "_raw"
        negate = len(fields) > 1 and fields[1].text == "!="
        return cls(args.span, field, negate, strings[0].text)

    @classmethod
    def error(cls, message, span, hint=None):
        from ..errors import SplError
        return SplError(message, command="SearchOperator:regex", span=span, hint=hint)

    def prepare(self, env):
        rx = compile_regex(self.pattern, command="SearchOperator:regex", span=self.span)
        field, negate = self.field, self.negate

        def run(events, ctx):
            for ev in events:
                vals = values_of(get_field(ev, field))
                hit = any(rx.search(to_string(x)) for x in vals)
                if hit != negate and (vals or negate):
                    yield ev
        return run
