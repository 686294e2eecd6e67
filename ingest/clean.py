"""Article cleaning: fetched HTML bytes in, the article's text and metadata out.

trafilatura does the extraction (never the fetching: it only ever sees a parsed tree). Around
it, this module

* decodes bytes robustly: the Content-Type charset, then a BOM or ``<meta charset>``, then
  charset detection (charset_normalizer), then UTF-8 with replacement;
* prunes "related article" paragraphs before extraction (a bold ``Label :`` followed by links),
  and drops related-link, share and source lines after it, in the languages the feeds carry;
* drops the headline when trafilatura repeats it as the first line (it is in ``title``);
* picks the publication date: the page's own when it has a time and an offset, else the
  feed's, else a partial page date; ``published_source`` records which won and
  ``published_reason`` which of those rules decided it (:data:`PublishedReason`);
* resolves ``<link rel=canonical>`` against the page URL.

Extraction options were chosen by measuring on the extraction evaluation set
(``bench/eval_clean.py``; figures in ``bench/RESULTS.md``): ``favor_precision`` without
comments scored best of trafilatura's option sets. "Nothing usable" is ``None``.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

import charset_normalizer
import trafilatura
from trafilatura.settings import Document
from trafilatura.utils import load_html

__all__ = [
    "EXTRACT_OPTIONS",
    "CleanArticle",
    "PublishedReason",
    "clean_html",
    "content_hash",
    "decode_html",
]

#: trafilatura.bare_extraction options, chosen by measurement (see module doc).
EXTRACT_OPTIONS: dict[str, Any] = {
    "favor_precision": True,
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
}
#: Fewer words than this is a menu or a headline, not an article.
MIN_WORDS = 10
#: trafilatura runs first without its fallback extractors (readability, jusText: ``fast``);
#: measured on the 62 extraction pages, that gives the same text as the full run on 61 of them
#: at ~70 % of the cost, and on the last it missed the article (22 words of 592). So a fast
#: result shorter than this is redone with the fallbacks (bench/RESULTS.md, Cleaning).
FAST_ENOUGH_WORDS = 150
#: Pages larger than this are cut before parsing (trafilatura's cost grows with tree size).
MAX_HTML_BYTES = 5 * 1024 * 1024

# lxml ships no type stubs here; trees are lxml.html.HtmlElement.
_Tree = Any

_WORD_RE = re.compile(r"\w+")
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_HEADER_CHARSET_RE = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_\-:.]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_RELATED_LABELS = (
    r"lire aussi|lire plus|à lire aussi|a lire aussi|voir aussi|à voir aussi|"
    r"read more|read also|also read|related(?: articles?| stories| news| content| coverage)?|"
    r"see also|more on this(?: story)?|recommended(?: reading)?|"
    r"lea también|lee también|ver también|leia também|leia mais|leggi anche|"
    r"lesen sie auch|mehr zum thema|"
    r"اقرأ أيضا|اقرأ أيضاً|اقرأ ايضا|إقرأ أيضا|إقرأ أيضاً|اقرأ المزيد|شاهد أيضا|"
    r"читайте также|ayrıca okuyun|بیشتر بخوانید"
)
_DROP_LINE_RE = re.compile(
    rf"^\s*(?:(?:{_RELATED_LABELS})\s*[:：\-–—»]"  # related-article link lines
    r"|(?:partager cet article|share this (?:article|story)|compartir (?:este )?artículo|"
    r"diesen artikel teilen|شارك(?: هذا)? المقال)\b"  # share widgets
    r"|source\s*:\s*\S.{0,60}$)",  # a short trailing "SOURCE: AGENCY" line
    re.IGNORECASE,
)

#: Why the publication date in ``published_at`` won, one code per branch of the rule in
#: :func:`clean_html` (stored beside ``published_source`` so a reader can audit the choice):
#:
#: * ``page_has_time_and_offset``: the page gave a date with a time and an offset (page wins);
#: * ``feed_over_partial_page_date``: the page's date lacked a time or an offset, the feed
#:   gave one (feed wins);
#: * ``feed_only``: the page gave no date at all, the feed did (feed wins);
#: * ``page_date_only``: the page gave only a partial date and the feed none (page wins).
#:
#: No date anywhere leaves both ``published_source`` and ``published_reason`` None.
PublishedReason = Literal[
    "page_has_time_and_offset", "feed_over_partial_page_date", "feed_only", "page_date_only"
]

_PUBLISHED_XPATH = (
    "//meta[@property='article:published_time' or @name='article:published_time'"
    " or @property='og:article:published_time' or @itemprop='datePublished'"
    " or @name='pubdate' or @name='publishdate' or @name='parsely-pub-date'"
    " or @name='sailthru.date' or @name='dc.date.issued' or @name='DC.date.issued']/@content"
    " | //time[@itemprop='datePublished']/@datetime"
)


@dataclass(frozen=True)
class CleanArticle:
    """An article's clean text and metadata; dates are ISO 8601 (with offset when known)."""

    text: str
    title: str | None
    author: str | None
    published_at: str | None
    published_source: Literal["page", "feed"] | None
    site_name: str | None
    canonical_url: str | None
    language_hint: str | None
    #: The page's main image (og:image / twitter:image / first article image), absolute.
    image_url: str | None = None
    #: Which rule made ``published_source`` win (see :data:`PublishedReason`).
    published_reason: PublishedReason | None = None


#: Longest author and site name kept: the articles table holds 512 characters, and a page that
#: declares more must not make the database refuse the whole article.
META_MAX_CHARS = 512


def _bounded(value: str | None) -> str | None:
    """Return ``value`` stripped and cut to :data:`META_MAX_CHARS`, or None when empty."""
    text = (value or "").strip()
    return text[:META_MAX_CHARS].rstrip() or None


# --------------------------------------------------------------------------- decoding


def _codec(name: str | bytes | None) -> str | None:
    """Return the Python codec name for a declared charset, or None if unknown."""
    if not name:
        return None
    text = name.decode("ascii", "ignore") if isinstance(name, bytes) else name
    try:
        return codecs.lookup(text.strip().lower()).name
    except LookupError:
        return None


def decode_html(html: bytes, content_type: str | None = None) -> str:
    """Return ``html`` decoded: header charset, BOM, meta charset, detection, then UTF-8."""
    candidates: list[str] = []
    for prefix, codec in _BOMS:
        if html.startswith(prefix):
            candidates.append(codec)
            break
    if content_type:
        match = _HEADER_CHARSET_RE.search(content_type)
        header = _codec(match.group(1)) if match else None
        if header:
            candidates.append(header)
    meta = _CHARSET_RE.search(html[:8192])
    declared = _codec(meta.group(1)) if meta else None
    if declared:
        candidates.append(declared)
    candidates.append("utf-8")
    for codec in candidates:
        try:
            return html.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    best = charset_normalizer.from_bytes(html[:200_000]).best()
    if best is not None and best.encoding:
        return html.decode(best.encoding, errors="replace")
    return html.decode("utf-8", errors="replace")


# --------------------------------------------------------------------------- page metadata


def _first(tree: _Tree, xpath: str) -> str | None:
    for value in tree.xpath(xpath):
        text = str(value).strip()
        if text:
            return text
    return None


def _canonical(tree: _Tree, url: str) -> str | None:
    """Return the page's ``<link rel=canonical>`` resolved against ``url`` (http/https only)."""
    href = _first(
        tree,
        "//link[contains(concat(' ', translate(@rel, 'CANOICL', 'canoicl'), ' '),"
        " ' canonical ')]/@href",
    )
    if href is None:
        return None
    resolved = urljoin(url, href)
    return resolved if urlsplit(resolved).scheme in ("http", "https") else None


def _absolute(href: str | None, url: str) -> str | None:
    """Return ``href`` resolved against ``url`` when it is an http(s) URL, else None."""
    if not href or not href.strip():
        return None
    resolved = urljoin(url, href.strip())
    return resolved if urlsplit(resolved).scheme in ("http", "https") else None


def _language_hint(tree: _Tree) -> str | None:
    lang = _first(
        tree, "/html/@lang | /html/@xml:lang | //meta[@http-equiv='content-language']/@content"
    )
    return lang.lower() if lang else None


def _json_ld_dates(tree: _Tree) -> list[str]:
    """Return every ``datePublished`` found in the page's JSON-LD blocks."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            value = node.get("datePublished")
            if isinstance(value, str):
                found.append(value)
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            walk(json.loads(str(script)))
        except ValueError:
            continue
    return found


def _parse_date(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def _page_dates(tree: _Tree) -> tuple[datetime | None, str | None]:
    """Return (the first page date with a time and an offset, the first partial one)."""
    partial: str | None = None
    values = [str(v) for v in tree.xpath(_PUBLISHED_XPATH)] + _json_ld_dates(tree)
    for value in values:
        when = _parse_date(value)
        if when is None:
            continue
        has_time = "T" in value or ":" in value
        if when.tzinfo is not None and has_time:
            return when, None
        if partial is None:
            partial = when.date().isoformat()
    return None, partial


# --------------------------------------------------------------------------- boilerplate


def _is_related_block(element: _Tree) -> bool:
    """True for a paragraph that is only a short bold ``Label :`` and links (related articles)."""
    links = element.xpath(".//a")
    if not links:
        return False
    text = " ".join(element.text_content().split())
    link_text = " ".join(" ".join(a.text_content().split()) for a in links)
    label = text
    for a in links:
        label = label.replace(" ".join(a.text_content().split()), "")
    label = label.strip()
    if not label or len(label) > 40 or not label.rstrip(" :：»").strip():
        return False
    return label.endswith((":", "：")) and len(link_text) >= 0.5 * len(text)


def _prune_related(tree: _Tree) -> None:
    for element in tree.xpath("//body//p | //body//li"):
        if _is_related_block(element):
            element.drop_tree()


def _drop_lines(text: str, title: str | None, known_lines: bool = True) -> str:
    """Return ``text`` without boilerplate lines and without a leading copy of the title.

    ``known_lines=False`` keeps the related/share/source lines (to measure what per-site
    learning finds without them).
    """
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not (known_lines and _DROP_LINE_RE.match(line))]
    if lines and title and " ".join(lines[0].split()) == " ".join(title.split()):
        lines = lines[1:]
    return "\n".join(lines)


# --------------------------------------------------------------------------- public API


def _extract(tree: _Tree, text: str, url: str, known_lines: bool) -> Document | None:
    """Return trafilatura's extraction of ``tree`` (fast, then full when that found little)."""
    doc = trafilatura.bare_extraction(
        tree, url=url, with_metadata=True, fast=True, **EXTRACT_OPTIONS
    )
    if isinstance(doc, Document) and len(_WORD_RE.findall(doc.text or "")) >= FAST_ENOUGH_WORDS:
        return doc
    # A fresh tree: the fast run may have pruned the one it was given.
    full_tree = load_html(text)
    if full_tree is None:
        return None
    if known_lines:
        _prune_related(full_tree)
    doc = trafilatura.bare_extraction(full_tree, url=url, with_metadata=True, **EXTRACT_OPTIONS)
    return doc if isinstance(doc, Document) and doc.text else None


def clean_html(
    html: bytes,
    *,
    url: str,
    content_type: str | None = None,
    feed_published: str | None = None,
    known_lines: bool = True,
) -> CleanArticle | None:
    """Return the CleanArticle extracted from the page ``html`` fetched from ``url``.

    Returns None when the page holds nothing usable (not HTML, or fewer than MIN_WORDS words
    of article text).
    ``feed_published`` (ISO 8601) is used when the page has no date with time and offset.
    ``known_lines=False`` keeps related-link, share and source lines and related blocks (only
    for measuring what :mod:`ingest.boilerplate` learns without them).
    """
    if not html.strip():
        return None
    text = decode_html(html[:MAX_HTML_BYTES], content_type)
    tree = load_html(text)
    if tree is None:
        return None
    canonical = _canonical(tree, url)
    language_hint = _language_hint(tree)
    page_when, page_partial = _page_dates(tree)
    if known_lines:
        _prune_related(tree)

    doc = _extract(tree, text, url, known_lines)
    if doc is None:
        return None
    title = (doc.title or "").strip() or None
    body = _drop_lines(str(doc.text), title, known_lines)
    if len(_WORD_RE.findall(body)) < MIN_WORDS:
        return None

    published_at: str | None
    source: Literal["page", "feed"] | None
    reason: PublishedReason | None
    page_partial = page_partial or (str(doc.date) if doc.date else None)
    if page_when is not None:
        published_at, source, reason = page_when.isoformat(), "page", "page_has_time_and_offset"
    elif feed_published:
        # The reason only names the branch taken: whether the page had a partial date it beat.
        reason = "feed_over_partial_page_date" if page_partial else "feed_only"
        published_at, source = feed_published, "feed"
    elif page_partial:
        published_at, source, reason = page_partial, "page", "page_date_only"
    else:
        published_at, source, reason = None, None, None

    return CleanArticle(
        text=body,
        title=title,
        author=_bounded(doc.author),
        published_at=published_at,
        published_source=source,
        published_reason=reason,
        site_name=_bounded(doc.sitename),
        canonical_url=canonical,
        language_hint=language_hint,
        image_url=_absolute(doc.image, url),
    )


def content_hash(text: str) -> str:
    """Return the sha256 hex of ``text`` normalised: NFKC, casefolded, no punctuation, one space.

    Two copies of an article that differ only in typography (quotes, dashes, spacing, case)
    hash the same.
    """
    norm = unicodedata.normalize("NFKC", text).casefold()
    norm = "".join(" " if unicodedata.category(c).startswith("P") else c for c in norm)
    norm = " ".join(norm.split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()
