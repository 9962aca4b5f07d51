"""The shape of the code: imports point one way (pages -> components -> mlprep), there is no import cycle,
the core never imports Streamlit, and only the persistence package runs SQL."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from helpers import ROOT

LAYERS = ("app.py", "pages", "components", "mlprep")
SQL_CALL = re.compile(r"\.(execute|executemany|executescript)\(|read_sql|import sqlite3|from sqlite3")


def source_files() -> dict[str, Path]:
    """Module name -> file, for the app's own code."""
    files = {"app": ROOT / "app.py"}
    for top in LAYERS[1:]:
        for path in sorted((ROOT / top).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            files[name] = path
    return files


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The app modules ``name`` imports anywhere in its file (function-level imports included)."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def graph() -> dict[str, set[str]]:
    files = source_files()
    known = set(files)
    return {name: imports_of(name, path, known) for name, path in files.items()}


def test_the_import_graph_has_no_cycle() -> None:
    edges = graph()
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_imports_point_one_way_pages_components_core() -> None:
    rank = {"app": 0, "pages": 0, "components": 1, "mlprep": 2}
    upward = [f"{a} -> {b}" for a, targets in graph().items() for b in targets
              if rank[b.split(".")[0]] < rank[a.split(".")[0]]]
    assert not upward, "imports that run back up:\n" + "\n".join(upward)


def test_the_core_never_imports_streamlit() -> None:
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "mlprep").rglob("*.py")
                 if re.search(r"^\s*(import|from)\s+streamlit\b", p.read_text(encoding="utf-8"), re.M)]
    assert not offenders


def test_only_the_persistence_package_runs_sql() -> None:
    db = ROOT / "mlprep" / "db"
    offenders = [f"{path.relative_to(ROOT)}: {line.strip()}" for path in source_files().values()
                 if not path.is_relative_to(db)
                 for line in path.read_text(encoding="utf-8").splitlines() if SQL_CALL.search(line)]
    assert not offenders, "SQL outside mlprep/db:\n" + "\n".join(offenders)


def test_no_private_store_access_or_its_lint_waiver_anywhere() -> None:
    private = re.compile(r"store\._(write|read|frame|connect)\b|noqa: SLF\d{3}")
    offenders = [f"{p.relative_to(ROOT)}" for p in [*source_files().values(), *(ROOT / "tests").rglob("*.py")]
                 if p.name != Path(__file__).name and private.search(p.read_text(encoding="utf-8"))]
    assert not offenders
