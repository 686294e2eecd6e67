"""A capital named by its country: "the Somali capital", "Somalia's capital", "la capitale du
Mali", "العاصمة الأوكرانية" are the city, in every language."""

from __future__ import annotations

import pytest

from workers.eventcoding import extract_events, gazetteer

PUB = "2026-11-30T12:00:00+00:00"  # a Monday


@pytest.mark.parametrize(
    ("language", "text", "city"),
    [
        (
            "en",
            "Russian drones attacked the Ukrainian capital overnight, killing two people.",
            "Kyiv",
        ),
        ("en", "A suicide bomber killed nine people in Somalia's capital on Friday.", "Mogadishu"),
        (
            "en",
            "A suicide bomber killed nine people in the capital of Somalia on Friday.",
            "Mogadishu",
        ),
        ("en", "Gunmen killed five people in the Malian capital on Friday.", "Bamako"),
        (
            "fr",
            "Des drones russes ont frappé la capitale ukrainienne vendredi, tuant deux personnes.",
            "Kyiv",
        ),
        ("fr", "Un kamikaze a tué neuf personnes vendredi dans la capitale du Mali.", "Bamako"),
        (
            "es",
            "Un atacante suicida mató a nueve personas el viernes en la capital somalí.",
            "Mogadishu",
        ),
        (
            "es",
            "Un atacante suicida mató a nueve personas el viernes en la capital de Somalia.",
            "Mogadishu",
        ),
        ("ar", "قتل شخصان في هجوم بمسيرات روسية على العاصمة الأوكرانية يوم الجمعة.", "Kyiv"),
        ("ar", "قتل تسعة أشخاص في هجوم انتحاري في عاصمة الصومال يوم الجمعة.", "Mogadishu"),
    ],
)
def test_a_capital_named_by_its_country_is_the_city(language: str, text: str, city: str) -> None:
    [m] = extract_events(text, language=language, published_at=PUB)
    assert (m.place.name, m.place.geo_precision) == (city, 1)


def test_capital_markets_are_no_capital() -> None:
    # Still right: "Iran's capital markets" is no place; the act's town stands.
    [m] = extract_events(
        "Iran's capital markets fell after a bomb in Isfahan killed two people on Friday.",
        language="en",
        published_at=PUB,
    )
    assert m.place.name == "Isfahan"


def test_every_capital_of_the_snapshot_is_a_town_of_its_country() -> None:
    capitals = gazetteer.capital_of()
    assert capitals["SO"].name == "Mogadishu" and capitals["CO"].name == "Bogotá"
    assert all(e.kind == "town" and e.country == code for code, e in capitals.items())
