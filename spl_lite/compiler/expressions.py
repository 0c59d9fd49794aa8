"""Compile eval expressions (eval, where, stats eval(...)) into functions of an event."""
from __future__ import annotations

import math
from typing import Callable

from ..errors import SplError, did_you_mean
from ..syntax import ast
from ..runtime.values.scalar import OUT_OF_RANGE as _OUT_OF_RANGE, like, like_regex, whole
from ..runtime.values import (Value, compare_values, first_value, format_number, get_field, to_number,
                     to_string, values_of)

Compiled = Callable[[dict], Value]

BOOLEAN_OPS = {"=", "!=", "<", ">", "<=", ">=", "LIKE", "AND", "OR", "XOR"}


def is_boolean(node, functions) -> bool:
    """Whether an expression yields a Boolean, which Splunk refuses to store in a field."""
    if isinstance(node, ast.BinaryOp):
        return node.op in BOOLEAN_OPS
    if isinstance(node, ast.UnaryOp):
        return node.op == "NOT"
    if isinstance(node, ast.InList):
        return True
    if isinstance(node, ast.Call):
        spec = functions.get(node.name)
        return bool(spec and spec.returns_bool)
    return False


def compile_expr(node, env, command: str = "eval") -> Compiled:
    """A function event -> value for an expression; unknown functions and arity fail here."""
    return _Compiler(env, command).compile(node)


class _Compiler:
    def __init__(self, env, command: str):
        self.env = env
        self.functions = env.eval_functions
        self.command = command

    def compile(self, node) -> Compiled:
        method = getattr(self, "_" + type(node).__name__)
        return method(node)

    def search_test(self, text: str, span=None):
        """Search terms in a string compiled with search's rules (searchmatch): the function
        registries stand below the compiler and reach it only through this."""
        from .search_terms import compile_search_string
        return compile_search_string(text, self.env, span)

    def _Literal(self, node):
        value = whole(node.value) if type(node.value) is int else node.value
        return lambda ev: value

    def _FieldRef(self, node):
        name = node.name
        return lambda ev: get_field(ev, name)

    def _UnaryOp(self, node):
        # NOT NOT ... x and - - ... x are chains too: count them instead of recursing.
        count, operand = 0, node
        while isinstance(operand, ast.UnaryOp) and operand.op == node.op:
            count, operand = count + 1, operand.operand
        inner = self.compile(operand)
        if node.op == "-":
            sign = -1 if count % 2 else 1

            def negate(ev):
                n = to_number(inner(ev))
                return None if n is None else sign * n
            return negate
        if count % 2:
            return lambda ev: inner(ev) is not True
        return lambda ev: inner(ev) is True

    def _InList(self, node):
        operand = self.compile(node.operand)
        items = [self.compile(i) for i in node.items]

        def in_list(ev):
            v = operand(ev)
            if v is None:
                return None
            vals = values_of(v)
            return any(compare_values(x, i(ev)) == 0 for i in items for x in vals)
        return in_list

    def _Subsearch(self, node):
        # where [ subsearch ]: its text (the format of its results) is pasted as an expression.
        if self.env.validating:
            self.env.services.validate_subsearch(node.pipeline, self.env)
            return lambda ev: True
        from .subsearch import run_subsearch, subsearch_text
        from ..syntax.parser import parse_expression
        text = subsearch_text(run_subsearch(node, self.env))
        if not text.replace("NOT", "").replace("(", "").replace(")", "").strip():
            return lambda ev: False  # no results: NOT ( ), which matches nothing
        return self.compile(parse_expression(text))

    def _Call(self, node):
        spec = self.functions.get(node.name)
        if spec is None:
            hint = did_you_mean(node.name, self.functions.keys())
            text = getattr(self.env, "text", "") or ""
            written = text[node.span.start:node.span.end] if node.span and text else node.name
            if written.lower() != node.name:  # an expression parsed from other text (a definition)
                written = node.name
            raise SplError(f"The '{written}' function is unsupported or undefined.",
                           command=self.command, span=node.span, hint=hint)
        n = len(node.args)
        if n < spec.min_args or (spec.max_args is not None and n > spec.max_args):
            raise SplError(f"The '{node.name}' function takes {spec.arity_text()}; it was given {n}. "
                           f"Usage: {spec.usage}", command=self.command, span=node.span)
        if spec.regex_arg is not None and spec.regex_arg < n:
            self._check_regex(node, spec.regex_arg)
        args = [self.compile(a) for a in node.args]
        if spec.builder is not None:
            return spec.builder(self.env, node.args, args, self)
        impl = spec.impl
        # A value out of a function's range (an infinity or NaN where it needs an integer, a
        # number past a float's range) gives null, as Splunk gives null for a value a function
        # cannot take: caught here once, for every function, never an internal error.
        if spec.lazy:
            def call_lazy(ev):
                try:
                    return impl(ev, *args)
                except _OUT_OF_RANGE:
                    return None
            return call_lazy
        if spec.propagate_nulls and n == 1:
            a0 = args[0]

            def call1(ev):
                v = a0(ev)
                if v is None:
                    return None
                try:
                    return impl(v)
                except _OUT_OF_RANGE:
                    return None
            return call1
        nulls = spec.propagate_nulls

        def call_n(ev):
            vals = [a(ev) for a in args]
            if nulls and any(v is None for v in vals):
                return None
            try:
                return impl(*vals)
            except _OUT_OF_RANGE:
                return None
        return call_n

    def _check_regex(self, node, index: int) -> None:
        """A literal regex (and replace()'s literal replacement) is checked before any event."""
        from ..runtime.regex import check_replacement, compile_regex
        pattern = node.args[index]
        if isinstance(pattern, ast.Literal) and isinstance(pattern.value, str):
            rx = compile_regex(pattern.value, command=self.command, span=pattern.span)
            if node.name == "replace" and len(node.args) > 2 and isinstance(node.args[2], ast.Literal):
                from ..functions.eval_text import _repl_template
                rx.span = node.args[2].span
                written = str(node.args[2].value)
                check_replacement(rx, _repl_template(written), written)

    def _BinaryOp(self, node):
        # A chain such as a+b+c+... or x=1 OR x=2 OR ... is a left-deep tree as long as the
        # chain: walk its spine and fold in a loop, so a long chain needs no deep recursion.
        spine = []
        n = node
        while isinstance(n, ast.BinaryOp):
            spine.append(n)
            n = n.left
        if len(spine) > 2:
            return self._chain(n, spine[::-1])
        left, right = self.compile(node.left), self.compile(node.right)
        op = node.op
        if op == "AND":
            return lambda ev: left(ev) is True and right(ev) is True
        if op == "OR":
            return lambda ev: left(ev) is True or right(ev) is True
        if op == "XOR":
            return lambda ev: (left(ev) is True) != (right(ev) is True)
        self._check_plus(node)
        fn = BINARY[op]
        return lambda ev: fn(left(ev), right(ev))

    def _check_plus(self, node):
        if isinstance(node.left, ast.Literal) and isinstance(node.right, ast.Literal) and node.op == "+":
            lv, rv = node.left.value, node.right.value
            if isinstance(lv, str) != isinstance(rv, str):
                raise SplError("Typechecking failed. '+' only takes two strings or two numbers.",
                               command=self.command, span=node.span)

    def _chain(self, first, links):
        head = self.compile(first)
        steps = [self._step(link) for link in links]

        def fold(ev):
            acc = head(ev)
            for step in steps:
                acc = step(acc, ev)
            return acc
        return fold

    def _step(self, link):
        """One link of a chain: the operator applied to the value so far and its right side."""
        right, op = self.compile(link.right), link.op
        if op == "AND":
            return lambda acc, ev: acc is True and right(ev) is True
        if op == "OR":
            return lambda acc, ev: acc is True or right(ev) is True
        if op == "XOR":
            return lambda acc, ev: (acc is True) != (right(ev) is True)
        self._check_plus(link)
        fn = BINARY[op]
        return lambda acc, ev: fn(acc, right(ev))


# ------------------------------------------------------------------ operators

def _arith(op):
    def apply(a, b):
        if a is None or b is None:
            return None
        x, y = to_number(first_value(a)), to_number(first_value(b))
        if x is None or y is None:
            return None
        try:
            r = op(x, y)
        except (ZeroDivisionError, OverflowError, ValueError):
            return None
        return whole(r) if type(r) is int else r  # past 2**53, a double as Splunk's numbers are
    return apply


def _div(x, y):
    r = x / y
    return int(r) if type(x) is int and type(y) is int and r == int(r) else r


def _mod(x, y):
    r = math.fmod(x, y)
    return int(r) if type(x) is int and type(y) is int else r


def _plus(a, b):
    if a is None or b is None:
        return None
    a, b = first_value(a), first_value(b)
    x, y = to_number(a), to_number(b)
    if x is not None and y is not None:
        return x + y
    if type(a) is str and type(b) is str:
        return a + b
    return None


def _concat(a, b):
    if a is None or b is None:
        return None
    return to_string(a) + to_string(b)


def _cmp(test):
    def apply(a, b):
        if a is None or b is None:
            return None
        c = compare_values(first_value(a), first_value(b))
        return False if c is None else test(c)  # NaN: unordered, every order test is false
    return apply


def _eq(a, b):
    if a is None or b is None:
        return None
    bv = first_value(b)
    return any(compare_values(x, bv) == 0 for x in values_of(a))


def _ne(a, b):
    r = _eq(a, b)
    return None if r is None else not r


BINARY = {
    "+": _plus, "-": _arith(lambda x, y: x - y), "*": _arith(lambda x, y: x * y),
    "/": _arith(_div), "%": _arith(_mod), ".": _concat,
    "=": _eq, "!=": _ne, "LIKE": like,
    "<": _cmp(lambda c: c < 0), ">": _cmp(lambda c: c > 0),
    "<=": _cmp(lambda c: c <= 0), ">=": _cmp(lambda c: c >= 0),
}

__all__ = ["compile_expr", "is_boolean", "like", "like_regex", "format_number"]
