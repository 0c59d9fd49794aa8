"""Consistency of the registries: grammar rules, command classes, docs and help texts."""
from __future__ import annotations

import re

import pytest

import spl_lite
from conftest import ROOT
from spl_lite.commands import ALL_COMMANDS, COMMANDS, NOT_YET
from spl_lite.functions import EVAL_FUNCTIONS, STATS_FUNCTIONS
from spl_lite.syntax.parser import grammar_text

GRAMMAR = grammar_text()
README = (ROOT / "README.md").read_text()


def test_every_command_rule_has_a_class_and_back():
    rules = set(re.findall(r"^(\w+)_command:", GRAMMAR, re.MULTILINE)) - {"other"}
    assert rules == {c.name for c in ALL_COMMANDS}


def test_every_command_module_is_registered():
    modules = {p.stem for p in (ROOT / "spl_lite" / "commands").glob("*.py")} - {"__init__", "base", "fragment", "unsupported"}
    registered = {c.__module__.rsplit(".", 1)[1] for c in ALL_COMMANDS}
    assert modules == registered


@pytest.mark.parametrize("cls", ALL_COMMANDS, ids=lambda c: c.name)
def test_command_has_help_and_a_working_example(cls, tmp_path):
    assert cls.summary() and cls.syntax and cls.example
    (tmp_path / "users.csv").write_text("userName,team\nalice,red\n")
    engine = spl_lite.Engine(lookups_dir=tmp_path)
    example = cls.example if cls.example.startswith("|") else f"index=main | {cls.example}"
    query = engine.compile(example)
    if cls.name == "iplocation":
        with pytest.raises(spl_lite.SplError, match="iplocation needs a GeoIP database"):
            query.run()
    assert f"`{cls.name}`" in README


def test_not_yet_and_implemented_are_disjoint():
    assert not set(NOT_YET) & set(COMMANDS)
    assert "cluster" in NOT_YET and "transaction" not in NOT_YET and "tstats" not in NOT_YET and "lookup" not in NOT_YET


@pytest.mark.parametrize("name", sorted(EVAL_FUNCTIONS))
def test_eval_function_documented(name):
    spec = EVAL_FUNCTIONS[name]
    assert spec.usage.startswith(name + "(") or name == "ceil"  # ceil is ceiling's alias
    assert re.search(rf"\b{name}\b", README.split("Eval functions:")[1].split("Stats functions:")[0])


@pytest.mark.parametrize("name", sorted(STATS_FUNCTIONS))
def test_stats_function_documented(name):
    assert re.search(rf"\b{name}\b", README.split("Stats functions:")[1].split("Times are UTC")[0])


def test_grammar_ships_with_the_package():
    import importlib.resources
    import spl_lite as pkg
    packaged = importlib.resources.files("spl_lite").joinpath("spl.lark")
    in_checkout = ROOT in __import__("pathlib").Path(pkg.__file__).resolve().parents
    assert packaged.is_file() or in_checkout
    if packaged.is_file():
        assert packaged.read_text() == (ROOT / "grammar" / "spl.lark").read_text()
