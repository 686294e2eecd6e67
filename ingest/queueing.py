"""The RQ side of the stage contract: queue names, job functions, ids, enqueue rules.

Jobs are referenced by dotted path so the feed side enqueues without importing the workers.
Payloads are JSON (rq's JSONSerializer), never pickle. A job id is ``{stage}-{article_key}``;
enqueueing an id that is already queued, scheduled or running is a no-op, so two pollers that
see the same entry, or a stage re-run, do not multiply work.
"""

from __future__ import annotations

from typing import Any

import redis
from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer

from schemas.messages import STAGES, job_id

#: The RQ job function of each stage (``workers.<stage>.job``).
JOB_FUNCS: dict[str, str] = {stage: f"workers.{stage}.job" for stage in STAGES}

#: Finished jobs are not kept (their output is the next stage's job); failures are kept a week.
RESULT_TTL = 0
FAILURE_TTL = 7 * 24 * 3600
_LOCK_PREFIX = "newswire:enqueue-lock:"
_ACTIVE = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED}


def get_queue(conn: redis.Redis, stage: str) -> Queue:
    """Return the RQ queue of ``stage`` with the JSON serializer."""
    if stage not in STAGES:
        raise ValueError(f"unknown queue {stage!r} (queues: {', '.join(STAGES)})")
    return Queue(stage, connection=conn, serializer=JSONSerializer)


def enqueue_next(
    conn: redis.Redis,
    stage: str,
    article_key: str,
    payload: dict[str, Any],
    *,
    timeout_s: int = 180,
) -> None:
    """Enqueue ``payload`` for ``stage`` as the hand-off from the stage before it.

    No pending-job check here: a stage's job for an article runs once per run of the previous
    stage's job, so a duplicate only follows a re-run, and every stage is idempotent. Skipping
    the check saves three round trips on the hot path (see bench/RESULTS.md).
    """
    get_queue(conn, stage).enqueue(
        JOB_FUNCS[stage],
        payload,
        job_id=job_id(stage, article_key),
        job_timeout=timeout_s,
        result_ttl=RESULT_TTL,
        failure_ttl=FAILURE_TTL,
        description=f"{stage} {article_key}",
    )


def enqueue_stage(
    conn: redis.Redis,
    stage: str,
    article_key: str,
    payload: dict[str, Any],
    *,
    timeout_s: int = 180,
) -> bool:
    """Enqueue ``payload`` for ``stage``; return False when that job is already pending.

    For entries found by pollers, which may see the same entry at the same moment.
    """
    jid = job_id(stage, article_key)
    # Check-then-enqueue must be atomic across processes, or two pollers that see one entry
    # at the same moment both push it. A short lock per job id serialises them; whoever
    # comes second finds the job pending and does nothing.
    lock = f"{_LOCK_PREFIX}{jid}"
    if not conn.set(lock, b"1", nx=True, ex=30):
        return False
    try:
        try:
            existing = Job.fetch(jid, connection=conn, serializer=JSONSerializer)
            if existing.get_status(refresh=False) in _ACTIVE:
                return False
        except NoSuchJobError:
            pass
        enqueue_next(conn, stage, article_key, payload, timeout_s=timeout_s)
        return True
    finally:
        conn.delete(lock)
