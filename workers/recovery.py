"""Prompt recovery of jobs whose worker died: requeue them, or fail poison ones with a reason.

RQ itself notices a dead worker's job only when the job's execution entry expires (job timeout
plus a minute for SimpleWorker) *and* a maintenance pass runs (every ten minutes), and then it
moves the job to the failed registry unless the job was enqueued with retries. Ours are not (a
stage's retries are decided by the job wrapper), so RQ would fail every interrupted job.

Here a started job is orphaned when the worker that holds it is gone: its registration has
expired, its heartbeat is older than :data:`STALE_AFTER_S` (workers heartbeat every few seconds
even mid-job, see ``workers.pool``), or it ran on this host under a process id that no longer
exists. Orphans are put back at the front of their queue; one that has already taken down
:data:`MAX_CRASHES` workers is a poison job and goes to the failed registry as ``worker_died``.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime

import redis
from rq.executions import Execution
from rq.job import Job, JobStatus
from rq.job_lifecycle import record_job_failure
from rq.registry import StartedJobRegistry
from rq.serializers import JSONSerializer
from rq.utils import parse_composite_key
from rq.worker import Worker

from ingest.logsetup import get_logger
from ingest.queueing import get_queue
from schemas.messages import STAGES

log = get_logger("newswire.recovery")

#: A worker whose last heartbeat is older than this is taken for dead.
STALE_AFTER_S = 30.0
#: A job that was running when this many workers died is failed as poison.
MAX_CRASHES = 3
#: The key holding why a job failed (read by ``newswire failed``).
REASON_META = "failure_reason"
_LOCK = "newswire:recovery-lock"


@dataclass(frozen=True, slots=True)
class Recovered:
    """One orphaned job found by :func:`recover_orphans` and what was done with it."""

    job_id: str
    stage: str
    worker: str
    why: str
    action: str  # "requeued" or "failed"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by another user
        return True
    return True


def worker_gone(
    conn: redis.Redis, name: str, *, stale_after_s: float = STALE_AFTER_S
) -> str | None:
    """Return why the worker called ``name`` is gone, or None when it looks alive."""
    if not name:
        return "no_worker_recorded"
    worker = Worker.find_by_key(
        f"{Worker.redis_worker_namespace_prefix}{name}",
        connection=conn,
        serializer=JSONSerializer,
    )
    if worker is None:
        return "registration_expired"
    if worker.hostname == socket.gethostname() and worker.pid and not _pid_alive(worker.pid):
        return "process_dead"
    beat = worker.last_heartbeat
    if beat is not None:
        if beat.tzinfo is None:
            beat = beat.replace(tzinfo=UTC)
        if (datetime.now(UTC) - beat).total_seconds() > stale_after_s:
            return "heartbeat_stale"
    return None


def _execution_worker(conn: redis.Redis, job_id: str, execution_id: str) -> str:
    raw = conn.hget(f"rq:execution:{job_id}:{execution_id}", "worker_name")
    return raw.decode() if isinstance(raw, bytes) else ""


def recover_orphans(
    conn: redis.Redis,
    *,
    stale_after_s: float = STALE_AFTER_S,
    max_crashes: int = MAX_CRASHES,
    dead_processes_only: bool = False,
) -> list[Recovered]:
    """Requeue (or fail, if poison) every started job whose worker is gone; return them.

    ``dead_processes_only`` limits it to workers of this host whose process is gone, the one
    certain sign: a worker starting right after a Redis outage must not take the stale
    heartbeats of live workers (which have not beaten again yet) for deaths.
    Safe to call from many processes at once: a short Redis lock lets one of them work.
    """
    if not conn.set(_LOCK, b"1", nx=True, ex=30):
        return []
    try:
        out: list[Recovered] = []
        for stage in STAGES:
            out += _recover_stage(conn, stage, stale_after_s, max_crashes, dead_processes_only)
            if not dead_processes_only:
                out += _recover_intermediate(conn, stage)
        return out
    finally:
        conn.delete(_LOCK)


def _recover_stage(
    conn: redis.Redis, stage: str, stale_after_s: float, max_crashes: int, dead_only: bool
) -> list[Recovered]:
    queue = get_queue(conn, stage)
    registry: StartedJobRegistry = queue.started_job_registry
    out: list[Recovered] = []
    verdicts: dict[str, str | None] = {}
    for entry in conn.zrange(registry.key, 0, -1):
        composite = entry.decode() if isinstance(entry, bytes) else str(entry)
        job_id, execution_id = parse_composite_key(composite)
        name = _execution_worker(conn, job_id, execution_id)
        if name not in verdicts:
            verdicts[name] = worker_gone(conn, name, stale_after_s=stale_after_s)
        why = verdicts[name]
        if why is None or (dead_only and why != "process_dead"):
            continue
        try:
            job = Job.fetch(job_id, connection=conn, serializer=JSONSerializer)
        except Exception:  # the job hash is gone: nothing to rerun, drop the stale entry
            conn.zrem(registry.key, composite)
            continue
        # QUEUED too: a worker killed after registering the execution but before marking the
        # job started leaves it so, in no queue; dropping the entry would lose the job.
        status = job.get_status(refresh=False)
        if status not in {JobStatus.STARTED, JobStatus.QUEUED} or (
            status == JobStatus.QUEUED and conn.lpos(queue.key, job_id) is not None
        ):
            conn.zrem(registry.key, composite)
            continue
        crashes = int(job.meta.get("crashes", 0)) + 1
        job.meta["crashes"] = crashes
        with conn.pipeline() as pipe:
            pipe.zrem(registry.key, composite)
            # Every trace of the dead execution goes, the job's own execution index too: RQ
            # reads that index when the job is deleted and fails on an entry with no hash.
            Execution(execution_id, job_id, conn, worker_name=name).delete(job, pipe)
            if crashes >= max_crashes:
                job.meta[REASON_META] = "worker_died"
                job.save_meta()  # type: ignore[no-untyped-call]
                record_job_failure(
                    job,
                    f"worker_died: the worker running this job died {crashes} times ({why})",
                    pipe,
                )
                action = "failed"
            else:
                job.save_meta()  # type: ignore[no-untyped-call]
                queue._enqueue_job(job, pipeline=pipe, at_front=True)
                action = "requeued"
            pipe.execute()
        rec = Recovered(job_id, stage, name, why, action)
        out.append(rec)
        fields = {"job_id": job_id, "stage": stage, "worker": name, "why": why}
        if action == "failed":
            log.error("orphan_job_failed", crashes=crashes, **fields)
        else:
            log.warning("orphan_job_requeued", crashes=crashes, **fields)
    return out


#: A job left this long between RQ's dequeue and its start is taken for stranded.
INTERMEDIATE_GRACE_S = 10.0


def _recover_intermediate(conn: redis.Redis, stage: str) -> list[Recovered]:
    """Requeue jobs stranded in RQ's intermediate list (the worker died right after dequeue)."""
    queue = get_queue(conn, stage)
    inter = queue.intermediate_queue
    started = {
        parse_composite_key(e.decode() if isinstance(e, bytes) else str(e))[0]
        for e in conn.zrange(queue.started_job_registry.key, 0, -1)
    }
    out: list[Recovered] = []
    now = datetime.now(UTC).timestamp()
    for job_id in inter.get_job_ids():
        if job_id in started:
            continue
        seen_key = f"newswire:intermediate-seen:{job_id}"
        conn.set(seen_key, str(now), nx=True, ex=300)
        first = float(conn.get(seen_key) or now)
        if now - first < INTERMEDIATE_GRACE_S:
            continue
        with conn.pipeline() as pipe:
            pipe.lrem(inter.key, 0, job_id)
            pipe.delete(seen_key)
            try:
                job = Job.fetch(job_id, connection=conn, serializer=JSONSerializer)
            except Exception:
                pipe.execute()
                continue
            queue._enqueue_job(job, pipeline=pipe, at_front=True)
            pipe.execute()
        out.append(Recovered(job_id, stage, "", "stranded_after_dequeue", "requeued"))
        log.warning("orphan_job_requeued", job_id=job_id, stage=stage, why="stranded_after_dequeue")
    return out
