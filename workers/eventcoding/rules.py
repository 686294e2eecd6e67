"""Which act a sentence reports: type cues, and whether the act really happened.

A sentence's cue is its most specific typed cue (``types.json`` priority) that is not negated,
hypothetical, future or habitual in its own clause. A sentence with only a generic attack word
("attaque", "attacked") yields a generic cue: it may describe an act typed by a neighbouring
sentence. Weak cues ("explosion") need a named party or a count in the sentence to count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Any

from . import actors, numbers
from .actors import claim_words
from .lexicon import Lexicon, compile_any, either, literal_keys, may_match, shared
from .sentences import clauses, comma_scope

#: How far before a cue a negation is looked for (about twenty words).
_NEGATION_REACH = 150
#: How far after a cue its object is looked for ("attacked [two military] bases").
_AFTER_WINDOW = 80


@dataclass(frozen=True, slots=True)
class Cue:
    """The act cue of a sentence; ``sub_event_type`` None means a generic attack word."""

    sub_event_type: str | None
    strong: bool
    mode: str | None
    start: int
    end: int


@cache
def type_table() -> dict[str, dict[str, Any]]:
    """Return sub-event type -> {event_type, plover, mode, priority} from ``types.json``."""
    table: dict[str, dict[str, Any]] = shared("types")["types"]
    return table


@cache
def needs_party() -> frozenset[str]:
    """Return the sub-types that need an organised party to be events (``types.json``)."""
    return frozenset(shared("types")["needs_party"]["sub_event_types"])


def by_weapon(counts: dict[str, int]) -> str | None:
    """Return the sub-type the counted weapons make of a bare attack word (``types.json``
    "weapon_counts": two drones, an air/drone strike), None when none is counted."""
    table: dict[str, str] = shared("types")["weapon_counts"]
    return next((table[k] for k in counts if k != "about" and k in table), None)


def untyped(armed_target: bool) -> dict[str, Any]:
    """Return ACLED's default coding for an attack whose weapon the text does not give."""
    defaults: dict[str, Any] = shared("types")["untyped_assault"]
    return dict(defaults["armed_target" if armed_target else "civilian_target"])


@cache
def _unreal(lex: Lexicon) -> tuple[tuple[re.Pattern[str], tuple[str, ...] | None], ...]:
    """Return the hypothetical, future, habitual and accidental patterns, each with the
    literals one of which its every match contains (a clause without any skips that pattern)."""
    accidental = lex.raw.get("accidental", {}).get("patterns", [])
    return (
        *(
            (pattern, literal_keys(lex.raw[name]))
            for name, pattern in (
                ("hypothetical", lex.hypothetical),
                ("future", lex.future),
                ("habitual", lex.habitual),
            )
        ),
        (lex.accidental, literal_keys(accidental)),
    )


@lru_cache(maxsize=256)
def _unreal_clause(clause: str, lex: Lexicon, dated: bool) -> bool:
    """Return True when ``clause`` is hypothetical, future, habitual or accidental (or a series
    of attacks in an undated sentence). Cached: every cue of a clause asks the same question,
    and a long clause with many cues would otherwise be searched once per cue."""
    if not dated and lex.series.search(clause):
        return True
    lowered = clause.lower()
    return any(
        may_match(keys, lowered) and pattern.search(clause) is not None
        for pattern, keys in _unreal(lex)
    )


@lru_cache(maxsize=64)
def _unreal_sentence(sentence: str, lex: Lexicon) -> bool:
    """Return False when no hypothetical, future, habitual or accidental literal occurs in
    ``sentence``: then none of its clauses need the search (one test per sentence)."""
    lowered = sentence.lower()
    return any(may_match(keys, lowered) for _, keys in _unreal(lex))


@cache
def _figurative(lex: Lexicon) -> tuple[re.Pattern[str], tuple[str, ...] | None]:
    """Return the pattern of the pack's figures of speech and the literals its matches hold."""
    patterns = lex.raw.get("figurative", {}).get("patterns", [])
    return compile_any(patterns or ["(?!)"]), literal_keys(patterns)


@lru_cache(maxsize=64)
def _has_figure(sentence: str, lex: Lexicon) -> bool:
    """Return True when ``sentence`` may hold a figure of speech (most hold none: one test
    per sentence spares the search before every cue)."""
    pattern, keys = _figurative(lex)
    return may_match(keys, sentence.lower()) and pattern.search(sentence) is not None


def _negated(sentence: str, left: int, start: int, end: int, lex: Lexicon) -> bool:
    """Return True when a negation begins between ``left`` and the cue at ``start:end`` (it
    may run into the cue: "No rockets were fired"); a negated claim is not a negated act ("no
    group claimed responsibility for the attack", "لم تعلن أي جهة مسؤوليتها عن الهجوم"), nor
    is a denial of any part in it ("denied any involvement in the strike").

    A figure of speech reads the same way ("بمثابة الرهينة", "tantamount to", "comme si"):
    what follows it is no report.
    """
    found = lex.negation.search(sentence, left, end)
    if found is not None and found.start() < start:
        claimed = claim_words(lex).search(sentence, found.end(), start) is not None
        # "denied any involvement in the strike" disowns the act, it does not deny it.
        return not claimed and not actors.disowned(sentence, found.start(), start, lex)
    if _has_figure(sentence, lex):
        figure = _figurative(lex)[0].search(sentence, left, end)
        return figure is not None and figure.start() < start
    return False


def happened(sentence: str, start: int, end: int, lex: Lexicon, *, dated: bool = False) -> bool:
    """Return False when the cue at ``start:end`` is negated, hypothetical, future or habitual.

    A negation counts only before the cue, in its comma-delimited phrase and its clause: a
    negator governs what follows it ("لم يقع انفجار", "no rockets were fired"), while one
    after the act says what it did not cause ("exploded without causing casualties", "n'a
    pas fait de victimes") or belongs to another clause ("they blocked the road while the
    militants denied any role"). The other markers scope over the cue's whole clause; a
    "series of attacks" only when the sentence gives no day (``dated``).
    """
    # A negator governs the words near it: at most _NEGATION_REACH characters back (a comma
    # scope can be a whole run-on sentence).
    left = max(comma_scope(sentence, start, end)[0], start - _NEGATION_REACH)
    for c_start, c_end in clauses(sentence, lex):
        if c_start <= start < c_end:
            if _negated(sentence, max(left, c_start), start, end, lex):
                return False
            # A relative clause after the act speaks of whom it names, not of the act: "mortars
            # exploded near the residence of the premier, who is due to meet the envoy later".
            relative = _relative(lex)
            after = relative.search(sentence, end, c_end) if relative is not None else None
            scope_end = c_end if after is None else after.start()
            if dated and not _unreal_sentence(sentence, lex):
                return True
            return not _unreal_clause(sentence[c_start:scope_end], lex, dated)
    return not _negated(sentence, left, start, end, lex)


def _typed_cues(sentence: str, lex: Lexicon) -> list[Cue]:
    lowered = sentence.lower()
    active = lex.trigger_index.active(lowered)
    found = [
        Cue(t.sub_event_type, t.strong, t.mode, m.start(), m.end())
        for t in (lex.triggers[i] for i in sorted(active))
        for m in t.pattern.finditer(sentence)
    ]
    # A cue inside a longer one of another type is part of it ("drones kamikazes").
    return [
        c
        for c in found
        if not any(
            o is not c
            and o.start <= c.start
            and c.end <= o.end
            and (o.end - o.start) > (c.end - c.start)
            for o in found
        )
    ]


def refine(cue: Cue, text: str, lex: Lexicon) -> Cue:
    """Return ``cue`` with the finer sub-type its context in ``text`` calls for (data file's
    ``refinements``, first match wins; a refined type may be refined again)."""
    lowered = text.lower()
    for _ in range(3):
        for rule in lex.refinements:
            if rule.source != cue.sub_event_type or not may_match(rule.keys, lowered):
                continue
            start, end = 0, len(text)
            if rule.scope == "before":
                end = cue.start
            elif rule.scope == "after":
                start, end = cue.end, min(len(text), cue.end + _AFTER_WINDOW)
            found = rule.pattern.search(text, start, end)
            if rule.scope == "after":
                # "shot dead by Israeli soldiers": forces named as the agent are the attack's
                # author, not its target; only a target after the cue refines it.
                agent = _agent_before(lex)
                # From the cue's start: the cue may be the agent's marker itself ("برصاص
                # قوات الأمن", by the bullets of the security forces).
                while found is not None and (
                    agent.search(text, cue.start, found.start())
                    or _agent_prefixed(text, start, found, lex)
                ):
                    found = rule.pattern.search(text, found.end(), end)
            if found is not None and happened(text, found.start(), found.end(), lex):
                mode = type_table()[rule.target]["mode"]
                cue = replace(cue, sub_event_type=rule.target, mode=mode)
                break
        else:
            return cue
    return cue


def _agent_prefixed(text: str, start: int, found: re.Match[str], lex: Lexicon) -> bool:
    """Return True when ``found`` follows the cue ending at ``start`` directly and carries
    the language's agent prefix (``roles.agent_prefixes``): "هجوم لقوات الدعم السريع" is an
    attack by the RSF, not on it."""
    prefixes = tuple(lex.raw["roles"].get("agent_prefixes", []))
    if not prefixes or not found.group().startswith(prefixes):
        return False
    # Right after the cue, or after an act noun ("قتل 20 مدنيا في هجوم لقوات …").
    between = text[start : found.start()]
    return not between.strip() or actors.agent_noun_before(lex).search(between) is not None


@cache
def _clash_objects(lex: Lexicon) -> tuple[re.Pattern[str], ...]:
    """Return the patterns of the pack's Attack to Armed clash refinement (armed objects)."""
    return tuple(
        rule.pattern
        for rule in lex.refinements
        if (rule.source, rule.target, rule.scope) == ("Attack", "Armed clash", "after")
    )


def armed_object(sentence: str, cue: Cue, lex: Lexicon, agents: list[tuple[int, int]]) -> bool:
    """Return True when a bare attack word's object is armed forces, as the pack's Attack to
    Armed clash refinement words them, in or after the cue ("attacked a military checkpoint",
    "struck militant positions") or,
    for a passive cue, before it ("Onze soldats ont été tués lors d'une attaque"). Words
    inside ``agents`` (the spans of the act's actors: "une incursion de l'armée israélienne")
    or after an agent marker ("par des soldats") or a blame ("attribuée aux combattants du") name
    who attacked, not whom."""
    # From the cue's start: a bare attack word may hold its object ("struck terrorist
    # positions", "a frappé des positions terroristes").
    windows = [(cue.start, min(len(sentence), cue.end + _AFTER_WINDOW))]
    if actors.passive(lex).search(sentence, cue.start, cue.end):
        windows.append((max(0, cue.start - _AFTER_WINDOW), cue.start))
    agent = _agent_before(lex)
    # "une attaque attribuée aux jihadistes du JNIM": whom the act is laid on attacked.
    blamed = actors.blamed_before(lex)
    for pattern in _clash_objects(lex):
        for a, b in windows:
            for m in pattern.finditer(sentence, a, b):
                if any(s < m.end() and m.start() < e for s, e in agents):
                    continue
                if (
                    agent.search(sentence, a, m.start()) is None
                    and blamed.search(sentence, a, m.start()) is None
                ):
                    return True
    return False


@cache
def _agent_before(lex: Lexicon) -> re.Pattern[str]:
    """Return the pattern of the words that make the name after them an act's agent ("by",
    "par", "برصاص"), anchored at the end of the text searched."""
    return re.compile(rf"{either(lex.raw['roles'].get('agent_before', []))}\s*$", re.IGNORECASE)


@cache
def _grievance(lex: Lexicon) -> re.Pattern[str]:
    """Return the pattern of a grievance ("pour dénoncer les", "احتجاجا على") ending at most
    two words before a cue (``grievance_markers``), of a charge ending at most three words
    before it ("accused of carrying out a"; ``allegation_markers``), or of people named by the
    protest they led ("organizers of the", "منظمي"; ``crowd_references``) right before it."""
    markers = lex.raw.get("grievance_markers", {}).get("patterns", [])
    charges = lex.raw.get("allegation_markers", {}).get("patterns", [])
    references = lex.raw.get("crowd_references", {}).get("patterns", [])
    alternatives = []
    if markers:
        alternatives.append(rf"(?:{'|'.join(markers)})\s*(?:[\w'’-]+\s+){{0,2}}")
    if charges:
        alternatives.append(rf"(?:{'|'.join(charges)})\s+(?:[\w'’-]+\s+){{0,3}}")
    if references:
        alternatives.append(rf"(?:{'|'.join(references)})\s*")
    if not alternatives:
        return re.compile("(?!)")
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})$", re.IGNORECASE)


def _grieved(sentence: str, start: int, lex: Lexicon) -> bool:
    """Return True when the cue at ``start`` names what a crowd denounces, what someone is
    charged with, or the protest whose organizers the sentence names, not an act of the
    sentence ("rallied to denounce the US strikes", "تظاهروا احتجاجا على الغارات", "accused of
    killing civilians", "اعتقلت ستة من منظمي الاحتجاجات"). A charge governs only the act it
    names: "detained 300 people accused of having ties" is still an arrest."""
    return _grievance(lex).search(sentence, max(0, start - 60), start) is not None


@cache
def _generic_keys(lex: Lexicon) -> tuple[str, ...] | None:
    """Return the literals one of which every generic attack word holds."""
    return literal_keys(lex.raw["generic_attack"])


@cache
def _year_qualifiers(lex: Lexicon) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """Return the patterns of a bare year that qualifies an act's noun, before it ("the 2016
    peace deal") and after it ("del acuerdo de paz de 2016"): ``dates.year_qualifier``."""
    spec = lex.raw["dates"].get("year_qualifier", {})
    before = re.compile(rf"(?:{spec['before']})$", re.IGNORECASE) if spec.get("before") else None
    after = re.compile(spec["after"], re.IGNORECASE) if spec.get("after") else None
    return before, after


def _year_qualified(sentence: str, start: int, end: int, lex: Lexicon) -> bool:
    """Return True when the cue at ``start:end`` is an act named by its year ("the 2016 peace
    deal", "l'accord de paix de 2015", "los atentados de 2004"): a past act recalled, no
    report."""
    before, after = _year_qualifiers(lex)
    return bool(
        (before is not None and before.search(sentence, max(0, start - 20), start))
        or (after is not None and after.match(sentence, end))
    )


def candidate_cues(sentence: str, lex: Lexicon, *, dated: bool = False) -> list[Cue]:
    """Return the cues of ``sentence`` whose act happened: typed ones, else one generic cue
    (``dated``: the sentence gives the day, so a "series of strikes" is an act); an act a
    crowd denounces is its grievance, not a cue."""
    typed = [
        refine(c, sentence, lex)
        for c in _typed_cues(sentence, lex)
        if happened(sentence, c.start, c.end, lex, dated=dated)
        and not _grieved(sentence, c.start, lex)
        and not _year_qualified(sentence, c.start, c.end, lex)
    ]
    if typed or not may_match(_generic_keys(lex), sentence.lower()):
        return typed
    for m in lex.generic_attack.finditer(sentence):
        if happened(sentence, m.start(), m.end(), lex, dated=dated) and not _grieved(
            sentence, m.start(), lex
        ):
            return [Cue(None, False, None, m.start(), m.end())]
    return []


def has_party(cue: Cue, parties: list[tuple[int, int]], *, counted: bool) -> bool:
    """Return True when ``cue`` may stand: it is strong, or the sentence gives a count or a
    casualty figure (``counted``), or names a party outside the cue's own words.

    The cue's own words do not count as its party: "the protesters" names the people of a
    protest already reported, not a new one, unless something else in the sentence does.
    """
    return cue.strong or counted or any(e <= cue.start or cue.end <= s for s, e in parties)


def choose(cues: list[Cue], *, parties: list[tuple[int, int]], counted: bool) -> Cue | None:
    """Return the sentence's act cue among ``cues`` (None when it reports no act).

    ``parties`` are the spans of the actors and targets the sentence names and ``counted``
    says whether it gives a weapon count or a casualty figure; weak cues need one of them
    (:func:`has_party`). The most specific type wins (``types.json`` priority), strong
    before weak.
    """
    table = type_table()
    typed = [
        c for c in cues if c.sub_event_type is not None and has_party(c, parties, counted=counted)
    ]
    if typed:
        return min(
            typed,
            key=lambda c: (not c.strong, table[str(c.sub_event_type)]["priority"], c.start),
        )
    generic = [c for c in cues if c.sub_event_type is None]
    return generic[0] if generic else None


@cache
def _relative(lex: Lexicon) -> re.Pattern[str] | None:
    words = lex.raw.get("relative_markers", [])
    if not words:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(words)})(?!\w)", re.IGNORECASE)


#: How many words a relative clause may run before the act it tells.
_RELATIVE_REACH = 6


def in_relative_clause(sentence: str, start: int, lex: Lexicon) -> bool:
    """Return True when the cue at ``start`` lies in a relative clause: a relative pronoun of
    the language (``relative_markers``: "who", "qui", "الذي") at most six words before it, with
    no comma or clause break between."""
    pattern = _relative(lex)
    if pattern is None:
        return False
    # Six words fit in the last 200 characters; reading back further would cost every cue of
    # a long sentence the whole sentence.
    words = sentence[max(0, start - 200) : start].split()
    if start > 200:
        words = words[1:]  # the first may be cut
    window = " ".join(words[-_RELATIVE_REACH:])
    matches = list(pattern.finditer(window))
    if not matches:
        return False
    between = window[matches[-1].end() :]
    return not any(mark in between for mark in (",", "،", ";", "؛", ":")) and not (
        lex.clause_break.search(between)
    )


@cache
def _intercepted_keys(lex: Lexicon) -> tuple[str, ...] | None:
    return literal_keys(lex.raw["intercepted"])


def intercepted(sentence: str, lex: Lexicon) -> bool:
    """Return True when the sentence says the weapons were intercepted or shot down."""
    if not may_match(_intercepted_keys(lex), sentence.lower()):
        return False
    return lex.intercepted.search(sentence) is not None


def classify(sentences: list[str], lex: Lexicon) -> str | None:
    """Return the ACLED sub-event type a passage reports (None when it reports no act).

    Type only: no place or date is needed. The most specific strong cue of any sentence wins
    (weak cues when there is no strong one); refinements then read the whole passage, since
    "police fired tear gas" often follows the sentence about the protest. A passage with only
    a generic attack word is ACLED's default for an unknown weapon on civilians.
    """
    table = type_table()
    best: tuple[tuple[bool, int, int], Cue, int] | None = None
    generic = False
    for index, sentence in enumerate(sentences):
        cues = candidate_cues(sentence, lex)
        # Weak cues ("an explosion", a bare noun naming an act) need a named armed party, a
        # weapon count or a casualty figure: without them they are mostly references.
        hits: list[tuple[int, int]] | None = None
        counted = False
        if any(not c.strong for c in cues):
            hits = [
                (h.start, h.end)
                for h in actors.find(sentence, lex)
                if h.name != actors.UNNAMED_FORCES  # whose, the article says (article.py)
            ]
            counted = bool(
                numbers.weapon_counts(sentence, lex) or numbers.casualties(sentence, lex)
            )
        for cue in cues:
            if cue.sub_event_type is None:
                generic = True
                continue
            if not has_party(cue, hits or [], counted=counted):
                continue
            key = (not cue.strong, int(table[cue.sub_event_type]["priority"]), index)
            if best is None or key < best[0]:
                best = (key, cue, index)
    if best is None:
        return _generic(sentences, lex) if generic else None
    _, cue, index = best
    # Context from the other sentences: shift the cue to the passage's coordinates.
    offset = sum(len(s) + 1 for s in sentences[:index])
    passage = " ".join(sentences)
    moved = replace(cue, start=cue.start + offset, end=cue.end + offset)
    return refine(moved, passage, lex).sub_event_type


def _generic(sentences: list[str], lex: Lexicon) -> str | None:
    """Return the sub-type of a passage whose only cue is a generic attack word: "Attack" on
    civilians, refined (e.g. to an armed clash when armed forces are its object)."""
    for sentence in sentences:
        for m in lex.generic_attack.finditer(sentence):
            if happened(sentence, m.start(), m.end(), lex):
                cue = Cue("Attack", False, type_table()["Attack"]["mode"], m.start(), m.end())
                return refine(cue, sentence, lex).sub_event_type
    return None
