"""French table tests: types, negation, dates, counts, places, actors."""

from __future__ import annotations

import pytest

from schemas.events import EventMention
from workers.eventcoding import extract_events, gazetteer, merge
from workers.eventcoding.lexicon import lexicon

PUB = "2021-01-02T10:30:00+03:30"  # a Saturday, Tehran time


def one(text: str, published_at: str = PUB) -> EventMention:
    mentions = extract_events(text, language="fr", published_at=published_at)
    assert len(mentions) == 1, [m.sentence for m in mentions]
    return mentions[0]


@pytest.mark.parametrize(
    ("text", "sub_type", "mode"),
    [
        (
            "Trois bombes en bordure de route ont explosé à Tikrit.",
            "Remote explosive/landmine/IED",
            "explosives",
        ),
        (
            "Un engin explosif improvisé a visé une patrouille à Mossoul.",
            "Remote explosive/landmine/IED",
            "explosives",
        ),
        ("Deux drones suicide ont frappé la base d'Ain al-Asad.", "Air/drone strike", "drone"),
        ("Des frappes aériennes ont visé Idlib.", "Air/drone strike", "aerial"),
        (
            "Des roquettes sont tombées sur la Zone verte de Bagdad.",
            "Shelling/artillery/missile attack",
            "heavy-weapons",
        ),
        ("Un attentat suicide a frappé un marché de Kirkouk.", "Suicide bomb", "suicide"),
        (
            "De violents affrontements ont opposé l'armée syrienne à Daech près de Palmyre.",
            "Armed clash",
            "firearms",
        ),
        (
            "Des milliers de manifestants se sont rassemblés à Bagdad.",
            "Peaceful protest",
            "demonstrate",
        ),
        (
            "L'armée a neutralisé une vingtaine de terroristes près de Mossoul.",
            "Armed clash",
            "firearms",
        ),
        (
            "Une vingtaine de terroristes ont été tués près de Mossoul.",
            "Armed clash",
            "firearms",
        ),
    ],
)
def test_types(text: str, sub_type: str, mode: str) -> None:
    m = one(text)
    assert (m.sub_event_type, m.plover_mode) == (sub_type, mode)
    assert m.event_type in ("Explosions/Remote violence", "Battles", "Protests")


@pytest.mark.parametrize(
    "text",
    [
        "La base d'Ain al-Asad n'a pas été attaquée par des drones.",
        "Des drones suicide pourraient frapper la base d'Ain al-Asad.",
        "Les groupes menacent de lancer des roquettes sur Bagdad si les troupes restent.",
        "Des manifestations auront lieu demain à Bagdad.",
        "Lire aussi : Irak : deux drones suicide ont frappé la base d'Ain al-Asad",
        "Les attaques aux missiles contre l'ambassade US se sont intensifiées à Bagdad.",
        "À Mossoul, l'épidémie de choléra a tué douze personnes, et la rougeole deux.",
        "À Bagdad, le paludisme a tué douze personnes.",
    ],
)
def test_not_events(text: str) -> None:
    assert extract_events(text, language="fr", published_at=PUB) == []


def test_negation_after_the_act_does_not_undo_it() -> None:
    # What the act did not cause is no denial that it happened.
    text = "Une bombe artisanale a explosé vendredi à Kirkouk, mais n'a pas fait de victimes."
    assert one(text).sub_event_type == "Remote explosive/landmine/IED"


@pytest.mark.parametrize(
    ("phrase", "published_at", "date", "precision"),
    [
        ("jeudi", PUB, "2020-12-31", "day"),
        ("Mercredi,", PUB, "2020-12-30", "day"),
        ("hier", PUB, "2021-01-01", "day"),
        ("avant-hier", PUB, "2020-12-31", "day"),
        ("le 20 décembre", PUB, "2020-12-20", "day"),
        ("le dimanche 5 janvier 2020", PUB, "2020-01-05", "day"),
        ("mardi 16 juillet", "2024-07-16T21:40:00+03:30", "2024-07-16", "day"),
        ("dans la nuit de mercredi à jeudi", PUB, "2020-12-31", "day"),
        ("samedi dernier", PUB, "2020-12-26", "day"),
        ("en janvier 2020", PUB, "2020-01-01", "month"),
    ],
)
def test_dates(phrase: str, published_at: str, date: str, precision: str) -> None:
    m = one(f"Des roquettes sont tombées sur la Zone verte de Bagdad {phrase}.", published_at)
    assert (m.event_date, m.date_precision) == (date, precision)
    assert m.date_text is not None


def test_time_zone_of_publication() -> None:
    # 23:30 on Friday in Baghdad is already Saturday in UTC: "hier" is Thursday there.
    m = one("Des roquettes sont tombées hier sur Bagdad.", "2021-01-01T23:30:00+03:00")
    assert m.event_date == "2020-12-31"


def test_no_date_means_publication_week() -> None:
    m = one("Des roquettes sont tombées sur la Zone verte de Bagdad.")
    assert (m.event_date, m.date_precision, m.date_text) == ("2021-01-02", "week", None)


def test_background_relative_to_previous_year() -> None:
    text = (
        "En 2020, le Parlement irakien a voté l'expulsion des forces américaines. Quelques jours "
        "plus tôt, Qassem Soleimani avait été assassiné lors d'une attaque de drone à "
        "l'extérieur de l'aéroport de Bagdad."
    )
    m = one(text, "2024-07-16T21:40:00+03:30")
    assert (m.event_date[:4], m.date_precision) == ("2020", "year")


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("Au moins trois bombes en bordure de route ont explosé à Tikrit.", "roadside_bombs", 3),
        ("Deux drones suicide ont frappé la base d'Ain al-Asad.", "drones", 2),
        ("Au moins 23 missiles ont atterri dans la Zone verte de Bagdad.", "rockets", 23),
        ("Une dizaine de roquettes sont tombées sur Bagdad.", "rockets", 10),
        (
            "Mercredi, onze convois ont été pris pour cibles par des bombes en bordure de "
            "route à Bassora.",
            "convoys",
            11,
        ),
    ],
)
def test_weapon_counts(text: str, key: str, value: int) -> None:
    assert one(text).counts[key] == value


@pytest.mark.parametrize(
    ("text", "fatalities", "injured"),
    [
        (
            "Une voiture piégée a explosé à Bagdad, tuant trois personnes et blessant des "
            "dizaines d'autres.",
            3,
            10,
        ),
        (
            "Une voiture piégée a explosé à Bagdad : 12 personnes ont été tuées et 30 blessées.",
            12,
            30,
        ),
        # The day between the verb and the toll, as French puts it.
        ("L'armée a tué mardi une dizaine de jihadistes près de Tombouctou.", 10, None),
        # An aircraft shot down is no one killed.
        ("Les rebelles ont abattu mardi un hélicoptère de l'armée près de Goma.", None, None),
        ("L'armée a abattu mardi deux drones près de Goma.", None, None),
    ],
)
def test_casualties(text: str, fatalities: int | None, injured: int | None) -> None:
    m = one(text)
    assert (m.fatalities, m.injured) == (fatalities, injured)


@pytest.mark.parametrize(
    ("place_phrase", "name", "admin1", "precision"),
    [
        ("dans la province irakienne de Salaheddine", "Salah ad-Din", "IQ-SD", 3),
        ("dans la province de Babel", "Babil", "IQ-BB", 3),
        ("à Diwaniyah", "Al Diwaniyah", "IQ-QA", 1),
        ("dans la région d'al-Yusufiya, au sud de Bagdad", "al-Yusufiya", "IQ-BG", 1),
        ("près de la base aérienne d'Aïn al-Asad", "Ain al-Asad air base", "IQ-AN", 1),
        ("dans la province d'al-Anbar", "al-Anbar", "IQ-AN", 3),
        ("au nord de Mossoul", "Mosul", "IQ-NI", 2),
        ("dans différentes provinces irakiennes", "Iraq", None, 3),
    ],
)
def test_places(place_phrase: str, name: str, admin1: str | None, precision: int) -> None:
    m = one(f"Une bombe en bordure de route a explosé {place_phrase}.")
    assert (m.place.name, m.place.admin1_code, m.place.geo_precision) == (name, admin1, precision)
    assert m.place.country_code == "IQ"


def test_two_provinces_are_two_events() -> None:
    mentions = extract_events(
        "Deux convois ont été visés par des bombes en bordure de route à Bagdad et à Babel.",
        language="fr",
        published_at=PUB,
    )
    assert sorted(m.place.admin1_code or "" for m in mentions) == ["IQ-BB", "IQ-BG"]


@pytest.mark.parametrize(
    ("text", "actor", "target"),
    [
        (
            "Ashab al-Kahf a attaqué un convoi américain avec une bombe en bordure de route "
            "à Bagdad.",
            "Ashab al-Kahf",
            "US forces",
        ),
        (
            "Des roquettes ont été tirées contre les forces américaines à Bagdad, une "
            "attaque revendiquée par la Résistance islamique en Irak.",
            "Islamic Resistance in Iraq",
            "US forces",
        ),
        (
            "Des drones suicide ont frappé la base d'Ain al-Asad où sont stationnées des "
            "troupes américaines.",
            None,
            "US forces",
        ),
        # A barracks and targets are struck as positions are.
        (
            "Le Hezbollah a dit que ses combattants avaient visé mardi une caserne à Metoula,"
            " en Israël.",
            "Hezbollah",
            None,
        ),
        # The infinitive after a verb of saying is the speaker's own act.
        (
            "L'armée israélienne a indiqué avoir frappé mardi des positions du Hezbollah au Liban.",
            "Israel Defense Forces",
            "Hezbollah",
        ),
        (
            "L'armée américaine affirme avoir visé mardi des positions des Kataeb Hezbollah près"
            " d'Al-Qaïm.",
            "US forces",
            "Kataib Hezbollah",
        ),
    ],
)
def test_actors(text: str, actor: str | None, target: str | None) -> None:
    m = one(text)
    assert [a.name for a in m.actors if a.role == "actor"] == ([actor] if actor else [])
    targets = [a.name for a in m.actors if a.role == "target"]
    assert target in targets if target else targets == []


def test_claim_in_next_sentence_names_the_actor() -> None:
    text = (
        "Ashab al-Kahf a revendiqué l'attaque contre le convoi US.\n"
        "Trois bombes en bordure de route ont explosé sur le chemin d'un convoi américain à Tikrit."
    )
    mentions = extract_events(text, language="fr", published_at=PUB)
    bomb = next(m for m in mentions if m.counts.get("roadside_bombs") == 3)
    assert [a.name for a in bomb.actors if a.role == "actor"] == ["Ashab al-Kahf"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Des frappes aériennes ont visé mardi la province d'Idleb.", "fr"),
        ("Airstrikes hit the province of Idlib on Tuesday.", "en"),
    ],
)
def test_a_province_named_after_its_capital_is_the_province(text: str, language: str) -> None:
    # No curated Syrian provinces: the town's own province stands in, at province precision.
    [m] = extract_events(text, language=language, published_at=PUB)
    assert (m.place.admin1_code, m.place.geo_precision) == ("SY-ID", 3)
    [town] = extract_events(
        "Des frappes aériennes ont visé mardi Idleb.", language="fr", published_at=PUB
    )
    assert (town.place.admin1_code, town.place.geo_precision) == ("SY-ID", 1)


@pytest.mark.parametrize(
    ("text", "sub_type"),
    [
        (
            "Des hommes armés ont ouvert le feu sur des villageois mardi près de Mossoul.",
            "Attack",
        ),
        (
            "Des soldats ont violé trois femmes mardi dans un village près de Goma.",
            "Sexual violence",
        ),
        (
            "L'EI a pris le contrôle mardi de plusieurs villages près de Raqqa, en Syrie.",
            "Non-state actor overtakes territory",
        ),
        (
            "Les forces irakiennes ont repris mardi le contrôle de la ville de Tal Afar, en Irak.",
            "Government regains territory",
        ),
        (
            "Les forces américaines se sont retirées mardi de la base de K1 à Kirkouk.",
            "Non-violent transfer of territory",
        ),
        (
            "La police a saisi mardi un important stock d'armes et d'explosifs à Kirkouk.",
            "Disrupted weapons use",
        ),
        ("Le Hamas et Israël ont conclu mardi un accord de cessez-le-feu à Gaza.", "Agreement"),
        ("Une foule en colère a lynché mardi un homme accusé de vol à Bassora.", "Mob violence"),
        (
            "Des miliciens ont pillé et incendié des maisons mardi dans un village près de Beni.",
            "Looting/property destruction",
        ),
        (
            "L'armée turque a établi mardi une nouvelle base militaire près de Zakho, en Irak.",
            "Headquarters or base established",
        ),
        (
            "Les autorités ont imposé mardi un couvre-feu à Bassora après des émeutes.",
            "Violent demonstration",
        ),
    ],
)
def test_every_sub_type_has_french_cues(text: str, sub_type: str) -> None:
    found = extract_events(text, language="fr", published_at=PUB)
    assert [m.sub_event_type for m in found][:1] == [sub_type]


@pytest.mark.parametrize(
    "text",
    [
        "Le Conseil de sécurité a appelé mardi à un cessez-le-feu à Gaza.",
        "Le Hezbollah a violé mardi le cessez-le-feu au sud du Liban.",
        "Le Hamas réclame le retrait des forces israéliennes de Gaza.",
    ],
)
def test_calls_and_violations_of_a_ceasefire_are_not_events(text: str) -> None:
    assert extract_events(text, language="fr", published_at=PUB) == []


def test_the_arabic_article_is_stripped_only_from_the_regions_names() -> None:
    # "An Shan" (China) once made "Son" a place, and "Sun" another; "Rome" keeps its name.
    lex = lexicon("fr")
    found = gazetteer.find("Son fils a été enlevé mardi à Bagdad, puis conduit à Rome.", lex, [])
    assert [h.entry.name for h in found] == ["Baghdad", "Rome"]


def test_maurice_is_a_first_name_not_mauritius() -> None:
    found = gazetteer.find("Maurice Barrès est arrivé hier à Paris.", lexicon("fr"), [])
    assert [h.entry.name for h in found] == ["Paris"]


def test_yemen_towns_and_provinces_have_their_iso_province() -> None:
    m = one("Une frappe aérienne a visé vendredi un marché dans la province de Saada.")
    assert (m.place.admin1_code, m.place.geo_precision) == ("YE-SD", 3)
    assert one("Une frappe aérienne a visé vendredi un marché à Taëz.").place.admin1_code == "YE-TA"


def test_press_wording_of_israeli_strikes_and_forces() -> None:
    m = one("Une frappe israélienne a visé vendredi un immeuble à Saïda, dans le sud du Liban.")
    assert (m.sub_event_type, m.place.name, m.place.country_code) == (
        "Air/drone strike",
        "Sidon",
        "LB",
    )
    m = one(
        "Des avions de chasse israéliens ont mené dans la nuit de jeudi à vendredi une série "
        "de raids contre la ville de Nabatiyé."
    )
    assert (m.sub_event_type, m.place.admin1_code, m.date_text) == (
        "Air/drone strike",
        "LB-NA",
        "dans la nuit de jeudi à vendredi",
    )
    m = one("Les forces d'occupation israéliennes ont arrêté vendredi 15 Palestiniens à Jénine.")
    assert [a.name for a in m.actors if a.role == "actor"] == ["Israel Defense Forces"]
    # A missile strike stays a missile attack.
    m = one("Une frappe iranienne de missiles balistiques a visé vendredi une base à Erbil.")
    assert m.sub_event_type == "Shelling/artillery/missile attack"


def test_a_march_the_police_dispersed_is_one_protest_with_intervention() -> None:
    text = (
        "Des milliers de personnes ont manifesté vendredi à Rabat contre la normalisation. "
        "La police a dispersé les manifestants à l'aide de gaz lacrymogène."
    )
    found = extract_events(text, language="fr", published_at=PUB)
    assert {(m.sub_event_type, m.place.name, m.event_date) for m in found} == {
        ("Protest with intervention", "Rabat", "2021-01-01")
    }
    assert len(merge.merge_mentions(found)) == 1


@pytest.mark.parametrize(
    ("text", "place", "country", "actors"),
    [
        (
            "Le Hezbollah a tiré mardi des dizaines de roquettes sur des positions militaires "
            "israéliennes dans le Golan occupé.",
            "Golan Heights",
            "SY",
            {("Hezbollah", "actor"), ("Israel Defense Forces", "target")},
        ),
        (
            "Les forces armées yéménites ont ciblé jeudi un destroyer américain en mer Rouge "
            "avec des missiles balistiques.",
            "Red Sea (off Yemen)",
            "YE",
            {("Ansar Allah (Houthis)", "actor"), ("US forces", "target")},
        ),
    ],
)
def test_rockets_and_missiles_on_curated_areas(
    text: str, place: str, country: str, actors: set[tuple[str, str]]
) -> None:
    m = one(text)
    assert m.sub_event_type == "Shelling/artillery/missile attack"
    # An area is a region below its province: geo_precision 2.
    assert (m.place.name, m.place.country_code, m.place.geo_precision) == (place, country, 2)
    assert {(a.name, a.role) for a in m.actors} == actors


def test_an_article_of_strikes_and_replies_keeps_each_act_in_its_place() -> None:
    text = (
        "Trois personnes ont été tuées vendredi après-midi dans une frappe de drone israélien "
        "qui a visé une voiture dans la ville de Bint Jbeil, au sud du Liban. "
        "Selon l'Agence nationale d'information, le drone a tiré deux missiles sur le véhicule. "
        "En riposte, le Hezbollah a annoncé avoir ciblé avec des roquettes Katioucha une "
        "caserne de l'armée israélienne à Kiryat Shmona. "
        "Jeudi, deux civils avaient été blessés par des tirs d'artillerie israéliens sur Khiam. "
        "Depuis le 8 octobre, plus de 400 personnes ont été tuées au Liban par les attaques "
        "israéliennes."
    )
    events = merge.merge_mentions(extract_events(text, language="fr", published_at=PUB))
    got = [
        (
            g[0].sub_event_type,
            g[0].place.name,
            sorted((a.name, a.role) for a in g[0].actors),
            g[0].fatalities,
            g[0].injured,
            len(g),
        )
        for g in events
    ]
    assert got == [
        # The drone's missiles are the strike's second mention, not a missile attack in Lebanon.
        ("Air/drone strike", "Bent Jbaïl", [("Israel Defense Forces", "actor")], 3, None, 2),
        (
            "Shelling/artillery/missile attack",
            "Qiryat Shmona",
            [("Hezbollah", "actor"), ("Israel Defense Forces", "target")],
            None,
            None,
            1,
        ),
        # The other side's act does not take the previous act's place.
        (
            "Shelling/artillery/missile attack",
            "Khiam",
            [("Israel Defense Forces", "actor")],
            None,
            2,
            1,
        ),
        # "Since 8 October, more than 400 killed" is a running toll, not an event.
    ]


def test_a_protest_told_over_four_sentences_is_one_event_where_it_happened() -> None:
    text = (
        "Des milliers de manifestants se sont rassemblés vendredi devant le siège du gouvernorat "
        "à Nassiriya, dans le sud de l'Irak. "
        "Les forces de sécurité ont tiré à balles réelles pour disperser la foule, tuant deux "
        "manifestants et en blessant une vingtaine. "
        "Des protestataires ont ensuite incendié des pneus et bloqué la route menant à Bassora."
    )
    found = extract_events(text, language="fr", published_at=PUB)
    events = merge.merge_mentions(found)
    assert len(events) == 1
    # The road "leading to Basra" is no place of the act.
    assert {(m.sub_event_type, m.place.name) for m in found} == {
        ("Excessive force against protesters", "Nasiriyah")
    }
    # "une vingtaine" is twenty, not one.
    assert [(m.fatalities, m.injured) for m in found][1] == (2, 20)


def test_a_clash_told_by_its_toll_next_is_the_same_clash_with_its_dead() -> None:
    text = (
        "Les forces du Hachd al-Chaabi ont repoussé dans la nuit de jeudi à vendredi une "
        "attaque des terroristes de Daech contre leurs positions dans la province de Diyala. "
        "Quatre combattants du Hachd ont été tués et six autres blessés dans les affrontements."
    )
    found = extract_events(text, language="fr", published_at=PUB)
    assert len(merge.merge_mentions(found)) == 1
    assert [(m.place.name, m.fatalities, m.injured) for m in found] == [
        ("Diyala", None, None),
        ("Diyala", 4, 6),
    ]


def test_a_syrian_report_keeps_its_news_agency_out_of_yemen() -> None:
    text = (
        "L'armée syrienne a repoussé vendredi une offensive des terroristes de Hayat Tahrir "
        "al-Cham sur l'ouest de la province d'Alep, tuant des dizaines d'assaillants, selon "
        "l'agence SANA. "
        "Des avions de combat russes et syriens ont frappé vendredi des positions terroristes "
        "à Idleb. "
        "L'agence SANA a indiqué qu'un soldat syrien a été tué vendredi par une mine à Deraa."
    )
    found = extract_events(text, language="fr", published_at=PUB)
    assert [(m.sub_event_type, m.place.country_code, m.place.admin1_code) for m in found] == [
        ("Armed clash", "SY", "SY-HL"),
        ("Air/drone strike", "SY", "SY-ID"),
        ("Remote explosive/landmine/IED", "SY", "SY-DR"),
    ]
    assert found[0].fatalities == 10  # "des dizaines": ACLED's conservative 10
    assert ("Russian forces", "actor") in {(a.name, a.role) for a in found[1].actors}


def test_skipped_words_may_carry_a_hyphen_or_an_elision() -> None:
    m = one(
        "Des avions de guerre américano-britanniques ont mené vendredi trois raids contre "
        "l'aéroport de Hodeïda."
    )
    assert (m.sub_event_type, m.place.admin1_code) == ("Air/drone strike", "YE-HU")


@pytest.mark.parametrize(
    ("text", "places"),
    [
        # The region after ", dans" locates the airport: one act, not a second in Kurdistan.
        (
            "Un drone a visé vendredi l'aéroport international d'Erbil, dans la région autonome "
            "du Kurdistan irakien.",
            ["Erbil International Airport"],
        ),
        # An enumeration stays three places in three provinces.
        (
            "Des roquettes ont frappé vendredi Bagdad, Babil et Bassora.",
            ["Babil", "Baghdad", "Basrah"],
        ),
    ],
)
def test_a_region_in_apposition_is_no_second_place(text: str, places: list[str]) -> None:
    assert (
        sorted(m.place.name for m in extract_events(text, language="fr", published_at=PUB))
        == places
    )


def test_the_coalition_led_by_the_united_states_is_us_forces_and_kataeb_hezbollah() -> None:
    m = one(
        "Une frappe américaine a visé vendredi des positions des Kataëb Hezbollah près "
        "d'al-Qaïm, où sont stationnées des forces de la coalition dirigée par les États-Unis."
    )
    assert ("Kataib Hezbollah", "target") in {(a.name, a.role) for a in m.actors}
    assert "United States" not in {a.name for a in m.actors}


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Une bombe a explosé vendredi sur l'autoroute entre Nassiriya et Diwaniya."),
        ("en", "A roadside bomb exploded on Friday on the road between Nasiriyah and Diwaniyah."),
        ("ar", "انفجرت عبوة ناسفة امس على الطريق العام بين الناصرية والديوانية."),
    ],
)
def test_an_act_between_two_towns_is_one_event_near_the_first(language: str, text: str) -> None:
    found = extract_events(text, language=language, published_at=PUB)
    assert [(m.place.name, m.place.geo_precision) for m in found] == [("Nasiriyah", 2)]


@pytest.mark.parametrize(
    ("language", "text", "sub_type"),
    [
        (
            "fr",
            "Des centaines de manifestants se sont rassemblés vendredi à Bagdad pour dénoncer les"
            " frappes américaines.",
            "Peaceful protest",
        ),
        (
            "en",
            "Hundreds of people rallied in Sanaa on Friday to denounce the US air strikes.",
            "Peaceful protest",
        ),
        (
            "es",
            "Cientos de personas se manifestaron el viernes en Bagdad para denunciar los"
            " bombardeos estadounidenses.",
            "Peaceful protest",
        ),
        ("ar", "تظاهر المئات في بغداد امس احتجاجا على الغارات الأمريكية.", "Peaceful protest"),
    ],
)
def test_what_a_crowd_denounces_is_its_grievance_not_an_act(
    language: str, text: str, sub_type: str
) -> None:
    found = extract_events(text, language=language, published_at=PUB)
    assert [m.sub_event_type for m in found] == [sub_type]


def test_a_drone_strike_called_israeli_after_its_weapon_is_the_idfs() -> None:
    found = extract_events(
        "Trois personnes ont été tuées samedi dans une frappe de drone israélienne à Nabatiyé.",
        language="fr",
        published_at=PUB,
    )
    assert [a.name for a in found[0].actors if a.role == "actor"] == ["Israel Defense Forces"]


def test_a_second_target_after_the_first_ones_region_is_a_second_place() -> None:
    found = extract_events(
        "La Résistance islamique en Irak a revendiqué vendredi deux attaques au drone contre la"
        " base d'Aïn al-Asad, dans la province d'al-Anbar, et contre la base de Harir, au"
        " Kurdistan irakien.",
        language="fr",
        published_at=PUB,
    )
    assert [m.place.name for m in found] == ["Ain al-Asad air base", "Harir air base"]


def test_a_road_linking_two_towns_is_near_the_first() -> None:
    found = extract_events(
        "Un engin explosif a visé un convoi vendredi sur la route reliant Bagdad à Babel.",
        language="fr",
        published_at=PUB,
    )
    assert [(m.place.name, m.place.geo_precision) for m in found] == [("Baghdad", 2)]


@pytest.mark.parametrize(
    ("language", "text", "places"),
    [
        # Two towns of one province are two places, one event each (ACLED's rule) ...
        (
            "en",
            "Israeli shelling hit Khiam and Aita al-Shaab on Friday.",
            ["Aita al-Shaab", "Khiam"],
        ),
        (
            "ar",
            "انطلقت امس مظاهرات احتجاج في قصبتي كوية وشقلاوة بمحافظة اربيل.",
            ["Koysinceq", "Shaqlāwah"],
        ),
        # ... but a town that locates another is its reference point, no second place.
        (
            "fr",
            "Une bombe a visé vendredi un convoi dans la région d'al-Yusufiya, au sud de Bagdad.",
            ["al-Yusufiya"],
        ),
        (
            "en",
            "A bomb hit a convoy near the Abu Ghraib base, west of the capital Baghdad, on Friday.",
            ["Abū Ghurayb"],
        ),
    ],
)
def test_towns_of_one_province_are_two_places_but_a_reference_point_is_none(
    language: str, text: str, places: list[str]
) -> None:
    found = extract_events(text, language=language, published_at=PUB)
    assert sorted(m.place.name for m in found) == places


def test_an_official_assassinated_by_gunmen_and_a_repeated_protest() -> None:
    killed = extract_events(
        "À Deraa, un responsable local a été assassiné vendredi par des hommes armés non"
        " identifiés.",
        language="fr",
        published_at=PUB,
    )
    assert [(m.sub_event_type, m.place.name, m.fatalities) for m in killed] == [
        ("Attack", "Dar‘ā", 1)
    ]
    protest = extract_events(
        "Des centaines d'habitants de Soueïda ont de nouveau manifesté vendredi.",
        language="fr",
        published_at=PUB,
    )
    assert [m.sub_event_type for m in protest] == ["Peaceful protest"]


WEST_BANK = (
    "Cisjordanie : quatre Palestiniens tués lors d'un raid israélien à Tulkarem\n"
    "Quatre Palestiniens ont été tués et douze autres blessés mardi à l'aube lors d'une "
    "incursion de l'armée israélienne dans le camp de réfugiés de Nour Chams, à l'est de "
    "Tulkarem, selon le ministère palestinien de la Santé.\n"
    "La veille, un adolescent palestinien de 16 ans avait été abattu par des soldats "
    "israéliens près de Naplouse.\n"
    "Dans la ville d'al-Khalil (Hébron), des colons israéliens ont attaqué des maisons "
    "palestiniennes et incendié deux voitures, a rapporté l'agence Wafa."
)


def test_a_raid_that_killed_palestinians_is_the_armys_attack_and_the_day_before_is_dated() -> None:
    found = extract_events(WEST_BANK, language="fr", published_at="2023-11-07T18:30:00+03:30")
    by_place = {m.place.name: m for m in found}
    raid = by_place["Ţūlkarm"]
    assert (raid.sub_event_type, raid.fatalities, raid.injured) == ("Attack", 4, 12)
    assert (raid.event_date, raid.date_precision) == ("2023-11-07", "day")
    assert [(a.name, a.role) for a in raid.actors] == [("Israel Defense Forces", "actor")]
    # Shot dead by soldiers: their attack, not a battle; one victim despite his age; no
    # drone "abattu" (shot down) here; "la veille" is the day before the raid.
    shot = by_place["Nablus"]
    assert (shot.sub_event_type, shot.fatalities, shot.intercepted) == ("Attack", 1, False)
    assert (shot.event_date, shot.date_precision) == ("2023-11-06", "day")
    assert [(a.name, a.role) for a in shot.actors] == [("Israel Defense Forces", "actor")]
    settlers = by_place["Hebron"]
    assert settlers.sub_event_type == "Looting/property destruction"
    assert [a.name for a in settlers.actors] == ["Israeli settlers"]


@pytest.mark.parametrize(
    ("text", "fatalities"),
    [
        ("Mardi, un soldat israélien a été tué près de Naplouse.", 1),
        ("Mardi, l'adolescent a été abattu par des soldats israéliens près de Naplouse.", 1),
        ("Mardi, deux soldats israéliens ont été tués près de Naplouse.", 2),
    ],
)
def test_one_victim_named_by_a_singular_noun_is_a_toll_of_one(text: str, fatalities: int) -> None:
    assert one(text, "2023-11-07T18:30:00+03:30").fatalities == fatalities


def test_a_base_targeted_by_drones_and_missiles_fired_from_elsewhere() -> None:
    text = (
        "Cinq conseillers militaires iraniens ont été tués samedi dans une frappe israélienne "
        "contre un immeuble de Damas.\n"
        "Selon l'agence SANA, des missiles tirés depuis le Golan occupé ont détruit un "
        "bâtiment résidentiel.\n"
        "Par ailleurs, la base américaine d'al-Tanf a été visée dimanche par deux drones."
    )
    found = extract_events(text, language="fr", published_at="2024-01-21T14:00:00+03:30")
    # Where the missiles came from is no place of the strike: Damascus, told again.
    assert [m.place.name for m in found] == ["Damascus", "Damascus", "al-Tanf garrison"]
    assert found[2].sub_event_type == "Air/drone strike"


def test_a_ship_targeted_with_missiles_far_from_the_verb() -> None:
    m = one(
        "Plus tôt dans la journée, les forces armées yéménites avaient annoncé avoir ciblé un "
        "navire britannique, le « Star Nasia », dans le golfe d'Aden avec plusieurs missiles.",
        "2024-02-03T09:15:00+03:30",
    )
    assert (m.sub_event_type, m.place.name) == ("Shelling/artillery/missile attack", "Gulf of Aden")


def test_similar_rallies_in_a_list_of_towns_and_a_ban_on_any_protest() -> None:
    text = (
        "Des dizaines de milliers de personnes ont défilé dimanche à Paris pour exiger un "
        "cessez-le-feu à Gaza.\n"
        "Des rassemblements similaires ont eu lieu à Lyon, Marseille et Bordeaux.\n"
        "Samedi, un premier rassemblement avait réuni plusieurs centaines de personnes place "
        "de la République.\n"
        "Le ministre a annoncé que toute manifestation pro-palestinienne serait interdite."
    )
    found = extract_events(text, language="fr", published_at="2023-10-22T20:00:00+02:00")
    assert [(m.place.name, m.event_date) for m in found] == [
        ("Paris", "2023-10-22"),
        ("Bordeaux", "2023-10-22"),
        ("Lyon", "2023-10-22"),
        ("Marseille", "2023-10-22"),
        # Told without a place after a list of towns: none of them, the article's city.
        ("Paris", "2023-10-21"),
    ]
    assert {m.sub_event_type for m in found} == {"Peaceful protest"}


def test_a_claim_dates_the_claim_and_a_suicide_belt_sharpens_the_explosions() -> None:
    text = (
        "Au moins 84 personnes ont été tuées mercredi dans deux explosions survenues près du "
        "mausolée du général Soleimani à Kerman.\n"
        "Le groupe terroriste Daech a revendiqué jeudi l'attentat, affirmant que deux de ses "
        "membres avaient fait exploser leurs ceintures d'explosifs au milieu de la foule."
    )
    found = extract_events(text, language="fr", published_at="2024-01-04T16:00:00+03:30")
    # Thursday is when the claim was made: the act told again is Wednesday's at Kerman,
    # and its suicide belts make the two explosions a suicide bombing.
    assert [(m.sub_event_type, m.place.name, m.event_date) for m in found] == [
        ("Suicide bomb", "Kerman", "2024-01-03"),
        ("Suicide bomb", "Kerman", "2024-01-03"),
    ]
    alone = one(
        "Daech a revendiqué jeudi l'attentat suicide de Kerman.", "2024-01-05T10:00:00+03:30"
    )
    assert alone.event_date == "2024-01-04"  # nothing else dates it: the claim's day


def test_the_end_of_a_longer_name_is_no_town_and_home_forces_confirm_a_village() -> None:
    m = one(
        "La Résistance islamique au Liban (Hezbollah) a annoncé avoir pris pour cible lundi "
        "plusieurs positions de l'armée israélienne le long de la frontière, dont la caserne "
        "de Branit et le site de Ruwaisat al-Alam.",
        "2023-11-20T12:30:00+03:30",
    )
    assert m.place.country_code != "IQ"  # not Iraq's al-Alam
    assert m.sub_event_type == "Armed clash"
    clash = one(
        "De violents combats ont opposé mardi l'armée syrienne à Daech près de Ras al-Aïn.",
        "2023-11-20T12:30:00+03:30",
    )
    assert clash.place.country_code == "SY"
    assert [(a.name, a.role) for a in clash.actors] == [
        ("Syrian army", "actor"),
        ("Islamic State", "target"),
    ]


def test_an_israeli_drone_that_also_struck_and_the_israeli_artillery() -> None:
    text = (
        "L'artillerie israélienne a pilonné lundi les environs du village d'Aita al-Chaab.\n"
        "Un drone israélien a par ailleurs visé une voiture sur la route de Bint Jbeil, tuant "
        "trois membres du Hezbollah."
    )
    found = extract_events(text, language="fr", published_at="2023-11-20T12:30:00+03:30")
    assert [(m.sub_event_type, m.fatalities) for m in found] == [
        ("Shelling/artillery/missile attack", None),
        ("Air/drone strike", 3),
    ]
    assert all(m.actors[0].name == "Israel Defense Forces" for m in found)


def test_a_reply_is_not_where_or_what_it_answers() -> None:
    text = (
        "Le Hezbollah a lancé dimanche à l'aube plus de 320 roquettes Katioucha contre 11 bases "
        "militaires israéliennes, en riposte à l'assassinat de son commandant Fouad Chokr fin "
        "juillet à Beyrouth.\n"
        "Quelques minutes plus tôt, l'aviation israélienne avait mené des frappes contre des "
        "dizaines de cibles au Liban-Sud, tuant trois combattants du Hezbollah.\n"
        "Un soldat israélien a été tué et deux autres blessés par des éclats d'obus à Acre."
    )
    found = extract_events(text, language="fr", published_at="2024-08-25T11:00:00+03:30")
    assert [(m.sub_event_type, m.place.country_code, m.place.admin1_code) for m in found] == [
        # Not an assassination in Beirut: rockets on Israeli bases.
        ("Shelling/artillery/missile attack", "IL", None),
        ("Air/drone strike", "LB", "LB-JA"),
        ("Shelling/artillery/missile attack", "IL", "IL-Z"),
    ]
    assert found[1].event_date == "2024-08-25" and found[1].date_precision == "day"
    assert [(a.name, a.role) for a in found[1].actors] == [
        ("Israel Defense Forces", "actor"),
        ("Hezbollah", "target"),
    ]
    assert (found[2].fatalities, found[2].injured) == (1, 2)


def test_soldiers_killed_in_a_bare_attack_and_a_burnt_town_hall() -> None:
    soldiers = one(
        "Onze soldats pakistanais ont été tués mardi soir lors d'une attaque menée par des "
        "terroristes contre un poste de contrôle dans la province du Baloutchistan.",
        "2024-05-22T15:00:00+03:30",
    )
    assert (soldiers.sub_event_type, soldiers.fatalities) == ("Armed clash", 11)
    text = (
        "Plus d'un million de personnes ont manifesté jeudi partout en France contre la "
        "réforme des retraites.\n"
        "À Bordeaux, le porche de l'hôtel de ville a été incendié."
    )
    found = extract_events(text, language="fr", published_at="2023-03-24T10:00:00+01:00")
    assert [(m.sub_event_type, m.place.name) for m in found][-1] == (
        "Looting/property destruction",
        "Bordeaux",
    )


def test_groups_beyond_the_levant_and_a_hyphenated_iranian_province() -> None:
    text = (
        "Deux policiers ont été tués dans la nuit de samedi à dimanche lorsque des individus "
        "armés ont ouvert le feu sur leur véhicule près de la ville de Zahedan.\n"
        "Le groupe terroriste Jaish al-Adl a revendiqué l'attaque.\n"
        "Les forces de sécurité ont arrêté lundi trois suspects dans la province du "
        "Sistan-Baloutchistan."
    )
    found = extract_events(text, language="fr", published_at="2024-02-18T10:00:00+03:30")
    assert [a.name for a in found[0].actors if a.role == "actor"] == ["Jaish al-Adl"]
    # "Baloutchistan" after "Sistan-" is Iran's province, not Pakistan's.
    assert {m.place.country_code for m in found} == {"IR"}
    sahel = one(
        "Une centaine de soldats ont été tués mardi lors d'une attaque contre une base militaire "
        "au Burkina Faso, revendiquée par le Groupe de soutien à l'islam et aux musulmans.",
        "2024-06-12T14:00:00+01:00",
    )
    assert [(a.name, a.role) for a in sahel.actors] == [("JNIM", "actor")]


def test_a_headline_in_the_present_a_long_gap_to_the_drones_and_a_claimed_attack() -> None:
    text = (
        "La Résistance islamique en Irak frappe Haïfa avec des drones\n"
        "La Résistance islamique en Irak a annoncé dans un communiqué avoir ciblé, à l'aube de "
        "ce mercredi, une cible vitale dans le port de Haïfa, dans le nord des territoires "
        "occupés, avec des drones.\n"
        "La veille au soir, la Résistance avait revendiqué une attaque similaire contre la "
        "ville d'Eilat."
    )
    found = extract_events(text, language="fr", published_at="2024-06-12T08:00:00+03:30")
    assert [(m.sub_event_type, m.place.name, m.event_date) for m in found] == [
        ("Air/drone strike", "Haifa", "2024-06-12"),
        ("Air/drone strike", "Haifa", "2024-06-12"),
        ("Attack", "Eilat", "2024-06-11"),
    ]


def test_the_group_the_authorities_suspect_is_the_actor() -> None:
    text = (
        "Au moins cinq personnes ont été tuées dimanche soir dans l'explosion d'une voiture "
        "piégée à l'entrée de la ville de Tikrit.\n"
        "Aucun groupe n'a revendiqué l'attentat, mais les autorités soupçonnent Daech."
    )
    found = extract_events(text, language="fr", published_at="2023-09-18T12:00:00+03:30")
    assert [(a.name, a.role) for a in found[1].actors] == [("Islamic State", "actor")]


def test_two_convoys_told_by_province_then_by_town_a_falling_rocket_and_downed_drones() -> None:
    text = (
        "Deux convois de la coalition dirigée par les États-Unis ont été pris pour cible, "
        "dimanche soir, par des engins explosifs dans les provinces de Dhi Qar et de Babel.\n"
        "La première explosion a visé un convoi près de Nasiriyah, tandis que la seconde a "
        "frappé un autre convoi à Hilla.\n"
        "Par ailleurs, une roquette Katioucha s'est abattue lundi matin près de l'aéroport "
        "international de Bagdad.\n"
        "La veille, deux drones piégés avaient été abattus près de l'aéroport de Bagdad."
    )
    found = extract_events(text, language="fr", published_at="2021-05-24T11:00:00+04:30")
    rows = [(m.sub_event_type, m.place.admin1_code, m.event_date, m.fatalities) for m in found]
    # Each town is told on the day of its province's convoy; a rocket that fell is no
    # interception; drones shot down are no dead.
    assert rows[2:4] == [
        ("Remote explosive/landmine/IED", "IQ-DQ", "2021-05-23", None),
        ("Remote explosive/landmine/IED", "IQ-BB", "2021-05-23", None),
    ]
    assert rows[4] == ("Shelling/artillery/missile attack", "IQ-BG", "2021-05-24", None)
    assert not found[4].intercepted
    assert rows[5] == ("Disrupted weapons use", "IQ-BG", "2021-05-23", None)


def test_us_navy_helicopters_that_sank_houthi_boats() -> None:
    m = one(
        "Des hélicoptères de la marine américaine ont coulé dimanche trois embarcations des "
        "forces armées yéménites en mer Rouge, tuant dix combattants.",
        "2023-12-31T09:00:00+03:30",
    )
    assert (m.sub_event_type, m.place.name, m.fatalities) == (
        "Air/drone strike",
        "Red Sea (off Yemen)",
        10,
    )
    # The navy named inside the cue, before its verb, is the subject: the actor.
    assert [(a.name, a.role) for a in m.actors] == [
        ("US forces", "actor"),
        ("Ansar Allah (Houthis)", "target"),
    ]


def test_a_figure_counts_both_nouns_it_joins_but_not_another_clause() -> None:
    from workers.eventcoding.numbers import casualties

    lex = lexicon("fr")
    joined = "Des dizaines de civils et de soldats ont été tués samedi dans une attaque."
    assert casualties(joined, lex, reach=4) == {"fatalities": 10}
    # "et" before a verb opens another clause: five dead, and no figure for the wounded.
    assert casualties("Ils ont tué cinq et blessé des passants.", lex, reach=4) == {"fatalities": 5}


def test_the_pluperfect_tells_an_act_too() -> None:
    m = one("La semaine dernière, des hommes armés avaient enlevé dix personnes à Kirkouk.")
    assert (m.sub_event_type, m.date_precision) == ("Abduction/forced disappearance", "week")


def test_sentences_after_a_bare_attack_tell_that_attack_not_a_later_one() -> None:
    text = (
        "Des dizaines de civils et de soldats ont été tués samedi dans une attaque jihadiste"
        " contre la commune de Barsalogho, dans le centre-nord du Burkina Faso. Les assaillants"
        " ont pris pour cible des habitants qui creusaient des tranchées. Le gouvernement a"
        " dénoncé une « attaque barbare » et décrété trois jours de deuil national. Au Mali"
        " voisin, l'armée a affirmé lundi avoir « neutralisé » une trentaine de terroristes lors"
        " de frappes aériennes dans la région de Tombouctou."
    )
    found = extract_events(text, language="fr", published_at="2024-08-26T10:00:00+00:00")
    burkina = [m for m in found if m.place.country_code == "BF"]
    assert len(burkina) >= 2 and {m.event_date for m in burkina} == {"2024-08-24"}
    assert [m.place.country_code for m in found if m.sub_event_type == "Air/drone strike"] == ["ML"]
    assert all(0.0 <= m.confidence <= 1.0 for m in found)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "fr",
            "Sept membres du Corps des gardiens de la révolution islamique (CGRI), dont deux"
            " commandants, ont été tués lundi à Damas.",
        ),
        (
            "en",
            "Seven members of the Islamic Revolutionary Guard Corps (IRGC) were killed in"
            " Damascus on Monday.",
        ),
    ],
)
def test_a_long_name_between_a_figure_and_its_verb_counts_as_one_word(
    language: str, text: str
) -> None:
    [m] = extract_events(text, language=language, published_at="2024-04-02T10:00:00+00:00")
    assert (m.fatalities, [a.name for a in m.actors]) == (7, ["IRGC"])


@pytest.mark.parametrize(
    ("text", "dead"),
    [
        ("L'armée a neutralisé une vingtaine de terroristes près de Mossoul lundi.", 20),
        # Devices made safe are no dead.
        ("Les démineurs ont neutralisé trois engins explosifs près de Mossoul lundi.", None),
    ],
)
def test_armed_men_neutralised_are_counted_dead(text: str, dead: int | None) -> None:
    assert one(text).fatalities == dead


@pytest.mark.parametrize(
    ("text", "sub_type"),
    [
        # Armed men named attacking are an act of their own, as in English.
        ("Des hommes armés ont attaqué un village près de Gao dimanche.", "Attack"),
        ("Des hommes armés ont attaqué un camp de déplacés à Djugu dimanche.", "Attack"),
        # What they attack makes it a battle: a base, an army camp, a police post.
        ("Des jihadistes ont attaqué un camp de l'armée à Gao dimanche.", "Armed clash"),
        ("Les shebab ont attaqué une base à Kismayo samedi.", "Armed clash"),
        ("Des assaillants ont pris d'assaut un poste de police à Tillabéri lundi.", "Armed clash"),
        ("Des hommes armés ont attaqué une gendarmerie à Tillabéri lundi.", "Armed clash"),
    ],
)
def test_armed_men_attacking_and_what_they_attack(text: str, sub_type: str) -> None:
    found = extract_events(text, language="fr", published_at="2026-11-30T10:00:00+00:00")
    assert [m.sub_event_type for m in found] == [sub_type]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "fr",
            "Des jihadistes ont attaqué dimanche un camp de l'armée malienne à Gao. Mardi, des"
            " frappes de drones de l'armée ont visé des positions jihadistes près de Gao.",
        ),
        (
            "fr",
            "Des jihadistes ont attaqué dimanche un camp de l'armée malienne à Gao. Mardi, les"
            " drones de l'armée ont frappé des positions jihadistes près de Gao.",
        ),
        (
            "en",
            "Militants attacked a Malian army camp in Gao on Sunday. On Tuesday, army drones"
            " struck militant positions near Gao.",
        ),
    ],
)
def test_the_armys_weapons_strike_for_the_army_named_before(language: str, text: str) -> None:
    found = extract_events(text, language=language, published_at="2026-11-30T10:00:00+00:00")
    strike = next(m for m in found if m.sub_event_type == "Air/drone strike")
    assert [(a.name, a.role) for a in strike.actors] == [("Military Forces of Mali", "actor")]
    # Named by no earlier sentence, the army stays unknown.
    alone = extract_events(
        "Army drones struck militant positions near Gao on Tuesday.",
        language="en",
        published_at="2026-11-30T10:00:00+00:00",
    )
    assert [m.actors for m in alone] == [()]


def test_a_riposte_that_answers_nothing_named_is_the_fight_told_before() -> None:
    text = (
        "NIAMEY (AFP) - Au moins 29 soldats nigériens ont été tués jeudi dans une attaque de"
        " « terroristes » près de Tahoua, a annoncé le ministère de la Défense. Plus de 100"
        " assaillants ont été « neutralisés » lors de la riposte, selon le communiqué."
    )
    found = extract_events(text, language="fr", published_at="2026-11-30T10:00:00+01:00")
    # One battle near Tahoua told twice, its attackers' dead counted (a quotation mark
    # between the auxiliary and the verb hides neither the act nor the toll).
    assert [(m.sub_event_type, m.place.name, m.fatalities) for m in found] == [
        ("Armed clash", "Tahoua", 29),
        ("Armed clash", "Tahoua", 100),
    ]
    alone = extract_events(
        "Plus de 100 assaillants ont été neutralisés lors de la riposte près de Tahoua jeudi.",
        language="fr",
        published_at="2026-11-30T10:00:00+01:00",
    )
    assert [m.place.name for m in alone] == ["Tahoua"]


def test_what_a_reply_answers_is_neither_its_place_nor_its_act() -> None:
    found = extract_events(
        "The jets launched missiles on Tuesday at targets in Idlib, in retaliation for a"
        " poison gas attack in Aleppo on November 7.",
        language="en",
        published_at="2026-11-30T10:00:00+00:00",
    )
    assert [(m.sub_event_type, m.place.name, m.event_date) for m in found] == [
        ("Air/drone strike", "Idlib", "2026-11-24")
    ]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "fr",
            "Des milliers de personnes ont manifesté samedi à Paris contre la réforme des"
            " retraites, la police a procédé à 30 interpellations.",
        ),
        ("en", "Thousands protested in Nairobi on Saturday; police arrested 30 people."),
        (
            "es",
            "Miles de personas marcharon el sábado en Lima; la policía detuvo a 30 manifestantes.",
        ),
    ],
)
def test_arrests_at_a_protest_are_an_intervention(language: str, text: str) -> None:
    found = extract_events(text, language=language, published_at="2026-11-30T10:00:00+00:00")
    assert [m.sub_event_type for m in found] == ["Protest with intervention"]
    assert ("Police forces", "target") in [(a.name, a.role) for a in found[0].actors]


@pytest.mark.parametrize(
    ("text", "sub_type"),
    [
        # "bombarder" alone, as Spanish "bombardear" and English "bombard": shelling.
        (
            "L'armée israélienne a bombardé jeudi le camp de Jabalia.",
            "Shelling/artillery/missile attack",
        ),
        (
            "Des bombardements israéliens ont tué 20 personnes à Gaza jeudi.",
            "Shelling/artillery/missile attack",
        ),
        # By aircraft, an air strike.
        ("Le quartier a été bombardé jeudi par des avions à Gaza.", "Air/drone strike"),
        ("L'aviation israélienne a bombardé jeudi Gaza.", "Air/drone strike"),
    ],
)
def test_bombarding_is_shelling_unless_aircraft_did_it(text: str, sub_type: str) -> None:
    assert one(text).sub_event_type == sub_type


@pytest.mark.parametrize(
    ("text", "language", "kind"),
    [
        ("Vingt soldats ont été tués jeudi près de Tessit, dans la région de Gao.", "fr", 3),
        ("Twenty soldiers were killed in an ambush in the Gao region on Thursday.", "en", 3),
        # The town itself stays the town.
        ("Vingt soldats ont été tués jeudi dans une embuscade à Gao.", "fr", 1),
    ],
)
def test_the_region_named_after_its_capital_is_the_region(
    text: str, language: str, kind: int
) -> None:
    # ISO's "Gao" has three letters, too few for a province name of its own: "la région de
    # Gao" was the town, 150 km from Tessit.
    found = extract_events(text, language=language, published_at=PUB)
    assert [(m.place.admin1_code, m.place.geo_precision) for m in found] == [("ML-7", kind)]


@pytest.mark.parametrize(
    ("text", "language", "code"),
    [
        ("Rebels killed 22 civilians in North Kivu province on Thursday.", "en", "CD-NK"),
        (
            "Separatists killed five soldiers in Cameroon's Northwest Region on Thursday.",
            "en",
            "CM-NW",
        ),
        (
            "Des séparatistes ont tué cinq soldats jeudi dans la région du Nord-Ouest du Cameroun.",
            "fr",
            "CM-NW",
        ),
        (
            "Des jihadistes ont tué 12 personnes jeudi dans le Centre-Nord du Burkina Faso.",
            "fr",
            "BF-05",
        ),
    ],
)
def test_provinces_named_by_compass_words(text: str, language: str, code: str) -> None:
    # ISO's "Nord-Kivu", "North-West", "Centre-Nord" are compass words the gazetteer drops as
    # generic; their curated English and French names stand.
    found = extract_events(text, language=language, published_at=PUB)
    assert [m.place.admin1_code for m in found] == [code]
    # A bare "Nord-Ouest" is Haiti's as much as Cameroon's: no curated name for it.
    haiti = extract_events(
        "Des hommes armés ont tué 12 personnes jeudi dans le Nord-Ouest d'Haïti.",
        language="fr",
        published_at=PUB,
    )
    assert [m.place.country_code for m in haiti] == ["HT"]


@pytest.mark.parametrize(
    ("text", "language", "code"),
    [
        (
            "Fano militiamen attacked a military base in the Amhara region on Thursday.",
            "en",
            "ET-AM",
        ),
        ("Soldiers raped at least 20 women in a village in Tigray on Thursday.", "en", "ET-TI"),
        (
            "Des miliciens Fano ont attaqué jeudi une base militaire dans la région Amhara.",
            "fr",
            "ET-AM",
        ),
        ("Gunmen killed five people in Libya's Wadi al Hayat district on Thursday.", "en", "LY-WD"),
    ],
)
def test_ethiopias_regional_states_and_libyas_districts(
    text: str, language: str, code: str
) -> None:
    # ISO calls them "Regional state" and "Popularate": no province type the gazetteer read.
    found = extract_events(text, language=language, published_at=PUB)
    assert [m.place.admin1_code for m in found] == [code]
    # "Somali" is a people before it is Ethiopia's region.
    somali = extract_events(
        "Somali troops attacked al-Shabaab positions near Kismayo on Thursday.",
        language="en",
        published_at=PUB,
    )
    assert [m.place.country_code for m in somali] == ["SO"]


@pytest.mark.parametrize(
    ("text", "fatalities"),
    [
        ("Une attaque jihadiste a tué 50 soldats près de Djibo.", 50),
        (
            "Au Burkina Faso, une attaque jihadiste contre un convoi a fait une cinquantaine de "
            "morts parmi les soldats, près de Djibo.",
            50,
        ),
    ],
)
def test_killing_soldiers_is_a_battle_in_french_too(text: str, fatalities: int) -> None:
    # As in en, es, ar: undated, the act is this week's battle; "une cinquantaine" is 50
    # (it was "une", 1).
    m = one(text)
    assert (m.sub_event_type, m.fatalities) == ("Armed clash", fatalities)
    civilians = one("Des soldats ont tué 12 civils lors d'une opération près de Djibo jeudi.")
    assert civilians.sub_event_type == "Attack"


def test_an_act_ending_on_an_elided_article_is_read() -> None:
    # "ont pris le contrôle d'El-Facher": the cue ends on "d'", the next word is the town's.
    m = one("Les Forces de soutien rapide ont pris jeudi le contrôle d'El-Facher.")
    assert (m.sub_event_type, m.place.name) == ("Non-state actor overtakes territory", "El Fasher")


@pytest.mark.parametrize(
    ("text", "language", "sub_type", "actor"),
    [
        # A bare strike word with a named force and an armed object, or a counted weapon.
        (
            "L'armée malienne a frappé mardi des positions terroristes à Gao.",
            "fr",
            "Armed clash",
            "Military Forces of Mali",
        ),
        (
            "L'armée tchadienne a frappé mardi une position des rebelles à Abéché.",
            "fr",
            "Armed clash",
            "Military Forces of Chad",
        ),
        (
            "Un drone de l'armée tchadienne a frappé mardi une position des rebelles à Abéché.",
            "fr",
            "Air/drone strike",
            "Military Forces of Chad",
        ),
        (
            "The Malian army struck terrorist positions near Gao on Tuesday.",
            "en",
            "Armed clash",
            "Military Forces of Mali",
        ),
    ],
)
def test_a_force_striking_armed_positions_is_an_event(
    text: str, language: str, sub_type: str, actor: str
) -> None:
    [m] = extract_events(text, language=language, published_at=PUB)
    assert (m.sub_event_type, [a.name for a in m.actors if a.role == "actor"]) == (
        sub_type,
        [actor],
    )


@pytest.mark.parametrize(
    "text",
    [
        # Still right: no armed object, no event; terrorist attacks on civilians stay attacks.
        "L'armée malienne a frappé mardi un grand coup à Gao.",
    ],
)
def test_a_bare_strike_word_without_armed_object_is_no_event(text: str) -> None:
    assert extract_events(text, language="fr", published_at=PUB) == []


def test_terrorist_attacks_on_civilians_stay_attacks() -> None:
    [m] = extract_events(
        "Des attaques terroristes ont tué 10 civils à Gao mardi.", language="fr", published_at=PUB
    )
    assert m.sub_event_type == "Attack"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # "l'État de Kaduna", "the state of Kaduna": the state, not its capital.
        ("Des hommes armés ont tué 12 villageois dans l'État de Kaduna mardi.", "fr"),
        ("Gunmen killed 12 villagers in the state of Kaduna on Tuesday.", "en"),
    ],
)
def test_the_state_of_a_name_is_the_province(text: str, language: str) -> None:
    [m] = extract_events(text, language=language, published_at=PUB)
    assert (m.place.admin1_code, m.place.geo_precision) == ("NG-KD", 3)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "Des jihadistes présumés ont tué au moins 21 civils lors d'une attaque contre un "
            "village du centre du Mali, a-t-on appris jeudi de sources locales.\n"
            "L'attaque, menée mardi soir contre le village de Djiguibombo, près de Bandiagara, "
            "n'a pas été revendiquée.",
            "fr",
        ),
        (
            "Suspected jihadists killed at least 21 civilians in an attack on a village in "
            "central Mali, local sources said Thursday.\n"
            "The attack, carried out Tuesday evening on the village of Djiguibombo near "
            "Bandiagara, has not been claimed.",
            "en",
        ),
    ],
)
def test_the_day_an_act_was_reported_gives_way_to_its_own(text: str, language: str) -> None:
    # Published on Thursday 26 November: the attack was on Tuesday the 24th.
    found = extract_events(text, language=language, published_at="2026-11-26T15:00:00+00:00")
    assert found and {m.event_date for m in found} == {"2026-11-24"}
    assert found[0].fatalities == 21


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # "federal forces" of a state are its military; "ont affronté" armed forces, a battle.
        (
            "Fano militiamen clashed with Ethiopian federal forces in the Amhara region town of "
            "Gondar on Sunday.",
            "en",
        ),
        (
            "Des miliciens Fano ont affronté les forces fédérales éthiopiennes à Gondar dimanche.",
            "fr",
        ),
    ],
)
def test_federal_forces_and_fighting_them(text: str, language: str) -> None:
    [m] = extract_events(text, language=language, published_at=PUB)
    assert m.sub_event_type == "Armed clash"
    assert ("Military Forces of Ethiopia", "target") in [(a.name, a.role) for a in m.actors]


def test_confronting_criticism_is_no_battle() -> None:
    # Still right.
    text = "Le président a affronté les critiques à Gondar dimanche."
    assert extract_events(text, language="fr", published_at=PUB) == []


def test_an_act_in_the_zone_is_in_the_surroundings_of_the_place_before() -> None:
    found = extract_events(
        "Au moins 21 civils ont été tués dimanche dans l'attaque d'un village du cercle de "
        "Bandiagara, au Mali, par des jihadistes présumés. L'armée malienne a mené des frappes "
        "aériennes dans la zone lundi, tuant plusieurs terroristes.",
        language="fr",
        published_at="2026-11-30T12:00:00+00:00",
    )
    strike = [m for m in found if m.sub_event_type == "Air/drone strike"]
    assert [(m.place.name, m.place.geo_precision) for m in strike] == [("Bandiagara", 2)]


@pytest.mark.parametrize(
    "text",
    [
        "Au moins huit civils ont été tués mardi par des obus tombés sur des habitations à Goma.",
        # Still right: the fire of artillery.
        "Trois enfants ont été blessés mardi par des tirs d'artillerie à Goma.",
    ],
)
def test_shells_that_fell_and_the_dead_of_shells(text: str) -> None:
    [m] = extract_events(text, language="fr", published_at="2026-11-30T12:00:00+00:00")
    assert m.sub_event_type == "Shelling/artillery/missile attack"


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "fr",
            "Une frappe israélienne a tué lundi deux membres du Hezbollah dans le sud du Liban, "
            "en dépit du cessez-le-feu en vigueur depuis novembre 2024.",
        ),
        (
            "es",
            "Un ataque israelí mató el lunes a dos miembros de Hezbolá en el sur del Líbano, pese "
            "al alto el fuego vigente desde noviembre de 2024.",
        ),
    ],
)
def test_a_truce_in_force_since_a_month_makes_no_habit(language: str, text: str) -> None:
    [m] = extract_events(text, language=language, published_at="2026-11-30T12:00:00+00:00")
    assert (m.sub_event_type, m.fatalities) == ("Air/drone strike", 2)


def test_a_habit_since_a_month_stays_no_act() -> None:
    # Still right.
    assert not extract_events(
        "L'armée bombarde la région depuis novembre.",
        language="fr",
        published_at="2026-11-30T12:00:00+00:00",
    )


def test_the_strike_told_again_places_it() -> None:
    found = extract_events(
        "Une frappe israélienne a tué lundi deux membres du Hezbollah dans le sud du Liban. La "
        "frappe a visé une voiture près de la localité de Bint Jbeil.",
        language="fr",
        published_at="2026-11-30T12:00:00+00:00",
    )
    assert {(m.place.admin1, m.place.geo_precision) for m in found} == {("Nabatiye", 2)}


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        (
            "Au moins sept personnes ont été tuées samedi dans l'explosion d'une voiture piégée "
            "à Mogadiscio, a indiqué la police.",
            [],
        ),
        (
            "Les Houthis ont lancé mardi deux missiles balistiques contre Eilat, a indiqué "
            "l'armée israélienne.",
            [("Ansar Allah (Houthis)", "actor")],
        ),
    ],
)
def test_who_told_it_after_the_act_is_its_source(text: str, actors: list[tuple[str, str]]) -> None:
    [m] = extract_events(text, language="fr", published_at="2026-11-30T12:00:00+00:00")
    assert [(a.name, a.role) for a in m.actors] == actors
