"""Event exports: ACLED CSV, PLOVER JSON lines and GeoJSON, from a real migrated database
filled by the real extractor and store, and through the real CLI."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ingest.db import make_engine, session_factory, transaction
from newswire.export import (
    ACLED_FIELDS,
    ARTICLE_FIELDS,
    article_records,
    event_records,
    write_acled_csv,
    write_geojson,
    write_plover_jsonl,
)
from schemas.messages import ArticleMessage, EntryMessage, decode_article
from workers.eventcoding import extract_events
from workers.fetch import article_from_response
from workers.store import store_article

PUB = "2021-01-02T10:30:00+03:00"
TEXTS = {
    "a1": "Two suicide drones struck US troops at Ain al-Asad air base on Thursday.",
    "a2": "Gunmen shot dead four farmers in Tikrit yesterday.\n"
    "Thousands of protesters rallied in Beirut on Friday against the government.",
}


def _fill(url: str) -> None:
    engine = make_engine(url)
    try:
        for key, text in TEXTS.items():
            mentions = extract_events(text, language="en", published_at=PUB)
            msg = ArticleMessage(
                article_key=key,
                url=f"https://news.example.org/{key}.html",
                feed_url="https://news.example.org/feed",
                trace_id=key,
                canonical_url=f"https://news.example.org/{key}.html",
                title=key,
                text=text,
                fetched_at="2021-01-02T10:00:00+00:00",
                content_hash=key * 4,
                published_at=PUB,
                language="en",
                language_confidence=0.99,
                events_coded=True,
                mentions=tuple(mentions),
            )
            with transaction(session_factory(engine)) as s:
                store_article(s, msg)
    finally:
        engine.dispose()


def _records(url: str) -> list[dict[str, Any]]:
    engine = make_engine(url)
    try:
        with session_factory(engine)() as s:
            return list(event_records(s))
    finally:
        engine.dispose()


def test_acled_csv_follows_acled_conventions(database_url: str) -> None:
    _fill(database_url)
    records = _records(database_url)
    out = io.StringIO()
    assert write_acled_csv(iter(records), out) == len(records) == 3
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == ACLED_FIELDS
    by_type = {r["sub_event_type"]: r for r in rows}
    drone = by_type["Air/drone strike"]
    assert drone["event_id_cnty"].startswith("IRQ")
    assert (drone["country"], drone["iso"], drone["region"]) == ("Iraq", "368", "Middle East")
    assert drone["disorder_type"] == "Political violence"
    assert (drone["event_date"], drone["year"], drone["time_precision"]) == (
        "2020-12-31",
        "2020",
        "1",
    )
    # The text names no attacker: ACLED's convention, never a guess at who.
    assert drone["actor1"] == "Unidentified Armed Group (Iraq)"
    # A state's forces outside their own country are ACLED's external forces (8).
    assert (drone["actor2"], drone["inter2"], drone["interaction"]) == ("US forces", "8", "38")
    assert drone["geo_precision"] == "1" and float(drone["latitude"]) == 33.8
    assert drone["source"] == "news.example.org"
    assert drone["tags"] == "drones=2"
    attack = by_type["Attack"]
    assert attack["civilian_targeting"] == "Civilian targeting"
    # Violence against civilians: ACLED's second actor is the civilians, named or not.
    assert (attack["actor2"], attack["inter2"], attack["interaction"]) == (
        "Civilians (Iraq)",
        "7",
        "37",
    )
    assert attack["fatalities"] == "4"
    protest = by_type["Peaceful protest"]
    assert (protest["disorder_type"], protest["actor1"], protest["inter1"]) == (
        "Demonstrations",
        "Protesters (Lebanon)",
        "6",
    )
    assert protest["fatalities"] == "0"  # ACLED writes 0 when none are reported


def test_plover_and_geojson(database_url: str) -> None:
    _fill(database_url)
    records = _records(database_url)
    out = io.StringIO()
    assert write_plover_jsonl(iter(records), out) == 3
    plover = [json.loads(line) for line in out.getvalue().splitlines()]
    drone = next(p for p in plover if p["mode"] == "drone")
    assert (drone["event"], drone["recipient"], drone["actor"]) == ("ASSAULT", "US forces", None)
    assert drone["location"]["admin1"] == "IQ-AN"
    assert drone["text"] == [TEXTS["a1"]]
    geo_out = io.StringIO()
    assert write_geojson(iter(records), geo_out) == 3
    geo = json.loads(geo_out.getvalue())
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 3
    point = next(f for f in geo["features"] if f["properties"]["location"].startswith("Ain"))
    assert point["geometry"] == {"type": "Point", "coordinates": [42.44, 33.8]}
    assert point["properties"]["num_mentions"] == 1
    assert "mentions" not in point["properties"]


def _cli(tmp_path: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWIRE_")}
    env.update(NEWSWIRE_DATA_DIR=str(tmp_path), NEWSWIRE_DATABASE_URL=url)
    return subprocess.run(
        [sys.executable, "-m", "newswire", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_cli_formats(tmp_path: Path, database_url: str) -> None:
    _fill(database_url)
    acled = _cli(tmp_path, database_url, "export", "events", "--format", "acled-csv")
    assert acled.returncode == 0, acled.stderr
    assert acled.stdout.splitlines()[0] == ",".join(ACLED_FIELDS)
    assert len(acled.stdout.splitlines()) == 4
    geo = _cli(tmp_path, database_url, "export", "events", "--format", "geojson")
    assert len(json.loads(geo.stdout)["features"]) == 3
    plover = _cli(tmp_path, database_url, "export", "events", "--format", "plover-jsonl")
    assert len(plover.stdout.splitlines()) == 3
    wrong = _cli(tmp_path, database_url, "export", "articles", "--format", "geojson")
    assert wrong.returncode == 2 and "for events" in wrong.stderr
    assert "Traceback" not in wrong.stderr


# ------------------------------------------------------------------ article metadata

PAGE_URL = "https://news.example.org/2024/07/16/convoy.html"
PAGE = (
    b"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
    b"<title>Convoy attacked near the base</title>"
    b"<meta name='author' content='Jane Doe'>"
    b"<meta property='og:site_name' content='Example News'>"
    b"<meta property='og:image' content='/img/convoy.jpg'>"
    b"<meta property='article:published_time' content='2024-07-16'>"
    b"</head><body><article><h1>Convoy attacked near the base</h1>"
    b"<p>Three roadside bombs exploded on Thursday as a logistics convoy crossed the province,"
    b" according to security officials who spoke to reporters in the capital.</p>"
    b"<p>The convoy was carrying supplies for foreign troops stationed at the air base, and"
    b" several vehicles were set on fire by the blasts, witnesses said on Friday morning.</p>"
    b"</article></body></html>"
)


def _store_page(url: str) -> None:
    """Clean PAGE as the fetch stage does, send it through a queue's JSON, and store it."""
    entry = EntryMessage(
        article_key="meta1",
        url=PAGE_URL,
        feed_url="https://news.example.org/feed",
        entry_key="e1",
        trace_id="t1",
        published_at="2024-07-16T18:00:00+00:00",
    )
    msg = article_from_response(
        entry,
        url=PAGE_URL,
        status=200,
        headers={"content-type": "text/html; charset=utf-8"},
        body=PAGE,
        fetched_at=datetime(2024, 7, 16, 19, tzinfo=UTC),
    )
    assert isinstance(msg, ArticleMessage)
    msg = decode_article(json.loads(json.dumps(msg.to_dict())))
    engine = make_engine(url)
    try:
        with transaction(session_factory(engine)) as s:
            store_article(s, msg)
    finally:
        engine.dispose()


#: What the page above must end as in every article record: its og:image made absolute, and
#: the feed's date, because the page's has no time (and the record says so).
PAGE_METADATA = {
    "title": "Convoy attacked near the base",
    "author": "Jane Doe",
    "site_name": "Example News",
    "image_url": "https://news.example.org/img/convoy.jpg",
    "published_at": "2024-07-16T18:00:00+00:00",
    "published_source": "feed",
    "published_reason": "feed_over_partial_page_date",
}


def test_page_metadata_reaches_the_article_export(tmp_path: Path, database_url: str) -> None:
    _store_page(database_url)
    engine = make_engine(database_url)
    try:
        with session_factory(engine)() as s:
            (record,) = list(article_records(s))
    finally:
        engine.dispose()
    assert list(record) == ARTICLE_FIELDS
    assert {k: record[k] for k in PAGE_METADATA} == PAGE_METADATA
    assert record["canonical_url"] == PAGE_URL

    jsonl = _cli(tmp_path, database_url, "export", "articles", "--format", "jsonl")
    assert jsonl.returncode == 0, jsonl.stderr
    (line,) = jsonl.stdout.splitlines()
    assert json.loads(line) == record
    csv_out = _cli(tmp_path, database_url, "export", "articles", "--format", "csv")
    assert csv_out.returncode == 0, csv_out.stderr
    (row,) = list(csv.DictReader(io.StringIO(csv_out.stdout)))
    assert list(row) == ARTICLE_FIELDS
    assert {k: row[k] for k in PAGE_METADATA} == PAGE_METADATA
