"""Read counts from a sentence: weapons (drones, rockets, roadside bombs, convoys) and casualties.

Number words go through ``text2num`` (French, English, Spanish and more), or through the
language file's ``number_words`` table where text2num has no support (Arabic); vague
quantities ("une dizaine", "dozens") come from the language file with ACLED's conservative
values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from text_to_num import text2num

from .lexicon import Lexicon, compile_any, either, literal_keys, may_match

_DIGITS = re.compile(r"\d{1,3}(?:[  .,]\d{3})+|\d+")
#: Beyond this a "count" is a year or a troop total, not a number of weapons or victims.
_MAX_COUNT = 5000
_WINDOW = 60


def table_number(phrase: str, table: Mapping[str, Any]) -> int | None:
    """Return the value of the number words ``phrase`` by the language's ``number_words``
    table (units and tens add, joined by its "and" prefix; hundreds and thousands multiply),
    or None when a word is not a number word.

    "خمسة وعشرون" -> 25; "ثلاثة آلاف" -> 3000; "مئتان" -> 200; "ثلاثة رجال" -> None.
    """
    values: Mapping[str, int] = table["values"]
    scales: Mapping[str, int] = table["scales"]
    conj = str(table.get("and", ""))
    total = current = 0
    seen = False
    for raw in phrase.split():
        word = raw
        if conj and word.startswith(conj) and word not in values and word not in scales:
            word = word[len(conj) :]
        if word in values:
            current += values[word]
        elif word in scales:
            total += max(current, 1) * scales[word]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def parse_number(
    phrase: str, language: str, *, at_end: bool, table: Mapping[str, Any] | None = None
) -> int | None:
    """Return the number ``phrase`` ends with (``at_end``) or starts with, else None.

    "Au moins trois" -> 3 (at_end); "trois personnes" -> 3; "2 500" -> 2500; "moins" -> None.
    Number words are read with ``table`` (a language file's ``number_words``) when given,
    else with text2num.
    """
    words = phrase.split()
    if at_end:
        spans = [words[i:] for i in range(len(words))]
    else:
        spans = [words[:j] for j in range(len(words), 0, -1)]
    for span in spans:
        candidate = " ".join(span).strip(',;:.!?()«»"')
        if not candidate:
            continue
        if _DIGITS.fullmatch(candidate):
            return int(re.sub(r"\D", "", candidate))
        scaled = _scaled(span, language, table)
        if scaled is not None:
            return scaled
        if candidate[:1].isdigit() or not candidate[:1].isalpha():
            continue
        if table is not None:
            value = table_number(candidate, table)
            if value is not None:
                return value
            continue
        try:
            return int(text2num(candidate.lower(), language))
        except (ValueError, IndexError, KeyError, AssertionError):
            continue
    return None


def _scaled(span: list[str], language: str, table: Mapping[str, Any] | None) -> int | None:
    """Return the value of a figure followed by a thousand or a million ("17 thousand",
    "17 ألف", "3 millions"), None for any other span: read alone, the word would be the
    figure ("17 thousand" is not 1,000)."""
    if len(span) != 2 or not _DIGITS.fullmatch(span[0].strip(",;:")):
        return None
    word = span[1].strip(',;:.!?()«»"').lower()
    try:
        scale = table_number(word, table) if table is not None else int(text2num(word, language))
    except (ValueError, IndexError, KeyError, AssertionError):
        return None
    if scale not in (1000, 1000000):
        return None
    return int(re.sub(r"\D", "", span[0])) * scale


@cache
def _vague(lex: Lexicon) -> tuple[tuple[str, int], ...]:
    """Return the pack's vague quantities, lower-cased, longest first."""
    items = sorted(lex.raw["vague_numbers"].items(), key=lambda kv: -len(kv[0]))
    return tuple((k.lower(), v) for k, v in items)


_TRAILING_OF = re.compile(r"\s+(?:de|d['’]|of)\s*$", re.IGNORECASE)


def _vague_value(prefix: str, lex: Lexicon, *, whole: bool = False) -> int | None:
    """Return the value of a vague quantity ending ``prefix`` ("des dizaines de" -> 10), or
    with ``whole`` only of one that is all of ``prefix`` ("arrested hundreds" is none)."""
    trimmed = _TRAILING_OF.sub("", prefix.strip(' .,;:!?)»"')).lower()
    # A suffix test per quantity: this runs for every figure tried, and a regex per quantity
    # cost more than the rest of the number reading.
    for key, value in _vague(lex):
        if trimmed.endswith(key):
            before = len(trimmed) - len(key)
            if before == 0 or (not whole and not trimmed[before - 1].isalnum()):
                return value
    return None


def number_before(sentence: str, pos: int, lex: Lexicon, *, skip: int = 1) -> int | None:
    """Return the count written just before ``pos``, allowing ``skip`` words in between."""
    words = sentence[max(0, pos - _WINDOW) : pos].split()[-8:]
    ages, join = _age_words(lex), _joined(lex)[0]
    for drop in range(skip + 1):
        head = words[: len(words) - drop]
        skipped = words[len(head) :]
        if not head or any(ch.isdigit() for w in skipped for ch in w):
            break  # never skip over an ordinal or a figure ("un 11eme convoi")
        if any(not any(ch.isalpha() for ch in w) or w.startswith("(") for w in skipped):
            break  # nor over a dash or a credit: "Jan 1 (AP) — Gunmen killed" has no 1
        if any(_bare(w) in ages for w in skipped):
            break  # nor over an age: "un adolescent de 16 ans a été tué" is one death
        if any(
            join.search(" " + w) and not _nouns_joined(skipped, k, head, lex)
            for k, w in enumerate(skipped)
        ):
            break  # nor over "and": "killed five and wounded ten" wounded ten, not five
        if any(w.endswith((",", ";", "\u060c")) for w in skipped):
            break  # nor out of the clause: "en una casa, causando muertos" is no one dead
        tail = " ".join(head[-2:]).lower().strip(",;")
        if any(tail.endswith(n) for n in lex.raw.get("nobody", [])):
            return 0  # "No one was hurt": none, not one
        value = parse_number(
            " ".join(head[-4:]), lex.language, at_end=True, table=lex.raw.get("number_words")
        )
        if value is None:
            value = _vague_value(" ".join(head), lex)
        if value is not None:
            return value
    return None


def _nouns_joined(skipped: list[str], k: int, head: list[str], lex: Lexicon) -> bool:
    """Return True when the "and" at ``skipped[k]`` joins two nouns of one counted group,
    its second noun opened by a partitive ("des dizaines de civils et de soldats": the figure
    counts both), not another clause; the word before it must be no figure ("cinq et")."""
    before = skipped[k - 1] if k else (head[-1] if head else "")
    follower = skipped[k + 1] if k + 1 < len(skipped) else ""
    partitive = _partitive(lex)
    return (
        partitive is not None
        and partitive.fullmatch(follower.lower()) is not None
        and not any(ch.isdigit() for ch in before)
        and parse_number(before, lex.language, at_end=True, table=lex.raw.get("number_words"))
        is None
    )


@cache
def _partitive(lex: Lexicon) -> re.Pattern[str] | None:
    """Return the pattern of the word that opens a noun joined to a counted one ("de", "des";
    ``joined_noun_openers``), None for a pack without it."""
    words = lex.raw.get("joined_noun_openers", {}).get("patterns", [])
    return re.compile(either(words)) if words else None


@cache
def _age_words(lex: Lexicon) -> frozenset[str]:
    """Return the words of a person's age ("ans", "years", "عاما"), lower-cased."""
    return frozenset(w.lower() for w in lex.raw.get("single_victims", {}).get("age_words", []))


@cache
def _age(lex: Lexicon) -> re.Pattern[str]:
    """Return the pattern of a victim's age after the noun ("de 16 ans"), at the text's end."""
    age = lex.raw.get("single_victims", {}).get("age")
    return re.compile(rf"\s*(?:{age})\s*$" if age else "(?!)", re.IGNORECASE)


@cache
def _single(lex: Lexicon) -> tuple[frozenset[str], frozenset[str]]:
    """Return the pack's articles and singular person nouns (``single_victims``), lower-cased."""
    raw = lex.raw.get("single_victims", {})
    return (
        frozenset(w.lower() for w in raw.get("articles", [])),
        frozenset(w.lower() for w in raw.get("nouns", [])),
    )


def _bare(word: str) -> str:
    return word.lower().strip(',;:.!?()«»"\u060c')


def _one_person_at(words: list[str], lex: Lexicon) -> bool:
    """Return True when ``words`` start with one person ("a policeman", "an Israeli soldier",
    Arabic "جندي"), not followed by a figure ("قتل مسلح ثلاثة": the gunman killed three)."""
    articles, nouns = _single(lex)
    if not nouns or not words:
        return False
    if articles:
        if _bare(words[0]) not in articles:
            return False
        # One word may qualify the noun: "a young man", "a Palestinian teenager".
        return any(_bare(w) in nouns for w in words[1:3])
    if _bare(words[0]) not in nouns:
        return False
    following = " ".join(words[1:2])
    return parse_number(following, lex.language, at_end=False, table=_table(lex)) is None


def _one_person_before(text: str, lex: Lexicon) -> bool:
    """Return True when ``text`` ends with one person: "A soldier", "the young man", and
    where the pack says adjectives follow nouns "un soldat israélien"; an age after the noun
    is passed over ("un adolescent de 16 ans"). Only in languages whose nouns take an
    article; the figure stands before the noun elsewhere."""
    articles, nouns = _single(lex)
    if not articles:
        return False
    words: list[str] = []
    for raw in _age(lex).sub("", text).split()[-4:]:
        w = _bare(raw)
        # An article written onto its noun ("l'adolescent") is a word of its own.
        elided = w[:2] if w[:2] in articles and len(w) > 2 else ""
        words.extend([elided, w[2:]] if elided else [w])
    after = 1 if lex.raw["single_victims"].get("adjective_after") else 0
    for drop in range(after + 1):
        head = words[: len(words) - drop]
        if head and head[-1] in nouns and any(w in articles for w in head[-3:-1]):
            return True
    return False


def person_after(sentence: str, pos: int, lex: Lexicon) -> bool:
    """Return True when one person named by a singular noun follows ``pos`` (over a date:
    "killed on Tuesday a policeman"): the toll of one of a phrase with no figure."""
    if not _single(lex)[1]:
        return False
    return _one_person_at(_words_after(sentence, pos, lex)[:3], lex)


def person_before(sentence: str, pos: int, lex: Lexicon) -> bool:
    """Return True when one person named by a singular noun ends right before ``pos`` ("A
    soldier [was killed]")."""
    if not _single(lex)[0]:
        return False
    return _one_person_before(sentence[max(0, pos - _WINDOW) : pos], lex)


def _table(lex: Lexicon) -> Mapping[str, Any] | None:
    table: Mapping[str, Any] | None = lex.raw.get("number_words")
    return table


def _words_after(sentence: str, pos: int, lex: Lexicon) -> list[str]:
    """Return the words after ``pos``, up to four leading date words skipped ("mardi", "أمس"):
    a date may stand between a verb and what it counts, and at least one word is kept."""
    words = sentence[pos : pos + _WINDOW].split()
    skip = date_words(lex)
    lead = 0
    while lead < min(4, len(words) - 1) and words[lead].lower().strip(",،") in skip:
        lead += 1
    return words[lead:]


@cache
def date_words(lex: Lexicon) -> frozenset[str]:
    """Return the words of a date that may stand between a verb and its count (weekdays,
    "yesterday", "أمس", "اول من امس"), lower-cased."""
    dates = lex.raw["dates"]
    return frozenset(w.lower() for w in [*dates["weekdays"], *dates.get("before_numbers", [])])


@cache
def _qualifiers(lex: Lexicon) -> tuple[str, ...]:
    """Return the pack's number qualifiers ("at least", "au moins"), longest first."""
    found = [q.lower() for q in lex.raw.get("number_qualifiers", [])]
    return tuple(sorted(found, key=len, reverse=True))


def number_after(sentence: str, pos: int, lex: Lexicon) -> int | None:
    """Return the count written just after ``pos`` ("tuant trois personnes" -> 3), over a date
    between them ("ont tué mardi trois personnes", "قتل اول من امس 4 جنود") and a qualifier
    ("killed at least five", "tuant au moins trois")."""
    words = _words_after(sentence, pos, lex)[:6]
    lowered = " ".join(words).lower()
    for qualifier in _qualifiers(lex):
        if lowered.startswith(qualifier + " "):
            value = _count_at(words[len(qualifier.split()) :][:4], lex)
            if value is not None:
                return value
            break
    return _count_at(words[:4], lex)


def _count_at(words: list[str], lex: Lexicon) -> int | None:
    """Return the count ``words`` start with: a vague phrase of several words first ("une
    vingtaine" is 20, not "une", 1), then number words or figures, then a one-word vague one."""
    for n in range(len(words), 1, -1):
        # The words must start with the quantity: "and arrested hundreds" joins no victims.
        value = _vague_value(" ".join(words[:n]), lex, whole=True)
        if value is not None:
            return value
    value = parse_number(
        " ".join(words), lex.language, at_end=False, table=lex.raw.get("number_words")
    )
    if value is None and words:
        value = _vague_value(words[0], lex)
    return value


#: A count key, its pattern and the literals one of which each of its matches contains.
_KeyedPattern = tuple[str, re.Pattern[str], tuple[str, ...] | None]


@cache
def _count_patterns(lex: Lexicon) -> tuple[_KeyedPattern, ...]:
    """Return (key, pattern, literals) for the weapon nouns of each count key."""
    return tuple(
        (key, compile_any(nouns, bounded=True), literal_keys(nouns))
        for key, nouns in lex.raw["counts"].items()
    )


@cache
def _dual_patterns(lex: Lexicon, section: str) -> tuple[_KeyedPattern, ...]:
    """Return (key, pattern, literals) for the nouns in the dual that a pack lists under
    ``section`` (Arabic "طائرتين مسيرتين", two drones; "جنديان", two soldiers): the noun is the
    number."""
    return tuple(
        (key, compile_any(nouns, bounded=True), literal_keys(nouns))
        for key, nouns in lex.raw.get(section, {}).items()
        if key != "about"
    )


def weapon_counts(sentence: str, lex: Lexicon) -> dict[str, int]:
    """Return ``{"drones": 2, ...}`` for each weapon noun preceded by a number in ``sentence``,
    or written in the dual."""
    counts: dict[str, int] = {}
    lowered = sentence.lower()
    for key, pattern, literals in _count_patterns(lex):
        if not may_match(literals, lowered):
            continue  # no weapon noun of this key: its regex cannot match
        for found in pattern.finditer(sentence):
            value = number_before(sentence, found.start(), lex, skip=1)
            if value is not None and 0 < value <= _MAX_COUNT and key not in counts:
                counts[key] = value
    for key, pattern, literals in _dual_patterns(lex, "dual_counts"):
        if key not in counts and may_match(literals, lowered) and pattern.search(sentence):
            counts[key] = 2
    return counts


_CasualtyPattern = tuple[str, bool, re.Pattern[str], tuple[str, ...] | None]


@cache
def _casualty_patterns(lex: Lexicon) -> tuple[_CasualtyPattern, ...]:
    """Return (count key, number comes before, pattern, literals every match contains)."""
    out: list[_CasualtyPattern] = []
    for key, sides in lex.raw["casualties"].items():
        for before, side in ((True, "number_before"), (False, "number_after")):
            phrases = sides[side]
            out.append((key, before, compile_any(phrases, bounded=True), literal_keys(phrases)))
    return tuple(out)


@cache
def _subset(lex: Lexicon) -> re.Pattern[str]:
    markers = either(lex.raw.get("subset_markers", []))
    return re.compile(rf"[,،(]\s*{markers}(?!\w)[^,،()]*[,،)]?\s*$", re.IGNORECASE)


@cache
def _grievance(lex: Lexicon) -> re.Pattern[str]:
    """Return the pattern of the words that make a death the crowd's grievance or a charge,
    not the act's toll ("احتجاجا على مقتل", "protesting the killing", "suspected of killing"),
    anchored where the toll phrase starts."""
    markers = either(
        [
            *lex.raw.get("grievance_markers", {}).get("patterns", []),
            *lex.raw.get("allegation_markers", {}).get("patterns", []),
        ]
    )
    return re.compile(rf"(?<!\w){markers}\s*$", re.IGNORECASE)


def _weapons_before(sentence: str, end: int, lex: Lexicon) -> bool:
    """Return True when a weapon noun of the counts ends the words right before ``end``
    ("deux drones piégés avaient été abattus"): what the phrase counts is weapons."""
    tail = " ".join(sentence[max(0, end - _WINDOW) : end].split()[-3:])
    return any(p.search(tail) for _, p, _ in _count_patterns(lex))


def _before_subset(sentence: str, end: int, lex: Lexicon) -> int:
    """Return where the figure of the casualty phrase at ``end`` is read back from: before a
    subset clause ("At least 18 Palestinians, including six children, were killed": 18)."""
    start = max(0, end - 80)
    found = _subset(lex).search(sentence[start:end])
    return start + found.start() if found else end


@cache
def _joined(lex: Lexicon) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Return the pattern of the word joining two groups of victims ("and", "et", "y"), which
    must end the text searched, and that of a range's first word ("between", "entre")."""
    joins = either(lex.raw["places"].get("coordination", []))
    ranges = either(lex.raw.get("number_ranges", []))
    return (
        re.compile(rf"\s{joins}\s*$", re.IGNORECASE),
        re.compile(rf"(?<!\w){ranges}(?!\w)", re.IGNORECASE),
    )


def _joined_group(sentence: str, end: int, lex: Lexicon, reach: int) -> tuple[int, bool]:
    """Return the figure of a group of victims joined before the one read back from ``end``
    ("at least 12 protesters and five policemen were injured": 12, to add to five; "three
    soldiers and a civilian") and whether the two make a range ("between 5 and 10"); 0 when
    there is none, or the figure has its own casualty phrase ("3 were killed and 5 were
    wounded")."""
    words = sentence[max(0, end - _WINDOW) : end].split()
    join, ranges = _joined(lex)
    # The second group: its figure and at most ``reach`` words after it.
    articles = _single(lex)[0]
    for size in range(1, reach + 3):
        if len(words) <= size:
            break
        lead = words[len(words) - size]
        if (
            not lead[:1].isdigit()
            and _bare(lead) not in articles
            and parse_number(lead, lex.language, at_end=False, table=_table(lex)) is None
        ):
            continue
        found = join.search(" " + " ".join(words[: len(words) - size]))
        if found is None:
            return 0, False
        first = " ".join(words[: len(words) - size])[: max(0, found.start() - 1)]
        if any(p.search(first[-40:]) for _, b, p, _ in _casualty_patterns(lex) if b):
            return 0, False
        value = number_before(first, len(first), lex, skip=reach)
        if value is None and person_before(first, len(first), lex):
            value = 1
        if value is None or not 0 < value <= _MAX_COUNT:
            return 0, False
        return value, ranges.search(first[-40:]) is not None
    return 0, False


@cache
def _possessives(lex: Lexicon) -> frozenset[str]:
    """Return the pack's possessive determiners ("her", "leurs", "sus"), lower-cased."""
    return frozenset(w.lower() for w in lex.raw.get("possessive_determiners", []))


def _joined_after(sentence: str, pos: int, lex: Lexicon) -> int:
    """Return the figure of a second group of victims joined after the one read from ``pos``
    ("killing five soldiers and two civilians": 2; "tuant trois policiers et un civil": 1), 0
    when none is: the join must come within four words, and a casualty phrase of its own
    ("killing five and wounding ten") is another count."""
    join = _joined(lex)[0]
    words = sentence[pos : pos + _WINDOW].split()[:6]
    for i in range(1, min(5, len(words))):
        if not join.search(" " + words[i]) or words[i - 1].endswith((",", ";", ".")):
            continue
        rest = " ".join(words[i + 1 : i + 4])
        if any(p.search(rest) for _, _, p, _ in _casualty_patterns(lex)):
            return 0
        tail = sentence[pos:].split(maxsplit=i + 1)
        if len(tail) <= i + 1:
            return 0
        offset = sentence.index(tail[i + 1], pos + len(" ".join(tail[: i + 1])))
        group = sentence[offset : offset + _WINDOW].split()[:5]
        if group and _bare(group[0]) in _possessives(lex):
            group = group[1:]  # "a woman and her two children": the figure is past "her"
        value = _count_at(group[:4], lex)
        if value is None and _one_person_at(sentence[offset : offset + _WINDOW].split()[:3], lex):
            value = 1
        return value if value is not None and 0 < value <= _MAX_COUNT else 0
    return 0


def casualties(sentence: str, lex: Lexicon, *, reach: int = 2) -> dict[str, int]:
    """Return ``{"fatalities": n, "injured": m}`` for what ``sentence`` states (lowest figure).

    ``reach``: how many words may stand between a figure and the casualty phrase after it (a
    noun phrase: "Quatre combattants du Hachd ont été tués" needs four).
    """
    found_counts: dict[str, int] = {}
    #: Keys for which the sentence names one victim by a singular noun ("a policeman").
    singles: set[str] = set()
    lowered = sentence.lower()
    for key, before, pattern, literals in _casualty_patterns(lex):
        if not may_match(literals, lowered):
            continue  # none of the phrases' literals occurs: the regex cannot match
        for found in pattern.finditer(sentence):
            if _grievance(lex).search(sentence, max(0, found.start() - 40), found.start()):
                continue
            if before:
                end = _before_subset(sentence, found.start(), lex)
                value = number_before(sentence, end, lex, skip=reach)
                if value is not None and _weapons_before(sentence, end, lex):
                    value = None  # "deux drones avaient été abattus": shot down, no dead
                # "A soldier was killed": one person; but "the soldier killed two gunmen"
                # names the killer, and the figure after is the toll.
                one = (
                    value is None
                    and person_before(sentence, end, lex)
                    and number_after(sentence, found.end(), lex) is None
                )
                joined, is_range = (
                    _joined_group(sentence, end, lex, reach)
                    if value is not None or one
                    else (0, False)
                )
                if joined:
                    # "12 protesters and five policemen", "three soldiers and a civilian";
                    # a range's lower figure is ACLED's ("between 5 and 10": 5).
                    here = 1 if value is None else value
                    value, one = (min(here, joined) if is_range else here + joined), False
            else:
                value = number_after(sentence, found.end(), lex)
                one = value is None and person_after(sentence, found.end(), lex)
                if value is not None or one:
                    # "killing five soldiers and two civilians": both groups.
                    joined = _joined_after(sentence, found.end(), lex)
                    if joined:
                        value, one = (1 if value is None else value) + joined, False
            if one:
                singles.add(key)
                continue
            if value is None or not 0 < value <= _MAX_COUNT:
                continue
            # ACLED codes the most conservative figure a report gives.
            found_counts[key] = min(value, found_counts.get(key, value))
    for key, pattern, literals in _dual_patterns(lex, "dual_casualties"):
        if key not in found_counts and may_match(literals, lowered) and pattern.search(sentence):
            found_counts[key] = 2
    # One person is the toll only where no figure is given: "the commander was wounded ...
    # and six guards were wounded" is not a toll of one.
    for key in singles:
        found_counts.setdefault(key, 1)
    return found_counts
