"""One entry point for every source format: RSS/Atom (feedparser), JSON Feed, news sitemaps.

The format is told from the body, not the Content-Type (servers label feeds wrongly all the
time): a JSON object is a JSON Feed, a sitemap ``<urlset>`` a news sitemap, anything else
goes to feedparser.
"""

from __future__ import annotations

from collections.abc import Mapping

from ingest.feeds import ParsedFeed, parse_feed
from ingest.jsonfeed import looks_like_json, parse_json_feed
from ingest.sitemaps import looks_like_sitemap, parse_news_sitemap

__all__ = ["parse_source", "source_kind"]


def source_kind(body: bytes) -> str:
    """Return ``"json"``, ``"sitemap"`` or ``"feed"`` (RSS/Atom/other XML) for ``body``."""
    if looks_like_json(body):
        return "json"
    if looks_like_sitemap(body):
        return "sitemap"
    return "feed"


def parse_source(body: bytes, *, url: str, headers: Mapping[str, str] | None = None) -> ParsedFeed:
    """Parse ``body`` in whichever format it is; return the ParsedFeed.

    Raises :class:`ingest.feeds.NotAFeed` (with its reason) when nothing usable is there.
    """
    kind = source_kind(body)
    if kind == "json":
        return parse_json_feed(body, url=url)
    if kind == "sitemap":
        return parse_news_sitemap(body, url=url)
    return parse_feed(body, url=url, headers=headers)
