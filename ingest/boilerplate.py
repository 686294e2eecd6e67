"""Per-site boilerplate learned from the site's own articles, in Redis.

trafilatura and the line filters of :mod:`ingest.clean` know boilerplate in general; a site's
own (a photo caption pasted into every article, "Follow us on Telegram", an agency credit)
shows itself by repeating. For each host, this module counts in how many recent articles each
short paragraph occurs, and drops from an article the paragraphs that occur in a large share
of the host's articles.

Counting is by fingerprint (NFKC, case-folded, letters and digits only, every number as ``0``:
"Photo du 12 mars" and "Photo du 3 avril" are one paragraph) over a sliding window of two
generations of :data:`WINDOW` articles each, so memory per host is bounded and a site's new
template is learned within a window. Observing an article is idempotent per article key
within the window (a re-run job or a reprocess counts once), and observe-and-query is one Lua
script, so concurrent workers see consistent counts.

Only paragraphs of at most :data:`MAX_WORDS` words are candidates: the long background
paragraph a site repeats in every article of a running story is content, a caption is not.
Nothing is dropped for a host until :data:`MIN_ARTICLES` of its articles have been seen.
Boilerplate is never most of an article: when the learned paragraphs would take more than
:data:`MAX_DROPPED_SHARE` of its words, the article is a copy of one the site already published
(the same story under another URL teaches the counts its own paragraphs), and it is kept whole.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast
from urllib.parse import urlsplit

import redis

__all__ = ["BoilerplateStore", "Stripped", "fingerprint", "host_of"]

WINDOW = 500
MAX_WORDS = 60
MIN_ARTICLES = 10
MIN_REPEATS = 5
MIN_SHARE = 0.3
MAX_DROPPED_SHARE = 1 / 3

_WORD_RE = re.compile(r"\w+")
_DIGIT_RE = re.compile(r"\d+")

# KEYS: 1 seen (current), 2 seen (previous), 3 counts (current), 4 counts (previous), 5 sizes
# ARGV: 1 article key, 2 window, 3.. fingerprints (distinct)
# Returns {articles in the window, count of each fingerprint in ARGV[3..]}.
_LUA = """
local key = ARGV[1]
local fresh = redis.call('SISMEMBER', KEYS[2], key) == 0 and redis.call('SADD', KEYS[1], key) == 1
if fresh then
  local n = redis.call('HINCRBY', KEYS[5], 'cur', 1)
  for i = 3, #ARGV do redis.call('HINCRBY', KEYS[3], ARGV[i], 1) end
  if n >= tonumber(ARGV[2]) then
    redis.call('DEL', KEYS[2], KEYS[4])
    if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('RENAME', KEYS[1], KEYS[2]) end
    if redis.call('EXISTS', KEYS[3]) == 1 then redis.call('RENAME', KEYS[3], KEYS[4]) end
    redis.call('HSET', KEYS[5], 'prev', n, 'cur', 0)
  end
end
local sizes = redis.call('HMGET', KEYS[5], 'cur', 'prev')
local out = {(tonumber(sizes[1]) or 0) + (tonumber(sizes[2]) or 0)}
for i = 3, #ARGV do
  local a = tonumber(redis.call('HGET', KEYS[3], ARGV[i])) or 0
  local b = tonumber(redis.call('HGET', KEYS[4], ARGV[i])) or 0
  out[#out + 1] = a + b
end
return out
"""


def fingerprint(paragraph: str) -> str | None:
    """Return the fingerprint of a candidate paragraph, or None if it is too long or empty."""
    words = _WORD_RE.findall(unicodedata.normalize("NFKC", paragraph).casefold())
    if not words or len(words) > MAX_WORDS:
        return None
    norm = _DIGIT_RE.sub("0", " ".join(words))
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=8).hexdigest()


def host_of(url: str) -> str:
    """Return the host whose boilerplate applies to ``url`` (lower case, without ``www.``)."""
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


@dataclass(frozen=True)
class Stripped:
    """An article's text without its site's boilerplate, and the paragraphs dropped."""

    text: str
    dropped: tuple[str, ...]


class BoilerplateStore:
    """Paragraph frequencies per host in Redis, shared by every worker."""

    def __init__(
        self,
        conn: redis.Redis,
        *,
        prefix: str = "newswire:boiler",
        window: int = WINDOW,
        min_articles: int = MIN_ARTICLES,
        min_repeats: int = MIN_REPEATS,
        min_share: float = MIN_SHARE,
    ) -> None:
        if window < 1 or min_articles < 1 or min_repeats < 1 or not 0.0 < min_share <= 1.0:
            raise ValueError("window, min_articles, min_repeats >= 1 and 0 < min_share <= 1")
        self._conn = conn
        self._prefix = prefix
        self._window = window
        self._min_articles = min_articles
        self._min_repeats = min_repeats
        self._min_share = min_share
        self._script = conn.register_script(_LUA)

    def _keys(self, host: str) -> list[str]:
        base = f"{self._prefix}:{{{host}}}"
        return [f"{base}:{name}" for name in ("seen", "seen0", "n", "n0", "size")]

    def observe(self, host: str, article_key: str, paragraphs: Sequence[str]) -> list[bool]:
        """Count ``paragraphs`` for ``host`` (once per article key); return which are boilerplate.

        The answer is one flag per paragraph, in order.
        """
        prints = [fingerprint(p) for p in paragraphs]
        distinct = sorted({fp for fp in prints if fp is not None})
        raw = cast(
            list[int],
            self._script(keys=self._keys(host), args=[article_key, self._window, *distinct]),
        )
        articles = int(raw[0])
        if articles < self._min_articles:
            return [False] * len(paragraphs)
        need = max(self._min_repeats, self._min_share * articles)
        counts = dict(zip(distinct, (int(c) for c in raw[1:]), strict=True))
        return [fp is not None and counts[fp] >= need for fp in prints]

    def strip(self, url: str, article_key: str, text: str) -> Stripped:
        """Learn from ``text`` (one paragraph a line) and return it without boilerplate."""
        paragraphs = [line for line in text.splitlines() if line.strip()]
        flags = self.observe(host_of(url), article_key, paragraphs)
        words = [len(_WORD_RE.findall(p)) for p in paragraphs]
        dropped_words = sum(w for w, drop in zip(words, flags, strict=True) if drop)
        if dropped_words > MAX_DROPPED_SHARE * sum(words):
            flags = [False] * len(paragraphs)  # a copy of an article seen, not boilerplate
        kept = [p for p, drop in zip(paragraphs, flags, strict=True) if not drop]
        dropped = tuple(p for p, drop in zip(paragraphs, flags, strict=True) if drop)
        return Stripped("\n".join(kept), dropped)
