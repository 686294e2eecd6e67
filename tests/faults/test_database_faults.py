"""The database going away under running workers, and writers racing on one event with a
delay injected inside their transactions, on PostgreSQL and SQLite."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select

from ingest.db import make_engine, session_factory, transaction, upgrade
from schemas.tables import Event, Mention
from tests.faults.conftest import PostgresServer, RedisServer, Service
from tests.faults.invariants import pipeline_drained, verdict
from tests.faults.test_worker_faults import articles, enqueue, started
from tests.workers.test_store import article, mention
from workers.store import store_article

pytestmark = pytest.mark.slow


def test_postgres_restarted_mid_run_loses_and_duplicates_nothing(
    service: Service, private_redis: RedisServer, private_postgres: PostgresServer
) -> None:
    upgrade(private_postgres.url)
    service.env["NEWSWIRE_DATABASE_URL"] = private_postgres.url
    conn = private_redis.client()
    msgs = articles(30, "p")
    enqueue(conn, "tests.faults.jobs.slow_store", msgs)
    service.env["FAULTS_DELAY_S"] = "0.3"
    service.worker("store")
    service.worker("store")
    state: list[float] = []

    def strike(_elapsed: float) -> None:
        if not state and started(conn) >= 5:
            private_postgres.stop()
            state.append(time.monotonic())
        elif len(state) == 1 and time.monotonic() - state[0] >= 3:
            private_postgres.start()
            state.append(time.monotonic())

    service.supervise(lambda: len(state) == 2 and pipeline_drained(conn), 180, strike=strike)
    v = verdict(conn, private_postgres.url, {m.article_key: 1 for m in msgs})
    assert (v.lost, v.duplicated, v.failed) == (set(), set(), {})
    # the outage was seen and ridden out by retries, not by luck
    assert [r for r in service.logs() if r["event"] == "job_retry"]


def _delay_event_reads(engine: Engine, delay_s: float, delays: list[float]) -> None:
    """Sleep after every read of the events table: widens the window between a writer
    looking for the event to merge into and creating it, where a race would double it."""

    def after(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM events" in statement:
            time.sleep(delay_s)
            delays.append(delay_s)

    event.listen(engine, "after_cursor_execute", after)


def test_concurrent_writers_with_an_injected_delay_merge_into_one_event(
    database_url: str,
) -> None:
    n = 6
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []
    delays: list[float] = []
    msgs = [article(f"race{i}", mention(f"Report {i}: drones hit Ain al-Asad.")) for i in range(n)]

    def write(i: int) -> None:
        eng = make_engine(database_url)
        _delay_event_reads(eng, 0.2, delays)
        try:
            barrier.wait()
            with transaction(session_factory(eng)) as s:
                store_article(s, msgs[i])
        except BaseException as exc:
            errors.append(exc)
        finally:
            eng.dispose()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(delays) >= n  # every writer was slowed inside its transaction
    engine = make_engine(database_url)
    try:
        with session_factory(engine)() as s:
            [ev] = s.scalars(select(Event)).all()
            assert ev.num_articles == n
            assert s.scalar(select(func.count()).select_from(Mention)) == n
    finally:
        engine.dispose()
