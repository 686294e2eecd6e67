"""Withdrawal cues: leaving ground is a non-violent transfer of territory; leaving an
agreement, talks, a race or a government is no event, in every language."""

from __future__ import annotations

import pytest

from workers.eventcoding import extract_events

PUB = "2024-03-06T10:00:00+00:00"  # a Wednesday
TRANSFER = "Non-violent transfer of territory"


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "The United States pulled out of the nuclear deal with Iran on Tuesday."),
        ("en", "Washington withdrew from the 2015 agreement with Iran on Tuesday, in Tehran."),
        ("en", "The militia pulled out of the negotiations in Khartoum on Tuesday."),
        ("fr", "Les États-Unis se sont retirés mardi de l'accord nucléaire avec l'Iran."),
        ("fr", "Les rebelles se sont retirés des négociations de Genève sur la Syrie mardi."),
        ("ar", "انسحبت الولايات المتحدة من الاتفاق النووي مع إيران يوم الثلاثاء."),
        ("ar", "انسحبت الفصائل من المفاوضات في جنيف حول سوريا يوم الثلاثاء."),
    ],
)
def test_leaving_an_agreement_or_talks_is_no_event(language: str, text: str) -> None:
    assert extract_events(text, language=language, published_at=PUB) == []


@pytest.mark.parametrize(
    ("language", "text", "place"),
    [
        ("en", "Rebels withdrew from the town of Khan Sheikhoun in Idlib on Tuesday.", "SY-ID"),
        ("en", "Rebels withdrew from the town under a deal brokered by Russia in Idlib.", "SY-ID"),
        ("en", "Israeli troops pulled out of the Jenin camp on Tuesday.", "PS-JEN"),
        ("fr", "L'armée israélienne s'est retirée du camp de Jénine mardi.", "PS-JEN"),
        ("es", "Los rebeldes se retiraron de la ciudad de Jan Sheijun, en Idlib.", "SY-ID"),
        ("ar", "انسحب المسلحون من مدينة خان شيخون في إدلب يوم الثلاثاء.", "SY-ID"),
    ],
)
def test_leaving_ground_is_still_a_transfer(language: str, text: str, place: str) -> None:
    events = extract_events(text, language=language, published_at=PUB)
    assert [(e.sub_event_type, e.place and e.place.admin1_code) for e in events] == [
        (TRANSFER, place)
    ]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "US forces handed over Ain al-Asad air base to the Iraqi army on Tuesday."),
        ("fr", "Les forces américaines ont remis mardi la base d'Ain al-Asad à l'armée irakienne."),
        (
            "es",
            "Las fuerzas estadounidenses entregaron el martes la base de Ain al Asad al ejército.",
        ),
        ("ar", "سلمت القوات الأمريكية قاعدة عين الأسد إلى الجيش العراقي يوم الثلاثاء."),
    ],
)
def test_a_base_handed_over_is_a_transfer(language: str, text: str) -> None:
    events = extract_events(text, language=language, published_at=PUB)
    assert [(e.sub_event_type, e.place and e.place.name) for e in events] == [
        (TRANSFER, "Ain al-Asad air base")
    ]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Police handed the suspect over to prosecutors in Baghdad on Tuesday."),
        ("en", "The suspect was handed over to police in Baghdad on Tuesday."),
        ("ar", "سلمت الشرطة المتهم إلى النيابة في بغداد يوم الثلاثاء."),
    ],
)
def test_a_suspect_handed_over_is_no_transfer(language: str, text: str) -> None:
    assert extract_events(text, language=language, published_at=PUB) == []
