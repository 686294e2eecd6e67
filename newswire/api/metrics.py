"""``/metrics``: the pipeline's state in Prometheus' text format, read afresh at each scrape.

Nothing is counted on the workers' hot path. A scrape asks Redis (queue registries, failed
jobs with their reasons, worker registrations) and the database (stored rows by status) what
``newswire status`` and ``/stats`` ask, through the same helpers. A Redis that cannot be read
is a value, ``newswire_redis_up 0``, beside the database metrics, as ``/stats`` reports it
rather than fail; a database that cannot be read is a 503, as on every other route.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

import redis
from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from rq import Worker
from sqlalchemy.orm import Session, sessionmaker

from newswire.api.queries import entries_by_state, totals
from newswire.commands.failed import failed_jobs
from newswire.pipeline_state import queue_states

router = APIRouter()

#: The per-queue gauges: (QueueState field, metric name, help text).
QUEUE_GAUGES = (
    ("queued", "newswire_queue_queued_jobs", "Jobs waiting in the stage's queue."),
    ("started", "newswire_queue_started_jobs", "Jobs of the stage a worker is running now."),
    (
        "scheduled",
        "newswire_queue_scheduled_jobs",
        "Jobs of the stage waiting for a retry after a transient failure.",
    ),
    ("failed", "newswire_queue_failed_jobs", "Jobs in the stage's failed registry."),
)


class PipelineCollector(Collector):
    """Reads the pipeline's state from Redis and the database each time it is collected."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        redis_factory: Callable[[], redis.Redis] | None,
    ) -> None:
        self._sessions = sessions
        self._redis_factory = redis_factory

    def collect(self) -> Iterator[Metric]:
        """Yield the Redis metrics (or ``newswire_redis_up 0``), then the database metrics.

        Database errors propagate, so the app answers them as on every other route.
        """
        from_redis = self._redis_metrics()
        yield GaugeMetricFamily(
            "newswire_redis_up",
            "1 if Redis answered this scrape, 0 if it is unreachable or not configured.",
            value=0 if from_redis is None else 1,
        )
        yield from from_redis or ()
        yield from self._database_metrics()

    def _redis_metrics(self) -> list[Metric] | None:
        """Return queue depths, failures by reason and live workers; None if Redis can't say.

        Every read happens before anything is returned, so a Redis that fails half-way gives
        no partial (and misleadingly low) numbers.
        """
        if self._redis_factory is None:
            return None
        try:
            conn = self._redis_factory()
            states = queue_states(conn)
            # Two reads per failed job (its meta and last result); the registries keep a
            # week of failures, which bounds a scrape's work.
            failures = Counter((j.stage, j.reason) for j in failed_jobs(conn))
            # Worker.all skips (and, as RQ does everywhere, unregisters) workers whose key
            # expired for want of a heartbeat: the live ones, as `newswire status` counts them.
            workers = len(Worker.all(connection=conn))
        except redis.exceptions.RedisError:
            return None
        out: list[Metric] = []
        for field, name, doc in QUEUE_GAUGES:
            gauge = GaugeMetricFamily(name, doc, labels=["queue"])
            for s in states:
                gauge.add_metric([s.name], getattr(s, field))
            out.append(gauge)
        failed = GaugeMetricFamily(
            "newswire_failed_jobs",
            "Jobs in the failed registries, by stage and reason (newswire failed list).",
            labels=["stage", "reason"],
        )
        for (stage, reason), n in sorted(failures.items()):
            failed.add_metric([stage, reason], n)
        out.append(failed)
        out.append(
            GaugeMetricFamily(
                "newswire_workers", "RQ workers alive (registered, heartbeat current).", workers
            )
        )
        return out

    def _database_metrics(self) -> list[Metric]:
        """Return feeds by health, articles by status, entries by state and events."""
        with self._sessions() as s:
            stored = totals(s)
            entries = entries_by_state(s)
        feeds = GaugeMetricFamily("newswire_feeds", "Feeds by health.", labels=["health"])
        for health, n in sorted(stored["feeds"].items()):
            feeds.add_metric([health], n)
        # A counter: articles are never deleted. Reprocessing can move one between statuses,
        # so only the sum over statuses is strictly monotonic.
        articles = CounterMetricFamily(
            "newswire_articles", "Articles stored, by status.", labels=["status"]
        )
        for status, n in sorted(stored["articles"].items()):
            articles.add_metric([status], n)
        by_state = GaugeMetricFamily("newswire_entries", "Feed entries by state.", labels=["state"])
        for state, n in sorted(entries.items()):
            by_state.add_metric([state], n)
        # A gauge, not a counter: merging or reprocessing articles can delete events.
        events = GaugeMetricFamily(
            "newswire_events",
            "Coded events stored (each merged over its articles).",
            stored["events"],
        )
        return [feeds, articles, by_state, events]


def metrics_registry(
    sessions: sessionmaker[Session], redis_factory: Callable[[], redis.Redis] | None
) -> CollectorRegistry:
    """Return a registry of its own (not the process-wide default) holding the collector.

    A private registry keeps apps in one process (tests make many) from clashing over
    names, and keeps metrics other libraries register globally out of this endpoint.
    """
    registry = CollectorRegistry(auto_describe=False)
    registry.register(PipelineCollector(sessions, redis_factory))
    return registry


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    """Return the pipeline's metrics in Prometheus' text exposition format, read now."""
    registry: CollectorRegistry = request.app.state.metrics_registry
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
