"""The sample articles: every required gold event is found, and precision holds."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pycountry
import pytest

from workers.eventcoding import extract_events, merge_mentions, same_event
from workers.eventcoding.gazetteer import index
from workers.eventcoding.lexicon import lexicon

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture()
def corpus(shared_dir: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    base = shared_dir / "corpus" / "presstv-fr"
    texts = [json.loads(x) for x in (base / "gold_text.jsonl").read_text("utf-8").splitlines() if x]
    return texts, json.loads((base / "gold_events.json").read_text("utf-8"))


def test_required_events_found_with_precision(
    corpus: tuple[list[dict[str, Any]], dict[str, Any]],
) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    import eval_events

    texts, gold = corpus
    records, _ = eval_events._records_direct(texts)
    for art in {g["article"] for g in gold["events"]}:
        found = [r for r in records if any(m["article_id"] == art for m in r["mentions"])]
        golds = [g for g in gold["events"] if g["article"] == art]
        for g in golds:
            if g["required"]:
                assert any(eval_events.matches(r, g) for r in found), g["id"]
        judged = [
            r
            for r in found
            if not any(eval_events.matches(r, g) for g in golds if not g["required"])
            or any(eval_events.matches(r, g) for g in golds if g["required"])
        ]
        good = [r for r in judged if any(eval_events.matches(r, g) for g in golds if g["required"])]
        assert len(good) >= 0.9 * len(judged)


def test_evidence_offsets_and_counts(corpus: tuple[list[dict[str, Any]], dict[str, Any]]) -> None:
    texts, _ = corpus
    for art in texts:
        for m in extract_events(art["text"], language="fr", published_at=art["published"]):
            assert art["text"][m.start : m.end] == m.sentence
            assert 0.0 <= m.confidence <= 1.0
    a000 = extract_events(texts[0]["text"], language="fr", published_at=texts[0]["published"])
    bombs = next(m for m in a000 if m.counts.get("roadside_bombs") == 3)
    assert [a.name for a in bombs.actors if a.role == "actor"] == ["Ashab al-Kahf"]
    assert bombs.place.admin1_code == "IQ-SD"
    country = next(m for m in a000 if m.counts.get("convoys") == 3)
    assert (country.place.country_code, country.place.admin1_code, country.event_date) == (
        "IQ",
        None,
        "2020-12-30",
    )


def test_soleimani_killing_merges_across_articles(
    corpus: tuple[list[dict[str, Any]], dict[str, Any]],
) -> None:
    texts, _ = corpus
    per_article = [
        [
            m
            for m in extract_events(a["text"], language="fr", published_at=a["published"])
            if any(x.name == "Qassem Soleimani" for x in m.actors)
            and m.event_date.startswith("2020")
        ]
        for a in texts
    ]
    assert all(per_article)
    assert any(same_event(a, b) for a in per_article[0] for b in per_article[1])
    groups = merge_mentions([m for ms in per_article for m in ms])
    assert len(groups) == 1


def test_data_files_are_consistent() -> None:
    table = index()
    codes = {s.code for s in pycountry.subdivisions.get(country_code="IQ")}  # type: ignore[no-untyped-call]
    iraq = {
        e.admin1_code
        for entries in table.values()
        for e in entries
        if e.kind == "province" and e.country == "IQ"
    }
    assert iraq <= codes and len(iraq) == 19  # 18 governorates and the Kurdistan Region
    # Elsewhere the provinces are ISO 3166-2's own, in English, French and Spanish.
    assert {"AF-HEL", "SD-DN", "NG-BO", "CH-GR"} <= {
        e.admin1_code for entries in table.values() for e in entries if e.kind == "province"
    }
    for name, code in [
        ("bagdad", "IQ-BG"),
        ("salaheddine", "IQ-SD"),
        ("salah al din", "IQ-SD"),
        ("babel", "IQ-BB"),
        ("babil", "IQ-BB"),
        ("anbar", "IQ-AN"),
        ("al anbar", "IQ-AN"),
    ]:
        assert code in {e.admin1_code for e in table[name]}, name
    for lang in ("fr", "en"):
        assert lexicon(lang).triggers
