"""iplocation: City, Country, Region, lat and lon of an IP address, from a MaxMind database."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..errors import SplError
from ..runtime.values import field_getter, first_value, to_string, copy_event
from ..syntax import ast
from .base import Command, Kind, to_bool, to_text


@dataclass(frozen=True)
class IplocationCommand(Command):
    """Add the location of an IP address field (City, Country, Region, lat, lon) from a GeoIP database."""

    name: ClassVar[str] = "iplocation"
    kind: ClassVar[Kind] = Kind.STREAMING
    syntax: ClassVar[str] = "iplocation [prefix=<text>] [allfields=<bool>] [lang=<code>] <ip field>"
    example: ClassVar[str] = "iplocation sourceIPAddress"
    options: ClassVar[dict] = {"prefix": to_text, "allfields": to_bool, "lang": to_text}

    field: str = ""
    prefix: str = ""
    allfields: bool = False
    lang: str = "en"

    @classmethod
    def from_args(cls, args):
        opts = cls.read_options(args.items)
        words = [w.text for w in args.items if isinstance(w, ast.Word)]
        if len(words) != 1:
            raise cls.error(f"Usage: {cls.syntax}", args.span)
        return cls(args.span, words[0], opts.get("prefix", ""), opts.get("allfields", False), opts.get("lang", "en"))

    def fields_written(self):
        names = ["City", "Country", "Region", "lat", "lon"] + (["Continent", "Timezone"] if self.allfields else [])
        return frozenset(self.prefix + n for n in names)

    def prepare(self, env):
        get = field_getter(self.field)
        lang = self.lang

        def locate(reader, ip: str) -> dict:
            try:
                rec = reader.get(ip.strip())
            except ValueError:
                return {}
            if not rec:
                return {}
            def name(d):
                return (d or {}).get("names", {}).get(lang) or (d or {}).get("names", {}).get("en")
            subdivisions = rec.get("subdivisions") or [{}]
            loc = rec.get("location") or {}
            out = {"City": name(rec.get("city")), "Country": name(rec.get("country")),
                   "Region": name(subdivisions[0]), "lat": loc.get("latitude"), "lon": loc.get("longitude")}
            if self.allfields:
                out.update({"Continent": name(rec.get("continent")), "Timezone": loc.get("time_zone")})
            return {self.prefix + k: v for k, v in out.items() if v is not None}

        def run(events, ctx):
            reader = ctx.services.geoip(self.span)  # the database is looked for when the search runs
            cache: dict[str, dict] = {}
            for ev in events:
                ip = to_string(first_value(get(ev)))
                if ip:
                    found = cache.get(ip)
                    if found is None:
                        found = cache[ip] = locate(reader, ip)
                    if found:
                        ev = copy_event(ev)
                        ev.update(found)
                yield ev
        return run


def open_geoip(path, span=None):
    """A MaxMind database reader, or an SplError saying what is missing."""
    if path is None:
        raise SplError("iplocation needs a GeoIP database: start spl-lite with --geoip FILE (a MaxMind "
                       ".mmdb file such as GeoLite2-City.mmdb), or pass Engine(geoip=FILE).",
                       command="iplocation", span=span)
    from pathlib import Path
    if Path(path).exists() and not Path(path).is_file():  # a FIFO or a device: never opened
        raise SplError(f"Cannot open the GeoIP database {path}: not a regular file.", command="iplocation",
                       span=span)
    try:
        import maxminddb
    except ImportError:
        raise SplError("iplocation needs the maxminddb package: pip install 'spl-lite[geoip]'.",
                       command="iplocation", span=span) from None
    try:
        return maxminddb.open_database(str(path))
    except (OSError, ValueError) as e:
        raise SplError(f"Cannot open the GeoIP database {path}: {e}", command="iplocation", span=span) from None
