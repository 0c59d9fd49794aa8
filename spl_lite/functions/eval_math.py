"""Math eval functions."""
from __future__ import annotations

import math
import random as _random
from decimal import ROUND_HALF_UP, Decimal

from ..runtime.values import Rounded, sort_key_auto, to_number, values_of
from .registry import eval_function


def _numeric(fn):
    def apply(*args):
        nums = [to_number(a) for a in args]
        if any(n is None for n in nums):
            return None
        try:
            r = fn(*nums)
        except (ValueError, OverflowError, ZeroDivisionError, ArithmeticError):
            return None  # decimal's InvalidOperation (round(1e308,2)) is an ArithmeticError
        return r
    apply.__doc__ = fn.__doc__
    return apply


def _int_if_whole(x):
    return int(x) if isinstance(x, float) and x.is_integer() and abs(x) < 2 ** 63 else x


@eval_function("round", 1, 2, usage="round(<number>, [<decimals>])")
@_numeric
def _round(x, n=0):
    """The number rounded to n decimals (halves away from zero); shown with exactly n decimals."""
    n = int(n)
    if not math.isfinite(x) or abs(x) >= 1e15 or abs(n) > 300:
        return x  # beyond a double's decimals there is nothing left to round
    q = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-n), rounding=ROUND_HALF_UP)
    if n <= 0:
        return int(q)
    return Rounded(float(q), n)


eval_function("floor", 1, usage="floor(<number>)")(_numeric(lambda x: math.floor(x)))
eval_function("ceiling", 1, usage="ceiling(<number>)", aliases=("ceil",))(_numeric(lambda x: math.ceil(x)))
eval_function("abs", 1, usage="abs(<number>)")(_numeric(lambda x: abs(x)))
eval_function("pow", 2, usage="pow(<base>, <exponent>)")(_numeric(lambda x, y: _int_if_whole(math.pow(x, y))))
eval_function("sqrt", 1, usage="sqrt(<number>)")(_numeric(lambda x: _int_if_whole(math.sqrt(x))))
eval_function("exp", 1, usage="exp(<number>)")(_numeric(math.exp))
eval_function("ln", 1, usage="ln(<number>)")(_numeric(math.log))
eval_function("log", 1, 2, usage="log(<number>, [<base>])")(_numeric(lambda x, b=10: math.log(x, b)))
eval_function("pi", 0, usage="pi()")(lambda: math.pi)
eval_function("exact", 1, usage="exact(<expression>)")(lambda x: x)


@eval_function("random", 0, usage="random()")
def _random_int():
    """A pseudo-random integer from 0 to 2^31-1."""
    return _random.randint(0, 2**31 - 1)


def _extreme(pick):
    def fn(*args):
        vals = [x for a in args for x in values_of(a)]
        if not vals:
            return None
        # Numbers sort below strings, so max(1, 3, "foo") is "foo".
        best = pick(vals, key=sort_key_auto)
        n = to_number(best)
        return n if n is not None else best
    return fn


eval_function("min", 1, None, usage="min(<value>, ...)", nulls=False)(_extreme(min))
eval_function("max", 1, None, usage="max(<value>, ...)", nulls=False)(_extreme(max))


@eval_function("sum", 1, None, usage="sum(<value>, ...)", nulls=False)
def _sum(*args):
    """The sum of the numeric arguments (others are skipped)."""
    nums = [n for a in args for n in (to_number(x) for x in values_of(a)) if n is not None]
    return sum(nums) if nums else None


@eval_function("avg", 1, None, usage="avg(<value>, ...)", nulls=False)
def _avg(*args):
    """The mean of the numeric arguments (others are skipped)."""
    nums = [n for a in args for n in (to_number(x) for x in values_of(a)) if n is not None]
    return sum(nums) / len(nums) if nums else None


def _math(name: str, fn, arity: int, summary: str):
    def apply(*args):
        return fn(*args)
    apply.__doc__ = summary
    args = ", ".join(("<x>", "<y>")[:arity])
    eval_function(name, arity, usage=f"{name}({args})")(_numeric(apply))


for _name, _summary in (("sin", "The sine of an angle in radians."), ("cos", "The cosine of an angle in radians."),
                        ("tan", "The tangent of an angle in radians."), ("asin", "The arc sine, in radians."),
                        ("acos", "The arc cosine, in radians."), ("atan", "The arc tangent, in radians."),
                        ("sinh", "The hyperbolic sine."), ("cosh", "The hyperbolic cosine."),
                        ("tanh", "The hyperbolic tangent."), ("asinh", "The inverse hyperbolic sine."),
                        ("acosh", "The inverse hyperbolic cosine."), ("atanh", "The inverse hyperbolic tangent.")):
    _math(_name, getattr(math, _name), 1, _summary)
_math("atan2", math.atan2, 2, "The arc tangent of y/x in radians, with the quadrant from the signs (atan2(y, x)).")
_math("hypot", lambda x, y: _int_if_whole(math.hypot(x, y)), 2, "The square root of x*x + y*y.")


def significant(text: str) -> int | None:
    """The significant figures a number is written with: 1.00 has 3, 1110 has 3, 0.05 has 1."""
    t = text.strip().lstrip("+-").lower()
    if "e" in t:
        t = t.split("e")[0]
    digits = t.replace(".", "").lstrip("0")
    if not digits or not t.replace(".", "", 1).isdigit():
        return None
    return len(digits) if "." in t else len(digits.rstrip("0")) or 1


def round_significant(x: float, figures: int):
    if x == 0 or not math.isfinite(x):
        return x
    out = round(x, figures - 1 - math.floor(math.log10(abs(x))))
    return _int_if_whole(float(out)) if float(out).is_integer() else out


@eval_function("sigfig", 1, usage="sigfig(<number expression>)", builder=True)
def _sigfig(env, nodes, args, compiler):
    """The result rounded to the significant figures its operands carry: for * and /, the fewest
    figures of the two (sigfig(1.00*1111) is 1110); for + and -, the fewest decimals."""
    from ..runtime.values import get_field, to_string
    from ..syntax import ast
    text = getattr(env, "text", "") or ""
    node, value = nodes[0], args[0]

    def written(n, ev) -> str | None:
        if isinstance(n, ast.Literal) and n.span is not None and text:
            return text[n.span.start:n.span.end]
        if isinstance(n, ast.Literal):
            return repr(n.value)
        if isinstance(n, ast.FieldRef):
            v = get_field(ev, n.name)
            return None if v is None or isinstance(v, list) else to_string(v)
        return None

    def decimals(t: str) -> int:
        return len(t.split(".")[1]) if "." in t else 0

    def run(ev):
        x = to_number(value(ev))
        if x is None:
            return None
        if isinstance(node, ast.BinaryOp) and node.op in ("*", "/", "+", "-"):
            left, right = written(node.left, ev), written(node.right, ev)
            if left is None or right is None:
                return x
            if node.op in ("+", "-"):
                out = round(x, min(decimals(left), decimals(right)))
                return _int_if_whole(float(out)) if min(decimals(left), decimals(right)) == 0 else out
            figures = [f for f in (significant(left), significant(right)) if f is not None]
            return round_significant(x, min(figures)) if figures else x
        own = written(node, ev)
        figures = significant(own) if own is not None else None
        return round_significant(x, figures) if figures else x
    return run
