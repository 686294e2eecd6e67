"""Feed registry: URL checks, OPML import/export including hostile OPML."""

from __future__ import annotations

import pytest

from ingest.db import make_engine, session_factory, transaction
from ingest.feedstore import FeedInputError, add_feeds, export_opml, list_feeds, parse_opml

OPML = b"""<?xml version="1.0"?>
<opml version="2.0"><head><title>t</title></head><body>
<outline text="news"><outline type="rss" text="A" title="Feed A" xmlUrl="https://a.example/rss"/>
<outline type="rss" text="B" xmlUrl="https://b.example/atom.xml"/></outline>
<outline text="no url here"/>
</body></opml>"""


def test_add_reports_each_url(database_url: str) -> None:
    engine = make_engine(database_url)
    with transaction(session_factory(engine)) as s:
        results = add_feeds(s, ["https://a.example/rss", "ftp://x/y", "https://a.example/rss"])
    assert [r.status for r in results] == ["added", "invalid", "exists"]
    assert "not an http(s) URL" in (results[1].reason or "")
    engine.dispose()


def test_opml_round_trip(database_url: str) -> None:
    listed = parse_opml(OPML)
    assert listed == [("https://a.example/rss", "Feed A"), ("https://b.example/atom.xml", "B")]
    engine = make_engine(database_url)
    with transaction(session_factory(engine)) as s:
        add_feeds(s, [u for u, _ in listed], titles=dict(listed))
    with session_factory(engine)() as s:
        again = parse_opml(export_opml(list_feeds(s)))
    assert [u for u, _ in again] == [u for u, _ in listed]
    engine.dispose()


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"<opml><body><outline", "not well-formed XML"),
        (b"<rss version='2.0'/>", "not an OPML document"),
        (b"<opml><body><outline text='x'/></body></opml>", "lists no feeds"),
        (b"", "not well-formed XML"),
    ],
)
def test_broken_opml_is_refused_with_a_reason(data: bytes, fragment: str) -> None:
    with pytest.raises(FeedInputError) as info:
        parse_opml(data)
    assert fragment in str(info.value)


def test_opml_entities_are_not_expanded() -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
        b'<!ENTITY ext SYSTEM "file:///etc/passwd">]>'
        b"<opml><head><title>&c;&ext;</title></head>"
        b'<body><outline title="x" xmlUrl="https://a.example/rss"/></body></opml>'
    )
    assert parse_opml(laughs) == [("https://a.example/rss", "x")]


def test_opml_external_entity_in_an_attribute_is_refused() -> None:
    doc = (
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY ext SYSTEM "file:///etc/passwd">]>'
        b'<opml><body><outline title="&ext;" xmlUrl="https://a.example/rss"/></body></opml>'
    )
    with pytest.raises(FeedInputError, match="external entity"):
        parse_opml(doc)
