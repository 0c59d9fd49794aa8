"""Search-time knowledge as SQL: a field that FIELDALIAS or EVAL defines is worked out from the
event's own fields per sourcetype, in Splunk's order (an alias sees extractions, an EVAL sees
aliases), as the memory engine's knowledge does. Other kinds (lookups, event types, tags,
EXTRACT) are not translated yet: a search that reads such a field stops with a clear error."""
from __future__ import annotations

from sqlglot import exp

from ..knowledge import ALIAS, EVAL, LOOKUP
from .expressions import ExpressionTranslator, unsupported
from .values import NULL, Value, col, fn

MAX_DEPTH = 20  # definitions that refer to definitions, at most this deep


class KnowledgeFields:
    def __init__(self, knowledge: dict, dialect: str, raw):
        self.knowledge, self.dialect, self.raw = knowledge, dialect, raw  # raw(name, node) -> Value
        # The lookup files the query reads: id(rule) or ("file", path) -> (table name, LookupTable).
        self.tables: dict[object, tuple[str, object]] = {}

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
        if rule.kind == "lookup":
            return self._lookup(k, name, *rule.data, column=column, command=command, node=node, depth=depth)
        raise unsupported(f"The field '{name}', which search-time knowledge defines with {rule.kind},",
                          self.dialect, command=command, span=getattr(node, "span", None))

    def _lookup(self, k, name, rule, output, target, *, column, command, node, depth) -> Value:
        """The first row of the lookup file (in file order) whose input columns match the event's
        fields, exactly or by a * pattern in a WILDCARD() column; the event's own value otherwise."""
        keys = [tuple(r.get(c) if rule.case_sensitive or r.get(c) is None else str(r.get(c)).lower()
                      for c, _ in rule.inputs) for r in rule.table.rows]
        one_match = rule.max_matches == 1 or (not rule.wildcard and len(set(keys)) == len(keys))
        if not one_match or any(isinstance(r.get(output), list) for r in rule.table.rows):
            raise unsupported(f"The field '{name}' (a lookup that can give several values)", self.dialect,
                              command=command, span=getattr(node, "span", None))
        table = self.tables.setdefault(id(rule), (f"lookup_{len(self.tables)}", rule.table))[0]
        own = self.raw(target, node)
        tests = []
        for lookup_column, event_field in rule.inputs:
            v = self._view(k, event_field, LOOKUP, column, command, node, depth + 1)
            if v.type not in ("str", "null"):
                raise unsupported(f"The field '{name}' (a lookup on a number)", self.dialect, command=command,
                                  span=getattr(node, "span", None))
            cell: exp.Expr = exp.column(lookup_column, table="l", quoted=True)
            value: exp.Expr = v.sql
            if not rule.case_sensitive:
                cell, value = exp.Lower(this=cell), exp.Lower(this=value)
            equal: exp.Expr = exp.EQ(this=value, expression=cell)
            if lookup_column in rule.wildcard:
                pattern = fn("replace", fn("replace", fn("replace", cell.copy(), exp.Literal.string("%"),
                                                         exp.Literal.string("\\%")),
                                           exp.Literal.string("_"), exp.Literal.string("\\_")),
                             exp.Literal.string("*"), exp.Literal.string("%"))
                like = exp.Escape(this=exp.Like(this=value.copy(), expression=pattern),
                                  expression=exp.Literal.string("\\"))
                has_star = exp.GT(this=exp.StrPosition(this=cell.copy(), substr=exp.Literal.string("*")),
                                  expression=exp.Literal.number(0))  # Trino's contains() is for arrays
                equal = exp.Case(ifs=[exp.If(this=has_star, true=like)], default=equal)
            tests.append(equal)
        # The first matching row's value as an aggregate: Spark answers a correlated LIMIT 1 wrongly.
        first = exp.select(exp.ArgMin(this=exp.column(output, table="l", quoted=True),
                                      expression=exp.column("_row", table="l"))) \
            .from_(exp.alias_(exp.to_table(table), "l")).where(exp.and_(*tests))
        found = exp.Coalesce(this=exp.Subquery(this=first), expressions=[own.sql])
        if rule.new_only:  # OUTPUTNEW leaves a field the event already has
            found = exp.Coalesce(this=own.sql.copy(), expressions=[found])
        return Value(found, "str")

    def _view(self, k, name, level, column, command, node, depth) -> Value:
        """A field as the knowledge steps before ``level`` leave it."""
        set_by_search = column(name)
        if set_by_search is not None:
            return set_by_search
        rule = k.fields.get(name)
        if rule is not None and rule.level < level:
            return self._rule(k, name, column, command, node, depth + 1)
        return self.raw(name, node)
