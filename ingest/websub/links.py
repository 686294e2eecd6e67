"""Which WebSub hub and topic a fetched feed advertises.

WebSub §4: a topic's hubs and its canonical ("self") URL come from HTTP ``Link`` headers
when the response has them, else from the document's own links (Atom ``<link>``, RSS
``<atom:link>``, JSON Feed ``hubs``/``feed_url``, gathered by the parsers into
:class:`ingest.feeds.ParsedFeed`). Without a self URL the URL the feed was fetched from is
the topic. Of several hubs the first is used: one subscription per feed is enough for speed,
and polling covers a hub that fails.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from ingest.feeds import MAX_HUBS, ParsedFeed

__all__ = ["HubLink", "hub_link", "parse_link_header"]

#: Longer Link headers are cut before parsing (a hostile header costs bounded work).
MAX_LINK_HEADER_CHARS = 16 * 1024
#: Hub and topic URLs longer than the table holds are not used.
MAX_URL_CHARS = 2048


@dataclass(frozen=True, slots=True)
class HubLink:
    """A feed's WebSub hub and the topic URL to subscribe to there."""

    hub_url: str
    topic_url: str


def _split_outside(text: str, sep: str) -> Iterator[str]:
    """Yield the parts of ``text`` between ``sep`` characters outside quotes and ``<...>``."""
    start = 0
    quoted = bracketed = escaped = False
    for i, ch in enumerate(text):
        if escaped:
            escaped = False
        elif quoted:
            escaped = ch == "\\"
            quoted = ch != '"'
        elif ch == '"':
            quoted = True
        elif ch == "<":
            bracketed = True
        elif ch == ">":
            bracketed = False
        elif ch == sep and not bracketed:
            yield text[start:i]
            start = i + 1
    yield text[start:]


def parse_link_header(value: str) -> list[tuple[str, frozenset[str]]]:
    """Return ``(target, relations)`` for each link in an HTTP ``Link`` header (RFC 8288).

    Targets are returned as written (possibly relative); relation types are lower-cased.
    Malformed link-values are skipped.
    """
    links: list[tuple[str, frozenset[str]]] = []
    for part in _split_outside(value[:MAX_LINK_HEADER_CHARS], ","):
        target, closed, params = part.strip().partition(">")
        if not closed or not target.startswith("<"):
            continue
        rels: set[str] = set()
        for param in _split_outside(params, ";"):
            name, eq, raw = param.partition("=")
            if eq and name.strip().lower() == "rel":
                rels.update(raw.strip().strip('"').lower().split())
        links.append((target[1:].strip(), frozenset(rels)))
    return links


def _usable(url: str | None, base: str) -> str | None:
    """Return ``url`` resolved against ``base`` when it makes a usable http(s) URL, else None."""
    if not url:
        return None
    resolved = urljoin(base, url)
    parts = urlsplit(resolved)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return resolved if len(resolved) <= MAX_URL_CHARS else None


def hub_link(parsed: ParsedFeed, headers: Mapping[str, str], fetched_url: str) -> HubLink | None:
    """Return the hub and topic the fetched feed advertises; None when it names no hub.

    ``headers`` are the response's lower-cased headers; ``fetched_url`` the final URL.
    """
    header_hubs: list[str] = []
    header_self = None
    for target, rels in parse_link_header(headers.get("link", "")):
        url = _usable(target, fetched_url)
        if url is None:
            continue
        if "hub" in rels and len(header_hubs) < MAX_HUBS:
            header_hubs.append(url)
        if "self" in rels and header_self is None:
            header_self = url
    if header_hubs:
        hubs, self_url = header_hubs, header_self
    else:
        hubs, self_url = list(parsed.hubs), parsed.self_url
    hub = next((u for u in (_usable(h, fetched_url) for h in hubs) if u is not None), None)
    if hub is None:
        return None
    topic = _usable(self_url, fetched_url) or _usable(fetched_url, fetched_url)
    return HubLink(hub, topic) if topic is not None else None
