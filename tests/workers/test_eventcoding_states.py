"""State forces generated from states.json and the language packs' templates; the country of
an act whose sentence names no place."""

from __future__ import annotations

from typing import Any

import pytest

from newswire.export import acled_row
from workers.eventcoding import extract_events
from workers.eventcoding.lexicon import LexiconError
from workers.eventcoding.states import _filled, catalogue

PUB = "2026-11-20T10:00:00+00:00"  # a Friday


def by_name() -> dict[str, dict[str, Any]]:
    return {a["name"]: a for a in catalogue()}


def test_each_listed_state_without_curated_forces_gets_an_army_and_a_police() -> None:
    actors = by_name()
    mali = actors["Military Forces of Mali"]
    assert (mali["type"], mali["country"], mali["home_ground"]) == ("state_forces", "ML", True)
    assert actors["Police Forces of Mali"]["country"] == "ML"
    # France's forces are in the news abroad: their country does not place their acts.
    assert actors["Military Forces of France"]["home_ground"] is False
    assert actors["Police Forces of France"]["home_ground"] is True  # a police acts at home
    # A country with curated forces keeps them, and only them.
    assert "Military Forces of Iraq" not in actors and "Iraqi security forces" in actors


def test_a_generated_actor_is_keyed_on_its_adjectives_not_on_the_shared_nouns() -> None:
    # "forces" or "armée" are every state's word: keyed on them, every entry would run on
    # every sentence that has one.
    keys = by_name()["Military Forces of Mali"]["keys"]
    assert keys["fr"] == ["malien", "fama"]  # the adjective's forms, and the acronym
    # No Arabic adjective: "مالي" is also "financial" ("الشرطة المالية", the finance police).
    assert "ar" not in keys and "ar" not in by_name()["Police Forces of Mali"]["aliases"]


def test_a_template_without_the_adjective_is_refused() -> None:
    with pytest.raises(LexiconError, match="does not fit"):
        _filled(["armée nationale"], {"m": "malien", "f": "malienne"}, "fr")
    with pytest.raises(LexiconError, match="does not fit"):
        _filled(["{adj} troops"], {"m": "malien", "f": "malienne"}, "fr")


NAMED = [
    ("en", "Nigerian troops clashed with bandits in Zamfara State on Monday.", "Military", "actor"),
    ("en", "Kenyan police fired tear gas at protesters in Nairobi on Tuesday.", "Police", "target"),
    ("fr", "Les FAMa ont abattu 12 jihadistes dans la région de Mopti mardi.", "Military", "actor"),
    ("fr", "La police sénégalaise a dispersé des manifestants à Dakar mardi.", "Police", "target"),
    ("es", "Soldados mexicanos se enfrentaron con sicarios en Culiacán.", "Military", "actor"),
    ("ar", "فرقت الشرطة التونسية متظاهرين في صفاقس يوم الثلاثاء.", "Police", "target"),
]  # fmt: skip
COUNTRY = {
    "en": ["Nigeria", "Kenya"],
    "fr": ["Mali", "Senegal"],
    "es": ["Mexico"],
    "ar": ["Tunisia"],
}


@pytest.mark.parametrize(("lang", "text", "kind", "role"), NAMED)
def test_state_forces_are_named_in_every_language(
    lang: str, text: str, kind: str, role: str
) -> None:
    (m,) = extract_events(text, language=lang, published_at=PUB)
    names = {(a.name, a.role) for a in m.actors}
    assert any((f"{kind} Forces of {c}", role) in names for c in COUNTRY[lang]), names


def test_a_longer_national_name_wins_over_the_generic_police() -> None:
    (m,) = extract_events(
        "Indonesian riot police clashed with student protesters in Jakarta on Tuesday.",
        language="en",
        published_at=PUB,
    )
    names = {a.name for a in m.actors}
    assert "Police Forces of Indonesia" in names and "Police forces" not in names


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Malian soldiers killed 30 civilians in Moura."),
        ("fr", "L'armée malienne a tué 30 civils à Moura, selon l'ONU."),
    ],
)
def test_forces_fighting_at_home_place_an_act_in_an_unknown_village(lang: str, text: str) -> None:
    # Moura is in no gazetteer; the adjective is the actor's, not a place; the army of Mali
    # fighting at home puts the act in Mali, at the country's precision.
    (m,) = extract_events(text, language=lang, published_at=PUB)
    assert (m.place.country_code, m.place.geo_precision) == ("ML", 3)
    assert m.fatalities == 30


def test_a_country_named_only_in_another_sentence_places_a_strongly_told_act() -> None:
    text = "Soldiers killed 30 civilians in Moura. The killings in Mali drew condemnation."
    (m,) = extract_events(text, language="en", published_at=PUB)
    assert (m.sub_event_type, m.place.name, m.fatalities) == ("Attack", "Mali", 30)


def test_two_countries_as_often_elsewhere_place_nothing() -> None:
    text = "Soldiers killed 30 civilians in Moura. Mali and Niger condemned the killings."
    assert extract_events(text, language="en", published_at=PUB) == []


def test_a_village_elsewhere_in_the_text_does_not_place_the_act() -> None:
    # "Emmanuel" is also a West Bank settlement: a minor town's name is too often a word.
    text = "Soldiers killed 30 civilians in Moura. President Emmanuel Macron condemned it."
    assert extract_events(text, language="en", published_at=PUB) == []


def acled(text: str) -> dict[str, Any]:
    """Return the ACLED row of the one event of the English ``text``."""
    (m,) = extract_events(text, language="en", published_at=PUB)
    rec = {
        "event_id": 1,
        "event_type": m.event_type,
        "sub_event_type": m.sub_event_type,
        "event_date": m.event_date,
        "date_precision": m.date_precision,
        "country_code": m.place.country_code,
        "location": m.place.name,
        "latitude": m.place.latitude,
        "longitude": m.place.longitude,
        "geo_precision": m.place.geo_precision,
        "actors": [a.to_dict() for a in m.actors],
        "mentions": [],
    }
    return acled_row(rec, timestamp=0)


def test_french_forces_abroad_are_external_forces_in_acled() -> None:
    row = acled(
        "French forces struck a jihadist camp with air strikes near Menaka, Mali, on Monday."
    )
    assert (row["country"], row["actor1"]) == ("Mali", "Military Forces of France")
    assert row["inter1"] == 8


def test_the_police_unqualified_are_the_event_country_s_in_acled() -> None:
    row = acled("The police fired tear gas at protesters in Nairobi on Tuesday.")
    assert (row["actor1"], row["actor2"], row["inter2"]) == (
        "Protesters (Kenya)",
        "Police Forces of Kenya",
        1,
    )


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        (
            "en",
            "Israeli forces raided Jenin on Monday. "
            "The army said troops killed three gunmen in the refugee camp.",
        ),
        (
            "fr",
            "L'armée israélienne a mené un raid à Jénine lundi. "
            "Selon l'armée, les soldats ont tué trois hommes armés dans le camp.",
        ),
    ],
)
def test_unqualified_troops_are_the_forces_the_article_named_before(lang: str, text: str) -> None:
    (m,) = extract_events(text, language=lang, published_at=PUB)
    assert [(a.name, a.role) for a in m.actors] == [("Israel Defense Forces", "actor")]


def test_unqualified_troops_named_nowhere_stay_unknown() -> None:
    (m,) = extract_events("Troops killed three gunmen in Jenin.", language="en", published_at=PUB)
    assert m.actors == ()


def test_unqualified_soldiers_hit_are_not_the_attackers_named_before() -> None:
    text = (
        "Russian forces shelled Kharkiv on Monday, killing three civilians. Ukrainian officials"
        " said two soldiers were killed in a separate attack near Kupiansk."
    )
    shelling, clash = extract_events(text, language="en", published_at=PUB)
    assert [a.name for a in shelling.actors] == ["Russian forces"]
    # "a separate attack": another act, at its own place, not the shelling told again.
    assert (clash.place.name, clash.fatalities, clash.actors) == ("Kupyansk", 2, ())
    assert clash.event_date == shelling.event_date


def test_an_unqualified_force_does_not_make_a_weak_cue_an_act() -> None:
    text = (
        "ونقلت المصادر عن بعض المتظاهرين بأنهم عادوا من مدينة ذمار على بعد 100 كيلومتر جنوب"
        " العاصمة حيث لم ينجح إلا القليل منهم في الالتحاق بالقوات المسلحة."
    )
    assert extract_events(text, language="ar", published_at=PUB) == []


def test_every_listed_state_is_a_country_once_with_an_adjective_in_each_latin_pack() -> None:
    import pycountry

    from workers.eventcoding.lexicon import shared

    listed = shared("states")["states"]
    codes = [s["country"] for s in listed]
    assert len(codes) == len(set(codes))
    for state in listed:
        assert pycountry.countries.get(alpha_2=state["country"]) is not None, state["country"]
        assert {"en", "fr", "es"} <= set(state["adjectives"]), state["country"]


@pytest.mark.parametrize(
    ("language", "text", "actor", "place"),
    [
        (
            "en",
            "Russia launched a drone attack on Kyiv overnight, killing six people.",
            "Russian forces",
            "Kyiv",
        ),
        (
            "en",
            "Nigeria struck a militant camp near Maiduguri on Thursday, killing 12.",
            "Military Forces of Nigeria",
            "Maiduguri",
        ),
        (
            "fr",
            "La Russie a lancé une attaque de drones sur Kiev dans la nuit, tuant six personnes.",
            "Russian forces",
            "Kyiv",
        ),
        (
            "fr",
            "Israël a frappé jeudi la ville de Gaza, tuant 20 personnes.",
            "Israel Defense Forces",
            "Gaza",
        ),
        (
            "es",
            "Rusia lanzó un ataque con drones contra Kiev durante la noche, matando a seis "
            "personas.",
            "Russian forces",
            "Kyiv",
        ),
        (
            "ar",
            "شنت روسيا هجوما بطائرات مسيرة على كييف ليلا ما أسفر عن مقتل ستة أشخاص.",
            "Russian forces",
            "Kyiv",
        ),
    ],
)
def test_a_state_named_as_the_doer_is_its_military(
    language: str, text: str, actor: str, place: str
) -> None:
    # ACLED codes "Russia launched", "Israël a frappé" to the state's military forces.
    found = extract_events(text, language=language, published_at=PUB)
    assert [(m.place.name, [(a.name, a.role) for a in m.actors]) for m in found] == [
        (place, [(actor, "actor")])
    ]


def test_a_state_hit_or_speaking_is_no_doer() -> None:
    found = extract_events(
        "Ukraine was hit by drones overnight, killing six people in Kyiv.",
        language="en",
        published_at=PUB,
    )
    assert [a.name for m in found for a in m.actors] == []


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Des drones ont frappé Kiev dans la nuit, tuant six personnes."),
        ("es", "Drones atacaron Kiev durante la noche, matando a seis personas."),
    ],
)
def test_the_night_unqualified_is_the_night_before(language: str, text: str) -> None:
    # As English "overnight": published on Friday, the night to Friday.
    found = extract_events(text, language=language, published_at=PUB)
    assert [(m.event_date, m.date_precision) for m in found] == [("2026-11-19", "day")]


@pytest.mark.parametrize(
    ("text", "actor", "role"),
    [
        (
            "Myanmar junta airstrikes killed 30 people in Sagaing region on Thursday.",
            "Military Forces of Myanmar",
            "actor",
        ),
        (
            "Fighters attacked a Burkina Faso army base near Djibo on Thursday, killing 12 "
            "soldiers.",
            "Military Forces of Burkina Faso",
            "target",
        ),
    ],
)
def test_a_country_name_before_its_forces_names_them(text: str, actor: str, role: str) -> None:
    # English writes "Myanmar junta", "Burkina Faso army" with the name, not an adjective.
    found = extract_events(text, language="en", published_at=PUB)
    assert [(a.name, a.role) for m in found for a in m.actors] == [(actor, role)]


def test_a_national_police_or_army_is_the_states() -> None:
    # "police nationale haïtienne": "nationale" between the noun and the adjective.
    found = extract_events(
        "La police nationale haïtienne a affirmé avoir neutralisé une dizaine de bandits à "
        "Cité Soleil jeudi.",
        language="fr",
        published_at=PUB,
    )
    assert [a.name for m in found for a in m.actors] == ["Police Forces of Haiti"]


def test_a_state_named_after_a_preposition_is_no_doer() -> None:
    # "Security forces in Mozambique fired": Mozambique is where, not who.
    found = extract_events(
        "Security forces in Mozambique fired live rounds at protesters in Maputo on Thursday.",
        language="en",
        published_at=PUB,
    )
    assert "Military Forces of Mozambique" not in {a.name for m in found for a in m.actors}


@pytest.mark.parametrize(
    ("text", "language", "roles"),
    [
        # A second nationality adjective names a second state's forces, on the same side.
        (
            "شنت طائرات أمريكية وبريطانية غارات على مواقع الحوثيين في صنعاء أمس.",
            "ar",
            {("US forces", "actor"), ("UK forces", "actor"), ("Ansar Allah (Houthis)", "target")},
        ),
        (
            "اشتبكت القوات الأمريكية والعراقية مع مسلحين في الموصل أمس.",
            "ar",
            {("US forces", "actor"), ("Iraqi security forces", "actor")},
        ),
        (
            "Des avions américains et britanniques ont frappé Hodeïda samedi.",
            "fr",
            {("US forces", "actor"), ("UK forces", "actor")},
        ),
        # Both sides of the victims: no clash between them.
        (
            "Deux soldats français et maliens ont été tués dans une embuscade près de Gao mardi.",
            "fr",
            {("Military Forces of France", "target"), ("Military Forces of Mali", "target")},
        ),
        (
            "Aviones estadounidenses y británicos bombardearon Hodeida el sábado.",
            "es",
            {("US forces", "actor"), ("UK forces", "actor")},
        ),
        # Still right: a name after "et" is no adjective of the force before it.
        (
            "L'armée malienne et Wagner ont tué 30 civils à Gao mardi.",
            "fr",
            {("Military Forces of Mali", "actor"), ("Wagner Group", "actor")},
        ),
    ],
)
def test_forces_named_by_coordinated_adjectives(
    text: str, language: str, roles: set[tuple[str, str]]
) -> None:
    [m] = extract_events(text, language=language, published_at=PUB)
    assert {(a.name, a.role) for a in m.actors} == roles
