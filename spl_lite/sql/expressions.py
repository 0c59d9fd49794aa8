"""eval and where expressions, and search terms, as SQL with Splunk's rules (semantics.md §4):
numbers compare as numbers only when both sides are numbers, nulls propagate, division by zero
is null, a condition that is null is false. What is not translated here stops the translation."""
from __future__ import annotations

import re

from sqlglot import exp

from ..errors import SplError
from ..compiler.search_terms import MAJOR_BREAKERS, MINOR_BREAKERS
from ..runtime.terms import TIME_MODIFIERS, wildcard_cidr
from ..functions import EVAL_FUNCTIONS
from ..runtime.values import to_number
from ..syntax import ast
from .dialects import caseless, portable, runs_python
from .values import NULL, Value, as_number, as_text, fn, is_nan, is_true, lit, search_value_match


class Unsupported(SplError):
    """A command, function or construct this SQL dialect's executor does not translate."""


def unsupported(what: str, dialect: str, *, command: str, span) -> Unsupported:
    return Unsupported(f"{what} is not supported on {dialect} yet.", command=command, span=span,
                       hint="run it with --engine memory")


COMPARISONS = {"=": exp.EQ, "!=": exp.NEQ, "<": exp.LT, ">": exp.GT, "<=": exp.LTE, ">=": exp.GTE}


class ExpressionTranslator:
    """eval/where expressions of one command; ``ref(name)`` gives a field's Value."""

    def __init__(self, ref, dialect: str, command: str):
        self.ref, self.dialect, self.command = ref, dialect, command

    def no(self, what: str, node) -> Unsupported:
        return unsupported(what, self.dialect, command=self.command, span=getattr(node, "span", None))

    def value(self, node) -> Value:
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise self.no(f"The expression {type(node).__name__}", node)
        return method(node)

    def any_value(self, node) -> Value:
        """A value of any type, a JSON-held result included (for functions that take anything)."""
        if isinstance(node, ast.FieldRef):
            try:
                return self.ref(node.name, node, any_type=True)
            except TypeError:  # a reference without that keyword (search-time knowledge)
                return self.ref(node.name, node)
        return self.value(node)

    def _Literal(self, node):
        return lit(node.value) if node.value is not None else NULL

    def _FieldRef(self, node):
        return self.ref(node.name, node)

    def _UnaryOp(self, node):
        inner = self.value(node.operand)
        if node.op == "-":
            return Value(exp.Neg(this=exp.Paren(this=as_number(inner))), "num")
        return Value(exp.Not(this=exp.Paren(this=is_true(inner))), "bool")

    def _BinaryOp(self, node):
        a, b = self.value(node.left), self.value(node.right)
        op = node.op
        if op in ("AND", "OR", "XOR"):
            x, y = is_true(a), is_true(b)
            if op == "AND":
                return Value(exp.and_(x, y), "bool")
            if op == "OR":
                return Value(exp.or_(x, y), "bool")
            return Value(exp.NEQ(this=x, expression=y), "bool")
        if op in COMPARISONS:
            return Value(self._compare(op, a, b, node), "bool")
        if op == ".":
            return Value(exp.DPipe(this=as_text(a), expression=as_text(b)), "str")
        if op == "LIKE":
            return Value(exp.Like(this=as_text(a), expression=as_text(b)), "bool")
        if op == "+" and "num" not in (a.type, b.type):
            texts = [n.value for n in (node.left, node.right) if isinstance(n, ast.Literal)]
            if len(texts) == 2 and all(isinstance(t, str) and to_number(t) is None for t in texts):
                return Value(exp.DPipe(this=a.sql, expression=b.sql), "str")
            # Two texts add when both look like numbers and join otherwise: known only per event.
            raise self.no("'+' between two text values", node)
        # Doubles, as Splunk's numbers are: no integer overflow (DuckDB stops, Spark wraps), and
        # past 2**53 what the memory engine gives. 7/2 is 3.5 on every engine.
        x, y = exp.cast(as_number(a), "DOUBLE"), exp.cast(as_number(b), "DOUBLE")
        if op in ("/", "%"):
            # Division by zero gives null (the field is not created).
            y = exp.Nullif(this=y, expression=exp.Literal.number(0))
        if op == "%":
            return Value(exp.Paren(this=exp.Mod(this=x, expression=y)), "num")
        cls = {"+": exp.Add, "-": exp.Sub, "*": exp.Mul, "/": exp.Div}[op]
        return Value(exp.Paren(this=cls(this=x, expression=y)), "num")

    def _compare(self, op, a: Value, b: Value, node) -> exp.Expr:
        if "mv" in (a.type, b.type) or "bool" in (a.type, b.type):
            raise self.no("Comparing a multivalue or a Boolean", node)
        if a.type == "num" and b.type == "num":
            return numeric_comparison(op, a.sql, b.sql)
        # Numbers when both sides read as numbers, else text, case-sensitive.
        na, nb = as_number(a), as_number(b)
        both = exp.and_(exp.Not(this=exp.Is(this=na, expression=exp.Null())),
                        exp.Not(this=exp.Is(this=nb.copy(), expression=exp.Null())))
        return exp.Case(ifs=[exp.If(this=both, true=numeric_comparison(op, na.copy(), nb.copy()))],
                        default=COMPARISONS[op](this=as_text(a), expression=as_text(b)))

    def _InList(self, node):
        operand = self.value(node.operand)
        tests = [self._compare("=", operand, self.value(i), node) for i in node.items]
        return Value(exp.or_(*tests) if tests else exp.false(), "bool")

    def _Call(self, node):
        name = node.name.lower()
        args = node.args
        if name in ("true", "false") and not args:
            return lit(name == "true")
        if name == "null" and not args:
            return NULL
        if name in ("isnull", "isnotnull") and len(args) == 1:
            test = exp.Is(this=self.any_value(args[0]).sql, expression=exp.Null())
            return Value(test if name == "isnull" else exp.Not(this=test), "bool")
        if name == "like" and len(args) == 2:
            v, pattern = self.value(args[0]), self.value(args[1])
            if "mv" in (v.type, pattern.type):
                raise self.no("like() of a multivalue", node)
            return Value(exp.Like(this=as_text(v), expression=as_text(pattern)), "bool")
        if name in ("lower", "upper") and len(args) == 1:
            v = self.value(args[0])
            if v.type != "str":
                raise self.no(f"{name}() of a non-text value", node)
            return Value(text_case(name, v.sql, self.dialect), "str")
        if name == "len" and len(args) == 1:
            return Value(exp.cast(exp.Length(this=as_text(self.value(args[0]))), "DOUBLE"), "num")
        if name == "tonumber" and len(args) == 1:
            return Value(as_number(self.value(args[0]), strict=True), "num")
        if name == "tostring" and len(args) == 1:
            return Value(as_text(self.value(args[0])), "str")
        if name == "abs" and len(args) == 1:
            return Value(fn("abs", as_number(self.value(args[0]))), "num")
        if name == "if" and len(args) == 3:
            cond, then, other = self.value(args[0]), self.value(args[1]), self.value(args[2])
            kind = self._one_type(node, then, other)
            return Value(exp.Case(ifs=[exp.If(this=is_true(cond), true=then.sql)], default=other.sql), kind)
        if name == "case" and args and len(args) % 2 == 0:
            pairs = [(self.value(c), self.value(v)) for c, v in zip(args[::2], args[1::2])]
            kind = self._one_type(node, *(v for _, v in pairs))
            return Value(exp.Case(ifs=[exp.If(this=is_true(c), true=v.sql) for c, v in pairs]), kind)
        if name == "coalesce" and args:
            values = [self.value(a) for a in args]
            kind = self._one_type(node, *values)
            return Value(exp.Coalesce(this=values[0].sql, expressions=[v.sql for v in values[1:]]), kind)
        if name == "split" and len(args) == 2 and _text_literal(args[1]):
            v = self.value(args[0])
            if v.type not in ("str", "num"):
                raise self.no("split() of a value that is not text", node)
            return Value(portable("split", as_text(v), exp.Literal.string(args[1].value)), "mv")
        if name == "mvindex" and len(args) == 2 and _int_literal(args[1]) is not None:
            return self._mvindex(node, self.value(args[0]), _int_literal(args[1]))
        return self._python_function(node, name)

    def _mvindex(self, node, v: Value, i: int) -> Value:
        """mvindex(mv, i): the value at a 0-based index, negative from the end, null past it."""
        if v.type == "mv":
            return Value(portable("mv_at", v.sql, exp.Literal.number(i + 1 if i >= 0 else i)), "str")
        if v.type in ("str", "num", "null"):
            return v if i in (0, -1) else NULL  # a single value is a multivalue of one
        raise self.no("mvindex() of this value", node)

    def _python_function(self, node, name: str) -> Value:
        """Any other eval function: the memory engine's own, called from SQL (spl_eval) with its
        arguments as JSON, so its answer is the same by construction. The result is held as JSON:
        it can be shown or handed to other functions, not yet compared or computed on in SQL."""
        spec = EVAL_FUNCTIONS.get(name)
        if spec is None or spec.lazy or spec.builder is not None or not runs_python(self.dialect):
            raise self.no(f"The eval function {node.name}()", node)
        args = []
        for a in node.args:
            v = self.any_value(a)
            if v.type == "bool":
                raise self.no(f"A Boolean argument to {node.name}()", node)
            args.append(v.sql if v.type == "json" else portable("to_json", v.sql) if v.type != "null"
                        else exp.Literal.string("null"))
        call = fn("spl_eval_bool" if spec.returns_bool else "spl_eval", exp.Literal.string(name),
                  exp.Array(expressions=[exp.cast(a, "VARCHAR") for a in args]))
        return Value(call, "bool" if spec.returns_bool else "json")

    def _one_type(self, node, *values: Value) -> str:
        kinds = {v.type for v in values} - {"null"}
        if len(kinds) > 1 or kinds & {"bool", "mv"}:
            raise self.no(f"{node.name}() giving values of different types", node)
        return kinds.pop() if kinds else "null"


def numeric_comparison(op: str, a: exp.Expr, b: exp.Expr) -> exp.Expr:
    """Two doubles compared as the memory engine compares them (IEEE 754): NaN is unordered, so
    every comparison with it is false but !=. DuckDB and Spark order NaN above every number."""
    nan = exp.or_(is_nan(a.copy()), is_nan(b.copy()))
    return exp.Case(ifs=[exp.If(this=nan, true=exp.Boolean(this=op == "!="))],
                    default=COMPARISONS[op](this=a, expression=b))


def text_case(name: str, text: exp.Expr, dialect: str) -> exp.Expr:
    """lower()/upper() as Python has them: the engine's own for ASCII text, where every engine
    agrees; spl_lite's (spl_lower, spl_upper) for the rest, since engines differ from Python on
    final sigma (ΣΑΣ is σας), special casing (ﬁ is FI, ß is SS) and İ. SQL printed for an
    engine that runs no Python (Databricks, Trino) keeps that engine's own rules."""
    native = (exp.Lower if name == "lower" else exp.Upper)(this=text)
    if not runs_python(dialect):
        return native
    ascii_only = exp.RegexpLike(this=text.copy(), expression=exp.Literal.string("^[\\x00-\\x7f]*\\z"))
    return exp.Case(ifs=[exp.If(this=ascii_only, true=native)], default=fn(f"spl_{name}", text.copy()))


def _text_literal(node) -> bool:
    return isinstance(node, ast.Literal) and isinstance(node.value, str) and node.value != ""


def _int_literal(node) -> int | None:
    sign = 1
    if isinstance(node, ast.UnaryOp) and node.op == "-":
        sign, node = -1, node.operand
    if isinstance(node, ast.Literal) and type(node.value) is int:
        return sign * node.value
    return None


def keyword_regex(node, dialect: str = "duckdb") -> str:
    """A free-text term as a regex for RE2 (no look-behind): its text, with * a run of characters
    that are not major breakers, between breakers or the ends of _raw, as keyword_matcher does."""
    major = re.escape(MAJOR_BREAKERS)
    edges = major if node.whole_term else re.escape(MAJOR_BREAKERS + MINOR_BREAKERS)
    pieces = [re.escape(p) for p in node.text.split("*")]
    if node.quoted:
        pieces = [re.sub(r"(?:\\\s)+", r"\\s+", p) for p in pieces]
    flags = "" if node.case_sensitive else caseless(dialect)
    end = f"([{edges}]|$)"
    if dialect == "spark" and len(pieces) > 1:
        # Java's regex backtracks (RE2 does not): each piece after a * in an atomic group at its
        # leftmost place, as keyword_matcher does, so "*a*a*a*b" stays linear.
        runs = [f"(?>[^{major}]*?{p}{end if i == len(pieces) - 1 else ''})" for i, p in enumerate(pieces) if i]
        return flags + f"(^|[{edges}]){pieces[0]}" + "".join(runs)
    return flags + f"(^|[{edges}])" + f"[^{major}]*".join(pieces) + end


class SearchTranslator:
    """Search terms: values match case-insensitively, f!=v needs f, NOT keeps events without f."""

    def __init__(self, ref, dialect: str, command: str):
        self.ref, self.dialect, self.command = ref, dialect, command

    def no(self, what: str, node) -> Unsupported:
        return unsupported(what, self.dialect, command=self.command, span=getattr(node, "span", None))

    def test(self, node) -> exp.Expr:
        """A predicate that is never null."""
        if node is None:
            return exp.true()
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise self.no("This search term", node)
        return method(node)

    def _And(self, node):
        return exp.and_(*[self.test(t) for t in node.terms])

    def _Or(self, node):
        return exp.or_(*[self.test(t) for t in node.terms])

    def _Not(self, node):
        return exp.Not(this=exp.Paren(this=self.test(node.term)))

    def _Keyword(self, node):
        if node.text == "*" and not node.quoted:
            return exp.true()
        raw = self.ref("_raw", node)
        if raw.type != "str":
            raise self.no("A free-text term after the events became a table", node)
        return exp.Coalesce(this=exp.RegexpLike(this=raw.sql, expression=exp.Literal.string(keyword_regex(node, self.dialect))),
                            expressions=[exp.false()])

    def _field(self, name, node) -> Value:
        if "*" in name:
            raise self.no("A wildcard in a field name", node)
        v = self.ref(name, node)
        if v.type not in ("str", "num", "null"):
            raise self.no("A search on a multivalue field", node)
        return v

    def _match(self, v: Value, pattern: str, node) -> exp.Expr:
        if pattern == "*":
            return exp.Not(this=exp.Is(this=v.sql, expression=exp.Null()))
        if wildcard_cidr(pattern):
            raise self.no("A CIDR block in a search", node)
        test = search_value_match(as_text(v), pattern, self.dialect)
        if test is None:
            raise self.no("A search value that is not ASCII", node)
        return exp.Coalesce(this=test, expressions=[exp.false()])

    def _FieldIn(self, node):
        v = self._field(node.field, node)
        return exp.or_(*[self._match(v, p, node) for p in node.values]) if node.values else exp.false()

    def _FieldMatch(self, node):
        if node.field.lower() in TIME_MODIFIERS and node.op == "=":
            return exp.true()  # the time range is applied to the events themselves
        v = self._field(node.field, node)
        if node.op in ("=", "=="):
            return self._match(v, node.value, node)
        present = exp.Not(this=exp.Is(this=v.sql, expression=exp.Null()))
        if node.op == "!=":
            return exp.and_(present, exp.Not(this=exp.Paren(this=self._match(v, node.value, node))))
        cls = COMPARISONS[node.op]
        number = to_number(node.value)
        if number is None:
            test = cls(this=as_text(v), expression=exp.Literal.string(node.value))
        else:
            n = as_number(v)
            test = exp.Case(ifs=[exp.If(this=exp.Not(this=exp.Is(this=n, expression=exp.Null())),
                                         true=numeric_comparison(node.op, n.copy(), lit(number).sql))],
                            default=cls(this=as_text(v), expression=exp.Literal.string(node.value)))
        return exp.Coalesce(this=test, expressions=[exp.false()])

    def _Subsearch(self, node):
        raise self.no("A subsearch", node)

