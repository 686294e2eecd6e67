"""Identity of feed entries and articles: canonical URLs and the keys derived from them.

``canonical_url`` is courlan's non-strict normalisation (lower-case scheme and host, default
port dropped, tracking parameters such as ``utm_*``, ``fbclid``, ``gclid`` removed, query
parameters sorted) plus what courlan leaves: the fragment is dropped and an empty path
becomes ``/``. Meaningful query parameters (``?id=42``) are kept, because on many news sites
they are the article.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit, urlunsplit

import courlan

from ingest.feeds import FeedEntry

__all__ = ["InvalidArticleURL", "article_key", "canonical_url", "entry_key"]


class InvalidArticleURL(ValueError):
    """The URL cannot identify an article (not http/https, no host, unparsable)."""


def canonical_url(url: str) -> str:
    """Return the canonical form of the http(s) ``url``; raise InvalidArticleURL otherwise."""
    text = url.strip()
    try:
        parts = urlsplit(text)
    except ValueError as exc:
        raise InvalidArticleURL(f"unparsable URL: {url!r}") from exc
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InvalidArticleURL(f"not an http(s) URL with a host: {url!r}")
    try:
        normalised = courlan.normalize_url(text, strict=False)
    except (ValueError, AttributeError) as exc:  # courlan raises these on odd ports/hosts
        raise InvalidArticleURL(f"cannot normalise URL: {url!r}") from exc
    out = urlsplit(normalised)
    return urlunsplit((out.scheme, out.netloc, out.path or "/", out.query, ""))


def _digest(*parts: str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        # Length-prefixed so ("ab", "c") and ("a", "bc") differ.
        data = part.encode("utf-8")
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


def entry_key(feed_url: str, entry: FeedEntry) -> str:
    """Return a stable id (64 hex chars) for ``entry`` within the feed at ``feed_url``.

    The GUID when the feed gives one, else the entry's canonical URL, else a hash of title,
    summary and raw published date; the kind of source is part of the hash so the three never
    collide.
    """
    if entry.guid:
        return _digest(feed_url, "guid", entry.guid.strip())
    if entry.url:
        try:
            return _digest(feed_url, "url", canonical_url(entry.url))
        except InvalidArticleURL:
            pass
    return _digest(
        feed_url,
        "content",
        (entry.title or "").strip(),
        (entry.summary or "").strip(),
        (entry.published_raw or "").strip(),
    )


def article_key(canonical: str) -> str:
    """Return the global article id for a canonical URL: the first 32 hex chars of its sha256."""
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]
