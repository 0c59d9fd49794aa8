"""The fields extracted into columns while loading, from the body the loader parsed anyway.

Like Splunk's indexed fields: searches on them need no pass over the events. These are the
CloudTrail fields that hunts and the AWS add-on's calculated fields read most; any other field
becomes a column on first use (one pass over the events' text).
"""
from __future__ import annotations

from itertools import repeat


from ..runtime.values import BODY, json_scalar, raw_getter
from .projection import UNSET

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
BATCH = 512  # events held (parsed) until their values are read a column at a time, few enough to stay in the cache


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
    """Collects a batch of events, then reads each field for the whole batch a column at a
    time (C loops of dict.get, which cost a third of an event-by-event walk). The getter's rules
    are inlined for the common shapes (text found along the path, a key missing); numbers,
    arrays along the path and keys holding dots go through the getter itself, so the rule
    stays one."""

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
        self.bodies: list = []
        self.spans: list = []
        # Per field, each value seen (as the extractor holds it) to its code in the column.
        self.tables = [{ABSENT: -1, UNSET: -1} for _ in self.names]

    def add(self, body, buffer, start: int, end: int) -> None:
        self.bodies.append(body)
        self.spans.append((buffer, start, end))

    def add_batch(self, batch) -> None:
        self.bodies += batch.bodies
        self.spans += zip(repeat(batch.buffer), batch.starts.tolist(), batch.ends.tolist())

    def add_columns(self, columns: dict, encoders) -> None:
        """Values a Projection read, a list per field (text, None for JSON null, or UNSET
        for none)."""
        for i, name in enumerate(self.names):
            _encode(columns[name], encoders[i], self.tables[i])

    def flush(self, encoders) -> None:
        """The batch's values encoded into the columns, each distinct value once."""
        bodies = self.bodies
        if not bodies:
            return
        for key, i, name, get in self.top:
            values = list(map(dict.get, bodies, repeat(key), repeat(ABSENT)))
            if not set(map(type, values)) <= _TEXT:
                values = [v if type(v) is str else _leaf(v) for v in values]
            _encode(values, encoders[i], self.tables[i])
        for parents, dotted, children in self.nested:
            nodes, by_getter = bodies, []
            dotted_here = None
            for level, k in enumerate(parents):
                parent_nodes, nodes = nodes, list(map(dict.get, nodes, repeat(k), repeat(ABSENT)))
                if set(map(type, nodes)) == _OBJECT:
                    continue
                for j in [j for j, node in enumerate(nodes) if type(node) is not dict]:
                    node = nodes[j]
                    nodes[j] = _EMPTY  # the path ends here; whether the getter reads on is decided now
                    if type(node) is list:
                        by_getter.append(j)
                    elif node is ABSENT and parent_nodes[j] is not _EMPTY:
                        if level == 0:
                            if dotted_here is None:
                                dotted_here = self._mentions(dotted)
                            if dotted_here and self._holds(j, dotted):
                                by_getter.append(j)
                        elif any(key.startswith(k + ".") for key in parent_nodes[j]):
                            by_getter.append(j)
            for key, i, name, get in children:
                values = list(map(dict.get, nodes, repeat(key), repeat(ABSENT)))
                if not set(map(type, values)) <= _TEXT or any(map(dict.__contains__, bodies, repeat(name))):
                    values = [v if type(v) is str else (_exact(get({BODY: body})) if name in body else ABSENT)
                              if v is ABSENT else _leaf(v) for v, body in zip(values, bodies)]
                for j in by_getter:
                    values[j] = _exact(get({BODY: bodies[j]}))
                _encode(values, encoders[i], self.tables[i])
        self.bodies = []
        self.spans.clear()

    def _mentions(self, text: bytes) -> bool:
        """Whether any event of the batch may hold ``text`` (one search when they share a buffer)."""
        buffers = {id(b) for b, _, _ in self.spans}
        if len(buffers) == 1:
            buffer = self.spans[0][0]
            return buffer.find(text, min(s for _, s, _ in self.spans), max(e for _, _, e in self.spans)) >= 0
        return True

    def _holds(self, j: int, text: bytes) -> bool:
        buffer, start, end = self.spans[j]
        return buffer.find(text, start, end) >= 0


_TEXT = {str, _Absent}
_OBJECT = {dict}
_EMPTY: dict = {}


def _encode(values: list, enc, table: dict) -> None:
    """The values' codes appended to the column; only values new to this load go through
    the encoder."""
    codes = list(map(table.get, values))
    if None in codes:
        for j in [j for j, c in enumerate(codes) if c is None]:
            v = values[j]
            c = table.get(v)
            if c is None:
                # A Projection's JSON null is the text "null", as _leaf gives it.
                c = table[v] = enc.code("null" if v is None else list(v) if type(v) is Multivalue else v)
            codes[j] = c
    enc.codes.extend(codes)
