"""Search-time knowledge, read from Splunk's own .conf syntax and applied in Splunk's order:
extraction (EXTRACT-) -> field aliases (FIELDALIAS-) -> calculated fields (EVAL-) -> automatic
lookups (LOOKUP-) -> event types -> tags (semantics.md §0.2).

Nothing is computed at load time: an event's origin points at the knowledge of its sourcetype,
and a field the knowledge defines is worked out when a search reads it. Each step sees only the
steps before it: an EVAL reads extracted and aliased fields, never another EVAL's output, and a
lookup reads the EVAL outputs (so the add-on's rewritten errorCode drives action and status).
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..runtime.regex import compile_regex
from ..errors import SplError
from ..lookups import LookupTable, lookup_path
from ..runtime.values import KNOWLEDGE, first_value, raw_field, raw_getter, raw_text, to_string
from ..syntax.ast import field_refs
from .conf import Stanza, read_conf

EXTRACT, ALIAS, EVAL, LOOKUP, EVENTTYPE = 1, 2, 3, 4, 5
EVAL_MEMO = 50_000  # results remembered per calculated field
_UNSET = object()
BUNDLED = Path(__file__).parent
PACKS = (BUNDLED / "default", BUNDLED / "aws")  # the AWS add-on's CloudTrail knowledge, and Splunk's own
PROPS_SETTINGS = ("EXTRACT-", "FIELDALIAS-", "EVAL-", "LOOKUP-")
QUIET_SETTINGS = {"KV_MODE"}  # json extraction is what spl_lite does anyway


@dataclass
class Rule:
    level: int
    kind: str
    data: Any  # what the kind needs: (source, keep_existing), (fn, refs), (regex, group, source)...
    node: object = None  # an EVAL's expression, for executors that translate it

@dataclass
class LookupRule:
    name: str
    table: LookupTable
    inputs: list[tuple[str, str]]  # (lookup column, event field)
    outputs: list[tuple[str, str]]  # (lookup column, event field)
    new_only: bool
    match: Callable[[tuple], list]
    max_matches: int
    memo: dict = field(default_factory=dict)  # input values -> matching rows
    wildcard: tuple = ()  # columns whose cells may hold * (match_type = WILDCARD(...))
    case_sensitive: bool = True


class SourcetypeKnowledge:
    """The fields that knowledge defines for one sourcetype, and how to work each one out."""

    def __init__(self, rules: dict[str, Rule], eventtypes: list, field_tags: dict):
        self.rules = rules
        self.eventtypes = eventtypes  # (name, test, tags)
        self.field_tags = field_tags  # field -> value -> tags
        self.fields = dict(rules)
        # Each EVAL reads its inputs as the aliases leave them: bind those readers once, and
        # remember results by input values (errorCode, eventName... repeat across many events).
        for rule in rules.values():
            if rule.kind == "eval":
                fn, refs = rule.data
                rule.data = (fn, [(r, self._reader(r, EVAL)) for r in refs], {})
        if eventtypes or field_tags:
            for name in ("eventtype", "tag", "tag::eventtype"):
                self.fields[name] = Rule(EVENTTYPE, name, None)
            for f in field_tags:
                self.fields[f"tag::{f}"] = Rule(EVENTTYPE, "tag::field", f)

    def view(self, ev, name: str, level: int):
        """A field as the knowledge steps before ``level`` leave it."""
        rule = self.fields.get(name)
        if rule is not None and rule.level < level and name not in ev:
            return self.compute(ev, name)
        return raw_getter(name)(ev)

    def inputs(self, name: str) -> set[str] | None:
        """The fields as extracted that decide this field's value, so that it can be worked out
        once per distinct combination of them; None when it depends on the whole event (an
        extraction from _raw, event types, tags)."""
        rule = self.fields[name]
        if rule.kind == "alias":
            source, keep_existing = rule.data
            aliased = self._inputs_at(source, ALIAS)
            return None if aliased is None else aliased | ({name} if keep_existing else set())
        if rule.kind == "eval":
            out: set[str] = set()
            for ref, _ in rule.data[1]:
                sub = self._inputs_at(ref, EVAL)
                if sub is None:
                    return None
                out |= sub
            return out
        if rule.kind == "lookup":
            out = {rule.data[2]}
            for _, f in rule.data[0].inputs:
                sub = self._inputs_at(f, LOOKUP)
                if sub is None:
                    return None
                out |= sub
            return out
        if rule.kind == "extract" and rule.data[2] != "_raw":
            return self._inputs_at(rule.data[2], EXTRACT)
        return None

    def _inputs_at(self, name: str, level: int) -> set[str] | None:
        rule = self.fields.get(name)
        if rule is not None and rule.level < level:
            return self.inputs(name)
        return {name}

    def compute_all(self, ev) -> dict:
        """Every field the knowledge defines for the event (event types worked out once)."""
        out = {}
        types = None
        for name, rule in self.fields.items():
            if name in ev:
                continue
            if rule.kind == "eventtype":
                types = out[name] = self.compute(ev, name)
            elif rule.kind in ("tag", "tag::eventtype") and types is not None:
                out[name] = self._tags(ev, rule.kind, rule.data, types)
            else:
                out[name] = self.compute(ev, name)
        return out

    def _reader(self, name: str, level: int):
        rule = self.fields.get(name)
        if rule is not None and rule.level < level:
            return lambda ev: ev[name] if name in ev else self.compute(ev, name)
        return raw_getter(name)

    def compute(self, ev, name: str):
        rule = self.fields[name]
        kind = rule.kind
        if kind == "alias":
            source, keep_existing = rule.data
            value = self.view(ev, source, ALIAS)
            # AS replaces the target, and removes it when the source is missing (Splunk 7.2.4+);
            # ASNEW leaves a target that the event already has.
            return raw_field(ev, name) if keep_existing and raw_field(ev, name) is not None else value
        if kind == "eval":
            fn, readers, memo = rule.data
            inputs = {r: read(ev) for r, read in readers}
            key = tuple(tuple(v) if type(v) is list else v for v in inputs.values())
            value = memo.get(key, _UNSET)
            if value is _UNSET:
                value = fn(inputs)
                if type(value) is bool:
                    value = None
                if len(memo) >= EVAL_MEMO:
                    memo.clear()
                memo[key] = value
            return list(value) if type(value) is list else value
        if kind == "lookup":
            return self._lookup(ev, *rule.data)
        if kind == "extract":
            rx, group, source = rule.data
            text = raw_text(ev) if source == "_raw" else to_string(first_value(self.view(ev, source, EXTRACT)))
            m = rx.search(text) if text else None
            return m.group(group) if m else None
        if kind == "eventtype":
            return sorted(n for n, test, _ in self.eventtypes if test(ev)) or None
        return self._tags(ev, kind, rule.data)

    def _lookup(self, ev, rule: LookupRule, column: str, target: str):
        if rule.new_only and raw_field(ev, target) is not None:
            return raw_field(ev, target)
        values = tuple(to_string(first_value(self.view(ev, f, LOOKUP))) for _, f in rule.inputs)
        if None in values:
            return raw_field(ev, target)
        rows = rule.memo.get(values)
        if rows is None:
            rows = rule.match(values)[:rule.max_matches]
            if len(rule.memo) >= EVAL_MEMO:
                rule.memo.clear()
            rule.memo[values] = rows
        found = [v for r in rows for v in ([r[column]] if isinstance(r.get(column), str) else r.get(column) or [])]
        if not found:
            return raw_field(ev, target)
        return found[0] if len(found) == 1 else found

    def _tags(self, ev, kind: str, data, types=None):
        tags: set[str] = set()
        if kind in ("tag", "tag::eventtype"):
            types = set((self.compute(ev, "eventtype") if types is None else types) or ())
            for name, _, t in self.eventtypes:
                if name in types:
                    tags.update(t)
        if kind in ("tag", "tag::field"):
            for f, by_value in self.field_tags.items():
                if kind == "tag::field" and f != data:
                    continue
                v = self.view(ev, f, EVENTTYPE)
                for x in ([] if v is None else v if type(v) is list else [v]):
                    tags.update(by_value.get(to_string(x), ()))
        return sorted(tags) or None


@dataclass
class Knowledge:
    """Every .conf file read: props per sourcetype, transforms, event types, tags; and warnings."""
    props: dict[str, list[tuple[str, str, str, int]]] = field(default_factory=dict)  # st -> (key, value, file, line)
    transforms: dict[str, tuple[Stanza, Path]] = field(default_factory=dict)
    eventtypes: dict[str, tuple[str, str, int]] = field(default_factory=dict)  # name -> (search, file, line)
    tags: dict[str, dict[str, set]] = field(default_factory=dict)  # field -> value -> tags
    lookup_dirs: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, path: Path) -> None:
        """A pack directory (its .conf files and lookups/), or one .conf file (props.conf if the
        name says nothing else)."""
        path = Path(path)
        if path.is_dir():
            for name in ("transforms.conf", "props.conf", "eventtypes.conf", "tags.conf"):
                if (path / name).is_file():
                    self.add(path / name)
            if (path / "lookups").is_dir():
                self.lookup_dirs.append(path / "lookups")
            return
        if not path.is_file():
            raise FileNotFoundError(f"No such knowledge file or directory: {path}")
        kind = path.name.split(".")[0]
        stanzas = read_conf(path)
        {"transforms": self._transforms, "eventtypes": self._eventtypes, "tags": self._tags}.get(
            kind, self._props)(stanzas, path)

    def _warn(self, path, line, message):
        self.warnings.append(f"{path}:{line}: {message}")

    def _props(self, stanzas, path):
        for st in stanzas:
            if "::" in st.name or st.name == "default":
                self._warn(path, st.line, f"stanza [{st.name}] is not supported (only sourcetype stanzas are); "
                                          "ignored")
                continue
            for s in st.settings:
                if s.key.startswith(PROPS_SETTINGS):
                    self.props.setdefault(st.name, []).append((s.key, s.value, str(path), s.line))
                elif s.key not in QUIET_SETTINGS:
                    self._warn(path, s.line, f"setting '{s.key or s.value}' is not supported; ignored")

    def _transforms(self, stanzas, path):
        for st in stanzas:
            self.transforms[st.name] = (st, path)

    def _eventtypes(self, stanzas, path):
        for st in stanzas:
            search = st.get("search")
            if search is None:
                self._warn(path, st.line, f"event type [{st.name}] has no search; ignored")
                continue
            if st.get("disabled", "0").lower() in ("1", "true"):
                continue
            self.eventtypes[st.name] = (search, str(path), st.line)

    def _tags(self, stanzas, path):
        for st in stanzas:
            f, sep, value = st.name.partition("=")
            if not sep:
                self._warn(path, st.line, f"tags stanza [{st.name}] should be [field=value]; ignored")
                continue
            for s in st.settings:
                if s.value.lower() == "enabled":
                    self.tags.setdefault(f.strip(), {}).setdefault(value.strip(), set()).add(s.key)

    # -------------------------------------------------------------- compiling
    def compile(self, env) -> dict:
        """SourcetypeKnowledge per sourcetype ('*' for those without props of their own)."""
        from ..compiler.search_terms import compile_search
        from ..syntax.parser import parse
        eventtypes = []
        for name, (search, file, line) in sorted(self.eventtypes.items()):
            try:
                test, _ = compile_search(parse(search).leading, env)
            except SplError as e:
                self.warnings.append(f"{file}:{line}: event type [{name}]: {e.headline}")
                continue
            eventtypes.append((name, test, sorted(self.tags.get("eventtype", {}).get(name, ()))))
        field_tags = {f: v for f, v in self.tags.items() if f != "eventtype"}
        out = {"*": SourcetypeKnowledge({}, eventtypes, field_tags) if eventtypes or field_tags else None}
        for sourcetype, settings in self.props.items():
            rules: dict[str, Rule] = {}
            for key, value, file, line in settings:
                try:
                    self._rule(key, value, rules, env)
                except (SplError, ValueError, re.error) as e:
                    message = e.headline if isinstance(e, SplError) else str(e)
                    self.warnings.append(f"{file}:{line}: {key}: {message}; ignored")
            out[sourcetype] = SourcetypeKnowledge(rules, eventtypes, field_tags)
        return out

    def _rule(self, key: str, value: str, rules: dict, env) -> None:
        from ..compiler.expressions import compile_expr
        from ..syntax.parser import parse_expression
        if key.startswith("FIELDALIAS-"):
            words = shlex.split(value)
            if len(words) % 3 or any(w.upper() not in ("AS", "ASNEW") for w in words[1::3]):
                raise ValueError("use <field> AS|ASNEW <new field> [<field> AS <new field> ...]")
            for src, keyword, dst in zip(words[0::3], words[1::3], words[2::3]):
                rules[dst] = Rule(ALIAS, "alias", (src, keyword.upper() == "ASNEW"))
        elif key.startswith("EVAL-"):
            name = key[len("EVAL-"):]
            node = parse_expression(value)
            refs = sorted(field_refs(node))
            rules[name] = Rule(EVAL, "eval", (compile_expr(node, env, "eval"), refs), node)
        elif key.startswith("EXTRACT-"):
            m = re.match(r"(.*?)\s+in\s+(\S+)\s*\Z", value, re.S)
            pattern, source = (m.group(1), m.group(2)) if m else (value, "_raw")
            rx = compile_regex(pattern.strip(), command=f"props {key}")
            for group in rx.groupindex:
                rules[group] = Rule(EXTRACT, "extract", (rx, group, source))
        elif key.startswith("LOOKUP-"):
            rule = self._lookup_rule(value)
            outputs = rule.outputs or [(c, c) for c in rule.table.columns if c not in {i for i, _ in rule.inputs}]
            for column, target in outputs:
                rules[target] = Rule(LOOKUP, "lookup", (rule, column, target))

    def _lookup_rule(self, value: str) -> LookupRule:
        words = shlex.split(value)
        name, rest = words[0], words[1:]
        inputs: list[tuple[str, str]] = []
        outputs: list[tuple[str, str]] = []
        new_only, target = False, None
        i = 0
        while i < len(rest):
            w = rest[i]
            if w.upper() in ("OUTPUT", "OUTPUTNEW"):
                target, new_only = outputs, w.upper() == "OUTPUTNEW"
                i += 1
                continue
            pair = (w, rest[i + 2]) if i + 2 < len(rest) and rest[i + 1].upper() == "AS" else (w, w)
            (target if target is not None else inputs).append(pair)
            i += 3 if pair[1] is not w else 1
        stanza = self.transforms.get(name)
        filename, wildcard, case_sensitive, max_matches = name, (), True, 100
        if stanza is not None:
            st, _ = stanza
            filename = st.get("filename", name)
            wildcard = tuple(re.findall(r"WILDCARD\(([^)]+)\)", st.get("match_type", "")))
            case_sensitive = st.get("case_sensitive_match", "true").lower() not in ("0", "false")
            max_matches = int(st.get("max_matches", "100"))
        # The same rule as the lookup command: a name inside a lookups directory, never a path.
        paths = [lookup_path(d, filename, command=None, must_exist=False) for d in self.lookup_dirs]
        path = next((p for p in paths if p.is_file()), None)
        if path is None:
            raise ValueError(f"lookup table '{filename}' not found in {', '.join(map(str, self.lookup_dirs))}")
        table = LookupTable.read(path)
        match = table.matcher([c for c, _ in inputs], wildcard, case_sensitive)
        return LookupRule(name, table, inputs, outputs, new_only, match, max_matches, wildcard=wildcard,
                          case_sensitive=case_sensitive)


def attach(knowledge_by_sourcetype: dict):
    """A function origin dict -> the same dict with its sourcetype's knowledge attached."""
    def for_origin(origin: dict) -> dict:
        k = knowledge_by_sourcetype.get(origin.get("sourcetype"), knowledge_by_sourcetype.get("*"))
        if k is not None:
            origin[KNOWLEDGE] = k
        return origin
    return for_origin
