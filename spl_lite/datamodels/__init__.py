"""Data models in Splunk's own JSON format: datasets with a constraint search, inherited by
their children, and fields, some worked out by eval calculations.

A dataset's fields are named after the dataset that defines them, as tstats writes them:
``Processes.process_name`` in Endpoint's Processes, ``All_Changes.Account_Management.src_user``
for a field that the child Account_Management of All_Changes adds. The models of Splunk's
Common Information Model that published detections use are bundled (``cim/``); a directory of
model files (``--datamodels DIR``) adds to them or replaces one by name.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import orjson

from ..store.files import FileProblem, read_regular
from .. import limits
from ..errors import SplError, did_you_mean

BUNDLED = Path(__file__).with_name("cim")
# Fields of every event dataset (Splunk's BaseEvent): named without a prefix.
BASE_FIELDS = ("_time", "host", "source", "sourcetype", "index")


@dataclass(frozen=True)
class Calculation:
    """An eval calculation: ``expression``'s value becomes the field ``output``."""
    output: str
    expression: str


@dataclass(frozen=True)
class Constraint:
    """A dataset's constraint search, as written (macros are expanded when it is compiled)."""
    search: str


@dataclass(frozen=True)
class Dataset:
    model: str
    name: str
    lineage: str  # "All_Changes.Account_Management"
    # Constraints and calculations in the order Splunk applies them: the root's constraint and
    # calculations, then each child's down to this one.
    steps: tuple
    fields: dict  # qualified name ("Processes.dest") -> the event's field ("dest")
    # Fields of the datasets below this one (All_Changes.Instance_Changes.image_id searched from
    # All_Changes): qualified name -> (the event's field, the steps that child adds). An event
    # has them only when it is in that child, as in Splunk's summaries of a whole model.
    below: dict = field(default_factory=dict)

    def source_field(self, qualified: str) -> str | None:
        """The event field behind a name as tstats writes it; None for a name the model lacks."""
        if qualified in BASE_FIELDS:
            return qualified
        return self.fields.get(qualified)


@dataclass(frozen=True)
class DataModel:
    name: str
    datasets: dict  # lineage -> Dataset
    roots: tuple[str, ...]

    def dataset(self, name: str | None, span=None, command: str = "tstats") -> Dataset:
        """A dataset by its name or lineage; the only root when none is named."""
        if name is None:
            if len(self.roots) == 1:
                return self.datasets[self.roots[0]]
            raise SplError(f"The data model '{self.name}' has several root datasets ({', '.join(self.roots)}): "
                           f"name one, as in datamodel={self.name}.{self.roots[0]}.", command=command, span=span)
        found = self.datasets.get(name) or next((d for d in self.datasets.values() if d.name == name), None)
        if found is None:
            names = sorted({d.name for d in self.datasets.values()} | set(self.datasets))
            raise SplError(f"The data model '{self.name}' has no dataset '{name}'.", command=command, span=span,
                           hint=did_you_mean(name, names) or f"its datasets: {', '.join(names)}")
        return found


class DataModels:
    """The data models a search can name, by model name."""

    def __init__(self, paths=()):
        self.models: dict[str, DataModel] = {}
        self.warnings: list[str] = []
        self.read_dir(BUNDLED)
        for p in paths:
            p = Path(p)
            if p.is_dir():
                self.read_dir(p)
            elif p.exists():  # a FIFO or a device is reported by read_file, never read
                self.read_file(p)
            else:
                raise SplError(f"No data model file or directory at {p}.")

    def read_dir(self, directory: Path) -> None:
        for path in sorted(directory.glob("*.json")):
            self.read_file(path)

    def read_file(self, path: Path) -> None:
        try:
            if path.stat().st_size > limits.current().file_bytes:
                raise ValueError("larger than the limit file_bytes")
            model = read_model(orjson.loads(read_regular(path)), str(path))
        except (OSError, ValueError, KeyError, TypeError, FileProblem) as e:
            self.warnings.append(f"{path}: not a data model ({e}); skipped")
            return
        self.models[model.name] = model

    def dataset(self, spec: str, span=None, command: str = "tstats") -> Dataset:
        """``Model`` or ``Model.Dataset`` (a dataset's name or its lineage) as tstats takes it."""
        model_name, _, rest = spec.partition(".")
        return self.model(model_name, span, command).dataset(rest or None, span, command)

    def model(self, name: str, span=None, command: str = "tstats") -> DataModel:
        model = self.models.get(name) or next((m for k, m in self.models.items() if k.lower() == name.lower()), None)
        if model is None:
            raise SplError(f"The data model '{name}' was not found.", command=command, span=span,
                           hint=did_you_mean(name, self.models) or
                           f"bundled and loaded models: {', '.join(sorted(self.models))}")
        return model


def read_model(doc, source: str) -> DataModel:
    """A model from Splunk's JSON (modelName, objects with objectName, parentName, constraints,
    fields and calculations)."""
    if type(doc) is not dict or type(doc.get("objects")) is not list:
        raise ValueError("expected an object with 'modelName' and 'objects'")
    name = str(doc.get("modelName") or Path(source).stem)
    objects = {}
    for obj in doc["objects"]:
        if type(obj) is not dict or not obj.get("objectName"):
            raise ValueError("every object needs an objectName")
        objects[str(obj["objectName"])] = obj
    datasets: dict[str, Dataset] = {}
    roots = []

    def build(obj_name: str, seen: tuple) -> Dataset:
        if obj_name in seen:
            raise ValueError(f"the dataset {obj_name} is its own ancestor")
        obj = objects[obj_name]
        parent_name = str(obj.get("parentName") or "BaseEvent")
        parent = build(parent_name, seen + (obj_name,)) if parent_name in objects else None
        lineage = obj_name if parent is None else f"{parent.lineage}.{obj_name}"
        fields = dict(parent.fields) if parent else {}
        for f in obj.get("fields") or ():
            fname = str(f["fieldName"])
            if fname not in BASE_FIELDS:
                fields[f"{lineage}.{fname}"] = fname
        steps = list(parent.steps) if parent else []
        steps += [Constraint(str(c["search"])) for c in obj.get("constraints") or () if str(c.get("search", "")).strip()]
        for c in obj.get("calculations") or ():
            kind = str(c.get("calculationType", "Eval")).lower()
            if kind != "eval":
                raise ValueError(f"{obj_name}: {c.get('calculationType')} calculations are not supported; "
                                 "only Eval")
            for out in c.get("outputFields") or ():
                fname = str(out["fieldName"])
                steps.append(Calculation(fname, str(c["expression"])))
                fields[f"{lineage}.{fname}"] = fname
        return Dataset(name, obj_name, lineage, tuple(steps), fields)

    for obj_name, obj in objects.items():
        ds = build(obj_name, ())
        datasets[ds.lineage] = ds
        if "." not in ds.lineage:
            roots.append(ds.lineage)
    for ds in datasets.values():
        for child in datasets.values():
            if child.lineage.startswith(ds.lineage + "."):
                extra = child.steps[len(ds.steps):]
                for q, source in child.fields.items():
                    if q not in ds.fields and q == f"{child.lineage}.{source}":  # the field's own dataset
                        ds.below.setdefault(q, (source, child.lineage, extra))
    return DataModel(name, datasets, tuple(roots))
