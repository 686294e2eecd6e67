"""Arabic table tests: types, negation, related links, dates, number words, places, actors."""

from __future__ import annotations

import datetime as dt

import pytest

from schemas.events import EventMention
from workers.eventcoding import (
    SUPPORTED_LANGUAGES,
    actors,
    dates,
    extract_events,
    gazetteer,
    merge,
)
from workers.eventcoding.lexicon import lexicon
from workers.eventcoding.numbers import casualties, table_number

PUB = "2021-01-02T10:30:00+03:00"  # a Saturday


def one(text: str) -> EventMention:
    mentions = extract_events(text, language="ar", published_at=PUB)
    assert len(mentions) == 1, [m.sentence for m in mentions]
    return mentions[0]


def test_arabic_is_supported() -> None:
    assert "ar" in SUPPORTED_LANGUAGES


@pytest.mark.parametrize(
    ("text", "sub_type"),
    [
        (
            "انفجرت عبوة ناسفة أمس في كركوك مما أدى الى إصابة اثنين من المدنيين.",
            "Remote explosive/landmine/IED",
        ),
        (
            "أطلقت خمسة صواريخ على قاعدة عين الأسد في الأنبار أمس.",
            "Shelling/artillery/missile attack",
        ),
        ("قصفت طائرات حربية مواقع في ريف إدلب أمس.", "Air/drone strike"),
        ("فجر انتحاري نفسه وسط سوق في بغداد أمس.", "Suicide bomb"),
        ("تظاهر آلاف الأشخاص في بيروت يوم الخميس احتجاجا على الحكومة.", "Peaceful protest"),
        ("اعتقلت الشرطة عشرة أشخاص في البصرة أمس.", "Arrests"),
        ("اندلعت اشتباكات عنيفة بين الجيش ومسلحين في الموصل أمس.", "Armed clash"),
    ],
)
def test_types(text: str, sub_type: str) -> None:
    assert one(text).sub_event_type == sub_type


@pytest.mark.parametrize(
    "text",
    [
        "لم تتعرض القاعدة في أربيل لأي هجوم بطائرات مسيرة.",
        "اقرأ أيضا: انفجرت عبوة ناسفة في كركوك",
        "سوف يتظاهر الطلاب في بيروت الأسبوع المقبل.",
        "ناقش البرلمان في بغداد قانون الموازنة أمس.",
    ],
)
def test_not_events(text: str) -> None:
    assert extract_events(text, language="ar", published_at=PUB) == []


@pytest.mark.parametrize(
    ("text", "sub_type"),
    [
        # A negation after the act says what it did not cause, not that it did not happen.
        (
            "انفجرت عبوة ناسفة أمس في كركوك من دون ان تسفر عن اصابات.",
            "Remote explosive/landmine/IED",
        ),
        # "At a time when ... denied" opens another clause: its negation is not the act's.
        (
            "وتجمع أمس مئات المتظاهرين في البصرة في وقت نفى فيه المسؤولون وقوع اعتقالات.",
            "Peaceful protest",
        ),
        # "Amid growing anger": growing is the anger's, not a habit of protesting.
        ("ونزل المتظاهرون الى الشوارع في بغداد أمس وسط غضب متزايد.", "Peaceful protest"),
    ],
)
def test_negation_and_habit_keep_their_scope(text: str, sub_type: str) -> None:
    assert one(text).sub_event_type == sub_type


@pytest.mark.parametrize(
    ("text", "sub_type"),
    [
        ("وسقط متظاهر قتيلاً برصاص قوات الأمن في البصرة أمس.", "Excessive force against protesters"),
        ("وقعت صدامات بين المتظاهرين والشرطة في بغداد أمس.", "Violent demonstration"),
        (
            "منعت قوات الأمن أمس المتظاهرين من الوصول الى مبنى البرلمان في بغداد.",
            "Protest with intervention",
        ),
    ],
)
def test_protest_met_by_force_is_coded_as_such(text: str, sub_type: str) -> None:
    assert one(text).sub_event_type == sub_type


@pytest.mark.parametrize(
    ("phrase", "date", "precision"),
    [
        ("أمس", "2021-01-01", "day"),
        ("أول من أمس", "2020-12-31", "day"),
        ("الثلاثاء الماضي", "2020-12-29", "day"),
        ("يوم الخميس", "2020-12-31", "day"),
        ("في 20 ديسمبر", "2020-12-20", "day"),
        ("الأسبوع الماضي", "2020-12-26", "week"),
    ],
)
def test_dates(phrase: str, date: str, precision: str) -> None:
    m = one(f"انفجرت عبوة ناسفة {phrase} في كركوك.")
    assert (m.event_date, m.date_precision) == (date, precision)
    assert m.date_text is not None and m.date_text in phrase


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("ثلاثة", 3),
        ("عشرة", 10),
        ("خمسة وعشرون", 25),
        ("ثلاثة آلاف", 3000),
        ("مئتان", 200),
        ("مائة وخمسون", 150),
        ("ثلاثة رجال", None),
        ("", None),
    ],
)
def test_number_words(words: str, value: int | None) -> None:
    assert table_number(words, lexicon("ar").raw["number_words"]) == value


def test_counts_and_casualties() -> None:
    m = one("قتل ثلاثة جنود وأصيب خمسة آخرون بانفجار سيارة مفخخة في بغداد أمس.")
    assert m.fatalities == 3
    assert m.place.admin1_code == "IQ-BG"
    rockets = one("أطلقت خمسة صواريخ على قاعدة عين الأسد أمس.")
    assert rockets.counts.get("rockets") == 5
    assert rockets.place.name == "Ain al-Asad air base"


def test_actor_and_target() -> None:
    m = one("استهدفت طائرة مسيرة رتلا أمريكيا قرب مطار بغداد أمس.")
    assert m.sub_event_type == "Air/drone strike"
    assert [a.name for a in m.actors if a.role == "target"] == ["US forces"]
    assert all(a.role != "actor" for a in m.actors)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # Clitics written onto the name: "bi-", "wa-bi-", "li-" + "al-" contracted to "lil-".
        ("انفجرت سيارة مفخخة ببغداد أمس.", "Baghdad"),
        ("انفجرت سيارة مفخخة أمس وبالبصرة.", "Basrah"),
        ("انفجرت عبوة ناسفة أمس بالموصل.", "Mosul"),
        # GeoNames writes Kabul with the Persian kaf; the news with the Arabic one.
        ("انفجرت سيارة مفخخة في كابول أمس.", "Kabul"),
        # The country of a police force; a capital named by its adjective is the city.
        ("قالت الشرطة الأفغانية إن عبوة ناسفة انفجرت أمس.", "Afghanistan"),
        ("انفجرت سيارة مفخخة أمس في العاصمة الصومالية.", "Mogadishu"),
    ],
)
def test_places_under_clitics_and_spellings(text: str, place: str) -> None:
    assert one(text).place.name == place


@pytest.mark.parametrize(
    "text",
    [
        # The protesters of a protest already reported: no party but the cue's own word.
        "وقال أحد المتظاهرين في بيروت إن الحكومة يجب أن تستقيل.",
        # The brigades named after al-Qassam, not Qassam rockets.
        "وقال المتحدث باسم كتائب عز الدين القسام في غزة إن الحركة تلتزم بالتهدئة.",
        # Foiled, possessed, planned, "any strike", "always": no act happened.
        "أحبطت الشرطة في بغداد محاولة لتفجير سيارة مفخخة.",
        "وتمتلك إيران طائرات بلا طيار في طهران.",
        "وقال إن أي ضربة جوية على طهران ستكون خطأ.",
        "وزار بلدة سديروت التي تتعرض دائما لصواريخ حماس.",
        # "li-" + verbal noun is a purpose: the strike was to be launched, not launched.
        "وجدت الدراسات صعوبات لتوجيه ضربة جوية لمواقع في طهران.",
        # The investigation into a bombing is not the bombing.
        "تواصلت التحقيقات في بيروت في التفجير الذي استهدف دورية.",
    ],
)
def test_references_and_unreal_acts_are_not_events(text: str) -> None:
    assert extract_events(text, language="ar", published_at=PUB) == []


def test_a_generic_attack_with_a_death_toll_and_its_own_date_is_an_event() -> None:
    m = one("قتل خمسة مدنيين أمس في هجوم على سوق في الموصل.")
    assert (m.sub_event_type, m.place.name, m.event_date, m.fatalities) == (
        "Attack",
        "Mosul",
        "2021-01-01",
        5,
    )
    # Without a date of its own it is a passing reference to some attack.
    assert (
        extract_events("وقتل في الهجوم خمسة مدنيين في الموصل.", language="ar", published_at=PUB)
        == []
    )


def test_a_dual_explosion_noun_is_an_explosion() -> None:
    m = one("أسفر انفجاران في كركوك أمس عن مقتل ثلاثة أشخاص.")
    assert m.sub_event_type == "Remote explosive/landmine/IED"


@pytest.mark.parametrize(
    "text",
    [
        "وقال إن المدينة شهدت هدوءا في مدينة كبيرة.",  # "city", not Medina
        "وتحدث عنه في الميدان عن الثورة الجديدة.",  # "about him", "square", "revolution", "new"
        "ودعا إلى احتجاجات سلمية في الساحة.",  # "peaceful", not Salamiyah
    ],
)
def test_common_words_are_not_places(text: str) -> None:
    assert gazetteer.find(text, lexicon("ar"), []) == []


@pytest.mark.parametrize(
    ("text", "sub_type"),
    [
        # The subject between the verb and its object: "opened [Russian tanks] fire".
        ("فتحت دبابات روسية النار على سكان في بغداد أمس.", "Attack"),
        # The broken plural of "bomb"; tear-gas canisters are not bombs.
        ("تعرضت قافلة السفير لهجوم بعدة قنابل في وسط بغداد أمس.", "Remote explosive/landmine/IED"),
    ],
)
def test_fire_opened_and_bombs_in_the_plural(text: str, sub_type: str) -> None:
    assert one(text).sub_event_type == sub_type


def test_a_motorcycle_is_not_fire() -> None:
    assert extract_events("وصل بدراجة نارية إلى بغداد أمس.", language="ar", published_at=PUB) == []


@pytest.mark.parametrize(
    ("text", "sub_type"),
    [
        ("سيطر مسلحو تنظيم داعش أمس على قرية قرب الموصل.", "Non-state actor overtakes territory"),
        ("استعاد الجيش العراقي أمس السيطرة على بلدة قرب تكريت.", "Government regains territory"),
        ("انسحبت القوات الأمريكية أمس من قاعدة في كركوك.", "Non-violent transfer of territory"),
        ("فككت الشرطة أمس عبوة ناسفة قرب سوق في بغداد.", "Disrupted weapons use"),
        ("ضبطت قوات الأمن أمس كمية من الأسلحة والمتفجرات في كركوك.", "Disrupted weapons use"),
        ("توصلت حماس وإسرائيل أمس إلى اتفاق لوقف إطلاق النار في غزة.", "Agreement"),
        ("نهب مسلحون أمس محلات تجارية في بغداد.", "Looting/property destruction"),
        ("هدمت القوات الإسرائيلية أمس منازل فلسطينيين في الخليل.", "Looting/property destruction"),
        ("أقام الجيش التركي أمس قاعدة عسكرية جديدة قرب زاخو.", "Headquarters or base established"),
        ("فرضت قوات الأمن أمس حظر التجول في البصرة.", "Change to group/activity"),
        ("اغتصب جنود أمس ثلاث نساء في قرية قرب بغداد.", "Sexual violence"),
    ],
)
def test_every_sub_type_has_arabic_cues(text: str, sub_type: str) -> None:
    found = extract_events(text, language="ar", published_at=PUB)
    assert [m.sub_event_type for m in found][:1] == [sub_type]


def test_a_call_for_a_ceasefire_is_no_event_and_no_shooting() -> None:
    assert (
        extract_events(
            "دعت الأمم المتحدة أمس إلى وقف إطلاق النار في غزة.", language="ar", published_at=PUB
        )
        == []
    )


def test_a_baghdad_district_is_baghdad() -> None:
    [m] = extract_events(
        "انفجرت سيارة مفخخة أمس في الكرادة، ما أسفر عن مقتل خمسة أشخاص.",
        language="ar",
        published_at=PUB,
    )
    assert (m.place.name, m.place.admin1_code, m.place.geo_precision) == ("Baghdad", "IQ-BG", 1)


def test_words_that_geonames_lists_as_towns_are_no_places() -> None:
    # "فرقة" (a division) read as ف + رقة (Raqqa), "الحي" (the quarter) as al-Hayy, "العلم"
    # (the flag) as al-Alam.
    text = "هاجم جنود فرقة في الجيش المتظاهرين في هذا الحي وأحرقوا العلم."
    assert gazetteer.find(text, lexicon("ar"), []) == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("قتل ثلاثة جنود أمس في انفجار عبوة ناسفة في هلمند.", "AF-HEL"),
        ("شنت طائرات حربية أمس غارات جوية على ريف دمشق.", "SY-RD"),
    ],
)
def test_provinces_have_arabic_names(text: str, code: str) -> None:
    # pycountry has no Arabic subdivision names: places.json's province_aliases give them.
    [m] = extract_events(text, language="ar", published_at=PUB)
    assert (m.place.admin1_code, m.place.geo_precision) == (code, 3)


def test_names_geonames_lacks_come_from_town_aliases() -> None:
    [m] = extract_events(
        "سقطت صواريخ أمس على عسقلان في جنوب إسرائيل.", language="ar", published_at=PUB
    )
    assert (m.place.name, m.place.geo_precision) == ("Ashkelon", 1)


@pytest.mark.parametrize(
    ("text", "language", "dead"),
    [
        ("وقتل اول من امس 4 جنود إثيوبيين في هجوم", "ar", 4),
        ("Des hommes armés ont tué mardi trois personnes à Kidal.", "fr", 3),
        ("Gunmen killed on Tuesday five people in Kano.", "en", 5),
    ],
)
def test_a_date_between_the_verb_and_the_count(text: str, language: str, dead: int) -> None:
    assert casualties(text, lexicon(language)) == {"fatalities": dead}


@pytest.mark.parametrize(
    ("text", "roles"),
    [
        # Verb first: the subject right after the verb (or a date) is the actor.
        (
            "اعتقلت قوات الاحتلال الإسرائيلي فجر اليوم 15 مواطنا في جنين.",
            {("Israel Defense Forces", "actor")},
        ),
        ("قصفت المدفعية التركية أمس قرى في محافظة أربيل.", {("Turkish forces", "actor")}),
        ("اعتقلت الشرطة العراقية أمس عشرة أشخاص في البصرة.", {("Iraqi security forces", "actor")}),
        # "Two soldiers of the Syrian army were killed": the army is the victims' side.
        (
            "قتل جنديان من الجيش السوري بانفجار لغم أرضي في ريف درعا أمس.",
            {("Syrian army", "target")},
        ),
    ],
)
def test_roles_in_verb_first_order(text: str, roles: set[tuple[str, str]]) -> None:
    assert {(a.name, a.role) for a in one(text).actors} == roles


def test_martyred_counts_as_killed_and_the_israeli_drone_is_the_idfs() -> None:
    m = one(
        "استشهد ثلاثة مواطنين وأصيب خمسة آخرون مساء أمس جراء غارة شنتها طائرة مسيرة "
        "إسرائيلية على سيارة في بنت جبيل جنوب لبنان."
    )
    assert (m.fatalities, m.injured) == (3, 5)
    assert [(a.name, a.role) for a in m.actors] == [("Israel Defense Forces", "actor")]


@pytest.mark.parametrize(
    ("text", "governed"),
    [("ونددت بالقوات الأمريكية", True), ("للجيش السوري", True), ("القوات الأمريكية", False)],
)
def test_a_preposition_written_onto_a_name_is_seen(text: str, governed: bool) -> None:
    # "bi-"/"li-" on a name make it no subject of the verb before it.
    assert [h.governed for h in actors.find(text, lexicon("ar"))] == [governed]


@pytest.mark.parametrize(
    ("text", "fatalities", "injured", "counts"),
    [
        ("قتل جنديان بانفجار لغم أرضي في ريف درعا أمس.", 2, None, {}),
        ("قتل ثلاثة مواطنين وأصيب شخصان بانفجار عبوة ناسفة في كركوك أمس.", 3, 2, {}),
        ("استهدفت المقاومة أمس قاعدة عين الأسد بطائرتين مسيرتين.", None, None, {"drones": 2}),
        # A masculine plural in -ين is no dual: no figure is made up.
        ("قتل مدنيين في غارة على إدلب أمس.", None, None, {}),
    ],
)
def test_the_dual_is_a_count_of_two(
    text: str, fatalities: int | None, injured: int | None, counts: dict[str, int]
) -> None:
    m = one(text)
    assert (m.fatalities, m.injured, m.counts) == (fatalities, injured, counts)


def test_strikes_and_a_reply_in_one_arabic_article_stay_apart() -> None:
    text = (
        "شنت الطائرات الحربية الإسرائيلية فجر اليوم سلسلة غارات على بلدة عيتا الشعب في جنوب "
        "لبنان، ما أدى إلى استشهاد مواطنين اثنين وإصابة ثلاثة آخرين. "
        "وأعلنت المقاومة الإسلامية في بيان أنها استهدفت ثكنة زرعيت الإسرائيلية بالأسلحة "
        "الصاروخية ردا على الاعتداءات. "
        "وكانت مسيرة إسرائيلية قد استهدفت أمس دراجة نارية في بلدة الخيام."
    )
    events = merge.merge_mentions(extract_events(text, language="ar", published_at=PUB))
    assert [
        (
            g[0].sub_event_type,
            g[0].place.name,
            sorted((a.name, a.role) for a in g[0].actors),
            g[0].fatalities,
            g[0].injured,
        )
        for g in events
    ] == [
        ("Air/drone strike", "Aita al-Shaab", [("Israel Defense Forces", "actor")], 2, 3),
        # The reply is the other side's act, in Israel: not a second mention of the strikes.
        (
            "Shelling/artillery/missile attack",
            "Zar'it",
            [("Hezbollah", "actor"), ("Israel Defense Forces", "target")],
            None,
            None,
        ),
        # "مسيرة إسرائيلية" is an Israeli drone, not a march.
        ("Air/drone strike", "Khiam", [("Israel Defense Forces", "actor")], None, None),
    ]


@pytest.mark.parametrize(
    ("text", "events"),
    [
        # "اعتصم بالصمت" is "kept silent", not a sit-in; the verb alone still is one.
        ("اعتصم الوزير بالصمت امس في بيروت.", 0),
        ("اعتصم العمال امس في بيروت.", 1),
        # An intention or a schedule is no act yet.
        ("أعلن الحزب عزمه تنظيم مسيرة احتجاجية امام البرلمان في بيروت.", 0),
        ("من المقرر ان تنطلق مسيرة احتجاجية امام البرلمان في بيروت.", 0),
        # A schedule in a relative clause after the act is its subject's, not the act's.
        ("انفجرت خمس قذائف هاون قرب مقر رئيس الوزراء في مقديشو الذي من المقرر ان يجتمع لاحقا.", 1),
    ],
)
def test_idioms_intentions_and_schedules(text: str, events: int) -> None:
    assert len(extract_events(text, language="ar", published_at=PUB)) == events


def test_a_figure_of_speech_is_no_report() -> None:
    text = (
        "سمح ذلك للايرانيين بجعل 140 الف جندي امريكي في العراق بمثابة الرهينة، بدلا من ان يكونوا"
        " عنصر ضغط."
    )
    assert extract_events(text, language="ar", published_at=PUB) == []


def test_arrests_of_a_protests_organizers_join_the_protest_before() -> None:
    text = (
        "خرج مئات المحتجين امس في مدينة البصرة للتظاهر أمام مبنى المحافظة."
        " وقال ناشطون إن القوات الأمنية اعتقلت ستة من منظمي الاحتجاجات."
    )
    found = extract_events(text, language="ar", published_at=PUB)
    # One crowd event: the arrests are how the police intervened, at the protest's place and
    # day (the protest the organizers led is no second protest).
    assert {(m.place.name, m.event_date) for m in found} == {("Basrah", "2021-01-01")}
    assert {m.sub_event_type for m in found} == {"Protest with intervention"}


def test_protesters_who_cut_a_road_linking_two_towns() -> None:
    found = extract_events(
        "وفي محافظة ذي قار، قطع محتجون امس طريقا رئيسيا يربط الناصرية بالبصرة.",
        language="ar",
        published_at=PUB,
    )
    assert [(m.sub_event_type, m.place.name, m.place.geo_precision) for m in found] == [
        ("Peaceful protest", "Nasiriyah", 2)
    ]


def test_a_roundups_next_item_with_its_own_place_and_toll_takes_the_day_before() -> None:
    text = (
        "شنت مقاتلات أمريكية اليوم خمس غارات على مواقع في محافظة الحديدة."
        " كما قتل ثلاثة جنود وأصيب خمسة آخرون في هجوم على نقطة عسكرية في محافظة أبين."
    )
    found = extract_events(text, language="ar", published_at=PUB)
    got = [(m.place.name, m.event_date, m.fatalities, m.injured) for m in found]
    assert ("Abyan", "2021-01-02", 3, 5) in got


def test_a_sniper_who_wounded_a_woman() -> None:
    found = extract_events(
        "أصيبت امرأة امس برصاص قناص في حي الروضة بمدينة تعز.", language="ar", published_at=PUB
    )
    assert [(m.sub_event_type, m.injured) for m in found] == [("Attack", 1)]


def test_occupation_aircraft_and_snipers_are_the_idf_and_a_road_leads_to_no_place() -> None:
    text = (
        "استشهد 12 فلسطينياً فجر اليوم الأربعاء في غارات شنتها طائرات الاحتلال الإسرائيلي "
        "على منازل في مدينة رفح.\n"
        "وفي خان يونس، استشهد شاب برصاص قناص إسرائيلي قرب مستشفى ناصر.\n"
        "من جهتها، أعلنت سرايا القدس أن مقاتليها قصفوا تجمعاً لجنود الاحتلال بقذائف الهاون."
    )
    found = extract_events(text, language="ar", published_at="2024-03-20T14:00:00+03:00")
    assert [(a.name, a.role) for a in found[0].actors] == [("Israel Defense Forces", "actor")]
    assert [(a.name, a.role) for a in found[1].actors] == [("Israel Defense Forces", "actor")]
    # The other side's act: not at the sniper's Khan Younis.
    assert found[2].sub_event_type == "Shelling/artillery/missile attack"
    assert found[2].place.name != "Khān Yūnis"
    protest = (
        "تظاهر مئات المواطنين أمس أمام مبنى محافظة البصرة.\n"
        "وأغلق المحتجون الطريق المؤدي إلى ميناء أم قصر بالإطارات المشتعلة، فيما أطلقت القوات "
        "الأمنية الغاز المسيل للدموع لتفريقهم."
    )
    found = extract_events(protest, language="ar", published_at=PUB)
    assert [m.place.name for m in found] == ["Basra", "Basra"]


def test_a_us_drone_killed_a_nujaba_commander_and_later_is_the_same_day() -> None:
    text = (
        "قتل قيادي بارز في حركة النجباء، ظهر أمس الخميس، إثر غارة بطائرة مسيرة أمريكية "
        "استهدفت سيارته في شارع فلسطين شرقي العاصمة العراقية بغداد.\n"
        "وفي وقت لاحق، تعرضت قاعدة عين الأسد الجوية في محافظة الأنبار لهجوم بثلاث طائرات مسيرة."
    )
    found = extract_events(text, language="ar", published_at="2024-01-05T10:00:00+03:00")
    # The drone is the US's; the commander "في حركة النجباء" (of the movement) its target.
    assert [(a.name, a.role) for a in found[0].actors] == [
        ("US forces", "actor"),
        ("Harakat al-Nujaba", "target"),
    ]
    assert [(m.place.admin1_code, m.event_date) for m in found] == [
        ("IQ-BG", "2024-01-04"),
        ("IQ-AN", "2024-01-04"),
    ]


@pytest.mark.parametrize("charge", ["متهما بقتل", "بتهمة قتل"])
def test_a_man_arrested_for_a_killing_is_an_arrest_without_its_toll(charge: str) -> None:
    m = one(f"اعتقلت الشرطة رجلا {charge} ثلاثة مدنيين في جنين أمس.")
    assert (m.sub_event_type, m.fatalities) == ("Arrests", None)


def test_an_act_told_hours_later_is_another_on_the_same_day() -> None:
    text = (
        "قتل سبعة جنود في هجوم على دورية في الرمادي يوم الخميس."
        " وبعد ساعات، اشتبكت القوات العراقية مع المهاجمين قرب الفلوجة."
    )
    first, later = extract_events(text, language="ar", published_at=PUB)
    assert (first.place.name, first.fatalities, first.actors) == ("Ramadi", 7, ())
    assert later.place.name == "Al Fallūjah" and later.event_date == first.event_date


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # Arabic names of Sudanese, Egyptian, Libyan towns below 100,000 people, where the
        # article names the country (here Sudan itself, or its army fighting at home).
        ("قتل 12 شخصا في قصف على مدينة كادقلي في السودان يوم الأربعاء.", "Kadugli"),
        ("اشتبك الجيش السوداني مع قوات الدعم السريع قرب مدينة كادقلي يوم الأربعاء.", "Kadugli"),
        ("قتل 3 جنود مصريين في هجوم على حاجز في الشيخ زويد يوم الأربعاء.", "Ash Shaykh Zuwayd"),
    ],
)
def test_arabic_names_of_the_arab_conflict_countries_towns(text: str, place: str) -> None:
    found = extract_events(text, language="ar", published_at="2026-11-30T10:00:00+03:00")
    assert [m.place.name for m in found] == [place]


@pytest.mark.parametrize(
    "text",
    [
        # The name is the town's only where the country is named...
        "قتل 12 شخصا في قصف على مدينة كادقلي يوم الأربعاء.",
    ],
)
def test_an_arabic_town_name_needs_its_country(text: str) -> None:
    found = extract_events(text, language="ar", published_at="2026-11-30T10:00:00+03:00")
    assert all(m.place.name != "Kadugli" for m in found)


def test_a_guarded_arabic_name_never_takes_another_places_name() -> None:
    # An Egyptian town is also called "الرياض": the name stays Riyadh's.
    found = extract_events(
        "تظاهر الآلاف في الرياض يوم الجمعة.",
        language="ar",
        published_at="2026-11-30T10:00:00+03:00",
    )
    assert [m.place.country_code for m in found] == ["SA"]


def test_a_groups_gunmen_after_the_verb_are_the_group_acting() -> None:
    found = extract_events(
        "هاجم مسلحو حركة الشباب قاعدة عسكرية في مقديشو فجر اليوم، ما أدى إلى مقتل 5 جنود.",
        language="ar",
        published_at="2026-11-30T10:00:00+03:00",
    )
    assert [[(a.name, a.role) for a in m.actors] for m in found] == [[("Al-Shabaab", "actor")]]


def test_an_attack_with_drones_of_a_group_is_its_attack() -> None:
    found = extract_events(
        "Un ataque con drones de las disidencias de las FARC dejó dos militares muertos en"
        " Argelia, Cauca, el martes.",
        language="es",
        published_at="2026-11-30T10:00:00+00:00",
    )
    assert [[(a.name, a.role) for a in m.actors] for m in found] == [[("FARC dissidents", "actor")]]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("قتل 20 مدنيا في هجوم على قرية في ولاية شمال دارفور يوم الاثنين.", "SD-DN"),
        ("قتل 20 مدنيا في هجوم على قرية في جنوب كردفان يوم الاثنين.", "SD-KS"),
        ("قتل 3 جنود في هجوم في شمال سيناء يوم الاثنين.", "EG-SIN"),
    ],
)
def test_arabic_names_of_the_arab_conflict_countries_provinces(text: str, code: str) -> None:
    found = extract_events(text, language="ar", published_at="2026-11-30T10:00:00+03:00")
    assert [m.place.admin1_code for m in found] == [code]


def test_an_arabic_province_name_that_is_a_word_is_no_province() -> None:
    # "نهر النيل" is the Nile, not Sudan's River Nile state; "الشرقية" is "the eastern".
    found = extract_events(
        "أطلقت قوات الأمن الرصاص على متظاهرين يعارضون تشييد سد على نهر النيل يوم الاثنين.",
        language="ar",
        published_at="2026-11-30T10:00:00+03:00",
    )
    assert all(m.place.admin1_code != "SD-NR" for m in found)


@pytest.mark.parametrize(
    ("text", "sub_type", "roles"),
    [
        # "li-" after an act noun names its author: an attack of the RSF on a village.
        (
            "قتل 20 مدنيا في هجوم لقوات الدعم السريع على قرية في شمال دارفور يوم الاثنين.",
            "Attack",
            [("Rapid Support Forces", "actor")],
        ),
        (
            "قتل 5 أشخاص في قصف لقوات الدعم السريع على الفاشر يوم الاثنين.",
            "Shelling/artillery/missile attack",
            [("Rapid Support Forces", "actor")],
        ),
        # "على" names whom it hit: an attack on the army is a battle.
        ("قتل 3 جنود في هجوم على قوات الجيش في الفاشر يوم الاثنين.", "Armed clash", []),
    ],
)
def test_an_act_noun_with_li_names_its_author(
    text: str, sub_type: str, roles: list[tuple[str, str]]
) -> None:
    found = extract_events(text, language="ar", published_at="2026-11-30T10:00:00+03:00")
    assert [(m.sub_event_type, [(a.name, a.role) for a in m.actors]) for m in found] == [
        (sub_type, roles)
    ]


def test_who_came_under_attack_is_its_target() -> None:
    found = extract_events(
        "تعرضت قوات الدعم السريع لهجوم في الفاشر يوم الاثنين.",
        language="ar",
        published_at="2026-11-30T10:00:00+03:00",
    )
    assert [[(a.name, a.role) for a in m.actors] for m in found] == [
        [("Rapid Support Forces", "target")]
    ]


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("قتل 15 جنديا في هجوم في نيجيريا يوم الخميس.", "NG"),
        ("قتل 15 جنديا في هجوم في شمال مالي يوم الخميس.", "ML"),
        ("قصفت القوات الروسية مواقع في أوكرانيا يوم الخميس.", "UA"),
        ("قتل 15 شخصا في اشتباكات في شرق الكونغو يوم الخميس.", "CD"),
        ("قتل 15 شخصا في اشتباكات في الكونغو برازافيل يوم الخميس.", "CG"),
    ],
)
def test_countries_outside_the_region_have_their_arabic_names(text: str, country: str) -> None:
    # pycountry's Arabic names: news of Nigeria or Ukraine had no place at all. "الكونغو"
    # alone is the DRC, as Arabic news write it.
    m = one(text)
    assert (m.place.country_code, m.place.geo_precision) == (country, 3)


def test_mali_is_not_the_word_financial() -> None:
    # "مالي" is also "financial": only its region forms ("شمال مالي") name the country.
    assert (
        extract_events(
            "أعلنت الحكومة عن دعم مالي للمزارعين بعد هجوم قتل فيه 15 جنديا يوم الخميس.",
            language="ar",
            published_at=PUB,
        )
        == []
    )


@pytest.mark.parametrize(
    ("text", "date", "precision"),
    [
        # The Levantine month after the Egyptian one, in brackets or not, before the year.
        ("* 26 مارس (آذار) 2005 تفجير سيارة مفخخة شمال شرق بيروت.", "2005-03-26", "day"),
        ("وفي نوفمبر (تشرين الثاني) 2005 فجرت امرأة نفسها جنوب بغداد.", "2005-11-01", "month"),
        ("وفي يناير كانون الثاني عام 2006 قصفت طائرة منزلا في باجور.", "2006-01-01", "month"),
        ("انفجرت سيارة مفخخة في بغداد في 14 يناير من عام 2005.", "2005-01-14", "day"),
        # Months written without their hamza.
        ("انفجرت سيارة مفخخة في بغداد في 3 اكتوبر.", "2020-10-03", "day"),
        ("انفجرت سيارة مفخخة في بغداد في ابريل (نيسان) الماضي.", "2020-04-01", "month"),
    ],
)
def test_dates_with_both_month_names_and_without_hamza(
    text: str, date: str, precision: str
) -> None:
    m = one(text)
    assert (m.event_date, m.date_precision) == (date, precision)


def test_a_coming_month_is_no_date_of_the_act() -> None:
    found = extract_events(
        "قصفت طائرات مواقع في بغداد، قبل الانتخابات المقررة في ابريل (نيسان) المقبل.",
        language="ar",
        published_at=PUB,
    )
    assert all(m.event_date != "2020-04-01" for m in found)


@pytest.mark.parametrize(
    "text",
    [
        "انفجرت سيارة مفخخة في بغداد أمس ولقي 12 شخصا مصرعهم.",
        "اصطدمت قوات الأمن بالمتظاهرين في البصرة أمس فمات 12 شخصا.",
    ],
)
def test_met_their_death_and_died_count_the_dead(text: str) -> None:
    assert one(text).fatalities == 12


@pytest.mark.parametrize(
    ("text", "town"),
    [
        ("خرج آلاف المتظاهرين في الخرطوم يوم الخميس.", "Khartoum"),
        ("انفجرت قنبلة في سنار يوم الخميس.", "Sennar"),
        ("انفجرت قنبلة في درنة يوم الخميس.", "Darnah"),
        ("انفجرت قنبلة في خانيونس يوم الخميس.", "Khān Yūnis"),
        # The capital named as its country is the city; the country's name alone stays it.
        ("تظاهر آلاف في العاصمة تونس يوم الخميس.", "Tunis"),
        ("تظاهر آلاف في تونس العاصمة يوم الخميس.", "Tunis"),
        ("تظاهر آلاف في تونس يوم الخميس.", "Tunisia"),
    ],
)
def test_arabic_names_of_cities_geonames_lacks(text: str, town: str) -> None:
    # GeoNames has "خرطوم" but not "الخرطوم"; short curated names of towns outside the
    # Middle East ("سنار") were dropped with GeoNames' short aliases.
    assert one(text).place.name == town


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("أطلقت قوات الأمن الرصاص على متظاهرين أمس، بحسب حكومة الخرطوم.", "ar"),
        ("Security forces fired on protesters on Friday, the Khartoum government said.", "en"),
        (
            "Des soldats ont tiré sur des manifestants vendredi, selon le gouvernement de "
            "Khartoum.",
            "fr",
        ),
    ],
)
def test_a_capital_named_for_its_government_is_no_place(text: str, language: str) -> None:
    # "حكومة الخرطوم", "the Khartoum government": the state speaking, not where the act was.
    assert gazetteer.find(text, lexicon(language), []) == []
    assert [
        h.entry.name for h in gazetteer.find("Gunmen attacked Khartoum.", lexicon("en"), [])
    ] == ["Khartoum"]


@pytest.mark.parametrize(
    ("text", "sub_type"),
    [
        (
            "أطلقت قوات الأمن الرصاص على متظاهرين في الخرطوم أمس.",
            "Excessive force against protesters",
        ),
        ("أطلقت الشرطة الرصاص المطاطي على المتظاهرين في الخرطوم أمس.", "Protest with intervention"),
        ("اعتقلت الشرطة 15 متظاهرا في الخرطوم أمس.", "Protest with intervention"),
    ],
)
def test_force_against_protesters_in_arabic(text: str, sub_type: str) -> None:
    assert one(text).sub_event_type == sub_type


def test_who_launched_a_strike_after_it_is_its_actor() -> None:
    # "غارة جوية شنها الجيش السوداني": the strike the Sudanese army launched.
    m = one("قتل 12 مدنيا في غارة جوية شنها الجيش السوداني على سوق في نيالا يوم الاثنين.")
    assert [(a.name, a.role) for a in m.actors] == [("Sudanese Armed Forces", "actor")]


def test_the_border_war_in_one_arabic_sentence() -> None:
    # Hezbollah's rockets on Israeli troops in Metula (a village Israel's forces, named in
    # the sentence, confirm), and, "while" (فيما), Israeli strikes on Khiam and Kfar Kila:
    # three events. "الخيام" alone is also "the tents": Khiam only after "بلدة".
    found = extract_events(
        "وفي جنوب لبنان، أعلن حزب الله أنه استهدف بالصواريخ تجمعا لجنود الجيش الإسرائيلي في "
        "مستوطنة المطلة أمس، فيما شنت طائرات حربية إسرائيلية غارات على بلدتي الخيام وكفركلا.",
        language="ar",
        published_at=PUB,
    )
    assert [
        (m.sub_event_type, m.place.name, [a.name for a in m.actors if a.role == "actor"])
        for m in found
    ] == [
        ("Shelling/artillery/missile attack", "Metula", ["Hezbollah"]),
        ("Air/drone strike", "Kfar Kila", ["Israel Defense Forces"]),
        ("Air/drone strike", "Khiam", ["Israel Defense Forces"]),
    ]
    assert gazetteer.find("نزح آلاف إلى الخيام في رفح.", lexicon("ar"), [])[0].entry.name != "Khiam"


@pytest.mark.parametrize(
    ("text", "code", "actor"),
    [
        (
            "قتل خمسة جنود في هجوم شنه مسلحون من جماعة بوكو حرام على قاعدة عسكرية في "
            "ولاية بورنو أمس.",
            "NG-BO",
            "Boko Haram",
        ),
        ("قتل 20 جنديا في هجوم على موقع للجيش في منطقة تمبكتو شمال مالي أمس.", "ML-6", None),
        (
            "اندلعت اشتباكات بين الجيش السوداني وقوات الدعم السريع في مدينة بابنوسة أمس.",
            "SD-GK",
            "Sudanese Armed Forces",
        ),
    ],
)
def test_arabic_news_of_the_sahel_and_nigeria(text: str, code: str, actor: str | None) -> None:
    # Provinces outside the Arab countries had no Arabic names ("ولاية بورنو"); the group
    # three words after "شنه" (launched it) is its author.
    m = one(text)
    assert m.place.admin1_code == code
    assert [a.name for a in m.actors if a.role == "actor"] == ([actor] if actor else [])


def test_a_group_announcing_its_control_of_a_town_took_it() -> None:
    m = one("أعلنت هيئة تحرير الشام سيطرتها على مدينة حماة بعد معارك عنيفة مع قوات النظام أمس.")
    assert (m.sub_event_type, m.place.name) == ("Non-state actor overtakes territory", "Ḩamāh")
    # "so that the government imposes its control": no takeover.
    assert (
        extract_events(
            "دعا المجلس إلى نزع السلاح لكي تفرض الحكومة اللبنانية سيطرتها على كامل أراضيها.",
            language="ar",
            published_at=PUB,
        )
        == []
    )


def test_off_the_coast_of_a_town_is_near_it() -> None:
    m = one("شن الحوثيون هجوما بطائرة مسيرة على سفينة في البحر الأحمر قبالة سواحل الحديدة أمس.")
    assert (m.place.name, m.place.geo_precision) == ("Al Ḩudaydah", 2)


@pytest.mark.parametrize(
    "text",
    [
        # "Gunmen from the Islamic State attacked": the group's noun or its members joined
        # to it by "from" stand between the verb and the name.
        "هاجم مسلحون من تنظيم داعش دورية للجيش العراقي في محافظة كركوك أمس.",
        "هاجم تنظيم داعش دورية للجيش العراقي في محافظة كركوك أمس.",
    ],
)
def test_the_group_after_its_members_or_its_noun_is_the_subject(text: str) -> None:
    assert {(a.name, a.role) for a in one(text).actors} == {
        ("Islamic State", "actor"),
        ("Iraqi security forces", "target"),
    }


def test_soldiers_of_an_army_killed_stay_its_side() -> None:
    # Still right: "soldiers of the Syrian army were killed" is the victims' side.
    m = one("قتل جنود من الجيش السوري في هجوم على حاجز في ريف درعا أمس.")
    assert {(a.name, a.role) for a in m.actors} == {("Syrian army", "target")}


@pytest.mark.parametrize(
    "text",
    [
        "قتل ثلاثة جنود بانفجار لغم أرضي في ريف درعا أمس.",
        "قتل ثلاثة جنود في انفجار عبوة ناسفة في ريف درعا أمس.",
    ],
)
def test_a_mine_that_killed_soldiers_is_a_bomb_not_a_battle(text: str) -> None:
    assert one(text).sub_event_type == "Remote explosive/landmine/IED"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # li- + al- is written "لل": "on positions of the Houthis".
        ("شنت طائرات بريطانية غارات على مواقع للحوثيين في صنعاء أمس.", "Ansar Allah (Houthis)"),
        ("استهدف هجوم انتحاري مقرا للحشد الشعبي في تكريت أمس.", "Popular Mobilization Forces"),
    ],
)
def test_a_name_written_with_its_article_after_li(text: str, name: str) -> None:
    assert (name, "target") in {(a.name, a.role) for a in one(text).actors}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "برصاص" (by the bullets of): a shooting, whose agent follows.
        (
            "استشهد فلسطينيان برصاص قوات الاحتلال خلال اقتحامها مدينة طولكرم فجر أمس.",
            ("Attack", 2, [("Israel Defense Forces", "actor")]),
        ),
        # The gunmen who shot are the agents, not the victims of a battle.
        ("قتل ثلاثة أشخاص برصاص مسلحين مجهولين في البصرة أمس.", ("Attack", 3, [])),
        (
            "قتل متظاهران برصاص قوات الأمن في بغداد أمس.",
            ("Excessive force against protesters", 2, [("Police forces", "target")]),
        ),
        # An act noun, its adjective, then "li-" on the author's name or on its group's noun.
        (
            "قتل 15 شخصا في قصف مدفعي لقوات الدعم السريع على سوق في مدينة الفاشر أمس.",
            ("Shelling/artillery/missile attack", 15, [("Rapid Support Forces", "actor")]),
        ),
        (
            "قتل خمسة أشخاص في هجوم انتحاري لتنظيم داعش في بغداد أمس.",
            ("Suicide bomb", 5, [("Islamic State", "actor")]),
        ),
    ],
)
def test_shootings_and_the_authors_of_act_nouns(
    text: str, expected: tuple[str, int, list[tuple[str, str]]]
) -> None:
    m = one(text)
    assert (m.sub_event_type, m.fatalities, [(a.name, a.role) for a in m.actors]) == expected


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        # A curated state's security forces are that state's, not a police of nowhere.
        ("اشتبكت قوات الأمن السورية مع مسلحين قرب جبلة أمس.", "ar", "Syrian army"),
        ("Syrian security forces clashed with gunmen near Jableh on Friday.", "en", "Syrian army"),
        (
            "Israeli security forces shot dead a Palestinian in Jenin on Friday.",
            "en",
            "Israel Defense Forces",
        ),
    ],
)
def test_security_forces_of_a_curated_state(text: str, language: str, name: str) -> None:
    [m] = extract_events(text, language=language, published_at=PUB)
    assert [a.name for a in m.actors if a.role == "actor"] == [name]


def test_two_civilians_in_the_dual_are_two_dead() -> None:
    assert one("قتل مدنيان بانفجار عبوة ناسفة على طريق بلدة نوى في درعا أمس.").fatalities == 2


def test_a_drone_belonging_to_the_army_is_the_armys() -> None:
    m = one("قصفت مسيرة تابعة للجيش السوداني مواقع لقوات الدعم السريع في مدينة نيالا أمس.")
    assert [(a.name, a.role) for a in m.actors] == [
        ("Sudanese Armed Forces", "actor"),
        ("Rapid Support Forces", "target"),
    ]


@pytest.mark.parametrize(
    ("text", "dead"),
    [
        # A figure, its noun, then the verb of dying ("35 Palestinians were martyred").
        ("إن 35 فلسطينيا استشهدوا في غارات على غزة", 35),
        ("إن 12 شخصا لقوا حتفهم في القصف", 12),
    ],
)
def test_the_dead_before_their_verb(text: str, dead: int) -> None:
    assert casualties(text, lexicon("ar")) == {"fatalities": dead}


@pytest.mark.parametrize(
    ("text", "dead"),
    [
        # The figure, its noun and the passive "قتلوا" (were killed) after them.
        ("قالت الوزارة إن ثلاثة جنود قتلوا في هجوم على نقطة عسكرية في حمص.", 3),
        ("قال مسؤولون أفغان إن ستة اشخاص قتلوا وجرح 40 شخصا في هجوم في قندهار أمس.", 6),
    ],
)
def test_the_dead_told_before_a_passive_killed(text: str, dead: int) -> None:
    [m] = extract_events(text, language="ar", published_at="2026-11-30T12:00:00+03:00")
    assert m.fatalities == dead


def test_an_arabic_dateline_with_its_agency_is_no_place_of_the_act() -> None:
    [m] = extract_events(
        "دمشق (رويترز) - قالت وزارة الدفاع السورية إن ثلاثة جنود قتلوا في هجوم شنه مسلحون "
        "على نقطة عسكرية في ريف درعا الغربي فجر الأحد.",
        language="ar",
        published_at="2026-11-30T12:00:00+03:00",
    )
    assert (m.place.admin1, m.sub_event_type, m.fatalities) == ("Daraa", "Armed clash", 3)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ar", "وفي محافظة كركوك، انفجرت عبوة ناسفة على دورية للجيش قرب قضاء الحويجة."),
        ("en", "A roadside bomb hit an army patrol near Hawija on Tuesday, wounding two soldiers."),
    ],
)
def test_hawija_is_a_town_of_kirkuk(language: str, text: str) -> None:
    [m] = extract_events(text, language=language, published_at="2026-11-30T12:00:00+03:00")
    assert (m.place.name, m.place.admin1, m.place.geo_precision) == ("Al-Hawija", "Kirkuk", 2)


@pytest.mark.parametrize(
    "text",
    [
        "قتل 25 مدنيا في قصف مدفعي على سوق شعبي في مدينة الأبيض بولاية شمال كردفان أمس.",
        "قتل 25 مدنيا في قصف على الأبيض بولاية شمال كردفان أمس.",
    ],
)
def test_el_obeid_named_with_its_kind_or_its_state(text: str) -> None:
    assert one(text).place.name == "El Obeid"


@pytest.mark.parametrize(
    ("language", "text", "dead"),
    [
        (
            "fr",
            "Des paramilitaires des Forces de soutien rapide ont tué au moins 40 civils lors "
            "d'une attaque contre un village de l'Etat d'Al-Jazira, dans le centre du Soudan.",
            40,
        ),
        # Still right: ISO's other name.
        ("en", "RSF fighters killed 40 civilians in a village in Sudan's Gezira state.", 40),
        # The figure right after a force's shortened name is the toll, not a word of it.
        ("ar", "قتلت قوات الدعم السريع 40 مدنيا في قرية بولاية الجزيرة وسط السودان أمس.", 40),
        ("ar", "قتلت قوات الأمن العراقية 4 من عناصر داعش في الأنبار أمس.", 4),
    ],
)
def test_sudans_gezira_state_and_the_dead_after_a_force(
    language: str, text: str, dead: int
) -> None:
    [m] = extract_events(text, language=language, published_at="2026-11-30T12:00:00+03:00")
    assert m.fatalities == dead
    if language != "ar" or "السودان" in text:
        assert (m.place.country_code, m.place.admin1) == ("SD", "Al Jazirah")


@pytest.mark.parametrize(
    ("language", "text", "date"),
    [
        ("ar", "في تشرين الثاني الماضي", ("2025-11-01", "month")),
        ("ar", "في 12 آب 2024", ("2024-08-12", "day")),
        ("es", "el pasado mes de noviembre", ("2025-11-01", "month")),
        # Still right: a name of Lebanon's coalition is no day ("قوى 14 آذار").
        ("ar", "متظاهرين من قوى «14 آذار»", None),
    ],
)
def test_levantine_months_and_last_months_name(
    language: str, text: str, date: tuple[str, str] | None
) -> None:
    found = dates.find_dates(text, lexicon(language), dt.date(2026, 11, 30), None)
    got = [(d.date.isoformat(), d.precision) for d in found]
    assert got == ([date] if date else [])


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        # "طائرة مسيرة تركية": the drone's two words before its state's adjective.
        ("استهدفت طائرة مسيرة تركية سيارة في مدينة القامشلي يوم الثلاثاء.", "Turkish forces"),
        ("استهدفت طائرة مسيرة روسية سيارة في مدينة إدلب يوم الثلاثاء.", "Russian forces"),
        ("قصفت طائرات حربية روسية مدينة إدلب يوم الثلاثاء.", "Russian forces"),
    ],
)
def test_a_states_drone_or_warplane_named_in_two_words_is_its_forces(text: str, actor: str) -> None:
    found = extract_events(text, language="ar", published_at="2024-07-16T21:40:00+03:30")
    assert [{a.name: a.role for a in m.actors} for m in found] == [{actor: "actor"}]
