"""docs/LOGGING.md names every log event the code emits, and no event the code lost."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.faults.conftest import REPO

_LEVELS = {"debug", "info", "warning", "error", "exception", "critical"}


def code_events() -> set[str]:
    """Return the event names of every ``log.<level>("name", ...)`` call in the packages."""
    found: set[str] = set()
    for package in ("schemas", "ingest", "workers", "newswire"):
        for path in (REPO / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                    continue
                target = node.func.value
                if node.func.attr not in _LEVELS or not isinstance(target, ast.Name):
                    continue
                if target.id in {"log", "logger"} and node.args:
                    first = node.args[0]
                    if isinstance(first, ast.Constant) and isinstance(first.value, str):
                        found.add(first.value)
    return found


def documented_events(doc: Path) -> set[str]:
    """Return the backquoted names in the first column of the catalogue's event tables."""
    names: set[str] = set()
    for line in doc.read_text(encoding="utf-8").splitlines():
        cells = line.split("|")
        if len(cells) > 2 and "`" in cells[1]:
            names.update(re.findall(r"`([a-z][a-z0-9_]+)`", cells[1]))
    return names


def test_every_logged_event_is_in_the_catalogue() -> None:
    events = code_events()
    assert {"job_done", "pipeline_stats", "orphan_job_requeued"} <= events
    missing = sorted(events - documented_events(REPO / "docs" / "LOGGING.md"))
    assert missing == [], f"add these events to docs/LOGGING.md: {missing}"
