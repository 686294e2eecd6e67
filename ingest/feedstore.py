"""The feeds registry: adding, listing, OPML import/export.

Feed URLs come from users and OPML files: each is checked (http or https, a host) and
normalised before it is stored; a bad one is reported with its reason and the rest proceed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.tables import Feed


class FeedInputError(ValueError):
    """A feed URL or an OPML document newswire cannot use; the message says why."""


@dataclass(frozen=True, slots=True)
class AddResult:
    """What happened to one URL given to :func:`add_feeds`."""

    url: str
    status: str  # "added" | "exists" | "invalid"
    reason: str | None = None


def check_feed_url(url: str) -> str:
    """Return ``url`` stripped and checked; raise FeedInputError if it is not a usable URL."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FeedInputError(f"{url!r}: not an http(s) URL")
    if not parts.hostname:
        raise FeedInputError(f"{url!r}: no host name")
    try:
        _ = parts.port
    except ValueError as exc:
        raise FeedInputError(f"{url!r}: bad port") from exc
    return url


def add_feeds(
    session: Session,
    urls: Iterable[str],
    *,
    titles: dict[str, str] | None = None,
    language_hint: str | None = None,
) -> list[AddResult]:
    """Add each URL not yet registered; return one result per URL, in order."""
    results: list[AddResult] = []
    now = datetime.now(UTC)
    for raw in urls:
        try:
            url = check_feed_url(raw)
        except FeedInputError as exc:
            results.append(AddResult(raw, "invalid", str(exc)))
            continue
        if session.scalar(select(Feed.id).where(Feed.url == url)) is not None:
            results.append(AddResult(url, "exists"))
            continue
        session.add(
            Feed(
                url=url,
                title=(titles or {}).get(raw),
                language_hint=language_hint,
                next_check_at=now,
                health="new",
                error_count=0,
                entries_seen=0,
                created_at=now,
            )
        )
        session.flush()
        results.append(AddResult(url, "added"))
    return results


def parse_opml(data: bytes) -> list[tuple[str, str | None]]:
    """Return ``(xmlUrl, title)`` for every feed outline in an OPML document.

    Raises FeedInputError for a document that is not well-formed OPML. Entities are not
    expanded and nothing is fetched (an OPML file is untrusted input too).
    """
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise FeedInputError(f"not well-formed XML: {exc}") from exc
    if root is None or etree.QName(root).localname.lower() != "opml":
        raise FeedInputError("not an OPML document (root element is not <opml>)")
    feeds: list[tuple[str, str | None]] = []
    for outline in root.iter("{*}outline", "outline"):
        url = outline.get("xmlUrl") or outline.get("xmlurl")
        if url:
            feeds.append((url.strip(), outline.get("title") or outline.get("text")))
    if not feeds:
        raise FeedInputError("the OPML document lists no feeds (no outline with xmlUrl)")
    return feeds


def export_opml(feeds: Sequence[Feed]) -> bytes:
    """Return an OPML 2.0 document listing ``feeds``."""
    opml = etree.Element("opml", version="2.0")
    head = etree.SubElement(opml, "head")
    etree.SubElement(head, "title").text = "newswire feeds"
    body = etree.SubElement(opml, "body")
    for feed in feeds:
        attrs: dict[str, Any] = {"type": "rss", "xmlUrl": feed.url, "text": feed.title or feed.url}
        if feed.title:
            attrs["title"] = feed.title
        if feed.site_url:
            attrs["htmlUrl"] = feed.site_url
        etree.SubElement(body, "outline", {k: str(v) for k, v in attrs.items()})
    out: bytes = etree.tostring(opml, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return out


def list_feeds(session: Session) -> list[Feed]:
    """Return every registered feed, oldest first."""
    return list(session.scalars(select(Feed).order_by(Feed.id)))
