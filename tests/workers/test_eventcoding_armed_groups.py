"""Armed groups of the conflicts outside the Middle East, their supporters, and the acts
that only name them: who fights, and what kind of act it is."""

from __future__ import annotations

import pytest

from newswire.export import _inter
from workers.eventcoding import extract_events

PUB = "2026-11-30T10:00:00+00:00"  # a Monday


def coded(text: str, language: str = "en") -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Return (sub-type, place, actors with roles) of each event ``text`` reports."""
    return [
        (m.sub_event_type, m.place.name, [(a.name, a.role) for a in m.actors])
        for m in extract_events(text, language=language, published_at=PUB)
    ]


@pytest.mark.parametrize(
    ("language", "text", "group"),
    [
        ("en", "PKK militants attacked a Turkish outpost in Duhok province on Tuesday.", "PKK"),
        ("fr", "Le PKK a attaqué un poste turc dans la province de Dohuk mardi.", "PKK"),
        # The province's name is the group's, longest name first: not the Islamic State.
        (
            "en",
            "ISWAP fighters raided a military base in Maiduguri on Friday.",
            "Islamic State West Africa Province",
        ),
        (
            "fr",
            "L'État islamique en Afrique de l'Ouest a attaqué une base à Maiduguri lundi.",
            "Islamic State West Africa Province",
        ),
        (
            "en",
            "Islamic State Khorasan Province claimed the suicide bombing in Kabul.",
            "Islamic State Khorasan Province",
        ),
        (
            "en",
            "ADF rebels attacked a village near Beni on Sunday, killing 11.",
            "Allied Democratic Forces",
        ),
        ("en", "CODECO militiamen killed eight people near Djugu on Saturday.", "CODECO"),
        ("en", "Fano militiamen clashed with Ethiopian troops near Gondar on Monday.", "Fano"),
        (
            "es",
            "Sicarios del Cártel de Sinaloa asesinaron a seis policías en Culiacán.",
            "Sinaloa Cartel",
        ),
        (
            "es",
            "Integrantes del CJNG asesinaron a seis policías en Morelia.",
            "Jalisco New Generation Cartel",
        ),
        ("ar", "قتلت حركة الشباب ستة جنود في مقديشو يوم السبت.", "Al-Shabaab"),
        ("ar", "هاجم حزب العمال الكردستاني موقعا تركيا في دهوك يوم الثلاثاء.", "PKK"),
    ],
)
def test_the_conflicts_armed_groups_are_named_as_the_actor(
    language: str, text: str, group: str
) -> None:
    events = coded(text, language)
    assert len(events) == 1, events
    assert (group, "actor") in events[0][2]


def test_wagner_fights_for_a_state_it_is_not_acleds_external_force() -> None:
    events = coded("Wagner fighters and Malian soldiers killed dozens of civilians in Mopti.")
    assert ("Wagner Group", "actor") in events[0][2]
    assert _inter({"name": "Wagner Group", "type": "external"}, "ML") == 8


@pytest.mark.parametrize(
    ("language", "text", "sub_type"),
    [
        # Armed men clashing with troops fight a battle; a crowd clashing with police riots.
        ("en", "Al-Shabaab fighters clashed with troops near Kismayo on Monday.", "Armed clash"),
        ("en", "Militants clashed with security forces near Kismayo on Monday.", "Armed clash"),
        (
            "en",
            "Hundreds of youths clashed with police in Nairobi on Monday.",
            "Violent demonstration",
        ),
        ("en", "Protesters clashed with troops in Srinagar on Friday.", "Violent demonstration"),
        # Killing soldiers or police is a battle, whoever is named as killing them.
        ("en", "Al-Shabaab fighters killed 6 soldiers in Kismayo on Saturday.", "Armed clash"),
        (
            "en",
            "Members of the Sinaloa Cartel killed 6 police officers in Culiacan.",
            "Armed clash",
        ),
        ("es", "El ELN mató a dos soldados en Arauca el sábado.", "Armed clash"),
        ("ar", "قتل مسلحون ستة جنود في الموصل يوم السبت.", "Armed clash"),
        ("ar", "قتلت القوات الأمريكية ستة مسلحين في الموصل.", "Armed clash"),
        # The weapon still names the act.
        (
            "en",
            "A roadside bomb killed 6 soldiers in Kismayo on Saturday.",
            "Remote explosive/landmine/IED",
        ),
    ],
)
def test_what_kind_of_act_armed_men_make(language: str, text: str, sub_type: str) -> None:
    assert [e[0] for e in coded(text, language)] == [sub_type]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Hezbollah supporters threw stones at police in Beirut on Sunday."),
        ("en", "Supporters of Hezbollah threw stones at police in Beirut on Sunday."),
        (
            "fr",
            "Des partisans du Hezbollah ont lancé des pierres sur la police à Beyrouth dimanche.",
        ),
        ("ar", "رشق أنصار حزب الله قوات الأمن بالحجارة في بيروت يوم الأحد."),
    ],
)
def test_a_groups_supporters_riot_not_the_group(language: str, text: str) -> None:
    # ACLED's actor is the crowd (rioters); the group is at most associated with it.
    events = coded(text, language)
    assert [e[0] for e in events] == ["Violent demonstration"]
    assert "Hezbollah" not in [name for name, _ in events[0][2]]


@pytest.mark.parametrize(
    ("text", "sub_type", "actor"),
    [
        # "Army" in a rebel group's name does not make the government the taker.
        (
            "The Arakan Army captured the town of Sittwe on Sunday.",
            "Non-state actor overtakes territory",
            "Arakan Army",
        ),
        (
            "Syrian army troops recaptured the town of Azaz on Sunday.",
            "Government regains territory",
            "Syrian army",
        ),
    ],
)
def test_who_takes_a_town_says_whether_the_government_regains_it(
    text: str, sub_type: str, actor: str
) -> None:
    assert coded(text) == [(sub_type, coded(text)[0][1], [(actor, "actor")])]


def test_a_town_taken_after_a_strike_is_an_act_of_its_own() -> None:
    events = coded(
        "Myanmar's military carried out airstrikes on a village in Sagaing region on Friday,"
        " killing at least 30 civilians. The Arakan Army captured the town of Paletwa."
    )
    assert [e[0] for e in events] == ["Air/drone strike", "Non-state actor overtakes territory"]
    # A country named as a possessive names its forces; GeoNames' current name of the region.
    assert events[0][1:] == ("Sagaing", [("Military Forces of Myanmar", "actor")])


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        (
            "Russian drones and missiles struck Kharkiv overnight, killing four people.",
            "Russian forces",
        ),
        ("In the Zaporizhzhia region, Russian shelling killed a man on Sunday.", "Russian forces"),
        ("Mali's army said it killed 20 terrorists near Gao on Sunday.", "Military Forces of Mali"),
    ],
)
def test_a_states_weapons_and_possessive_name_its_forces(text: str, actor: str) -> None:
    assert (actor, "actor") in coded(text)[0][2]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # A short province name with its kind is a name of its own ("Chin" alone is not).
        ("The Arakan Army captured the town of Paletwa in Chin State on Sunday.", "MM-14"),
        # Nigeria's Plateau State, not Benin's Plateau department.
        ("Gunmen abducted 12 students in Plateau State on Sunday.", "NG-PL"),
    ],
)
def test_a_province_named_with_its_kind(text: str, code: str) -> None:
    found = extract_events(text, language="en", published_at=PUB)
    assert [m.place.admin1_code for m in found] == [code]


def test_another_kind_of_act_whose_doers_are_named_is_another_act() -> None:
    events = coded(
        "Troops shelled a village in Sagaing region on Friday, killing 3 civilians. Rebels"
        " ambushed a convoy on the road to Paletwa."
    )
    assert [e[0] for e in events] == ["Shelling/artillery/missile attack", "Armed clash"]
    # A toll told after an act, no doers named, is that act's.
    events = coded(
        "A roadside bomb hit an army convoy in Kirkuk on Monday. Three soldiers were killed."
    )
    assert [e[0] for e in events] == ["Remote explosive/landmine/IED"] * 2


def test_a_source_named_by_its_armed_group_is_no_target() -> None:
    # "a militia leader said" is who reports the killing of farmers, not whom it hit.
    events = coded(
        "Suspected Boko Haram insurgents killed at least 40 farmers in Borno state on Saturday,"
        " a militia leader and residents said."
    )
    assert [e[0] for e in events] == ["Attack"]


def test_the_other_sides_account_of_a_battle_is_that_battle() -> None:
    events = coded(
        "ISWAP fighters ambushed a military convoy near Damboa on Sunday, killing seven"
        " soldiers. The Nigerian army said its troops repelled the attack and killed 12"
        " insurgents."
    )
    assert [(e[0], e[1]) for e in events] == [("Armed clash", "Damboa")] * 2


@pytest.mark.parametrize(
    ("text", "actor", "fatalities"),
    [
        # A group's affiliates are the group (not so "Iran-backed": the backer's proxies).
        (
            "Islamic State-affiliated fighters beheaded 11 villagers in Cabo Delgado on Monday.",
            "Islamic State",
            11,
        ),
        ("Al-Shabaab-linked gunmen killed 4 teachers in Mandera on Monday.", "Al-Shabaab", 4),
        # "hacked to death" counts its dead.
        (
            "Suspected ADF rebels hacked to death 22 people in Lubero territory on Tuesday.",
            "Allied Democratic Forces",
            22,
        ),
    ],
)
def test_affiliates_and_deaths_by_machete(text: str, actor: str, fatalities: int) -> None:
    found = extract_events(text, language="en", published_at=PUB)
    assert [(m.fatalities, [a.name for a in m.actors if a.role == "actor"]) for m in found] == [
        (fatalities, [actor])
    ]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "en",
            "The Rapid Support Forces besieged El Fasher for months. "
            "On Friday the RSF shelled a hospital in El Fasher, killing five people.",
        ),
        (
            "es",
            "Las Fuerzas de Apoyo Rápido asedian El Fasher desde hace meses. "
            "El viernes las FAR bombardearon un hospital en El Fasher.",
        ),
        (
            "ar",
            "تحاصر قوات الدعم السريع مدينة الفاشر منذ أشهر. "
            "وقصف الدعم السريع مستشفى في الفاشر يوم الجمعة.",
        ),
    ],
)
def test_a_short_name_is_the_group_where_the_article_names_it_in_full(
    language: str, text: str
) -> None:
    # "RSF" is also Reporters Without Borders: the RSF only where the article names them.
    found = coded(text, language)
    assert [actors for _, _, actors in found] == [[("Rapid Support Forces", "actor")]]


def test_a_short_name_alone_names_no_group() -> None:
    text = "Reporters Without Borders (RSF) said gunmen killed a journalist in Mogadishu on Friday."
    assert [actors for _, _, actors in coded(text)] == [[]]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "en",
            "Tensions between the army and the Rapid Support Forces exploded into open "
            "fighting in Khartoum in April 2023.",
        ),
        (
            "es",
            "Las tensiones entre el ejército y las Fuerzas de Apoyo Rápido estallaron en una "
            "guerra en Jartum en abril de 2023.",
        ),
    ],
)
def test_tensions_that_exploded_into_war_are_no_bombing(language: str, text: str) -> None:
    assert all(sub != "Remote explosive/landmine/IED" for sub, _, _ in coded(text, language))


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Viv Ansanm gangs torched police stations in Port-au-Prince on Sunday."),
        (
            "es",
            "Pandilleros de Viv Ansanm incendiaron el domingo una comisaría en Puerto Príncipe.",
        ),
        ("fr", "Des gangs de Viv Ansanm ont incendié dimanche un commissariat à Port-au-Prince."),
    ],
)
def test_torching_a_police_station_is_property_destruction(language: str, text: str) -> None:
    assert coded(text, language) == [
        ("Looting/property destruction", "Port-au-Prince", [("Viv Ansanm", "actor")])
    ]


@pytest.mark.parametrize(
    ("language", "text", "place", "sub_type"),
    [
        (
            "fr",
            "La police d'Haïti a affirmé avoir neutralisé une dizaine de bandits lors d'une "
            "opération à Cité Soleil lundi.",
            "Cité Soleil",
            "Armed clash",
        ),
        (
            "en",
            "Gang members attacked the town of Mirebalais on Sunday, killing at least 15 people.",
            "Mirebalais",
            "Attack",
        ),
        (
            "fr",
            "Des membres du gang Viv Ansanm ont tué au moins 20 personnes dimanche à Pont-Sondé.",
            "Pont-Sondé",
            "Attack",
        ),
    ],
)
def test_haitis_gang_war_places(language: str, text: str, place: str, sub_type: str) -> None:
    # Cité Soleil, Mirebalais, Pont-Sondé are curated (GeoNames' cities list lacks them);
    # "a affirmé avoir neutralisé" is the police killing bandits.
    assert [(sub, where) for sub, where, _ in coded(text, language)] == [(sub_type, place)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Myanmar's military said its troops recaptured the town of Lashio from the Myanmar "
            "National Democratic Alliance Army on Thursday.",
            "Myanmar National Democratic Alliance Army",
        ),
        (
            "TNLA fighters clashed with junta troops near Mogok on Friday.",
            "Ta'ang National Liberation Army",
        ),
        (
            "Suspected Maoist rebels killed eight police commandos in Chhattisgarh on Monday.",
            "CPI (Maoist)",
        ),
        (
            "New People's Army rebels ambushed an army patrol in Negros Oriental on Friday.",
            "New People's Army",
        ),
    ],
)
def test_the_armed_groups_of_myanmar_india_and_the_philippines(text: str, name: str) -> None:
    [m] = extract_events(text, language="en", published_at="2026-11-30T12:00:00+00:00")
    assert name in {a.name for a in m.actors}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Viv Ansanm gangs attacked the town of Mirebalais on Monday, killing 10 people.",
            "Viv Ansanm",
        ),
        ("Gran Grif gang members killed 70 people in Pont-Sonde on Thursday night.", "Gran Grif"),
    ],
)
def test_haitis_gangs(text: str, name: str) -> None:
    [m] = extract_events(text, language="en", published_at="2026-11-30T12:00:00+00:00")
    assert [(a.name, a.role) for a in m.actors] == [(name, "actor")]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "A Saudi coalition airstrike killed six civilians in Saada on Tuesday."),
        ("fr", "Des frappes de la coalition saoudienne ont tué mardi six civils à Saada."),
        ("es", "Un ataque aéreo de la coalición saudí mató el martes a seis civiles en Saada."),
        ("ar", "قتل ستة مدنيين في غارة للتحالف السعودي على صعدة يوم الثلاثاء."),
    ],
)
def test_the_saudi_coalition_by_its_short_name(language: str, text: str) -> None:
    [m] = extract_events(text, language=language, published_at=PUB)
    assert (m.sub_event_type, m.place.country_code) == ("Air/drone strike", "YE")
    assert [(a.name, a.role) for a in m.actors] == [("Saudi-led coalition", "actor")]
