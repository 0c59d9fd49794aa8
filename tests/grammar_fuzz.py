"""Random searches for the fuzz test: sentences of the grammar itself, and real searches mutated.

Sentences are built from the compiled Lark rules, so every command and construct the grammar
knows is reached without a hand-kept list; terminals take values from samples that include the
inputs that once broke things (runaway regexes, huge numbers, wildcards, bad escapes).
"""
from __future__ import annotations

import json
import random
import re
from functools import lru_cache
from pathlib import Path

from spl_lite.functions import EVAL_FUNCTIONS
from spl_lite.syntax.parser import lark_parser

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

FIELDS = ["a", "f", "count", "eventName", "userIdentity.arn", "resources{}.ARN", "x*", "_time", "_raw",
          "errorCode", "src_ip", "m{}", "date_hour", "d", "desc", "n"]
SAMPLES = {
    "ARG_WORD": FIELDS + ["1", "10", "ctime", "auto", "num", "csv", "99999999999999999999", "0"],
    "SEARCH_WORD": ["foo", "a", "Delete*", "*", "AccessDenied", "10.0.0.0/8", "1", "x*y*z", "*e*e*e*zzq",
                    "eventName", "errorCode", "-1d", "us-*", "\\", "'", "{", "0x41"],
    "EVAL_NAME": FIELDS[:6] + ["x", "y", "null"] + sorted(EVAL_FUNCTIONS),
    "NUMBER": ["0", "1", "2", "10", "3.5", "1e308", "99999999999999999999", "0.0001", "1e-400"],
    "DQ_STRING": ['"a"', '"(?<k>\\w+)"', '"%Y-%m-%d"', '"*"', '""', '"(a|aa)+$"', '"s/(a)/\\2/g"', '"\\9"',
                  '"x y"', '"(?<first>.)"', '"[unclosed"', '"%"', '"_%_"', '"1h"', '"-99999999999d"',
                  '"\\x{202E}"', '"y/ab/cd/"', '"nan"', '"1.2.3"'],
    "SQ_FIELD": ["'a'", "'userIdentity.arn'", "'m{}'", "'x y'"],
    "SIGNED_VALUE": ["-1", "+5", "-24h", "-0", "+99999999999999999999"],
    "OPTION_NAME": ["count", "limit", "span", "field", "max_match", "mode", "bins", "maxout", "append",
                    "delim", "useother", "keepempty", "aligntime", "start", "max", "timeformat", "tokenizer",
                    "allowempty", "type", "usenull", "annotate", "window", "global", "bogus"],
    "COMMAND_NAME": ["transaction", "foo", "tstats", "collect", "xyseries"],
    "OUTPUT_KEYWORD": ["OUTPUT", "OUTPUTNEW"],
    "SEARCH_CALL": ["f(x)", 'len("a")'],
    "SEARCH_DIRECTIVE": ["TERM(a)", "CASE(Foo)", 'TERM("x y")'],
    "PIPE_START": ["|"],
    "OTHER_PUNCT": ["<", "!=", ">="],
}
# Pieces a mutation may insert: the characters and words that unbalance or nest a search.
NOISE = ["(", ")", "[", "]", '"', "`", "|", "NOT", "OR", "**", "\\", "'", ",", "=", "!=", "```", "*",
         "[search ", "eval x=", "| stats count", "1e400", "\xff", "\u202e", "(" * 30, "NOT " * 40]


@lru_cache(maxsize=1)
def _grammar():
    parser = lark_parser()
    rules: dict[str, list[list]] = {}
    for rule in parser.rules:
        rules.setdefault(rule.origin.name, []).append([(s.name, s.is_term) for s in rule.expansion])
    terminals = {t.name: t.pattern for t in parser.terminals}
    # The fewest steps from each rule to plain text, so that deep sentences can be closed off.
    height = {name: float("inf") for name in rules}
    changed = True
    while changed:
        changed = False
        for name, expansions in rules.items():
            for exp in expansions:
                h = 1 + max((height.get(s, 0) if not term else 0 for s, term in exp), default=0)
                if h < height[name]:
                    height[name], changed = h, True
    return rules, terminals, height


def _terminal(name: str, pattern, rng: random.Random) -> str:
    if name in SAMPLES:
        return rng.choice(SAMPLES[name])
    if pattern.type == "str":
        return pattern.value
    word = re.match(r"(?:\(\?i:)?([A-Za-z]+)(?:\(\?!|\(new\)|\)?$)", pattern.value)
    if word:
        return word.group(1) if rng.random() < 0.7 else word.group(1).upper()
    alternatives = re.fullmatch(r"\(\?:(.*)\)", pattern.value)
    if alternatives:
        return rng.choice([a.replace("\\", "") for a in alternatives.group(1).split("|")])
    return pattern.value.replace("\\", "")


def sentence(rng: random.Random, max_depth: int = 12) -> str:
    """A random search the grammar accepts (most of the time: the lexer has the last word)."""
    rules, terminals, height = _grammar()
    out: list[str] = []
    todo = [("start", False, 0)]
    while todo:
        name, term, depth = todo.pop()
        if term:
            out.append(_terminal(name, terminals[name], rng))
            continue
        expansions = rules[name]
        if depth >= max_depth:
            best = min(max((height.get(s, 0) if not t else 0 for s, t in e), default=0) for e in expansions)
            expansions = [e for e in expansions
                          if max((height.get(s, 0) if not t else 0 for s, t in e), default=0) == best]
        exp = rng.choice(expansions)
        todo += [(s, t, depth + 1) for s, t in reversed(exp)]
    return " ".join(out)


def corpus() -> list[str]:
    """Real searches: the examples, the golden files, and shared/ when it is beside the project."""
    texts = [p.read_text() for p in sorted((ROOT / "examples").rglob("*.spl"))]
    texts += [p.read_text() for p in sorted((ROOT / "tests" / "golden").glob("*.spl"))]
    for name in ("spl/cases.jsonl", "corpus/spl_queries.jsonl"):
        path = SHARED / name
        if path.is_file():
            for line in path.read_text().splitlines()[:400]:
                if line.strip():
                    row = json.loads(line)
                    q = row.get("query") or row.get("spl") or row.get("search")
                    if isinstance(q, str):
                        texts.append(q)
    return [t for t in (_strip_comments(t) for t in texts) if t]


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")).strip()


def mutate(text: str, rng: random.Random) -> str:
    """A real search with one to three small edits: cut, insert noise, duplicate, swap, truncate."""
    for _ in range(rng.randint(1, 3)):
        n = len(text)
        i, j = sorted(rng.randint(0, n) for _ in range(2))
        op = rng.randrange(6)
        if op == 0:
            text = text[:i] + text[j:]
        elif op == 1:
            text = text[:i] + rng.choice(NOISE) + text[i:]
        elif op == 2:
            text = text[:j] + text[i:j] * rng.choice((2, 3, 20)) + text[j:]
        elif op == 3 and j > i:
            k = rng.randint(j, n)
            text = text[:i] + text[j:k] + text[i:j] + text[k:]
        elif op == 4:
            text = text[:j]
        else:
            text = text[:i] + rng.choice(SAMPLES["DQ_STRING"] + SAMPLES["SEARCH_WORD"]) + text[i:]
    return text


def _segments(text: str) -> list[str]:
    """A search's pipe segments: split at | outside quotes, brackets and backticks."""
    out, depth, quote, start = [], 0, "", 0
    for i, c in enumerate(text):
        if quote:
            if c == quote and text[i - 1] != "\\":
                quote = ""
        elif c in "\"`":
            quote = c
        elif c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(text[start:i].strip())
            start = i + 1
    out.append(text[start:].strip())
    return [s for s in out if s]


@lru_cache(maxsize=1)
def detection_segments() -> tuple[list[str], list[str]]:
    """(leading searches, later pipe segments) of Splunk's 1,711 published detections when
    shared/ is beside the project, else of the corpus."""
    texts = []
    path = SHARED / "corpus" / "security_content_detections.jsonl"
    if path.is_file():
        texts = [json.loads(line).get("spl") or "" for line in path.read_text().splitlines() if line.strip()]
    texts = [t for t in texts if isinstance(t, str) and t] or corpus()
    heads, tails = [], []
    for t in texts:
        parts = _segments(t)
        if parts:
            heads.append(parts[0] if not t.lstrip().startswith("|") else "| " + parts[0])
            tails += parts[1:]
    return heads, tails


def splice(rng: random.Random) -> str:
    """The head of one published detection followed by pipe segments of others: commands meet
    inputs and fields their authors never paired them with."""
    heads, tails = detection_segments()
    pieces = [rng.choice(heads)] + [rng.choice(tails) for _ in range(rng.randint(1, 4))]
    text = " | ".join(pieces)
    return mutate(text, rng) if rng.random() < 0.3 else text


def published_macros() -> list[dict]:
    """The macros the published detections call (shared/corpus/macros.jsonl), when it is here."""
    path = SHARED / "corpus" / "macros.jsonl"
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
