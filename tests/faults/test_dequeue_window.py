"""The moments around a dequeue: a worker killed right after taking a job, or after
registering its execution but before starting it, must not lose the job."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
import redis
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer
from rq.worker import Worker

from ingest.queueing import get_queue
from schemas.messages import STAGES
from workers import recovery
from workers.pool import LeanWorker, SafeQueue
from workers.recovery import recover_orphans
from workers.runtime import runtime


def _enqueue(conn: redis.Redis, stage: str, jid: str) -> None:
    get_queue(conn, stage).enqueue("tests.workers.jobs_for_tests.permanent_job", {}, job_id=jid)


def test_a_multi_queue_dequeue_keeps_the_job_in_redis(redis_conn: redis.Redis) -> None:
    _enqueue(redis_conn, "fetch", "fetch-a")
    _enqueue(redis_conn, "store", "store-b")
    queues = [get_queue(redis_conn, s) for s in reversed(STAGES)]
    job, queue = SafeQueue.dequeue_any(queues, None, redis_conn, serializer=JSONSerializer)
    # downstream first, and the taken job sits in its queue's intermediate list, not in memory
    assert (job.id, queue.name) == ("store-b", "store")
    assert queue.intermediate_queue.get_job_ids() == ["store-b"]
    assert SafeQueue.dequeue_any(queues, None, redis_conn)[0].id == "fetch-a"  # type: ignore[index]
    assert SafeQueue.dequeue_any(queues, None, redis_conn) is None


def test_a_job_stranded_after_dequeue_is_requeued(
    redis_conn: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    _enqueue(redis_conn, "store", "store-c")
    queues = [get_queue(redis_conn, "store"), get_queue(redis_conn, "events")]
    SafeQueue.dequeue_any(queues, None, redis_conn, serializer=JSONSerializer)
    # ... and the worker dies here. The first pass notes the job, a later one takes it back.
    monkeypatch.setattr(recovery, "INTERMEDIATE_GRACE_S", 0.2)
    assert recover_orphans(redis_conn) == []
    time.sleep(0.3)
    [rec] = recover_orphans(redis_conn)
    assert (rec.job_id, rec.why, rec.action) == ("store-c", "stranded_after_dequeue", "requeued")
    assert get_queue(redis_conn, "store").get_job_ids() == ["store-c"]


def test_a_job_whose_worker_died_before_starting_it_is_requeued(
    redis_conn: redis.Redis,
) -> None:
    _enqueue(redis_conn, "store", "store-d")
    worker = Worker([get_queue(redis_conn, "store")], connection=redis_conn)
    worker.register_birth()
    job = Job.fetch("store-d", connection=redis_conn, serializer=JSONSerializer)
    get_queue(redis_conn, "store").pop_job_id()
    worker.prepare_execution(job)  # execution registered, job still QUEUED: then SIGKILL
    redis_conn.hset(worker.key, mapping={"pid": 2**22 + 17, "hostname": socket.gethostname()})
    [rec] = recover_orphans(redis_conn)
    assert (rec.job_id, rec.why, rec.action) == ("store-d", "process_dead", "requeued")
    assert get_queue(redis_conn, "store").get_job_ids() == ["store-d"]
    assert Job.fetch("store-d", connection=redis_conn).get_status() == JobStatus.QUEUED


def test_a_multi_queue_worker_leaves_no_intermediate_ids(
    redis_url: str, redis_conn: redis.Redis, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NEWSWIRE_REDIS_URL", redis_url)
    monkeypatch.setenv("NEWSWIRE_DATA_DIR", str(tmp_path))
    runtime.cache_clear()
    for i in range(3):
        _enqueue(redis_conn, "store", f"store-{i}")
        _enqueue(redis_conn, "events", f"events-{i}")
    queues = [
        SafeQueue(s, connection=redis_conn, serializer=JSONSerializer) for s in ("store", "events")
    ]
    worker = LeanWorker(
        queues, connection=redis_conn, serializer=JSONSerializer, queue_class=SafeQueue
    )
    assert worker.work(burst=True)
    for q in queues:
        assert q.count == 0 and q.intermediate_queue.get_job_ids() == []
        assert q.failed_job_registry.count == 3  # every job ran (and failed, as it must)
    runtime.cache_clear()
