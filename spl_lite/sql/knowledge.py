"""Search-time knowledge as SQL: a field that FIELDALIAS or EVAL defines is worked out from the
event's own fields per sourcetype, in Splunk's order (an alias sees extractions, an EVAL sees
aliases), as the memory engine's knowledge does. Other kinds (lookups, event types, tags,
EXTRACT) are not translated yet: a search that reads such a field stops with a clear error."""
from __future__ import annotations

from sqlglot import exp

from ..knowledge import ALIAS, EVAL
from .expressions import ExpressionTranslator, unsupported
from .values import NULL, Value, col

MAX_DEPTH = 20  # definitions that refer to definitions, at most this deep


class KnowledgeFields:
    def __init__(self, knowledge: dict, dialect: str, raw):
        self.knowledge, self.dialect, self.raw = knowledge, dialect, raw  # raw(name, node) -> Value

    def defines(self, name: str) -> bool:
        return any(name in k.fields for k in self.knowledge.values())

    def value(self, name: str, column, command: str, node) -> Value:
        """The field for every event: its sourcetype's definition, or its own value where the
        sourcetype defines none. ``column(name)`` gives a field the pipeline set, else None."""
        star = self.knowledge.get("*")
        branches = []
        for sourcetype, k in self.knowledge.items():
            if sourcetype != "*":
                v = self._rule(k, name, column, command, node, 0) if name in k.fields else self.raw(name, node)
                branches.append((sourcetype, v))
        default = self._rule(star, name, column, command, node, 0) if star is not None and name in star.fields \
            else self.raw(name, node)
        kinds = {v.type for _, v in branches} | {default.type}
        if not kinds <= {"str", "null"}:
            raise unsupported(f"The field '{name}' (search-time knowledge giving a number or a multivalue)",
                              self.dialect, command=command, span=getattr(node, "span", None))
        ifs = [exp.If(this=exp.EQ(this=col("sourcetype"), expression=exp.Literal.string(st)), true=v.sql)
               for st, v in branches]
        return Value(exp.Case(ifs=ifs, default=default.sql) if ifs else default.sql, "str")

    def _rule(self, k, name, column, command, node, depth) -> Value:
        rule = k.fields[name]
        if depth > MAX_DEPTH:
            raise unsupported(f"The field '{name}' (definitions nested too deep)", self.dialect, command=command,
                              span=getattr(node, "span", None))
        if rule.kind == "alias":
            source, keep_existing = rule.data
            v = self._view(k, source, ALIAS, column, command, node, depth)
            if keep_existing:  # ASNEW leaves a field the event already has
                own = self.raw(name, node)
                return Value(exp.Coalesce(this=own.sql, expressions=[v.sql]), "str")
            return v
        if rule.kind == "eval" and rule.node is not None:
            ref = lambda n, nd=None: self._view(k, n, EVAL, column, command, node, depth + 1)  # noqa: E731
            v = ExpressionTranslator(ref, self.dialect, command).value(rule.node)
            return NULL if v.type == "bool" else v  # a Boolean cannot be stored in a field
        raise unsupported(f"The field '{name}', which search-time knowledge defines with {rule.kind},",
                          self.dialect, command=command, span=getattr(node, "span", None))

    def _view(self, k, name, level, column, command, node, depth) -> Value:
        """A field as the knowledge steps before ``level`` leave it."""
        set_by_search = column(name)
        if set_by_search is not None:
            return set_by_search
        rule = k.fields.get(name)
        if rule is not None and rule.level < level:
            return self._rule(k, name, column, command, node, depth + 1)
        return self.raw(name, node)
