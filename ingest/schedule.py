"""The shared feed schedule: a Redis sorted set of feed ids scored by next-due time.

Any number of pollers on any number of machines take work from it with :meth:`claim`, one
Lua script that picks the feeds due now and, in the same atomic step, pushes their score to
the end of a lease. A claimed feed therefore is not due for anyone else until its poller
reports back with :meth:`reschedule`, or until the lease runs out (a poller that died): the
feed then simply becomes due again. The lease is longer than a check can last (the fetch has
a total deadline), so no feed is polled by two pollers at once.

The database stays the source of truth for each feed's state and next-check time;
:meth:`sync` (re)loads the set from it, so losing Redis loses nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

import redis

__all__ = ["FeedSchedule"]

# KEYS[1] due zset, KEYS[2] lease zset; ARGV: now, lease_until, limit. Returns
# [id, score, id, score...] of the claimed feeds with their *original* due scores (for lag).
_CLAIM = """
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0,
                       tonumber(ARGV[3]))
for i = 1, #due, 2 do
  redis.call('ZADD', KEYS[1], 'XX', ARGV[2], due[i])
  redis.call('ZADD', KEYS[2], ARGV[2], due[i])
end
return due
"""

# Claim the given ids whatever their due time (a forced round), skipping any held under a
# live lease. KEYS as above; ARGV: now, lease_until, ids... Returns the ids claimed.
_CLAIM_IDS = """
local got = {}
for i = 3, #ARGV do
  local held = redis.call('ZSCORE', KEYS[2], ARGV[i])
  if (not held) or tonumber(held) <= tonumber(ARGV[1]) then
    redis.call('ZADD', KEYS[1], ARGV[2], ARGV[i])
    redis.call('ZADD', KEYS[2], ARGV[2], ARGV[i])
    got[#got + 1] = ARGV[i]
  end
end
return got
"""

# KEYS as above; ARGV: feed id, lease score, next due. Only the holder of the lease
# reschedules; a feed deleted meanwhile (no score) stays deleted.
_RESCHEDULE = """
local held = redis.call('ZSCORE', KEYS[2], ARGV[1])
if held and tonumber(held) == tonumber(ARGV[2]) then
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('ZADD', KEYS[1], 'XX', ARGV[3], ARGV[1])
  return 1
end
return 0
"""


class FeedSchedule:
    """Claim, reschedule and sync feeds in the shared Redis schedule."""

    def __init__(self, conn: redis.Redis, *, prefix: str = "newswire:schedule:") -> None:
        self.redis = conn
        self.key = f"{prefix}due"
        self.leases = f"{prefix}leases"
        self._claim = conn.register_script(_CLAIM)
        self._claim_ids = conn.register_script(_CLAIM_IDS)
        self._reschedule = conn.register_script(_RESCHEDULE)

    def claim(self, now: float, *, limit: int, lease_s: float) -> list[tuple[int, float, float]]:
        """Atomically take up to ``limit`` feeds due at ``now`` (epoch seconds).

        Returns ``(feed_id, due_at, lease_score)`` triples; pass ``lease_score`` back to
        :meth:`reschedule`.
        """
        lease = round(now + lease_s, 6)
        raw = self._claim(keys=[self.key, self.leases], args=[repr(now), repr(lease), limit])
        out = []
        for i in range(0, len(raw), 2):
            out.append((int(raw[i]), float(raw[i + 1]), lease))
        return out

    def claim_ids(
        self, ids: Iterable[int], now: float, *, lease_s: float
    ) -> list[tuple[int, float]]:
        """Take the feeds ``ids`` whatever their due time, skipping those another poller holds.

        Returns ``(feed_id, lease_score)`` pairs for the feeds taken.
        """
        lease = round(now + lease_s, 6)
        got = self._claim_ids(keys=[self.key, self.leases], args=[repr(now), repr(lease), *ids])
        return [(int(i), lease) for i in got]

    def reschedule(self, feed_id: int, lease_score: float, next_due: float) -> bool:
        """Set the next due time of a feed we hold; return False if the lease was lost."""
        return bool(
            self._reschedule(
                keys=[self.key, self.leases], args=[feed_id, repr(lease_score), repr(next_due)]
            )
        )

    def reschedule_many(self, items: Iterable[tuple[int, float, float]]) -> None:
        """Reschedule ``(feed_id, lease_score, next_due)`` items in one round trip."""
        pipe = self.redis.pipeline(transaction=False)
        for feed_id, lease, nxt in items:
            self._reschedule(
                keys=[self.key, self.leases], args=[feed_id, repr(lease), repr(nxt)], client=pipe
            )
        pipe.execute()

    def sync(self, feeds: Iterable[tuple[int, float]], *, overwrite: bool = False) -> int:
        """Make the set hold exactly ``feeds`` (``(id, due epoch)`` from the database).

        Feeds already scheduled keep their score (it may be a live lease) unless
        ``overwrite``; feeds no longer in the database are removed. Returns how many were
        added.
        """
        wanted = {fid: due for fid, due in feeds}
        members = cast(list[bytes], self.redis.zrange(self.key, 0, -1))
        present = {int(m) for m in members}
        gone = present - wanted.keys()
        if gone:
            self.redis.zrem(self.key, *gone)
            self.redis.zrem(self.leases, *gone)
        missing = {fid: due for fid, due in wanted.items() if overwrite or fid not in present}
        added = 0
        items = list(missing.items())
        for start in range(0, len(items), 5000):
            chunk: dict[Any, float] = {str(fid): due for fid, due in items[start : start + 5000]}
            added += int(self.redis.zadd(self.key, chunk, nx=not overwrite) or 0)
        return added

    def add(self, feed_id: int, due: float) -> None:
        """Schedule one feed (e.g. just added or rediscovered) at ``due``."""
        self.redis.zadd(self.key, {str(feed_id): due})

    def next_due(self) -> float | None:
        """Return the earliest due time in the set (epoch seconds), None when empty."""
        first = self.redis.zrange(self.key, 0, 0, withscores=True)
        return float(first[0][1]) if first else None

    def size(self) -> int:
        """Return how many feeds are scheduled."""
        return int(self.redis.zcard(self.key))
