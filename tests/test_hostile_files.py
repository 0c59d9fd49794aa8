"""Hostile files, as issue 7 found them: every file loads or is reported with its reason and
counted, nothing is read twice, and lookups never read outside their directory."""
from __future__ import annotations

import bz2
import gzip
import json
import lzma
import os
import zipfile

import pytest

import spl_lite

REC = {"eventTime": "2024-03-04T10:00:00Z", "eventVersion": "1.08", "eventName": "A", "userIdentity": {}}


def names_loaded(engine) -> list[tuple[str, str]]:
    rows = engine.search("index=* | stats count by source, eventName").rows
    return sorted((os.path.basename(r["source"]), r["eventName"]) for r in rows for _ in range(r["count"]))


@pytest.fixture
def tree(tmp_path):
    d = tmp_path / "d"
    (d / "sub").mkdir(parents=True)
    (d / "a.json").write_text(json.dumps({"Records": [REC]}))
    (d / "bad.json.gz").write_bytes(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03not deflate data")
    (d / "b.json.bz2").write_bytes(bz2.compress(json.dumps(REC | {"eventName": "B"}).encode()))
    (d / "c.json.xz").write_bytes(lzma.compress(json.dumps(REC | {"eventName": "C"}).encode()))
    (d / "notes.bin").write_bytes(b"\x00\x01")
    (d / "README.md").write_text("not data: reported like any file that is not")
    (d / ".DS_Store").write_bytes(b"hidden: passed over")
    (d / "broken.json").symlink_to(tmp_path / "nowhere.json")
    (d / "sub" / "loop").symlink_to(d)  # two link loops back up the tree
    (d / "sub" / "loop2").symlink_to(d / "sub")
    return d


def test_a_tree_with_bad_files_and_link_loops_loads_each_file_once(tree):
    e = spl_lite.Engine(now=1)
    report = e.load(tree)
    assert names_loaded(e) == [("a.json", "A"), ("b.json.bz2", "B"), ("c.json.xz", "C")]
    assert (report.files, report.events, report.bad_files) == (3, 3, 4)
    assert sorted(m.replace(str(tree), "D") for m in report.errors) == [
        "D/README.md: not a JSON, NDJSON, .gz, .bz2, .xz or .zip file",
        "D/bad.json.gz: corrupt or truncated compressed data (Error -3 while decompressing data: "
        "invalid block type)",
        "D/broken.json: a broken symbolic link",
        "D/notes.bin: not a JSON, NDJSON, .gz, .bz2, .xz or .zip file"]


@pytest.mark.parametrize("pattern", ["{d}/**", "{d}/**/*.json*", "{d}/*"])
def test_a_recursive_glob_reads_each_file_once(tree, pattern):
    e = spl_lite.Engine(now=1)
    e.load(pattern.format(d=tree))
    loaded = names_loaded(e)
    assert len(loaded) == len(set(loaded)) and ("a.json", "A") in loaded


def test_the_same_file_named_twice_loads_once(tree):
    e = spl_lite.Engine(now=1)
    e.load(tree / "a.json")
    e.load(tree / "sub" / "loop" / "a.json")
    assert names_loaded(e) == [("a.json", "A")]


def test_an_unreadable_directory_is_reported(tree, monkeypatch):
    real = os.scandir

    def scandir(path="."):
        if str(path).endswith("sub"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)
    monkeypatch.setattr(os, "scandir", scandir)
    e = spl_lite.Engine(now=1)
    report = e.load(tree)
    assert f"{tree / 'sub'}: cannot read the directory (Permission denied)" in report.errors


def test_records_that_do_not_parse_as_a_whole_load_one_by_one(tmp_path):
    deep = "[" * 1100 + "]" * 1100
    text = ('{"Records": [' + json.dumps(REC) + ', {"eventName": "Deep", "x": ' + deep + '}, '
            + json.dumps(REC | {"eventName": "Big"}).replace('"Big"', '"Big", "n": 1e400') + "]}")
    (tmp_path / "r.json").write_text(text)
    e = spl_lite.Engine(now=1)
    report = e.load(tmp_path / "r.json")
    assert report.errors == [f"{tmp_path / 'r.json'}: record 2: nested deeper than 1,000 levels"]
    assert (report.events, report.bad_lines) == (2, 1)
    assert e.search("index=* | table eventName n").rows == [{"eventName": "A", "n": None},
                                                            {"eventName": "Big", "n": "1e400"}]


def test_an_event_nested_a_thousand_deep_loads_and_displays(tmp_path):
    nested = '{"a": ' * 1000 + '{"v": 1}' + "}" * 1000
    (tmp_path / "n.ndjson").write_text('{"eventName": "N", "top": ' + nested + "}\n")
    e = spl_lite.Engine(now=1)
    e.load(tmp_path / "n.ndjson")
    fields = e.search("index=*").rows[0]
    assert fields["top" + ".a" * 1000 + ".v"] == "1"


def test_ndjson_numbers_beyond_a_double_keep_their_text(tmp_path):
    (tmp_path / "n.ndjson").write_text('{"v": 1e400, "w": 123456789012345678901234567890}\n{"bad\n')
    e = spl_lite.Engine(now=1)
    report = e.load(tmp_path / "n.ndjson")
    assert e.search("index=* | table v w").rows == [{"v": "1e400", "w": "1.2345678901234568e+29"}]
    assert report.errors == [f"{tmp_path / 'n.ndjson'}:2: malformed JSON (unexpected end of data)"]


def test_a_gzip_of_blank_lines_loads_in_seconds_and_a_bomb_stops_at_the_limit(tmp_path):
    path = tmp_path / "blank.json.gz"
    with gzip.open(path, "wb") as f:
        for _ in range(64):
            f.write(b"\n" * (1 << 20))
        f.write(json.dumps(REC).encode() + b"\n{bad}\n")
    e = spl_lite.Engine(now=1)
    report = e.load(path)
    assert report.events == 1
    assert report.errors == [f"{path}:{64 * (1 << 20) + 2}: malformed JSON (unexpected character, expected a string key)"]
    small = spl_lite.Engine(now=1, limits={"file_bytes": 1_000_000})
    report = small.load(path)
    assert (report.events, report.bad_files) == (0, 1)
    assert report.errors == [f"{path}: larger than 1,000,000 bytes once decompressed (limit file_bytes); "
                             "raise it with --limit file_bytes=N"]


def test_a_zip_with_a_corrupt_member_loads_the_others(tmp_path):
    path = tmp_path / "dump.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.json", json.dumps({"Records": [REC]}))
        zf.writestr("b.json.gz", b"\x1f\x8b broken")
    e = spl_lite.Engine(now=1)
    report = e.load(path)
    assert report.events == 1 and report.bad_files == 1
    assert report.errors[0].startswith(f"{path}!b.json.gz: corrupt or truncated compressed data")


# ------------------------------------------------------------------------------------ lookups

@pytest.fixture
def lookups(tmp_path):
    d = tmp_path / "lookups"
    d.mkdir()
    (tmp_path / "secret.csv").write_text("user,shell\nroot,/bin/sh\n")
    (d / "escape.csv").symlink_to(tmp_path / "secret.csv")
    (d / "bad.csv").write_bytes(b"a,b\nok,1\n\xff,2\n")
    (d / "big.csv").write_text("a,b\nx," + "y" * 140_000 + "\n")
    (d / "out.csv").mkdir()
    return d


@pytest.mark.parametrize("query, message", [
    ("| inputlookup escape.csv", "Error in 'inputlookup' command: The lookup table 'escape.csv' is a link to a "
     "file outside the lookups directory ({d}); it is not read."),
    ("| makeresults | eval user=\"root\" | lookup escape.csv user OUTPUT shell",
     "Error in 'lookup' command: The lookup table 'escape.csv' is a link to a file outside the lookups "
     "directory ({d}); it is not read."),
    ("| inputlookup bad.csv", "Error in 'inputlookup' command: The lookup file bad.csv is not UTF-8 text (line 3)."),
    ("| makeresults | outputlookup out.csv",
     "Error in 'outputlookup' command: Cannot write the lookup file out.csv: it is a directory."),
    ("| makeresults | outputlookup " + "n" * 300, "Error in 'outputlookup' command: The lookup name '" + "n" * 60
     + "' is not allowed: use a file name of at most 200 characters inside the lookups directory, "
     "without '/', '\\' or '..'."),
])
def test_lookup_problems_are_clean_errors(lookups, query, message):
    e = spl_lite.Engine(now=1, lookups_dir=lookups)
    with pytest.raises(spl_lite.SplError) as info:
        e.search(query)
    assert info.value.headline == message.format(d=lookups)


def test_a_big_lookup_cell_reads_and_the_cell_limit_is_a_clean_error(lookups):
    e = spl_lite.Engine(now=1, lookups_dir=lookups)
    assert e.search("| inputlookup big.csv | eval n=len(b) | table n").rows == [{"n": 140_000}]
    small = spl_lite.Engine(now=1, lookups_dir=lookups, limits={"lookup_cell_bytes": 1000})
    with pytest.raises(spl_lite.SplError, match=r"is not valid CSV \(field larger than field limit \(1000\); "
                                                r"the limit for one cell is lookup_cell_bytes=1,000\)"):
        small.search("| inputlookup big.csv")


def test_props_lookups_cannot_name_a_path(lookups, tmp_path):
    props = tmp_path / "props.conf"
    props.write_text("[json]\nLOOKUP-a = ../secret.csv user OUTPUT shell\nLOOKUP-b = /etc/passwd user OUTPUT x\n")
    e = spl_lite.Engine(now=1, lookups_dir=lookups, knowledge=[props])
    assert e.knowledge_warnings == [
        f"{props}:2: LOOKUP-a: The lookup name '../secret.csv' is not allowed: use a file name of at most 200 "
        "characters inside the lookups directory, without '/', '\\' or '..'.; ignored",
        f"{props}:3: LOOKUP-b: The lookup name '/etc/passwd' is not allowed: use a file name of at most 200 "
        "characters inside the lookups directory, without '/', '\\' or '..'.; ignored"]


# Issue 18: only regular files are read; what is cut short is reported, and what came before kept
def test_fifos_and_devices_in_a_directory_are_skipped_not_read(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    (d / "a.json").write_text(json.dumps(REC))
    os.mkfifo(d / "p.json")  # would block for ever
    (d / "r.json").symlink_to("/dev/urandom")  # would never end
    e = spl_lite.Engine(now=1)
    report = e.load(d)
    assert report.events == 1
    assert report.errors == [f"{d / 'p.json'}: not a regular file (a FIFO, a device or a socket): not read",
                             f"{d / 'r.json'}: not a regular file (a FIFO, a device or a socket): not read"]
    assert e.load(d / "p.json").errors == [f"{d / 'p.json'}: not a regular file (a FIFO, a device or a socket): not read"]


def test_a_macros_fifo_is_refused_not_waited_for(tmp_path):
    os.mkfifo(tmp_path / "macros.conf")
    with pytest.raises(spl_lite.SplError) as info:
        spl_lite.Engine(macros=tmp_path / "macros.conf")
    assert str(info.value) == f"{tmp_path / 'macros.conf'}: not a regular file (a FIFO, a device or a socket): not read"


@pytest.mark.parametrize("text, events, errors", [
    ('[{"a":1},{"a":2},{"a":', 2, ["record 3: malformed JSON (unexpected end of data)",
                                   "the file ends inside its array of records (cut short?)"]),
    ('{"Records":[{"a":1},{"a":2},{"a":', 2, ["record 3: malformed JSON (unexpected end of data)",
                                             "the file ends inside its array of records (cut short?)"]),
    ('[{"a":1},{"a":2}', 2, ["the file ends inside its array of records (cut short?)"]),
    ('[{"a":1},{"a":2}]', 2, []),
])
def test_an_array_cut_short_keeps_its_records_and_says_so(tmp_path, text, events, errors):
    path = tmp_path / "cut.json"
    path.write_text(text)
    report = spl_lite.Engine(now=1).load(path)
    assert report.events == events
    assert report.errors == [f"{path}: {e}" for e in errors]


def test_a_gzip_with_bytes_after_it_keeps_what_decompressed(tmp_path):
    path = tmp_path / "trail.json.gz"
    path.write_bytes(gzip.compress((json.dumps(REC) + "\n").encode() * 3) + b"garbage")
    report = spl_lite.Engine(now=1).load(path)
    assert report.events == 3
    assert report.errors == [f"{path}: 7 bytes after the compressed data are not gzip data and were not read"]


def test_a_gzip_cut_short_keeps_what_decompressed(tmp_path):
    path = tmp_path / "cut.json.gz"
    whole = gzip.compress("".join(json.dumps({**REC, "n": i}) + "\n" for i in range(2000)).encode())
    path.write_bytes(whole[:len(whole) // 2])
    report = spl_lite.Engine(now=1).load(path)
    assert 0 < report.events < 2000
    assert report.errors[0].startswith(f"{path}: the compressed data is cut short after ")  # then its cut line


def test_a_lone_surrogate_escape_reads_as_the_replacement_character(tmp_path):
    path = tmp_path / "s.ndjson"
    path.write_bytes(b'{"a":"\\ud800x"}\n{"a":"ok","b":"\\ud83d\\ude00"}\n')
    e = spl_lite.Engine(now=1)
    assert e.load(path).errors == []
    assert e.search("* | stats count by a").rows == [{"a": "ok", "count": 1}, {"a": "\ufffdx", "count": 1}]
    assert e.search("a=ok | table b").rows == [{"b": "\U0001F600"}]  # a whole pair is one character
    assert e.search('| makeresults | eval x=printf("%c", 55296) | table x').rows == [{"x": "\ufffd"}]


def test_a_data_model_fifo_is_refused_not_read(tmp_path):
    os.mkfifo(tmp_path / "model.json")
    e = spl_lite.Engine(now=1, datamodels=[tmp_path / "model.json"])
    assert e.knowledge_warnings[-1] == (f"{tmp_path / 'model.json'}: not a data model (not a regular file (a FIFO, "
                                        "a device or a socket): not read); skipped")


def test_a_geoip_fifo_is_refused_not_read(tmp_path):
    os.mkfifo(tmp_path / "geo.mmdb")
    e = spl_lite.Engine(now=1, geoip=tmp_path / "geo.mmdb")
    with pytest.raises(spl_lite.SplError, match="not a regular file"):
        e.search("| makeresults | eval ip=\"8.8.8.8\" | iplocation ip")
