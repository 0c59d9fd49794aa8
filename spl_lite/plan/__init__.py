"""The plan: a parsed pipeline turned into command nodes, checked for where each command may
stand. Validated once, at compile time; executors run it."""
from __future__ import annotations

from ..commands import COMMANDS, NOT_YET, Kind, Pipeline
from ..commands.eval import EvalCommand
from ..commands.makeresults import MakeresultsCommand
from ..commands.search import SearchCommand
from ..commands.unsupported import UnsupportedCommand
from ..errors import Span, SplError, did_you_mean
from ..syntax import ast
from . import rules


def build(pipeline: Pipeline, text: str, warnings: list | None = None) -> list:
    """A parsed pipeline's command nodes, in order: the leading search first (with the fields
    the rest reads), each command read from its arguments, generating commands checked in place."""
    commands = []
    if not pipeline.starts_with_pipe:
        end = text.rfind("|", 0, pipeline.commands[0].span.start) if pipeline.commands else len(text)
        commands.append(SearchCommand.leading_search(pipeline.leading, Span(0, end)))
    for i, args in enumerate(pipeline.commands):  # noqa: B007
        cls = COMMANDS.get(args.name.lower())
        if cls is None and args.name.lower() in NOT_YET:
            commands.append(UnsupportedCommand(args.span, args.name.lower(), args.name_span))
            continue
        if cls is None:
            raise unknown_command(args)
        cmd = cls.from_args(args)
        for option in args.items:
            if isinstance(option, ast.Option) and option.name.lower() in cls.ignored_options \
                    and warnings is not None:
                warnings.append(f"The '{option.name}' option of {cls.name} has no effect in spl_lite yet; "
                                "it was ignored.")
        generating = cls.kind is Kind.GENERATING
        if i == 0 and pipeline.starts_with_pipe and not generating:
            if isinstance(cmd, EvalCommand):
                commands.append(MakeresultsCommand(args.span))  # as Splunk does for "| eval"
            elif not isinstance(cmd, SearchCommand):
                raise SplError(f"This search must start with a generating command such as "
                               f"makeresults, not '{args.name}'.", command="SearchParser",
                               span=args.name_span,
                               hint="drop the leading '|' to search the loaded events")
        elif generating and (i > 0 or not pipeline.starts_with_pipe) and not getattr(cmd, "appends", False):
            raise SplError(f"'{args.name}' generates results, so it must be the first command "
                           f"of the search, after a leading '|'.", command=args.name,
                           span=args.name_span)
        commands.append(cmd)
    return rules.project(commands)


def unknown_command(args: ast.CommandArgs) -> SplError:
    name = args.name.lower()
    if name in NOT_YET:
        return SplError(f"Command '{args.name}' is not supported yet in spl_lite.", command=name,
                        span=args.name_span)
    hint = did_you_mean(name, list(COMMANDS) + list(NOT_YET))
    return SplError(f"Unknown search command '{args.name}'.", command="SearchParser",
                    span=args.name_span or Span(0, 1), hint=hint)
