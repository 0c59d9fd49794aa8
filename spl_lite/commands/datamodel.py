"""datamodel and from: a data model's datasets, or the events of one."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..datamodels import Calculation, Constraint
from ..datamodels.search import DatasetSearch
from ..runtime.values import copy_event
from ..syntax import ast
from .base import Command, Kind
from .lookup import InputlookupCommand

MODES = ("search", "flat")


def _words(args) -> list:
    return [w for w in args.items if isinstance(w, (ast.Word, ast.QuotedString))]


@dataclass(frozen=True)
class DatamodelCommand(Command):
    """The data models and their datasets, or with search (fields named Dataset.field) or flat
    (fields as the events name them) the events of one dataset."""

    name: ClassVar[str] = "datamodel"
    kind: ClassVar[Kind] = Kind.GENERATING
    syntax: ClassVar[str] = "| datamodel [<model> [<dataset>]] [search | flat]"
    example: ClassVar[str] = "| datamodel Authentication Failed_Authentication search"

    model: str | None = None
    dataset: str | None = None
    mode: str | None = None
    target_span: object = None

    @classmethod
    def from_args(cls, args):
        words = _words(args)
        mode = None
        if words and words[-1].text.lower() in MODES + ("acceleration_search",):
            mode = words.pop().text.lower()
            if mode == "acceleration_search":
                raise cls.error("spl_lite has no accelerated summaries: use search or flat.", args.span)
        if len(words) > 2:
            raise cls.error(f"Usage: {cls.syntax}", words[2].span)
        if mode and not words:
            raise cls.error(f"Name a data model and a dataset to {mode}. Usage: {cls.syntax}", args.span)
        span = words[0].span if words else None
        if len(words) == 2 and span is not None and words[1].span is not None:
            span = type(span)(span.start, words[1].span.end)
        return cls(args.span, words[0].text if words else None, words[1].text if len(words) > 1 else None,
                   mode, span)

    def fields_read(self):
        return None

    def prepare(self, env):
        models = env.services.datamodels
        if self.mode is None:
            rows = _describe(models, self.model, self.target_span)
            return lambda events, ctx: iter([dict(r) for r in rows])
        spec = f"{self.model}.{self.dataset}" if self.dataset else self.model
        return dataset_events(models.dataset(spec, self.target_span, self.name), env, self.span,
                              prefixed=self.mode == "search")


def dataset_events(dataset, env, span, prefixed: bool):
    """A runner giving the dataset's events; ``prefixed`` adds the model's fields as Dataset.field."""
    search = DatasetSearch(dataset, env, span)
    names = tuple(dataset.fields) + tuple(dataset.below)

    def run(events, ctx):
        for ev in search.events(ctx.scan):
            if prefixed:
                ev = copy_event(ev)
                ev.update((k, v) for k, v in search.row(ev, names).items() if v is not None and k != "_time")
            yield ev
    return run


def _describe(models, model: str | None, span) -> list[dict]:
    if model is None:
        return [{"modelName": m.name, "datasets": [d for d in m.datasets]} for m in models.models.values()]
    out = []
    for lineage, d in models.model(model, span, "datamodel").datasets.items():
        out.append({"dataset": lineage,
                    "constraints": [s.search for s in d.steps if isinstance(s, Constraint)],
                    "calculations": [f"{s.output}={s.expression}" for s in d.steps if isinstance(s, Calculation)],
                    "fields": sorted(d.fields)})
    return out


@dataclass(frozen=True)
class FromCommand(Command):
    """The events of a data model dataset (from datamodel:<model>.<dataset>), or the rows of a
    lookup table (from lookup:<table>)."""

    name: ClassVar[str] = "from"
    kind: ClassVar[Kind] = Kind.GENERATING
    syntax: ClassVar[str] = "| from datamodel:<model>.<dataset> | from lookup:<table>"
    example: ClassVar[str] = '| from datamodel:"Authentication.Failed_Authentication"'

    kind_of: str = ""
    target: str = ""
    target_span: object = None

    @classmethod
    def from_args(cls, args):
        words = _words(args)
        text = "".join(w.text if isinstance(w, ast.Word) else w.text for w in words)
        if ":" in text:
            kind_of, _, target = text.partition(":")
        elif len(words) == 2:  # from datamodel Model.Dataset, as some published searches write it
            kind_of, target = words[0].text, words[1].text
        else:
            raise cls.error(f"Usage: {cls.syntax}", args.span)
        kind_of = kind_of.strip().lower()
        if kind_of not in ("datamodel", "lookup", "inputlookup"):
            raise cls.error(f"spl_lite reads datamodel: and lookup: datasets, not '{kind_of}:'.", args.span)
        span = words[-1].span if words else args.span
        return cls(args.span, kind_of, target.strip(), span)

    def fields_read(self):
        return None

    def prepare(self, env):
        if self.kind_of == "datamodel":
            dataset = env.services.datamodels.dataset(self.target, self.target_span, self.name)
            return dataset_events(dataset, env, self.span, prefixed=False)
        return InputlookupCommand(self.span, self.target, self.target_span).prepare(env)
