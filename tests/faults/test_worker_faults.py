"""Worker processes killed, stopped and crashed mid-job, on a private Redis and real SQLite:
every article ends stored exactly once or failed with a reason, and quickly."""

from __future__ import annotations

import signal
import subprocess
import time

import pytest
import redis
from rq.job import Job
from rq.serializers import JSONSerializer

from ingest.queueing import get_queue
from schemas.messages import ArticleMessage, job_id
from tests.faults.conftest import RedisServer, Service, wait_for
from tests.faults.invariants import failure_reason, pipeline_drained, verdict
from tests.workers.test_store import GREEN_ZONE, article, mention

pytestmark = pytest.mark.slow


def articles(n: int, prefix: str = "a") -> list[ArticleMessage]:
    """Return ``n`` distinct articles with one mention each (all about one event)."""
    return [
        article(f"{prefix}{i:04d}", mention(f"Frappe de drone {i} sur la base.", place=GREEN_ZONE))
        for i in range(n)
    ]


def enqueue(conn: redis.Redis, func: str, msgs: list[ArticleMessage]) -> None:
    """Put each article on the store queue as job ``func``, as the events stage would."""
    queue = get_queue(conn, "store")
    for m in msgs:
        queue.enqueue(
            func,
            m.to_dict(),
            job_id=job_id("store", m.article_key),
            job_timeout=180,
            result_ttl=0,
            failure_ttl=3600,
        )


def started(conn: redis.Redis) -> int:
    return int(conn.llen("faults:started"))


def _db(service: Service) -> str:
    return service.env["NEWSWIRE_DATABASE_URL"]


def test_sigkill_mid_job_reruns_the_job_promptly(
    service: Service, private_redis: RedisServer
) -> None:
    conn = private_redis.client()
    msgs = articles(4)
    enqueue(conn, "tests.faults.jobs.slow_store", msgs)
    service.env["FAULTS_DELAY_S"] = "2"
    first = service.worker("store")
    wait_for(lambda: started(conn) >= 1, 60, "the first job to start")
    first.send_signal(signal.SIGKILL)
    first.wait()
    killed_at = time.monotonic()
    service.worker("store")
    wait_for(lambda: pipeline_drained(conn), 60, "the queue to drain after the kill")
    # RQ alone would leave the job in the started registry for job_timeout + 60 s and then
    # fail it at its next ten-minute maintenance pass.
    assert time.monotonic() - killed_at < 45
    v = verdict(conn, _db(service), {m.article_key: 1 for m in msgs})
    assert (v.lost, v.duplicated, v.failed) == (set(), set(), {})
    requeued = [r for r in service.logs() if r["event"] == "orphan_job_requeued"]
    assert [r["job_id"] for r in requeued] == [job_id("store", msgs[0].article_key)]
    assert requeued[0]["why"] == "process_dead"


def test_sigterm_lets_the_running_job_finish(service: Service, private_redis: RedisServer) -> None:
    conn = private_redis.client()
    msgs = articles(3, "t")
    enqueue(conn, "tests.faults.jobs.slow_store", msgs)
    service.env["FAULTS_DELAY_S"] = "3"
    proc = service.worker("store")
    wait_for(lambda: started(conn) >= 1, 60, "the first job to start")
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0
    v = verdict(conn, _db(service), {m.article_key: 1 for m in msgs})
    # the running job finished and was stored; the others wait, untouched, for the next worker
    assert v.stored == {msgs[0].article_key}
    assert get_queue(conn, "store").count == 2
    assert get_queue(conn, "store").started_job_registry.get_job_count(cleanup=False) == 0
    assert not [r for r in service.logs() if r["event"] == "worker_lost"]


def test_a_poison_job_that_kills_its_worker_fails_with_a_reason_and_blocks_nothing(
    service: Service, private_redis: RedisServer
) -> None:
    conn = private_redis.client()
    poison = articles(1, "poison")
    good = articles(3, "g")
    enqueue(conn, "tests.faults.jobs.crashing_store", poison)
    enqueue(conn, "workers.store.job", good)
    service.env["FAULTS_DELAY_S"] = "0"
    proc: subprocess.Popen[bytes] = service.worker("store")
    # what systemd's Restart=on-failure (or the supervisor) does
    deadline = time.monotonic() + 300  # three crashes, three restarts with model preloads
    while not pipeline_drained(conn) and time.monotonic() < deadline:
        if proc.poll() is not None:
            proc = service.worker("store")
        time.sleep(0.2)
    assert pipeline_drained(conn)
    v = verdict(conn, _db(service), {m.article_key: 1 for m in poison + good})
    assert v.stored == {m.article_key for m in good}
    assert v.failed == {poison[0].article_key: "worker_died"}
    assert (v.lost, v.duplicated) == (set(), set())
    job = Job.fetch(job_id("store", "poison0000"), connection=conn, serializer=JSONSerializer)
    assert job.meta["crashes"] == 3


def test_a_store_stage_failing_transiently_is_retried(
    service: Service, private_redis: RedisServer
) -> None:
    conn = private_redis.client()
    msgs = articles(2, "f")
    enqueue(conn, "tests.faults.jobs.flaky_store", msgs)
    service.env["FAULTS_FAILURES"] = "1"
    service.worker("store")
    wait_for(lambda: pipeline_drained(conn) and started(conn) >= 4, 60, "the retries to run")
    v = verdict(conn, _db(service), {m.article_key: 1 for m in msgs})
    assert (v.lost, v.duplicated, v.failed) == (set(), set(), {})
    retries = [r for r in service.logs() if r["event"] == "job_retry"]
    assert sorted(str(r["article_key"]) for r in retries) == sorted(m.article_key for m in msgs)
    assert {r["reason"] for r in retries} == {"store_unavailable"}
    assert failure_reason(conn, "store", msgs[0].article_key) is None
