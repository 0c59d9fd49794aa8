"""search: keep the events that match search terms; first in a pipeline, it reads the store."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..compiler.search_terms import compile_search
from ..store.memory import ScanRequest
from ..syntax import ast
from .base import Command, Kind


def resolve_subsearches(terms, env):
    """The terms with each [ subsearch ] run once and replaced by the terms its results stand for;
    at compile time the subsearches are only validated."""
    from ..compiler.subsearch import run_subsearch, subsearch_terms
    if isinstance(terms, ast.Subsearch):
        if env.validating:
            env.services.validate_subsearch(terms.pipeline, env)
            return terms
        return subsearch_terms(run_subsearch(terms, env))
    if isinstance(terms, (ast.And, ast.Or)):
        return type(terms)(tuple(resolve_subsearches(t, env) for t in terms.terms), terms.span)
    if isinstance(terms, ast.Not):
        return ast.Not(resolve_subsearches(terms.term, env), terms.span)
    if isinstance(terms, ast.FieldSubsearch) and env.validating:
        env.services.validate_subsearch(terms.subsearch.pipeline, env)
    return terms


@dataclass(frozen=True)
class SearchCommand(Command):
    """Keep the events that match search terms (field=value, keywords, AND/OR/NOT)."""

    name: ClassVar[str] = "search"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = "search <field>=<value> | <keyword> | NOT <term> | <term> OR <term> ..."
    example: ClassVar[str] = "search eventName=Delete* errorCode!=AccessDenied"

    terms: object = None
    leading: bool = False
    fields: frozenset | None = None  # for the leading search: what the rest of the pipeline reads

    @classmethod
    def from_args(cls, args: ast.CommandArgs):
        terms = args.items[0] if args.items else None
        return cls(args.span, terms)

    @classmethod
    def leading_search(cls, terms, span):
        # An explicit leading "search" keyword is the command name, not a term.
        if isinstance(terms, ast.Keyword) and not terms.quoted and terms.text.lower() == "search":
            terms = None
        elif isinstance(terms, ast.And) and isinstance(terms.terms[0], ast.Keyword) \
                and not terms.terms[0].quoted and terms.terms[0].text.lower() == "search":
            rest = terms.terms[1:]
            terms = rest[0] if len(rest) == 1 else ast.And(rest, terms.span)
        return cls(span, terms, True)

    def prepare(self, env):
        terms = resolve_subsearches(self.terms, env)
        test, time_range = compile_search(terms, env, leading=self.leading)
        if self.leading:
            request = ScanRequest(terms, time_range, test,
                                  lambda node: compile_search(node, env, leading=True)[0], self.fields)

            def generate(events, ctx):
                return ctx.scan(request)
            return generate

        def run(events, ctx):
            return filter(test, events)
        return run
