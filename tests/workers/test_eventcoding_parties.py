"""Kidnappings, arrests, deals and takeovers are events only between organised parties."""

from __future__ import annotations

import pytest

from workers.eventcoding import extract_events

PUB = "2021-01-02T10:30:00+03:00"


def types(text: str, language: str = "en") -> list[str]:
    return [m.sub_event_type for m in extract_events(text, language=language, published_at=PUB)]


@pytest.mark.parametrize(
    "text",
    [
        "The man who kidnapped the child in Fort Worth on Friday was sentenced to life.",
        "Jose Mourinho has agreed a deal to replace Mauricio Pochettino in London on Tuesday.",
        "Assange was accused of rape by a woman in Stockholm in 2010.",
    ],
)
def test_crime_and_business_without_an_organised_party_are_not_events(text: str) -> None:
    assert types(text) == []


@pytest.mark.parametrize(
    ("text", "sub_type"),
    [
        (
            "Rebels kidnapped two aid workers near Goma on Friday.",
            "Abduction/forced disappearance",
        ),
        ("Police arrested twelve people in Lahore on Friday.", "Arrests"),
        (
            "Rebel groups and pro-government forces agreed a ceasefire in Daraa on Friday.",
            "Agreement",
        ),
    ],
)
def test_a_generic_party_makes_them_political(text: str, sub_type: str) -> None:
    assert types(text) == [sub_type]


def test_other_political_violence_in_the_article_is_context_enough() -> None:
    text = (
        "A car bomb exploded in Kabul on Friday, killing five people. "
        "Two suspects were arrested in Kabul on Friday."
    )
    assert types(text) == ["Remote explosive/landmine/IED", "Arrests"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Armed men abducted 30 students from a school in Kaduna on Thursday.", "en"),
        ("Bandits kidnapped 20 passengers near Zamfara on Thursday.", "en"),
        ("Des bandits armés ont enlevé trente élèves à Kaduna jeudi.", "fr"),
        ("Un grupo armado secuestró a 30 estudiantes en Kaduna el jueves.", "es"),
    ],
)
def test_armed_men_and_bandits_are_an_organised_party(text: str, language: str) -> None:
    # Nigeria's bandits and "armed men" are ACLED's unidentified armed groups: their
    # kidnappings are events (the attacker stays unknown).
    found = extract_events(text, language=language, published_at=PUB)
    assert [m.sub_event_type for m in found] == ["Abduction/forced disappearance"]
    assert found[0].actors == ()
    assert types("A man kidnapped his neighbour in Kaduna on Thursday.") == []


def test_the_rule_holds_in_french() -> None:
    assert types("Un homme a enlevé sa voisine à Lyon vendredi.", "fr") == []
    assert types("Des hommes armés ont enlevé deux humanitaires à Goma vendredi.", "fr") == [
        "Abduction/forced disappearance"
    ]


@pytest.mark.parametrize(
    ("text", "language", "sub_type"),
    [
        (
            "Des hommes armés de l'EI ont attaqué mardi un poste de l'armée irakienne près de "
            "Tikrit.",
            "fr",
            "Armed clash",
        ),
        ("Islamic State militants attacked a village near Tikrit on Tuesday.", "en", "Attack"),
    ],
)
def test_an_armed_group_named_making_a_dated_attack_is_an_event(
    text: str, language: str, sub_type: str
) -> None:
    # ACLED's default for an attack of unknown weapon: a clash against forces, else an attack
    # on civilians. Undated ("has attacked many villages") it is a comment, not an event.
    assert types(text, language) == [sub_type]
    assert types("Islamic State has attacked many villages near Tikrit.") == []
