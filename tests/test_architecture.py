"""The house rules of issue 19, checked on the source: packages import only downward through
the layers the README's Architecture section names, no circle between packages, and commands
never hold the Engine (they ask the run's narrow Services)."""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "spl_lite"

# Lowest first. A package may import from its own layer or any below, never above.
LAYERS = [
    {"errors"},
    {"limits"},
    {"runtime"},                          # value rules, regex, time, the run context
    {"syntax"},                           # grammar, AST, macros, $token$ filling
    {"render", "result"},
    {"store"},                            # loading, columns, the scan
    {"lookups"},
    {"functions"},                        # eval and stats function registries
    {"compiler"},                         # expressions, search terms, aggregations
    {"knowledge", "datamodels"},
    {"columnar"},                         # the commands' column paths
    {"commands"},
    {"plan", "executors", "sql"},
    {"ingest", "catalog", "arguments", "engine", "sample"},
    {"repl", "cli", "ingest_cli", "interrupt", "launch", "__main__", "__init__"},
]
LEVEL = {name: i for i, layer in enumerate(LAYERS) for name in layer}


def _unit(module: tuple[str, ...]) -> str:
    """The package (or top-level module) a dotted spl_lite module belongs to."""
    return module[1] if len(module) > 1 else "__init__"


def _imports() -> dict[str, set[tuple[str, str, int]]]:
    """unit -> {(imported unit, file, line)} for every import of spl_lite code, function-level ones too."""
    found: dict[str, set] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        parts = ("spl_lite", *path.relative_to(PACKAGE).with_suffix("").parts)
        package = parts[:-1] if parts[-1] != "__init__" else parts[:-1]
        here = _unit(parts if parts[-1] != "__init__" else parts[:-1]) if len(parts) > 2 or parts[-1] != "__init__" \
            else "__init__"
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            targets = []
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package[:len(package) - node.level + 1]
                    module = (*base, *(node.module.split(".") if node.module else ()))
                    targets = [module] if node.module else [(*module, a.name) for a in node.names]
                elif node.module and node.module.split(".")[0] == "spl_lite":
                    targets = [tuple(node.module.split("."))]
            elif isinstance(node, ast.Import):
                targets = [tuple(a.name.split(".")) for a in node.names if a.name.split(".")[0] == "spl_lite"]
            for target in targets:
                there = _unit(target)
                if there != here:
                    found[here].add((there, str(path.relative_to(PACKAGE.parent)), node.lineno))
    return found


def test_every_package_has_a_layer():
    units = {p.name if p.is_dir() else p.stem for p in PACKAGE.iterdir()
             if (p.is_dir() and (p / "__init__.py").exists()) or p.suffix == ".py"}
    assert units - set(LEVEL) == set()


def test_imports_only_go_down_the_layers():
    upward = sorted(f"{file}:{line}: {here} imports {there}"
                    for here, edges in _imports().items() for there, file, line in edges
                    if LEVEL.get(there, -1) > LEVEL[here])
    assert upward == []


def test_no_circle_between_packages():
    graph = {here: {there for there, _, _ in edges} for here, edges in _imports().items()}
    done: set[str] = set()

    def visit(unit: str, path: list[str]) -> None:
        if unit in path:
            raise AssertionError("import circle: " + " -> ".join(path[path.index(unit):] + [unit]))
        if unit in done:
            return
        for there in sorted(graph.get(unit, ())):
            visit(there, path + [unit])
        done.add(unit)
    for unit in sorted(graph):
        visit(unit, [])


def test_commands_and_what_they_compile_never_hold_the_engine():
    reach_ins = []
    for package in ("commands", "compiler", "functions", "datamodels", "knowledge", "columnar", "runtime"):
        for path in (PACKAGE / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Attribute) and node.attr in ("engine", "executor"):
                    reach_ins.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: .{node.attr}")
    assert reach_ins == []
