"""English table tests: types, negation, dates, counts, places, actors; language handling."""

from __future__ import annotations

import datetime as dt

import pytest

from schemas.events import EventMention
from workers.eventcoding import SUPPORTED_LANGUAGES, dates, extract_events, merge, rules
from workers.eventcoding.lexicon import lexicon
from workers.eventcoding.numbers import casualties
from workers.eventcoding.sentences import split

PUB = "2021-01-02T10:30:00+03:30"  # a Saturday


def one(text: str, published_at: str = PUB) -> EventMention:
    mentions = extract_events(text, language="en", published_at=published_at)
    assert len(mentions) == 1, [m.sentence for m in mentions]
    return mentions[0]


@pytest.mark.parametrize(
    ("text", "sub_type"),
    [
        ("A roadside bomb hit a US convoy in Tikrit.", "Remote explosive/landmine/IED"),
        ("Two suicide drones struck Ain al-Asad air base.", "Air/drone strike"),
        ("Israeli warplanes struck targets near Damascus.", "Air/drone strike"),
        ("Rockets landed in Baghdad's Green Zone.", "Shelling/artillery/missile attack"),
        ("A suicide bomber blew himself up at a market in Kirkuk.", "Suicide bomb"),
        ("Heavy clashes erupted between the Syrian army and ISIS near Deir ez-Zor.", "Armed clash"),
        ("Thousands of protesters rallied in Beirut against the government.", "Peaceful protest"),
        ("Troops killed 12 bandits in Zamfara State.", "Armed clash"),
        # Armed men killed are a battle's dead, not victims of violence against civilians.
        ("Twenty militants were killed near Mosul.", "Armed clash"),
        ("Twenty militants were killed in an air strike near Mosul.", "Air/drone strike"),
        # The dead are the attackers' victims, not attackers killed.
        ("Twelve people were killed when the attackers stormed a village in Benue.", "Attack"),
    ],
)
def test_types(text: str, sub_type: str) -> None:
    assert one(text).sub_event_type == sub_type


@pytest.mark.parametrize(
    "text",
    [
        "The base in Erbil was not attacked by drones.",
        "Militants could fire rockets at the Green Zone in Baghdad.",
        "Protesters will rally in Beirut next week.",
        "Read more: Two suicide drones struck Ain al-Asad air base",
        "Rocket attacks on US bases in Iraq have intensified.",
        "In Yemen, plague has killed millions of people over the centuries.",
        "In-ad units are quick to implement on standard banner placements in Texas.",
    ],
)
def test_not_events(text: str) -> None:
    assert extract_events(text, language="en", published_at=PUB) == []


def test_negation_after_the_act_does_not_undo_it() -> None:
    # What the act did not cause is no denial that it happened.
    text = "A roadside bomb exploded in Kirkuk on Friday but did not cause any casualties."
    assert one(text).sub_event_type == "Remote explosive/landmine/IED"


@pytest.mark.parametrize(
    ("phrase", "date", "precision"),
    [
        ("on Thursday", "2020-12-31", "day"),
        ("yesterday", "2021-01-01", "day"),
        ("last Saturday", "2020-12-26", "day"),
        ("on December 20", "2020-12-20", "day"),
        ("on 5 January 2020", "2020-01-05", "day"),
        ("in January 2020", "2020-01-01", "month"),
    ],
)
def test_dates(phrase: str, date: str, precision: str) -> None:
    m = one(f"Rockets landed in Baghdad's Green Zone {phrase}.")
    assert (m.event_date, m.date_precision) == (date, precision)


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("Two suicide drones struck Ain al-Asad air base.", "drones", 2),
        ("Twenty-three rockets landed in the Green Zone in Baghdad.", "rockets", 23),
        (
            "A car bomb exploded in Baghdad, killing five people and wounding dozens.",
            "fatalities",
            5,
        ),
        ("A car bomb exploded in Baghdad, killing five people and wounding dozens.", "injured", 10),
    ],
)
def test_counts(text: str, field: str, value: int) -> None:
    m = one(text)
    got = getattr(m, field) if field in ("fatalities", "injured") else m.counts[field]
    assert got == value


def test_places_and_actors() -> None:
    m = one("Kataib Hezbollah fired rockets at the US embassy in Baghdad on Sunday.")
    assert (m.place.name, m.place.admin1_code, m.place.geo_precision) == (
        "US embassy, Baghdad",
        "IQ-BG",
        1,
    )
    assert [a.name for a in m.actors if a.role == "actor"] == ["Kataib Hezbollah"]
    assert "US embassy" in [a.name for a in m.actors if a.role == "target"]


def test_unknown_attacker_is_not_guessed() -> None:
    m = one("A roadside bomb struck a US military convoy near Baghdad.")
    assert [a for a in m.actors if a.role == "actor"] == []


def test_offsets_point_at_the_sentence() -> None:
    text = "Officials met on Monday.\nTwo suicide drones struck Ain al-Asad air base on Tuesday."
    (m,) = extract_events(text, language="en", published_at=PUB)
    assert text[m.start : m.end] == m.sentence
    assert m.sentence.startswith("Two suicide drones")


@pytest.mark.parametrize("language", [None, "de", "", "xx-YY"])
def test_unsupported_language_gives_nothing(language: str | None) -> None:
    assert (
        extract_events(
            "Two suicide drones struck Ain al-Asad air base.", language=language, published_at=PUB
        )
        == []
    )


def test_language_tags_and_support() -> None:
    assert {"fr", "en"} <= SUPPORTED_LANGUAGES
    assert extract_events(
        "Two suicide drones struck Ain al-Asad air base.", language="en-GB", published_at=PUB
    )


def test_bad_publication_date_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="published_at"):
        extract_events(
            "Two suicide drones struck Ain al-Asad air base.",
            language="en",
            published_at="not a date",
        )


def test_rfc822_publication_date() -> None:
    m = one("Rockets landed in Baghdad's Green Zone yesterday.", "Sat, 02 Jan 2021 10:30:00 +0330")
    assert m.event_date == "2021-01-01"


@pytest.mark.parametrize(
    ("text", "sub_type"),
    [
        (
            "Police fired tear gas to disperse hundreds of protesters in Nairobi.",
            "Protest with intervention",
        ),
        (
            "Security forces opened fire on peaceful protesters, killing six.",
            "Excessive force against protesters",
        ),
        ("Protesters threw stones at the police and set fire to tyres.", "Violent demonstration"),
        ("An angry mob lynched a man accused of theft.", "Mob violence"),
        (
            "The army recaptured the town of Palmyra from ISIS fighters.",
            "Government regains territory",
        ),
        (
            "Rebels seized control of the town after the army fled.",
            "Non-state actor overtakes territory",
        ),
        ("Gunmen shot dead four farmers in the village on Monday.", "Attack"),
        ("Militants attacked an army checkpoint overnight.", "Armed clash"),
        ("Soldiers raped two women during the raid, witnesses said.", "Sexual violence"),
        ("Sappers defused a roadside bomb near the bridge.", "Disrupted weapons use"),
        ("Police seized 50 rifles and 2,000 rounds of ammunition.", "Disrupted weapons use"),
        ("A man threw a hand grenade into the market.", "Grenade"),
        ("The two sides signed a ceasefire agreement in Doha.", "Agreement"),
        ("Rioters looted shops and torched cars overnight.", "Violent demonstration"),
        (
            "Militiamen looted and burned dozens of homes in the village.",
            "Looting/property destruction",
        ),
        ("The rebels set up a new base in the hills.", "Headquarters or base established"),
        (
            "Government troops withdrew from the town, handing control to local elders.",
            "Non-violent transfer of territory",
        ),
        ("The two factions merged into a new coalition.", "Change to group/activity"),
    ],
)
def test_classifier_subtypes(text: str, sub_type: str) -> None:
    lex = lexicon("en")
    assert rules.classify([s.text for s in split(text, lex)], lex) == sub_type


@pytest.mark.parametrize(
    "text",
    [
        "The talks on the budget ended without a decision.",
        "The minister said the economy grew by two percent.",
        "Police did not arrest anyone.",
    ],
)
def test_classifier_no_act(text: str) -> None:
    lex = lexicon("en")
    assert rules.classify([s.text for s in split(text, lex)], lex) is None


@pytest.mark.parametrize(
    ("country", "code"),
    [("Iraq", "IQ"), ("Bangladesh", "BD"), ("Albania", "AL"), ("Armenia", "AM")],
)
def test_a_country_name_is_the_country_not_a_town_geonames_also_calls_so(
    country: str, code: str
) -> None:
    # GeoNames lists "Iraq" among the names of Arāk (Iran), "Bangladesh" for a district of
    # Yerevan, "Albania" for Albany (US), "Armenia" for a Colombian city.
    [m] = extract_events(
        f"A car bomb exploded in {country} on Friday, killing five people.",
        language="en",
        published_at="2021-01-02T10:30:00+03:00",
    )
    assert (m.place.name, m.place.country_code, m.place.geo_precision) == (m.place.name, code, 3)


def test_a_village_counts_when_the_article_names_its_country() -> None:
    def places(text: str) -> list[tuple[str, str, int]]:
        found = extract_events(text, language="en", published_at="2024-07-16T21:40:00+03:30")
        return [(m.place.name, m.place.country_code, m.place.geo_precision) for m in found]

    # Villages of the region (GeoNames, 1,000 people) by their Latin names...
    assert places(
        "Hezbollah rockets fell on Metula in northern Israel on Tuesday, wounding two people."
    ) == [("Metula", "IL", 1)]
    assert places(
        "Israeli drones struck Bint Jbeil in southern Lebanon on Tuesday, killing two people."
    ) == [("Bent Jbaïl", "LB", 1)]
    # ... but only where the article names the country: alone, "Metula" could be a name.
    assert places("Hezbollah rockets fell on Metula on Tuesday, wounding two people.") == []
    # The short and Arabic-script names of villages are words ("Adam", "Midi", "الحكومة").
    assert places("Adam was kidnapped by gunmen in Yemen on Tuesday.") == [("Yemen", "YE", 3)]


def test_this_week_is_the_publication_week_and_last_week_the_one_before() -> None:
    thursday = "2024-07-18T21:40:00+03:30"
    for words, date in (("earlier this week", "2024-07-17"), ("last week", "2024-07-11")):
        [m] = extract_events(
            f"Two drones struck the Ain al-Asad air base {words}.",
            language="en",
            published_at=thursday,
        )
        assert (m.event_date, m.date_precision, m.date_text) == (date, "week", words)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Protesters rallied in Philadelphia on Friday.", ("Philadelphia", "US")),  # not Amman
        ("Protesters rallied in Los Angeles on Friday.", ("Los Angeles", "US")),  # not Chile's
        ("Protesters rallied outside the White House on Friday.", None),  # not Casablanca
    ],
)
def test_a_town_by_its_own_name_and_the_bigger_of_two(
    text: str, place: tuple[str, str] | None
) -> None:
    found = extract_events(text, language="en", published_at="2021-01-02T10:30:00+03:00")
    assert [(m.place.name, m.place.country_code) for m in found] == ([place] if place else [])


def test_a_state_after_in_is_a_place_and_not_a_party() -> None:
    [m] = extract_events(
        "Thousands of protesters rallied across the United States on Wednesday.",
        language="en",
        published_at="2021-01-02T10:30:00+03:00",
    )
    assert (m.place.name, m.place.country_code) == ("United States", "US")
    assert "United States" not in {a.name for a in m.actors}
    [strike] = extract_events(
        "The United States launched air strikes near al-Qaim in Iraq on Friday.",
        language="en",
        published_at="2021-01-02T10:30:00+03:00",
    )
    # The state launching strikes is its military (ACLED's Military Forces of the United
    # States), as "Russia launched" is Russia's forces.
    assert {a.name: a.role for a in strike.actors} == {"US forces": "actor"}


def test_the_crowd_is_the_actor_of_its_protest_and_the_police_the_other_side() -> None:
    # ACLED's actor 1 of a protest is the protesters; the force that intervened is actor 2.
    [m] = extract_events(
        "Iraqi police fired tear gas at protesters in Basra on Wednesday.",
        language="en",
        published_at="2021-01-02T10:30:00+03:00",
    )
    assert m.event_type == "Protests"
    roles = {a.name: a.role for a in m.actors}
    assert roles["Protesters"] == "actor"
    assert {role for name, role in roles.items() if name != "Protesters"} == {"target"}


@pytest.mark.parametrize(
    ("text", "language", "sub_type"),
    [
        (
            "Security forces opened fire on protesters in Baghdad on Tuesday, killing three "
            "people.",
            "en",
            "Excessive force against protesters",
        ),
        (
            "Les forces de sécurité ont ouvert le feu sur des manifestants mardi à Bagdad.",
            "fr",
            "Excessive force against protesters",
        ),
        (
            "La police irakienne a dispersé mardi à coups de gaz lacrymogène des manifestants à "
            "Bassora.",
            "fr",
            "Protest with intervention",
        ),
        ("Gunmen opened fire on an army checkpoint in Baghdad on Tuesday.", "en", "Armed clash"),
        (
            "Hombres armados abrieron fuego contra un puesto de control del ejército en Bagdad "
            "el martes.",
            "es",
            "Armed clash",
        ),
    ],
)
def test_fire_on_a_crowd_is_excessive_force_and_on_a_checkpoint_no_base(
    text: str, language: str, sub_type: str
) -> None:
    found = extract_events(text, language=language, published_at="2021-01-02T10:30:00+03:00")
    assert [m.sub_event_type for m in found] == [sub_type]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("A roadside bomb killed three soldiers in Helmand on Tuesday.", "AF-HEL"),
        ("Gunmen killed twelve villagers in North Darfur on Tuesday.", "SD-DN"),
        ("Militants attacked a village in Borno on Tuesday, killing five people.", "NG-BO"),
    ],
)
def test_provinces_of_every_country_come_from_iso_3166_2(text: str, code: str) -> None:
    [m] = extract_events(text, language="en", published_at="2021-01-02T10:30:00+03:00")
    assert (m.place.admin1_code, m.place.geo_precision) == (code, 3)


@pytest.mark.parametrize(
    ("town", "code", "admin1"),
    [
        ("Zahedan", "IR-11", "Sistan and Baluchestan"),
        ("Peshawar", "PK-KP", "Khyber Pakhtunkhwa"),
        ("Maiduguri", "NG-BO", "Borno"),
        ("Kandahar", "AF-KAN", "Kandahar"),
    ],
)
def test_towns_beyond_the_region_have_their_iso_province_and_its_english_name(
    town: str, code: str, admin1: str
) -> None:
    [m] = extract_events(
        f"Gunmen killed two police officers in {town} on Tuesday.", language="en", published_at=PUB
    )
    assert (m.place.admin1_code, m.place.admin1, m.place.geo_precision) == (code, admin1, 1)


def test_a_town_and_its_province_reported_apart_are_one_event_beyond_the_region() -> None:
    # The merge rule joins a province-level report to a town of that province: it needs the
    # town's ISO province, which towns outside the region lacked.
    town = extract_events(
        "Gunmen killed two police officers in Zahedan on Tuesday.", language="en", published_at=PUB
    )
    province = extract_events(
        "Gunmen killed two policemen in Sistan and Baluchestan province on Tuesday.",
        language="en",
        published_at=PUB,
    )
    assert province[0].place.geo_precision == 3
    assert len(merge.merge_mentions([*town, *province])) == 1


def test_a_politician_at_a_rally_is_no_protest() -> None:
    assert (
        extract_events(
            "Trump said at a rally in Louisiana last week that voters back him.",
            language="en",
            published_at="2021-01-02T10:30:00+03:00",
        )
        == []
    )


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Houthi forces shot down a US MQ-9 Reaper drone over Marib province on Thursday."),
        ("fr", "L'armée yéménite a affirmé jeudi avoir abattu un drone américain à Marib."),
        ("es", "Los hutíes derribaron un dron estadounidense en Marib el jueves."),
        ("ar", "أسقطت الدفاعات الجوية اليمنية طائرة أمريكية مسيرة في مأرب أمس."),
    ],
)
def test_a_drone_shot_down_with_no_target_is_disrupted_weapons_use(
    language: str, text: str
) -> None:
    found = extract_events(text, language=language, published_at=PUB)
    assert [m.sub_event_type for m in found] == ["Disrupted weapons use"]
    assert found[0].place.country_code == "YE"


def test_a_shot_down_attack_is_still_the_attack_and_a_downed_pilot_no_event() -> None:
    m = one("Two drones targeted Ain al-Asad air base on Friday; both were shot down.")
    assert (m.sub_event_type, m.intercepted) == ("Air/drone strike", True)
    text = "McCain was held there after he was shot down in his Navy jet over Hanoi."
    assert extract_events(text, language="en", published_at=PUB) == []


def test_a_province_named_before_its_word_is_the_province() -> None:
    m = one("A roadside bomb exploded in Marib province on Friday.")
    assert (m.place.admin1_code, m.place.geo_precision) == ("YE-MA", 3)


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("An Israeli drone strike hit a car in Tripoli, northern Lebanon, on Friday.", "LB"),
        ("Clashes broke out on Friday in Tripoli between Libyan armed groups.", "LY"),
        ("Lebanon fears escalation. Clashes broke out in Tripoli on Friday.", "LB"),
    ],
)
def test_a_town_several_countries_share_is_the_one_in_the_articles_country(
    text: str, country: str
) -> None:
    found = extract_events(text, language="en", published_at=PUB)
    assert {m.place.country_code for m in found} == {country}


def test_a_state_forces_strike_is_an_air_strike() -> None:
    assert one("Israeli strikes killed five people in Khan Younis on Friday.").sub_event_type == (
        "Air/drone strike"
    )


@pytest.mark.parametrize(
    ("language", "text", "date", "precision"),
    [
        ("en", "A roadside bomb exploded in Kirkuk two weeks ago.", "2020-12-19", "week"),
        ("en", "A roadside bomb exploded in Kirkuk a year ago.", "2020-01-01", "year"),
        ("fr", "Une bombe a explosé il y a 3 jours à Kirkouk.", "2020-12-30", "day"),
        ("fr", "Une bombe a explosé à Kirkouk il y a deux ans.", "2019-01-01", "year"),
        ("es", "Un coche bomba explotó en Bagdad hace dos meses.", "2020-11-01", "month"),
        ("ar", "انفجرت عبوة ناسفة في كركوك قبل ثلاثة أيام.", "2020-12-30", "day"),
        ("ar", "انفجرت عبوة ناسفة في كركوك قبل عامين.", "2019-01-01", "year"),
        ("ar", "انفجرت عبوة ناسفة في كركوك قبل أسبوع.", "2020-12-26", "week"),
    ],
)
def test_a_span_ago_counts_back_from_publication(
    language: str, text: str, date: str, precision: str
) -> None:
    found = extract_events(text, language=language, published_at=PUB)
    assert [(m.event_date, m.date_precision) for m in found] == [(date, precision)]


def test_days_before_another_date_are_not_counted_from_publication() -> None:
    # "two days before the elections" is relative to the elections, not to today.
    text = "انفجرت عبوة ناسفة في كركوك قبل يومين من الانتخابات."
    found = extract_events(text, language="ar", published_at=PUB)
    assert [m.date_text for m in found] == [None]


def test_a_sea_is_a_curated_area_not_a_sudanese_state() -> None:
    m = one("Yemen's armed forces said on Friday they had targeted a US destroyer in the Red Sea.")
    assert (m.place.country_code, m.place.admin1_code, m.place.geo_precision) == ("YE", "YE-HU", 2)
    assert {(a.name, a.role) for a in m.actors} == {
        ("Ansar Allah (Houthis)", "actor"),
        ("US forces", "target"),
    }


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Une frappe israélienne a visé vendredi un immeuble à Saïda, dans le sud du Liban."),
        (
            "es",
            "Cinco civiles murieron el viernes en un bombardeo israelí contra una casa en Rafah.",
        ),
        ("en", "Israeli strikes killed five people in Khan Younis on Friday."),
        ("ar", "استشهد خمسة فلسطينيين أمس في غارة إسرائيلية على منزل في خان يونس."),
    ],
)
def test_a_states_strike_is_an_air_strike_and_the_state_its_actor(language: str, text: str) -> None:
    found = extract_events(text, language=language, published_at=PUB)
    assert [(m.sub_event_type, [(a.name, a.role) for a in m.actors]) for m in found] == [
        ("Air/drone strike", [("Israel Defense Forces", "actor")])
    ]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("es", "Cazas israelíes bombardearon anoche Nabatieh y Tiro."),
        ("ar", "قصفت طائرات حربية أمس النبطية ومدينة صور."),
        ("fr", "Des avions ont bombardé hier Nabatiyé et Tyr."),
    ],
)
def test_towns_joined_by_the_languages_and_in_two_provinces_are_two_events(
    language: str, text: str
) -> None:
    found = extract_events(text, language=language, published_at=PUB)
    assert sorted(m.place.admin1_code or "" for m in found) == ["LB-JA", "LB-NA"]


def test_spanish_names_of_west_bank_towns_and_the_occupation_forces() -> None:
    text = "Las fuerzas de ocupación israelíes detuvieron el viernes a 18 palestinos en Yenín."
    found = extract_events(text, language="es", published_at=PUB)
    assert [(m.place.name, [a.name for a in m.actors]) for m in found] == [
        ("Janīn", ["Israel Defense Forces"])
    ]


@pytest.mark.parametrize(
    ("language", "text", "events"),
    [
        # Recalled in a relative clause, undated: what readers know, not this week's news.
        ("en", "Mughniyeh, who was killed in a car bombing in Damascus, led operations.", 0),
        ("fr", "Le commandant, qui a été tué dans une frappe aérienne à Bagdad, était connu.", 0),
        ("es", "El comandante, quien murió en un bombardeo aéreo en Bagdad, era conocido.", 0),
        ("ar", "عماد مغنية الذي قتل في انفجار سيارة مفخخة بدمشق كان في اجتماع.", 0),
        # Dated to the day, it is an event (background history counts when dated); a year
        # alone dates background (since rules-2.95).
        (
            "en",
            "Mughniyeh, who was killed in a car bombing in Damascus on February 12, 2008, led it.",
            1,
        ),
        ("en", "Mughniyeh, who was killed in a car bombing in Damascus in 2008, led it.", 0),
        # The act of the main clause stays.
        ("en", "A car bomb that wounded Mughniyeh exploded in Damascus.", 1),
    ],
)
def test_an_undated_act_recalled_in_a_relative_clause_is_no_event(
    language: str, text: str, events: int
) -> None:
    assert len(extract_events(text, language=language, published_at=PUB)) == events


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Since October 8, more than 400 people have been killed in Lebanon by airstrikes."),
        ("es", "Desde el 8 de octubre, más de 400 personas han muerto en Líbano por bombardeos."),
        ("ar", "قتل أكثر من 400 شخص في لبنان بالغارات منذ بدء الحرب."),
    ],
)
def test_a_running_toll_since_a_date_is_no_event(language: str, text: str) -> None:
    assert extract_events(text, language=language, published_at=PUB) == []


def test_arabic_mundhu_with_a_number_is_ago() -> None:
    found = extract_events(
        "انفجرت عبوة ناسفة في كركوك منذ ثلاثة أيام.", language="ar", published_at=PUB
    )
    assert [(m.event_date, m.date_precision) for m in found] == [("2020-12-30", "day")]


@pytest.mark.parametrize(
    ("text", "sub_type"),
    [
        ("Police found and defused a roadside bomb in Kirkuk on Friday.", "Disrupted weapons use"),
        ("A roadside bomb was defused by police in Kirkuk on Friday.", "Disrupted weapons use"),
        ("Security forces seized 20 rockets in Basra on Friday.", "Disrupted weapons use"),
        # Finding the launch pad after the rockets hit disrupts nothing.
        (
            "Two rockets hit Baghdad airport on Friday and police later found the launch pad.",
            "Shelling/artillery/missile attack",
        ),
    ],
)
def test_weapons_found_are_disrupted_but_an_attack_followed_by_a_find_is_the_attack(
    text: str, sub_type: str
) -> None:
    assert one(text).sub_event_type == sub_type


def test_us_and_british_warplanes_are_both_actors() -> None:
    m = one("US and British warplanes struck the port of Hodeidah on Friday.")
    assert {(a.name, a.role) for a in m.actors} == {("US forces", "actor"), ("UK forces", "actor")}


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "A car bomb exploded on Haifa Street in Baghdad on Friday."),
        ("ar", "انفجرت سيارة مفخخة في شارع حيفا ببغداد أمس."),
        ("fr", "Une voiture piégée a explosé vendredi rue de Damas à Bagdad."),
    ],
)
def test_a_street_named_after_a_town_is_in_its_own_town(language: str, text: str) -> None:
    found = extract_events(text, language=language, published_at=PUB)
    assert [m.place.name for m in found] == ["Baghdad"]


@pytest.mark.parametrize(
    ("language", "text", "fatalities", "injured"),
    [
        (
            "en",
            "At least 18 Palestinians, including six children, were killed in Gaza on Friday.",
            18,
            None,
        ),
        (
            "fr",
            "Douze personnes, dont trois enfants, ont été tuées vendredi dans une frappe à Gaza.",
            12,
            None,
        ),
        ("es", "Diez personas, entre ellas tres niños, murieron el viernes en Gaza.", 10, None),
        (
            "en",
            "Israeli tanks shelled Khan Younis on Friday, wounding at least five people.",
            None,
            5,
        ),
        ("ar", "أسفر انفجار عبوة ناسفة في كركوك أمس عن مقتل ما لا يقل عن خمسة أشخاص.", 5, None),
    ],
)
def test_a_toll_is_its_total_not_a_subset_and_qualifiers_are_no_number(
    language: str, text: str, fatalities: int | None, injured: int | None
) -> None:
    found = extract_events(text, language=language, published_at=PUB)
    assert [(m.fatalities, m.injured) for m in found] == [(fatalities, injured)]


@pytest.mark.parametrize(
    ("language", "text", "date"),
    [
        ("en", "A mortar round landed near the US embassy in Baghdad overnight.", "2021-01-01"),
        (
            "fr",
            "Une roquette est tombée la nuit dernière près de l'ambassade américaine à Bagdad.",
            "2021-01-01",
        ),
        ("ar", "سقطت قذيفة هاون الليلة الماضية قرب السفارة الأمريكية في بغداد.", "2021-01-01"),
        ("ar", "سقطت قذيفة هاون الليلة قبل الماضية قرب السفارة الأمريكية في بغداد.", "2020-12-31"),
    ],
)
def test_last_night_is_the_day_before_publication(language: str, text: str, date: str) -> None:
    found = extract_events(text, language=language, published_at=PUB)
    assert [(m.event_date, m.date_precision) for m in found] == [(date, "day")]


def test_the_act_is_placed_by_its_own_clause() -> None:
    text = (
        "The Israeli military said it hit targets in Khan Younis on Friday, hours after rockets "
        "were fired at Sderot."
    )
    found = extract_events(text, language="en", published_at=PUB)
    assert [(m.sub_event_type, m.place.name) for m in found] == [
        ("Shelling/artillery/missile attack", "Sderot")
    ]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        # The negation runs into the act's own words.
        ("en", "No rockets were fired at Baghdad airport on Friday."),
        ("fr", "Aucune frappe n'a visé Bagdad vendredi."),
        # Spanish "no" before a verb in the simple past.
        ("es", "El ejército no bombardeó Idlib el viernes."),
    ],
)
def test_negated_acts_in_every_language_are_no_events(language: str, text: str) -> None:
    assert extract_events(text, language=language, published_at=PUB) == []


@pytest.mark.parametrize(
    ("language", "text", "events"),
    [
        ("en", "Iraqi forces foiled a suicide attack in Kirkuk on Friday.", 0),
        ("fr", "Les forces irakiennes ont déjoué un attentat-suicide à Kirkouk vendredi.", 0),
        ("es", "Las fuerzas iraquíes frustraron un atentado suicida en Kirkuk el viernes.", 0),
        ("en", "Protesters are expected to rally in Beirut on Saturday.", 0),
        ("fr", "Des manifestations sont prévues samedi à Beyrouth.", 0),
        ("ar", "هددت حماس بإطلاق صواريخ على تل أبيب.", 0),
        ("en", "A bomb killed four soldiers in Kirkuk on Friday, police said.", 1),
        ("ar", "تبنى تنظيم داعش الهجوم الانتحاري الذي وقع أمس في بغداد.", 1),
    ],
)
def test_foiled_announced_and_threatened_acts_are_no_events(
    language: str, text: str, events: int
) -> None:
    assert len(extract_events(text, language=language, published_at=PUB)) == events


def test_as_a_result_of_opens_the_causes_own_clause() -> None:
    # The future ("are expected to") is the departure's, not the deal's.
    text = "Thousands are expected to leave Zabadani as a result of the deal."
    assert rules.classify([text], lexicon("en")) == "Agreement"


@pytest.mark.parametrize(
    ("language", "text", "sub_type", "fatalities"),
    [
        ("es", "El Ejército israelí mató el viernes a cinco palestinos en Yenín.", "Attack", 5),
        ("ar", "قتل خمسة فلسطينيين برصاص الجيش الإسرائيلي في جنين أمس.", "Attack", 5),
        (
            "fr",
            "Cinq Palestiniens ont été tués vendredi par des tirs de l'armée israélienne à Jénine.",
            "Attack",
            5,
        ),
        (
            "es",
            "Milicianos proiraníes lanzaron el viernes dos drones contra la base de Ain al Asad.",
            "Air/drone strike",
            None,
        ),
    ],
)
def test_killings_by_forces_name_the_forces_as_actor(
    language: str, text: str, sub_type: str, fatalities: int | None
) -> None:
    found = extract_events(text, language=language, published_at=PUB)
    assert [(m.sub_event_type, m.fatalities) for m in found] == [(sub_type, fatalities)]
    if fatalities:
        assert [(a.name, a.role) for a in found[0].actors] == [("Israel Defense Forces", "actor")]


def test_a_datelines_day_is_no_toll() -> None:
    m = one("MOSUL, Iraq, Jan 1 (AP) — Gunmen killed three policemen at a checkpoint on Friday.")
    assert m.fatalities == 3


def test_an_attack_word_elsewhere_does_not_join_an_act_in_another_province() -> None:
    text = (
        "Turkish artillery shelled villages around Tal Tamr in northeast Syria on Friday. "
        "In Raqqa, unknown gunmen assassinated a local council member on Friday."
    )
    found = extract_events(text, language="en", published_at=PUB)
    # "Tal Tamr" is no "Tall" (a town near Damascus), and Raqqa's killing is its own act.
    assert {m.place.name for m in found} == {"Tall Tamr", "Ar Raqqah"}
    assert len(merge.merge_mentions(found)) == 2


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("An Israeli airstrike hit a house in Jabalia on Friday.", "PS-NGZ"),
        ("An Israeli airstrike hit a house in Nuseirat on Friday.", "PS-DEB"),
        ("Israeli troops arrested ten Palestinians in Jenin on Friday.", "PS-JEN"),
    ],
)
def test_palestinian_towns_carry_their_governorate(text: str, code: str) -> None:
    assert one(text).place.admin1_code == code


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "en",
            "Israeli jets struck Khan Younis on Friday, killing five people, while Hezbollah"
            " fired rockets at Metula in northern Israel, wounding two.",
            [
                ("Air/drone strike", "Khān Yūnis", "Israel Defense Forces", 5, None),
                ("Shelling/artillery/missile attack", "Metula", "Hezbollah", None, 2),
            ],
        ),
        (
            "fr",
            "Des avions israéliens ont bombardé Khan Younès, tandis que des chars ont pilonné"
            " Rafah.",
            [
                ("Air/drone strike", "Khān Yūnis", "Israel Defense Forces", None, None),
                ("Shelling/artillery/missile attack", "Rafaḩ", None, None, None),
            ],
        ),
        (
            "es",
            "Un coche bomba mató a tres personas en Kirkuk, mientras que en Mosul hombres"
            " armados asesinaron a dos policías.",
            [
                ("Remote explosive/landmine/IED", "Kirkuk", None, 3, None),
                # Gunmen against the police: ACLED's armed clash.
                ("Armed clash", "Mosul", None, 2, None),
            ],
        ),
        (
            "ar",
            "قتل خمسة أشخاص في انفجار سيارة مفخخة في كركوك أمس، فيما أسفر انفجار عبوة ناسفة"
            " عن مقتل ثلاثة في الموصل.",
            [
                ("Remote explosive/landmine/IED", "Kirkuk", None, 5, None),
                ("Remote explosive/landmine/IED", "Mosul", None, 3, None),
            ],
        ),
    ],
)
def test_clauses_that_report_acts_at_places_of_their_own_are_events_of_their_own(
    language: str, text: str, expected: list[tuple[str, str, str | None, int | None, int | None]]
) -> None:
    # One sentence, two acts: each clause keeps its own type, place, actor and toll (one
    # clause's dead are not the other's, its attacker not the other's target).
    found = extract_events(text, language=language, published_at=PUB)
    got = [
        (
            m.sub_event_type,
            m.place.name,
            next((a.name for a in m.actors if a.role == "actor"), None),
            m.fatalities,
            m.injured,
        )
        for m in found
    ]
    assert got == expected
    assert {m.event_date for m in found} == {found[0].event_date}  # the sentence's date


@pytest.mark.parametrize(
    "text",
    [
        # The second clause names no place: the crowd's own act, one event.
        "Police fired tear gas at protesters in Baghdad while they threw stones.",
        # Both clauses at one place: one act told twice.
        "Jets struck Khan Younis on Friday while tanks shelled Khan Younis.",
        # A village whose country the article never names is no place of its own.
        "Israeli jets struck Khan Younis on Friday while Hezbollah fired rockets at Metula.",
        # Not a joining word: the clause tells the circumstance of one act.
        "Two soldiers were killed by a roadside bomb in Kirkuk while patrolling near Hawija.",
    ],
)
def test_clauses_without_places_of_their_own_stay_one_act(text: str) -> None:
    assert len(extract_events(text, language="en", published_at=PUB)) == 1


@pytest.mark.parametrize(
    ("language", "text", "events"),
    [
        # What a relative clause after the act says will happen is its subject's future.
        (
            "en",
            "Five mortar shells exploded near the residence of the prime minister in Mogadishu,"
            " who is scheduled to meet the envoy later.",
            1,
        ),
        ("en", "Five mortar shells are scheduled to be fired at Mogadishu.", 0),
        ("fr", "Une manifestation était prévue à Bagdad samedi.", 0),
        ("es", "Una manifestación estaba prevista en Bagdad el sábado.", 0),
    ],
)
def test_a_schedule_scopes_over_its_own_clause(language: str, text: str, events: int) -> None:
    assert len(extract_events(text, language=language, published_at=PUB)) == events


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # One victim named by a singular noun is a toll of one.
        ("en", "A soldier was killed in Baghdad.", {"fatalities": 1}),
        ("en", "Gunmen shot dead a policeman in Baghdad.", {"fatalities": 1}),
        ("en", "The Israeli army killed a Palestinian teenager near Jenin.", {"fatalities": 1}),
        ("es", "Un soldado murió en Bagdad.", {"fatalities": 1}),
        ("ar", "أسفر الانفجار عن مقتل شرطي وإصابة امرأة بجروح.", {"fatalities": 1, "injured": 1}),
        # The killer is no victim, and a figure after a singular noun is the toll.
        ("en", "The soldier killed two gunmen.", {"fatalities": 2}),
        ("ar", "قتل مسلح ثلاثة أشخاص.", {}),
        # A figure elsewhere in the sentence wins over the one person.
        (
            "ar",
            "أسفر الانفجار عن إصابة قائد الشرطة إضافة إلى إصابة ستة عناصر من حماية الموكب.",
            {"injured": 6},
        ),
        # Skipped words do not make a victim: "The Syrian [army killed and] wounded" (the
        # toll is the vague figure, since rules-3.27).
        ("en", "The Syrian army killed and wounded scores of fighters.", {"injured": 10}),
        # A death the crowd protests is its grievance, not the protest's toll.
        ("ar", "تظاهر المئات في أثينا احتجاجا على مقتل فتى برصاص الشرطة.", {}),
        ("ar", "تظاهر المئات احتجاجا على مقتل 3 متظاهرين.", {}),
    ],
)
def test_one_person_named_is_a_toll_of_one(
    language: str, text: str, expected: dict[str, int]
) -> None:
    assert casualties(text, lexicon(language), reach=4) == expected


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "en",
            "Gunmen killed two policemen in Mosul on Friday, and a roadside bomb wounded three"
            " soldiers in Kirkuk, police said.",
        ),
        (
            "fr",
            "Des hommes armés ont tué deux policiers à Mossoul vendredi, et une bombe a blessé"
            " trois soldats à Kirkouk.",
        ),
        (
            "es",
            "Hombres armados mataron a dos policías en Mosul el viernes, y una bomba hirió a tres"
            " soldados en Kirkuk.",
        ),
        ("ar", "قتل مسلحون شرطيين في الموصل امس، وأصيب ثلاثة جنود بانفجار عبوة ناسفة في كركوك."),
    ],
)
def test_a_roundup_joined_by_and_is_two_events(language: str, text: str) -> None:
    found = extract_events(text, language=language, published_at=PUB)
    got = [(m.place.name, m.fatalities, m.injured) for m in found]
    assert got == [("Mosul", 2, None), ("Kirkuk", None, 3)]
    assert found[1].sub_event_type == "Remote explosive/landmine/IED"


def test_a_province_and_its_town_in_two_clauses_are_one_act() -> None:
    text = (
        "وفي الديوانية، تظاهر الآلاف احتجاجا على تشكيل المجالس، وتجمع المتظاهرون أمام المبنى"
        " القديم لمحافظة الديوانية."
    )
    assert len(extract_events(text, language="ar", published_at=PUB)) == 1


@pytest.mark.parametrize(
    ("language", "text", "place"),
    [
        # The dateline is where the report was filed: the act's own place wins ...
        (
            "en",
            "SANAA, Jan 1 (Reuters) — Houthi drones struck a cargo ship in the Red Sea on Friday.",
            "Red Sea (off Yemen)",
        ),
        ("fr", "BEYROUTH (AFP) - Une frappe de drone israélienne a visé Tyr vendredi.", "Tyre"),
        ("ar", "بيروت - وكالات الانباء: شنت طائرات إسرائيلية غارة على صور امس.", "Tyre"),
        # ... and stands when the text gives no other ...
        ("en", "MOSUL, Iraq (AP) — A car bomb exploded near a market on Friday.", "Mosul"),
        ("en", "MOSUL, Iraq (AP) — A car bomb exploded in March, killing five.", "Mosul"),
        # ... but only for its country when the text names a town the gazetteer lacks.
        ("en", "BAMAKO (Reuters) — Gunmen killed 30 civilians in Moura on Friday.", "Mali"),
        ("en", "BAMAKO (AP) — Gunmen killed 30 people in the village of Moura.", "Mali"),
        ("fr", "BAMAKO (AFP) - Des hommes armés ont tué 30 civils à Moura vendredi.", "Mali"),
    ],
)
def test_a_dateline_is_the_place_only_when_the_act_has_none(
    language: str, text: str, place: str
) -> None:
    found = extract_events(text, language=language, published_at=PUB)
    assert [m.place.name for m in found] == [place]


def test_a_strike_hours_after_another_is_an_act_of_its_own() -> None:
    text = (
        "The Houthis said on Friday they had targeted a cargo ship in the Red Sea with two drones,"
        " hours after US warplanes struck positions around Hodeidah."
    )
    found = extract_events(text, language="en", published_at=PUB)
    got = [
        (m.sub_event_type, m.place.name, [a.name for a in m.actors if a.role == "actor"])
        for m in found
    ]
    # The bare "targeted" with two drones counted is a drone strike, and it does not join the
    # other clause's act.
    assert got == [
        ("Air/drone strike", "Red Sea (off Yemen)", ["Ansar Allah (Houthis)"]),
        ("Air/drone strike", "Al Ḩudaydah", ["US forces"]),
    ]


@pytest.mark.parametrize(
    ("language", "text", "actor"),
    [
        (
            "en",
            "A roadside bomb killed two soldiers in Abyan on Friday, a local official said,"
            " blaming al-Qaeda in the Arabian Peninsula.",
            "AQAP",
        ),
        (
            "es",
            "Un coche bomba mató a dos soldados en Kirkuk el viernes; el gobierno culpó al"
            " Estado Islámico.",
            "Islamic State",
        ),
    ],
)
def test_whom_the_report_blames_is_the_attributed_actor(
    language: str, text: str, actor: str
) -> None:
    found = extract_events(text, language=language, published_at=PUB)
    assert {(a.name, a.role) for a in found[0].actors} == {(actor, "actor")}


@pytest.mark.parametrize(
    ("language", "text", "events"),
    [
        # A negated claim is not a negated act.
        ("en", "No group has claimed responsibility for the car bombing in Baghdad on Friday.", 1),
        (
            "fr",
            "Aucun groupe n'a revendiqué l'attentat à la voiture piégée de vendredi à Bagdad.",
            1,
        ),
        (
            "es",
            "Ningún grupo ha reivindicado el atentado con coche bomba del viernes en Bagdad.",
            1,
        ),
        ("ar", "ولم تعلن أي جهة مسؤوليتها عن انفجار السيارة المفخخة في بغداد امس.", 1),
        (
            "en",
            "Islamic State has not claimed responsibility for the car bombing in Baghdad on"
            " Friday.",
            1,
        ),
        # A negated act stays negated.
        ("en", "No car bomb exploded in Baghdad on Friday.", 0),
    ],
)
def test_a_negated_claim_leaves_the_act(language: str, text: str, events: int) -> None:
    assert len(extract_events(text, language=language, published_at=PUB)) == events


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Militants targeted Ain al-Asad air base with rockets on Friday."),
        ("fr", "Des miliciens ont visé la base d'Aïn al-Asad avec des roquettes vendredi."),
        ("es", "Milicianos atacaron la base de Ain al Asad con cohetes el viernes."),
        ("ar", "استهدف مسلحون قاعدة عين الأسد بالصواريخ امس."),
        # "موقع" (a military post) before the act is no grievance word.
        ("ar", "وقال مصدر أمني إن موقعا عسكريا تعرض لهجوم بالصواريخ في الموصل امس."),
    ],
)
def test_an_attack_with_rockets_is_a_shelling(language: str, text: str) -> None:
    found = extract_events(text, language=language, published_at=PUB)
    assert [m.sub_event_type for m in found] == ["Shelling/artillery/missile attack"]


def test_a_name_another_countrys_adjective_follows_is_that_countrys() -> None:
    # "the Israeli Malkia post" is not al-Malikiyah in Syria.
    found = extract_events(
        "استهدف حزب الله امس موقع المالكية الإسرائيلي بالصواريخ الموجهة.",
        language="ar",
        published_at=PUB,
    )
    assert [m.place.country_code for m in found] == ["IL"]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Israeli forces killed four Palestinians in Jenin on Friday."),
        ("fr", "Les forces israéliennes ont tué quatre Palestiniens à Jénine vendredi."),
        ("ar", "قتلت القوات الإسرائيلية أربعة فلسطينيين في جنين امس."),
    ],
)
def test_forces_that_killed_people_named_by_nationality_attacked_them(
    language: str, text: str
) -> None:
    found = extract_events(text, language=language, published_at=PUB)
    assert [(m.sub_event_type, m.place.name) for m in found] == [("Attack", "Janīn")]
    assert [a.name for a in found[0].actors if a.role == "actor"] == ["Israel Defense Forces"]
    # The toll after the subject of a verb-first sentence ("قتلت القوات … أربعة") too.
    assert found[0].fatalities == 4


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "The earthquake killed 50 people in Herat on Friday."),
        ("en", "Three people were killed in a car crash in Baghdad on Friday."),
        ("fr", "Trois personnes ont été tuées vendredi dans un accident de la route à Bagdad."),
        ("es", "Tres personas murieron el viernes en un accidente de tráfico en Bagdad."),
        ("ar", "لقي ثلاثة أشخاص مصرعهم امس في حادث سير في بغداد."),
        ("ar", "قتل ثلاثة أشخاص امس في انفجار اسطوانة غاز في بغداد."),
    ],
)
def test_deaths_from_natural_or_accidental_causes_are_no_events(language: str, text: str) -> None:
    assert extract_events(text, language=language, published_at=PUB) == []


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "en",
            "Israeli forces killed four Palestinians in Jenin on Thursday. Hours later, settlers"
            " set fire to cars in Huwara.",
        ),
        (
            "fr",
            "Les forces israéliennes ont tué quatre Palestiniens à Jénine jeudi. Quelques heures"
            " plus tard, des colons ont incendié des voitures à Huwara.",
        ),
        (
            "es",
            "Las fuerzas israelíes mataron a cuatro palestinos en Yenín el jueves. Horas más"
            " tarde, colonos incendiaron coches en Huwara.",
        ),
    ],
)
def test_hours_later_is_the_day_of_the_act_before(language: str, text: str) -> None:
    found = extract_events(text, language=language, published_at=PUB)
    assert [m.event_date for m in found] == ["2020-12-31", "2020-12-31"]


@pytest.mark.parametrize(
    ("language", "text", "place"),
    [
        ("en", "In Gaza, thousands of people marched in Khan Younis on Friday.", "Khān Yūnis"),
        (
            "fr",
            "À Gaza, des milliers de personnes ont manifesté à Khan Younès vendredi.",
            "Khān Yūnis",
        ),
        # A frame alone is the place.
        ("en", "In Mosul, gunmen killed two policemen near the university on Friday.", "Mosul"),
    ],
)
def test_the_place_that_opens_a_sentence_frames_the_act_named_after_it(
    language: str, text: str, place: str
) -> None:
    found = extract_events(text, language=language, published_at=PUB)
    assert [m.place.name for m in found] == [place]


def test_a_raid_on_a_refugee_camp_is_no_clash_with_a_military_camp() -> None:
    found = extract_events(
        "Israeli forces killed four Palestinians during a raid on the Jenin refugee camp on"
        " Friday.",
        language="en",
        published_at=PUB,
    )
    assert [m.sub_event_type for m in found] == ["Attack"]


def test_israeli_artillery_shelling_in_arabic_is_the_idfs() -> None:
    found = extract_events(
        "استشهد ثلاثة فلسطينيين امس بقصف مدفعي إسرائيلي استهدف منزلا في خان يونس.",
        language="ar",
        published_at=PUB,
    )
    assert [a.name for a in found[0].actors if a.role == "actor"] == ["Israel Defense Forces"]


def test_a_capital_that_speaks_or_is_accused_is_its_government_not_a_place() -> None:
    found = extract_events(
        "The SDF accused Ankara of a drone strike that killed two fighters in Amuda on Friday.",
        language="en",
        published_at=PUB,
    )
    assert [m.place.name for m in found] == ["‘Āmūdā"]
    # The accuser reports the act: no party to it.
    assert "Syrian Democratic Forces" not in {a.name for a in found[0].actors if a.role == "actor"}


def test_an_attack_word_on_another_day_or_in_another_town_is_another_act() -> None:
    text = (
        "A Turkish drone struck a vehicle near Qamishli on Friday, killing three SDF fighters."
        " The SDF said a power station in Amuda was hit in an attack on Thursday that killed a"
        " guard."
    )
    found = extract_events(text, language="en", published_at=PUB)
    assert [(m.place.name, m.event_date) for m in found] == [
        ("Al Qāmishlī", "2021-01-01"),
        ("‘Āmūdā", "2020-12-31"),
    ]


def test_a_country_the_sentence_names_outranks_the_dateline_city() -> None:
    found = extract_events(
        "OUAGADOUGOU (Wire) — Jihadists killed 12 civilians in an attack on a village in"
        " northern Burkina Faso on Friday.",
        language="en",
        published_at=PUB,
    )
    assert [(m.place.name, m.place.geo_precision) for m in found] == [("Burkina Faso", 3)]


def test_an_army_that_killed_terrorists_fought_an_armed_clash() -> None:
    found = extract_events(
        'The army said it had killed 25 "terrorists" near Djibo in Burkina Faso on Friday.',
        language="en",
        published_at=PUB,
    )
    assert [(m.sub_event_type, m.fatalities) for m in found] == [("Armed clash", 25)]


def test_another_kind_of_act_right_after_one_happened_there_and_then() -> None:
    text = (
        "Israeli forces killed four Palestinians in Jenin on Friday. Israeli soldiers arrested"
        " five men."
    )
    found = extract_events(text, language="en", published_at=PUB)
    assert [(m.sub_event_type, m.place.name, m.event_date) for m in found] == [
        ("Attack", "Janīn", "2021-01-01"),
        ("Arrests", "Janīn", "2021-01-01"),
    ]
    # The other side's act does not take its place.
    other = extract_events(
        "Israeli forces killed four Palestinians in Jenin on Friday. Hamas fired rockets at"
        " Israel.",
        language="en",
        published_at=PUB,
    )
    assert [m.place.name for m in other] == ["Janīn", "Israel"]


def test_clauses_apart_in_two_towns_of_a_country_beyond_the_region() -> None:
    found = extract_events(
        "In the western town of Kisumu, thousands marched peacefully on Friday, while in Mombasa"
        " police arrested dozens of demonstrators.",
        language="en",
        published_at=PUB,
    )
    assert [(m.sub_event_type, m.place.name) for m in found] == [
        ("Peaceful protest", "Kisumu"),
        ("Protest with intervention", "Mombasa"),
    ]


def test_a_claim_that_names_no_act_names_the_actor_of_the_act_before() -> None:
    text = (
        "A drone attack targeted US forces at the Tanf garrison on Friday. The Islamic"
        " Resistance in Iraq claimed responsibility in a statement on Telegram."
    )
    found = extract_events(text, language="en", published_at=PUB)
    assert [a.name for a in found[0].actors if a.role == "actor"] == ["Islamic Resistance in Iraq"]
    denied = extract_events(
        "A drone attack targeted US forces at the Tanf garrison on Friday. The Islamic"
        " Resistance in Iraq denied responsibility.",
        language="en",
        published_at=PUB,
    )
    assert not any(a.role == "actor" for a in denied[0].actors)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "en",
            "Militants attacked an army camp in Gao on Sunday, killing 15 soldiers. JNIM claimed"
            " the attack on Monday.",
        ),
        (
            "en",
            "Militants attacked an army camp in Gao on Sunday, killing 15 soldiers. JNIM claimed"
            " responsibility for the attack on Monday.",
        ),
        (
            "fr",
            "Des jihadistes ont attaqué dimanche un camp de l'armée à Gao, tuant quinze soldats."
            " Le JNIM a revendiqué l'attaque lundi.",
        ),
        (
            "fr",
            "Des jihadistes ont attaqué dimanche un camp de l'armée à Gao, tuant quinze soldats."
            " Lundi, le JNIM a revendiqué cette attaque.",
        ),
        (
            "es",
            "Yihadistas atacaron el domingo un campamento del ejército en Gao y mataron a quince"
            " soldados. El JNIM reivindicó el ataque el lunes.",
        ),
    ],
)
def test_the_day_a_claim_was_made_is_not_a_new_act(language: str, text: str) -> None:
    # The claim names the act told before: its actor, on the act's day, not a new event on
    # the claim's.
    found = extract_events(text, language=language, published_at="2026-11-30T10:00:00+00:00")
    assert {(m.event_date, m.place.name) for m in found} == {("2026-11-29", "Gao")}
    assert all(("JNIM", "actor") in [(a.name, a.role) for a in m.actors] for m in found)


def test_the_day_after_the_act_named_by_a_claim_is_the_acts() -> None:
    found = extract_events(
        "Le JNIM a revendiqué mardi l'attaque de dimanche contre un camp de l'armée à Gao.",
        language="fr",
        published_at="2026-11-30T10:00:00+00:00",
    )
    assert [m.event_date for m in found] == ["2026-11-29"]


def test_facilities_used_by_a_group_are_its_not_its_attack() -> None:
    found = extract_events(
        "US aircraft struck two facilities used by Kataib Hezbollah near Jurf al-Sakhar, south"
        " of Baghdad, on Friday.",
        language="en",
        published_at=PUB,
    )
    assert {(a.name, a.role) for a in found[0].actors} == {
        ("US forces", "actor"),
        ("Kataib Hezbollah", "target"),
    }


def test_killed_during_a_raid_is_the_raiders_attack_and_shot_dead_by_soldiers_too() -> None:
    text = (
        "Four Palestinians were killed on Tuesday during an Israeli raid in Tulkarem.\n"
        "The day before, a 16-year-old Palestinian was shot dead by Israeli soldiers near Nablus."
    )
    found = extract_events(text, language="en", published_at="2023-11-07T18:30:00+03:00")
    assert [(m.sub_event_type, m.place.name, m.event_date, m.fatalities) for m in found] == [
        ("Attack", "Ţūlkarm", "2023-11-07", 4),
        ("Attack", "Nablus", "2023-11-06", 1),
    ]
    assert all(
        [(a.name, a.role) for a in m.actors] == [("Israel Defense Forces", "actor")] for m in found
    )


def test_soldiers_after_the_cue_as_its_target_still_make_a_battle() -> None:
    m = extract_events(
        "Gunmen attacked soldiers near Nablus on Monday.",
        language="en",
        published_at="2023-11-07T18:30:00+03:00",
    )
    assert [x.sub_event_type for x in m] == ["Armed clash"]


def test_any_protest_is_no_protest() -> None:
    text = "The prefecture banned any protest in support of Gaza in Paris on Sunday."
    assert extract_events(text, language="en", published_at="2023-10-22T20:00:00+02:00") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("At least 12 protesters and five policemen were injured.", {"injured": 17}),
        ("Three soldiers and a civilian were killed.", {"fatalities": 4}),
        ("Between 5 and 10 people were killed.", {"fatalities": 5}),
        ("Three were killed and five were wounded.", {"fatalities": 3, "injured": 5}),
        ("The attack on the base and five soldiers were wounded.", {"injured": 5}),
    ],
)
def test_two_groups_of_victims_add_up_and_a_range_is_its_lower_figure(
    text: str, expected: dict[str, int]
) -> None:
    assert casualties(text, lexicon("en")) == expected


def test_a_headline_victim_killed_in_an_attack_is_its_target() -> None:
    m = one("Three US troops killed in drone attack in Jordan, Biden blames Iran-backed groups")
    assert [(a.name, a.role) for a in m.actors] == [("US forces", "target")]


def test_protests_every_summer_are_a_habit_not_an_act() -> None:
    text = (
        "The protests are the latest in a series of demonstrations over poor services that "
        "have hit Iraq's oil-rich south every summer since 2018."
    )
    assert extract_events(text, language="en", published_at=PUB) == []


@pytest.mark.parametrize(
    ("text", "sub_type"),
    [
        (
            "Turkey-backed Syrian opposition fighters retook a strategic northwestern town "
            "from government forces on Thursday.",
            "Non-state actor overtakes territory",
        ),
        (
            "The Syrian Army units also discovered an underground depot containing a large "
            "amount of weapons near Qalamoun.",
            "Disrupted weapons use",
        ),
        (
            "At least 280 people were affected after inhaling poisonous gas leaked from a "
            "chemical factory on Wednesday, police said.",
            None,
        ),
    ],
)
def test_retaking_a_town_finding_arms_far_from_the_verb_and_a_gas_leak(
    text: str, sub_type: str | None
) -> None:
    lex = lexicon("en")
    assert rules.classify([s.text for s in split(text, lex)], lex) == sub_type


def test_strikes_in_two_countries_under_a_two_city_dateline_by_iran_backed_groups() -> None:
    text = (
        "WASHINGTON/BAGHDAD, Feb 2 (Reuters) - The United States carried out air strikes in "
        "Iraq and Syria on Friday against more than 85 targets linked to Iran-backed militias."
    )
    found = extract_events(text, language="en", published_at="2024-02-02T18:00:00+00:00")
    # Not Baghdad (where the story was filed), not Iran (whose militias): both countries.
    assert [m.place.name for m in found] == ["Iraq", "Syria"]
    chants = "Protesters in Baghdad on Friday chanted slogans hostile to Iran, the US and Israel."
    found = extract_events(chants, language="en", published_at="2024-02-02T18:00:00+00:00")
    assert [m.place.name for m in found] == ["Baghdad"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Militants attacked an army checkpoint, killing five soldiers and two civilians.",
            {"fatalities": 7},
        ),
        ("The blast killed five and wounded ten.", {"fatalities": 5, "injured": 10}),
        ("Gunmen killed two policemen and wounded three others.", {"fatalities": 2, "injured": 3}),
    ],
)
def test_groups_joined_after_the_verb_and_no_figure_read_over_and(
    text: str, expected: dict[str, int]
) -> None:
    assert casualties(text, lexicon("en")) == expected


def test_a_state_that_struck_an_armed_group_reports_an_act() -> None:
    found = extract_events(
        "Israel said it struck Hezbollah targets in Lebanon on Friday.",
        language="en",
        published_at="2024-02-02T18:00:00+00:00",
    )
    assert [(m.place.name, m.event_date) for m in found] == [("Lebanon", "2024-02-02")]


def test_a_headline_verb_in_the_present_and_towns_of_a_strike_told_in_a_province() -> None:
    text = (
        "Syrian, Russian jets pound Idlib after deadly Homs drone attack\n"
        "Syrian and Russian warplanes carried out dozens of air strikes on rebel-held towns in "
        "Idlib province on Friday, killing at least 11 civilians.\n"
        "The strikes hit the towns of Sarmin and Ariha, according to the White Helmets."
    )
    found = extract_events(text, language="en", published_at="2023-10-06T15:00:00+03:00")
    # The headline's act is the jets' on Idlib, not the drone attack on Homs it follows.
    assert (found[0].sub_event_type, found[0].place.name) == ("Air/drone strike", "Idlib")
    # One event in each town the strikes hit, the toll told once.
    assert [(m.place.name, m.fatalities) for m in found[2:]] == [
        ("Arīḩā", None),
        ("Sarmīn", None),
    ]
    assert {m.event_date for m in found[1:]} == {"2023-10-06"}


def test_a_may_dateline_is_no_modal_and_gaza_officials_are_no_second_place() -> None:
    text = (
        "Israeli strike on Rafah tent camp kills 45, Gaza officials say\n"
        "GAZA, May 26 (Reuters) - An Israeli air strike on a camp for displaced people in "
        "Rafah killed at least 45 people on Sunday night, Palestinian health officials said."
    )
    found = extract_events(text, language="en", published_at="2024-05-26T20:00:00+03:00")
    assert [(m.place.name, m.fatalities) for m in found] == [("Rafaḩ", 45), ("Rafaḩ", 45)]
    assert found[1].event_date == "2024-05-26" and found[1].date_precision == "day"
    # Still a modal: "may strike" is no act.
    may = "The army may strike Rafah on Sunday."
    assert extract_events(may, language="en", published_at="2024-05-26T20:00:00+03:00") == []
    # Where officials speak and nothing else is named, their town stands.
    alone = "A grenade attack on a bar killed six on Wednesday, Ila Orangun police told reporters."
    assert [m.place.name for m in extract_events(alone, language="en", published_at=PUB)] == [
        "Ila Orangun"
    ]


def test_a_toll_since_the_protests_erupted_is_no_one_event() -> None:
    text = (
        "At least seven people have been killed since the protests erupted on Saturday at "
        "the funeral of Mahsa Amini in the Kurdish city of Saqqez, according to Hengaw."
    )
    assert extract_events(text, language="en", published_at="2022-09-22T10:00:00+03:30") == []


def test_a_town_that_opens_a_clause_frames_only_its_own_clause() -> None:
    text = (
        "In Lahore, protesters torched the residence of a senior army commander on Wednesday, "
        "while in Peshawar they set fire to a radio station."
    )
    found = extract_events(text, language="en", published_at="2023-05-10T12:00:00+05:00")
    # Setting fire to a radio station is an act of its own in Peshawar (since `rules-2.70`),
    # the crowd's, told by "they".
    assert [(m.place.name, m.sub_event_type, [a.name for a in m.actors]) for m in found] == [
        ("Lahore", "Violent demonstration", ["Protesters"]),
        ("Peshawar", "Violent demonstration", ["Protesters"]),
    ]
    framed = "In Gaza, thousands marched in Khan Younis on Friday."
    assert [m.place.name for m in extract_events(framed, language="en", published_at=PUB)] == [
        "Khān Yūnis"
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Russian missiles struck Dnipropetrovsk region on Friday, killing three.", "UA-12"),
        ("Russian drones struck the Kharkiv region on Friday, killing three.", "UA-63"),
        ("Russian drones struck Kharkiv oblast on Friday, killing three.", "UA-63"),
        ("Gunmen killed 12 villagers in Kaduna State on Friday.", "NG-KD"),
    ],
)
def test_a_region_oblast_or_state_after_a_name_is_the_province(text: str, code: str) -> None:
    m = one(text)
    assert (m.place.admin1_code, m.place.geo_precision) == (code, 3)
    assert (
        one(
            text.replace(" region", "").replace(" oblast", "").replace(" State", "")
        ).place.geo_precision
        == 1
    )


@pytest.mark.parametrize(
    "text",
    [
        "Israeli forces raided Jenin on Friday, killing two.",
        "Israeli troops stormed Jenin on Friday, killing two Palestinians.",
    ],
)
def test_a_raid_killing_people_is_an_attack_with_its_toll(text: str) -> None:
    m = one(text)
    assert (m.sub_event_type, m.fatalities) == ("Attack", 2)


def test_what_someone_is_accused_of_is_no_act_and_no_toll() -> None:
    accused = "He was accused of killing civilians in Jenin on Friday."
    assert extract_events(accused, language="en", published_at=PUB) == []
    m = one("Police arrested a man in Jenin on Friday suspected of killing three people.")
    assert (m.sub_event_type, m.fatalities) == ("Arrests", None)
    # The charge governs only the act it names: the arrest of people accused of ties stands.
    m = one("Security forces detained 304 people in Ankara on Friday accused of having ties.")
    assert m.sub_event_type == "Arrests"
    # A strike on those accused of an attack is the strike, not the attack.
    m = one(
        "Government jets launched airstrikes on rebels in Idlib on Friday it accused of carrying"
        " out a chlorine attack."
    )
    assert m.sub_event_type == "Air/drone strike"


def test_a_wire_datelines_date_is_the_filing_day_not_the_acts() -> None:
    m = one(
        "KHARTOUM, June 15 (Reuters) - Shelling by the RSF killed at least 27 people in El"
        " Fasher on Friday, medical sources said.",
        published_at="2024-06-15T09:00:00+00:00",
    )
    assert (m.event_date, m.date_text) == ("2024-06-14", "Friday")
    alone = one(
        "KHARTOUM, June 15 (Reuters) - Shelling killed at least 27 people in El Fasher.",
        published_at="2024-06-16T09:00:00+00:00",
    )
    assert alone.event_date == "2024-06-15"


@pytest.mark.parametrize(
    ("words", "date", "precision"),
    [
        ("last year", "2023-01-01", "year"),
        ("earlier this year", "2024-01-01", "year"),
        ("earlier this month", "2024-06-01", "month"),
        ("last month", "2024-05-01", "month"),
    ],
)
def test_years_and_this_month_relative_to_publication(
    words: str, date: str, precision: str
) -> None:
    m = one(f"Gunmen killed 12 people in El Geneina {words}.", "2024-06-15T09:00:00+00:00")
    assert (m.event_date, m.date_precision, m.date_text) == (date, precision, words)


def test_the_city_named_by_its_kind_is_the_town_of_the_act_just_before() -> None:
    found = extract_events(
        "Shelling killed at least 27 people in El Fasher on Friday. The army said its aircraft"
        " struck RSF positions east of the city on Saturday, killing dozens of fighters.",
        language="en",
        published_at="2024-06-15T09:00:00+00:00",
    )
    strike = found[-1]
    assert strike.sub_event_type == "Air/drone strike"
    assert (strike.place.name, strike.place.geo_precision) == ("El Fasher", 2)


def test_a_reference_point_in_the_frames_apposition_does_not_replace_it() -> None:
    m = one(
        "In Omdurman, across the Nile from Khartoum, army troops clashed with RSF fighters on"
        " Friday."
    )
    assert (m.place.name, m.place.geo_precision) == ("Omdurman", 1)
    # A town after the frame that is no reference point is still the act's place.
    m = one("In Gaza, thousands marched in Khan Younis on Friday.")
    assert m.place.name == "Khān Yūnis"


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "en",
            "Hundreds of people protested in Port Sudan on Friday against the war. Police fired"
            " tear gas to disperse them.",
        ),
        (
            "fr",
            "Des centaines de personnes ont manifesté vendredi à Port-Soudan contre la guerre. La"
            " police a tiré des gaz lacrymogènes pour les disperser.",
        ),
    ],
)
def test_how_police_met_a_crowd_told_next_makes_it_a_protest_with_intervention(
    language: str, text: str
) -> None:
    found = extract_events(text, language=language, published_at=PUB)
    assert [m.sub_event_type for m in found] == ["Protest with intervention"]
    # The first sentence alone is a peaceful protest: the second one refines it.
    first = text.split(". ", maxsplit=1)[0] + "."
    alone = extract_events(first, language=language, published_at=PUB)
    assert [m.sub_event_type for m in alone] == ["Peaceful protest"]


def test_who_describes_an_attack_is_no_party_and_off_the_coast_is_near() -> None:
    m = one(
        "Houthi forces fired 21 drones and missiles at commercial ships in the southern Red Sea on"
        " Friday, in what the U.S. Navy described as the largest attack yet."
    )
    assert "US forces" not in {a.name for a in m.actors}
    m = one(
        "On Friday, a Houthi anti-ship ballistic missile struck the Gulf of Aden about 50"
        " nautical miles off the coast of Aden."
    )
    assert (m.place.name, m.place.geo_precision) == ("Aden", 2)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "en",
            "Hundreds of people protested in Port Sudan on Friday against the war. Security forces"
            " opened fire on them, killing two.",
        ),
        (
            "fr",
            "Des centaines de personnes ont manifesté vendredi à Port-Soudan. Les forces de"
            " sécurité ont ouvert le feu sur la foule, tuant deux personnes.",
        ),
        (
            "ar",
            "تظاهر المئات في بورتسودان يوم الجمعة ضد الحرب. وأطلقت قوات الأمن النار عليهم ما أدى"
            " إلى مقتل اثنين.",
        ),
    ],
)
def test_force_on_the_crowd_told_next_is_one_event_of_excessive_force(
    language: str, text: str
) -> None:
    found = extract_events(text, language=language, published_at=PUB)
    assert [(m.sub_event_type, m.fatalities) for m in found] == [
        ("Excessive force against protesters", 2)
    ]
    # Fire on someone else is another act.
    other = extract_events(
        "Hundreds of people protested in Port Sudan on Friday against the war. Gunmen opened"
        " fire on a checkpoint in Kassala, killing two soldiers.",
        language="en",
        published_at=PUB,
    )
    assert [m.sub_event_type for m in other] == ["Peaceful protest", "Armed clash"]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Les forces de sécurité ont ouvert le feu sur des manifestants vendredi à Homs."),
        ("es", "Las fuerzas de seguridad abrieron fuego contra manifestantes el viernes en Homs."),
        ("ar", "أطلقت قوات الأمن النار على المتظاهرين في حمص يوم الجمعة."),
    ],
)
def test_fire_on_protesters_is_excessive_force_in_every_language(language: str, text: str) -> None:
    found = extract_events(text, language=language, published_at=PUB)
    assert [m.sub_event_type for m in found] == ["Excessive force against protesters"]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "en",
            "Israeli jets struck Khan Younis on Friday, a day after Hamas fighters fired rockets at"
            " Sderot.",
        ),
        (
            "fr",
            "L'aviation israélienne a frappé Khan Younès vendredi, au lendemain de tirs de"
            " roquettes du Hamas sur Sdérot.",
        ),
        (
            "ar",
            "قصفت الطائرات الإسرائيلية خان يونس يوم الجمعة، بعد يوم من إطلاق حماس صواريخ على"
            " سديروت.",
        ),
    ],
)
def test_an_act_a_day_after_another_is_two_acts_the_other_a_day_earlier(
    language: str, text: str
) -> None:
    found = extract_events(text, language=language, published_at="2024-03-09T12:00:00+00:00")
    assert [(m.sub_event_type, m.event_date) for m in found] == [
        ("Air/drone strike", "2024-03-08"),
        ("Shelling/artillery/missile attack", "2024-03-07"),
    ]


@pytest.mark.parametrize(
    ("lang", "text", "place", "date"),
    [
        (
            "en",
            "Israeli forces raided Jenin on Friday. "
            "The army said troops killed three gunmen in the refugee camp.",
            "Janīn",
            "2021-01-01",
        ),
        (
            "fr",
            "L'armée israélienne a mené un raid à Jénine vendredi. "
            "Selon l'armée, les soldats ont tué trois hommes armés dans le camp.",
            "Janīn",
            "2021-01-01",
        ),
        # Two towns before: which camp, the text does not say.
        (
            "en",
            "Israeli forces raided Jenin and Nablus on Friday. "
            "The army said troops killed three gunmen in the camp.",
            "Palestine",
            "2021-01-02",  # the publication's week
        ),
    ],
)
def test_the_camp_is_the_one_the_sentence_before_named(
    lang: str, text: str, place: str, date: str
) -> None:
    (m,) = extract_events(text, language=lang, published_at=PUB)
    assert (m.place.name, m.event_date) == (place, date)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        (
            "en",
            "Gunmen killed 12 villagers in Bankass on Friday. No group has claimed responsibility"
            " for the attack, but the al Qaeda-linked JNIM is active in the area.",
        ),
        (
            "en",
            "Gunmen killed 12 villagers in Bankass on Friday. No group has claimed responsibility"
            " so far, but JNIM operates in the area.",
        ),
        (
            "fr",
            "Des hommes armés ont tué 12 villageois à Bankass vendredi. Aucun groupe n'a"
            " revendiqué l'attaque, mais le JNIM est actif dans la zone.",
        ),
    ],
)
def test_a_group_named_where_no_one_claimed_the_act_is_no_party(lang: str, text: str) -> None:
    found = extract_events(text, language=lang, published_at=PUB)
    assert found and all(m.fatalities in (12, None) for m in found)
    assert not any(a.name == "JNIM" for m in found for a in m.actors)


def test_the_group_blamed_where_no_one_claimed_the_act_is_its_actor() -> None:
    text = (
        "Gunmen killed 12 villagers in Bankass on Friday. No group has claimed responsibility"
        " so far, but the authorities suspect JNIM."
    )
    (m,) = extract_events(text, language="en", published_at=PUB)
    assert [(a.name, a.role) for a in m.actors] == [("JNIM", "actor")]


@pytest.mark.parametrize(
    ("text", "police"),
    [
        ("Protesters threw stones at police in Nairobi on Sunday.", "target"),
        ("Police fired tear gas at protesters in Nairobi on Sunday.", "target"),  # ACLED's actor 2
        ("Gunmen shot dead two policemen in Kirkuk on Sunday.", "target"),
        # Police that report, or that are only named, are no party.
        ("Police and residents said gunmen killed two people in Nairobi on Sunday.", None),
        ("Hundreds looted shops despite reinforcement of police force in Durban on Sunday.", None),
    ],
)
def test_police_without_the_article_are_the_police(text: str, police: str | None) -> None:
    found = extract_events(text, language="en", published_at="2026-11-30T10:00:00+00:00")
    roles = {a.name: a.role for a in found[0].actors}
    assert roles.get("Police forces") == police


def test_a_crowd_is_the_actor_of_its_protest_even_unnamed() -> None:
    # ACLED's actor 1 of a protest is the protesters; the police that intervened are actor 2,
    # whether or not the text names the crowd (the export then writes "Protesters (Kenya)").
    found = extract_events(
        "Police fired tear gas to disperse a rally in Nairobi on Sunday.",
        language="en",
        published_at="2026-11-30T10:00:00+00:00",
    )
    assert [(m.sub_event_type, [(a.name, a.role) for a in m.actors]) for m in found] == [
        ("Protest with intervention", [("Police forces", "target")])
    ]


def test_no_one_hurt_is_no_casualty() -> None:
    found = extract_events(
        "No one was hurt when a rocket landed in an open field near Sderot on Tuesday.",
        language="en",
        published_at="2026-11-30T10:00:00+00:00",
    )
    assert [(m.fatalities, m.injured) for m in found] == [(None, None)]


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Turkish jets struck PKK targets in Turkey on Sunday.", "Turkey"),  # ISO: Türkiye
        ("Israeli forces arrested 20 Palestinians in raids in Palestine on Tuesday.", "Palestine"),
    ],
)
def test_a_country_level_place_is_named_as_acled_names_it(text: str, country: str) -> None:
    found = extract_events(text, language="en", published_at="2026-11-30T10:00:00+00:00")
    assert [m.place.name for m in found] == [country]


@pytest.mark.parametrize(
    ("language", "text", "actors"),
    [
        ("en", "On Sunday, militants attacked a camp in Gao; JNIM claimed the attack.", ["JNIM"]),
        (
            "en",
            "Militants attacked a camp in Gao on Sunday, and JNIM claimed responsibility.",
            ["JNIM"],
        ),
        (
            "fr",
            "Des jihadistes ont attaqué un camp à Gao dimanche, et le JNIM a revendiqué l'attaque.",
            ["JNIM"],
        ),
        # "claimed" with no act named is a word of saying: the source, no party.
        ("en", "Militants attacked a camp in Gao on Sunday, the army claimed.", []),
    ],
)
def test_a_claim_after_its_act_in_one_sentence_names_the_actor(
    language: str, text: str, actors: list[str]
) -> None:
    found = extract_events(text, language=language, published_at="2026-11-30T10:00:00+00:00")
    assert [[a.name for a in m.actors if a.role == "actor"] for m in found] == [actors]


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Fighting between M23 and the army killed 15 people in eastern Congo on Friday.", "CD"),
        ("Gunmen killed 12 people in the Republic of Congo on Friday.", "CG"),
        ("Gunmen killed 12 people in Congo-Brazzaville on Friday.", "CG"),
    ],
)
def test_congo_alone_is_the_drc_in_english(text: str, country: str) -> None:
    # AP's usage: "Congo" is the Democratic Republic, "Republic of Congo" the other one.
    assert one(text).place.country_code == country


def test_a_month_said_to_come_is_no_date() -> None:
    pub = dates.publication_date(PUB)
    found = dates.find_dates("elections in April next year", lexicon("en"), pub, None)
    assert found == []
    assert [d.date.isoformat() for d in dates.find_dates("in April", lexicon("en"), pub, None)] == [
        "2020-04-01"
    ]


@pytest.mark.parametrize(
    ("text", "fatalities"),
    [
        # A vague figure after another verb is not a second group of dead.
        ("Security forces killed 193 people in Baghdad and arrested hundreds.", 193),
        ("52 people were killed and dozens wounded in a chemical attack in Idlib.", 52),
        ("At least 20 militants were killed and several others injured in Kismayo.", 20),
        # Still read: the vague figure that is the count.
        ("A car bomb killed dozens of people in Baghdad.", 10),
        ("A car bomb in Baghdad killed five soldiers and dozens of civilians.", 15),
        # "scores of" is as conservative as "dozens of".
        ("Scores of people were killed when gunmen attacked a village in Zamfara.", 10),
        ("Troops killed scores of bandits in Zamfara on Tuesday.", 10),
    ],
)
def test_a_vague_figure_counts_only_where_it_starts_the_count(text: str, fatalities: int) -> None:
    assert one(text).fatalities == fatalities


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Israeli jets struck the Jabalia refugee camp, in northern Gaza, on Friday.", "en"),
        (
            "L'armée israélienne a bombardé vendredi le camp de réfugiés de Jabalia, dans le "
            "nord de la bande de Gaza.",
            "fr",
        ),
        ("El Ejército israelí bombardeó el viernes Yabalia, en el norte de Gaza.", "es"),
    ],
)
def test_a_part_of_a_place_in_apposition_locates_the_place_before(text: str, language: str) -> None:
    # ", in northern Gaza": where Jabalia is, not a second place of the act.
    found = extract_events(text, language=language, published_at=PUB)
    assert [m.place.admin1_code for m in found] == ["PS-NGZ"]
    assert [
        m.place.name
        for m in extract_events(
            "Airstrikes hit Baghdad, Basra and Mosul on Friday.", language="en", published_at=PUB
        )
    ] == ["Baghdad", "Basrah", "Mosul"]


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen killed five people on Friday, the Sudan Doctors Network said.",
        "Gunmen killed five people on Friday, the Iraq Body Count said.",
        "Gunmen killed five people on Friday, the Syria Observatory said.",
    ],
)
def test_a_place_that_begins_an_organisations_name_is_no_place(text: str) -> None:
    # Whose name it is, not where the act was: the act has no place, hence no event.
    assert extract_events(text, language="en", published_at=PUB) == []
    assert one("Gunmen stormed Kabul University on Friday, killing five.").place.name == "Kabul"


@pytest.mark.parametrize(
    ("text", "language", "date", "precision"),
    [
        (
            "Rebels killed 22 civilians in Goma last week, the United Nations said Friday.",
            "en",
            "2020-12-26",
            "week",
        ),
        (
            "Gunmen attacked two villages near Menaka on Tuesday, a local leader said Thursday.",
            "en",
            "2020-12-29",
            "day",
        ),
        (
            "Des rebelles ont tué 22 civils à Goma mardi, a indiqué jeudi l'ONU.",
            "fr",
            "2020-12-29",
            "day",
        ),
        # The report's day alone is the act's, as before.
        (
            "Rebels killed 22 civilians in Goma, the United Nations said Thursday.",
            "en",
            "2020-12-31",
            "day",
        ),
    ],
)
def test_the_day_a_report_was_made_is_not_the_acts(
    text: str, language: str, date: str, precision: str
) -> None:
    found = extract_events(text, language=language, published_at=PUB)
    assert [(m.event_date, m.date_precision) for m in found] == [(date, precision)]


def test_a_states_forces_in_the_acts_sentence_confirm_its_villages() -> None:
    # Metula is a village of 1,700: its country must be named, and Israel's troops do.
    found = extract_events(
        "Hezbollah fired rockets at Israeli troops in Metula on Friday.",
        language="en",
        published_at=PUB,
    )
    assert [(m.place.name, m.place.country_code) for m in found] == [("Metula", "IL")]
    assert (
        extract_events(
            "Hezbollah fired rockets at Metula on Friday.", language="en", published_at=PUB
        )
        == []
    )


def test_a_places_spokesbody_is_no_second_place() -> None:
    # "Gaza's civil defence said": whose speakers, as "Gaza officials said" was.
    found = extract_events(
        "Two people were killed when Israeli forces opened fire on Palestinians near an aid "
        "site in Rafah on Friday, Gaza's civil defence said.",
        language="en",
        published_at=PUB,
    )
    assert [m.place.name for m in found] == ["Rafaḩ"]


@pytest.mark.parametrize(
    ("text", "code", "precision"),
    [
        (
            "Troops killed three militants in a gunfight in Jammu and Kashmir's Kupwara district "
            "on Friday.",
            "IN-JK",
            3,
        ),
        # A town the province's possessive names elsewhere is a homonym: the province stands.
        (
            "Maoist rebels killed eight policemen in a roadside bomb attack in Chhattisgarh's "
            "Bijapur district on Friday.",
            "IN-CG",
            3,
        ),
        ("Gunmen killed five people in Borno's Maiduguri on Friday.", "NG-BO", 1),
    ],
)
def test_union_territories_and_a_provinces_own_towns(text: str, code: str, precision: int) -> None:
    m = one(text)
    assert (m.place.admin1_code, m.place.geo_precision) == (code, precision)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # A conflict country's provinces below its regions: an area of the region.
        (
            "Soldiers killed five communist rebels in a firefight in Negros Oriental province "
            "on Friday.",
            ("Negros Oriental", "PH", "Central Visayas", 2),
        ),
        (
            "Gunmen killed 12 people in Burkina Faso's Oudalan province on Sunday.",
            ("Oudalan", "BF", "Sahel", 2),
        ),
        # Still right: a town of the name is meant first.
        (
            "Police fired tear gas at students protesting in Dhaka on Thursday.",
            ("Dhaka", "BD", "Dhaka", 1),
        ),
    ],
)
def test_provinces_inside_regions_are_areas_of_the_region(
    text: str, place: tuple[str, str, str, int]
) -> None:
    [m] = extract_events(text, language="en", published_at=PUB)
    p = m.place
    assert (p.name, p.country_code, p.admin1, p.geo_precision) == place


def test_details_of_a_summary_take_its_doers_and_date() -> None:
    text = (
        "KYIV, Ukraine (AP) — Russia launched more than 100 drones and several ballistic "
        "missiles at Ukraine overnight, killing at least seven people, officials said Sunday.\n"
        "In the city of Dnipro, a missile struck a five-story apartment building, killing four "
        "people and wounding 23, the regional governor said.\n"
        "Two more people were killed in a drone attack on the southern city of Odesa.\n"
        "Ukraine's air force said it shot down 85 of the drones."
    )
    found = extract_events(text, language="en", published_at="2026-11-29T15:00:00+00:00")
    details = {m.place.name: m for m in found if m.place.geo_precision == 1}
    assert set(details) == {"Dnipro", "Odesa"}
    for m in details.values():
        assert [(a.name, a.role) for a in m.actors] == [("Russian forces", "actor")]
        assert (m.event_date, m.date_text) == ("2026-11-28", "overnight")


def test_a_detail_with_a_doer_of_its_own_keeps_it() -> None:
    # Still right: the gunmen of the second sentence are not the summary's army.
    text = (
        "Israeli strikes killed 20 people across the Gaza Strip on Sunday.\n"
        "In Rafah, gunmen shot dead two men near a market."
    )
    found = extract_events(text, language="en", published_at="2026-11-29T15:00:00+00:00")
    rafah = [m for m in found if m.place.name.startswith("Rafa")]
    assert rafah and all(not m.actors for m in rafah)


def test_death_squads_are_an_organised_party() -> None:
    [m] = extract_events(
        "Death squad members abducted a bride from a wedding in Washuk district on Saturday.",
        language="en",
        published_at=PUB,
    )
    assert m.sub_event_type == "Abduction/forced disappearance"


def test_the_other_side_telling_the_attack_again_is_there_and_then() -> None:
    text = (
        "The Rapid Support Forces attacked a displacement camp near El Fasher in Sudan's North "
        "Darfur province on Friday, killing at least 40 people, the Sudan Doctors Network said.\n"
        "The Sudanese military said its forces repelled the attack and killed dozens of the "
        "paramilitary fighters."
    )
    found = extract_events(text, language="en", published_at="2026-11-28T18:00:00+00:00")
    assert {(m.place.name, m.event_date) for m in found} == {("El Fasher", "2026-11-27")}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # "near the besieged city of": the town's kind between the near marker and the name.
        ("Shells fell near the besieged city of El Fasher on Tuesday.", "en"),
        ("Des obus sont tombés près de la ville d'El-Facher mardi.", "fr"),
        ("سقطت قذائف قرب مدينة الفاشر أمس.", "ar"),
    ],
)
def test_near_the_city_of_a_town_is_near_it(text: str, language: str) -> None:
    [m] = extract_events(text, language=language, published_at=PUB)
    assert (m.place.name, m.place.geo_precision) == ("El Fasher", 2)


def test_indias_maoists_and_the_police_commandos_they_killed() -> None:
    text = (
        "NEW DELHI (Reuters) - Suspected Maoist rebels killed eight police commandos and their "
        "driver on Monday when they blew up a vehicle in India's central Chhattisgarh state, "
        "police said.\n"
        "Security forces have stepped up operations against the rebels, killing more than 200 "
        "of them this year."
    )
    found = extract_events(text, language="en", published_at="2026-11-30T15:00:00+05:30")
    # The year's toll is no retelling of Monday's bombing, and no act of its own.
    assert [(m.fatalities, m.event_date) for m in found] == [(8, "2026-11-30")]
    assert [(a.name, a.role) for a in found[0].actors] == [("CPI (Maoist)", "actor")]


def test_the_armys_soldiers_killed_suspected_rebels() -> None:
    # "suspected" qualifies the rebels (no accusation by the army); the army's own soldiers
    # are no other doer; the rebels killed are the other side.
    [m] = extract_events(
        "The Philippine army said soldiers killed five suspected communist New People's Army "
        "rebels in a firefight in Negros Oriental province on Friday.",
        language="en",
        published_at=PUB,
    )
    assert [(a.name, a.role) for a in m.actors] == [
        ("Military Forces of Philippines", "actor"),
        ("New People's Army", "target"),
    ]


def test_the_victims_of_a_passive_killing_are_not_its_authors() -> None:
    # Still right: "were wounded when al-Shabaab ..." names the author after a conjunction.
    [m] = extract_events(
        "At least 25 people were killed and 20 others were wounded when al-Shabaab fighters "
        "stormed a hotel in Mogadishu on Saturday.",
        language="en",
        published_at=PUB,
    )
    assert ("Al-Shabaab", "actor") in [(a.name, a.role) for a in m.actors]


def test_drones_launched_at_a_country_are_a_drone_strike_its_details_inherit() -> None:
    text = (
        "Russia launched more than 100 drones at Ukraine overnight, killing seven people. "
        "In Dnipro, a missile struck an apartment block, killing four. In Odesa, three "
        "people were killed when a drone hit a port facility."
    )
    found = extract_events(text, language="en", published_at="2026-11-30T12:00:00+00:00")
    assert [m.sub_event_type for m in found] == [
        "Air/drone strike",
        "Shelling/artillery/missile attack",
        "Air/drone strike",
    ]
    assert found[0].counts == {"drones": 100}
    for m in found[1:]:
        assert [(a.name, a.role) for a in m.actors] == [("Russian forces", "actor")]
        assert (m.event_date, m.date_precision) == ("2026-11-29", "day")


def test_the_attack_blamed_on_a_group_names_it_its_actor() -> None:
    found = extract_events(
        "Two police officers were killed in a bomb attack on a police station in Jamundi, "
        "Valle del Cauca, on Tuesday. The governor blamed the attack on FARC dissidents.",
        language="en",
        published_at="2026-11-30T12:00:00+00:00",
    )
    assert found and all(
        ("FARC dissidents", "actor") in [(a.name, a.role) for a in m.actors] for m in found
    )


@pytest.mark.parametrize(
    ("second", "place"),
    [
        ("The army carried out airstrikes in the area on Monday, killing several militants.", 2),
        # Still right: "in the city" is the town itself.
        ("Troops later raided a house in the city, killing two gunmen.", 1),
    ],
)
def test_an_act_in_the_area_is_in_the_surroundings_of_the_town_before(
    second: str, place: int
) -> None:
    found = extract_events(
        f"Gunmen killed 21 villagers in Bandiagara, Mali, on Sunday. {second}",
        language="en",
        published_at="2026-11-30T12:00:00+00:00",
    )
    assert [(m.place.name, m.place.geo_precision) for m in found] == [
        ("Bandiagara", 1),
        ("Bandiagara", place),
    ]


@pytest.mark.parametrize(
    ("text", "sub_type"),
    [
        (
            "A suicide car bomber struck a busy restaurant in Mogadishu on Friday evening, "
            "killing at least nine people.",
            "Suicide bomb",
        ),
        # "took place in the … district" tells where, no territory taken.
        (
            "Militants attacked a police checkpoint on Tuesday in an assault that took place "
            "in the Bannu district of Khyber Pakhtunkhwa province.",
            "Armed clash",
        ),
    ],
)
def test_suicide_car_bombers_and_acts_that_took_place(text: str, sub_type: str) -> None:
    [m] = extract_events(text, language="en", published_at="2026-11-30T12:00:00+00:00")
    assert m.sub_event_type == sub_type


def test_a_district_of_a_province_is_its_town() -> None:
    [m] = extract_events(
        "Militants killed three police officers in the Bannu district of Khyber Pakhtunkhwa "
        "province on Tuesday.",
        language="en",
        published_at="2026-11-30T12:00:00+00:00",
    )
    assert (m.place.name, m.place.admin1) == ("Bannu", "Khyber Pakhtunkhwa")


def test_the_blast_told_again_is_the_act_before() -> None:
    found = extract_events(
        "A suicide car bomber struck a busy restaurant in Somalia on Friday evening, killing "
        "at least nine people. Al-Shabab quickly claimed responsibility for the attack. "
        "Police said security forces killed the gunmen who stormed the restaurant after the "
        "blast.",
        language="en",
        published_at="2026-11-30T12:00:00+00:00",
    )
    assert {m.event_date for m in found} == {"2026-11-27"}


@pytest.mark.parametrize(
    ("second", "place"),
    [
        ("The attack took place in the Bannu district of Khyber Pakhtunkhwa province.", "Bannu"),
        # Still right: another act in another place is no reference to the first.
        ("In a separate attack, gunmen killed two men in Bannu.", "Pakistan"),
    ],
)
def test_an_act_told_in_a_country_takes_the_town_its_reference_names(
    second: str, place: str
) -> None:
    found = extract_events(
        "Militants attacked a police checkpoint in northwest Pakistan overnight, killing three "
        f"officers. {second}",
        language="en",
        published_at="2026-11-30T12:00:00+00:00",
    )
    assert found[0].place.name == place


@pytest.mark.parametrize(
    ("language", "text", "month"),
    [
        ("en", "since last November", "2025-11-01"),
        ("en", "since last March", "2026-03-01"),
        ("fr", "en novembre dernier", "2025-11-01"),
        ("es", "el pasado noviembre", "2025-11-01"),
        ("ar", "في نوفمبر الماضي", "2025-11-01"),
        # Still right: a month without "last" is this year's when it has begun.
        ("en", "in November", "2026-11-01"),
    ],
)
def test_last_month_of_a_name_is_the_latest_before_the_publication_month(
    language: str, text: str, month: str
) -> None:
    [found] = dates.find_dates(text, lexicon(language), dt.date(2026, 11, 30), None)
    assert (found.date.isoformat(), found.precision) == (month, "month")


def test_an_act_in_a_relative_clause_dated_by_a_month_is_background() -> None:
    assert not extract_events(
        "Crowds mourned Ali Karaki, who was killed in an Israeli airstrike in Beirut in September.",
        language="en",
        published_at="2026-11-30T12:00:00+00:00",
    )


def test_the_strike_told_again_places_the_act_and_the_citys_quarters_are_the_city() -> None:
    found = extract_events(
        "An Israeli drone strike on a car in southern Lebanon killed two people on Tuesday. "
        "The Israeli military said it killed a Hezbollah commander in the strike near the "
        "town of Nabatieh.",
        language="en",
        published_at="2026-11-30T12:00:00+00:00",
    )
    assert {m.place.admin1 for m in found} == {"Nabatiye"}
    [m] = [
        m
        for m in extract_events(
            "The Rapid Support Forces shelled a camp in El Fasher on Sunday, killing 14 "
            "people. The Sudanese army said its aircraft struck RSF positions in the city's "
            "northern neighborhoods.",
            language="en",
            published_at="2026-11-30T12:00:00+00:00",
        )
        if m.sub_event_type == "Air/drone strike"
    ]
    assert m.place.name == "El Fasher"


def test_a_surname_after_a_first_name_is_no_town() -> None:
    # "Karaki" is also a name of Qarshi (Uzbekistan).
    found = extract_events(
        "Israeli jets struck a building in Beirut on Tuesday, killing Ali Karaki, a senior "
        "Hezbollah commander.",
        language="en",
        published_at="2026-11-30T12:00:00+00:00",
    )
    assert [m.place.name for m in found] == ["Beirut"]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "en",
            "A strike on a tent in Khan Younis killed a woman and her two children on Saturday.",
        ),
        (
            "fr",
            "Une frappe sur une tente à Khan Younès a tué samedi une femme et ses deux enfants.",
        ),
        (
            "es",
            "Un ataque contra una tienda en Jan Yunis mató el sábado a una mujer y sus dos hijos.",
        ),
    ],
)
def test_a_victim_and_her_children_are_all_counted(language: str, text: str) -> None:
    [m] = extract_events(text, language=language, published_at="2026-11-30T12:00:00+00:00")
    assert m.fatalities == 3


def test_a_tank_blown_up_is_a_battle() -> None:
    [m] = extract_events(
        "Hamas's armed wing said its fighters had blown up a tank east of Khan Younis on Saturday.",
        language="en",
        published_at="2026-11-30T12:00:00+00:00",
    )
    assert (m.sub_event_type, m.place.geo_precision) == ("Armed clash", 2)
    assert ("Hamas", "actor") in [(a.name, a.role) for a in m.actors]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Two glide bombs hit Kharkiv on Tuesday, injuring 12 people."),
        (
            "fr",
            "Une bombe planante a frappé un quartier de Zaporijjia mardi, blessant 12 personnes.",
        ),
        (
            "es",
            "Una bomba planeadora alcanzó un barrio de Zaporiyia el martes e hirió a 12 personas.",
        ),
        ("ar", "أصيب 12 شخصا في قصف بقنابل موجهة روسية على حي سكني في زابوريجيا يوم الثلاثاء."),
    ],
)
def test_glide_bombs_are_air_strikes_no_roadside_bombs(language: str, text: str) -> None:
    [m] = extract_events(text, language=language, published_at="2026-11-30T12:00:00+00:00")
    assert (m.sub_event_type, m.counts) == ("Air/drone strike", {})


def test_a_target_struck_far_from_its_drones() -> None:
    [m] = extract_events(
        "Ukrainian forces struck an oil refinery in Russia's Saratov region overnight with "
        "drones, sparking a fire, the regional governor said on Tuesday.",
        language="en",
        published_at="2026-11-30T12:00:00+00:00",
    )
    assert (m.sub_event_type, m.place.country_code) == ("Air/drone strike", "RU")


def test_indias_paramilitaries_are_its_forces_no_places() -> None:
    [m] = extract_events(
        "Suspected militants ambushed a convoy of the Assam Rifles in India's restive Manipur "
        "state on Thursday, killing two soldiers.",
        language="en",
        published_at="2026-11-30T12:00:00+00:00",
    )
    assert (m.place.name, m.place.country_code) == ("Manipur", "IN")
    assert "Military Forces of India" in {a.name for a in m.actors}
    [m] = extract_events(
        "Militants hurled a grenade at a CRPF bunker in Srinagar on Thursday night.",
        language="en",
        published_at="2026-11-30T12:00:00+00:00",
    )
    assert [(a.name, a.role) for a in m.actors] == [("Police Forces of India", "target")]


def test_a_months_toll_of_hundreds_is_a_tally() -> None:
    found = extract_events(
        "Suspected militants killed two soldiers in Imphal on Thursday. Ethnic violence between "
        "the Meitei and Kuki-Zo communities has killed more than 250 people in Manipur since "
        "May 2023.",
        language="en",
        published_at="2026-11-30T12:00:00+00:00",
    )
    assert [m.event_date for m in found] == ["2026-11-26"]


def test_kilometres_with_their_miles_from_a_town_are_its_surroundings() -> None:
    [m] = extract_events(
        "Gunmen killed two soldiers about 20 kilometers (12 miles) from Maiduguri on Tuesday.",
        language="en",
        published_at="2026-11-30T12:00:00+00:00",
    )
    assert (m.place.name, m.place.geo_precision) == ("Maiduguri", 2)


def test_an_act_since_which_time_is_told_and_an_officials_group_are_background() -> None:
    found = extract_events(
        "A suicide bomber struck a Shiite mosque in northern Afghanistan during Friday prayers, "
        "killing at least 33 people, a Taliban official said. It was the deadliest attack "
        "since U.S. and NATO forces withdrew from Afghanistan in August.",
        language="en",
        published_at="2026-11-30T12:00:00+00:00",
    )
    assert [m.sub_event_type for m in found] == ["Suicide bomb"]
    assert found[0].actors == ()


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Two rockets fired at Sderot from Gaza were intercepted on Tuesday."),
        ("en", "Israel's Iron Dome intercepted rockets fired at Sderot from Gaza on Tuesday."),
        ("fr", "Deux roquettes tirées sur Sdérot depuis Gaza ont été interceptées mardi."),
        ("es", "Dos cohetes lanzados contra Sderot desde Gaza fueron interceptados el martes."),
        ("ar", "اعترضت الدفاعات الجوية صاروخين أطلقا على سديروت من غزة يوم الثلاثاء."),
    ],
)
def test_rockets_intercepted_in_flight_stay_the_attack_on_their_target(
    language: str, text: str
) -> None:
    # The guidelines: an intercepted rocket is still an attack on its target, flagged.
    found = extract_events(text, language=language, published_at=PUB)
    assert [(m.sub_event_type, m.place and m.place.name, m.intercepted) for m in found] == [
        ("Shelling/artillery/missile attack", "Sderot", True)
    ]


def test_a_shipment_of_rockets_intercepted_is_disrupted_weapons_use() -> None:
    text = "The navy intercepted a shipment of rockets bound for the Houthis off Yemen on Tuesday."
    found = extract_events(text, language="en", published_at=PUB)
    assert [m.sub_event_type for m in found] == ["Disrupted weapons use"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Drones launched toward a target and downed: the attack, its interceptor the target.
        (
            "US forces intercepted two drones launched toward their base in Syria on Tuesday.",
            ("Air/drone strike", True, {"US forces": "target"}),
        ),
        (
            "US forces shot down two drones launched toward their base in Syria on Tuesday.",
            ("Air/drone strike", True, {"US forces": "target"}),
        ),
        # No target named: the interception itself, its doer the actor.
        (
            "US forces shot down two drones near their base in Syria on Tuesday.",
            ("Disrupted weapons use", True, {"US forces": "actor"}),
        ),
    ],
)
def test_drones_downed_on_their_way_to_a_target_are_the_attack(
    text: str, expected: tuple[str, bool, dict[str, str]]
) -> None:
    found = extract_events(text, language="en", published_at=PUB)
    assert [
        (m.sub_event_type, m.intercepted, {a.name: a.role for a in m.actors}) for m in found
    ] == [expected]
