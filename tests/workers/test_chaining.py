"""Stage chaining on real Redis, real RQ workers and a real migrated SQLite database.

A worker that serves the next stage's queue runs that stage in the same job; a stage it does
not serve gets a job on its queue; a chained stage that raises hands its input to its own
queue, where RQ's retries and failed registry apply.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from rq import SimpleWorker
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer
from sqlalchemy import select
from structlog.contextvars import merge_contextvars
from structlog.testing import capture_logs

from ingest.db import make_engine, session_factory, upgrade
from ingest.queueing import get_queue
from schemas.messages import ArticleMessage, decode_article
from schemas.tables import Article, Mention
from workers import store
from workers.recovery import REASON_META
from workers.runtime import StageWork, chain_stages, runtime

TEXT = (
    "Deux drones ont frappé mardi la base aérienne d'Aïn al-Asad, dans la province d'al-Anbar, "
    "selon un responsable irakien."
)


@pytest.fixture()
def env(monkeypatch: pytest.MonkeyPatch, redis_url: str, tmp_path: Path) -> Iterator[str]:
    db = f"sqlite:///{tmp_path / 'newswire.db'}"
    upgrade(db)
    monkeypatch.setenv("NEWSWIRE_REDIS_URL", redis_url)
    monkeypatch.setenv("NEWSWIRE_DATABASE_URL", db)
    monkeypatch.setenv("NEWSWIRE_DATA_DIR", str(tmp_path))
    runtime.cache_clear()
    yield db
    chain_stages(())
    runtime().engine.dispose()
    runtime.cache_clear()


def _message() -> ArticleMessage:
    return ArticleMessage(
        article_key="chain1",
        url="http://example.test/chain1",
        feed_url="http://example.test/feed",
        trace_id="trace-chain1",
        canonical_url="http://example.test/chain1",
        title="Frappe de drones sur Aïn al-Asad",
        text=TEXT,
        fetched_at="2024-07-17T08:00:00+00:00",
        content_hash="c" * 16,
        published_at="2024-07-17T07:30:00+03:00",
        language="fr",
        language_confidence=0.99,
    )


def _work_language(conn: redis.Redis) -> None:
    """Enqueue the article on the language queue and let a worker of that queue run it."""
    queue = get_queue(conn, "language")
    queue.enqueue("workers.language.job", _message().to_dict(), job_id="language-chain1")
    SimpleWorker([queue], connection=conn, serializer=JSONSerializer).work(burst=True)


def _stored(db: str) -> tuple[list[str], int]:
    engine = make_engine(db)
    with session_factory(engine)() as s:
        keys = list(s.scalars(select(Article.article_key)))
        mentions = len(list(s.scalars(select(Mention.id))))
    engine.dispose()
    return keys, mentions


def test_served_stages_run_in_the_same_job_with_one_summary_line_each(env: str) -> None:
    conn = redis.Redis.from_url(runtime().settings.redis_url or "")
    chain_stages(("language", "events", "store"))
    with capture_logs(processors=[merge_contextvars]) as logs:
        _work_language(conn)
    assert _stored(env) == (["chain1"], 1)
    # No job was ever made for the chained stages: they ran inside the language job.
    for stage in ("events", "store"):
        assert get_queue(conn, stage).count == 0
        assert not conn.exists(f"rq:job:{stage}-chain1")
    done = [e for e in logs if e["event"] == "job_done"]
    assert [e["stage"] for e in done] == ["language", "events", "store"]
    assert [e.get("chained", False) for e in done] == [False, True, True]
    assert {e["trace_id"] for e in done} == {"trace-chain1"}
    assert {e["job_id"] for e in done} == {"language-chain1"}  # the RQ job that ran them


def test_a_stage_the_worker_does_not_serve_gets_a_job_on_its_queue(env: str) -> None:
    conn = redis.Redis.from_url(runtime().settings.redis_url or "")
    chain_stages(("events",))  # a worker of language and events, not store
    _work_language(conn)
    assert _stored(env) == ([], 0)
    assert get_queue(conn, "events").count == 0
    assert get_queue(conn, "store").job_ids == ["store-chain1"]
    job = Job.fetch("store-chain1", connection=conn, serializer=JSONSerializer)
    handed = decode_article(job.args[0])
    assert handed.events_coded and len(handed.mentions) == 1  # events ran before the hop


def test_without_chaining_every_stage_hops_through_its_queue(env: str) -> None:
    conn = redis.Redis.from_url(runtime().settings.redis_url or "")
    chain_stages(())
    _work_language(conn)
    assert get_queue(conn, "events").job_ids == ["events-chain1"]


def test_a_chained_stage_that_raises_goes_to_its_own_queue_and_fails_there(
    env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    conn = redis.Redis.from_url(runtime().settings.redis_url or "")

    def broken(msg: ArticleMessage) -> None:
        raise ValueError("the store rejects this article")

    monkeypatch.setattr(store, "STAGE_WORK", StageWork(broken))
    chain_stages(("language", "events", "store"))
    with capture_logs(processors=[merge_contextvars]) as logs:
        _work_language(conn)
    [broke] = [e for e in logs if e["event"] == "chain_broken"]
    assert broke["stage"] == "store" and broke["reason"] == "value_error"
    # The language job itself succeeded; the store stage's input waits on its own queue.
    language_job = Job.fetch("language-chain1", connection=conn, serializer=JSONSerializer)
    assert language_job.get_status() == JobStatus.FINISHED
    assert get_queue(conn, "store").job_ids == ["store-chain1"]

    # Its own job, run by a worker of the store queue, fails with the reason on record.
    store_queue = get_queue(conn, "store")
    SimpleWorker([store_queue], connection=conn, serializer=JSONSerializer).work(burst=True)
    job = Job.fetch("store-chain1", connection=conn, serializer=JSONSerializer)
    assert job.get_status() == JobStatus.FAILED
    assert job.meta[REASON_META] == "value_error"
    assert "rejects this article" in (job.latest_result().exc_string or "")
    assert _stored(env) == ([], 0)
