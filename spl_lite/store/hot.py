"""The fields extracted into columns while loading, from the body the loader parsed anyway.

Like Splunk's indexed fields: searches on them need no pass over the events. These are the
CloudTrail fields that hunts and the AWS add-on's calculated fields read most; any other field
becomes a column on first use (one pass over the events' text).
"""
from __future__ import annotations

import numpy as np

from ..runtime.values import BODY, json_scalar, raw_getter

# Each costs about 0.4 microseconds per event at load: fields that searches only show (requestID,
# eventID...) are read from the few events they select instead.
HOT_FIELDS = (
    "eventName", "eventSource", "errorCode", "errorMessage", "awsRegion", "sourceIPAddress", "userAgent",
    "eventType",
    "userIdentity.type", "userIdentity.userName", "userIdentity.arn", "userIdentity.invokedBy",
    "userIdentity.sessionContext.sessionIssuer.userName",
    "requestParameters.roleArn", "requestParameters.sourceIdentity",
    "additionalEventData.MFAUsed", "responseElements.ConsoleLogin",
)
BATCH = 65_536  # events whose values are collected before they are encoded


class _Absent:
    def __repr__(self):
        return "ABSENT"


ABSENT = _Absent()


class Multivalue(tuple):
    """A list value from the getter, hashable while it waits to be encoded."""


def _leaf(v):
    """The getter's value for a leaf that is not text: null and numbers as text, objects and
    arrays as no value (they are reached by their own paths)."""
    if v is ABSENT or type(v) is dict or type(v) is list:
        return ABSENT
    return json_scalar(v)


def _exact(v):
    if v is None:
        return ABSENT
    return Multivalue(v) if type(v) is list else v


class HotExtractor:
    """Collects the fields' values event by event with the getter's rules, inlined for the
    common shapes (text found along the path, a key missing): numbers, arrays along the path
    and keys holding dots go through the getter itself, so the rule stays one."""

    def __init__(self, names):
        self.names = tuple(names)
        groups: dict[tuple, list] = {}
        for i, name in enumerate(self.names):
            keys = name.split(".")
            groups.setdefault(tuple(keys[:-1]), []).append((keys[-1], i, name, raw_getter(name)))
        self.top = groups.pop((), [])
        # A key such as "userIdentity.userName" at the top reads as the path: its text holds "userIdentity.
        self.nested = [(parents, ('"' + parents[0] + ".").encode("utf-8"), children)
                       for parents, children in groups.items()]
        self.rows: list[list] = [[] for _ in self.names]

    def add(self, ev, buffer, start: int, end: int) -> None:
        body = ev[BODY]
        rows = self.rows
        for key, i, name, get in self.top:
            v = body.get(key, ABSENT)
            rows[i].append(v if type(v) is str else _leaf(v))
        for parents, dotted, children in self.nested:
            node, parent, missing = body, None, None
            for k in parents:
                nxt = node.get(k, ABSENT)
                if type(nxt) is not dict:
                    parent, missing = node, (k if nxt is ABSENT else None)
                    node = nxt
                    break
                node = nxt
            if type(node) is dict:
                for key, i, name, get in children:
                    v = node.get(key, ABSENT)
                    if type(v) is not str:
                        v = (_exact(get(ev)) if name in body else ABSENT) if v is ABSENT else _leaf(v)
                    rows[i].append(v)
            elif type(node) is list or (missing is not None and self._dotted(parent, body, missing, dotted,
                                                                             buffer, start, end)):
                for key, i, name, get in children:
                    rows[i].append(_exact(get(ev)))
            else:  # a parent missing, JSON null or text: the path ends there
                for key, i, name, get in children:
                    rows[i].append(ABSENT)

    @staticmethod
    def _dotted(parent: dict, body: dict, key: str, dotted: bytes, buffer, start: int, end: int) -> bool:
        """Whether a key such as "key.x" sits beside the missing key (the getter then reads it)."""
        if parent is body:
            return buffer.find(dotted, start, end) >= 0
        prefix = key + "."
        return any(k.startswith(prefix) for k in parent)

    def flush(self, encoders) -> None:
        """The collected values encoded into the columns, each distinct value once."""
        for values, enc in zip(self.rows, encoders):
            if not values:
                continue
            local: dict = {}
            codes = [local.setdefault(v, len(local)) for v in values]
            remap = np.array([-1 if v is ABSENT else enc.code(list(v) if type(v) is Multivalue else v)
                              for v in local], dtype=np.int32)
            enc.codes.frombytes(remap[np.array(codes, dtype=np.int64)].tobytes())
            values.clear()
