"""Feed discovery: which feeds a web site offers.

First the page's own ``<link rel="alternate">`` declarations (RSS, Atom, JSON Feed), then,
when it declares none, the common paths sites use (``/feed``, ``/rss.xml``, news sitemaps...),
each kept only if it really parses as a feed. Every request goes through the safe fetcher.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from ingest.feeds import NotAFeed
from ingest.formats import parse_source, source_kind
from ingest.safehttp import FetchError, FetchResult

__all__ = ["COMMON_PATHS", "DiscoveredFeed", "discover", "feed_links"]

FEED_TYPES = {
    "application/rss+xml": "rss",
    "application/atom+xml": "atom",
    "application/feed+json": "json",
    "application/json": "json",
    "application/rdf+xml": "rss",
    "text/xml": "rss",
    "application/xml": "rss",
}
COMMON_PATHS = (
    "/feed",
    "/feed/",
    "/rss",
    "/rss.xml",
    "/feed.xml",
    "/atom.xml",
    "/index.xml",
    "/feed.json",
    "/feeds/posts/default",
    "/news-sitemap.xml",
    "/sitemap_news.xml",
)

Fetcher = Callable[[str], FetchResult]


@dataclass(frozen=True, slots=True)
class DiscoveredFeed:
    """A feed found on a site: its URL, declared title and how it was found."""

    url: str
    title: str | None
    kind: str  # "rss" | "atom" | "json" | "sitemap" | "feed"
    found_by: str  # "link" | "path" | "self"


def feed_links(html: bytes, base_url: str) -> list[DiscoveredFeed]:
    """Return the feeds an HTML page declares with ``<link rel="alternate" type=...>``."""
    try:
        doc = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    found: list[DiscoveredFeed] = []
    seen: set[str] = set()
    base_el = doc.find(".//base[@href]")
    base = base_el.get("href") if base_el is not None else None
    for link in doc.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        ctype = (link.get("type") or "").split(";")[0].strip().lower()
        href = (link.get("href") or "").strip()
        if "alternate" not in rels or ctype not in FEED_TYPES or not href:
            continue
        url = urljoin(base or base_url, href)
        if urlsplit(url).scheme not in ("http", "https") or url in seen:
            continue
        seen.add(url)
        found.append(DiscoveredFeed(url, link.get("title"), FEED_TYPES[ctype], "link"))
    return found


def _kind(res: FetchResult) -> str | None:
    """Return the kind of feed ``res`` holds, None when it is not a usable feed."""
    try:
        parsed = parse_source(res.body, url=res.url, headers=res.headers)
    except NotAFeed:
        return None
    if not (parsed.entries or parsed.title):
        return None
    return source_kind(res.body)


def discover(
    site_url: str, fetcher: Fetcher, *, paths: Sequence[str] = COMMON_PATHS
) -> list[DiscoveredFeed]:
    """Return the feeds offered by ``site_url`` (which may itself be a feed).

    ``fetcher`` GETs one URL (the safe fetcher with the caller's limits). Raises FetchError
    only when the site page itself cannot be fetched; failing candidate paths are skipped.
    """
    res = fetcher(site_url)
    kind = _kind(res)
    if kind is not None:
        return [DiscoveredFeed(res.url, None, kind, "self")]
    declared = feed_links(res.body, res.url)
    if declared:
        return declared
    found: list[DiscoveredFeed] = []
    seen: set[str] = set()
    for path in paths:
        candidate = urljoin(res.url, path)
        try:
            got = fetcher(candidate)
        except FetchError:
            continue
        kind = _kind(got)
        if kind is not None and got.url not in seen:
            seen.add(got.url)
            found.append(DiscoveredFeed(got.url, None, kind, "path"))
    return found
