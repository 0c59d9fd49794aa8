"""Eval and stats function registries. Importing this package fills them."""
from . import (eval_conditional, eval_conversion, eval_math, eval_multivalue,  # noqa: F401
               stats_functions, stats_sparkline,
               eval_format, eval_json, eval_text, eval_time)
from .registry import EVAL_FUNCTIONS, STATS_FUNCTIONS

__all__ = ["EVAL_FUNCTIONS", "STATS_FUNCTIONS"]
