"""same_event and merge_mentions: the GUIDELINES merge rule."""

from __future__ import annotations

from dataclasses import replace

import pytest

from schemas.events import Actor, EventMention, Place
from workers.eventcoding import merge_mentions, same_event

BAGHDAD = Place("Baghdad", "IQ", "IQ-BG", "Baghdad", 33.34, 44.40, 1)
GREEN_ZONE = Place("Green Zone, Baghdad", "IQ", "IQ-BG", "Baghdad", 33.31, 44.39, 1)
YUSUFIYA = Place("al-Yusufiya", "IQ", "IQ-BG", "Baghdad", 33.08, 44.23, 1)
BAGHDAD_PROVINCE = Place("Baghdad", "IQ", "IQ-BG", "Baghdad", 33.34, 44.40, 3)
ANBAR = Place("al-Anbar", "IQ", "IQ-AN", "al-Anbar", 33.42, 43.30, 3)
IRAQ = Place("Iraq", "IQ", None, None, None, None, 3)
SOLEIMANI = Actor("Qassem Soleimani", "target", "person")

BASE = EventMention(
    event_type="Explosions/Remote violence",
    sub_event_type="Shelling/artillery/missile attack",
    plover_event="ASSAULT",
    plover_mode="heavy-weapons",
    event_date="2020-12-20",
    date_precision="day",
    date_text="le 20 décembre",
    place=GREEN_ZONE,
    sentence="s",
    start=0,
    end=1,
)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, True),
        ({"event_date": "2020-12-21"}, True),
        ({"event_date": "2020-12-22"}, False),
        ({"place": BAGHDAD}, True),  # a site inside its town
        ({"place": YUSUFIYA}, False),  # another town of the same province
        ({"place": BAGHDAD_PROVINCE}, True),  # one side only gives the province
        ({"place": ANBAR}, False),
        ({"place": IRAQ}, False),  # country only, nothing else ties them
        ({"sub_event_type": "Air/drone strike", "plover_mode": "drone"}, False),
        ({"event_date": "2020-12-01", "date_precision": "month"}, True),
        ({"event_date": "2020-11-01", "date_precision": "month"}, False),
        ({"plover_mode": None, "event_type": "Battles", "sub_event_type": "Armed clash"}, True),
    ],
)
def test_same_event(changes: dict[str, object], expected: bool) -> None:
    other = replace(BASE, **changes)  # type: ignore[arg-type]
    assert same_event(BASE, other) is expected
    assert same_event(other, BASE) is expected


def test_named_person_ties_a_country_level_report_to_the_site() -> None:
    strike = replace(
        BASE,
        sub_event_type="Air/drone strike",
        plover_mode="drone",
        event_date="2020-01-01",
        date_precision="year",
        place=Place("Baghdad International Airport", "IQ", "IQ-BG", "Baghdad", 33.26, 44.23, 1),
        actors=(SOLEIMANI,),
    )
    vague = replace(
        BASE,
        event_type="Violence against civilians",
        sub_event_type="Attack",
        plover_mode=None,
        event_date="2020-01-01",
        date_precision="month",
        place=IRAQ,
        actors=(SOLEIMANI,),
    )
    assert same_event(strike, vague)
    assert not same_event(strike, replace(vague, actors=()))


def test_merge_groups_transitively_in_text_order() -> None:
    a = replace(BASE, start=0, end=1)
    b = replace(BASE, place=BAGHDAD, start=10, end=11)
    c = replace(BASE, place=YUSUFIYA, start=5, end=6, event_date="2020-12-31")
    groups = merge_mentions([b, c, a])
    assert [[m.start for m in g] for g in groups] == [[0, 10], [5]]
