"""User knowledge files: macros.conf and props.conf in Splunk's own syntax."""
from __future__ import annotations

import pytest

import spl_lite

EVENTS = [{"_time": 3, "eventName": "GetObject", "sourceIPAddress": "10.0.0.1", "bytes": 10},
          {"_time": 2, "eventName": "PutObject", "sourceIPAddress": "10.0.0.2", "bytes": 20},
          {"_time": 1, "eventName": "GetObject", "sourceIPAddress": "10.0.0.1", "bytes": 30}]


def test_macros_conf_with_arguments_and_nesting(tmp_path):
    conf = tmp_path / "macros.conf"
    conf.write_text("""
# one argument, calling another macro
[by_event(1)]
args = name
definition = `base` eventName=$name$

[base]
definition = index=main \\
    sourcetype=json

[bytes_over(2)]
args = field, limit
definition = where $field$ > $limit$

[evaluated(1)]
args = x
iseval = 1
definition = "index=" . $x$
""")
    engine = spl_lite.Engine(macros=[conf], addons=False)
    engine.add_events(EVENTS, sourcetype="json")
    assert engine.search("`by_event(GetObject)` | `bytes_over(bytes, 15)` | table bytes").rows == [{"bytes": "30"}]
    assert engine.search("`by_event(name=PutObject)` | stats count").rows == [{"count": 1}]
    assert engine.knowledge_warnings == [f"{conf}:17: macro setting 'iseval' is not supported; ignored"]
    with pytest.raises(spl_lite.SplError, match="macro 'by_evnt' that cannot be found") as info:
        engine.search("`by_evnt(GetObject)`")
    assert info.value.hint == "did you mean 'by_event'?"


def test_recursive_macro_is_stopped(tmp_path):
    engine = spl_lite.Engine(addons=False)
    engine.define_macro("loop", "`loop`")
    with pytest.raises(spl_lite.SplError, match="nested deeper than 50 levels"):
        engine.search("`loop`")


def test_props_conf_alias_eval_and_unsupported_settings(tmp_path):
    props = tmp_path / "props.conf"
    props.write_text("""[json]
FIELDALIAS-ip = sourceIPAddress AS ip
EVAL-kb = bytes / 10
EVAL-action = if(eventName="GetObject", "read", "write")
EVAL-ip_copy = ip
TRANSFORMS-x = something
REPORT-y = other

[source::/var/log/x]
EVAL-z = 1
""")
    engine = spl_lite.Engine(knowledge=[props], addons=False)
    engine.add_events(EVENTS, sourcetype="json")
    rows = engine.search("index=main | table ip kb action ip_copy").rows
    assert rows[0] == {"ip": "10.0.0.1", "kb": 1, "action": "read", "ip_copy": "10.0.0.1"}
    assert engine.search("index=main ip=10.0.0.2 action=write | stats count").rows == [{"count": 1}]
    assert engine.knowledge_warnings == [
        f"{props}:6: setting 'TRANSFORMS-x' is not supported; ignored",
        f"{props}:7: setting 'REPORT-y' is not supported; ignored",
        f"{props}:9: stanza [source::/var/log/x] is not supported (only sourcetype stanzas are); ignored",
    ]


def test_eval_sees_aliases_but_not_other_evals(tmp_path):
    props = tmp_path / "props.conf"
    props.write_text("[json]\nFIELDALIAS-a = bytes AS b\nEVAL-c = b * 2\nEVAL-d = c + 1\nEVAL-bytes = 0\n")
    engine = spl_lite.Engine(knowledge=[props], addons=False)
    engine.add_events(EVENTS[:1], sourcetype="json")
    # d reads the raw c (none), bytes is replaced by its EVAL while the alias b kept the original.
    assert engine.search("index=main | table b c d bytes").rows == [{"b": "10", "c": 20, "d": None, "bytes": 0}]


def test_knowledge_only_applies_to_its_sourcetype(tmp_path):
    props = tmp_path / "props.conf"
    props.write_text("[json]\nEVAL-tagged = \"yes\"\n")
    engine = spl_lite.Engine(knowledge=[props], addons=False)
    engine.add_events(EVENTS[:1], sourcetype="json")
    engine.add_events(EVENTS[1:2], sourcetype="other")
    assert engine.search("index=main | table sourcetype tagged").rows == [
        {"sourcetype": "json", "tagged": "yes"}, {"sourcetype": "other", "tagged": None}]


def test_aws_pack_fields_on_a_console_login():
    engine = spl_lite.Engine()
    engine.add_events([{"_time": 1, "eventName": "ConsoleLogin", "eventSource": "signin.amazonaws.com",
                        "userIdentity": {"type": "IAMUser", "userName": "bob", "accountId": "1"},
                        "responseElements": {"ConsoleLogin": "Failure"},
                        "additionalEventData": {"MFAUsed": "No"}}])
    row = engine.search("sourcetype=aws:cloudtrail | table errorCode msg action status authentication_method "
                        "eventtype tag user change_type").rows[0]
    assert row == {"errorCode": "failure", "msg": "success", "action": "failure", "status": "failure",
                   "authentication_method": "SFA", "eventtype": ["aws_cloudtrail_auth", "aws_cloudtrail_errors"],
                   "tag": ["authentication", "cloud", "error"], "user": "bob", "change_type": "AAA"}
    assert engine.search("tag=authentication | stats count").rows == [{"count": 1}]
    assert engine.search("errorCode=success | stats count").rows == [{"count": 0}]
