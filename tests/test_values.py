"""The value rules of runtime/values.py, table-driven."""
from __future__ import annotations

import pytest

from spl_lite.runtime import values as v

BODY = {"a": {"b": [{"c": 1}, {"c": None}, {"d": True}], "e": {}}, "f": [], "g": [[1, 2], [3]],
        "h.i": {"j": "dotted"}, "k": 1.5, "l": "text", "m": {"n": {"o": "deep"}}}


def test_flatten_follows_splunk_naming():
    assert v.flatten(BODY) == {"a.b{}.c": ["1", "null"], "a.b{}.d": "true", "g{}{}": ["1", "2", "3"],
                               "h.i.j": "dotted", "k": "1.5", "l": "text", "m.n.o": "deep"}


@pytest.mark.parametrize("name,expected", [
    ("a.b{}.c", ["1", "null"]), ("a.b{}.d", "true"), ("a", None), ("a.e", None), ("f", None), ("f{}", None),
    ("g{}{}", ["1", "2", "3"]), ("h.i.j", "dotted"), ("k", "1.5"), ("l", "text"), ("m.n.o", "deep"),
    ("m.n", None), ("missing.x", None), ("a.b", None),
])
def test_field_lookup_and_getters_agree(name, expected):
    ev = {v.BODY: BODY}
    assert v.get_field(ev, name) == expected
    assert v.field_getter(name)(ev) == expected


def test_flat_field_wins_and_none_hides():
    ev = {v.BODY: BODY, "l": "override", "k": None}
    assert v.get_field(ev, "l") == "override"
    assert v.get_field(ev, "k") is None
    assert "k" not in v.event_fields(ev)


@pytest.mark.parametrize("text,number", [("8080", 8080), ("1.5", 1.5), (" 7 ", 7), ("1e3", 1000.0),
                                         ("-2", -2), ("abc", None), ("", None), ("1.2.3", None)])
def test_to_number(text, number):
    assert v.to_number(text) == number


@pytest.mark.parametrize("n,text", [(2, "2"), (2.0, "2"), (2.5, "2.5"), (1 / 3, "0.3333333333333333"),
                                    (float("inf"), "inf"), (-0.5, "-0.5"), (1e20, "1e+20")])
def test_format_number(n, text):
    assert v.format_number(n) == text


def test_sort_order_numbers_ips_then_bytes():
    items = ["b", "10", "9", "B", "10.0.0.2", "10.0.0.10", "Ä", "-1"]
    assert sorted(items, key=v.sort_key_auto) == ["-1", "9", "10", "10.0.0.2", "10.0.0.10", "B", "b", "Ä"]


def test_compare_values_numeric_or_text():
    assert v.compare_values("10", 9) == 1
    assert v.compare_values("abc", "abd") == -1
    assert v.compare_values("Abc", "abc") == -1  # case-sensitive, upper case first
