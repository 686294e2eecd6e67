"""``/metrics`` on real RQ queues and a real database, read back with Prometheus' own parser."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from rq import SimpleWorker
from rq.serializers import JSONSerializer
from sqlalchemy import func, select, text

from ingest.db import make_engine, session_factory, transaction
from ingest.queueing import get_queue
from ingest.settings import Settings
from newswire.api.app import create_app
from schemas.messages import STAGES
from schemas.tables import Entry, Event, Feed
from tests.api.conftest import FEED_OK

#: The metrics read from Redis: absent, not zero, when Redis cannot be read.
REDIS_FAMILIES = {
    "newswire_queue_queued_jobs",
    "newswire_queue_started_jobs",
    "newswire_queue_scheduled_jobs",
    "newswire_queue_failed_jobs",
    "newswire_failed_jobs",
    "newswire_workers",
}
Samples = dict[str, list[tuple[dict[str, str], float]]]


def scrape(client: TestClient) -> Samples:
    """Return /metrics as {sample name: [(labels, value), ...]}."""
    r = client.get("/metrics")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == CONTENT_TYPE_LATEST
    out: Samples = {}
    for family in text_string_to_metric_families(r.text):
        for s in family.samples:
            out.setdefault(s.name, []).append((s.labels, s.value))
    return out


def by(samples: Samples, name: str, *labels: str) -> dict[Any, float]:
    """Return metric ``name``'s values keyed by ``labels``' values (one label: its value alone)."""
    out: dict[Any, float] = {}
    for got, value in samples[name]:
        key = tuple(got[k] for k in labels)
        out[key[0] if len(key) == 1 else key] = value
    return out


def closed_port() -> int:
    """Return a loopback port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def add_entries(url: str, states: list[str]) -> None:
    """Store one entry of the sample feed in each of ``states``."""
    factory = session_factory(engine := make_engine(url))
    with transaction(factory) as s:
        feed_id = s.scalar(select(Feed.id).where(Feed.url == FEED_OK))
        assert feed_id is not None
        for i, state in enumerate(states):
            s.add(
                Entry(
                    feed_id=feed_id,
                    entry_key=f"entry{i}",
                    article_key=f"key{i}",
                    url=f"http://newsroom.test/articles/e{i}.html",
                    trace_id=f"trace-e{i}",
                    state=state,
                    created_at=datetime.now(UTC),
                )
            )
    engine.dispose()


def count_events(url: str) -> int:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        n = s.scalar(select(func.count()).select_from(Event)) or 0
    engine.dispose()
    return n


@pytest.fixture()
def pipeline_in_redis(redis_conn: redis.Redis) -> Iterator[redis.Redis]:
    """Fill the test Redis through RQ: queued, scheduled and failed jobs, and workers.

    fetch: 2 queued, 1 scheduled for a retry, 2 failed (value_error: derived from the
    traceback; worker_died: the reason recovery leaves in the job's meta); store: 1 queued.
    Workers: two registered, one of them gone (its key expired), so one alive.
    """
    fetch, store = get_queue(redis_conn, "fetch"), get_queue(redis_conn, "store")
    fetch.enqueue("builtins.int", "not a number", job_id="fetch-bad1")
    fetch.enqueue(
        "builtins.int", "not a number", job_id="fetch-bad2", meta={"failure_reason": "worker_died"}
    )
    # A real worker runs them: they fail and land in the failed registry with their tracebacks.
    SimpleWorker([fetch], connection=redis_conn, serializer=JSONSerializer).work(burst=True)
    fetch.enqueue("builtins.print", "a", job_id="fetch-a")
    fetch.enqueue("builtins.print", "b", job_id="fetch-b")
    fetch.enqueue_in(timedelta(hours=1), "builtins.print", "later", job_id="fetch-later")
    store.enqueue("builtins.print", "c", job_id="store-c")
    alive = SimpleWorker([fetch], connection=redis_conn, serializer=JSONSerializer)
    gone = SimpleWorker([store], connection=redis_conn, serializer=JSONSerializer)
    alive.register_birth()
    gone.register_birth()
    redis_conn.delete(gone.key)  # what the key's TTL does when a worker stops heartbeating
    yield redis_conn
    alive.register_death()


def test_metrics_count_queues_failures_workers_and_rows(
    client: TestClient, pipeline_in_redis: redis.Redis, filled_url: str
) -> None:
    add_entries(filled_url, ["queued", "queued", "stored", "new"])
    m = scrape(client)
    assert by(m, "newswire_redis_up") == {(): 1.0}

    zero = dict.fromkeys(STAGES, 0.0)
    assert by(m, "newswire_queue_queued_jobs", "queue") == {**zero, "fetch": 2.0, "store": 1.0}
    assert by(m, "newswire_queue_scheduled_jobs", "queue") == {**zero, "fetch": 1.0}
    assert by(m, "newswire_queue_failed_jobs", "queue") == {**zero, "fetch": 2.0}
    assert by(m, "newswire_queue_started_jobs", "queue") == zero
    assert by(m, "newswire_failed_jobs", "stage", "reason") == {
        ("fetch", "value_error"): 1.0,
        ("fetch", "worker_died"): 1.0,
    }
    assert by(m, "newswire_workers") == {(): 1.0}

    assert by(m, "newswire_feeds", "health") == {"new": 1.0, "failing": 1.0}
    assert by(m, "newswire_articles_total", "status") == {"stored": 2.0, "skipped": 1.0}
    assert by(m, "newswire_entries", "state") == {"queued": 2.0, "stored": 1.0, "new": 1.0}
    events = count_events(filled_url)
    assert events >= 3 and by(m, "newswire_events") == {(): float(events)}


def test_metrics_are_read_at_scrape_time(client: TestClient, redis_conn: redis.Redis) -> None:
    before = scrape(client)
    assert by(before, "newswire_queue_queued_jobs", "queue")["events"] == 0
    get_queue(redis_conn, "events").enqueue("builtins.print", "now", job_id="events-now")
    after = scrape(client)
    assert by(after, "newswire_queue_queued_jobs", "queue")["events"] == 1


@pytest.mark.parametrize("reachable", ["closed port", "not configured"])
def test_metrics_without_redis_still_answer_from_the_database(
    filled_url: str, tmp_path: Any, reachable: str
) -> None:
    url = f"redis://127.0.0.1:{closed_port()}/0" if reachable == "closed port" else None
    app = create_app(Settings(data_dir=tmp_path, database_url=filled_url, redis_url=url))
    with TestClient(app) as c:
        m = scrape(c)
    app.state.engine.dispose()
    assert by(m, "newswire_redis_up") == {(): 0.0}
    assert not REDIS_FAMILIES & set(m)  # no made-up zeros for what could not be read
    assert by(m, "newswire_articles_total", "status") == {"stored": 2.0, "skipped": 1.0}
    assert by(m, "newswire_feeds", "health") == {"new": 1.0, "failing": 1.0}


def test_metrics_database_failure_is_a_503(filled_url: str, tmp_path: Any) -> None:
    app = create_app(Settings(data_dir=tmp_path, database_url=filled_url))
    engine = make_engine(filled_url)
    with engine.begin() as conn:  # a table only the metrics read, gone: the query fails
        conn.execute(text("DROP TABLE entries"))
    engine.dispose()
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/metrics")
    app.state.engine.dispose()
    assert r.status_code == 503
    assert r.json() == {"detail": "the database is unavailable; try again"}


def test_metrics_stay_out_of_the_schema_and_the_global_registry(client: TestClient) -> None:
    assert "/metrics" not in client.get("/openapi.json").json()["paths"]
    assert not [f.name for f in REGISTRY.collect() if f.name.startswith("newswire_")]
