"""What a loading worker's store hands back, and how the engine's store takes it: offsets,
times, origins and the columns made at load, in load order (a mixin of EventStore)."""
from __future__ import annotations

import numpy as np

from .columns import NULL, STORE_METADATA, Encoder
from .field_names import holds_escape
from ..runtime.values import BUFFER, KNOWLEDGE


class WorkerParts:
    def export(self, file_range: bytes | None) -> dict:
        """What a worker's store holds, in load order, for the engine's store to take; the
        NDJSON range it read (``file_range``) is left out: the engine holds that file itself."""
        self._freeze_copied()
        return {"n": self._n, "time": self._time.tobytes(), "buf": self._buf.tobytes(),
                "start": self._start.tobytes(), "end": self._end.tobytes(), "origin": self._origin.tobytes(),
                "buffers": [None if b is file_range else b for b in self._buffers],
                "escaped": list(map(holds_escape, self._buffers)),
                "origins": [{k: v for k, v in o.items() if k not in (BUFFER, KNOWLEDGE)} for o in self._origins],
                "columns": {name: (enc.values, enc.column(self._n).codes) for name, enc in self._raw_columns.items()
                            if isinstance(enc, Encoder)}}

    def merge(self, part: dict, decorate, file_bytes: bytes | None = None, offset: int = 0) -> int:
        """Take a worker's part; its missing buffer is ``file_bytes``, where its offsets start
        at ``offset``."""
        self._reopen()
        for name in STORE_METADATA:
            self._raw_columns.pop(name, None)
        self._freeze_copied()
        buffer_ids = []
        for b, escaped in zip(part["buffers"], part["escaped"]):
            b = file_bytes if b is None else b
            known = self._buffer_ids.get(id(b))
            if known is None:
                known = self._buffer_ids[id(b)] = len(self._buffers)
                self._buffers.append(b)
            self._escaped[known] = self._escaped.get(known, False) or escaped
            buffer_ids.append(known)
        origin_ids = []
        for o in part["origins"]:
            o = {**o, BUFFER: None}
            origin_ids.append(len(self._origins))
            self._origins.append(decorate(o) if decorate is not None else o)
        bufs = np.frombuffer(part["buf"], dtype=np.int32)
        shift = np.array([offset if b is None else 0 for b in part["buffers"]] or [0], dtype=np.int64)[bufs]
        self._time.frombytes(part["time"])
        self._buf.frombytes(np.array(buffer_ids or [0], dtype=np.int32)[bufs].tobytes())
        self._start.frombytes((np.frombuffer(part["start"], dtype=np.int64) + shift).tobytes())
        self._end.frombytes((np.frombuffer(part["end"], dtype=np.int64) + shift).tobytes())
        origins = np.frombuffer(part["origin"], dtype=np.int32)
        self._origin.frombytes(np.array(origin_ids or [0], dtype=np.int32)[origins].tobytes())
        for name, (values, codes) in part["columns"].items():
            enc = self._encoder(name)
            remap = np.array([enc.code(v) for v in values] + [NULL], dtype=np.int32)
            enc.codes.frombytes(remap[codes].tobytes())
        self._n += part["n"]
        for enc in self._raw_columns.values():
            if isinstance(enc, Encoder):
                enc.pad(self._n)
        self._sorted = part["n"] == 0
        self._columns, self._catalog, self._has, self._by_buffer, self._escapes = {}, None, {}, None, None
        return part["n"]
