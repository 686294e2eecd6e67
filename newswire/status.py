"""``newswire status``: queues, workers, feeds and stored records at a glance."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from rq import Worker
from sqlalchemy import Engine, func, select

from ingest.db import session_factory
from ingest.redisconn import connect
from ingest.settings import Settings
from newswire.commands.failed import failed_jobs
from newswire.export import feed_rows
from newswire.pipeline_state import queue_states
from schemas.tables import Article, Entry, Event


def collect_status(settings: Settings, engine: Engine) -> dict[str, Any]:
    """Return the service's state as a JSON-safe dict."""
    conn = connect(settings)
    queues = [vars_(q) for q in queue_states(conn)]
    now = datetime.now(UTC)
    workers = [
        {
            "name": w.name,
            "state": w.get_state(),
            "host": w.hostname,
            "pid": w.pid,
            "heartbeat_age_s": _age_s(now, w.last_heartbeat),
            "queues": w.queue_names(),
            "current_job": w.get_current_job_id(),
            "successful_jobs": w.successful_job_count,
            "failed_jobs": w.failed_job_count,
        }
        for w in Worker.all(connection=conn)
    ]
    with session_factory(engine)() as s:
        feeds = feed_rows(s)
        articles = dict(
            s.execute(select(Article.status, func.count()).group_by(Article.status)).all()
        )
        entries = dict(s.execute(select(Entry.state, func.count()).group_by(Entry.state)).all())
        events = s.scalar(select(func.count()).select_from(Event)) or 0
    health = Counter(f["health"] for f in feeds)
    failures = Counter(f"{j.stage}:{j.reason}" for j in failed_jobs(conn))
    return {
        "queues": queues,
        "failures_by_reason": dict(failures.most_common()),
        "workers": workers,
        "feeds": {
            "total": len(feeds),
            "by_health": dict(health),
            "failing": [f for f in feeds if f["health"] in ("failing", "backing_off", "gone")],
        },
        "entries": entries,
        "articles": articles,
        "events": events,
    }


def _age_s(now: datetime, then: datetime | None) -> float | None:
    """Return seconds from ``then`` to ``now`` (None when unknown)."""
    if then is None:
        return None
    if then.tzinfo is None:
        then = then.replace(tzinfo=UTC)
    return round((now - then).total_seconds(), 1)


def vars_(obj: Any) -> dict[str, Any]:
    """Return a dataclass-with-slots instance as a dict."""
    return {k: getattr(obj, k) for k in obj.__slots__}


def render_status(report: dict[str, Any]) -> str:
    """Return the status report as a readable table."""
    lines = [f"{'queue':<10} {'queued':>7} {'running':>8} {'retrying':>9} {'failed':>7}"]
    for q in report["queues"]:
        lines.append(
            f"{q['name']:<10} {q['queued']:>7} {q['started']:>8} "
            f"{q['scheduled']:>9} {q['failed']:>7}"
        )
    if report["failures_by_reason"]:
        lines.append("")
        lines.append("failed jobs by reason (newswire failed list):")
        lines += [f"  {n:>6}  {k}" for k, n in report["failures_by_reason"].items()]
    lines.append("")
    lines.append(f"workers: {len(report['workers'])}")
    for w in report["workers"]:
        age = w["heartbeat_age_s"]
        beat = f"{age:.0f}s ago" if age is not None else "never"
        lines.append(
            f"  {w['name'][:12]:<12} {w['state']:<10} ok={w['successful_jobs']} "
            f"failed={w['failed_jobs']} heartbeat={beat} host={w['host']} pid={w['pid']} "
            f"queues={','.join(w['queues'])}"
        )
    feeds = report["feeds"]
    health = ", ".join(f"{k}={v}" for k, v in sorted(feeds["by_health"].items())) or "none"
    lines.append(f"feeds: {feeds['total']} ({health})")
    for f in feeds["failing"]:
        lines.append(f"  {f['health']:<11} {f['url']}  {f['last_error'] or ''}")
    arts = ", ".join(f"{k}={v}" for k, v in sorted(report["articles"].items())) or "none"
    ents = ", ".join(f"{k}={v}" for k, v in sorted(report["entries"].items())) or "none"
    lines.append(f"entries: {ents}")
    lines.append(f"articles: {arts}")
    lines.append(f"events: {report['events']}")
    return "\n".join(lines)
