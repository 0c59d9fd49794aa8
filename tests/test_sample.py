"""The bundled sample is made by the project's own generator, byte for byte (of its content: the
gzip stream around it differs between zlib versions)."""
from __future__ import annotations

import gzip

import orjson

from spl_lite.engine import SAMPLE_DATA
from spl_lite.sample import generate, write_records_gz


def test_bundled_sample_is_reproducible(tmp_path):
    out = tmp_path / "sample.json.gz"
    write_records_gz(generate(3000, seed=7), str(out))
    assert gzip.decompress(out.read_bytes()) == gzip.decompress(SAMPLE_DATA.read_bytes())


def test_sample_shape():
    records = orjson.loads(gzip.decompress(SAMPLE_DATA.read_bytes()))["Records"]
    assert len(records) == 3000
    sources = {r["eventSource"] for r in records}
    assert len(sources) >= 8
    assert len({r["awsRegion"] for r in records}) == 5
    assert len({r["sourceIPAddress"] for r in records}) > 100
    assert {r["userIdentity"]["type"] for r in records} == {"IAMUser", "AssumedRole"}
    times = [r["eventTime"] for r in records]
    assert times == sorted(times)
