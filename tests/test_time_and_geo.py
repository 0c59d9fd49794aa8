"""timechart, bin on _time, relative time, and iplocation."""
from __future__ import annotations

import pytest

import spl_lite
from conftest import table_of

BASE = 1700000000  # 2023-11-14 22:13:20 UTC
EVENTS = [{"_time": BASE + s, "u": u, "b": b} for s, u, b in
          [(0, "a", 1), (30, "b", 2), (65, "a", 3), (200, "c", 4), (205, "a", 5), (210, "d", 6)]]


@pytest.fixture
def engine():
    e = spl_lite.Engine(addons=False, now=BASE + 3600)
    e.add_events(EVENTS)
    return e


def table(engine, q):
    t = table_of(engine.search(q))
    return [t["columns"]] + t["rows"]


def test_timechart_count_fills_empty_buckets(engine):
    assert table(engine, "index=main | timechart span=1m count") == [
        ["_time", "count"], ["1699999980", "2"], ["1700000040", "1"], ["1700000100", "0"],
        ["1700000160", "3"]]


def test_timechart_by_field_limit_and_other(engine):
    # Totals a=3, b=c=d=1: the tie for second place goes to b by name; c and d become OTHER.
    assert table(engine, "index=main | timechart span=5m limit=2 count by u") == [
        ["_time", "a", "b", "OTHER"], ["1699999800", "2", "1", "0"], ["1700000100", "1", "0", "2"]]
    assert table(engine, "index=main | timechart span=5m limit=2 useother=f sum(b) by u") == [
        ["_time", "a", "d"], ["1699999800", "4", None], ["1700000100", "5", "6"]]


def test_timechart_aggregates_without_by(engine):
    assert table(engine, "index=main | timechart span=1h avg(b) AS mean, max(b)") == [
        ["_time", "mean", "max(b)"], ["1699999200", "3.5", "6"]]


def test_bin_time_with_aligntime(engine):
    rows = table(engine, "index=main | bin _time span=2m aligntime=1700000010 | stats count by _time")
    assert rows == [["_time", "count"], ["1699999890", "1"], ["1700000010", "2"], ["1700000130", "3"]]


def test_relative_earliest_from_now(engine):
    assert engine.search("index=main earliest=-1h@h | stats count").rows == [{"count": 6}]
    assert engine.search("index=main earliest=-1h+3m | stats count").rows == [{"count": 3}]


class FakeGeo:
    def get(self, ip):
        if ip == "1.2.3.4":
            return {"city": {"names": {"en": "Tokyo"}}, "country": {"names": {"en": "Japan"}},
                    "subdivisions": [{"names": {"en": "Tokyo-to"}}],
                    "location": {"latitude": 35.6, "longitude": 139.7, "time_zone": "Asia/Tokyo"},
                    "continent": {"names": {"en": "Asia"}}}
        return None


def test_iplocation_fields_from_the_database():
    engine = spl_lite.Engine(addons=False)
    engine._geoip_reader = FakeGeo()  # a MaxMind reader answers get(ip) with this shape
    engine.add_events([{"_time": 2, "ip": "1.2.3.4"}, {"_time": 1, "ip": "10.0.0.1"}])
    rows = engine.search("index=main | iplocation allfields=t ip | table ip City Country Region lat lon "
                         "Continent Timezone").rows
    assert rows == [{"ip": "1.2.3.4", "City": "Tokyo", "Country": "Japan", "Region": "Tokyo-to", "lat": 35.6,
                     "lon": 139.7, "Continent": "Asia", "Timezone": "Asia/Tokyo"},
                    {"ip": "10.0.0.1", "City": None, "Country": None, "Region": None, "lat": None, "lon": None,
                     "Continent": None, "Timezone": None}]


def test_iplocation_without_a_database_says_what_to_do():
    engine = spl_lite.Engine(addons=False)
    query = engine.compile("index=main | iplocation ip")
    with pytest.raises(spl_lite.SplError) as info:
        query.run()
    assert str(info.value).startswith("Error in 'iplocation' command: iplocation needs a GeoIP database: start "
                                      "spl-lite with --geoip FILE")
