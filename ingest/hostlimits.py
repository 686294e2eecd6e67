"""Per-host politeness shared by every process: at most N requests at once, and a gap.

Both rules live in Redis so they hold across pollers and fetch workers on any machine: a
sorted set of request tokens per host (scored by when their lease ends, so a crashed holder
frees its slot) and a "not before" time per host for the minimum gap between requests. One
Lua script decides and takes a slot atomically, on the Redis server's clock, so clocks of
different machines never disagree about a gap.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import redis

from ingest.settings import Settings

__all__ = ["HostBusy", "HostLimiter", "HostPolicy", "host_of"]

# KEYS[1] slots zset, KEYS[2] next-allowed key. ARGV: token, max, gap_ms, lease_ms.
# Returns 0 when the slot is taken, else the milliseconds to wait before trying again.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local nxt = tonumber(redis.call('GET', KEYS[2]) or '0')
if nxt > now then return nxt - now end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  local wait = tonumber(first[2]) - now
  if wait > 50 then wait = 50 end
  if wait < 1 then wait = 1 end
  return wait
end
local lease = tonumber(ARGV[4])
redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
redis.call('PEXPIRE', KEYS[1], lease)
local gap = tonumber(ARGV[3])
if gap > 0 then redis.call('SET', KEYS[2], now + gap, 'PX', gap) end
return 0
"""


class HostBusy(Exception):
    """No slot for the host within the time we were willing to wait (worth a retry later)."""

    transient = True

    def __init__(self, host: str, waited_s: float) -> None:
        self.host = host
        self.reason = "host_busy"
        super().__init__(f"host_busy: no slot for {host} after {waited_s:.1f}s")


@dataclass(frozen=True, slots=True)
class HostPolicy:
    """How politely to treat one host."""

    max_concurrent: int = 2
    min_gap_s: float = 0.5
    #: A slot held longer than this (a crashed holder) is freed.
    lease_s: float = 120.0


def host_policy(settings: Settings) -> HostPolicy:
    """Return the per-host politeness rules configured in ``settings``."""
    return HostPolicy(
        max_concurrent=settings.host_max_concurrent, min_gap_s=settings.host_min_gap_s
    )


def host_of(url: str) -> str:
    """Return the lower-cased host (with a non-default port) that ``url`` names."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{host}:{port}" if port else host


class HostLimiter:
    """Takes and returns per-host request slots in Redis."""

    def __init__(
        self,
        conn: redis.Redis,
        policy: HostPolicy = HostPolicy(),
        *,
        prefix: str = "newswire:host:",
    ) -> None:
        self.redis = conn
        self.policy = policy
        self.prefix = prefix
        self._acquire = conn.register_script(_ACQUIRE)
        self._sleep = threading.Event()  # never set: an interruptible-looking sleep

    def try_acquire(self, host: str) -> tuple[str | None, float]:
        """Try once to take a slot for ``host``.

        Returns ``(token, 0.0)`` on success, else ``(None, seconds to wait)``.
        """
        token = uuid.uuid4().hex
        p = self.policy
        wait_ms = int(
            self._acquire(
                keys=[f"{self.prefix}{host}:slots", f"{self.prefix}{host}:next"],
                args=[token, p.max_concurrent, int(p.min_gap_s * 1000), int(p.lease_s * 1000)],
            )
        )
        if wait_ms == 0:
            return token, 0.0
        return None, wait_ms / 1000.0

    def release(self, host: str, token: str) -> None:
        """Give back the slot ``token`` for ``host``."""
        self.redis.zrem(f"{self.prefix}{host}:slots", token)

    @contextmanager
    def slot(self, host: str, *, max_wait_s: float = 60.0) -> Iterator[None]:
        """Hold a slot for ``host`` for the ``with`` block; raise HostBusy after ``max_wait_s``."""
        start = time.monotonic()
        while True:
            token, wait = self.try_acquire(host)
            if token is not None:
                break
            waited = time.monotonic() - start
            if waited + wait > max_wait_s:
                raise HostBusy(host, waited)
            self._sleep.wait(wait)
        try:
            yield
        finally:
            self.release(host, token)
