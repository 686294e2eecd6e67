"""Table tests for canonical URLs, entry keys and article keys."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from ingest.feeds import FeedEntry
from ingest.identity import InvalidArticleURL, article_key, canonical_url, entry_key


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTP://Example.COM/News/1", "http://example.com/News/1"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com", "https://example.com/"),
        (
            "https://example.com/a?utm_source=rss&utm_medium=feed&utm_campaign=x",
            "https://example.com/a",
        ),
        ("https://example.com/a?fbclid=IwAR0abc", "https://example.com/a"),
        ("https://example.com/a?gclid=Cj0K&id=42", "https://example.com/a?id=42"),
        ("https://example.com/article.php?id=42", "https://example.com/article.php?id=42"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
        ("  https://example.com/a  ", "https://example.com/a"),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_canonical_url_is_idempotent() -> None:
    once = canonical_url("HTTPS://WWW.Example.com:443/x/?utm_term=a&page=2#top")
    assert canonical_url(once) == once


@pytest.mark.parametrize(
    "url", ["ftp://example.com/a", "mailto:a@example.com", "/relative/path", "", "http://"]
)
def test_canonical_url_refuses_non_article_urls(url: str) -> None:
    with pytest.raises(InvalidArticleURL):
        canonical_url(url)


ENTRY = FeedEntry(
    guid="tag:example.org,2024:1",
    url="https://example.org/a?utm_source=rss",
    title="Title",
    summary="Summary",
    published=datetime(2024, 7, 16, tzinfo=UTC),
    published_raw="Tue, 16 Jul 2024 00:00:00 GMT",
    language="fr",
)
FEED = "https://example.org/feed.xml"


def test_entry_key_shape_and_stability() -> None:
    key = entry_key(FEED, ENTRY)
    assert re.fullmatch(r"[0-9a-f]{1,64}", key)
    assert key == entry_key(FEED, replace(ENTRY))
    assert key != entry_key("https://other.org/feed.xml", ENTRY)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        # GUID wins: a changed title or URL keeps the key.
        (ENTRY, replace(ENTRY, title="Edited", url="https://example.org/b"), True),
        (ENTRY, replace(ENTRY, guid="tag:example.org,2024:2"), False),
        # Without GUID: the canonical URL, so tracking noise does not matter.
        (
            replace(ENTRY, guid=None),
            replace(ENTRY, guid=None, url="https://EXAMPLE.org/a#x", title="Edited"),
            True,
        ),
        (replace(ENTRY, guid=None), replace(ENTRY, guid=None, url="https://example.org/b"), False),
        # Neither: title + summary + date.
        (replace(ENTRY, guid=None, url=None), replace(ENTRY, guid=None, url=None), True),
        (
            replace(ENTRY, guid=None, url=None),
            replace(ENTRY, guid=None, url=None, summary="Other"),
            False,
        ),
        # A GUID equal to a URL does not collide with a URL-keyed entry.
        (
            replace(ENTRY, guid="https://example.org/a", url=None),
            replace(ENTRY, guid=None, url="https://example.org/a"),
            False,
        ),
    ],
)
def test_entry_key_table(a: FeedEntry, b: FeedEntry, same: bool) -> None:
    assert (entry_key(FEED, a) == entry_key(FEED, b)) is same


def test_entry_key_with_unusable_url_falls_back_to_content() -> None:
    bad = replace(ENTRY, guid=None, url="javascript:void(0)")
    assert entry_key(FEED, bad) == entry_key(FEED, replace(bad, url=None))


def test_article_key() -> None:
    canonical = canonical_url("https://example.com/a?utm_source=x")
    key = article_key(canonical)
    assert re.fullmatch(r"[0-9a-f]{32}", key)
    assert key == hashlib.sha256(b"https://example.com/a").hexdigest()[:32]
    assert key != article_key("https://example.com/b")
