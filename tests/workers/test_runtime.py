"""The job wrapper on real Redis and real RQ workers: transient failures retry with backoff,
permanent ones land in the failed registry with their reason, bad messages fail loudly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from rq import SimpleWorker
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer
from structlog.contextvars import merge_contextvars
from structlog.testing import capture_logs

from ingest.queueing import get_queue
from schemas.messages import ArticleMessage
from workers.runtime import is_transient, reason_of, runtime


@pytest.fixture()
def env(monkeypatch: pytest.MonkeyPatch, redis_url: str, tmp_path: Path) -> Iterator[str]:
    monkeypatch.setenv("NEWSWIRE_REDIS_URL", redis_url)
    monkeypatch.setenv("NEWSWIRE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NEWSWIRE_JOB_RETRIES", "2")
    runtime.cache_clear()
    yield redis_url
    runtime.cache_clear()


def _payload() -> dict[str, object]:
    return ArticleMessage(
        article_key="k1",
        url="http://x/1",
        feed_url="http://x/feed",
        trace_id="t",
        canonical_url="http://x/1",
        title=None,
        text="text",
        fetched_at="2024-01-01T00:00:00+00:00",
        content_hash="h",
    ).to_dict()


def _run(conn: redis.Redis, func: str, payload: object) -> Job:
    queue = get_queue(conn, "events")
    queue.enqueue(func, payload, job_id="events-k1")
    SimpleWorker([queue], connection=conn, serializer=JSONSerializer).work(burst=True)
    return Job.fetch("events-k1", connection=conn, serializer=JSONSerializer)


def test_transient_failure_is_scheduled_for_a_retry(env: str) -> None:
    conn = redis.Redis.from_url(env)
    with capture_logs() as logs:
        job = _run(conn, "tests.workers.jobs_for_tests.transient_job", _payload())
    assert job.get_status() == JobStatus.SCHEDULED
    assert get_queue(conn, "events").scheduled_job_registry.count == 1
    [retry] = [e for e in logs if e["event"] == "job_retry"]
    assert retry["reason"] == "flaky_upstream" and retry["retry_in_s"] == 5


def test_permanent_failure_lands_in_the_failed_registry_with_its_reason(env: str) -> None:
    conn = redis.Redis.from_url(env)
    # merge_contextvars: the ids bound by the job wrapper, as the real log setup adds them.
    with capture_logs(processors=[merge_contextvars]) as logs:
        job = _run(conn, "tests.workers.jobs_for_tests.permanent_job", _payload())
    assert job.get_status() == JobStatus.FAILED
    assert "this article breaks the extractor" in (job.latest_result().exc_string or "")
    [failed] = [e for e in logs if e["event"] == "job_failed"]
    assert failed["reason"] == "value_error" and failed["transient"] is False
    assert failed["article_key"] == "k1" and failed["stage"] == "events"


def test_a_message_of_an_unknown_version_fails_loudly(env: str) -> None:
    conn = redis.Redis.from_url(env)
    bad = {**_payload(), "schema_version": 99}
    with capture_logs() as logs:
        job = _run(conn, "workers.events.job", bad)
    assert job.get_status() == JobStatus.FAILED
    assert any(e["event"] == "job_failed" and e["reason"] == "bad_message" for e in logs)


def test_classification() -> None:
    assert is_transient(redis.exceptions.ConnectionError("down"))
    assert not is_transient(ValueError("x"))
    assert reason_of(KeyError("x")) == "key_error"
