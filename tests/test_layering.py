"""The layering of DESIGN.md holds: Qt-free parts import no Qt, imports only go downwards."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QT_FREE = [
    "sync.bundle",
    "sync.manifest",
    "sync.protocol",
    "sync.client",
    "sync.download",
    "sync.engine",
    "sync.retry",
    "app.sync_adapter",
    "app.fetching",
    "app.session",
    "app.cli_sync",
    "mockserver",
    "app.store",
    "app.importer",
    "app.exporting",
    "app.profile",
    "app.demo",
    "app.activity",
    "app.earnings",
    "app.earnings_view_data",
    "app.leases",
    "app.diagnostics",
    "taskkinds",
]


def kind_modules() -> list[str]:
    from taskkinds import BUILTIN_KINDS

    return [
        f"{kind}.{part}" for kind in BUILTIN_KINDS for part in ("model", "checks", "export")
    ] + [*BUILTIN_KINDS]


@pytest.mark.parametrize("module", QT_FREE + kind_modules())
def test_qt_free_modules_import_no_qt(module: str) -> None:
    code = (
        f"import sys, {module}; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'));"
        "print(','.join(bad))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"{module} pulls in Qt: {done.stdout.strip()}"


# Which top-level packages each layer may import (DESIGN.md, "Layout and import direction").
ALLOWED = {
    "app": {"app", "widgets", "taskkinds", "sync", "mockserver", "resources"},  # the demo embeds it
    "widgets": {"widgets"},
    "taskkinds": {"taskkinds", "widgets", "sync"},
    "sync": {"sync"},
    "mockserver": {"mockserver", "sync", "taskkinds"},
}
OURS = set(ALLOWED) | {"resources", "bench", "tests"}


def imported_top_levels(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names & OURS


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_imports_only_go_downwards(layer: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_top_levels(path) - ALLOWED[layer])
        for path in (ROOT / layer).rglob("*.py")
        if imported_top_levels(path) - ALLOWED[layer]
    }
    assert offenders == {}


def test_taskkinds_editors_are_the_only_kind_modules_that_import_qt() -> None:
    for path in (ROOT / "taskkinds").rglob("*.py"):
        if path.name == "editor.py" or path.name.startswith("editor_"):
            continue  # an editor, or one of the Qt modules it is split into
        source = path.read_text(encoding="utf-8")
        assert "PySide6" not in source, f"{path} imports Qt outside an editor"


def test_no_sql_outside_the_store() -> None:
    statements = re.compile(
        r"\bSELECT\b.+\bFROM\b|\bINSERT\s+INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b"
        r"|\bCREATE\s+(TABLE|INDEX)\b|\bPRAGMA\s+\w"
    )
    store_source = (ROOT / "app" / "store" / "main.py").read_text(encoding="utf-8")
    assert len(statements.findall(store_source)) > 10  # the pattern does recognise SQL
    for package in ("app", "widgets", "taskkinds", "sync", "mockserver"):
        for path in (ROOT / package).rglob("*.py"):
            # The client's store and the mock server's own store are where SQL lives.
            if (
                path.is_relative_to(ROOT / "app" / "store")
                or path == ROOT / "mockserver" / "store.py"
            ):
                continue
            source = path.read_text(encoding="utf-8")
            found = [m.group(0) for m in statements.finditer(source)]
            assert not found, f"{path.relative_to(ROOT)} speaks SQL: {found}"
