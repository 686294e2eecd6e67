"""Pins the package layout: imports point one way, schemas ← ingest ← workers ← newswire."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ORDER = ["schemas", "ingest", "workers", "newswire"]
#: schemas holds contracts only: no network, queue or file libraries.
SCHEMAS_FORBIDDEN = {"redis", "rq", "urllib3", "socket", "requests", "httpx", "os", "pathlib"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", ORDER)
def test_imports_point_one_way(package: str) -> None:
    later = set(ORDER[ORDER.index(package) + 1 :])
    offenders = {
        str(p.relative_to(ROOT)): sorted(_imports(p) & later)
        for p in (ROOT / package).rglob("*.py")
        if _imports(p) & later
    }
    assert offenders == {}, f"{package} must not import {sorted(later)}"


def test_schemas_do_no_io() -> None:
    offenders = {
        str(p.relative_to(ROOT)): sorted(_imports(p) & SCHEMAS_FORBIDDEN)
        for p in (ROOT / "schemas").rglob("*.py")
        if _imports(p) & SCHEMAS_FORBIDDEN
    }
    assert offenders == {}


def test_required_top_level_exists() -> None:
    for name in ["pyproject.toml", "ingest", "workers", "schemas", "deploy", "tests"]:
        assert (ROOT / name).exists(), name
