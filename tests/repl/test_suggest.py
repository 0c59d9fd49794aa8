"""suggest(): text before the cursor -> what may come next, one row per kind of suggestion."""
from __future__ import annotations

import pytest

import spl_lite
from spl_lite.repl.suggest import fuzzy_score, suggest


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    lookups = tmp_path_factory.mktemp("lookups")
    (lookups / "users.csv").write_text("userName,team\nalice,red\n")
    (lookups / "baseline.csv").write_text("a\n1\n")
    engine = spl_lite.Engine(lookups_dir=lookups, addons=False)
    engine.add_events(
        [{"_time": 3, "eventName": "ConsoleLogin", "errorCode": "AccessDenied", "userIdentity": {"userName": "bob"}},
         {"_time": 2, "eventName": "ConsoleLogin", "userIdentity": {"userName": "amy"}, "resources": [{"ARN": "a"}]},
         {"_time": 1, "eventName": "GetObject", "userIdentity": {"userName": "amy"}}])
    engine.define_macro("cloudtrail", "sourcetype=aws:cloudtrail")
    engine.define_macro("by_user", "stats count by $u$", args=("u",))
    return engine.catalog()


def texts(text, catalog, n=None):
    return [s.text for s in suggest(text, catalog)][:n]


CASES = [
    # after a pipe: command names, with their summary
    ("index=main | sta", ["stats", "eventstats", "strcat", "streamstats"], "command"),
    ("| makere", ["makeresults"], "command"),
    ("| tst", ["tstats"], "command"),
    ("index=main | tst", ["eventstats", "streamstats"], "command"),  # a generating command starts a search
    # inside a command: its options, keywords, sort functions
    ("index=main | rex ", ["field=", "max_match=", "mode=", "offset_field="], "option"),
    ("index=main | rex mode=", ["sed"], "value"),
    ("index=main | top lim", ["limit="], "option"),
    ("index=main | dedup keepempty=", ["true", "false"], "value"),
    ("index=main | sort nu", ["num("], "function"),
    ("index=main | stats count ", ["by"], "keyword"),
    ("index=main | stats count by eventName userI", ["userIdentity.userName"], "field"),
    ("index=main | rename eventName ", ["as"], "keyword"),
    # functions with their signatures
    ("index=main | eval x=sub", ["substr("], "function"),
    ("index=main | where cidr", ["cidrmatch("], "function"),
    ("index=main | stats d", ["dc(", "distinct_count("], "function"),
    # fields, ranked by how many events have them, dotted and {} names included
    ("index=main | table user", ["userIdentity.userName"], "field"),
    ("index=main | stats count by res", ["resources{}.ARN"], "field"),
    ("index=main | eval x='userI", ["'userIdentity.userName'"], "field"),
    ("index=main | eval n=mvcount(res", ["'resources{}.ARN'"], "field"),
    ("userIdentity.u", ["userIdentity.userName"], "field"),
    ("index=main err", ["errorCode"], "field"),
    # after field=: that field's values, most common first
    ("index=main eventName=", ["ConsoleLogin", "GetObject"], "value"),
    ("index=main userIdentity.userName=", ["amy", "bob"], "value"),
    ("index=main eventName=getob", ["GetObject"], "value"),
    # macros after a backtick, lookup files after lookup/inputlookup
    ("`clo", ["cloudtrail`"], "macro"),
    ("`cloudtrail` | `by", ["by_user`"], "macro"),
    ("| inputlookup ", ["baseline.csv", "users.csv"], "lookup"),
    ("index=main | lookup us", ["users.csv"], "lookup"),
    ("index=main | lookup users.csv userName OUT", ["OUTPUT", "OUTPUTNEW"], "keyword"),
    ("| inputlookup users.csv WH", ["WHERE"], "keyword"),
]


@pytest.mark.parametrize("text,expected,kind", CASES, ids=[c[0] for c in CASES])
def test_suggestions(catalog, text, expected, kind):
    got = suggest(text, catalog)
    assert [s.text for s in got][:len(expected)] == expected
    assert got[0].kind == kind


def test_command_suggestions_carry_their_summary(catalog):
    s = suggest("index=main | sta", catalog)[0]
    assert s.meta.startswith("Aggregate events")
    assert s.replace == 3


def test_functions_carry_signatures(catalog):
    s = suggest("index=main | eval x=subs", catalog)[0]
    assert s.meta.startswith("substr(<text>, <start>, [<length>])")


def test_fields_rank_by_event_count(catalog):
    fields = [s.text for s in suggest("index=main | table ", catalog) if s.kind == "field"]
    assert fields.index("eventName") < fields.index("errorCode") < fields.index("resources{}.ARN")
    assert suggest("index=main | table eventN", catalog)[0].meta == "100% of events"


def test_no_suggestions_inside_strings_and_comments(catalog):
    assert suggest('index=main | eval x="sta', catalog) == []
    assert suggest("index=main ```a | sta", catalog) == []


def test_fuzzy_subsequence_matching(catalog):
    assert texts("index=main | stts", catalog, 1) == ["stats"]
    assert fuzzy_score("ss", "streamstats") is not None
    assert fuzzy_score("xq", "stats") is None
    assert fuzzy_score("st", "stats") < fuzzy_score("st", "eventstats")


def test_text_that_does_not_parse_gives_nothing(catalog):
    assert suggest("index=main | stats count by )", catalog) == []
