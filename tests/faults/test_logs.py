"""Monitoring through the logs of a real run: one trace id per article through every stage,
one summary line per job, and ``pipeline_stats`` lines with rates, depths and lag."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from newswire.newsroom import Newsroom
from schemas.messages import STAGES
from tests.conftest import LIGHT_MODELS
from tests.faults.conftest import REPO, Service

pytestmark = pytest.mark.slow


@pytest.fixture()
def newsroom() -> Iterator[Newsroom]:
    room = Newsroom().start()
    yield room
    room.stop()


def _newswire(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newswire", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_run_logs_one_trace_per_article_and_stats_with_lag(
    service: Service, newsroom: Newsroom, tmp_path: Path
) -> None:
    env = {
        **service.env,
        "NEWSWIRE_ALLOW_PRIVATE_NETWORKS": "127.0.0.0/8",
        "NEWSWIRE_STATS_INTERVAL_S": "1",
        **LIGHT_MODELS,
    }
    assert _newswire(env, "feeds", "add", *newsroom.feed_urls()).returncode == 0
    run = _newswire(env, "run", "--until-idle", "--workers", "2")
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    logs = [json.loads(ln) for ln in run.stdout.splitlines() if ln.startswith("{")]

    traces: dict[str, set[str]] = defaultdict(set)
    jobs: dict[str, list[str]] = defaultdict(list)
    for rec in logs:
        key = rec.get("article_key")
        if key and rec.get("trace_id"):
            traces[str(key)].add(str(rec["trace_id"]))
        if rec.get("event") == "job_done":
            jobs[str(key)].append(str(rec["stage"]))
    stored = {str(r["article_key"]) for r in logs if r.get("event") == "article_stored"}
    assert len(stored) == 2
    for key in stored:
        assert len(traces[key]) == 1, traces[key]  # one trace id, never a second one
        assert sorted(jobs[key]) == sorted(STAGES)  # one summary line per job, every stage
    entry_traces = {
        str(r["trace_id"]) for r in logs if r.get("event") == "entry_enqueued" and "trace_id" in r
    }
    assert {t for key in stored for t in traces[key]} <= entry_traces

    stats = [r for r in logs if r.get("event") == "pipeline_stats"]
    keys = {"jobs_per_s", "queue_depths", "failures", "lag_s"}
    assert stats and all(keys <= set(r) for r in stats)
    lags = [r["lag_s"]["published"] for r in stats if r["lag_s"]["published"]]
    assert sum(lag["n"] for lag in lags) == 2
    assert all(0 < lag["p50"] <= lag["max"] for lag in lags)
