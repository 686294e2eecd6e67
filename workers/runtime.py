"""What every stage job shares: per-process resources and the job wrapper.

:func:`run_stage` is the thin RQ job around a stage's pure function. It decodes the message,
binds the log context (trace_id, article_key, stage, job_id), times the work, logs one summary
line, hands the result to the next queue, and sorts failures: transient ones (network, Redis,
database unavailable) return an RQ ``Retry`` with backoff; permanent ones raise, so the job
lands in the failed registry with its reason.

Chaining: a worker that also serves the next stage's queue runs that stage in the same job,
on the decoded message, instead of enqueueing it (as Flink chains operators of equal
parallelism). An article then costs one RQ job instead of five where one worker pool serves
every queue (``newswire run``, ``newswire worker`` with no queue named), while workers
deployed per queue still hand off through Redis. Every stage still logs its own ``job_done``
line. A chained stage that raises is not retried in place: its input goes to its own queue,
where the usual retries and the failed registry apply. A worker killed mid-chain leaves the
job that started the chain in RQ's started registry; recovery re-runs it, and since every
stage is idempotent the re-run stores the same rows.
"""

from __future__ import annotations

import contextlib
import importlib
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any, TypeVar

import redis
import structlog
from rq import Retry, get_current_job
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ingest.db import make_engine, session_factory
from ingest.logsetup import get_logger
from ingest.queueing import enqueue_next
from ingest.redisconn import connect
from ingest.settings import Settings, load_settings
from schemas.messages import ArticleMessage, MessageError, Skip, job_id, next_stage
from workers.recovery import REASON_META

log = get_logger("newswire.stage")
M = TypeVar("M")

#: What a stage job returns: its summary, or an RQ ``Retry`` for a transient failure.
JobResult = dict[str, Any] | Retry

#: Jobs finished in this process, by ``stage:outcome`` and ``stage:failed:reason``.
STATS: Counter[str] = Counter()

#: Seconds before retry n (1-based); the last value repeats.
RETRY_BACKOFF_S = (5, 30, 120, 600)


@dataclass(frozen=True)
class Runtime:
    """Per-process resources of a worker: settings, Redis, the database."""

    settings: Settings
    redis: redis.Redis
    engine: Engine
    sessions: sessionmaker[Session]


@cache
def runtime() -> Runtime:
    """Return this process's runtime, created on first use from the environment."""
    settings = load_settings()
    engine = make_engine(settings.effective_database_url)
    return Runtime(settings, connect(settings), engine, session_factory(engine))


def is_transient(exc: BaseException) -> bool:
    """Return whether ``exc`` is worth retrying (the cause may go away by itself)."""
    if getattr(exc, "transient", False):
        return True
    if isinstance(exc, redis.exceptions.ConnectionError | redis.exceptions.TimeoutError):
        return True
    if isinstance(exc, OperationalError):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def reason_of(exc: BaseException) -> str:
    """Return a short snake_case reason code for ``exc`` (its ``reason`` or its class name)."""
    reason = getattr(exc, "reason", None)
    if isinstance(reason, str) and reason:
        return reason
    name = type(exc).__name__
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


@dataclass(frozen=True)
class StageWork:
    """What a stage does to a decoded message, as a chained call needs it."""

    work: Callable[[Any], ArticleMessage | Skip | None]
    on_skip: Callable[[Any, Skip], None] | None = None


#: The stages this process runs in place of a queue hop (see the module docstring).
_CHAINED: set[str] = set()


def chain_stages(stages: Iterable[str]) -> None:
    """Make this process run ``stages`` in place when the stage before them finishes."""
    _CHAINED.clear()
    _CHAINED.update(stages)


def stage_work(stage: str) -> StageWork:
    """Return the ``STAGE_WORK`` of module ``workers.<stage>``."""
    work: StageWork = importlib.import_module(f"workers.{stage}").STAGE_WORK
    return work


def handoff(stage: str, message: ArticleMessage) -> None:
    """Enqueue ``message`` on the stage after ``stage`` (nothing after the last stage)."""
    nxt = next_stage(stage)
    if nxt is None:
        return
    rt = runtime()
    enqueue_next(
        rt.redis,
        nxt,
        message.article_key,
        message.to_dict(),
        timeout_s=rt.settings.job_timeout_s,
    )


#: Seconds from publication (and from fetch) to storage of the articles stored since the last
#: ``pipeline_stats`` line; the stats reporter takes and empties them.
LAGS: dict[str, list[float]] = {"published": [], "fetched": []}


def _record_lag(message: Any) -> None:
    """Note how long the article ``message`` took from publication and fetch to storage."""
    now = datetime.now(UTC)
    for kind, values in LAGS.items():
        raw = getattr(message, f"{kind}_at", None)
        if not raw:
            continue
        try:
            when = datetime.fromisoformat(str(raw))
        except ValueError:
            continue
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        values.append((now - when).total_seconds())


def _record_reason(reason: str) -> None:
    """Keep why the current job failed in its meta (``newswire failed`` lists it)."""
    job = get_current_job()
    if job is not None:
        with contextlib.suppress(redis.exceptions.RedisError):
            job.meta[REASON_META] = reason
            job.save_meta()  # type: ignore[no-untyped-call]


def _perform(
    stage: str,
    message: Any,
    work: Callable[[Any], ArticleMessage | Skip | None],
    on_skip: Callable[[Any, Skip], None] | None,
) -> tuple[ArticleMessage | None, str, float]:
    """Run one stage's work on ``message``; return (message for the next stage, outcome, ms).

    A :class:`Skip` is recorded by ``on_skip`` and logged, never silently dropped.
    """
    started = time.perf_counter()
    result = work(message)
    outcome = "ok"
    if isinstance(result, Skip):
        outcome = "skipped"
        if on_skip is not None:
            on_skip(message, result)
        log.info("article_skipped", reason=result.reason, **result.detail)
        STATS[f"{stage}:skipped:{result.reason}"] += 1
        result = None
    elif next_stage(stage) is None:
        _record_lag(message)
    STATS[f"{stage}:{outcome}"] += 1
    return result, outcome, round((time.perf_counter() - started) * 1000, 2)


def _pass_on(stage: str, message: ArticleMessage) -> None:
    """Hand ``message`` on from ``stage``: run the chained stages here, enqueue the next one.

    A chained stage that raises breaks the chain: its input is enqueued on its own queue
    with a ``chain_broken`` warning, and its own job retries or fails it there.
    """
    try:
        while (nxt := next_stage(stage)) is not None and nxt in _CHAINED:
            spec = stage_work(nxt)
            structlog.contextvars.bind_contextvars(stage=nxt)
            try:
                out, outcome, ms = _perform(nxt, message, spec.work, spec.on_skip)
            except Exception as exc:
                STATS[f"{nxt}:chain_broken"] += 1
                log.warning("chain_broken", reason=reason_of(exc), error=str(exc))
                break
            log.info("job_done", outcome=outcome, duration_ms=ms, chained=True)
            if out is None:
                return
            stage, message = nxt, out
        handoff(stage, message)
    finally:
        structlog.contextvars.unbind_contextvars("stage")


def run_stage(
    stage: str,
    payload: Any,
    decode: Callable[[Any], M],
    work: Callable[[M], ArticleMessage | Skip | None],
    on_skip: Callable[[M, Skip], None] | None = None,
) -> JobResult:
    """Run one job of ``stage``: decode, work, log, hand off; return a small summary dict.

    ``work`` returns the message for the next stage, a :class:`Skip` (recorded by ``on_skip``
    and logged, never silently dropped), or None when it has itself finished the article.
    """
    started = time.perf_counter()
    try:
        message = decode(payload)
    except MessageError as exc:
        log.error("job_failed", stage=stage, reason="bad_message", error=str(exc))
        _record_reason("bad_message")
        raise
    key = getattr(message, "article_key", "?")
    context = {
        "stage": stage,
        "article_key": key,
        "trace_id": getattr(message, "trace_id", None),
        "job_id": job_id(stage, key),
    }
    structlog.contextvars.bind_contextvars(**context)
    try:
        result, outcome, _ms = _perform(stage, message, work, on_skip)
        chained = result is not None and next_stage(stage) in _CHAINED
        if result is not None and not chained:
            handoff(stage, result)
        duration_ms = round((time.perf_counter() - started) * 1000, 2)
        log.info("job_done", outcome=outcome, duration_ms=duration_ms)
        if result is not None and chained:
            _pass_on(stage, result)
        return {"outcome": outcome, "duration_ms": duration_ms}
    except Exception as exc:
        structlog.contextvars.bind_contextvars(**context)
        duration_ms = round((time.perf_counter() - started) * 1000, 2)
        reason = reason_of(exc)
        job = get_current_job()
        tries = (job.number_of_retries or 0) if job is not None else 0
        max_retries = runtime().settings.job_retries
        if is_transient(exc) and job is not None and tries < max_retries:
            delay = RETRY_BACKOFF_S[min(tries, len(RETRY_BACKOFF_S) - 1)]
            log.warning(
                "job_retry",
                reason=reason,
                error=str(exc),
                attempt=tries + 1,
                retry_in_s=delay,
                duration_ms=duration_ms,
            )
            STATS[f"{stage}:retry:{reason}"] += 1
            return Retry(max=max_retries, interval=delay)
        STATS[f"{stage}:failed:{reason}"] += 1
        _record_reason(reason)
        log.error(
            "job_failed",
            reason=reason,
            error=str(exc),
            transient=is_transient(exc),
            attempts=tries + 1,
            duration_ms=duration_ms,
        )
        raise
    finally:
        structlog.contextvars.unbind_contextvars("stage", "article_key", "trace_id", "job_id")
