"""parse_feed on inline RSS 2.0 / Atom / RSS 1.0 samples and on feedparser's own test feeds."""

from __future__ import annotations

import collections
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest.feeds import MAX_FEED_BYTES, NotAFeed, parse_feed

FEED_URL = "https://news.example.org/section/feed.xml"

RSS2 = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
<channel>
  <title>Exemple Infos</title>
  <link>/section/</link>
  <language>fr-FR</language>
  <ttl>15</ttl>
  <item>
    <title>Attaque contre un convoi</title>
    <link>/articles/1.html?utm_source=rss</link>
    <guid isPermaLink="false">tag:example.org,2024:1</guid>
    <description>&lt;p&gt;Trois bombes &lt;script&gt;alert(1)&lt;/script&gt;ont explosé.&lt;/p&gt;
    </description>
    <pubDate>Tue, 16 Jul 2024 21:40:00 +0330</pubDate>
  </item>
  <item>
    <title>Sans date</title>
    <link>https://other.example.net/2.html</link>
  </item>
</channel>
</rss>""".encode()

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en" xml:base="https://atom.example.com/blog/">
  <title>Atom Example</title>
  <link rel="alternate" href="https://atom.example.com/"/>
  <id>urn:uuid:feed</id>
  <updated>2024-07-16T18:10:00Z</updated>
  <entry>
    <title>Drone strike reported</title>
    <link rel="alternate" href="posts/drone.html"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <updated>2024-07-16T18:10:00+02:00</updated>
    <published>2024-07-16T17:00:00+02:00</published>
    <summary>Two drones hit the base.</summary>
  </entry>
</feed>"""

RSS1 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="http://rdf.example.com/">
    <title>RDF Example</title>
    <link>http://rdf.example.com/</link>
    <dc:language>ar</dc:language>
  </channel>
  <item rdf:about="http://rdf.example.com/a1">
    <title>Item one</title>
    <link>http://rdf.example.com/a1</link>
    <dc:date>2024-01-02T03:04:05-05:00</dc:date>
  </item>
</rdf:RDF>"""

HTML_PAGE = b"""<!DOCTYPE html>
<html lang="en"><head><title>Home - Example</title>
<link rel="alternate" type="application/rss+xml" href="/feed.xml"></head>
<body><h1>Welcome</h1><p>Not a feed.</p></body></html>"""


def test_rss2_fields() -> None:
    feed = parse_feed(RSS2, url=FEED_URL, headers={"Content-Type": "application/rss+xml"})
    assert feed.title == "Exemple Infos"
    assert feed.site_url == "https://news.example.org/section/"
    assert feed.language == "fr-fr"
    assert feed.ttl_minutes == 15
    assert feed.malformed is None
    first, second = feed.entries
    assert first.guid == "tag:example.org,2024:1"
    assert first.url == "https://news.example.org/articles/1.html?utm_source=rss"
    assert first.title == "Attaque contre un convoi"
    assert first.summary is not None
    assert "Trois bombes" in first.summary
    assert "script" not in first.summary  # sanitized
    assert first.published == datetime(2024, 7, 16, 18, 10, tzinfo=UTC)
    assert first.published_raw == "Tue, 16 Jul 2024 21:40:00 +0330"
    assert first.language == "fr-fr"
    assert second.guid is None
    assert second.url == "https://other.example.net/2.html"
    assert second.published is None and second.published_raw is None


def test_atom_fields_and_xml_base() -> None:
    feed = parse_feed(ATOM, url="https://atom.example.com/feed")
    assert feed.title == "Atom Example"
    assert feed.site_url == "https://atom.example.com/"
    (entry,) = feed.entries
    assert entry.url == "https://atom.example.com/blog/posts/drone.html"
    assert entry.guid == "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"
    assert entry.published == datetime(2024, 7, 16, 15, 0, tzinfo=UTC)
    assert entry.published_raw == "2024-07-16T17:00:00+02:00"
    assert entry.language == "en"
    assert entry.summary == "Two drones hit the base."


def test_rss1_fields() -> None:
    feed = parse_feed(RSS1, url="http://rdf.example.com/index.rdf")
    assert feed.title == "RDF Example"
    assert feed.language == "ar"
    (entry,) = feed.entries
    assert entry.url == "http://rdf.example.com/a1"
    assert entry.published == datetime(2024, 1, 2, 8, 4, 5, tzinfo=UTC)
    assert entry.language == "ar"


def test_relative_entry_link_resolved_against_feed_url() -> None:
    body = b'<rss version="2.0"><channel><item><link>a/b.html</link></item></channel></rss>'
    feed = parse_feed(body, url="https://x.example/feeds/main.xml")
    assert feed.entries[0].url == "https://x.example/feeds/a/b.html"


def test_non_http_entry_link_dropped() -> None:
    body = (
        b'<rss version="2.0"><channel><item><link>javascript:alert(1)</link></item></channel></rss>'
    )
    assert parse_feed(body, url=FEED_URL).entries[0].url is None


def test_malformed_feed_still_usable() -> None:
    body = b'<rss version="2.0"><channel><title>T &nbsp; x</title><item><title>A & B</title>'
    feed = parse_feed(body, url=FEED_URL)
    assert feed.malformed is not None
    assert feed.entries[0].title is not None


@pytest.mark.parametrize("headers", [None, {"content-type": "text/html; charset=utf-8"}])
def test_html_page_is_not_a_feed(headers: dict[str, str] | None) -> None:
    with pytest.raises(NotAFeed) as info:
        parse_feed(HTML_PAGE, url="https://x.example/", headers=headers)
    assert info.value.reason == "html_page"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t ", "empty"),
        (b"\x00\x01\x02binary\xff\xfe", "unparseable"),
        (b'{"version": "https://jsonfeed.org/version/1"}', "unparseable"),
        # A body that names a local file must never be read as one.
        (b"/etc/hostname", "unparseable"),
    ],
)
def test_unusable_bodies(body: bytes, reason: str) -> None:
    with pytest.raises(NotAFeed) as info:
        parse_feed(body, url=FEED_URL)
    assert info.value.reason == reason


def test_oversized_body_refused_before_parsing() -> None:
    item = b"<item><title>x</title></item>"
    body = b'<rss version="2.0"><channel>' + item * (MAX_FEED_BYTES // len(item) + 1)
    with pytest.raises(NotAFeed) as info:
        parse_feed(body, url=FEED_URL)
    assert info.value.reason == "too_large"


# ---------------------------------------------------------------- feedparser's own test feeds


def _tests_dir(shared_dir: Path) -> Path:
    root = shared_dir / "eval" / "feeds" / "feedparser-tests"
    if not root.is_dir():
        pytest.skip("feedparser-tests not available")
    return root


def test_sample_files(shared_dir: Path) -> None:
    root = _tests_dir(shared_dir)
    url = "http://example.com/feed.xml"

    guid = parse_feed((root / "wellformed/rss/item_guid.xml").read_bytes(), url=url)
    assert guid.entries[0].guid == "http://guid.example.com/"

    issued = parse_feed(
        (root / "wellformed/rss/item_dcterms_issued_parsed.xml").read_bytes(), url=url
    )
    assert issued.entries[0].published == datetime(2003, 12, 31, 10, 14, 55, tzinfo=UTC)

    lang = parse_feed((root / "wellformed/lang/channel_language.xml").read_bytes(), url=url)
    assert lang.language == "en-us"

    ttl = parse_feed((root / "wellformed/rss/channel_ttl.xml").read_bytes(), url=url)
    assert ttl.ttl_minutes == 60

    big5 = parse_feed((root / "encoding/big5.xml").read_bytes(), url=url)
    assert big5.malformed is None

    with pytest.raises(NotAFeed):
        parse_feed((root / "illformed/rss_empty_document.xml").read_bytes(), url=url)


def test_whole_feedparser_suite_never_crashes(shared_dir: Path) -> None:
    root = _tests_dir(shared_dir)
    counts: collections.Counter[str] = collections.Counter()
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name == "LICENSE":
            continue
        try:
            feed = parse_feed(path.read_bytes(), url="http://example.com/feed.xml")
        except NotAFeed:
            counts["not_a_feed"] += 1
        else:
            counts["malformed" if feed.malformed else "parsed"] += 1
    total = sum(counts.values())
    assert total > 2000
    # Nearly all of feedparser's tests are feeds (ill-formed ones included).
    assert counts["not_a_feed"] < total * 0.02
    assert counts["parsed"] > counts["malformed"]
