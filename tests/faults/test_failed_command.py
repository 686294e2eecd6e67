"""``newswire failed``: failures made by real jobs on real RQ, listed with their reasons,
retried and purged through the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from click.testing import CliRunner

from ingest.db import upgrade
from ingest.queueing import get_queue
from newswire.cli import main
from tests.conftest import LIGHT_MODELS
from tests.faults.conftest import REPO
from tests.faults.test_worker_faults import articles


@pytest.fixture()
def failures(
    monkeypatch: pytest.MonkeyPatch, redis_url: str, tmp_path: Path
) -> Iterator[redis.Redis]:
    monkeypatch.setenv("NEWSWIRE_REDIS_URL", redis_url)
    db_url = f"sqlite:///{tmp_path / 'f.db'}"
    upgrade(db_url)
    monkeypatch.setenv("NEWSWIRE_DATABASE_URL", db_url)
    monkeypatch.setenv("NEWSWIRE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NEWSWIRE_LOG_FORMAT", "json")
    for name, value in LIGHT_MODELS.items():
        monkeypatch.setenv(name, value)
    conn = redis.Redis.from_url(redis_url)
    queue = get_queue(conn, "events")
    for m in articles(2, "bad"):
        queue.enqueue(
            "tests.workers.jobs_for_tests.permanent_job",
            m.to_dict(),
            job_id=f"events-{m.article_key}",
        )
    queue.enqueue("workers.events.job", {"schema_version": 99}, job_id="events-garbled")
    # A worker process of its own: running the jobs here would bind this process's stage
    # logger before the CLI reconfigures logging, which other tests' log capture relies on.
    subprocess.run(
        [sys.executable, "-m", "newswire", "worker", "events", "--burst"],
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=120,
    )
    yield conn


def _listed(stage: str | None = None) -> list[dict[str, object]]:
    args = ["failed", "list", "--json", *(["--stage", stage] if stage else [])]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]


def test_list_shows_each_failure_with_its_reason(failures: redis.Redis) -> None:
    rows = _listed()
    assert sorted((r["article_key"], r["reason"]) for r in rows) == [
        ("bad0000", "value_error"),
        ("bad0001", "value_error"),
        ("garbled", "bad_message"),
    ]
    assert all(r["stage"] == "events" and r["error"] for r in rows)
    assert _listed("store") == []
    table = CliRunner().invoke(main, ["failed", "list"]).output
    assert "value_error" in table and "2  events:value_error" in table


def test_retry_requeues_and_purge_deletes(failures: redis.Redis) -> None:
    queue = get_queue(failures, "events")
    result = CliRunner().invoke(main, ["failed", "retry", "--reason", "value_error"])
    assert result.exit_code == 0 and "2 failed job(s) requeued" in result.output
    assert queue.count == 2 and [r["reason"] for r in _listed()] == ["bad_message"]
    result = CliRunner().invoke(main, ["failed", "purge", "garbled", "--yes"])
    assert result.exit_code == 0 and "1 failed job(s) purged" in result.output
    assert _listed() == [] and queue.failed_job_registry.count == 0


def test_retry_without_a_selection_is_refused(failures: redis.Redis) -> None:
    result = CliRunner().invoke(main, ["failed", "retry"])
    assert result.exit_code == 2 and "name the jobs to retry" in result.output
    result = CliRunner().invoke(main, ["failed", "list", "--stage", "nope"])
    assert result.exit_code == 2 and "unknown stage" in result.output


def test_status_counts_failures_by_reason(failures: redis.Redis) -> None:
    result = CliRunner().invoke(main, ["status", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output[result.output.index("{") :])
    assert report["failures_by_reason"] == {"events:value_error": 2, "events:bad_message": 1}
    table = CliRunner().invoke(main, ["status"]).output
    assert "failed jobs by reason" in table and "events:value_error" in table
