"""What a loading worker's store hands back, and how the engine's store takes it: offsets,
times, origins and the columns made at load, in load order. Functions given the store
(EventStore.export and EventStore.merge call them), kept apart because only loading uses them."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .columns import NULL, STORE_METADATA, Encoder
from .field_names import holds_escape
from ..runtime.values import BUFFER, KNOWLEDGE

if TYPE_CHECKING:
    from .memory import EventStore


def export(store: EventStore, file_range: bytes | None) -> dict:
    """What a worker's store holds, in load order, for the engine's store to take; the
    NDJSON range it read (``file_range``) is left out: the engine holds that file itself."""
    store._freeze_copied()
    return {"n": store._n, "time": store._time.tobytes(), "buf": store._buf.tobytes(),
            "start": store._start.tobytes(), "end": store._end.tobytes(), "origin": store._origin.tobytes(),
            "buffers": [None if b is file_range else b for b in store._buffers],
            "escaped": list(map(holds_escape, store._buffers)),
            "origins": [{k: v for k, v in o.items() if k not in (BUFFER, KNOWLEDGE)} for o in store._origins],
            "columns": {name: (enc.values, enc.column(store._n).codes) for name, enc in store._raw_columns.items()
                        if isinstance(enc, Encoder)}}


def merge(store: EventStore, part: dict, decorate, file_bytes: bytes | None = None, offset: int = 0) -> int:
    """Take a worker's part; its missing buffer is ``file_bytes``, where its offsets start
    at ``offset``."""
    store._reopen()
    for name in STORE_METADATA:
        store._raw_columns.pop(name, None)
    store._freeze_copied()
    buffer_ids = []
    for b, escaped in zip(part["buffers"], part["escaped"]):
        b = file_bytes if b is None else b
        known = store._buffer_ids.get(id(b))
        if known is None:
            known = store._buffer_ids[id(b)] = len(store._buffers)
            store._buffers.append(b)
        store._escaped[known] = store._escaped.get(known, False) or escaped
        buffer_ids.append(known)
    origin_ids = []
    for o in part["origins"]:
        o = {**o, BUFFER: None}
        origin_ids.append(len(store._origins))
        store._origins.append(decorate(o) if decorate is not None else o)
    bufs = np.frombuffer(part["buf"], dtype=np.int32)
    shift = np.array([offset if b is None else 0 for b in part["buffers"]] or [0], dtype=np.int64)[bufs]
    store._time.frombytes(part["time"])
    store._buf.frombytes(np.array(buffer_ids or [0], dtype=np.int32)[bufs].tobytes())
    store._start.frombytes((np.frombuffer(part["start"], dtype=np.int64) + shift).tobytes())
    store._end.frombytes((np.frombuffer(part["end"], dtype=np.int64) + shift).tobytes())
    origins = np.frombuffer(part["origin"], dtype=np.int32)
    store._origin.frombytes(np.array(origin_ids or [0], dtype=np.int32)[origins].tobytes())
    for name, (values, codes) in part["columns"].items():
        enc = store._encoder(name)
        remap = np.array([enc.code(v) for v in values] + [NULL], dtype=np.int32)
        enc.codes.frombytes(remap[codes].tobytes())
    store._n += part["n"]
    for col in store._raw_columns.values():
        if isinstance(col, Encoder):
            col.pad(store._n)
    store._sorted = part["n"] == 0
    store._columns, store._catalog, store._has, store._by_buffer, store._escapes = {}, None, {}, None, None
    return part["n"]
