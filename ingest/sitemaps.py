"""Google News sitemaps (``<urlset>`` with ``news:`` elements) as a feed source.

News sites that publish no RSS often publish a news sitemap listing the last two days of
articles with title, date and language. Parsed with lxml with entity expansion, DTD loading
and network access off (the document is untrusted), into the same
:class:`ingest.feeds.ParsedFeed` as RSS and Atom.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from lxml import etree

from ingest.feeds import FeedEntry, NotAFeed, ParsedFeed

__all__ = ["looks_like_sitemap", "parse_news_sitemap"]

_SM = "http://www.sitemaps.org/schemas/sitemap/0.9"
_NEWS = "http://www.google.com/schemas/sitemap-news/0.9"


def looks_like_sitemap(body: bytes) -> bool:
    """Return True when the first bytes of ``body`` hold a sitemap ``<urlset`` root."""
    head = body[:2048]
    return b"<urlset" in head and _SM.encode() in head


def _date(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def parse_news_sitemap(body: bytes, *, url: str) -> ParsedFeed:
    """Return the articles of a (news) sitemap as a ParsedFeed; raise NotAFeed otherwise."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise NotAFeed("unparseable", f"sitemap: {exc}") from exc
    if root is None or root.tag != f"{{{_SM}}}urlset":
        raise NotAFeed("unparseable", "not a sitemap <urlset>")
    entries = []
    languages = set()
    for node in root.iterfind(f"{{{_SM}}}url"):
        loc = (node.findtext(f"{{{_SM}}}loc") or "").strip()
        link = urljoin(url, loc) if loc else None
        if link and urlsplit(link).scheme not in ("http", "https"):
            link = None
        news = node.find(f"{{{_NEWS}}}news")
        title = raw_date = language = None
        if news is not None:
            title = (news.findtext(f"{{{_NEWS}}}title") or "").strip() or None
            raw_date = (news.findtext(f"{{{_NEWS}}}publication_date") or "").strip() or None
            lang = news.findtext(f"{{{_NEWS}}}publication/{{{_NEWS}}}language")
            language = lang.strip().lower() if lang and lang.strip() else None
        raw_date = raw_date or (node.findtext(f"{{{_SM}}}lastmod") or "").strip() or None
        if language:
            languages.add(language)
        entries.append(
            FeedEntry(
                guid=loc or None,
                url=link,
                title=title,
                summary=None,
                published=_date(raw_date),
                published_raw=raw_date,
                language=language,
            )
        )
    return ParsedFeed(
        title=None,
        site_url=None,
        language=languages.pop() if len(languages) == 1 else None,
        entries=tuple(entries),
        ttl_minutes=None,
        malformed=None,
    )
