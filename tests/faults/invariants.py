"""The fault tests' verdict: every article that entered is stored exactly once, or sits in the
failed registry with a reason, and nothing is left running or queued."""

from __future__ import annotations

from dataclasses import dataclass

import redis
from rq.job import Job
from rq.serializers import JSONSerializer
from sqlalchemy import func, select

from ingest.db import make_engine, session_factory
from ingest.queueing import get_queue
from schemas.messages import STAGES, job_id
from schemas.tables import Article, Mention
from workers.recovery import REASON_META


@dataclass(frozen=True)
class Verdict:
    """Outcome of every article that entered: stored ones, failed ones (key → reason)."""

    stored: set[str]
    failed: dict[str, str]
    lost: set[str]
    duplicated: set[str]


def failure_reason(conn: redis.Redis, stage: str, key: str) -> str | None:
    """Return why the ``stage`` job of ``key`` failed, or None when it is not failed."""
    jid = job_id(stage, key)
    if jid not in get_queue(conn, stage).failed_job_registry.get_job_ids():
        return None
    job = Job.fetch(jid, connection=conn, serializer=JSONSerializer)
    reason = job.meta.get(REASON_META)
    if reason:
        return str(reason)
    latest = job.latest_result()
    return (latest.exc_string or "").strip().splitlines()[-1] if latest else "unknown"


def verdict(conn: redis.Redis, db_url: str, expected: dict[str, int]) -> Verdict:
    """Check the articles ``expected`` (key → number of mentions it carries)."""
    engine = make_engine(db_url)
    try:
        with session_factory(engine)() as s:
            stored = set(
                s.scalars(select(Article.article_key).where(Article.article_key.in_(expected)))
            )
            per_article = dict(
                s.execute(
                    select(Mention.article_key, func.count())
                    .where(Mention.article_key.in_(expected))
                    .group_by(Mention.article_key)
                ).all()
            )
    finally:
        engine.dispose()
    duplicated = {k for k in stored if per_article.get(k, 0) > expected[k]}
    failed: dict[str, str] = {}
    for key in set(expected) - stored:
        for stage in STAGES:
            reason = failure_reason(conn, stage, key)
            if reason:
                failed[key] = reason
    lost = set(expected) - stored - set(failed)
    return Verdict(stored, failed, lost, duplicated)


def pipeline_drained(conn: redis.Redis) -> bool:
    """Return whether no job is queued, taken, running or waiting for a retry on any stage.

    "Taken" is RQ's intermediate list: a job a worker dequeued and had not started when
    Redis went away sits there until recovery requeues it, and is not lost. An id there
    whose job is gone (a duplicate hand-off already done) is no job.
    """
    for stage in STAGES:
        q = get_queue(conn, stage)
        if q.count or q.started_job_registry.get_job_count(cleanup=False):
            return False
        if any(conn.exists(Job.key_for(i)) for i in q.intermediate_queue.get_job_ids()):
            return False
        if q.scheduled_job_registry.get_job_count(cleanup=False):
            return False
    return True
