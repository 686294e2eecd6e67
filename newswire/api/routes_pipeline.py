"""``/feeds`` and ``/stats``: the operators' view of the pipeline."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

import redis
from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from newswire.api.deps import session
from newswire.api.models import FeedList, StatsOut
from newswire.api.queries import throughput, totals
from newswire.export import feed_rows
from newswire.pipeline_state import queue_states

router = APIRouter(tags=["pipeline"])
DB = Annotated[Session, Depends(session)]
#: Feed health values that mean "someone should look at this feed".
FAILING = ("failing", "backing_off", "gone")


@router.get("/feeds", response_model=FeedList, summary="Feeds and their health")
def list_feeds(db: DB) -> dict[str, Any]:
    """Return every feed with its health, and the number of feeds in each health state."""
    feeds = feed_rows(db)
    return {
        "total": len(feeds),
        "by_health": dict(Counter(f["health"] for f in feeds)),
        "items": feeds,
    }


def _queues(redis_factory: Callable[[], redis.Redis] | None) -> dict[str, Any]:
    """Return the stage queue counts, or why they could not be read (never raises)."""
    if redis_factory is None:
        return {"ok": False, "error": "no Redis configured (set NEWSWIRE_REDIS_URL)"}
    try:
        conn = redis_factory()
        stages = [
            {
                "name": s.name,
                "queued": s.queued,
                "started": s.started,
                "scheduled": s.scheduled,
                "failed": s.failed,
            }
            for s in queue_states(conn)
        ]
    except redis.exceptions.RedisError as exc:
        return {"ok": False, "error": f"Redis unreachable: {exc}"}
    return {"ok": True, "stages": stages}


@router.get("/stats", response_model=StatsOut, summary="Pipeline health")
def stats(request: Request, db: DB) -> dict[str, Any]:
    """Return queue depths, throughput, stored totals and failing feeds, with a verdict."""
    queues = _queues(request.app.state.redis_factory)
    failing = [f for f in feed_rows(db) if f["health"] in FAILING]
    healthy = (
        queues["ok"] and not failing and not any(s["failed"] for s in queues.get("stages", []))
    )
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "healthy": healthy,
        "queues": queues,
        "throughput": throughput(db),
        "totals": totals(db),
        "failing_feeds": failing,
    }
