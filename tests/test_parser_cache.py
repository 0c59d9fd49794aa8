"""The parser built once and read back from the user's cache parses as a parser built from the
grammar does; a damaged cache file, or one that others could have written, is not used."""
from __future__ import annotations

import os

import pytest
from lark import Lark

from spl_lite.syntax import parser_cache
from spl_lite.syntax.parser import grammar_text

OPTIONS = dict(parser="lalr", lexer="contextual", propagate_positions=True, maybe_placeholders=True)
QUERIES = [
    "sourcetype=aws:cloudtrail eventName=ConsoleLogin | stats count by userName, additionalEventData.MFAUsed",
    '| makeresults | eval x=if(a>1, "b", c) | rex field=x "(?<y>\\d+)" | table x y',
    "index=* NOT errorCode=* | timechart span=1h sparkline(count) by eventSource",
]


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "spl_lite"


def _cache_files(folder):
    return sorted(p for p in folder.iterdir() if p.name.startswith("parser-"))


def test_a_cached_parser_parses_as_the_grammar_does(cache_home):
    built = parser_cache.cached_lark(grammar_text(), **OPTIONS)
    [cached_file] = _cache_files(cache_home)
    assert oct(cache_home.stat().st_mode & 0o777) == "0o700" and not cached_file.stat().st_mode & 0o077
    read_back = parser_cache.cached_lark(grammar_text(), **OPTIONS)
    assert read_back is not built
    fresh = Lark(grammar_text(), **OPTIONS)
    for query in QUERIES:
        tree = fresh.parse(query)
        assert built.parse(query) == tree == read_back.parse(query)
        assert _positions(read_back.parse(query)) == _positions(tree)  # what carets point with


def _positions(tree) -> list:
    return [(t.data, t.meta.start_pos, t.meta.end_pos) for t in tree.iter_subtrees() if not t.meta.empty] + \
        [(v.type, v.start_pos) for v in tree.scan_values(lambda v: v is not None)]


def test_another_grammar_gets_its_own_file(cache_home):
    parser_cache.cached_lark(grammar_text(), **OPTIONS)
    parser_cache.cached_lark(grammar_text() + "\n// another\n", **OPTIONS)
    assert len(_cache_files(cache_home)) == 2


def test_a_damaged_cache_file_is_built_again(cache_home):
    parser_cache.cached_lark(grammar_text(), **OPTIONS)
    [cached_file] = _cache_files(cache_home)
    cached_file.write_bytes(b"\x80\x05not a pickle")
    parser = parser_cache.cached_lark(grammar_text(), **OPTIONS)
    assert parser.parse(QUERIES[0]) == Lark(grammar_text(), **OPTIONS).parse(QUERIES[0])
    assert parser_cache._read(cached_file) is not None  # written again, whole


def test_a_cache_file_others_can_write_is_not_read(cache_home, monkeypatch):
    parser_cache.cached_lark(grammar_text(), **OPTIONS)
    [cached_file] = _cache_files(cache_home)
    assert parser_cache._read(cached_file) is not None
    os.chmod(cached_file, 0o666)
    assert parser_cache._read(cached_file) is None


def test_an_unwritable_cache_folder_still_gives_a_parser(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where the folder would be
    parser = parser_cache.cached_lark(grammar_text(), **OPTIONS)
    assert parser.parse(QUERIES[1]) == Lark(grammar_text(), **OPTIONS).parse(QUERIES[1])
