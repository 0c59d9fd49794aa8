"""tstats over the bundled CIM data models equals the raw search it stands for: the model's
constraint, its calculations, the WHERE terms, then stats, with fields named Dataset.field.

Events reach a model as in Splunk, through event types and tags: a test add-on tags each event
with the tags listed in its cimtags field.
"""
from __future__ import annotations

import pytest

import spl_lite
from conftest import shared_path, table_of

TAGS = ("authentication default cleartext insecure privileged change audit endpoint network account instance "
        "process report filesystem registry service listening port communicate resolution dns web proxy storage "
        "email delivery content filter ids attack malware operations certificate ssl tls update status error "
        "vulnerability session start end dhcp vpn alert").split()


def unknown(*fields):
    return ", ".join(f'{f}=if(isnull({f}) OR {f}="","unknown",{f})' for f in fields)


EVENTS = [
    # Authentication: a machine account's success is outside the model; missing fields read "unknown".
    {"cimtags": ["authentication"], "user": "alice", "src": "10.0.0.1", "action": "success", "app": "sshd"},
    {"cimtags": ["authentication"], "user": "bob", "src": "10.0.0.2", "action": "failure", "app": "sshd"},
    {"cimtags": ["authentication"], "user": "bob", "src": "10.0.0.3", "action": "failure"},
    {"cimtags": ["authentication"], "user": "HOST01$", "src": "10.0.0.4", "action": "success"},
    {"cimtags": ["authentication", "privileged"], "user": "root", "action": "failure", "dest": "db1"},
    {"cimtags": ["authentication"], "src": "10.0.0.9"},
    # Change
    {"cimtags": ["change", "account"], "user": "admin", "action": "created", "src_user": "svc1", "dest": "dc1"},
    {"cimtags": ["change", "account"], "user": "admin", "action": "deleted", "src_user": "svc2", "dest": "dc1"},
    {"cimtags": ["change", "instance"], "user": "ops", "action": "created", "image_id": "ami-1", "instance_type": "t3"},
    {"cimtags": ["change", "endpoint"], "user": "ops", "object_category": "file", "action": "modified"},
    {"cimtags": ["change", "audit"], "command": "auditctl -D"},
    # Endpoint
    {"cimtags": ["process", "report"], "dest": "ws1", "user": "alice", "process_name": "cmd.exe",
     "process": "cmd.exe /c whoami", "parent_process_name": "winword.exe"},
    {"cimtags": ["process", "report"], "dest": "ws1", "process_name": "powershell.exe",
     "process": "powershell -enc AAAA", "parent_process_name": "cmd.exe"},
    {"cimtags": ["process", "report"], "dest": "ws2", "user": "bob", "process_name": "cmd.exe", "process": "cmd.exe"},
    {"cimtags": ["endpoint", "filesystem"], "dest": "ws1", "file_name": "a.exe", "file_path": "C:\\tmp\\a.exe",
     "action": "created"},
    {"cimtags": ["endpoint", "registry"], "dest": "ws2", "registry_path": "HKLM\\Software\\Run\\x",
     "registry_value_name": "x", "registry_value_data": "0x00000001"},
    {"cimtags": ["service", "report"], "dest": "ws2", "service_name": "evil", "start_mode": "auto"},
    {"cimtags": ["listening", "port"], "dest": "ws1", "dest_port": 4444, "transport": "tcp"},
    # Network_Traffic, Network_Resolution, Network_Sessions
    {"cimtags": ["network", "communicate"], "src": "10.0.0.1", "dest": "8.8.8.8", "dest_port": 53, "action": "allowed",
     "transport": "udp", "bytes": 120},
    {"cimtags": ["network", "communicate"], "src": "10.0.0.1", "dest": "1.2.3.4", "dest_port": 445, "action": "blocked",
     "bytes": 60},
    {"cimtags": ["network", "communicate"], "src": "10.0.0.2", "dest": "1.2.3.4", "action": "blocked"},
    {"cimtags": ["network", "resolution", "dns"], "src": "10.0.0.1", "query": "evil.example", "query_type": "A",
     "reply_code": "NXDOMAIN"},
    {"cimtags": ["network", "resolution", "dns"], "src": "10.0.0.2", "query": "good.example", "query_type": "A",
     "reply_code": "NoError"},
    {"cimtags": ["network", "session", "dhcp"], "dest_ip": "10.0.0.7", "dest_mac": "aa:bb", "user": "carol"},
    {"cimtags": ["network", "session", "vpn"], "src_ip": "5.6.7.8", "user": "carol", "action": "success"},
    # Web
    {"cimtags": ["web"], "src": "10.0.0.1", "dest": "shop", "url": "http://shop/wp-login.php", "status": 200,
     "http_method": "POST", "http_user_agent": "curl/8"},
    {"cimtags": ["web", "proxy"], "src": "10.0.0.2", "url": "http://evil/x", "status": 403, "http_method": "GET",
     "http_user_agent": "Mozilla/5.0"},
    # Email
    {"cimtags": ["email", "delivery"], "src_user": "eve@x", "recipient": "bob@y", "message_id": "m1", "file_name": "a.doc"},
    {"cimtags": ["email", "filter"], "src_user": "eve@x", "recipient": "alice@y", "message_id": "m2",
     "filter_action": "quarantined"},
    # Intrusion_Detection, Malware, Alerts
    {"cimtags": ["ids", "attack"], "src": "1.2.3.4", "dest": "web1", "signature": "SQLi", "severity": "high"},
    {"cimtags": ["ids", "attack"], "src": "1.2.3.5", "dest": "web1", "signature": "XSS"},
    {"cimtags": ["malware", "attack"], "dest": "ws1", "signature": "EICAR", "file_name": "eicar.com", "action": "blocked"},
    {"cimtags": ["malware", "operations"], "dest": "ws1", "signature_version": "1.2"},
    {"cimtags": ["alert"], "app": "edr", "dest": "ws1", "severity": "high", "description": "bad thing"},
    # Certificates, Updates, Vulnerabilities
    {"cimtags": ["certificate", "ssl"], "src": "10.0.0.1", "dest": "shop", "ssl_issuer": "CN=Evil CA",
     "ssl_subject_common_name": "shop"},
    {"cimtags": ["certificate"], "dest": "mail", "dest_port": 25},
    {"cimtags": ["update", "status"], "dest": "ws1", "status": "installed", "signature": "KB1"},
    {"cimtags": ["update", "status", "error"], "dest": "ws2", "status": "failed", "signature": "KB2"},
    {"cimtags": ["vulnerability", "report"], "dest": "ws1", "cve": "CVE-2024-1", "severity": "critical"},
    {"cimtags": ["vulnerability", "report"], "dest": "ws2", "cve": "CVE-2024-1"},
]
RISK = [
    {"risk_object": "alice", "risk_object_type": "user", "risk_score": 40, "search_name": "a"},
    {"risk_object": "alice", "risk_object_type": "user", "risk_score": 20, "search_name": "b"},
    {"risk_object": "ws1", "risk_object_type": "system", "risk_score": 60, "search_name": "a"},
]

PAIRS = [  # (tstats, the raw search it stands for)
    ("| tstats count from datamodel=Authentication where Authentication.action=failure by Authentication.user",
     f'tag=authentication NOT (action=success user=*$) | eval {unknown("action", "user")} | search action=failure '
     '| stats count by user | rename user AS Authentication.user'),
    ("| tstats count dc(Authentication.src) as srcs from datamodel=Authentication by Authentication.action, "
     "Authentication.app",
     f'tag=authentication NOT (action=success user=*$) | eval {unknown("action", "app", "src")} '
     '| stats count dc(src) as srcs by action app | rename action AS Authentication.action, app AS Authentication.app'),
    ("| tstats count from datamodel=Authentication.Failed_Authentication by Authentication.user",
     f'tag=authentication NOT (action=success user=*$) | eval {unknown("action", "user")} | search action="failure" '
     '| stats count by user | rename user AS Authentication.user'),
    ("| tstats count from datamodel=Authentication where nodename=Authentication.Privileged_Authentication "
     "by Authentication.dest",
     f'tag=authentication NOT (action=success user=*$) | eval {unknown("dest")} | search tag=privileged '
     '| stats count by dest | rename dest AS Authentication.dest'),
    ("| tstats values(All_Changes.Account_Management.src_user) as src_users from datamodel=Change.All_Changes "
     "where nodename=All_Changes.Account_Management by All_Changes.action",
     'tag=change NOT (object_category=file OR object_category=directory OR object_category=registry) '
     f'| eval {unknown("action", "object_category")} | search tag=account '
     '| stats values(src_user) as src_users by action | rename action AS All_Changes.action'),
    ("| tstats count from datamodel=Change by All_Changes.user All_Changes.Instance_Changes.image_id",
     f'tag=change NOT (object_category=file OR object_category=directory OR object_category=registry) '
     f'| eval {unknown("user")} | stats count by user image_id '
     '| rename user AS All_Changes.user, image_id AS All_Changes.Instance_Changes.image_id'),
    ("| tstats count from datamodel=Endpoint.Processes where Processes.process_name=cmd.exe "
     "by Processes.dest Processes.user Processes.parent_process_name",
     f'tag=process tag=report | eval {unknown("dest", "user")} | search process_name=cmd.exe '
     '| stats count by dest user parent_process_name '
     '| rename dest AS Processes.dest, user AS Processes.user, parent_process_name AS Processes.parent_process_name'),
    ("| tstats count from datamodel=Endpoint.Filesystem by Filesystem.file_name Filesystem.action",
     f'tag=endpoint tag=filesystem | eval {unknown("action", "dest")} | stats count by file_name action '
     '| rename file_name AS Filesystem.file_name, action AS Filesystem.action'),
    ("| tstats count from datamodel=Endpoint.Registry where Registry.registry_value_data=0x00000001 "
     "by Registry.registry_path",
     'tag=endpoint tag=registry | search registry_value_data=0x00000001 | stats count by registry_path '
     '| rename registry_path AS Registry.registry_path'),
    ("| tstats count from datamodel=Endpoint.Services by Services.service_name Services.start_mode",
     'tag=service tag=report | stats count by service_name start_mode '
     '| rename service_name AS Services.service_name, start_mode AS Services.start_mode'),
    ("| tstats sum(All_Traffic.bytes) as bytes from datamodel=Network_Traffic by All_Traffic.action "
     "All_Traffic.dest_port",
     f'tag=network tag=communicate | eval {unknown("action", "dest_port")} | stats sum(bytes) as bytes by action '
     'dest_port | rename action AS All_Traffic.action, dest_port AS All_Traffic.dest_port'),
    ("| tstats count from datamodel=Network_Traffic.Blocked_Traffic by All_Traffic.src",
     f'tag=network tag=communicate | eval {unknown("action", "src")} | search action="blocked" '
     '| stats count by src | rename src AS All_Traffic.src'),
    ("| tstats count from datamodel=Network_Resolution where DNS.reply_code=NXDOMAIN by DNS.query DNS.src",
     f'tag=network tag=resolution tag=dns | eval {unknown("src")} | search reply_code=NXDOMAIN '
     '| stats count by query src | rename query AS DNS.query, src AS DNS.src'),
    ("| tstats count from datamodel=Network_Sessions where nodename=All_Sessions.DHCP by All_Sessions.dest_ip "
     "All_Sessions.dest_mac",
     'tag=network tag=session | search tag=dhcp | stats count by dest_ip dest_mac '
     '| rename dest_ip AS All_Sessions.dest_ip, dest_mac AS All_Sessions.dest_mac'),
    ("| tstats count from datamodel=Web where Web.http_method=POST by Web.url Web.url_length "
     "Web.http_user_agent_length",
     f'tag=web | eval {unknown("http_method")}, url_length=len(url), http_user_agent_length=len(http_user_agent) '
     '| search http_method=POST | stats count by url url_length http_user_agent_length '
     '| rename url AS Web.url, url_length AS Web.url_length, http_user_agent_length AS Web.http_user_agent_length'),
    ("| tstats count from datamodel=Web.Proxy by Web.status",
     f'tag=web | eval {unknown("status")} | search tag=proxy | stats count by status | rename status AS Web.status'),
    ("| tstats values(All_Email.recipient) as recipients from datamodel=Email by All_Email.src_user "
     "All_Email.message_id",
     f'tag=email | eval {unknown("src_user")} | stats values(recipient) as recipients by src_user message_id '
     '| rename src_user AS All_Email.src_user, message_id AS All_Email.message_id'),
    ("| tstats count from datamodel=Email.Filtering by All_Email.Filtering.filter_action",
     'tag=email | search tag=filter | stats count by filter_action '
     '| rename filter_action AS All_Email.Filtering.filter_action'),
    ("| tstats count from datamodel=Intrusion_Detection.IDS_Attacks by IDS_Attacks.signature IDS_Attacks.severity",
     f'tag=ids tag=attack | eval {unknown("signature", "severity")} | stats count by signature severity '
     '| rename signature AS IDS_Attacks.signature, severity AS IDS_Attacks.severity'),
    ("| tstats count from datamodel=Malware.Malware_Attacks by Malware_Attacks.signature Malware_Attacks.file_name",
     f'tag=malware tag=attack | eval {unknown("signature")} | stats count by signature file_name '
     '| rename signature AS Malware_Attacks.signature, file_name AS Malware_Attacks.file_name'),
    ("| tstats count from datamodel=Alerts by Alerts.app Alerts.severity",
     f'tag=alert | eval {unknown("app", "severity")} | stats count by app severity '
     '| rename app AS Alerts.app, severity AS Alerts.severity'),
    ("| tstats count from datamodel=Certificates.All_Certificates where nodename=All_Certificates.SSL "
     "by All_Certificates.dest All_Certificates.SSL.ssl_issuer",
     f'tag=certificate | eval {unknown("dest")} | search tag=ssl OR tag=tls | stats count by dest ssl_issuer '
     '| rename dest AS All_Certificates.dest, ssl_issuer AS All_Certificates.SSL.ssl_issuer'),
    ("| tstats count from datamodel=Updates where Updates.status=failed by Updates.dest Updates.signature",
     f'tag=update tag=status | eval {unknown("dest", "status")} | search status=failed | stats count by dest '
     'signature | rename dest AS Updates.dest, signature AS Updates.signature'),
    ("| tstats dc(Vulnerabilities.dest) as hosts from datamodel=Vulnerabilities by Vulnerabilities.cve "
     "Vulnerabilities.severity",
     f'tag=vulnerability tag=report | eval {unknown("severity")} | stats dc(dest) as hosts by cve severity '
     '| rename cve AS Vulnerabilities.cve, severity AS Vulnerabilities.severity'),
    ("| tstats sum(All_Risk.risk_score) as score from datamodel=Risk.All_Risk by All_Risk.risk_object "
     "All_Risk.risk_object_type",
     'index=risk | stats sum(risk_score) as score by risk_object risk_object_type '
     '| rename risk_object AS All_Risk.risk_object, risk_object_type AS All_Risk.risk_object_type'),
    ("| tstats count from datamodel=Endpoint.Processes where earliest=-50m by Processes.dest",
     f'tag=process tag=report earliest=-50m | eval {unknown("dest", "user")} | stats count by dest '
     '| rename dest AS Processes.dest'),
    ("| tstats count from datamodel=Endpoint.Processes by _time span=1h",
     'tag=process tag=report | bin _time span=1h | stats count by _time'),
    ("| tstats fillnull_value=none count from datamodel=Endpoint.Processes by Processes.parent_process_name",
     'tag=process tag=report | fillnull value=none parent_process_name | stats count by parent_process_name '
     '| rename parent_process_name AS Processes.parent_process_name'),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    addon = tmp_path_factory.mktemp("cim_test_addon")
    (addon / "eventtypes.conf").write_text("".join(f"[cim_{t}]\nsearch = cimtags{{}}={t}\n\n" for t in TAGS))
    (addon / "tags.conf").write_text("".join(f"[eventtype=cim_{t}]\n{t} = enabled\n\n" for t in TAGS))
    e = spl_lite.Engine(knowledge=[addon], now=1_710_000_000)
    e.add_events([{**ev, "_time": 1_709_990_000 + 600 * i} for i, ev in enumerate(EVENTS)], sourcetype="cim:test")
    e.add_events([{**ev, "_time": 1_709_990_000 + 60 * i} for i, ev in enumerate(RISK)], index="risk",
                 sourcetype="stash")
    return e


@pytest.mark.parametrize("tstats,raw", PAIRS, ids=[p[0][9:70] for p in PAIRS])
def test_tstats_equals_the_raw_search_it_stands_for(engine, tstats, raw):
    expected = table_of(engine.search(raw))
    assert expected["rows"], "the pair must select some events, or it shows nothing"
    assert table_of(engine.search(tstats)) == expected


def test_every_bundled_model_has_a_pair():
    models = spl_lite.Engine().datamodels.models
    named = {p[0].split("datamodel=")[1].split(".")[0].split()[0] for p in PAIRS}
    assert named == set(models)


CLOUDTRAIL_PAIRS = [  # the real CloudTrail events of ../shared/data, mapped to CIM by the bundled AWS add-on
    ("| tstats count from datamodel=Authentication by Authentication.user Authentication.action Authentication.src",
     f'tag=authentication NOT (action=success user=*$) | eval {unknown("action", "user", "src")} '
     '| stats count by user action src '
     '| rename user AS Authentication.user, action AS Authentication.action, src AS Authentication.src'),
    ("| tstats count min(_time) as firstTime from datamodel=Authentication.Failed_Authentication "
     "by Authentication.user Authentication.authentication_method",
     f'tag=authentication NOT (action=success user=*$) | eval {unknown("action", "user")} | search action="failure" '
     '| stats count min(_time) as firstTime by user authentication_method '
     '| rename user AS Authentication.user, authentication_method AS Authentication.authentication_method'),
    ("| tstats count values(All_Changes.command) as commands from datamodel=Change where All_Changes.status=success "
     "by All_Changes.user All_Changes.object_category",
     'tag=change NOT (object_category=file OR object_category=directory OR object_category=registry) '
     f'| eval {unknown("user", "status", "object_category")} | search status=success '
     '| stats count values(command) as commands by user object_category '
     '| rename user AS All_Changes.user, object_category AS All_Changes.object_category'),
    ("| tstats count from datamodel=Change.All_Changes by All_Changes.change_type All_Changes.action _time span=1d",
     'tag=change NOT (object_category=file OR object_category=directory OR object_category=registry) '
     f'| eval {unknown("change_type", "action")} | bin _time span=1d | stats count by change_type action _time '
     '| rename change_type AS All_Changes.change_type, action AS All_Changes.action'),
]


@pytest.fixture(scope="module")
def cloudtrail():
    data = shared_path("data")
    e = spl_lite.Engine(now=1_710_000_000)
    for path in sorted(data.glob("*.ndjson")) + [data / "s3_records"]:
        e.load(path)
    return e


@pytest.mark.parametrize("tstats,raw", CLOUDTRAIL_PAIRS, ids=[p[0][9:70] for p in CLOUDTRAIL_PAIRS])
def test_tstats_over_real_cloudtrail_events(cloudtrail, tstats, raw):
    expected = table_of(cloudtrail.search(raw))
    assert len(expected["rows"]) > 1
    assert table_of(cloudtrail.search(tstats)) == expected


def test_a_model_of_ones_own_from_the_cli(tmp_path, capsys):
    from spl_lite.cli import main
    (tmp_path / "Hunt.json").write_text(
        '{"modelName": "Hunt", "objects": [{"objectName": "Logins", "parentName": "BaseEvent", '
        '"constraints": [{"search": "eventName=ConsoleLogin"}], "fields": [{"fieldName": "userName"}], '
        '"calculations": [{"calculationType": "Eval", "expression": "coalesce(\'additionalEventData.MFAUsed\', '
        '\\"none\\")", "outputFields": [{"fieldName": "mfa"}]}]}]}')
    (tmp_path / "broken.json").write_text("{not json")
    assert main(["query", "| tstats count from datamodel=Hunt by Logins.userName Logins.mfa",
                 "--datamodels", str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["Logins.userName", "Logins.mfa", "count"]
    assert [line.split() for line in out[2:]] == [["bstoll", "No", "4"], ["klaus", "Yes", "11"],
                                                 ["ops-deploy", "Yes", "9"]]
    e = spl_lite.Engine(datamodels=[tmp_path])
    assert [w.split("/")[-1] for w in e.knowledge_warnings if "broken" in w] == [
        "broken.json: not a data model (unexpected character, expected a string key: line 1 column 2 (char 1)); "
        "skipped"]


ERRORS = [
    ("| tstats count from datamodel=Authentcation by Authentication.user",
     "Error in 'tstats' command: The data model 'Authentcation' was not found.", "Authentcation",
     "did you mean 'Authentication'?"),
    ("| tstats count from datamodel=Endpoint.Process by Processes.dest",
     "Error in 'tstats' command: The data model 'Endpoint' has no dataset 'Process'.", "Endpoint.Process",
     "did you mean 'Processes'?"),
    ("| tstats count from datamodel=Endpoint",
     "Error in 'tstats' command: The data model 'Endpoint' has several root datasets (Ports, Processes, Filesystem, "
     "Registry, Services): name one, as in datamodel=Endpoint.Ports.", "Endpoint", None),
    ("| tstats count from mynamespace",
     "Error in 'tstats' command: tstats reads data models (FROM datamodel=<name>); 'mynamespace' is a tscollect "
     "namespace or job, which spl_lite does not have.", "from mynamespace", None),
    ("| tstats from datamodel=Web", "Error in 'tstats' command: Missing a stats function, e.g. count or dc(<field>).",
     "tstats", None),
]


@pytest.mark.parametrize("query,message,marked,hint", ERRORS, ids=[e[0] for e in ERRORS])
def test_tstats_errors_say_what_is_wrong(query, message, marked, hint):
    with pytest.raises(spl_lite.SplError) as info:
        spl_lite.Engine().compile(query)
    e = info.value
    assert str(e).splitlines()[0] == message
    assert query[e.span.start:e.span.end] == marked
    assert e.hint == hint


SAME_EVENTS = [  # the datamodel command and from give the dataset's events that tstats counts
    ("| datamodel Authentication Failed_Authentication search | stats count by Authentication.user",
     "| tstats count from datamodel=Authentication.Failed_Authentication by Authentication.user"),
    ('| from datamodel:"Authentication.Failed_Authentication" | stats count by user',
     "| tstats count from datamodel=Authentication.Failed_Authentication by Authentication.user "
     "| `drop_dm_object_name(Authentication)`"),
    ("| from datamodel Change.Account_Management | stats values(src_user) as s by action",
     "| tstats values(All_Changes.Account_Management.src_user) as s from datamodel=Change.Account_Management "
     "by All_Changes.action | rename All_Changes.action AS action"),
    ("| datamodel Endpoint Processes flat | stats count by dest user",
     "| tstats count from datamodel=Endpoint.Processes by Processes.dest Processes.user "
     "| `drop_dm_object_name(Processes)`"),
]


@pytest.mark.parametrize("events,tstats", SAME_EVENTS, ids=[p[0][2:60] for p in SAME_EVENTS])
def test_datamodel_and_from_give_the_events_tstats_counts(engine, events, tstats):
    expected = table_of(engine.search(tstats))
    assert expected["rows"]
    assert table_of(engine.search(events)) == expected


def test_datamodel_describes_the_models():
    e = spl_lite.Engine()
    assert table_of(e.search("| datamodel Endpoint | table dataset")) == {
        "columns": ["dataset"], "rows": [["Ports"], ["Processes"], ["Filesystem"], ["Registry"], ["Services"]]}
    auth = e.search("| datamodel Authentication | where dataset=\"Authentication.Failed_Authentication\"").rows[0]
    assert auth["constraints"] == ["(`cim_Authentication_indexes`) tag=authentication NOT (action=success user=*$)",
                                   'action="failure"']
