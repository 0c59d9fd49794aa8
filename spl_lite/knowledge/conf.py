"""Read Splunk .conf files: [stanzas], key = value, a trailing backslash continues the line."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import overload
from pathlib import Path

from ..errors import SplError
from ..syntax.macros import Macro


@dataclass
class Setting:
    key: str
    value: str
    line: int


@dataclass
class Stanza:
    name: str
    line: int
    settings: list[Setting] = field(default_factory=list)

    @overload
    def get(self, key: str) -> str | None: ...
    @overload
    def get(self, key: str, default: str) -> str: ...

    def get(self, key: str, default: str | None = None) -> str | None:
        for s in reversed(self.settings):
            if s.key == key:
                return s.value
        return default


def read_utf8(path: Path) -> str:
    """A text file's content; one that is not UTF-8 is an SplError saying where."""
    from ..store.files import FileProblem, read_regular
    try:
        data = read_regular(path)
    except FileProblem as e:
        raise SplError(f"{path}: {e}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise SplError(f"{path} is not UTF-8 text (byte {e.start + 1} is 0x{data[e.start]:02x})") from None


def read_conf(path: Path) -> list[Stanza]:
    """The stanzas of a .conf file in order; settings before any stanza go to [default]."""
    stanzas: list[Stanza] = []
    current = Stanza("default", 0)
    pending: tuple[str, list[str], int] | None = None
    for number, raw in enumerate(read_utf8(path).splitlines(), 1):
        line = raw.rstrip()
        if pending is not None:
            key, parts, start = pending
            if line.endswith("\\"):
                parts.append(line[:-1])
                continue
            parts.append(line)
            current.settings.append(Setting(key, "\n".join(parts).strip(), start))
            pending = None
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            if current.settings or current.name != "default":
                stanzas.append(current)
            current = Stanza(stripped[1:-1].strip(), number)
            continue
        key, sep, value = stripped.partition("=")
        if not sep:
            current.settings.append(Setting("", stripped, number))  # reported as not understood
            continue
        key, value = key.strip(), value.strip()
        if value.endswith("\\"):
            pending = (key, [value[:-1]], number)
            continue
        current.settings.append(Setting(key, value, number))
    if pending is not None:
        key, parts, start = pending
        current.settings.append(Setting(key, "\n".join(parts).strip(), start))
    if current.settings or current.name != "default":
        stanzas.append(current)
    return stanzas


def load_macros_conf(path, macros: dict) -> list[str]:
    """Macros from a file in macros.conf syntax ([name] or [name(2)], args, definition);
    returns warnings, with file and line, for what is not supported."""
    warnings = []
    for st in read_conf(path):
        m = re.fullmatch(r"([\w.:-]+)(?:\((\d+)\))?", st.name)
        if not m:
            warnings.append(f"{path}:{st.line}: [{st.name}] is not a macro name; ignored")
            continue
        definition = st.get("definition")
        if definition is None:
            warnings.append(f"{path}:{st.line}: macro [{st.name}] has no definition; ignored")
            continue
        args = tuple(a.strip() for a in (st.get("args") or "").split(",") if a.strip())
        if m.group(2) is not None and int(m.group(2)) != len(args):
            warnings.append(f"{path}:{st.line}: macro [{st.name}] names {len(args)} args; ignored")
            continue
        for s in st.settings:
            if s.key in ("iseval", "validation", "errormsg") and s.value not in ("0", "false"):
                warnings.append(f"{path}:{s.line}: macro setting '{s.key}' is not supported; ignored")
        macro = Macro(m.group(1), definition.replace("\n", " "), args)
        macros[macro.key] = macro
    return warnings
