"""When to check a feed next: its publishing rate, the server's hints, failures, jitter.

Pure functions, so every rule is testable without a clock or a network:

* a feed's *publishing gap* (seconds between new items) is smoothed over checks; the check
  interval is half of it (so an item waits on average a quarter of the gap), bounded by the
  configured minimum and maximum;
* a quiet feed slows down: the time since its last new item counts as a lower bound of the gap;
* the server's own hints are floors: RSS ``<ttl>``, ``Cache-Control: max-age`` and ``Expires``
  (a server that says "nothing new for an hour" is believed, up to the maximum interval), and
  ``Retry-After`` on 429/503;
* failures back off exponentially from the minimum to the maximum, and never stop;
* a ±10 % jitter spreads feeds that were added together.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = [
    "Bounds",
    "backoff_interval",
    "gap_from_dates",
    "jittered",
    "server_floor",
    "success_interval",
    "update_gap",
]

_MAX_AGE = re.compile(r"(?:^|[,\s])(s-maxage|max-age)\s*=\s*\"?(\d+)", re.IGNORECASE)
_SMOOTHING = 0.3


@dataclass(frozen=True, slots=True)
class Bounds:
    """The configured interval limits, in seconds."""

    default_s: float = 900.0
    min_s: float = 60.0
    max_s: float = 86400.0

    def clamp(self, seconds: float) -> float:
        """Return ``seconds`` within [min_s, max_s]."""
        return min(max(seconds, self.min_s), self.max_s)


def gap_from_dates(dates: Sequence[datetime]) -> float | None:
    """Return the mean seconds between the given publication dates, None with fewer than 2."""
    ordered = sorted(d for d in dates if d is not None)
    if len(ordered) < 2:
        return None
    span = (ordered[-1] - ordered[0]).total_seconds()
    return span / (len(ordered) - 1) if span > 0 else None


def update_gap(
    previous: float | None,
    *,
    new_items: int,
    since_last_new_s: float | None,
    dates_gap_s: float | None,
) -> float | None:
    """Return the smoothed publishing gap after a check that found ``new_items`` new items.

    ``since_last_new_s`` is the time since the previous new item; ``dates_gap_s`` the gap the
    feed's own item dates suggest (used when there is no history yet).
    """
    if previous is None:
        if dates_gap_s is not None:
            return dates_gap_s
        if new_items and since_last_new_s:
            return since_last_new_s / new_items
        return None
    if new_items and since_last_new_s:
        observed = since_last_new_s / new_items
        return (1 - _SMOOTHING) * previous + _SMOOTHING * observed
    return previous


def server_floor(
    headers: Mapping[str, str], ttl_minutes: int | None, now: datetime | None = None
) -> float:
    """Return the seconds the server asked us to wait before the next check (0 if none)."""
    floor = float(ttl_minutes * 60) if ttl_minutes else 0.0
    cache = headers.get("cache-control") or ""
    if "no-store" in cache.lower() or "no-cache" in cache.lower():
        return floor
    match = _MAX_AGE.search(cache)
    if match:
        return max(floor, float(match.group(2)))
    expires = headers.get("expires")
    if expires:
        try:
            when = parsedate_to_datetime(expires)
        except (TypeError, ValueError, IndexError):
            return floor
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        floor = max(floor, (when - (now or datetime.now(UTC))).total_seconds())
    return floor


def success_interval(
    bounds: Bounds,
    *,
    gap_s: float | None,
    since_last_new_s: float | None,
    floor_s: float = 0.0,
) -> float:
    """Return the interval (before jitter) after a successful check."""
    if gap_s is None:
        base = bounds.default_s
    else:
        # A feed silent for longer than its usual gap is probably slowing down.
        gap = max(gap_s, since_last_new_s or 0.0)
        base = gap / 2
    return min(max(bounds.clamp(base), floor_s), bounds.max_s)


def backoff_interval(bounds: Bounds, errors: int, retry_after_s: float | None = None) -> float:
    """Return the interval (before jitter) after the ``errors``-th failure in a row."""
    base = bounds.clamp(bounds.min_s * 2 ** min(max(errors - 1, 0), 20))
    if retry_after_s:
        base = max(base, min(retry_after_s, bounds.max_s))
    return base


def jittered(seconds: float, rng: random.Random | None = None) -> float:
    """Return ``seconds`` ±10 %."""
    return seconds * (rng or random).uniform(0.9, 1.1)
