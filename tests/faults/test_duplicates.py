"""Duplicate enqueues: the same hand-off pushed several times, and the same entry offered by
two pollers at once, end as one stored article with its mentions once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from rq import SimpleWorker
from rq.serializers import JSONSerializer

from ingest.db import upgrade
from ingest.queueing import enqueue_next, enqueue_stage, get_queue
from tests.faults.invariants import pipeline_drained, verdict
from tests.faults.test_worker_faults import articles
from workers.runtime import runtime


@pytest.fixture()
def worker_env(monkeypatch: pytest.MonkeyPatch, redis_url: str, tmp_path: Path) -> Iterator[str]:
    db_url = f"sqlite:///{tmp_path / 'dup.db'}"
    upgrade(db_url)
    monkeypatch.setenv("NEWSWIRE_REDIS_URL", redis_url)
    monkeypatch.setenv("NEWSWIRE_DATABASE_URL", db_url)
    monkeypatch.setenv("NEWSWIRE_DATA_DIR", str(tmp_path))
    runtime.cache_clear()
    yield db_url
    runtime.cache_clear()


def _drain(conn: redis.Redis) -> None:
    SimpleWorker([get_queue(conn, "store")], connection=conn, serializer=JSONSerializer).work(
        burst=True
    )


def test_a_hand_off_pushed_three_times_stores_the_article_once(
    worker_env: str, redis_conn: redis.Redis
) -> None:
    msgs = articles(2, "d")
    for _ in range(3):
        for m in msgs:
            enqueue_next(redis_conn, "store", m.article_key, m.to_dict())
    _drain(redis_conn)
    assert pipeline_drained(redis_conn)
    v = verdict(redis_conn, worker_env, {m.article_key: 1 for m in msgs})
    assert (v.lost, v.duplicated, v.failed) == (set(), set(), {})
    assert v.stored == {m.article_key for m in msgs}


def test_the_same_entry_offered_by_many_pollers_at_once_is_enqueued_once(
    worker_env: str, redis_conn: redis.Redis, redis_url: str
) -> None:
    [m] = articles(1, "e")
    barrier = threading.Barrier(8)
    outcomes: list[bool] = []

    def offer() -> None:
        conn = redis.Redis.from_url(redis_url)
        barrier.wait()
        outcomes.append(enqueue_stage(conn, "store", m.article_key, m.to_dict()))
        conn.close()

    threads = [threading.Thread(target=offer) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == [False] * 7 + [True]
    assert get_queue(redis_conn, "store").count == 1
    _drain(redis_conn)
    v = verdict(redis_conn, worker_env, {m.article_key: 1 for m in [m]})
    assert v.stored == {m.article_key} and not v.duplicated
