"""Event exports: ACLED CSV, PLOVER JSON lines and GeoJSON, from a real migrated database
filled by the real extractor and store, and through the real CLI."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from ingest.db import make_engine, session_factory, transaction
from newswire.export import (
    ACLED_FIELDS,
    event_records,
    write_acled_csv,
    write_geojson,
    write_plover_jsonl,
)
from schemas.messages import ArticleMessage
from workers.eventcoding import extract_events
from workers.store import store_article

PUB = "2021-01-02T10:30:00+03:00"
TEXTS = {
    "a1": "Two suicide drones struck Ain al-Asad air base on Thursday.",
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
    assert drone["geo_precision"] == "1" and float(drone["latitude"]) == 33.8
    assert drone["source"] == "news.example.org"
    assert drone["tags"] == "drones=2"
    attack = by_type["Attack"]
    assert attack["civilian_targeting"] == "Civilian targeting"
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
    assert (drone["event"], drone["recipient"], drone["actor"]) == ("ASSAULT", None, None)
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
