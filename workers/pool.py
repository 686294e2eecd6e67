"""A worker process: RQ's SimpleWorker over some stage queues, plus a periodic stats line.

SimpleWorker runs each job in this process instead of forking a child per job (forking costs
about 10 ms per job here, more than some stages' work). The price is that a job which crashes
the interpreter takes the worker with it; the supervisor restarts it and RQ's started-job
registry hands the job back.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import redis
from rq import Queue, SimpleWorker
from rq.exceptions import DequeueTimeout
from rq.intermediate_queue import IntermediateQueue
from rq.serializers import JSONSerializer

from ingest.logsetup import get_logger
from ingest.queueing import get_queue
from ingest.redisconn import RedisConfigError, check_server, wait_for_redis
from schemas.messages import STAGES
from workers.eventcoding import SUPPORTED_LANGUAGES, extract_events, load_parsers
from workers.events import use_parser
from workers.language import detect_language, short_text_detectors
from workers.recovery import STALE_AFTER_S, recover_orphans
from workers.runtime import LAGS, STATS, chain_stages, runtime

log = get_logger("newswire.worker")


def queue_depths(conn: redis.Redis) -> dict[str, int]:
    """Return the number of jobs waiting in each stage queue."""
    return {stage: get_queue(conn, stage).count for stage in STAGES}


def _summary(values: Sequence[float]) -> dict[str, float | int] | None:
    """Return n, p50, p95 and max of ``values`` (seconds, rounded), or None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    n = len(ordered)

    def at(q: float) -> float:
        return round(ordered[min(n - 1, int(q * n))], 2)

    return {"n": n, "p50": at(0.5), "p95": at(0.95), "max": round(ordered[-1], 2)}


class _StatsReporter(threading.Thread):
    """Logs a ``pipeline_stats`` line every ``interval`` seconds (throughput since the last)."""

    def __init__(self, conn: redis.Redis, interval: float) -> None:
        super().__init__(daemon=True, name="pipeline-stats")
        self.conn, self.interval = conn, interval
        self.stopped = threading.Event()
        self._last: Counter[str] = Counter()
        self._last_t = time.monotonic()

    def report(self) -> None:
        now = time.monotonic()
        snap = Counter(STATS)
        delta = snap - self._last
        span = max(now - self._last_t, 1e-6)
        self._last, self._last_t = snap, now
        rates = {k: round(v / span, 3) for k, v in delta.items() if k.endswith(":ok")}
        failures = {k: v for k, v in delta.items() if ":failed:" in k or ":skipped:" in k}
        try:
            depths: dict[str, int] | None = queue_depths(self.conn)
        except redis.exceptions.RedisError:
            depths = None
        lag = {kind: _summary(values) for kind, values in LAGS.items()}
        for values in LAGS.values():
            values.clear()
        log.info(
            "pipeline_stats",
            jobs_per_s=rates,
            failures=failures,
            queue_depths=depths,
            lag_s=lag,
            jobs_total=dict(snap),
            interval_s=round(span, 1),
        )

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            self.report()


def preload(stages: Sequence[str] = STAGES) -> float:
    """Load the models and data of the ``stages`` a worker serves now; return the seconds it took.

    Without this the first job of each kind pays for loading the language models and the event
    lexicons (under a second; lingua's ~700 MB of short-text models take 6-9 s), which shows
    up as a latency spike after every restart. A worker that does not tag languages does not
    load their models: a fetch or store worker would otherwise carry ~800 MB it never uses.
    """
    started = time.perf_counter()
    if "language" in stages:
        # A short text: with the joint detector it loads lingua's models as well.
        detect_language("Préchargement", "Texte court.", short_text_detectors())
    if "events" in stages:
        for lang in sorted(SUPPORTED_LANGUAGES):
            extract_events("Warm-up.", language=lang, published_at="2024-01-01T00:00:00+00:00")
        if use_parser():
            load_parsers()  # French's: ~5 s and ~270 MB when the parse extra is installed
    return time.perf_counter() - started


#: Longest wait between two looks at the queues of an idle worker: what a new article may wait
#: before a worker notices it. Ten cheap scripts a second per idle worker, which Redis does not
#: notice (500 ms here added up to half a second to an article after every idle spell).
IDLE_POLL_MAX_S = 0.1

# Move the first job of the first non-empty queue into that queue's intermediate list, in one
# step: KEYS are queue1, intermediate1, queue2, intermediate2...; returns {queue, job id}.
_MOVE_FIRST = """
for i = 1, #KEYS, 2 do
  local id = redis.call('LMOVE', KEYS[i], KEYS[i + 1], 'LEFT', 'RIGHT')
  if id then return {KEYS[i], id} end
end
return nil
"""


class SafeQueue(Queue):
    """An RQ queue whose multi-queue dequeue never holds a job only in a worker's memory.

    RQ dequeues from one queue with BLMOVE into an intermediate list, but from several with
    BLPOP: a worker killed between the pop and the job's start then loses the job. Here every
    dequeue is an atomic LMOVE into the queue's intermediate list, whence orphan recovery
    (``workers.recovery``) takes back what a dead worker left. Waiting is a poll (10 ms, backing
    off to :data:`IDLE_POLL_MAX_S`) since Redis has no blocking move across several lists.
    """

    @classmethod
    def dequeue_any(  # type: ignore[override]  # noqa: PLR0917 -- RQ calls it so
        cls,
        queues: Sequence[Queue],
        timeout: int | None,
        connection: redis.Redis,
        job_class: Any = None,
        serializer: Any = None,
        death_penalty_class: Any = None,
    ) -> tuple[Any, Queue] | None:
        """Return (job, queue) for the first job of the first non-empty queue, or None.

        With a ``timeout``, waits that long and raises DequeueTimeout; without, returns at once.
        """
        keys: list[str] = []
        for q in queues:
            keys += [q.key, q.intermediate_queue_key]
        move = connection.register_script(_MOVE_FIRST)
        deadline = None if timeout is None else time.monotonic() + timeout
        pause = 0.01
        while True:
            found = move(keys=keys)
            if found:
                queue_key, job_id = (x.decode() if isinstance(x, bytes) else x for x in found)
                result = cls._fetch_dequeued_job(
                    connection,
                    queue_key,
                    job_id,
                    job_class=job_class,
                    serializer=serializer,
                    death_penalty_class=death_penalty_class,
                )
                if result is None:  # the job hash is gone: nothing to run, try the next one
                    connection.lrem(
                        IntermediateQueue.get_intermediate_queue_key(queue_key), 1, job_id
                    )
                    continue
                return result
            if deadline is None:
                return None
            if time.monotonic() >= deadline:
                raise DequeueTimeout(timeout, keys[0])
            time.sleep(pause)
            pause = min(pause * 1.5, IDLE_POLL_MAX_S)


class LeanWorker(SimpleWorker):
    """RQ's SimpleWorker with its stand-alone heartbeats sent at most every few seconds.

    SimpleWorker refreshes its registration around every job (five times, three round trips
    each), which at our job sizes is a tenth of the work. The worker key lives for minutes
    (``worker_ttl``), so one refresh every few seconds keeps it as alive; heartbeats that ride
    in a pipeline with other job bookkeeping are kept as they are.
    """

    heartbeat_every_s = 5.0

    def heartbeat(self, timeout: int | None = None, pipeline: Any = None) -> None:
        last = self.last_heartbeat
        age = (datetime.now(UTC) - last).total_seconds() if last is not None else None
        recent = age is not None and age < self.heartbeat_every_s
        if pipeline is None and recent:
            return
        super().heartbeat(timeout, pipeline)

    def prepare_job_execution(self, job: Any, remove_from_intermediate_queue: bool = False) -> None:
        # RQ leaves the id in the intermediate list when a worker has several queues (it used
        # BLPOP then); SafeQueue always moves it there, so always take it out at the start.
        super().prepare_job_execution(job, remove_from_intermediate_queue=True)


class _Liveness(threading.Thread):
    """Heartbeats the worker every few seconds, mid-job too, and recovers dead workers' jobs.

    SimpleWorker sends no heartbeat while a job runs, so without this a long job looks like a
    dead worker. Recovery runs at start and every ``recover_every_s``, but only after this
    process has itself been heartbeating for ``STALE_AFTER_S``: just after a Redis outage every
    worker's heartbeat looks stale, and the live ones must get a chance to refresh first.
    """

    def __init__(self, worker: LeanWorker, every_s: float = 5.0, recover_every_s: float = 15.0):
        super().__init__(daemon=True, name="worker-liveness")
        self.worker, self.every_s, self.recover_every_s = worker, every_s, recover_every_s
        self.stopped = threading.Event()

    def run(self) -> None:
        healthy_since: float | None = None
        last_ok = last_recovery = 0.0
        while not self.stopped.wait(self.every_s):
            now = time.monotonic()
            try:
                SimpleWorker.heartbeat(self.worker, int(STALE_AFTER_S * 2))
                # A heartbeat that took long (Redis frozen, then back) counts as an outage.
                if healthy_since is None or time.monotonic() - last_ok > 3 * self.every_s:
                    healthy_since = time.monotonic()
                last_ok = time.monotonic()
                if now - healthy_since >= STALE_AFTER_S and (
                    now - last_recovery >= self.recover_every_s
                ):
                    last_recovery = now
                    recover_orphans(self.worker.connection)
            except redis.exceptions.RedisError as exc:
                healthy_since = None
                log.warning("liveness_redis_error", error=str(exc))


def run_worker(queues: Sequence[str] = (), *, burst: bool = False) -> bool:
    """Work the given stage queues (all, downstream first, when empty); return if any job ran.

    Downstream queues come first so articles already in flight finish before new ones start:
    that keeps the latency from feed to stored events low under load.
    """
    rt = runtime()
    names = list(queues) or list(reversed(STAGES))
    unknown = [q for q in names if q not in STAGES]
    if unknown:
        raise ValueError(f"unknown queue(s) {', '.join(unknown)} (queues: {', '.join(STAGES)})")
    wait_for_redis(rt.redis)
    try:
        check_server(rt.redis)
    except RedisConfigError as exc:
        log.error("redis_misconfigured", error=str(exc))
        raise SystemExit(f"newswire: error: {exc}") from exc
    worker = LeanWorker(
        [SafeQueue(q, connection=rt.redis, serializer=JSONSerializer) for q in names],
        connection=rt.redis,
        serializer=JSONSerializer,
        queue_class=SafeQueue,
        job_monitoring_interval=5,
        # RQ times its Redis socket out at worker_ttl - 5 s: a hung connection (a network
        # partition) then ends this worker within a minute instead of seven.
        worker_ttl=60,
    )
    # A stage this worker serves runs in the same job as the stage before it (no queue hop).
    chain_stages(names if rt.settings.chain_stages else ())
    reporter = _StatsReporter(rt.redis, rt.settings.stats_interval_s)
    reporter.start()
    # Jobs of workers that died (this one's predecessor, typically) run again before new work;
    # a worker's own pid cannot be among them, its registration is not written yet.
    recovered = recover_orphans(rt.redis, dead_processes_only=True)
    preload_s = preload(names)
    log.info(
        "worker_started",
        queues=names,
        chained=rt.settings.chain_stages,
        worker=worker.name,
        burst=burst,
        preload_ms=round(preload_s * 1000, 1),
        recovered_jobs=len(recovered),
    )
    liveness = _Liveness(worker)
    liveness.start()
    try:
        # rq sets its own loggers' level from this; its per-job INFO lines repeat job_done.
        rq_level = "DEBUG" if rt.settings.log_level == "DEBUG" else "WARNING"
        worked = worker.work(burst=burst, logging_level=rq_level, with_scheduler=True)
    finally:
        liveness.stopped.set()
        reporter.stopped.set()
        reporter.report()
        log.info("worker_stopped", worker=worker.name)
    if not burst and worker._shutdown_requested_date is None:
        # RQ leaves its loop on an unexpected error (Redis lost mid-bookkeeping) as if asked
        # to: exit non-zero so systemd, Kubernetes or the supervisor starts a fresh worker.
        log.error("worker_lost", worker=worker.name)
        raise SystemExit(1)
    return worked
