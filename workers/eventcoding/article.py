"""Turn an article body into event mentions: one per sentence that reports an act.

Each sentence is read on its own (cue, date, place, actors, counts), then the article is read
as a whole: a sentence without a date or place takes them from the previous sentence about the
same kind of act; a sentence with only a generic attack word ("le convoi US a été attaqué",
"Ashab al-Kahf a revendiqué l'attaque") joins the typed act next to it and lends it its
claimed actor; a generic attack on a named person, or one that killed people, stands as an
event of unknown weapon when its own words (or another sentence about the person) date it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from itertools import pairwise
from typing import Any

from schemas.events import Actor, EventMention, Place

from . import actors, dates, gazetteer, numbers, rules, states, syntax
from .dates import DateRef
from .lexicon import Lexicon, compile_any, either, literal_keys, may_match
from .sentences import Sentence, clauses, split

#: Same-length replacements, so offsets into the normalised text are offsets into the original.
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " "})
_ATTACH_WINDOW = 2
#: Words that make the day after an act's name that act's day ("l'attaque de dimanche").
_GENITIVES = frozenset({"de", "du", "d'", "d’", "del", "of"})
#: ACLED's geo_precision of a province (or a whole country).
_PROVINCE = 3
_INHERIT_WINDOW = 3
_ARMED = frozenset({"state_forces", "militia", "rebel", "external"})
#: ACLED's crowd events: the protesters or rioters are their actor 1.
_CROWD_EVENTS = frozenset({"Protests", "Riots"})
#: Non-state armed groups: an attack they are named as making is an event of its own ("des
#: hommes armés de l'EI ont attaqué mardi un poste de l'armée"), where a state's forces
#: named with a bare attack word are as often a raid, a threat or a comment. "external" are
#: armed groups of no state that fight abroad for one (Wagner; ACLED's inter 8).
_ARMED_GROUPS = frozenset({"militia", "rebel", "external"})
#: Acts told after another that are acts of their own, not that one told again.
_DISTINCT_ACTS = frozenset(
    {
        "Non-state actor overtakes territory",
        "Government regains territory",
        "Non-violent transfer of territory",
        "Abduction/forced disappearance",
        "Sexual violence",
    }
)
#: Crowds that used no violence and met none that killed: no attack word tells them again.
_PEACEFUL = frozenset({"Peaceful protest", "Protest with intervention"})


@dataclass(slots=True)
class _Reading:
    """What one sentence says, before the article-level pass."""

    sentence: Sentence
    cue: rules.Cue
    date: DateRef | None
    places: list[Place]
    actors: tuple[Actor, ...]
    counts: dict[str, int]
    casualties: dict[str, int]
    intercepted: bool
    #: Names of the minor towns among ``places`` (they need their country named elsewhere),
    #: and the places the sentence gives without them.
    minor: frozenset[str] = frozenset()
    major_places: tuple[Place, ...] = ()
    #: Actor names (no places there) and whether a place name is a town in several countries,
    #: which the article's countries decide (:func:`_refocus`).
    exclude: tuple[tuple[int, int], ...] = ()
    ambiguous: bool = False
    #: Countries of the sentence's places that only one country has a town of that name.
    countries: frozenset[str] = frozenset()
    #: Countries the sentence names as such, in any of its clauses ("En Colombia, …").
    countries_named: frozenset[str] = frozenset()
    #: The sentence says its act answers another ("en riposte", "ردا على"): a reply is an act
    #: of its own, never the previous act told again.
    reply: bool = False
    #: For one clause of a sentence read clause by clause (:func:`_parallel`), the sentence
    #: read as one act, which stands instead when the clauses turn out not to be apart.
    whole: _Reading | None = None
    #: Where the sentence names places below the country (any clause): a sentence with fewer
    #: than two cannot tell two acts at places of their own.
    towns: tuple[int, ...] = ()
    #: The day a claim was made ("a revendiqué jeudi"), the act's date only when nothing
    #: else in the article dates it.
    claimed_on: DateRef | None = None
    #: A bare attack word whose object is armed forces ("soldats", "a military checkpoint").
    armed_object: bool = False
    #: The act's date is only the day it was reported ("a-t-on appris jeudi"): a sentence
    #: that tells the act again with its own day ("L'attaque, menée mardi soir") dates it.
    said_only: bool = False
    #: Every actor the sentence names, parties or not: a police force that reports the act
    #: ("أعلنت الشرطة الأفغانية أن…") still tells the country, as its party would.
    named: tuple[str, ...] = ()


#: How far after "en riposte à", "in retaliation for" the act answered is told.
_CAUSE_SPAN = 80


def _in_cause(text: str, start: int, lex: Lexicon) -> bool:
    """Return True when ``start`` lies in what a reply answers ("en riposte à l'assassinat de
    Fouad Chokr", "in retaliation for the killing of"): that act is the cause, told before."""
    return any(a <= start < a + _CAUSE_SPAN for a in _causes(text, lex))


@lru_cache(maxsize=64)
def _causes(text: str, lex: Lexicon) -> tuple[int, ...]:
    """Return where the causes a sentence's reply words open begin (cached: every cue of a
    sentence asks, and most sentences have none)."""
    if not _replies(text, lex):
        return ()
    opening = _cause_opening(lex)
    return tuple(
        m.end()
        for m in _reply(lex).finditer(text)
        # "in response to" holds its preposition; "en riposte" is followed by it.
        if opening.search(m.group()) or opening.match(text, m.end())
    )


@cache
def _cause_opening(lex: Lexicon) -> re.Pattern[str]:
    """Return the pattern of the preposition that opens a reply's cause, right after the
    reply word ("à", "for", "to", "على"; ``retaliation.cause``); never matches without one."""
    words = either(lex.raw.get("retaliation", {}).get("cause", []))
    # Ending the reply words ("in response to"), or right after them, from where the match
    # starts ("en riposte" + " à": ``re.match`` at a position, where "^" would not match).
    return re.compile(rf"\s*(?<!\w){words}(?!\w)\s*$|\s*(?<!\w){words}(?!\w)", re.IGNORECASE)


def _claimed(text: str, lex: Lexicon) -> bool:
    """Return True when ``text`` claims an act and denies nothing ("a revendiqué une attaque",
    not "n'a pas revendiqué", nor "No group has claimed responsibility" unless it says whom
    the act is blamed on)."""
    return (
        bool(actors.claim_words(lex).search(text))
        and lex.negation.search(text) is None
        # "No group has claimed it, but the authorities suspect X" lends X, as a claim would.
        and (not _unclaimed(text, lex) or actors.blames(text, lex))
    )


def _unclaimed(text: str, lex: Lexicon) -> bool:
    """Return True when ``text`` says no one claimed the act ("No group has claimed
    responsibility for the attack, but JNIM is active in the area")."""
    return _says(text, lex, "unclaimed")


@cache
def _markers(lex: Lexicon, key: str) -> tuple[re.Pattern[str], tuple[str, ...] | None]:
    """Return the pattern of the pack's ``key`` marker list and the literals one of which
    each of its matches holds (none: the list is empty and never matches)."""
    patterns = list(lex.raw.get(key, {}).get("patterns", []))
    if key == "separate_acts":
        # An act told "hours later" is another one, on the same day (the dates' ``later``).
        patterns += lex.raw["dates"].get("later", [])
    return compile_any(patterns, bounded=True), literal_keys(patterns) if patterns else ()


@lru_cache(maxsize=64)
def _says(text: str, lex: Lexicon, key: str) -> bool:
    """Return True when ``text`` holds a marker of the pack's ``key`` list (a literal test
    first, since few sentences do); kept for the sentences just read, which the article
    pass asks about again."""
    pattern, keys = _markers(lex, key)
    return may_match(keys, text.lower()) and pattern.search(text) is not None


def _claim_day(text: str, date: DateRef, lex: Lexicon) -> bool:
    """Return True when ``date`` follows a claim word with at most a date's own words between
    ("a revendiqué jeudi", "claimed responsibility on Thursday"), or the act the claim names
    and then those ("claimed the attack on Monday", "a revendiqué l'attaque lundi"): when the
    claim was made, not when the act was ("claimed that on Tuesday its fighters" dates the
    act)."""
    claim = actors.claim_words(lex).search(text, max(0, date.start - 60), date.start)
    while claim is not None:
        named = actors.claim_objects(lex).match(text, claim.end(), date.start)
        gap = text[named.end() if named else claim.end() : date.start].split()
        if all(w.lower().strip(",") in numbers.date_words(lex) for w in gap) and not (
            # "l'attaque de dimanche", "the attack of Sunday": the act's own day
            named and gap and gap[0].lower() in _GENITIVES
        ):
            return True
        claim = actors.claim_words(lex).search(text, claim.end(), date.start)
    # "Lundi, le JNIM a revendiqué cette attaque": the day leads a claim that names an act
    # told before, with no act of its own between.
    end = date.start + len(date.text or "")
    claim = actors.claim_words(lex).search(text, end, end + 60) if date.start >= 0 else None
    return (
        claim is not None
        and actors.claim_objects(lex).match(text, claim.end()) is not None
        and not rules.candidate_cues(text[end : claim.start()], lex, dated=True)
    )


#: Characters before a date that a speech verb and its speaker noun fit in ("spokeswoman has
#: confirmed on ").
_SPEECH_WINDOW = 80


@cache
def _speech_before(lex: Lexicon) -> re.Pattern[str]:
    """Return the pattern of a speech verb ending just before a date ("said Monday", "said on
    Monday", "a indiqué lundi", "informó el lunes"; ``roles.source_after``), anchored at the
    end of the text searched; never matches for a pack without them."""
    verbs = lex.raw["roles"].get("source_after", [])
    if not verbs:
        return re.compile("(?!)")
    return re.compile(rf"(?:{either(verbs)})\s+(?:on\s+|el\s+|le\s+)?$", re.IGNORECASE)


def _said_day(text: str, date: DateRef, lex: Lexicon) -> bool:
    """Return True when ``date`` follows a speech verb: the day of the report ("killed 22
    civilians last week, the United Nations said Monday"), not of the act."""
    # The pattern ends at the date: only the last words before it can match (searching from
    # the sentence's start tried every speaker noun and verb at every position).
    window = max(0, date.start - _SPEECH_WINDOW)
    return date.start > 0 and _speech_before(lex).search(text, window, date.start) is not None


def _read(
    s: Sentence, lex: Lexicon, found_dates: list[DateRef], nlp: Any, short: frozenset[str]
) -> _Reading | None:
    text = s.text
    cues = rules.candidate_cues(text, lex, dated=any(d.precision == "day" for d in found_dates))
    if cues and all(d.precision in ("year", "month") for d in found_dates):
        # An undated act told in a relative clause ("X, who was killed in a car bombing in
        # Damascus, ...") is what the reader already knows, not news: dated this week it would
        # be a new event for every story that recalls it. A year or a month dates background
        # ("una de las disidencias que se apartaron del acuerdo de paz de 2016", "despite a
        # ceasefire that took effect last November").
        cues = [c for c in cues if not rules.in_relative_clause(text, c.start, lex)]
    cues = [c for c in cues if not _in_cause(text, c.start, lex)]
    if not cues:
        return None  # most sentences report no act: skip the costlier lookups
    # "Daech a revendiqué jeudi l'attentat": the day of the claim, not of the act.
    act_dates = [d for d in found_dates if not _claim_day(text, d, lex)]
    # The day a report was made is the act's only when the sentence gives no other (a year
    # is mostly background: "since it intervened in Syria in 2016").
    told = [d for d in act_dates if not _said_day(text, d, lex)]
    said_only = not any(d.precision != "year" for d in told) and len(told) < len(act_dates)
    if not said_only:
        act_dates = told
    actor_hits = actors.find(text, lex, short)
    # A state's name after "in" is a place, not a party ("protesters rallied across the
    # United States").
    places_named = [
        h for h in actor_hits if h.type == "state" and gazetteer.locative(text, h.start, lex)
    ]
    actor_hits = [h for h in actor_hits if h not in places_named]
    counts = numbers.weapon_counts(text, lex)
    # Casualty figures only decide for weak cues; otherwise they are read once a cue stands.
    weak = any(not c.strong for c in cues)
    # A long name between a figure and its verb counts as one word ("Sept membres du Corps
    # des gardiens de la révolution islamique (CGRI) ont été tués").
    counted_text = _names_shortened(text, actor_hits)
    casualties = numbers.casualties(counted_text, lex) if weak and not counts else None
    # An unqualified force ("الجيش", "the army") is whose the article says only later: it
    # names a party to an act told in other words, but does not make a weak cue one.
    parties = [(h.start, h.end) for h in actor_hits if h.name != actors.UNNAMED_FORCES]
    cue = rules.choose(cues, parties=parties, counted=bool(counts or casualties))
    if cue is None:
        return None
    # Once the act stands, its toll may sit further from its figure than a gate would allow
    # ("Quatre combattants du Hachd ont été tués").
    casualties = numbers.casualties(counted_text, lex, reach=4)
    # What is left of the actors' names are no places ("Iraqi forces" is not Iraq).
    exclude = tuple((h.start, h.end) for h in actor_hits if not h.target_only)
    reading = _Reading(
        sentence=s,
        cue=cue,
        date=dates.best_date(act_dates, cue.start),
        said_only=said_only,
        places=[],
        actors=actors.roles(text, actor_hits, (cue.start, cue.end), lex, nlp),
        named=tuple(h.name for h in actor_hits),
        counts=counts,
        casualties=casualties,
        intercepted=rules.intercepted(text, lex),
        exclude=exclude,
        reply=_replies(text, lex),
        claimed_on=dates.best_date([d for d in found_dates if d not in act_dates], cue.start),
    )
    if cue.sub_event_type == "Armed clash":
        reading.actors = _sides_of_clash(reading.actors, actor_hits)
    if cue.sub_event_type == "Government regains territory" and _non_state_takes(reading.actors):
        # "The Arakan Army captured Sittwe": "army" in a rebel group's name made the
        # government the taker; the group named as doing it is not the government.
        overtakes = rules.type_table()["Non-state actor overtakes territory"]
        reading.cue = cue = replace(
            cue, sub_event_type="Non-state actor overtakes territory", mode=overtakes["mode"]
        )
    if cue.sub_event_type is None:
        agents = [
            (h.start, h.end)
            for h in actor_hits
            if any(a.name == h.name and a.role == "actor" for a in reading.actors)
        ]
        reading.armed_object = rules.armed_object(text, cue, lex, agents)
    _locate(reading, lex, frozenset())
    return reading


def _sides_of_clash(found: tuple[Actor, ...], hits: list[actors.ActorHit]) -> tuple[Actor, ...]:
    """Return ``found`` with the first side named the actor of a clash that names two sides
    and no attacker ("clashes broke out between the army and the RSF", "اشتباكات بين الجيش
    وقوات الدعم السريع"): ACLED's actor 1 and actor 2, where word order made both targets."""
    targets = {a.name for a in found if a.role == "target"}
    # Forces named together ("des soldats français et maliens") are one side.
    sides_named = {h.name for h in hits if h.name in targets and not h.coordinated}
    if len(sides_named) < 2 or any(a.role == "actor" for a in found):
        return found
    first = min((h for h in hits if h.name in targets), key=lambda h: h.start).name
    sides = (replace(a, role="actor") if a.name == first else a for a in found)
    return tuple(sorted(sides, key=lambda a: a.role))


def _non_state_takes(found: tuple[Actor, ...]) -> bool:
    """Return True when a non-state armed group, and no state's forces, is the act's doer."""
    doers = [a for a in found if a.role == "actor"]
    return any(a.type in _ARMED_GROUPS for a in doers) and not any(
        a.type == "state_forces" for a in doers
    )


@cache
def _parallel_breaks(lex: Lexicon) -> re.Pattern[str]:
    """Return the pattern of the words that join two reports in one sentence
    (``parallel_acts``: "while", "tandis que", "بينما", a semicolon)."""
    return compile_any(lex.raw.get("parallel_acts", {}).get("patterns", []))


#: What is left at the edges of a clause cut at a joining word.
_CLAUSE_EDGES = " ,;:\u060c\u061b"


def _parallel(
    whole: _Reading, lex: Lexicon, found: list[DateRef], nlp: Any, short: frozenset[str]
) -> list[_Reading]:
    """Return the readings of ``whole``'s sentence: one per clause when the sentence joins
    clauses that each report an act at places of their own, none shared ("Israeli jets struck
    Khan Younis, while Hezbollah fired rockets at Metula" is two acts, as ACLED codes them);
    else ``whole`` alone, the sentence read as one act.

    Each clause is read as a sentence of its own (cue, actors, counts, places, its own date or
    else the sentence's), so that one clause's toll or party is not the other's.
    """
    s = whole.sentence
    if len(whole.towns) < 2:
        return [whole]  # two acts apart need a town each: most sentences end here
    cuts = [m.start() for m in _parallel_breaks(lex).finditer(s.text) if m.start() > 0]
    if not cuts:
        return [whole]
    bounds = [0, *cuts, len(s.text)]
    # Only clauses with a place below the country and an act word can stand apart: the cheap
    # tests first, since most joined sentences tell one act ("X and Y said").
    with_towns = [(a, b) for a, b in pairwise(bounds) if any(a <= t < b for t in whole.towns)]
    if len(with_towns) < 2:
        return [whole]
    # (start of the clause in the sentence, end of its chunk, the clause without its edges)
    clauses_: list[tuple[int, int, str]] = []
    for a, b in with_towns:
        chunk = s.text[a:b]
        lead = len(chunk) - len(chunk.lstrip(_CLAUSE_EDGES))
        clause = chunk[lead:].rstrip(_CLAUSE_EDGES)
        if clause and rules.candidate_cues(clause, lex):
            clauses_.append((a + lead, b, clause))
    if len(clauses_) < 2:
        return [whole]
    parts: list[_Reading] = []
    for start, b, clause in clauses_:
        sub = Sentence(clause, s.start + start, s.start + start + len(clause), s.paragraph, s.index)
        own = [replace(d, start=d.start - start) for d in found if start <= d.start < b]
        reading = _read(sub, lex, own or _days_back(clause, found, lex), nlp, short)
        if reading is not None:
            parts.append(reading)
    if len(parts) < 2:
        return [whole]
    if not _apart(parts):
        return [whole]
    crowd = tuple(a for a in whole.actors if a.type == "protesters")
    riot = rules.type_table()["Violent demonstration"]
    for r in parts:
        r.whole = whole
        if crowd and not r.actors and r.cue.sub_event_type == "Looting/property destruction":
            # "…, while in Peshawar they set fire to a radio station": the crowd of the
            # sentence, told by a pronoun, rioting there too.
            r.cue = replace(r.cue, sub_event_type="Violent demonstration", mode=riot["mode"])
            r.actors = crowd
    return parts


@cache
def _days_before(lex: Lexicon) -> tuple[tuple[re.Pattern[str], int], ...]:
    """Return the joining words that put their clause's act days before the sentence's
    (``parallel_acts.days_before``: "a day after" 1, "au lendemain de" 1, "بعد يومين من" 2)."""
    spec = lex.raw.get("parallel_acts", {}).get("days_before", {})
    return tuple(
        (re.compile(p.replace("APOS", "['’]"), re.IGNORECASE), int(n)) for p, n in spec.items()
    )


def _days_back(clause: str, found: list[DateRef], lex: Lexicon) -> list[DateRef]:
    """Return the dates of a clause without its own: the sentence's ``found``, or, when the
    clause opens with "a day after" and the like, the sentence's day that many days back
    ("Israeli jets struck Khan Younis on Friday, a day after Hamas fired rockets at Sderot":
    the rockets on Thursday)."""
    day = dates.best_date(found, 0)
    if day is None or day.precision != "day":
        return found
    for pattern, days in _days_before(lex):
        opening = pattern.match(clause)
        if opening is not None:
            back = day.date - dt.timedelta(days=days)
            return [DateRef(back, "day", opening.group().strip(), 0)]
    return found


def _apart(parts: list[_Reading]) -> bool:
    """Return True when every clause reading of ``parts`` names a place below the country
    level and no two name the same one, or a province and a town in it: acts told apart, not
    one act told twice ("in Diwaniyah, thousands marched …, and the protesters gathered at the
    old building of Diwaniyah province")."""
    # Below the country: a province, or a town of a country whose provinces the data lacks.
    named = [[p for p in r.places if p.admin1_code or p.geo_precision < _PROVINCE] for r in parts]
    if not all(named):
        return False
    return not any(
        _same_ground(a, b)
        for i, mine in enumerate(named)
        for theirs in named[i + 1 :]
        for a in mine
        for b in theirs
    )


def _same_ground(a: Place, b: Place) -> bool:
    """Return True when ``a`` and ``b`` are one place, or a province and a place in it."""
    return a.name == b.name or (
        a.admin1_code == b.admin1_code and _PROVINCE in (a.geo_precision, b.geo_precision)
    )


def _rejoin(readings: list[_Reading]) -> list[_Reading]:
    """Return ``readings`` with the clauses of a sentence read as one act again when, once
    the article's countries have decided its villages (:func:`_corroborate`), they no longer
    name places of their own."""
    out: list[_Reading] = []
    i = 0
    while i < len(readings):
        whole = readings[i].whole
        if whole is None:
            out.append(readings[i])
            i += 1
            continue
        j = i
        while j < len(readings) and readings[j].whole is whole:
            j += 1
        group = readings[i:j]
        out.extend(group if _apart(group) else [whole])
        i = j
    return out


def _locate(r: _Reading, lex: Lexicon, focus: frozenset[str]) -> None:
    """Set ``r``'s places (and minor towns, major places, ambiguity) from its sentence, towns
    in the ``focus`` countries first."""
    text = r.sentence.text
    found = [
        h
        for h in gazetteer.find(text, lex, list(r.exclude), focus)
        if h.entry.kind == "site" or not actors.speaker_or_accused(text, h.start, h.end, lex)
    ]
    # The scene a sentence opens with names its country even where it is no place of the act.
    r.countries_named = frozenset(h.entry.country for h in found if h.entry.kind == "country")
    found = _past_frame(text, _past_dateline(text, found, lex), lex)
    spoken = [h for h in found if gazetteer.spoken_for(text, h, lex)]
    if spoken and len(spoken) < len(found):
        found = [h for h in found if h not in spoken]
    cause = next((c for c in _causes(text, lex) if c > r.cue.end), None)
    if cause is not None:
        # "… en riposte à l'assassinat de Fouad Chokr à Beyrouth": where the act answered
        # happened is not where this one did; "lors de la riposte près de Tahoua" names
        # nothing answered, and its place is the act's.
        found = [h for h in found if h.start < cause]
    r.towns = tuple(h.start for h in found if h.entry.kind != "country")
    r.countries = frozenset(h.entry.country for h in found if not h.ambiguous)
    all_hits = _in_cue_clause(
        text, [h for h in found if not h.destination], (r.cue.start, r.cue.end), lex
    )
    hits = gazetteer.split_coordinated(text, all_hits, lex)
    if len(hits) == 1 and any(
        h.destination and gazetteer.on_the_way(text, hits[0], h, lex) for h in found
    ):
        hits = [replace(hits[0], near=True)]  # "la route reliant Bagdad à Babel"
    r.places = [h.place() for h in hits]
    r.minor = frozenset(h.entry.name for h in hits if h.entry.minor)
    r.ambiguous = any(h.ambiguous for h in all_hits)
    # Without a village the sentence's places are its major ones; with one, they are the
    # places left when the village is not counted.
    majors = [h for h in all_hits if not h.entry.minor] if r.minor else None
    r.major_places = tuple(
        r.places
        if majors is None
        else (h.place() for h in gazetteer.split_coordinated(text, majors, lex))
    )


#: A wire dateline at the start of a sentence: "SANAA, March 4 (Reuters) —", "Gaza City
#: (AFP) -", "بيروت - وكالات الانباء", "دمشق (رويترز) -": where the report was filed.
_DATELINE = re.compile(
    # EFE closes the agency's bracket with a full stop: "BOGOTÁ (EFE). —", "Bogotá (EFE).-".
    r"^(?:[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’./ -]{2,40}(?:,[^—–\n]{0,40}?)?\s*(?:\([^)\n]{1,30}\)\.?\s*)?"
    r"|[A-ZÀ-ÖØ-Þ][\w'’. -]{1,40}(?:,[^—–(\n]{0,40}?)?\s*\([^)\n]{1,30}\)\.?\s*"
    # Arabic: "بيروت -", "دمشق (رويترز) -".
    r"|[\u0600-\u06ff]+(?: [\u0600-\u06ff]+)?\s+(?:\([^)\n]{1,30}\)\s*)?)"
    r"[—–\u0640-]{1,2}\s"
)


def _past_dateline(text: str, hits: list[gazetteer.Hit], lex: Lexicon) -> list[gazetteer.Hit]:
    """Return ``hits`` without the places of the sentence's dateline when the sentence names
    a place of its own, a country included: the dateline says where the report was filed
    ("SANAA — … a cargo ship in the Red Sea", "OUAGADOUGOU — … a village in northern Burkina
    Faso"), and is the act's place only when the text gives no other ("MOSUL, Iraq (AP) — A
    car bomb exploded near a market"). When the text names a town the gazetteer lacks
    ("BAMAKO (Reuters) — … killed 30 civilians in Moura"), the dateline says only the
    country."""
    found = _DATELINE.match(text)
    if found is None or not hits:
        return hits
    after = [h for h in hits if h.start >= found.end()]
    if after or not _names_unknown_place(text, found.end(), lex):
        return after or hits
    countries = {h.entry.country: h for h in hits}
    return [
        gazetteer.Hit(gazetteer.entry_for_country(code), h.start, h.end)
        for code, h in countries.items()
    ]


#: A capitalised word of a cased script: a name, where no sentence starts.
_CAPITALISED = re.compile(r"(?<![\w'’-])[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’-]{2,}")


def _names_unknown_place(text: str, start: int, lex: Lexicon) -> bool:
    """Return True when, past ``start``, a capitalised word other than a day or month name
    follows a preposition of place ("in Moura", "in the village of Moura", "à Moura"): a
    place the gazetteer does not know (the caller has found none there)."""
    calendar = dates.calendar_words(lex)  # "in March" is no place
    for m in _CAPITALISED.finditer(text, start):
        if m.group().lower() in calendar:
            continue
        # "in the village of Moura", "dans la localité de Moura": the kind named first.
        kind = _KIND_OF.search(text, max(0, m.start() - 40), m.start())
        if gazetteer.locative(text, kind.start() if kind else m.start(), lex):
            return True
    return False


#: One or two words and "of" ending just before a name: "village of", "commune rurale de".
_KIND_OF = re.compile(r"(?:[^\W\d_]+ ){1,2}(?:of|de|du|del|d['’])\s*$")


def _dateline_dates_dropped(text: str, found: list[DateRef]) -> list[DateRef]:
    """Return ``found`` without the date of the sentence's dateline when the sentence gives
    another ("KHARTOUM, June 15 (Reuters) - Shelling … killed 27 people on Friday": filed on
    the 15th, the act on the 14th); alone, the dateline's date stands."""
    if len(found) < 2:
        return found  # nothing to choose between: the dateline test is not worth its cost
    line = _DATELINE.match(text)
    if line is None:
        return found
    after = [d for d in found if d.start >= line.end()]
    return after or found


def _past_frame(text: str, hits: list[gazetteer.Hit], lex: Lexicon) -> list[gazetteer.Hit]:
    """Return ``hits`` without the scene-setting place that opens the sentence ("In Gaza,
    thousands marched in Khan Younis", "وفي قطاع غزة، استشهد … في حي الشجاعية") when the
    sentence names a town or site after it: the frame is the region, the act's place follows."""
    if len(hits) < 2:
        return hits
    first = min(hits, key=lambda h: h.start)
    opening = text[: first.start]
    if (
        len(opening.split()) > 4
        or not gazetteer.locative(text, first.start, lex)
        or not text[first.end :].lstrip().startswith((",", "\u060c"))
    ):
        return hits
    # The towns it frames are in its clause: "In Lahore, protesters torched …, while in
    # Peshawar they set fire …" names two places, the second framing nothing.
    end = next((b for a, b in clauses(text, lex) if a <= first.start < b), len(text))
    # A reference point in the frame's own apposition describes it: "In Omdurman, across
    # the Nile from Khartoum, troops clashed" is Omdurman's clash.
    described = [h for h in hits if _describes(text, first, h, lex)]
    rest = [h for h in hits if first.end < h.start < end and h not in described]
    if not any(h.entry.kind != "country" for h in rest):
        return [h for h in hits if h not in described]
    return [h for h in hits if h is not first]


def _describes(text: str, frame: gazetteer.Hit, hit: gazetteer.Hit, lex: Lexicon) -> bool:
    """Return True when ``hit`` stands in a short phrase right after ``frame``'s comma that
    places it by a near marker ("In Omdurman, across the Nile from Khartoum,")."""
    between = text[frame.end : hit.start].strip()
    return (
        between[:1] in (",", "\u060c")
        and len(between.split()) <= 7
        and not any(c in between[1:] for c in ",\u060c")
        and gazetteer.near_words(text, frame.end, hit.start, lex)
    )


def _in_cue_clause(
    text: str, hits: list[gazetteer.Hit], cue: tuple[int, int], lex: Lexicon
) -> list[gazetteer.Hit]:
    """Return ``hits`` less the towns and sites of other clauses when the cue's own clause
    names one: "The military struck Yaroun on Sunday, hours after rockets were fired at
    Metula" places the rockets at Metula and the strike at Yaroun, each by its clause."""
    spans = clauses(text, lex)
    if len(spans) < 2:
        return hits
    own = next(((a, b) for a, b in spans if a <= cue[0] < b), None)
    if own is None:
        return hits
    inside = [h for h in hits if own[0] <= h.start < own[1]]
    if not any(h.entry.kind != "country" for h in inside):
        return hits
    return [h for h in hits if h in inside or h.entry.kind == "country"]


#: How many sentences back an unqualified force ("the army") looks for whose it is.
_FORCES_WINDOW = 5


def _forces_named(readings: list[_Reading], sentences: list[Sentence], lex: Lexicon) -> None:
    """Name the unqualified forces that carry out each reading's act ("The army said troops
    killed three gunmen") after the state's forces named last before them, in their sentence
    or the few before ("Israeli forces raided Jenin …"); drop them where none were named
    (whose army it is, the place does not say: the Israeli army in Gaza, the Turkish one in
    Syria) and where they are hit: the soldiers killed after "Russian forces shelled
    Kharkiv" are Ukraine's."""
    for r in readings:
        if not any(a.name == actors.UNNAMED_FORCES for a in r.actors):
            continue
        acting = any(a.name == actors.UNNAMED_FORCES and a.role == "actor" for a in r.actors)
        named = _forces_before(r, sentences, lex) if acting else None
        kept: dict[tuple[str, str], Actor] = {}
        for a in r.actors:
            party = a
            if a.name == actors.UNNAMED_FORCES:
                if a.role != "actor" or named is None or any(b.name == named for b in r.actors):
                    continue  # a target, unknown, or already a party under its own name
                party = replace(a, name=named)
            kept.setdefault((party.name, party.role), party)
        r.actors = tuple(kept.values())


def _forces_before(r: _Reading, sentences: list[Sentence], lex: Lexicon) -> str | None:
    """Return the canonical name of the state forces named last before the first unqualified
    force of ``r``'s sentence, looking back ``_FORCES_WINDOW`` sentences; None without."""
    state = states.countries()
    hits = actors.find(r.sentence.text, lex)
    first = min(h.start for h in hits if h.name == actors.UNNAMED_FORCES) if hits else 0
    own = [h for h in hits if h.start < first and h.type == "state_forces" and h.name in state]
    if own:
        return own[-1].name
    index = r.sentence.index
    for s in reversed(sentences[max(0, index - _FORCES_WINDOW) : index]):
        found = [
            h for h in actors.find(s.text, lex) if h.type == "state_forces" and h.name in state
        ]
        if found:
            return found[-1].name
    return None


def _refocus(readings: list[_Reading], text: str, title: str, lex: Lexicon) -> None:
    """Re-read the places of sentences whose town names several countries share, preferring
    the countries the article's unambiguous places are in: "Saïda" is Sidon in a story that
    names Lebanon, the Algerian town in one that names Algeria.

    The countries come from the title and the other act sentences; only when they name none
    is the whole text read for places (the cost of which most articles are spared).
    """
    if not any(r.ambiguous for r in readings):
        return
    focus = frozenset(h.entry.country for h in gazetteer.find(title, lex, []) if not h.ambiguous)
    focus = focus.union(*(r.countries for r in readings))
    if not focus:
        focus = frozenset(h.entry.country for h in gazetteer.find(text, lex, []) if not h.ambiguous)
    for r in readings:
        if r.ambiguous:
            _locate(r, lex, focus)


def _corroborate(
    readings: list[_Reading], title_places: list[Place], sentences: list[Sentence], lex: Lexicon
) -> None:
    """Drop the minor towns whose country the article names nowhere else (by a country,
    province or bigger town, or the forces of that country fighting at home, "l'armée
    syrienne"; a country named in a sentence that tells no act counts too, "La violencia en
    Colombia no cesa"): "Salman" in a Saudi story is the king, not a village in Iraq."""
    named = {p.country_code for p in title_places}
    named.update(p.country_code for r in readings for p in r.major_places)
    named.update(c for r in readings for c in r.countries_named)
    home = actors.home_grounds()
    named.update(home[a.name] for r in readings for a in r.actors if a.name in home)
    elsewhere: set[str] | None = None  # the other sentences' countries, read if needed
    state = states.countries()
    for r in readings:
        # A state's forces named in the act's own sentence, as actor or target, name their
        # country for its villages ("Hezbollah fired rockets at Israeli troops in Metula"):
        # not article-wide, since they fight abroad too.
        own = named | {state[a.name] for a in r.actors if a.name in state}
        unconfirmed = [p for p in r.places if p.name in r.minor and p.country_code not in own]
        if r.minor and unconfirmed and elsewhere is None:
            elsewhere = {
                h.entry.country
                for h in _hits_elsewhere(readings, sentences, lex)
                if h.entry.kind == "country" and not h.ambiguous
            }
        if unconfirmed and not all(p.country_code in (elsewhere or set()) for p in unconfirmed):
            # A province of the village's name is what the name means then ("en Arauca":
            # the department, where the town is only the article's if it names Colombia).
            provinces = [q for p in unconfirmed if (q := _province_named(p)) is not None]
            r.places = list(r.major_places) or provinces


def _hits_elsewhere(
    readings: list[_Reading], sentences: list[Sentence], lex: Lexicon
) -> list[gazetteer.Hit]:
    """Return the places named by the sentences that tell no act (read only when an act's
    place needs them: most articles are spared this whole-text pass)."""
    told = {r.sentence.index for r in readings}
    return [h for s in sentences if s.index not in told for h in gazetteer.find(s.text, lex, [])]


def _province_named(town: Place) -> Place | None:
    """Return the province of ``town``'s country that has its name, if any."""
    return next(
        (
            gazetteer.Hit(e, 0, 0).place()
            for e in gazetteer.index().get(gazetteer.normalize(town.name), ())
            if e.kind == "province" and e.country == town.country_code
        ),
        None,
    )


def _article_country(
    readings: list[_Reading], title_places: list[Place], sentences: list[Sentence], lex: Lexicon
) -> tuple[Place | None, bool]:
    """Return the country the article is mostly about (the place of an act its sentence does
    not locate), if any, and whether it was read only from sentences that tell no act.

    It is the country the act sentences and the title name most; when they name none, that
    of the forces they name fighting at home ("Malian soldiers", whose adjective is no
    place); without those, the one the unambiguous places of the other sentences clearly
    favour ("… in Moura. The killings in Mali drew condemnation")."""
    votes = Counter(p.country_code for r in readings for p in r.places)
    votes.update(p.country_code for p in title_places)
    if not votes and any(not r.places for r in readings):
        # Read only when an act lacks a place: most articles are spared the whole-text pass.
        home = actors.home_grounds()
        votes.update(
            home[name]
            for r in readings
            for name in dict.fromkeys([*(a.name for a in r.actors), *r.named])
            if name in home
        )
        if not votes:
            # An act sentence's own places were weighed when it was read (one in an actor's
            # name, a speaker's, another clause's is not the act's): only the other
            # sentences are read now. Villages do not count: a minor town's name is often a
            # word or a person's ("Emmanuel"), and :func:`_corroborate` would not trust it.
            votes.update(
                h.entry.country
                for h in _hits_elsewhere(readings, sentences, lex)
                if not h.ambiguous and not h.entry.minor
            )
            ranked = votes.most_common(2)
            if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
                return None, True  # none, or two countries as often: the text does not say
            entry = gazetteer.entry_for_country(ranked[0][0])
            return gazetteer.Hit(entry, 0, 0).place(), True
    if not votes:
        return None, False
    entry = gazetteer.entry_for_country(votes.most_common(1)[0][0])
    return gazetteer.Hit(entry, 0, 0).place(), False


def _mention(
    r: _Reading, place: Place, date: DateRef, *, inherited: bool, version: str, source: str
) -> EventMention:
    typed = r.cue.sub_event_type or rules.by_weapon(r.counts)
    if typed is not None:
        info = rules.type_table()[typed]
        event_type, sub, plover, mode = (
            info["event_type"],
            typed,
            info["plover"],
            r.cue.mode if r.cue.sub_event_type else info["mode"],
        )
        confidence = 0.75 if r.cue.strong else 0.5
    else:
        armed = r.armed_object or any(a.role == "target" and a.type in _ARMED for a in r.actors)
        info = rules.untyped(armed)
        event_type, sub, plover, mode = (
            info["event_type"],
            info["sub_event_type"],
            info["plover"],
            None,
        )
        confidence = 0.35
    confidence += 0.1 if date.text and not inherited else -0.1 if inherited else 0.0
    confidence += 0.05 if place.geo_precision == 1 else 0.0
    return EventMention(
        event_type=event_type,
        sub_event_type=sub,
        plover_event=plover,
        plover_mode=mode,
        event_date=date.date.isoformat(),
        date_precision=date.precision,
        date_text=date.text,
        place=place,
        sentence=source[r.sentence.start : r.sentence.end],
        start=r.sentence.start,
        end=r.sentence.end,
        actors=_protest_sides(r.actors) if event_type in _CROWD_EVENTS else r.actors,
        fatalities=r.casualties.get("fatalities"),
        injured=r.casualties.get("injured"),
        counts=dict(r.counts),
        intercepted=r.intercepted,
        confidence=round(max(0.05, min(1.0, confidence)), 2),
        extractor_version=version,
    )


def _protest_sides(found: tuple[Actor, ...]) -> tuple[Actor, ...]:
    """Return ``found`` with the crowd as the actor of its protest or riot and whoever else
    is named (the police that intervened) as the other side, ACLED's actor 1 and actor 2,
    also where the text names no crowd ("Police fired tear gas to disperse the rally": the
    export names the crowd "Protesters (Country)")."""
    sides = {
        a.name: Actor(a.name, "actor" if a.type == "protesters" else "target", a.type)
        for a in found
    }
    return tuple(sorted(sides.values(), key=lambda a: a.role))


def _compatible_date(a: DateRef | None, b: DateRef) -> bool:
    if a is None:
        return True
    a0, a1 = dates.period(a)
    b0, b1 = dates.period(b)
    return a0 <= b1 + dt.timedelta(days=1) and b0 <= a1 + dt.timedelta(days=1)


def _other_day(date: DateRef | None, m: EventMention) -> bool:
    """Return True when a sentence's own day differs from the day a mention's words give
    ("a strike on Saturday" is not the drone strike "on Sunday" told before)."""
    return (
        date is not None
        and date.text is not None
        and date.precision == "day"
        and m.date_text is not None
        and m.date_precision == "day"
        and date.date.isoformat() != m.event_date
    )


def _near_place(a: Place, b: Place) -> bool:
    """Return True when two places may be one act's: the same place, or one province
    ("In Raqqa, gunmen assassinated…" does not join a shelling at Tal Tamr)."""
    if a.country_code != b.country_code:
        return False
    if a.admin1_code is None or b.admin1_code is None:
        return True  # a whole country ("en Irak") contradicts none of its towns
    if a.name != b.name and a.geo_precision == b.geo_precision == 1:
        return False  # two towns or sites: the strike on Amuda is not the one near Qamishli
    return a.name == b.name or a.admin1_code == b.admin1_code


def _shares_party(generic: _Reading, typed: _Reading, *, told_before: bool) -> bool:
    """Return True unless one's target is the other's actor (the other side's act, not the
    same one told again) or, for an act told after the generic sentence, both name targets
    and none in common. An act told before may have more victims than its own sentence
    named ("… murieron en el ataque", the SDF fighters at the US base just attacked)."""
    g = {a.name for a in generic.actors if a.role == "target"}
    t = {a.name for a in typed.actors if a.role == "target"}
    if {a.name for a in typed.actors if a.role == "actor"} & g:
        return False
    if {a.name for a in generic.actors if a.role == "actor"} & t:
        return False
    return told_before or not g or not t or bool(g & t)


def _replies(text: str, lex: Lexicon) -> bool:
    """Return True when ``text`` says its act answers another ("en riposte", "in response
    to", "ردا على")."""
    return _says(text, lex, "retaliation")


def _told_apart(r: _Reading, lex: Lexicon) -> bool:
    """Return True when ``r``'s sentence says its act is another than the one before ("in a
    separate attack", "hours later", "dans une autre attaque", "في هجوم آخر")."""
    return _says(r.sentence.text, lex, "separate_acts")


def _reply(lex: Lexicon) -> re.Pattern[str]:
    """Return the pattern of the language's words for a reply ("en riposte", "ردا على")."""
    return _markers(lex, "retaliation")[0]


def extract(
    text: str,
    lex: Lexicon,
    published_at: str | None,
    title: str | None,
    version: str,
    *,
    use_parser: bool = False,
) -> list[EventMention]:
    """Return the event mentions of ``text`` (see the package docstring for the fields).

    With ``use_parser`` and a parser installed for the language, roles left open by markers
    come from the dependency parse, and the mentions' extractor version names the model.
    """
    nlp = syntax.parser(lex) if use_parser else None
    if nlp is not None:
        version = f"{version}+{syntax.tag(lex)}"
    pub = dates.publication_date(published_at)
    source, text = text, text.translate(_SPACES)
    readings: list[_Reading] = []
    anchor: DateRef | None = None
    claims: list[tuple[int, tuple[Actor, ...]]] = []
    sentences = split(text, lex)
    # "RSF" is the Rapid Support Forces where the article names them so, not elsewhere.
    short = actors.named_in_full(text, lex)
    # The best date of each sentence: an act told in a later one "in the camp" took place
    # on the day of the sentence that named the camp (:func:`_scene`).
    sentence_dates: dict[int, DateRef | None] = {}
    for s in sentences:
        found = _dateline_dates_dropped(s.text, dates.find_dates(s.text, lex, pub, anchor))
        reading = _read(s, lex, found, nlp, short)
        if reading is not None and _unclaimed(s.text, lex) and not actors.blames(s.text, lex):
            # "No group has claimed responsibility, but JNIM is active in the area": a group
            # named where no one claimed the act and no one blames it is no party to it (the
            # one the authorities suspect is, as ACLED codes a suspected perpetrator).
            reading.actors = ()
        if reading is not None:
            if not (readings and _crowd_fired_on(readings[-1], reading, lex)):
                readings.extend(_parallel(reading, lex, found, nlp, short))
        elif readings and _crowd_handled(readings[-1], s, lex):
            pass
        elif _claimed(s.text, lex):
            # A claim that names no act (a denial is none).
            claims.append((s.index, _claimants(s.text, lex, short)))
        sentence_dates[s.index] = dates.best_date(found, 0)
        anchor = sentence_dates[s.index] or anchor
    title_places = [h.place() for h in gazetteer.find((title or "").translate(_SPACES), lex, [])]
    # The sentences read clause by clause are decided with the article's places, their
    # readings as one act too, in case the clauses are joined again.
    wholes = list({id(r.whole): r.whole for r in readings if r.whole is not None}.values())
    _forces_named(readings + wholes, sentences, lex)
    _refocus(readings + wholes, text, (title or "").translate(_SPACES), lex)
    _corroborate(readings + wholes, title_places, sentences, lex)
    readings = _rejoin(readings)
    fallback_place, aside = _article_country(readings, title_places, sentences, lex)
    # A country only the sentences that tell no act name places only an act told in no
    # uncertain words: a weak cue ("heavy artillery" in a profile) needs a country its own
    # sentence, the acts' or the title names.
    weak_fallback = None if aside else fallback_place
    publication = DateRef(pub, "week", None)

    out: list[tuple[_Reading, EventMention]] = []
    typed = [r for r in readings if r.cue.sub_event_type is not None]
    for r in typed:
        apart = _told_apart(r, lex)
        previous = [
            m
            for p, m in out
            if _same_act(p, r)
            and 0 < r.sentence.index - p.sentence.index <= _INHERIT_WINDOW
            and _same_side(m.actors, r.actors)
        ]
        # Of the places one sentence told the act at, the one this sentence is in ("in Dhi
        # Qar and Babil" and then "près de Nasiriyah"), else the last told.
        prior = next(
            (m for m in reversed(previous) if r.places and _same_ground(m.place, r.places[0])),
            previous[-1] if previous else None,
        )
        if prior is None and not r.places and r.date is None and not r.reply and not apart:
            kin = _kin(r, out, lex)
            if kin is not None:
                kin = _sharpened(out, kin, r)
                # "Los bombardeos alcanzaron un mercado", right after "ataques aéreos … contra
                # Idlib": the act named again, without place or date, is that act told again.
                out.append((r, _intervened(_retold(kin, r, source), r)))
                continue
            # Another kind of act told right after one, with neither place nor date of its
            # own, happened there and then ("Israeli forces killed four in Jenin on Thursday.
            # The army said an aircraft struck a group of gunmen"), unless its actors say
            # it is the other side's.
            # So does one that names the act before as "the attack" ("The Sudanese military
            # said its forces repelled the attack"), whichever side tells it.
            refers = _act_reference(lex).search(r.sentence.text) is not None
            prior = next(
                (
                    m
                    for p, m in reversed(out)
                    if (r.sentence.index - p.sentence.index == 1 and _same_side(m.actors, r.actors))
                    or (refers and 0 < r.sentence.index - p.sentence.index <= _INHERIT_WINDOW)
                ),
                None,
            )
        inherited_place = _inherited_place(previous) if previous else prior.place if prior else None
        scene: int | None = None
        if inherited_place is None and not r.places:
            inherited_place = _referred_place(r, out, lex)
            if inherited_place is None:
                inherited_place, scene = _scene(r, sentences, lex)
        places = r.places or (
            [inherited_place]
            if inherited_place
            else [fallback_place]
            if fallback_place and (r.cue.strong or not aside)
            else []
        )
        date, inherited = r.date, False
        if (
            date is None
            and prior is not None
            and (not r.places or prior.place.admin1_code in (None, r.places[0].admin1_code))
        ):
            date = DateRef(
                dt.date.fromisoformat(prior.event_date), prior.date_precision, prior.date_text
            )
            inherited = True
        if date is None and scene is not None and sentence_dates.get(scene) is not None:
            date, inherited = sentence_dates[scene], True
        for place in places:
            out.append(
                (
                    r,
                    _mention(
                        r,
                        place,
                        date or r.claimed_on or publication,
                        inherited=inherited,
                        version=version,
                        source=source,
                    ),
                )
            )

    for r in (r for r in readings if r.cue.sub_event_type is None):
        apart = _told_apart(r, lex)
        # The act told before comes first: "murieron en el ataque" tells the attack just
        # reported, not the next item of the roundup.
        near = [
            (p.sentence.index > r.sentence.index, abs(p.sentence.index - r.sentence.index), i)
            for i, (p, m) in enumerate(out)
            # A typed act, or a bare attack word's act told before (its sentences come in
            # order): "Des dizaines de civils ont été tués dans une attaque jihadiste" and
            # then "Les assaillants ont pris pour cible des habitants" tell one act; an attack
            # on a named person is an act of its own ("l'assassinat de Soleimani").
            if (
                p.cue.sub_event_type is not None
                or (p.sentence.index < r.sentence.index and not _person_targeted(r))
            )
            and abs(p.sentence.index - r.sentence.index) <= _ATTACH_WINDOW
            # Another clause of the same sentence, read apart, tells another act.
            and (r.whole is None or p.whole is not r.whole)
            and (
                (
                    _compatible_date(
                        r.date, DateRef(dt.date.fromisoformat(m.event_date), m.date_precision, None)
                    )
                    and not _other_day(r.date, m)
                )
                # Dated by the day it was reported only: an earlier day may be the act's.
                or (p.said_only and r.date is not None and r.date.date.isoformat() <= m.event_date)
            )
            and _shares_party(r, p, told_before=p.sentence.index < r.sentence.index)
            and not r.reply
            and not apart
            # A year's toll ("killing more than 200 of them this year") tells no act of a day.
            and not (
                r.date is not None
                and r.date.precision == "year"
                and m.date_precision in ("day", "week")
            )
            # An act told later as another ("Hours later, troops clashed with the attackers")
            # is not the one this sentence reports.
            and not (p.sentence.index > r.sentence.index and _told_apart(p, lex))
            # An attack word never tells a peaceful crowd's march again.
            and m.sub_event_type not in _PEACEFUL
            and (not r.places or _near_place(r.places[0], m.place))
        ]
        # A typed act naming a party of this sentence is the one it tells, even after it
        # (the claim "Ashab al-Kahf avait attaqué le convoi US", then the roadside bombs on
        # the US convoy); otherwise the act told before.
        named = {a.name for a in r.actors}
        sharing = [
            n
            for n in near
            if out[n[2]][0].cue.sub_event_type is not None
            and named & {a.name for a in out[n[2]][1].actors}
        ]
        if near:
            *_, i = min(sharing or near)
            anchor_reading, anchor_mention = out[i]
            claimed = tuple(a for a in r.actors if a.role == "actor")
            if claimed and not any(a.role == "actor" for a in anchor_mention.actors):
                anchor_mention = replace(anchor_mention, actors=claimed + anchor_mention.actors)
            if r.date is not None and (
                anchor_mention.date_text is None
                or (
                    anchor_reading.said_only and r.date.date.isoformat() < anchor_mention.event_date
                )
            ):
                # The act's own words gave no date (publication week) or only the day it was
                # reported: the sentence that tells it again does ("… were killed on Tuesday
                # during the raid").
                anchor_mention = replace(
                    anchor_mention,
                    event_date=r.date.date.isoformat(),
                    date_precision=r.date.precision,
                    # The report's day was its text; the act's day has its own words.
                    date_text=r.date.text if anchor_mention.date_text else None,
                )
            out[i] = (anchor_reading, anchor_mention)
            told = _retold(anchor_mention, r, source)
            finer = _finer_places(anchor_mention.place, r.places)
            if not finer:
                out.append((r, told))
            for k, place in enumerate(finer):
                # "The strikes hit the towns of Sarmin, Ariha and Jisr al-Shughur": the act
                # told in a province is one event in each town (ACLED); its toll once.
                kept = told if k == 0 else replace(told, fatalities=None, injured=None)
                out.append((r, replace(kept, place=place)))
        elif (
            r.casualties.get("fatalities")
            or _person_targeted(r)
            or any(a.type in _ARMED_GROUPS for a in r.actors)
            # "Un drone de l'armée tchadienne a frappé", "L'armée malienne a frappé des
            # positions terroristes": the weapon or the armed object and who struck it say
            # it was an act of war, not a figure of speech.
            or rules.by_weapon(r.counts) is not None
            or (r.armed_object and any(a.role == "actor" for a in r.actors))
            # "la Résistance avait revendiqué une attaque contre la ville d'Eilat": a claimed
            # act with a place of its own is news, though the claimant is not in the data.
            or (r.places and _claimed(r.sentence.text, lex))
        ):
            mention = _untyped(r, out, weak_fallback, version, source)
            if mention is not None:
                out.append((r, mention))
    out = _claims_lent(out, lex)
    out = _bare_claims_lent(out, claims)
    out = _placed_by_earlier(out, fallback_place, source, lex)
    out = _placed_by_reference(out, lex)
    out = _details_of_summary(out, lex)
    mentions = _one_crowd_type([m for _, m in _organised(out, lex) if not _tally(m)])
    return sorted(mentions, key=lambda m: (m.start, m.place.name))


def _claims_lent(
    out: list[tuple[_Reading, EventMention]], lex: Lexicon
) -> list[tuple[_Reading, EventMention]]:
    """Return ``out`` with the claimant of a sentence that claims "the attack" before it tells
    another act of its own ("La Resistencia Islámica reivindicó el ataque …, en el que también
    se atribuyó el lanzamiento de cohetes contra Harir") set as the actor of the act told just
    before, when that act has none: the claim names who did it."""
    fixed = list(out)
    for r, m in out:
        if r.cue.sub_event_type is None:
            continue
        claimed = tuple(a for a in m.actors if a.role == "actor")
        text = r.sentence.text
        # Claims are rare: their words first, the attack word only then.
        claim = actors.claim_words(lex).search(text, 0, r.cue.start) if claimed else None
        if claim is None:
            continue
        generic = lex.generic_attack.search(text, claim.end(), r.cue.start)
        if generic is None:
            continue
        for i in range(len(fixed) - 1, -1, -1):
            p, earlier = fixed[i]
            gap = r.sentence.index - p.sentence.index
            if 0 < gap <= _ATTACH_WINDOW and p.cue.sub_event_type is not None:
                if not any(a.role == "actor" for a in earlier.actors):
                    fixed[i] = (p, replace(earlier, actors=claimed + earlier.actors))
                break
    return fixed


def _claimants(text: str, lex: Lexicon, short: frozenset[str]) -> tuple[Actor, ...]:
    """Return the armed groups a sentence with a claim word names, as actors."""
    return tuple(
        Actor(h.name, "actor", h.type)
        for h in actors.find(text, lex, short)
        if h.type in _ARMED_GROUPS
    )


def _bare_claims_lent(
    out: list[tuple[_Reading, EventMention]], claims: list[tuple[int, tuple[Actor, ...]]]
) -> list[tuple[_Reading, EventMention]]:
    """Return ``out`` with the groups of a claim that names no act ("The Islamic Resistance in
    Iraq claimed responsibility in a statement on Telegram") set as the actors of the act told
    in the sentence just before, when it has none."""
    fixed = list(out)
    for index, claimants in claims:
        if not claimants:
            continue
        for i, (p, m) in enumerate(fixed):
            if p.sentence.index == index - 1 and not any(a.role == "actor" for a in m.actors):
                fixed[i] = (p, replace(m, actors=claimants + m.actors))
    return fixed


@cache
def _act_reference(lex: Lexicon) -> re.Pattern[str]:
    """Return the pattern of a definite name of an act told before ("the attack", "l'assaut",
    "el ataque", "الهجوم": ``act_references``); never matches for a pack without one."""
    return compile_any(lex.raw.get("act_references", []) or ["(?!)"], bounded=True)


def _details_of_summary(
    out: list[tuple[_Reading, EventMention]], lex: Lexicon
) -> list[tuple[_Reading, EventMention]]:
    """Return ``out`` with the acts that detail a summary told just before given its doers
    and, when they have none, its date: "Russia launched more than 100 drones at Ukraine
    overnight, killing seven. In Dnipro, a missile struck an apartment building" (Russia's
    missile, that night). A summary is an act of the same ACLED kind placed no finer than a
    province, whose country or province holds the detail's place; a detail that names a doer
    of its own (an actor, or a party before its act: "gunmen attacked"), or another kind of
    act, is told of its own."""
    fixed: list[tuple[_Reading, EventMention]] = []
    for r, m in out:
        summary = next(
            (
                (p, k)
                for p, k in reversed(fixed)
                if 0 < r.sentence.index - p.sentence.index <= _INHERIT_WINDOW
                and k.event_type == m.event_type
                and k.place.geo_precision == _PROVINCE
                and k.place.country_code == m.place.country_code
                and k.place.admin1_code in (None, m.place.admin1_code)
                and m.place.geo_precision < _PROVINCE
                and any(a.role == "actor" for a in k.actors)
            ),
            None,
        )
        party = lex.parties.search(r.sentence.text, 0, r.cue.start)
        if summary is None or party is not None or any(a.role == "actor" for a in m.actors):
            fixed.append((r, m))
            continue
        _, k = summary
        doers = tuple(a for a in k.actors if a.role == "actor")
        targets = tuple(a for a in m.actors if a.name not in {d.name for d in doers})
        told = replace(m, actors=doers + targets)
        if r.date is None and k.date_text is not None:
            told = replace(
                told,
                event_date=k.event_date,
                date_precision=k.date_precision,
                date_text=k.date_text,
            )
        fixed.append((r, told))
    return fixed


def _placed_by_earlier(
    out: list[tuple[_Reading, EventMention]],
    fallback: Place | None,
    source: str,
    lex: Lexicon,
) -> list[tuple[_Reading, EventMention]]:
    """Return ``out`` with each typed act that only got the article's country (no place or
    date of its own) told again as the act of its kind just before it, when that one stood on
    a sentence read later (an attack word with a named group: "les Hachd ont repoussé une
    attaque de Daech à Diyala. Quatre combattants ont été tués dans les affrontements")."""
    if fallback is None:
        return out
    fixed: list[tuple[_Reading, EventMention]] = []
    for r, m in out:
        if (
            r.cue.sub_event_type is not None
            and not r.places
            and r.date is None
            and m.place == fallback
            and not r.reply
        ):
            kin = _kin(r, [(p, k) for p, k in out if k.place != fallback], lex)
            if kin is not None:
                fixed.append((r, _retold(kin, r, source)))
                continue
        fixed.append((r, m))
    return fixed


def _placed_by_reference(
    out: list[tuple[_Reading, EventMention]], lex: Lexicon
) -> list[tuple[_Reading, EventMention]]:
    """Return ``out`` with each act told only at the level of a country or a province placed
    where a sentence just after names it again by reference and a place inside it ("Militants
    attacked a police checkpoint in northwest Pakistan. The attack took place in the Bannu
    district"): one act, at the finer place (ACLED codes the most precise place reported)."""
    # The mentions whose sentence names the act before by reference, once per article.
    references = [
        (p, k)
        for p, k in out
        if _act_reference(lex).search(p.sentence.text) is not None and not _told_apart(p, lex)
    ]
    if not references:
        return out
    fixed = list(out)
    for i, (r, m) in enumerate(out):
        if m.place.geo_precision < _PROVINCE:
            continue
        finer = next(
            (
                k.place
                for p, k in references
                if 0 < p.sentence.index - r.sentence.index <= _INHERIT_WINDOW
                and k.plover_event == m.plover_event
                and k.event_date == m.event_date
                and _finer_places(m.place, [k.place])
            ),
            None,
        )
        if finer is not None:
            fixed[i] = (r, replace(m, place=finer))
    return fixed


def _kin(
    r: _Reading, out: list[tuple[_Reading, EventMention]], lex: Lexicon
) -> EventMention | None:
    """Return the latest mention of the last two sentences of ``r``'s PLOVER event whose
    actors ``r`` does not contradict, if any."""
    info = rules.type_table()[str(r.cue.sub_event_type)]
    plover = info["plover"]
    # Arrests right after a crowd's act are how the police intervened in it (ACLED's protest
    # with intervention), not arrests somewhere in the country.
    kinds = {plover, "PROTEST"} if plover == "ARREST" else {plover}
    # Taking a town, abducting, raping are acts of their own, not the strike or the clash
    # told before told again ("Myanmar's military carried out airstrikes on a village. The
    # Arakan Army captured the town"), though PLOVER calls them all an assault.
    distinct = r.cue.sub_event_type in _DISTINCT_ACTS
    # An act of another ACLED kind whose doers the sentence names before it is another act
    # ("Troops shelled a village. Rebels ambushed a convoy"); without them it tells the act
    # before again ("… a grenade attack. After clashes, seven people are in a critical state").
    doers = lex.parties.search(r.sentence.text, 0, r.cue.start) is not None or any(
        a.role == "actor" for a in r.actors
    )
    kin = [
        m
        for p, m in out
        if 0 < r.sentence.index - p.sentence.index <= _ATTACH_WINDOW
        and m.plover_event in kinds
        and (not distinct or m.sub_event_type == r.cue.sub_event_type)
        and not (doers and m.event_type != info["event_type"] and m.plover_event == plover)
        # The police that arrest protesters are the crowd's other side, not its actor; the
        # other side's account of a battle that names it ("The army said its troops repelled
        # the attack and killed 12 insurgents") is that battle.
        and (
            _same_side(m.actors, r.actors)
            or m.plover_event != plover
            or (
                m.event_type == "Battles" == info["event_type"]
                and actors.claim_objects(lex).search(r.sentence.text) is not None
            )
        )
    ]
    return kin[-1] if kin else None


def _sharpened(
    out: list[tuple[_Reading, EventMention]], kin: EventMention, r: _Reading
) -> EventMention:
    """Return ``kin`` typed by ``r`` when ``r``, telling the same act again, names it with a
    strong cue of the same event type where ``kin``'s own cue was weak ("deux explosions", then
    "ont fait exploser leurs ceintures d'explosifs": a suicide bombing); ``out`` gets it too."""
    i = next(j for j, (_, m) in enumerate(out) if m is kin)
    told = out[i][0].cue
    table = rules.type_table()
    if told.strong or not r.cue.strong or r.cue.sub_event_type is None:
        return kin
    info = table[r.cue.sub_event_type]
    if told.sub_event_type is None or info["event_type"] != kin.event_type:
        return kin
    sharper = replace(
        kin,
        sub_event_type=r.cue.sub_event_type,
        plover_event=info["plover"],
        plover_mode=r.cue.mode or info["mode"],
    )
    out[i] = (out[i][0], sharper)
    return sharper


def _crowd_handled(prior: _Reading, s: Sentence, lex: Lexicon) -> bool:
    """Return True, and refine ``prior`` (a peaceful protest told in the sentence just before
    ``s``), when ``s`` reports no act of its own but how the crowd was met: "Hundreds
    protested in Port Sudan on Friday. Police fired tear gas to disperse them." is a protest
    with intervention (the language's refinements of a peaceful protest, read on ``s``)."""
    if prior.cue.sub_event_type != "Peaceful protest" or s.index - prior.sentence.index != 1:
        return False
    return _protest_refined(prior, s.text, lex) is not None


def _protest_refined(
    prior: _Reading, text: str, lex: Lexicon, *, only: str | None = None
) -> str | None:
    """Return the finer sub-type the language's refinements of a peaceful protest find in
    ``text`` (the sentence after ``prior``'s), and set it on ``prior``'s cue; None, and
    ``prior`` unchanged, when they find none or not ``only``."""
    probe = rules.Cue("Peaceful protest", prior.cue.strong, prior.cue.mode, 0, 0)
    refined = rules.refine(probe, text, lex)
    found = refined.sub_event_type
    if found == "Peaceful protest" or (only is not None and found != only):
        return None
    prior.cue = replace(prior.cue, sub_event_type=found, mode=refined.mode)
    return found


@cache
def _crowd_object(lex: Lexicon) -> re.Pattern[str]:
    """Return the pattern of a crowd as the object of force (``crowd_objects``: "on them",
    "sur la foule", "عليهم"); never matches for a pack without it."""
    return compile_any(lex.raw.get("crowd_objects", {}).get("patterns", []))


def _crowd_fired_on(prior: _Reading, r: _Reading, lex: Lexicon) -> bool:
    """Return True, and make ``prior`` (a protest told in the sentence just before ``r``'s)
    the protest met with the force ``r`` tells, with ``r``'s toll, when ``r``'s act is lethal
    force on that crowd ("Hundreds protested in Port Sudan. Security forces opened fire on
    them, killing two."): ACLED codes one event, excessive force against protesters, not a
    protest and an attack."""
    if (
        prior.cue.sub_event_type not in ("Peaceful protest", "Protest with intervention")
        or r.sentence.index - prior.sentence.index != 1
        or r.cue.sub_event_type not in (None, "Attack", "Excessive force against protesters")
        or not _crowd_object(lex).search(r.sentence.text)
    ):
        return False
    if _protest_refined(prior, r.sentence.text, lex, only="Excessive force against protesters"):
        prior.casualties = {**prior.casualties, **r.casualties}
        return True
    return False


def _intervened(m: EventMention, r: _Reading) -> EventMention:
    """Return ``m``, a crowd's act told again by ``r``, as a protest with intervention when
    ``r`` tells arrests (ACLED: arrests at a peaceful protest are the authorities'
    intervention in it)."""
    table = rules.type_table()
    if (
        m.sub_event_type != "Peaceful protest"
        or table[str(r.cue.sub_event_type)]["plover"] != "ARREST"
    ):
        return m
    info = table["Protest with intervention"]
    return replace(
        m,
        event_type=info["event_type"],
        sub_event_type="Protest with intervention",
        plover_event=info["plover"],
        plover_mode=info["mode"],
    )


@cache
def _place_reference(lex: Lexicon) -> re.Pattern[str]:
    """Return the pattern of a place named by its kind alone ("east of the city", "dans la
    ville"; ``places.place_references``); never matches for a pack without them."""
    refs = lex.raw["places"].get("place_references", {})
    return compile_any([*refs.get("patterns", []), *refs.get("surroundings", [])])


@cache
def _surroundings_reference(lex: Lexicon) -> re.Pattern[str]:
    """Return the pattern of the surroundings named by their kind alone ("in the area",
    "dans la zone"; ``places.place_references.surroundings``): the place of the act before,
    at district precision."""
    return compile_any(lex.raw["places"].get("place_references", {}).get("surroundings", []))


def _around(sentence: str, found: re.Match[str], lex: Lexicon) -> bool:
    """Return True when the place reference ``found`` names the surroundings of a place: a
    near marker before it ("east of the city") or an area word ("in the area")."""
    return gazetteer.near_words(sentence, found.start(), found.end(), lex) or (
        _surroundings_reference(lex).match(sentence, found.start()) is not None
    )


def _referred_place(
    r: _Reading, out: list[tuple[_Reading, EventMention]], lex: Lexicon
) -> Place | None:
    """Return the town or site of the latest act told in the last few sentences when ``r``'s
    sentence names a place by its kind alone ("The army said its aircraft struck positions
    east of the city", after shelling in El Fasher), None otherwise; a near marker before the
    reference makes it the place's surroundings (precision 2)."""
    found = _place_reference(lex).search(r.sentence.text)
    if found is None:
        return None
    recent = [
        m
        for p, m in out
        if 0 < r.sentence.index - p.sentence.index <= _INHERIT_WINDOW
        and m.place.geo_precision < _PROVINCE
    ]
    place = _inherited_place(recent) if recent else None
    if place is None:
        return None
    near = _around(r.sentence.text, found, lex)
    return replace(place, geo_precision=2) if near and place.geo_precision < 2 else place


def _scene(r: _Reading, sentences: list[Sentence], lex: Lexicon) -> tuple[Place | None, int | None]:
    """Return the one town or site the sentences just before ``r``'s name, and the index of
    the sentence naming it, when ``r``'s sentence names a place by its kind alone and no act
    told before lends one ("Israeli forces raided Jenin on Monday. The army said troops
    killed three gunmen in the camp"); (None, None) otherwise, or when the nearest sentence
    naming towns names several (which one, the text does not say)."""
    found = _place_reference(lex).search(r.sentence.text)
    if found is None:
        return None, None
    index = r.sentence.index
    for s in reversed(sentences[max(0, index - _INHERIT_WINDOW) : index]):
        hits = [
            h
            for h in gazetteer.find(s.text, lex, [])
            if not h.ambiguous and not h.entry.minor and h.place().geo_precision < _PROVINCE
        ]
        if len({h.entry.name for h in hits}) > 1:
            return None, None
        if hits:
            place = hits[0].place()
            if _around(r.sentence.text, found, lex):
                place = replace(place, geo_precision=max(2, place.geo_precision))
            return place, s.index
    return None, None


def _inherited_place(previous: list[EventMention]) -> Place | None:
    """Return the place of the latest mention of ``previous`` whose sentence names one place
    only, None when each names several: a sentence listing towns ("in Lyon, Marseille and
    Bordeaux") lends none of them to the next act told without a place."""
    places: dict[int, set[str]] = {}
    for m in previous:
        places.setdefault(m.start, set()).add(m.place.name)
    return next((m.place for m in reversed(previous) if len(places[m.start]) == 1), None)


def _finer_places(coarse: Place, places: list[Place]) -> list[Place]:
    """Return ``places`` when they all lie inside ``coarse`` (a country or a province) and are
    finer than it, else []: the towns a sentence names of an act first told at that level."""
    if coarse.geo_precision < _PROVINCE or not places:
        return []
    inside = all(
        p.country_code == coarse.country_code
        and p.geo_precision < coarse.geo_precision
        and (coarse.admin1_code is None or p.admin1_code == coarse.admin1_code)
        for p in places
    )
    return list(places) if inside else []


def _retold(anchor: EventMention, r: _Reading, source: str) -> EventMention:
    """Return ``anchor`` as told again by ``r``'s sentence: its type, place and date, the
    sentence's own words, actors (else the anchor's), counts, casualties and date words."""
    return replace(
        anchor,
        sentence=source[r.sentence.start : r.sentence.end],
        start=r.sentence.start,
        end=r.sentence.end,
        actors=r.actors or anchor.actors,
        counts=dict(r.counts),
        fatalities=r.casualties.get("fatalities"),
        injured=r.casualties.get("injured"),
        intercepted=r.intercepted,
        confidence=round(max(0.05, anchor.confidence - 0.2), 2),  # 0–1, however often retold
        date_text=r.date.text if r.date else None,
    )


def _same_side(earlier: tuple[Actor, ...], later: tuple[Actor, ...]) -> bool:
    """Return False when both acts name their actor and no actor is shared: "Hezbollah fired
    rockets at Kiryat Shmona. Israeli artillery shelled Khiam." are two acts, and the second
    must not take the first one's place."""
    a = {x.name for x in earlier if x.role == "actor"}
    b = {x.name for x in later if x.role == "actor"}
    return not a or not b or bool(a & b)


def _same_act(earlier: _Reading, later: _Reading) -> bool:
    """Return True when ``later`` may go on telling ``earlier``'s act: the same sub-type, or
    both a crowd's ("thousands marched in Rabat. Police dispersed them with tear gas")."""
    a, b = earlier.cue.sub_event_type, later.cue.sub_event_type
    if a == b:
        return True
    table = rules.type_table()
    return (
        a is not None
        and b is not None
        and table[a]["event_type"] in _CROWD_EVENTS
        and table[b]["event_type"] in _CROWD_EVENTS
    )


def _one_crowd_type(mentions: list[EventMention]) -> list[EventMention]:
    """Return ``mentions`` with the crowd events of one place and day coded alike, by the most
    specific sub-type any of their sentences gives: a march the police dispersed is one
    protest with intervention (ACLED), not a peaceful protest beside an intervention."""
    table = rules.type_table()
    best: dict[tuple[str, str], EventMention] = {}
    for m in mentions:
        if m.event_type not in _CROWD_EVENTS:
            continue
        key = (m.place.name, m.event_date)
        held = best.get(key)
        if (
            held is None
            or table[m.sub_event_type]["priority"] < table[held.sub_event_type]["priority"]
        ):
            best[key] = m
    out = []
    for m in mentions:
        chosen = best.get((m.place.name, m.event_date)) if m.event_type in _CROWD_EVENTS else None
        if chosen is not None and chosen.sub_event_type != m.sub_event_type:
            out.append(
                replace(
                    m,
                    event_type=chosen.event_type,
                    sub_event_type=chosen.sub_event_type,
                    plover_mode=chosen.plover_mode,
                )
            )
        else:
            out.append(m)
    return out


def _organised(
    out: list[tuple[_Reading, EventMention]], lex: Lexicon
) -> list[tuple[_Reading, EventMention]]:
    """Return ``out`` without the acts that are political only between organised parties
    (``types.json`` "needs_party": kidnappings, arrests, deals...) when nothing says they were:
    no actor or generic party ("rebels", "police") in their sentence, and no other kind of
    event in the article. A man who kidnapped a child, a football club's deal, a rape
    allegation against one person are not ACLED events."""
    needs = rules.needs_party()
    if any(m.sub_event_type not in needs for _, m in out):
        return out  # the article reports other political violence: its context stands
    return [(r, m) for r, m in out if m.actors or lex.parties.search(r.sentence.text)]


#: An acronym in brackets right after a name: "(CGRI)", "(ELN)".
_ACRONYM = re.compile(r"\s*\([^()\s]{2,12}\)")


def _names_shortened(text: str, hits: list[actors.ActorHit]) -> str:
    """Return ``text`` with each actor name of three words or more cut to its first word and
    the acronym in brackets after it dropped: for reading counts only, where the words between
    a figure and its verb are counted."""
    out, last = [], 0
    for h in sorted(hits, key=lambda h: h.start):
        if h.start < last or len(text[h.start : h.end].split()) < 3:
            continue
        out.append(text[last : h.start] + text[h.start : h.end].split(maxsplit=1)[0])
        acronym = _ACRONYM.match(text, h.end)
        last = acronym.end() if acronym else h.end
    return "".join(out) + text[last:] if out else text


#: A toll this high over a whole year is a count of many acts.
_TALLY_DEATHS = 100


def _tally(m: EventMention) -> bool:
    """Return True when ``m`` is a tally, not an act: dated only by its year and
    placed only in a country, or with a yearly toll of a hundred dead or more ("El año pasado,
    la violencia armada dejó más de 190 líderes sociales asesinados en el país", "وفي العام
    الماضي وقع اكثر من 140 هجوما انتحاريا في افغانستان"). ACLED codes no act without its
    month. Dated by a month, a toll of a hundred dead or more is a tally too ("Ethnic violence
    has killed more than 250 people in Manipur since May 2023")."""
    if m.date_precision == "month":
        return (m.fatalities or 0) >= _TALLY_DEATHS
    if m.date_precision != "year":
        return False
    country_only = m.place.geo_precision == _PROVINCE and m.place.admin1_code is None
    return country_only or (m.fatalities or 0) >= _TALLY_DEATHS


def _person_targeted(r: _Reading) -> bool:
    """Return True when ``r``'s act targets a named person."""
    return any(a.type == "person" and a.role == "target" for a in r.actors)


def _untyped(
    r: _Reading,
    out: list[tuple[_Reading, EventMention]],
    fallback: Place | None,
    version: str,
    source: str,
) -> EventMention | None:
    """Return the mention of an attack on a named person or with a death toll, dated by its own
    words or by another sentence about the same person; None when neither dates it (a passing
    reference: "the attack that killed 20 people in 2005" is dated, "such attacks" is not)."""
    date, inherited = r.date, False
    persons = {a.name for a in r.actors if a.type == "person" and a.role == "target"}
    if date is None:
        for _, m in out:
            if m.date_text and persons & {a.name for a in m.actors if a.type == "person"}:
                date = DateRef(dt.date.fromisoformat(m.event_date), m.date_precision, m.date_text)
                break
    if date is None and r.places and r.casualties:
        # A roundup's next item ("كما قتل ثلاثة جنود … في هجوم … في محافظة أبين"): its own
        # place and toll make it news, told on the day of the act just before it.
        date = next(
            (
                DateRef(dt.date.fromisoformat(m.event_date), m.date_precision, m.date_text)
                for p, m in reversed(out)
                if 0 < r.sentence.index - p.sentence.index <= _INHERIT_WINDOW and m.date_text
            ),
            None,
        )
        inherited = date is not None
    place = r.places[0] if r.places else fallback
    date = date or r.claimed_on
    if date is None or place is None:
        return None
    return _mention(r, place, date, inherited=inherited, version=version, source=source)
