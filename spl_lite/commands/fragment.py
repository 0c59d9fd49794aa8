"""A piece of a pipeline written inside another command (appendpipe [...], foreach [...]):
its commands compiled as if they followed a pipe, run over the events the command hands them."""
from __future__ import annotations

from ..errors import Span, SplError
from ..runtime.context import RunContext, SearchEnv
from .base import Kind

_PREFIX = "| makeresults | "


def compile_fragment(text: str, env, *, command: str, offset: int | None = None, span=None,
                     streaming_only: bool = False) -> list:
    """Runners for the commands in ``text``. An error points into the query when the fragment
    stands there as written (``offset``: where it starts), else at ``span``."""
    from ..syntax.parser import parse
    lead = len(text) - len(text.lstrip())
    if text[lead:lead + 1] == "|":  # [| timechart ...] as well as [timechart ...]
        text = text[:lead] + " " + text[lead + 1:]
    full = _PREFIX + text
    try:
        commands = env.services.plan(parse(full), full)[1:]
        if not commands:
            raise SplError(f"{command} needs at least one command inside its brackets.")
        sub_env = SearchEnv(env.services, env.now_value(), full, validating=env.validating)
        for c in commands:
            if streaming_only and c.kind is not Kind.STREAMING:
                raise SplError(f"{command} runs streaming commands (eval, rex, ...), not '{c.name}'.",
                               command=command, span=c.span)
        return [c.prepare(sub_env) for c in commands]
    except SplError as e:
        if offset is not None and e.span is not None and e.span.start >= len(_PREFIX):
            shift = offset - len(_PREFIX)
            raise SplError(e.message, command=e.command, span=Span(e.span.start + shift, e.span.end + shift),
                           hint=e.hint) from None
        raise SplError(f"The template [{text.strip()}] does not compile: {e.message}", command=command,
                       span=span, hint=e.hint) from None


def run_fragment(runners: list, events, ctx):
    """The fragment's output for these events, in a run of its own (a stats inside does not
    make the outer search a table)."""
    sub = RunContext(ctx.services, ctx.now, ctx.warnings, ctx.columnar)
    out = iter(events)
    for runner in runners:
        out = runner(out, sub)
    return out
