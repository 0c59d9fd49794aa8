"""The events of a data model dataset, as Splunk finds them for a model that is not accelerated:
its constraint searches and eval calculations, in order, over the stored events; and rows with
the model's fields named as tstats and the datamodel command name them (Dataset.field)."""
from __future__ import annotations

from . import BASE_FIELDS, Calculation, Constraint, Dataset
from ..errors import SplError
from ..compiler.expressions import compile_expr
from ..compiler.search_terms import TimeRange, compile_search
from ..runtime.values import copy_event, get_field
from ..store.memory import ScanRequest


class DatasetSearch:
    """``reads``: the event fields the rows will read (None: any); calculations that nothing
    reads are skipped (each may cost a lookup per event)."""

    def __init__(self, dataset: Dataset, env, span, time_range: TimeRange | None = None,
                 reads: frozenset | None = None):
        self.dataset = dataset
        steps = _needed(_compile_steps(dataset.steps, dataset, env, span), reads)
        # The root constraint goes to the store's scan, which answers it a column at a time.
        root = steps[0][2] if steps and steps[0][0] == "search" else None
        self.steps = steps[1:] if root is not None else steps
        tr = time_range or TimeRange()
        self.request = ScanRequest(root, TimeRange(tr.earliest, tr.latest),
                                   compile_search(root, env, command="tstats", leading=True)[0],
                                   lambda node: compile_search(node, env, leading=True)[0])
        self.below = {lineage: _compile_steps(extra, dataset, env, span)
                      for _, lineage, extra in dataset.below.values()}

    def events(self, scan):
        """The dataset's events (``scan``: the run context's scan), each with the model's
        calculations applied."""
        for ev in scan(self.request):
            ev = through(ev, self.steps)
            if ev is not None:
                yield ev

    def all_fields(self) -> tuple:
        return tuple(self.dataset.fields) + BASE_FIELDS + tuple(self.dataset.below)

    def row(self, ev, names) -> dict:
        """The named fields of one of the dataset's events (a name the model lacks is null)."""
        dataset, row, in_child = self.dataset, {}, {}
        for name in names:
            source = dataset.source_field(name)
            if source is not None:
                row[name] = get_field(ev, source)
            elif name in dataset.below:
                source, lineage, _ = dataset.below[name]
                if lineage not in in_child:
                    in_child[lineage] = through(ev, self.below[lineage])
                child_ev = in_child[lineage]
                row[name] = None if child_ev is None else get_field(child_ev, source)
            else:
                row[name] = None
        if "_time" not in row:
            row["_time"] = get_field(ev, "_time")
        return row


def through(ev, steps):
    """The event with the steps' calculations, or None when a constraint excludes it."""
    copied = False
    for step in steps:
        if step[0] == "search":
            if not step[1](ev):
                return None
        else:
            if not copied:
                ev, copied = copy_event(ev), True
            ev[step[1]] = step[2](ev)
    return ev


def _needed(steps: list, reads: frozenset | None) -> list:
    """The steps without the calculations whose output no later step and no row reads."""
    if reads is None:
        return steps
    wanted: set | None = set(reads)
    kept = []
    for step in reversed(steps):
        if step[0] == "eval" and wanted is not None and step[1] not in wanted:
            continue
        kept.append(step)
        read = step[3]
        wanted = None if wanted is None or read is None else (wanted | read)
    return kept[::-1]


def _reads(node) -> frozenset | None:
    """The fields a constraint's terms or a calculation's expression read; None: any."""
    from ..syntax.ast import collect_fields as _collect_fields
    names: set[str] = set()
    return frozenset(names) if _collect_fields(node, names) and "_raw" not in names else None


def _compile_steps(steps, dataset: Dataset, env, span) -> list:
    """Each constraint as a search-term test and each calculation as an expression, in order."""
    from ..syntax.macros import expand
    from ..syntax.parser import parse, parse_expression
    out = []
    for step in steps:
        try:
            if isinstance(step, Constraint):
                terms = parse(expand(step.search, env.services.macros)).leading
                test, _ = compile_search(terms, env, command="tstats", leading=True)
                out.append(("search", test, terms, _reads(terms)))
            elif isinstance(step, Calculation):
                expr = parse_expression(step.expression)
                out.append(("eval", step.output, compile_expr(expr, env), _reads(expr)))
        except SplError as e:
            raise SplError(f"The data model {dataset.model} ({dataset.lineage}) does not compile: {e.message}",
                           command="tstats", span=span) from None
    return out
