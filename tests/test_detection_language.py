"""The language published detections use beyond the basics, table-driven: (query, events,
expected table: header row first). Expected tables follow Splunk's documented examples."""
from __future__ import annotations

import pytest

import spl_lite
from conftest import table_of

E3 = [{"_time": 1700000300, "user": "alice", "src": "10.1.2.3", "bytes": 300, "ev": "GetObject"},
      {"_time": 1700000200, "user": "bob", "src": "192.168.1.5", "bytes": 20, "ev": "PutObject"},
      {"_time": 1700000100, "user": "alice", "src": "10.9.9.9", "bytes": 1, "ev": "GetObject"}]

CASES = [
    # field names written with parentheses: the columns stats names after their calls
    ("index=main | stats sum(bytes) count by user | sort -sum(bytes) | table user sum(bytes)", E3,
     [["user", "sum(bytes)"], ["alice", "301"], ["bob", "20"]]),
    ("index=main | stats values(ev) as names(all) by user | rename names(all) AS n | fields user n", E3,
     [["user", "n"], ["alice", "GetObject"], ["bob", "PutObject"]]),
    ("index=main | stats count by user | sort num(count)", E3, [["user", "count"], ["bob", "1"], ["alice", "2"]]),
    # rename without commas between pairs; a quoted prefix before a wildcard
    ("index=main user=bob | rename user AS u src AS s | table u s", E3, [["u", "s"], ["bob", "192.168.1.5"]]),
    ('index=main user=bob | eval "x.a"=1, "x.b"=2 | rename "x".* AS * | table a b', E3, [["a", "b"], ["1", "2"]]),
    # foreach (Splunk's documented examples)
    ("| makeresults | eval total=0, test1=1, test2=2, test3=3 | foreach test* [eval total=total + '<<FIELD>>'] "
     "| table total", [], [["total"], ["6"]]),
    ("| makeresults | eval test1=1, test2=2 | foreach test* [eval new_<<MATCHSTR>>='<<FIELD>>' * 2] "
     "| table new_*", [], [["new_1", "new_2"], ["2", "4"]]),
    ("| makeresults | eval a_x_1=5 | foreach a_*_* [eval out=\"<<MATCHSEG1>>/<<MATCHSEG2>>\"] | table out", [],
     [["out"], ["x/1"]]),
    ('| makeresults | eval mv_f=split("1,2,3", ","), sum=0 | foreach mode=multivalue mv_f [eval sum=sum + <<ITEM>>] '
     '| table sum', [], [["sum"], ["6"]]),
    ('| makeresults | eval ja="[10, 20]", s=0, i="" | foreach mode=json_array ja [eval s=s+<<ITEM>>, i=i.<<ITER>>] '
     '| table s i', [], [["s", "i"], ["30", "01"]]),
    ('| makeresults | eval c1=1, c2=2 | foreach c* fieldstr=#f# [eval #f#=#f# * 10] | table c1 c2', [],
     [["c1", "c2"], ["10", "20"]]),
    ("index=main | stats count by user | eval c=\"null\" | foreach * [eval <<FIELD>>=if(<<FIELD>>=\"null\", null(), "
     "<<FIELD>>)] | table user count c", E3, [["user", "count", "c"], ["alice", "2", None], ["bob", "1", None]]),
    # a subsearch may start with a generating command without its pipe, as in Splunk
    ("| makeresults | append [ makeresults count=2 ] | stats count", [], [["count"], ["3"]]),
    # replace (Splunk's documented examples: whole values, * carried over)
    ('| makeresults | eval h="127.0.0.1" | replace 127.0.0.1 WITH localhost IN h | table h', [],
     [["h"], ["localhost"]]),
    ('| makeresults | eval h="www.localhost" | replace *localhost WITH localhost IN h | table h', [],
     [["h"], ["localhost"]]),
    ('| makeresults | eval h="0 localhost" | replace "* localhost" WITH "localhost *" IN h | table h', [],
     [["h"], ["localhost 0"]]),
    ('| makeresults | eval m="aug", n="Aug", o="sep" | replace aug WITH August, sep WITH September IN m n o '
     '| table m n o', [], [["m", "n", "o"], ["August", "Aug", "September"]]),
    ('| makeresults | eval src="::ffff:10.1.2.3" | replace "::ffff:*" WITH * | table src', [],
     [["src"], ["10.1.2.3"]]),
    # fromjson and tojson
    ('| makeresults | eval j="{\\"a\\": 1, \\"b\\": {\\"c\\": 2}, \\"d\\": [1, \\"x\\"]}" | fromjson j '
     '| table a b d', [], [["a", "b", "d"], ["1", '{"c":2}', ["1", "x"]]]),
    ('| makeresults | eval j="{\\"a\\": 1}" | fromjson j prefix=p_ | table p_a', [], [["p_a"], ["1"]]),
    ('| makeresults | eval name="Claudia", age=24, ok="true" | table name age ok | tojson', [],
     [["name", "age", "ok", "_raw"], ["Claudia", "24", "true", '{"age":24,"name":"Claudia","ok":"true"}']]),
    ('| makeresults | eval age="24", ok="true", m=split("1,2", ",") | tojson str(age) auto(ok) num(m) '
     'output_field=j | table j', [], [["j"], ['{"age":"24","m":[1,2],"ok":true}']]),
    # xmlkv
    ("| makeresults | eval x=\"<Task><Command>cmd.exe</Command><Arg>a &amp; b</Arg><Arg>c</Arg></Task>\" "
     "| xmlkv x | table Command Arg", [], [["Command", "Arg"], ["cmd.exe", ["a & b", "c"]]]),
    # appendpipe: a summary row from the results so far
    ('index=main | stats sum(bytes) as bytes by user | appendpipe [stats sum(bytes) as bytes | eval user="TOTAL"]',
     E3, [["user", "bytes"], ["alice", "301"], ["bob", "20"], ["TOTAL", "321"]]),
    ('index=main | stats count by user | appendpipe [| where count > 1 | eval user=user." (again)"]', E3,
     [["user", "count"], ["alice", "2"], ["bob", "1"], ["alice (again)", "2"]]),
    # running values in search order: accum, delta, autoregress, filldown
    ("index=main | accum bytes AS total | delta bytes AS change | autoregress bytes p=1-2 "
     "| table bytes total change bytes_p1 bytes_p2", E3,
     [["bytes", "total", "change", "bytes_p1", "bytes_p2"], ["300", "300", None, None, None],
      ["20", "320", "-280", "300", None], ["1", "321", "-19", "20", "300"]]),
    ("index=main | delta bytes p=2 | table delta(bytes)", E3, [["delta(bytes)"], [None], [None], ["-299"]]),
    ("index=main | eval u=if(bytes>10, user, null()) | table u | filldown u", E3, [["u"], ["alice"], ["bob"], ["bob"]]),
    # reshaping a table: xyseries, untable, transpose
    ("index=main | stats count by user ev | xyseries user ev count", E3,
     [["user", "GetObject", "PutObject"], ["alice", "2", None], ["bob", None, "1"]]),
    ("index=main | stats count by user ev | xyseries user ev count | untable user ev count", E3,
     [["user", "ev", "count"], ["alice", "GetObject", "2"], ["bob", "PutObject", "1"]]),
    ("index=main | stats sum(bytes) as bytes by user | transpose", E3,
     [["column", "row 1", "row 2"], ["user", "alice", "bob"], ["bytes", "301", "20"]]),
    ("index=main | stats sum(bytes) as bytes by user | transpose header_field=user column_name=field", E3,
     [["field", "alice", "bob"], ["bytes", "301", "20"]]),
    # strcat, rangemap, setfields, mvcombine, nomv, outlier
    ('index=main user=bob | strcat user "@" src who | table who', E3, [["who"], ["bob@192.168.1.5"]]),
    ('index=main user=bob | strcat allrequired=t user nothere who | table user who', E3, [["user", "who"], ["bob", None]]),
    ("index=main | rangemap field=bytes low=0-10 elevated=11-100 default=severe | table bytes range", E3,
     [["bytes", "range"], ["300", "severe"], ["20", "elevated"], ["1", "low"]]),
    ('index=main user=bob | setfields reviewed="yes", analyst=ana | table reviewed analyst', E3,
     [["reviewed", "analyst"], ["yes", "ana"]]),
    ("index=main | table user ev | mvcombine ev", E3, [["user", "ev"], ["alice", ["GetObject", "GetObject"]],
                                                    ["bob", "PutObject"]]),
    ("index=main | stats values(ev) as evs | nomv evs | eval n=len(evs)", E3, [["evs", "n"], ["GetObject\nPutObject", "19"]]),
    ("| makeresults count=5 | streamstats count as n | eval v=if(n=5, 1000, n) | outlier v | table v", [],
     [["v"], ["1"], ["2"], ["3"], ["4"], ["9"]]),
    ("| makeresults count=5 | streamstats count as n | eval v=if(n=5, 1000, n) | outlier action=remove v | table v",
     [], [["v"], ["1"], ["2"], ["3"], ["4"]]),
    # multisearch and map
    ("| multisearch [search index=main user=bob] [search index=main bytes>100] | table user bytes", E3,
     [["user", "bytes"], ["alice", "300"], ["bob", "20"]]),
    ('index=main | stats count by user | map search="search index=main user=$user$ | stats sum(bytes) as b '
     '| eval who=\\"$user$\\""', E3, [["b", "who"], ["301", "alice"], ["20", "bob"]]),
    ('index=main | stats count by user | map [search index=main user=$user$ | head 1 | table user bytes]', E3,
     [["user", "bytes"], ["alice", "300"], ["bob", "20"]]),
    ('index=main | stats count by user | map maxsearches=1 [| makeresults | eval u="$user$", n=$_serial_id$ '
     '| table u n]', E3, [["u", "n"], ["alice", "1"]]),
    # a subsearch as a value (field=[...]) and inside where
    ("index=main user=[search index=main bytes>100 | return $user] | table bytes", E3, [["bytes"], ["300"], ["1"]]),
    ("index=main | where NOT [search index=main user=bob | fields user] | table bytes", E3,
     [["bytes"], ["300"], ["1"]]),
    ("index=main | where [search index=main bytes=20 | fields user] | table bytes", E3, [["bytes"], ["20"]]),
    ("index=main | where [search index=main user=nobody | fields user] | table bytes", E3, [[]]),
    # streamstats over the events within a time span of each one
    ("index=main | streamstats time_window=60s count by u | table _time u count",
     [{"_time": t, "u": u} for t, u in [(1000, "a"), (990, "a"), (950, "b"), (930, "a"), (800, "a")]],
     [["_time", "u", "count"], ["1000", "a", "1"], ["990", "a", "2"], ["950", "b", "1"], ["930", "a", "2"],
      ["800", "a", "1"]]),
    ("index=main | streamstats time_window=1m current=f count | table count",
     [{"_time": t} for t in (1000, 990, 950, 930, 800)], [["count"], ["0"], ["1"], ["2"], ["2"], ["0"]]),
    # makecontinuous: the buckets without results come back empty
    ("index=main | bin _time span=1h | stats count by _time | makecontinuous _time span=1h",
     [{"_time": t} for t in (7200, 0, 18000)],
     [["_time", "count"], ["0", "1"], ["3600", None], ["7200", "1"], ["10800", None], ["14400", None],
      ["18000", "1"]]),
    ("index=main | stats count by x | makecontinuous x span=10", [{"_time": 1, "x": 10}, {"_time": 2, "x": 30}],
     [["x", "count"], ["10", "1"], ["20", None], ["30", "1"]]),
    # join with aliases: each side's fields named <alias>.<field>
    ("index=main | stats sum(bytes) as total by user | join left=L right=R where L.user=R.user "
     "[search index=main | stats count by user]", E3,
     [["L.user", "L.total", "R.user", "R.count"], ["alice", "301", "alice", "2"], ["bob", "20", "bob", "1"]]),
    ("index=main | stats sum(bytes) as total by user | join type=left left=L right=R where L.user = R.user "
     "[search index=main user=bob | stats count by user]", E3,
     [["L.user", "L.total", "R.user", "R.count"], ["alice", "301", None, None], ["bob", "20", "bob", "1"]]),
    # head with a comparison; stats rate
    ("index=main | head bytes>10 | table bytes", E3, [["bytes"], ["300"], ["20"]]),
    ("index=main | stats rate(bytes) as r", [{"_time": 100, "bytes": 10}, {"_time": 120, "bytes": 70}],
     [["r"], ["3"]]),
    # a quote escaped with a backslash inside an unquoted term is part of it (published detections)
    ('index=main cfg=*\\"privileged\\":true* | table cfg',
     [{"cfg": '{"privileged":true}'}, {"cfg": '{"privileged":false}'}], [["cfg"], ['{"privileged":true}']]),
    # eval function names in any case
    ('index=main | where LIKE(ev, "Get%") | eval k=CASE(bytes>100, "big", true(), "small") | table k', E3,
     [["k"], ["big"], ["small"]]),
]


@pytest.mark.parametrize("query,events,expected", CASES, ids=[c[0] for c in CASES])
def test_command(query, events, expected):
    engine = spl_lite.Engine(now=1700000250, addons=False)
    engine.add_events(events)
    assert table_of(engine.search(query)) == {"columns": expected[0], "rows": expected[1:]}


TXN = [{"_time": t, "user": u, "action": a} for u, a, t in [
    ("alice", "login", 100), ("alice", "view", 130), ("alice", "logout", 160), ("bob", "login", 110),
    ("bob", "view", 500), ("alice", "login", 1000), ("alice", "view", 1010)]]

TRANSACTIONS = [
    ("index=main | transaction user | table _time user action duration eventcount",
     [["_time", "user", "action", "duration", "eventcount"],
      ["110", "bob", ["login", "view"], "390", "2"], ["100", "alice", ["login", "logout", "view"], "910", "5"]]),
    ("index=main | transaction user maxpause=60s | table _time user duration eventcount",
     [["_time", "user", "duration", "eventcount"], ["1000", "alice", "10", "2"], ["500", "bob", "0", "1"],
      ["110", "bob", "0", "1"], ["100", "alice", "60", "3"]]),
    ("index=main | transaction user maxspan=30s | table _time user eventcount",
     [["_time", "user", "eventcount"], ["1000", "alice", "2"], ["500", "bob", "1"], ["160", "alice", "1"],
      ["110", "bob", "1"], ["100", "alice", "2"]]),
    ('index=main | transaction user startswith="action=login" endswith=(action=logout) | table _time user duration',
     [["_time", "user", "duration"], ["100", "alice", "60"]]),
    ('index=main | transaction user startswith=eval(action=="login") endswith="action=logout" keepevicted=true '
     '| table _time user eventcount closed_txn',
     [["_time", "user", "eventcount", "closed_txn"], ["1000", "alice", "2", "0"], ["110", "bob", "2", "0"],
      ["100", "alice", "3", "1"]]),
    ("index=main | transaction user maxevents=2 mvlist=true | table _time user action",
     [["_time", "user", "action"], ["1010", "alice", "view"], ["160", "alice", ["logout", "login"]],
      ["110", "bob", ["login", "view"]], ["100", "alice", ["login", "view"]]]),
    ("index=main | transaction user maxspan=1h | table user closed_txn",
     [["user", "closed_txn"], ["bob", "1"], ["alice", "1"]]),
    ("index=main | transaction user maxevents=2 | table _raw | head 1",
     [["_raw"], ['{"user":"alice","action":"view"}']]),
]


def test_transaction_links_fields_transitively_and_keeps_orphans_on_request():
    engine = spl_lite.Engine(addons=False)
    engine.add_events([{"_time": 1, "src": "h1", "cookie": "c1"}, {"_time": 2, "src": "h1"},
                       {"_time": 3, "cookie": "c1", "step": "end"}, {"_time": 4, "src": "h2"},
                       {"_time": 5, "other": "x"}])
    assert table_of(engine.search("index=main | transaction src cookie | table src cookie eventcount")) == {
        "columns": ["src", "cookie", "eventcount"], "rows": [["h2", None, "1"], ["h1", "c1", "3"]]}
    result = engine.search("index=main | transaction src keeporphans=t | table other _txn_orphan eventcount")
    # the event without src (time 3) is an orphan too
    assert table_of(result)["rows"] == [["x", "1", None], [None, None, "1"], [None, "1", None], [None, None, "2"]]


@pytest.mark.parametrize("query,expected", TRANSACTIONS, ids=[t[0] for t in TRANSACTIONS])
def test_transaction(query, expected):
    engine = spl_lite.Engine(addons=False)
    engine.add_events(TXN)
    assert table_of(engine.search(query)) == {"columns": expected[0], "rows": expected[1:]}


def test_a_foreach_template_that_does_not_compile_is_reported_before_running():
    with pytest.raises(spl_lite.SplError) as info:
        spl_lite.Engine().compile("index=main | foreach count_* [stats count]")
    assert str(info.value).splitlines()[0] == ("Error in 'foreach' command: The template [stats count] does not "
                                               "compile: foreach runs streaming commands (eval, rex, ...), not 'stats'.")
    assert "index=main | foreach count_* [stats count]"[info.value.span.start:info.value.span.end] == "[stats count]"


def test_a_string_ending_in_an_escaped_backslash_before_a_macro():
    engine = spl_lite.Engine(addons=False)
    engine.define_macro("ct", "convert ctime($f$)", ("f",))
    engine.add_events([{"_time": 0, "path": "C:\\tmp\\a.exe"}])
    result = engine.search('index=main | eval parts=split(path, "\\\\") | eval t=_time | `ct(t)` | table parts t')
    assert table_of(result) == {"columns": ["parts", "t"], "rows": [[["C:", "tmp", "a.exe"], "01/01/1970 00:00:00"]]}


FUNCTIONS = [  # (eval expression, what Splunk's documentation gives)
    ("round(sin(pi()/2), 4)", "1.0000"), ("round(cos(0), 4)", "1.0000"), ("round(tan(pi()/4), 4)", "1.0000"),
    ("round(asin(1), 4)", "1.5708"), ("round(acos(0), 4)", "1.5708"), ("round(atan(1), 4)", "0.7854"),
    ("round(atan2(1, 1), 4)", "0.7854"), ("round(sinh(1), 4)", "1.1752"), ("round(cosh(1), 4)", "1.5431"),
    ("round(tanh(1), 4)", "0.7616"), ("round(asinh(1), 4)", "0.8814"), ("round(acosh(2), 4)", "1.3170"),
    ("round(atanh(0.5), 4)", "0.5493"), ("hypot(3, 4)", "5"), ("asin(2)", None),
    ("sigfig(1.00*1111)", "1110"), ("sigfig(1234)", "1234"), ("sigfig(2.50*2)", "5"),
    ('ipmask("255.255.255.0", "10.20.30.120")', "10.20.30.0"), ('ipmask("255.255.0.0", "not an ip")', None),
    ('printf("%04d", 42)', "0042"), ('printf("%-5s|", "ab")', "ab   |"), ('printf("%.2f", 3.14159)', "3.14"),
    ('printf("%x %o %X", 255, 8, 255)', "ff 10 FF"), ("printf(\"%'d\", 1234567)", "1,234,567"),
    ('printf("%+d %e", 7, 1234.5)', "+7 1.234500e+03"), ('printf("%c%c", 72, 105)', "Hi"),
    ('printf("%5.1f%%", 99.26)', " 99.3%"), ('printf("%s is %d", "age", 28)', "age is 28"),
    ('json_object("name", "maria", "age", 28, "pets", json_array("cat", "dog"))',
     '{"name":"maria","age":28,"pets":["cat","dog"]}'),
    ('json_array(1, "two", json_object("three", 3))', '[1,"two",{"three":3}]'),
    ('json_set(json_object("a", 1), "a", 2, "b.c", "x")', '{"a":2,"b":{"c":"x"}}'),
    ('json_set_exact(json_object("a", 1), "b.c", "x")', '{"a":1,"b.c":"x"}'),
    ('json_append(json_object("l", json_array(1)), "l", 2)', '{"l":[1,2]}'),
    ('json_extend(json_object("l", json_array(1)), "l", json_array(2, 3))', '{"l":[1,2,3]}'),
    ('json_delete(json_object("a", 1, "b", 2), "a")', '{"b":2}'),
    ('json_extract_exact(json_object("a.b", 1), "a.b")', "1"),
    ('json_entries(json_object("k", "v"))', '[{"key":"k","value":"v"}]'),
    ('CASE(1=1, "upper-case name")', "upper-case name"),
]


@pytest.mark.parametrize("expr,expected", FUNCTIONS, ids=[f[0] for f in FUNCTIONS])
def test_eval_function(expr, expected):
    result = spl_lite.Engine().search(f"| makeresults | eval x={expr} | table x")
    assert table_of(result)["rows"] == [[expected]]


def test_typer_tags_and_metadata(tmp_path):
    (tmp_path / "eventtypes.conf").write_text("[big_read]\nsearch = ev=GetObject bytes>100\n\n[writes]\nsearch = ev=Put*\n")
    (tmp_path / "tags.conf").write_text("[eventtype=writes]\nchange = enabled\n\n[user=bob]\nadmin = enabled\n"
                                        "privileged = enabled\n")
    engine = spl_lite.Engine(addons=False, knowledge=[tmp_path])
    engine.add_events(E3)
    assert table_of(engine.search("index=main | typer | table user eventtype")) == {
        "columns": ["user", "eventtype"], "rows": [["alice", "big_read"], ["bob", "writes"], ["alice", None]]}
    assert table_of(engine.search("index=main user=bob | tags user | table user tag::user")) == {
        "columns": ["user", "tag::user"], "rows": [["bob", ["admin", "privileged"]]]}
    assert table_of(engine.search("index=main user=bob | tags outputfield=t inclname=t inclvalue=t user | table t")) == {
        "columns": ["t"], "rows": [[["user::bob::admin", "user::bob::privileged"]]]}
    assert table_of(engine.search("| metadata type=sourcetypes index=main")) == {
        "columns": ["firstTime", "lastTime", "recentTime", "sourcetype", "totalCount", "type"],
        "rows": [["1700000100", "1700000300", "1700000300", "aws:cloudtrail", "3", "sourcetypes"]]}


def test_the_lookup_eval_function(tmp_path):
    (tmp_path / "users.csv").write_text("uid,name,team\n1,ana,blue\n2,bo,red\n")
    engine = spl_lite.Engine(lookups_dir=tmp_path)
    result = engine.search('| makeresults | eval uid=2, a=lookup("users.csv", json_object("uid", uid), '
                           'json_array("name")), b=lookup("users", json_object("uid", "1")), '
                           'c=lookup("users.csv", json_object("uid", 9)) | table a b c')
    assert table_of(result)["rows"] == [['{"name":"bo"}', '{"name":"ana","team":"blue"}', None]]
    with pytest.raises(spl_lite.SplError, match="The lookup table 'nope.csv' does not exist"):
        engine.search('| makeresults | eval a=lookup("nope.csv", json_object("uid", 1))')


def test_a_transaction_filter_that_does_not_compile_points_at_the_option():
    query = "index=main | transaction user startswith=eval(nope(x))"
    with pytest.raises(spl_lite.SplError) as info:
        spl_lite.Engine().compile(query)
    assert str(info.value).splitlines()[0] == ("Error in 'transaction' command: The startswith filter does not "
                                               "compile: The 'nope' function is unsupported or undefined.")
    assert query[info.value.span.start:info.value.span.end] == "startswith=eval(nope(x))"


# A day of events, one every 10 minutes, users taking turns: a sparkline's default span is the
# first of limits.conf's sparkline_time_steps giving at most sparkline_maxsize (100) buckets.
DAY = [{"_time": 1699920000 + i * 600, "who": f"u{i % 3}", "b": i} for i in range(144)]
MARK = "##__SPARKLINE__##"

SPARKLINES = [
    ("index=main | stats sparkline(count, 6h) as trend, count", [["trend", "count"], [[MARK, "36", "36", "36", "36"], "144"]]),
    ("index=main | stats sparkline(count(who), 12h) count by who",
     [["who", "sparkline(count(who), 12h)", "count"], ["u0", [MARK, "24", "24"], "48"],
      ["u1", [MARK, "24", "24"], "48"], ["u2", [MARK, "24", "24"], "48"]]),
    ("index=main | stats sparkline(avg(b), 12h) as a, sparkline(max(b),1d) as m",
     [["a", "m"], [[MARK, "35.5", "107.5"], [MARK, "143"]]]),
    # The series shares the results' buckets: u2's first bucket is empty.
    ("index=main b<2 OR b>140 | chart sparkline(count, 1h) by who",
     [["who", "sparkline(count, 1h)"], ["u0", [MARK, "1"] + ["0"] * 22 + ["1"]],
      ["u1", [MARK, "1"] + ["0"] * 22 + ["1"]], ["u2", [MARK] + ["0"] * 23 + ["1"]]]),
    # 24 hours: 10m buckets would be 144, so 30m (48 buckets, 3 events each).
    ("index=main | stats sparkline | eval n=mvcount(sparkline), firsts=mvindex(sparkline, 0, 2) | table n firsts",
     [["n", "firsts"], ["49", [MARK, "3", "3"]]]),
]


@pytest.mark.parametrize("query,expected", SPARKLINES, ids=[c[0] for c in SPARKLINES])
def test_sparkline(query, expected):
    engine = spl_lite.Engine(now=1700100000, addons=False)
    engine.add_events(DAY)
    assert table_of(engine.search(query)) == {"columns": expected[0], "rows": expected[1:]}


@pytest.mark.parametrize("query,message", [
    ("index=main | stats sparkline(nope(b))",
     "Error in 'stats' command: The argument 'sparkline(nope(b))' is invalid: 'nope' is not a stats function "
     "for a sparkline.\n  index=main | stats sparkline(nope(b))\n                     ^^^^^^^^^^^^^^^^^^\n"
     "  help: a sparkline takes avg, c, count, dc, max, mean, min, range, stdev, stdevp, sum, sumsq, var, varp"),
    ("index=main | stats sparkline(cout(b), 1h)",
     "Error in 'stats' command: The argument 'sparkline(cout(b), 1h)' is invalid: 'cout' is not a stats function "
     "for a sparkline.\n  index=main | stats sparkline(cout(b), 1h)\n                     ^^^^^^^^^^^^^^^^^^^^^^\n"
     "  help: did you mean 'count'?"),
    ("index=main | stats sparkline(avg, 1h)",
     "Error in 'stats' command: The 'avg' function needs a field: sparkline(avg(<field>)).\n"
     "  index=main | stats sparkline(avg, 1h)\n                     ^^^^^^^^^^^^^^^^^^"),
    ("index=main | stats sparkline(count, 7x)",
     "Error in 'stats' command: The sparkline span '7x' is not a time span such as 30m or 1h.\n"
     "  index=main | stats sparkline(count, 7x)\n                     ^^^^^^^^^^^^^^^^^^^^"),
    ("index=main | stats sparkline(eval(b*2))",
     "Error in 'stats' command: A sparkline takes a stats function of a field: sparkline(avg(bytes), 1h).\n"
     "  index=main | stats sparkline(eval(b*2))\n                     ^^^^^^^^^^^^^^^^^^^^"),
    ("index=main | eventstats sparkline",
     "Error in 'eventstats' command: The sparkline function works only in stats and chart.\n"
     "  index=main | eventstats sparkline\n                          ^^^^^^^^^"),
])
def test_sparkline_errors(query, message):
    with pytest.raises(spl_lite.SplError) as e:
        spl_lite.Engine(addons=False).compile(query)
    assert str(e.value) == message
