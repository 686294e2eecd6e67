"""Read-only views of the pipeline's state in Redis: depths, in-flight work, failures."""

from __future__ import annotations

from dataclasses import dataclass

import redis

from ingest.queueing import get_queue
from schemas.messages import STAGES


@dataclass(frozen=True, slots=True)
class QueueState:
    """Counts for one stage queue."""

    name: str
    queued: int
    started: int
    scheduled: int
    failed: int


def queue_states(conn: redis.Redis) -> list[QueueState]:
    """Return the counts of every stage queue, in pipeline order."""
    out = []
    for stage in STAGES:
        q = get_queue(conn, stage)
        out.append(
            QueueState(
                name=stage,
                queued=q.count + len(q.intermediate_queue.get_job_ids()),
                started=q.started_job_registry.get_job_count(cleanup=False),
                scheduled=q.scheduled_job_registry.get_job_count(cleanup=False),
                failed=q.failed_job_registry.get_job_count(cleanup=False),
            )
        )
    return out


def in_flight(conn: redis.Redis) -> int:
    """Return how many jobs are queued, running or scheduled for a retry, over all stages."""
    return sum(s.queued + s.started + s.scheduled for s in queue_states(conn))
