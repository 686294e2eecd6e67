"""The towns snapshot: what the builder writes from GeoNames, and which names it keeps."""

from __future__ import annotations

import json
import re

import pytest

from workers.eventcoding import extract_events
from workers.eventcoding.towns_build import DATA, build


@pytest.fixture(scope="module")
def towns() -> dict[str, dict[str, object]]:
    snapshot = json.loads((DATA / "towns.json").read_text("utf-8"))
    return {f"{t['country']} {t['name']}": t for t in snapshot["towns"]}


def test_the_committed_snapshot_is_what_the_builder_writes() -> None:
    # Hand edits would be lost at the next rebuild: the data is the builder's output.
    assert build() == json.loads((DATA / "towns.json").read_text("utf-8"))


def test_a_conflict_country_lists_its_towns_of_15000(towns: dict[str, dict[str, object]]) -> None:
    djibo = towns["BF Djibo"]
    assert (djibo["admin1"], "minor" in djibo) == ("BF-12", False)
    # Outside the region and the conflict countries, only cities of 100,000.
    assert "FR Vitré" not in towns and "FR Rennes" in towns


def test_a_conflict_country_town_keeps_its_latin_spellings_only(
    towns: dict[str, dict[str, object]],
) -> None:
    aliases = towns["ML Timbuktu"]["aliases"]
    assert isinstance(aliases, list)
    assert "Tombouctou" in aliases and "tang pu tu" not in aliases
    # GeoNames gives Uman "Human" too: the same first letter or nothing.
    uman = towns["UA Uman"]["aliases"]
    assert isinstance(uman, list) and "Human" not in uman


@pytest.mark.parametrize(
    ("lang", "text", "place"),
    [
        ("fr", "Des soldats burkinabè ont été tués dans une embuscade à Djibo lundi.", "Djibo"),
        ("en", "Two suicide bombers blew themselves up in Dikwa, Borno State, on Monday.", "Dikwa"),
        ("en", "Human Rights Watch said gunmen killed 12 villagers in Kenya on Monday.", "Kenya"),
    ],
)
def test_towns_of_the_conflict_countries_place_acts(lang: str, text: str, place: str) -> None:
    found = extract_events(text, language=lang, published_at="2026-11-20T10:00:00+00:00")
    assert [m.place.name for m in found] == [place]


def test_no_romanised_alternate_names(towns: dict[str, dict[str, object]]) -> None:
    # GeoNames' lower-case alternates are romanisations of other scripts ("sana la" for
    # Sơn La), no spelling of our languages; an Arabic article may open a real one.
    lower = [
        a
        for t in towns.values()
        for a in t["aliases"]  # type: ignore[attr-defined]
        if a != t["name"]  # GeoNames' own name stands ("eMbalenhle")
        and a[:1].islower()
        and re.match(r"(?:al|el|an|ad|ar|as|ash|at|az|ath)-", a) is None
    ]
    assert lower[:5] == []
    assert "al-Quds as-Sarif" in towns["IL Jerusalem"]["aliases"]  # type: ignore[operator]
