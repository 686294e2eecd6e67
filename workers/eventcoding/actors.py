"""Actors: canonical names from ``data/actors.json`` and the role each plays in a sentence.

Roles come first from language-specific markers: "revendiqué par X" / "claimed by X" make the
actor; "contre X", "cible", or an alias that can only be hit (a convoy, a base, an embassy)
the target. What the markers leave open is read from the dependency parse where the language
has a parser installed (``syntax``), else from word order: the subject of an active attack
verb is the actor, a later name or the subject of a passive verb the target. An attacker the
text does not name stays unknown: nothing here guesses one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from schemas.events import Actor, Role

from . import numbers, states, syntax
from .lexicon import KeyIndex, Lexicon, compile_any, either, expand, literal_keys, may_match

_LOOKBACK = 80

#: The name an unqualified force ("the army", "les soldats", "الجيش") carries until the
#: article says whose it is: the state forces it named last (``article`` resolves it, or drops
#: it where none were named).
UNNAMED_FORCES = "(unnamed state forces)"


@dataclass(frozen=True, slots=True)
class ActorHit:
    """A canonical actor named in a sentence."""

    name: str
    type: str | None
    start: int
    end: int
    target_only: bool
    #: The name carries a preposition written onto it ("بقوات", "للجيش"): no subject.
    governed: bool = False
    #: Named by an adjective coordinated with the hit before it ("طائرات أمريكية
    #: وبريطانية"): that hit's side in the act.
    coordinated: bool = False


@dataclass(frozen=True, slots=True, eq=False)
class _Compiled:
    entries: tuple[tuple[str, str | None, re.Pattern[str], bool, tuple[str, ...] | None], ...]
    #: Per actor with ``short_aliases``: the short names' pattern and its literals ("RSF"),
    #: and the patterns of its full aliases, which make the short names its in an article.
    shorts: tuple[
        tuple[
            str, str | None, re.Pattern[str], tuple[str, ...] | None, tuple[re.Pattern[str], ...]
        ],
        ...,
    ]
    #: A state named as the doer ("Russia launched"): one pattern for every state, its
    #: literals (the verbs), and the military each name (lower-cased) stands for.
    subject: re.Pattern[str] | None
    subject_keys: tuple[str, ...] | None
    subject_forces: dict[str, str]
    #: Which entries may match a sentence, by their aliases' literals.
    index: KeyIndex
    actor_before: re.Pattern[str]
    #: An act noun right after the name: its author ("an Israeli raid", "Houthi attacks").
    actor_after: re.Pattern[str]
    #: Act nouns in an alias ("Israeli raids", "frappes américaines", "غارة إسرائيلية").
    act_nouns: re.Pattern[str]
    #: Weapon nouns in an alias ("US drones", "طائرة مسيرة أمريكية"): whose weapon it is.
    weapon_nouns: re.Pattern[str]
    #: An active verb right after a name inside the cue: its subject ("hélicoptères de la
    #: marine américaine ont coulé").
    subject_verb: re.Pattern[str]
    target_before: re.Pattern[str]
    source_before: re.Pattern[str]
    source_after: re.Pattern[str]
    #: A group's supporters named by it ("Hezbollah supporters", "partisans du Hamas"): a
    #: crowd, not the group, does what the sentence tells.
    #: An act noun right before a name written with a preposition ("هجوم ل…"): its author.
    agent_noun_before: re.Pattern[str]
    followers_before: re.Pattern[str]
    followers_after: re.Pattern[str]
    blamed_before: re.Pattern[str]
    #: The accusation words anywhere (``blamed_before`` without its anchor).
    accusing: re.Pattern[str]
    passive: re.Pattern[str]
    #: Words from a name to the act that make the name no party to it (``roles.no_party``):
    #: a rescue of its victims ("Police rescued a girl who was kidnapped"), a denial of any
    #: part in it ("Kataib Hezbollah denied any involvement in the strike").
    no_party: re.Pattern[str] | None
    #: A cue that repels an attack ("repelled an attack", "ont repoussé une attaque", "صدت
    #: هجوما"): its subject defends, the target (``roles.repel``).
    repel: re.Pattern[str] | None
    #: An interception told between a name and an attack ("US forces intercepted two drones
    #: launched toward their base"): the name is the attack's target (``roles.intercept``);
    #: within the cue ("shot down two drones") it is the doer of the interception itself.
    intercept: re.Pattern[str] | None
    #: What makes a name before the act its reporter ("Hamas said", "Le Hamas a affirmé
    #: que", "قالت حماس إن"): the words after it (``roles.speaker_after``) and, where the
    #: verb of saying comes first, before it (``roles.speaker_before``).
    speaker_after: re.Pattern[str] | None
    speaker_before: re.Pattern[str] | None
    #: An unnamed doer opening what a reporter says ("said gunmen attacked", "a annoncé que
    #: deux drones avaient attaqué"): the reporter tells another's act (``roles.other_doer``).
    other_doer: re.Pattern[str] | None
    #: A group's noun carrying "li-" right before a name ("لتنظيم داعش"): the name is
    #: governed by it (``roles.governed_group``).
    governed_group: re.Pattern[str] | None
    #: A second nationality adjective coordinated with a force's ("طائرات أمريكية
    #: وبريطانية", "soldats français et britanniques"): group 1, the adjective.
    coordinated: re.Pattern[str] | None


def _optional(roles: dict[str, Any], key: str, after: str = "") -> re.Pattern[str] | None:
    """Return the case-insensitive pattern of any of the pack's ``roles[key]`` followed by
    ``after``, or None where the pack has none."""
    found = roles.get(key)
    return re.compile(either(found) + after, re.IGNORECASE) if found else None


@cache
def _compiled(lex: Lexicon) -> _Compiled:
    entries: list[tuple[str, str | None, re.Pattern[str], bool, tuple[str, ...] | None]] = []
    for actor in states.catalogue():
        for key, target_only in (("aliases", False), ("target_aliases", True)):
            aliases = expand(actor.get(key, {}).get(lex.language, []))
            if aliases:
                pattern = compile_any(aliases, bounded=True)
                # A generated actor's keys are its adjectives: the nouns of its aliases
                # ("forces", "armée") are every state's and would wake every entry.
                given = actor.get("keys", {}).get(lex.language) if key == "aliases" else None
                keys = tuple(given) if given else literal_keys(aliases)
                entries.append((actor["name"], actor.get("type"), pattern, target_only, keys))
    bare = expand(lex.raw.get("state_forces", {}).get("bare", []))
    if bare:
        pattern = compile_any(bare, bounded=True)
        entries.append((UNNAMED_FORCES, "state_forces", pattern, False, literal_keys(bare)))
    shorts = []
    for actor in states.catalogue():
        short = expand(actor.get("short_aliases", {}).get(lex.language, []))
        if short:
            shorts.append(
                (
                    actor["name"],
                    actor.get("type"),
                    compile_any(short, bounded=True),
                    literal_keys(short),
                    tuple(e[2] for e in entries if e[0] == actor["name"]),
                )
            )
    subject, subject_keys, subject_forces = _subjects(lex)
    roles = lex.raw["roles"]
    blamed = either(roles.get("blamed_before", []))
    return _Compiled(
        entries=tuple(entries),
        shorts=tuple(shorts),
        subject=subject,
        subject_keys=subject_keys,
        subject_forces=subject_forces,
        index=KeyIndex.build([e[4] for e in entries]),
        actor_before=re.compile(rf"{either(roles['actor_before'])}\s*$", re.IGNORECASE),
        actor_after=re.compile(either(roles.get("actor_after", [])), re.IGNORECASE),
        act_nouns=re.compile(either(roles.get("act_nouns", [])), re.IGNORECASE),
        weapon_nouns=re.compile(either(roles.get("weapon_nouns", [])), re.IGNORECASE),
        subject_verb=re.compile(either(roles.get("subject_verb", [])), re.IGNORECASE),
        target_before=re.compile(rf"{either(roles['target_before'])}\s*$", re.IGNORECASE),
        source_before=re.compile(rf"{either(roles.get('source_before', []))}\s*$", re.IGNORECASE),
        source_after=re.compile(rf"\s*{either(roles.get('source_after', []))}", re.IGNORECASE),
        agent_noun_before=re.compile(
            rf"{either(roles.get('agent_noun_before', []))}\s*$", re.IGNORECASE
        ),
        followers_before=re.compile(
            rf"{either(roles.get('followers_before', []))}\s*$", re.IGNORECASE
        ),
        followers_after=re.compile(
            rf"\s*{either(roles.get('followers_after', []))}(?!\w)", re.IGNORECASE
        ),
        blamed_before=re.compile(rf"{blamed}\s*$", re.IGNORECASE),
        accusing=re.compile(rf"(?<!\w){blamed}", re.IGNORECASE),
        passive=compile_any(roles["passive"]),
        no_party=_optional(roles, "no_party"),
        repel=_optional(roles, "repel"),
        intercept=_optional(roles, "intercept"),
        governed_group=(
            re.compile(rf"(?:^|\s)(?:{roles['governed_group']})\s+$")
            if roles.get("governed_group")
            else None
        ),
        speaker_after=(
            re.compile(roles["speaker_after"], re.IGNORECASE)
            if roles.get("speaker_after")
            else None
        ),
        speaker_before=(
            re.compile(rf"(?:{roles['speaker_before']})$", re.IGNORECASE)
            if roles.get("speaker_before")
            else None
        ),
        other_doer=_optional(roles, "other_doer", r"(?![\w-])"),
        # Case-sensitive: in French and Spanish a nationality adjective is lower-case, a
        # name after "et" ("l'armée malienne et Wagner") is no adjective.
        coordinated=re.compile(roles["coordinated"]) if roles.get("coordinated") else None,
    )


#: A letter of the Arabic script.
_ARABIC = re.compile("[\u0600-\u06ff]")
#: A group's opening and the spaces after it (the literal reader wants a word there).
_GROUP_SPACE = re.compile(r"\(\?:\s+")
#: A negative lookaround with at most one level of groups inside.
_NEGATIVE = re.compile(r"\(\?<?!(?:[^()]|\([^()]*\))*\)")


def _subjects(
    lex: Lexicon,
) -> tuple[re.Pattern[str] | None, tuple[str, ...] | None, dict[str, str]]:
    """Return the pattern of a state named as the doer of an act (the pack's
    ``state_forces.subject`` templates, {name} standing for every state's names in the pack's
    script), the literals one of which each match holds (its verbs: one regex runs only on
    the sentences that have one, where a pattern per state keyed on names such as "US" ran on
    most), and the military each name stands for, by its lower-cased form."""
    from . import gazetteer  # noqa: PLC0415 (a cycle otherwise: the gazetteer reads states)

    templates = lex.raw.get("state_forces", {}).get("subject", [])
    forces: dict[str, str] = {}
    for country, military in states.militaries().items():
        for name in gazetteer.country_names().get(country, ()):
            if bool(_ARABIC.search(name)) == (lex.language == "ar"):
                forces.setdefault(name.lower(), military)
    if not templates or not forces:
        return None, None, {}
    names = "|".join(re.escape(n) for n in sorted(forces, key=len, reverse=True))
    # A state's name is capitalised where the script has case: the two hundred names are
    # tried only at a capital letter, not at every position of the sentence.
    capital = "" if lex.language == "ar" else "(?-i:(?=[A-ZÀ-ÖØ-Þ]))"
    filled = [t.replace("{name}", f"{capital}(?P<subject>{names})", 1) for t in templates]
    # The verbs stand in lookarounds, which the literal reader skips: read them as groups
    # (a negative one, "(?! by)", holds no literal every match has, and goes).
    verbs = [
        _GROUP_SPACE.sub(
            "(?:",
            _NEGATIVE.sub("", t.replace("{name}", ""))
            .replace("(?=", "(?:")
            .replace("(?<=", "(?:")
            .replace("\\b", ""),
        )
        for t in templates
    ]
    return compile_any(filled, bounded=True), literal_keys(verbs), forces


def blames(sentence: str, lex: Lexicon) -> bool:
    """Return True when ``sentence`` lays the act on someone ("suspect", "accusent",
    ``roles.blamed_before``)."""
    return _compiled(lex).accusing.search(sentence) is not None


def blamed_before(lex: Lexicon) -> re.Pattern[str]:
    """Return the pattern of the words that lay an act on the name after them ("blamed on",
    "attribuée aux jihadistes du"), anchored at the end of the text searched."""
    return _compiled(lex).blamed_before


def passive(lex: Lexicon) -> re.Pattern[str]:
    """Return the pattern of the language's passive voice (``roles.passive``)."""
    return _compiled(lex).passive


@cache
def home_grounds() -> dict[str, str]:
    """Return, for the actors that fight on their own state's soil (``home_ground``), their
    country code by canonical name: where they act, their country is the place's."""
    return {
        a["name"]: a["country"]
        for a in states.catalogue()
        if a.get("home_ground") and a.get("country")
    }


def find(sentence: str, lex: Lexicon, short: frozenset[str] = frozenset()) -> list[ActorHit]:
    """Return the actors named in ``sentence``, longest names first where they overlap; the
    actors in ``short`` (:func:`named_in_full`) by their short names too ("RSF")."""
    return list(_found(sentence, lex, short))


def named_in_full(text: str, lex: Lexicon) -> frozenset[str]:
    """Return the actors with short names (``actors.json`` "short_aliases": "RSF", which is
    also Reporters Without Borders) that ``text`` names by a full alias too: in that article
    the short name is theirs."""
    compiled = _compiled(lex)
    lowered = text.lower()
    named = []
    for name, _, pattern, keys, full in compiled.shorts:
        if may_match(keys, lowered) and pattern.search(text) and any(p.search(text) for p in full):
            named.append(name)
    return frozenset(named)


@lru_cache(maxsize=16)
def _found(sentence: str, lex: Lexicon, short: frozenset[str]) -> tuple[ActorHit, ...]:
    """Return :func:`find`'s hits, kept for the sentences just read: the article pass asks
    again for those before an unqualified force ("the army") whose it is."""
    hits: list[ActorHit] = []
    compiled = _compiled(lex)
    if compiled.subject is not None and may_match(compiled.subject_keys, sentence.lower()):
        for m in compiled.subject.finditer(sentence):
            military = compiled.subject_forces.get(m.group("subject").lower())
            if military is not None:
                hits.append(
                    ActorHit(military, "state_forces", m.start("subject"), m.end("subject"), False)
                )
    for name, kind, pattern, _, _ in compiled.shorts:
        if name in short:
            hits.extend(
                ActorHit(name, kind, m.start(), m.end(), False) for m in pattern.finditer(sentence)
            )
    # "Islamic State-affiliated fighters", "al-Shabaab-linked militants": the group's own
    # (not "Iran-backed", the backer's); the hyphen read as a space, offsets kept.
    sentence = _AFFILIATE.sub(" ", sentence)
    verb_first = bool(lex.raw["roles"].get("verb_first"))
    # Only the entries one of whose literals occurs can match: the others' regexes are skipped.
    for i in sorted(compiled.index.active(sentence.lower())):
        name, kind, pattern, target_only, _ = compiled.entries[i]
        for m in pattern.finditer(sentence):
            governed = _governed(m.group(), pattern) if verb_first else False
            hits.append(ActorHit(name, kind, m.start(), m.end(), target_only, governed))
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[ActorHit] = []
    generic = _countryless_forces()
    for hit in hits:
        if any(k.start <= hit.start and hit.end <= k.end for k in kept):
            continue
        kept = [k for k in kept if not (hit.start <= k.start and k.end <= hit.end)]
        # A force of no country that overlaps a longer name is that name's: "La police
        # kényane" is Kenya's police, not also "la police" of nowhere. (Two named ones both
        # stand: "US and British warplanes" are both forces.)
        rivals = [k for k in kept if k.start < hit.end and hit.start < k.end]
        if hit.name in generic and any(k.end - k.start > hit.end - hit.start for k in rivals):
            continue
        longer = hit.end - hit.start
        kept = [
            k for k in kept if not (k in rivals and k.name in generic and k.end - k.start < longer)
        ]
        kept.append(hit)
    if compiled.coordinated is not None:
        kept.extend(_coordinated(sentence, kept, compiled.coordinated, lex))
        kept.sort(key=lambda h: (h.start, -(h.end - h.start)))
    return tuple(kept)


def _coordinated(
    sentence: str, kept: list[ActorHit], pattern: re.Pattern[str], lex: Lexicon
) -> list[ActorHit]:
    """Return the forces a second adjective names after a force's name: "القوات الأمريكية
    والبريطانية" is also "القوات البريطانية", the adjective's span standing for it."""
    out: list[ActorHit] = []
    for hit in kept:
        m = pattern.match(sentence, hit.end)
        head = sentence[hit.start : hit.end].rsplit(None, 1)
        if m is None or len(head) < 2:
            continue
        if any(k.start < m.end(1) and m.start(1) < k.end for k in (*kept, *out)):
            continue  # named on its own already ("قوات الأمن والجيش")
        probe = f"{head[0]} {m.group(1)}"
        whole = [
            h
            for h in _found(probe, lex, frozenset())
            if (h.start, h.end) == (0, len(probe)) and h.name != hit.name
        ]
        if whole:
            out.append(
                ActorHit(
                    whole[0].name, whole[0].type, m.start(1), m.end(1), False, hit.governed, True
                )
            )
    return out


@cache
def _countryless_forces() -> frozenset[str]:
    """Return the names of the catalogue's state forces that belong to no country ("Police
    forces": the police the text does not say whose)."""
    return frozenset(
        [
            UNNAMED_FORCES,
            *(
                a["name"]
                for a in states.catalogue()
                if a.get("type") == "state_forces" and not a.get("country")
            ),
        ]
    )


#: A hyphen joining a group's name to "linked", "affiliated" or "allied".
_AFFILIATE = re.compile(r"-(?=(?:linked|affiliated|allied|aligned)\b)", re.IGNORECASE)
#: An Arabic preposition written onto a name: "bi-"/"li-" after an optional "wa-"/"fa-", and
#: "li-" + "al-" contracted to "lil-".
_PREPOSITION = re.compile("[\u0648\u0641]?(?:\u0644\u0644|[\u0628\u0644])")


def _governed(text: str, pattern: re.Pattern[str]) -> bool:
    """Return True when the alias match ``text`` starts with a preposition: what is left
    without it (with the article "lil-" swallowed) is still the alias."""
    found = _PREPOSITION.match(text)
    if found is None:
        return False
    rest = text[found.end() :]
    if found.group().endswith("\u0644\u0644"):
        rest = "\u0627\u0644" + rest
    return pattern.fullmatch(rest) is not None


def _marked_role(
    sentence: str, hit: ActorHit, trigger: tuple[int, int], lex: Lexicon
) -> Role | None:
    """Return the role an explicit marker or the alias itself gives ``hit``, else None."""
    if hit.target_only:
        return "target"
    lead = sentence[trigger[0] : hit.start]
    if hit.start <= trigger[0] < hit.end or (
        trigger[0] <= hit.start < trigger[1] and len(lead) <= 3 and " " not in lead.strip()
    ):
        # The cue opens with the name (past an elided article: "l'aviation israélienne avait
        # mené des frappes"), or the name with the cue: the weapon and whose it is ("un drone
        # israélien a tué", "des avions israéliens avaient bombardé", "une frappe
        # israélienne", "غارة إسرائيلية").
        return "actor"
    c = _compiled(lex)
    before = sentence[max(0, hit.start - _LOOKBACK) : hit.start]
    # "revendiqué par X", "l'attaque de Washington": the agent is marked, whatever the order;
    # so is whom the report blames ("blaming al-Qaeda", "accuse les Kataeb Hezbollah d'avoir
    # mené"), the attributed actor, never the act's target; and the name an act noun
    # follows ("an Israeli raid", "Houthi attacks") or an alias names with its act ("Israeli
    # strikes"), that act's author.
    if (
        c.actor_before.search(before)
        or c.blamed_before.search(before)
        or c.actor_after.match(sentence, hit.end)
        or (
            trigger[0] <= hit.start
            and hit.end < trigger[1]
            and c.subject_verb.match(sentence, hit.end)
        )
        or c.act_nouns.search(sentence, hit.start, hit.end)
        or _claims_after(sentence, hit.end, lex)
    ):
        return "actor"
    # "هجوم انتحاري لتنظيم داعش": the preposition may sit on the group's noun before the name.
    group = c.governed_group.search(before) if c.governed_group is not None else None
    if (hit.governed or group) and c.agent_noun_before.search(
        before[: group.start()] if group else before
    ):
        # "هجوم لقوات الدعم السريع", "غارة للطيران الإسرائيلي": "li-" after an act noun
        # names its author (an attack of the RSF), not whom it hit.
        return "actor"
    if c.target_before.search(before) or hit.type == "person":
        return "target"
    if c.weapon_nouns.search(sentence, hit.start, hit.end):
        # "إثر غارة بطائرة مسيرة أمريكية": the aircraft, drone or gun is its owner's, who
        # used it, unless a marker made it the target (a drone shot down, a tank hit).
        return "actor"
    return None


@cache
def claim_words(lex: Lexicon) -> re.Pattern[str]:
    """Return the pattern of the words of a claim of responsibility (``claim_words``)."""
    return compile_any(lex.raw.get("claim_words", []) or ["(?!)"], bounded=True)


@cache
def claim_objects(lex: Lexicon) -> re.Pattern[str]:
    """Return the pattern of what a claim names right after its word, anchored at the start
    ("the attack", "for this bombing", "de l'attaque"): ``claim_objects``."""
    return re.compile(rf"\s*{either(lex.raw.get('claim_objects', []))}(?!\w)", re.IGNORECASE)


#: Words between a name and its claim: an auxiliary, an adverb ("a", "has", "later").
_CLAIM_GAP = 2


def _claims_after(sentence: str, end: int, lex: Lexicon) -> bool:
    """Return True when the name ending at ``end`` claims an act right after it ("JNIM
    claimed the attack", "… and JNIM claimed responsibility", "le JNIM a revendiqué
    l'attaque"): its author, where "claimed" alone would be a word of saying."""
    # One search per name (this runs for every party of every act): the first claim word
    # near, then the words before it and what it names.
    claim = claim_words(lex).search(sentence, end, end + 80)
    if claim is None or len(sentence[end : claim.start()].split()) > _CLAIM_GAP:
        return False
    return (
        claim_objects(lex).match(sentence, claim.end()) is not None
        or claim_words(lex).search(sentence, claim.end(), claim.end() + 30) is not None
    )


def _is_source(sentence: str, hit: ActorHit, trigger: tuple[int, int], lex: Lexicon) -> bool:
    """Return True when ``hit`` is the source of the report: a source marker introduces it
    ("selon", "according to"), or it follows the act and a verb of saying follows it
    ("..., the Israeli military said")."""
    c = _compiled(lex)
    before = sentence[max(0, hit.start - _LOOKBACK) : hit.start]
    if c.source_before.search(before) is not None:
        return True
    return (
        hit.start >= trigger[1]
        and c.source_after.match(sentence, hit.end) is not None
        and not _claims_after(sentence, hit.end, lex)
    )


def agent_noun_before(lex: Lexicon) -> re.Pattern[str]:
    """Return the pattern of an act noun that ends right before a name written with the
    agent's preposition (``roles.agent_noun_before``: "هجوم ل…")."""
    return _compiled(lex).agent_noun_before


def _followers(sentence: str, hit: ActorHit, lex: Lexicon) -> bool:
    """Return True when ``hit`` names whose supporters they are ("supporters of Hezbollah",
    "PKK sympathizers", "أنصار حزب الله"), not the group itself."""
    c = _compiled(lex)
    before = sentence[max(0, hit.start - _LOOKBACK) : hit.start]
    return (
        c.followers_before.search(before) is not None
        or c.followers_after.match(sentence, hit.end) is not None
    )


def speaker_or_accused(sentence: str, start: int, end: int, lex: Lexicon) -> bool:
    """Return True when the name at ``start:end`` speaks ("Damascus said") or is accused
    ("accused Ankara of targeting"): a capital named so is its government, no place."""
    c = _compiled(lex)
    before = sentence[max(0, start - _LOOKBACK) : start]
    return (
        c.blamed_before.search(before) is not None
        or c.source_after.match(sentence, end) is not None
    )


#: Words at most between an accuser's name and its verb of accusing.
_ACCUSER_GAP = 3


def _accuser(sentence: str, hit: ActorHit, trigger: tuple[int, int], lex: Lexicon) -> bool:
    """Return True when an accusation stands between ``hit`` and the act ("The SDF accused
    Ankara of targeting"): the accuser reports the act, it is no party to it."""
    if hit.end > trigger[0]:
        return False
    found = _compiled(lex).accusing.search(sentence, hit.end, trigger[0])
    # The accuser's verb follows its name closely ("The SDF accused", "Police have long
    # suspected"); "suspected" further on qualifies another name ("said soldiers killed
    # five suspected rebels").
    return found is not None and len(sentence[hit.end : found.start()].split()) <= _ACCUSER_GAP


def disowned(sentence: str, start: int, end: int, lex: Lexicon) -> bool:
    """Return True when the words from ``start`` to the act at ``end`` deny a part in it
    rather than the act ("denied any involvement in the strike", "a démenti toute
    implication dans la frappe", "نفت أي علاقة لها بالهجوم"): a negation that opens them
    leaves the act reported."""
    no_party = _compiled(lex).no_party
    return no_party is not None and no_party.match(sentence, start, end) is not None


def _no_party(sentence: str, hit: ActorHit, trigger: tuple[int, int], lex: Lexicon) -> bool:
    """Return True when words from ``hit`` to the act make it no party to the act
    (``roles.no_party``): it rescued the act's victims, or denies any part in it. Word order
    alone would make it the doer. In a verb-first language the name stands inside those words
    ("نفت كتائب حزب الله أي علاقة لها بالهجوم")."""
    no_party = _compiled(lex).no_party
    if no_party is None or hit.end > trigger[0]:
        return False
    if no_party.search(sentence, hit.end, trigger[0]) is not None:
        return True
    if not lex.raw["roles"].get("verb_first"):
        # Not a span around the name: "Police rescued two UN workers who had been kidnapped"
        # names the victims inside the rescue.
        return False
    return any(
        m.start() < hit.start
        for m in no_party.finditer(sentence, max(0, hit.start - _LOOKBACK), trigger[0])
    )


def _positional_role(sentence: str, hit: ActorHit, trigger: tuple[int, int], lex: Lexicon) -> Role:
    """Return the role word order gives ``hit``: the subject of an active act is its actor,
    but the subject of a repelled one its target (``roles.repel``: "Iraqi forces repelled an
    attack" is the attacker's act, ACLED's first actor its initiator).
    """
    role = _word_order_role(sentence, hit, trigger, lex)
    c = _compiled(lex)
    if role == "actor" and (
        (c.repel is not None and c.repel.search(sentence, *trigger))
        or (
            c.intercept is not None
            and hit.end <= trigger[0]
            and c.intercept.search(sentence, hit.end, trigger[0])
        )
    ):
        return "target"
    return role


def _word_order_role(sentence: str, hit: ActorHit, trigger: tuple[int, int], lex: Lexicon) -> Role:
    """Return the role word order alone gives ``hit``: the subject of an active act is its
    actor.

    In a verb-first language (the pack's ``roles.verb_first``: Arabic) the subject follows
    its verb: a name right after the cue, with at most date words between and no preposition
    written onto it ("اعتقلت قوات الاحتلال فجر اليوم"), is the actor.
    """
    passive = _compiled(lex).passive
    if lex.raw["roles"].get("verb_first") and hit.start > trigger[0]:
        # After the cue, or inside it after its first word ("قصفت المدفعية التركية": the cue
        # runs from the verb to the weapon, which here is also the subject).
        gap = (
            sentence[trigger[1] : hit.start].split()
            if hit.start >= trigger[1]
            else sentence[trigger[0] : hit.start].split()[1:]
        )
        # "هاجم مسلحو حركة الشباب", "هاجم مسلحون من تنظيم داعش": the group's gunmen, its
        # members or the group's own noun (``member_nouns``) are the group acting; "from"
        # (``member_of``) joins members to their group.
        members = frozenset(lex.raw["roles"].get("member_nouns", []))
        skip = numbers.date_words(lex) | members
        joiner = lex.raw["roles"].get("member_of")
        words = [w.strip("،,") for w in gap]
        if (
            len(gap) <= 3
            and all(
                w in skip or (w == joiner and i > 0 and words[i - 1] in members)
                for i, w in enumerate(words)
            )
            and not hit.governed
            and not passive.search(sentence[trigger[0] : trigger[1]])
        ):
            return "actor"
    # The cue's own words count: it may be the victim's verb ("murieron", "were killed").
    if hit.end <= trigger[0] and not passive.search(sentence[hit.end : trigger[1]]):
        return "actor"  # subject of an active attack verb
    return "target"  # a subject of a passive one ("le convoi a été attaqué"), or an object


def _reporters(
    sentence: str,
    hits: list[ActorHit],
    decided: list[Role | None],
    sources: set[int],
    *,
    trigger: tuple[int, int],
    lex: Lexicon,
) -> set[int]:
    """Return the indices of the hits that report an act another named party did: "Hamas
    said Israeli airstrikes killed 20", "Hamás dijo que ataques israelíes mataron", "قالت
    حماس إن غارات إسرائيلية قتلت" (ACLED: the Israeli military alone), or an unnamed one
    ("The army said bandits killed", ``roles.other_doer``). A reporter whose clause names no
    other doer speaks of its own act ("Hamas said it fired rockets")."""
    c = _compiled(lex)
    if c.speaker_after is None:
        return set()
    found: set[int] = set()
    for i, hit in enumerate(hits):
        if i in sources or hit.end > trigger[0] or hit.coordinated:
            continue
        frame = c.speaker_after.match(sentence, hit.end)
        if frame is None or frame.end() > trigger[1]:
            continue
        if c.speaker_before is not None and not c.speaker_before.search(
            sentence, max(0, hit.start - _LOOKBACK), hit.start
        ):
            continue
        if any(
            j != i
            and j not in sources
            and hits[j].start >= frame.end()
            and hits[j].name != hit.name
            # "The army said soldiers killed": its own soldiers, no other doer.
            and hits[j].name != UNNAMED_FORCES
            and (decided[j] or _positional_role(sentence, hits[j], trigger, lex)) == "actor"
            for j in range(len(hits))
        ) or (
            c.other_doer is not None
            and c.other_doer.match(sentence, frame.end())
            # "JNIM claimed the attack": its own act, "claimed" being no word of saying here.
            and not _claims_after(sentence, hit.end, lex)
        ):
            # Or an unnamed doer: "The Nigerian army said bandits killed 12 villagers".
            found.add(i)
    return found


def roles(
    sentence: str,
    hits: list[ActorHit],
    trigger: tuple[int, int],
    lex: Lexicon,
    nlp: Any = None,
) -> tuple[Actor, ...]:
    """Return the actors of the act at ``trigger`` with their roles, actors first, no repeats.

    Markers decide first; what they leave to word order is read from the dependency parse
    when ``nlp`` (a spaCy pipeline from ``syntax.parser``) is given: it also drops the source
    of a report ("selon X"), which word order would make a party.
    """
    decided: list[Role | None] = [_marked_role(sentence, hit, trigger, lex) for hit in hits]
    # "selon l'armée", "according to the army": the report's source is no party to the act;
    # nor is a group whose supporters act ("Hezbollah supporters threw stones"): ACLED's
    # actor is then the crowd (rioters, protesters), the group at most associated with it.
    sources = {
        i
        for i, hit in enumerate(hits)
        if (decided[i] is None and _is_source(sentence, hit, trigger, lex))
        or _accuser(sentence, hit, trigger, lex)
        or _no_party(sentence, hit, trigger, lex)
        or _followers(sentence, hit, lex)
    }
    open_ = [i for i, role in enumerate(decided) if role is None and i not in sources]
    spans = [(hits[i].start, hits[i].end) for i in open_]
    if nlp is not None and open_ and syntax.worth_parsing(sentence, spans, lex):
        decided_by_parse = syntax.decide(nlp, sentence, spans, trigger, syntax.spec(lex))
        for i, parsed in zip(open_, decided_by_parse, strict=True):
            if parsed == syntax.SOURCE:
                sources.add(i)
            elif parsed is not None:
                decided[i] = parsed
    for i, hit in enumerate(hits):
        # A coordinated force is on its head's side: "القوات الأمريكية والعراقية" attack
        # together. (Hits are in text order; the head is the hit before.)
        if hit.coordinated and i > 0:
            if i - 1 in sources:
                sources.add(i)
            decided[i] = decided[i - 1] or _positional_role(sentence, hits[i - 1], trigger, lex)
    sources |= _reporters(sentence, hits, decided, sources, trigger=trigger, lex=lex)
    out: dict[tuple[str, Role], Actor] = {}
    for i, hit in enumerate(hits):
        if i in sources:
            continue
        role = decided[i] or _positional_role(sentence, hit, trigger, lex)
        out.setdefault((hit.name, role), Actor(hit.name, role, hit.type))
    # One name cannot be both sides of one act: the explicit agent reading wins.
    names_as_actor = {name for name, role in out if role == "actor"}
    kept = [a for (name, role), a in out.items() if role == "actor" or name not in names_as_actor]
    return tuple(sorted(kept, key=lambda a: a.role))
