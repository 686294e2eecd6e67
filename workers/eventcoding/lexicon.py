"""Load the data files (``data/*.json``) once per process and compile their patterns.

A language is supported when ``data/<lang>.json`` exists: adding one is mostly writing that
file (and aliases in ``actors.json``). Everything is read lazily and cached at module level.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("data")
_SHARED = {"types", "actors", "places", "towns", "states"}
_FLAGS = re.IGNORECASE

#: A number phrase: digits (with thin/space/dot thousands separators) or up to four words.
NUM = r"(?P<num>\d{1,3}(?:[  .,]\d{3})+|\d+|[^\W\d_][\w-]*(?:\s+[^\W\d_][\w-]*){0,3})"


#: Clitics an Arabic word may carry in front (wa-/fa-, bi-/li-/ka-, the article al-, li+al).
PREFIX = "(?:[وف]?(?:لل|[بلك]?(?:ال)?))"
#: The same in front of a name written with its article ("PFXالحوثي"): li- + al- is written
#: "لل" with the article's alif dropped ("للحوثيين", "للدعم السريع"), which PREFIX followed
#: by the article never matches.
PREFIX_ARTICLE = "(?:[وف]?(?:لل|[بلك]?ال))"


class LexiconError(ValueError):
    """A data file is missing a key or holds a pattern that does not compile."""


_META = frozenset("\\()[]{}?*+|.^$")


def _close(pattern: str, start: int) -> int:
    """Return the index of the parenthesis closing the group opened at ``start``."""
    depth, i = 0, start
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = pattern.index("]", i + 1) + 1
            continue
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0:
            return i
        i += 1
    raise ValueError(f"unbalanced group in {pattern!r}")


def _split_top(pattern: str) -> list[str]:
    """Return the top-level alternatives of ``pattern``."""
    parts, depth, last, i = [], 0, 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = pattern.index("]", i + 1) + 1
            continue
        if ch in "()":
            depth += 1 if ch == "(" else -1
        elif ch == "|" and depth == 0:
            parts.append(pattern[last:i])
            last = i + 1
        i += 1
    parts.append(pattern[last:])
    return parts


#: Characters that end a literal run: quotes stand for either quote (APOS), so a key must
#: not hold one.
_RUN_BREAKS = _META | frozenset("'’")


def _quantifier(pattern: str, i: int) -> tuple[int, bool]:
    """Return the index after the quantifier at ``i`` (``i`` when there is none) and whether
    it lets the item before it be absent ("?", "*", "{0,n}")."""
    if i >= len(pattern) or pattern[i] not in "?*+{":
        return i, False
    if pattern[i] == "{":
        close = pattern.index("}", i)
        optional = pattern[i + 1 : close].split(",", maxsplit=1)[0].strip() in ("", "0")
        i = close + 1
    else:
        optional = pattern[i] in "?*"
        i += 1
    if i < len(pattern) and pattern[i] in "?+":  # lazy or possessive
        i += 1
    return i, optional


def _group(pattern: str, i: int) -> tuple[str, str, int]:
    """Return the kind of the group opened at ``i`` ("group": it matches text; "ahead": a
    positive lookahead; "assertion": a negative or a lookbehind test; "other": a construct
    the literal readers do not know), its body, and the index of its closing parenthesis."""
    close = _close(pattern, i)
    head = pattern[i : i + 4]
    if head.startswith(("(?!", "(?<=", "(?<!")):
        return "assertion", "", close
    if head.startswith("(?="):
        return "ahead", pattern[i + 3 : close], close
    if head.startswith("(?P<"):
        return "group", pattern[pattern.index(">", i) + 1 : close], close
    if head.startswith("(?:"):
        return "group", pattern[i + 3 : close], close
    if head.startswith("(?"):
        return "other", "", close
    return "group", pattern[i + 1 : close], close


def _candidates(pattern: str) -> list[list[str]] | None:
    """Return the sets of literals, one of each of which every text ``pattern`` (one
    alternative, no top-level "|") matches in contains: each literal run and each group a
    match cannot skip or looks ahead at. None when the pattern holds a construct this reader
    does not know."""
    found: list[list[str]] = []
    run: list[str] = []

    def flush() -> None:
        text = "".join(run).strip()
        if len(text) >= 2:
            found.append([text.lower()])
        run.clear()

    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "(":
            kind, inner, close = _group(pattern, i)
            after, optional = _quantifier(pattern, close + 1)
            flush()
            if kind == "other":
                return None
            # A group the match cannot skip; or what it looks ahead at, which is in the text
            # it is found in ("\\bIS\\b(?= fighters)"). A negative test holds nothing, and
            # one behind may look before the text.
            keys = _literals(inner) if kind in ("group", "ahead") and not optional else None
            if keys is not None and min(len(k) for k in keys) >= 2:
                found.append(keys)
            i = after
        elif ch == "[":
            flush()
            i, _ = _quantifier(pattern, pattern.index("]", i + 1) + 1)
        elif ch == "\\":
            flush()
            i, _ = _quantifier(pattern, i + 2)
        elif ch in _RUN_BREAKS:  # ".", "^", "$", a quote, a quantifier after a group
            flush()
            i += 1
        else:
            after, optional = _quantifier(pattern, i + 1)
            if optional:
                flush()  # "drones?": "drone", then what follows the absent letter
            else:
                run.append(ch)
                if after > i + 1:  # "a+" holds "a", but what follows need not touch it
                    flush()
            i = after
    flush()
    return found


def _literals(pattern: str) -> list[str] | None:
    """Return lower-cased literals one of which every text ``pattern`` matches in contains,
    or None.

    Of a pattern's alternatives, each must have such literals. Of one alternative, every
    literal run ("handed over") and every group it cannot skip ("(?:was|were)") qualifies:
    the most telling is kept, the one whose shortest literal is longest ("was" occurs in
    most sentences, "handed over" in few), so fewer patterns run on a sentence that cannot
    match them.
    """
    alternatives = _split_top(pattern)
    if len(alternatives) > 1:
        keys: list[str] = []
        for alt in alternatives:
            found = _literals(alt)
            if found is None:
                return None
            keys.extend(found)
        return keys
    candidates = _candidates(pattern)
    if not candidates:
        return None
    return max(candidates, key=lambda keys: (min(len(k) for k in keys), -len(keys)))


def literal_keys(patterns: list[str]) -> tuple[str, ...] | None:
    """Return literals one of which every text ``patterns`` match in contains, or None when
    some pattern has no usable literal (then the patterns must always run)."""
    keys: list[str] = []
    for p in patterns:
        try:
            found = _literals(written_out(p))
        except ValueError:
            return None
        if found is None or any("'" in k for k in found):
            return None
        keys.extend(found)
    unique = tuple(dict.fromkeys(keys))
    # A key holding a shorter one adds nothing to "does any occur" ("earlier this week"
    # occurs only where "this week" does): fewer substring scans per sentence.
    return tuple(k for k in unique if not any(o != k and o in k for o in unique))


def may_match(keys: tuple[str, ...] | None, lowered: str) -> bool:
    """Return False only when no literal of ``keys`` occurs in ``lowered`` (lower-cased text):
    then no pattern they came from can match, and the regexes need not run."""
    if keys is None:
        return True
    # A plain loop: this runs for most patterns of every sentence, and any() over a
    # generator costs twice as much per key.
    for k in keys:  # noqa: SIM110
        if k in lowered:
            return True
    return False


#: A literal index keys its literals by their first characters: a literal occurs in a text
#: only if its first ``_GRAM`` characters do, and a text has few distinct ones.
_GRAM = 3


@lru_cache(maxsize=16)
def _grams(lowered: str) -> frozenset[str]:
    """Return the ``_GRAM``-character substrings of ``lowered`` (shared by the trigger and the
    actor index, which read the same sentence one after the other)."""
    # Shifted copies zipped: the grams without a Python-level slice per position.
    return frozenset(map("".join, zip(*(lowered[i:] for i in range(_GRAM)), strict=False)))


@dataclass(frozen=True, slots=True, eq=False)
class KeyIndex:
    """Which of many patterns may match a text, by the literals their matches must contain
    (:func:`literal_keys`): the same answer as testing every literal, without testing them."""

    by_gram: dict[str, tuple[tuple[str, tuple[int, ...]], ...]]
    short: tuple[tuple[str, tuple[int, ...]], ...]
    always: frozenset[int]

    @staticmethod
    def build(keys: Sequence[tuple[str, ...] | None]) -> KeyIndex:
        """Return the index of items whose literals are ``keys[i]`` (None: always a candidate)."""
        by_key: dict[str, list[int]] = {}
        for i, item_keys in enumerate(keys):
            for k in item_keys or ():
                by_key.setdefault(k, []).append(i)
        by_gram: dict[str, list[tuple[str, tuple[int, ...]]]] = {}
        short: list[tuple[str, tuple[int, ...]]] = []
        for k, items in by_key.items():
            if len(k) < _GRAM:
                short.append((k, tuple(items)))
            else:
                by_gram.setdefault(k[:_GRAM], []).append((k, tuple(items)))
        return KeyIndex(
            by_gram={g: tuple(v) for g, v in by_gram.items()},
            short=tuple(short),
            always=frozenset(i for i, item_keys in enumerate(keys) if item_keys is None),
        )

    def active(self, lowered: str) -> set[int]:
        """Return the items that may match ``lowered`` (a lower-cased text)."""
        found = set(self.always)
        for k, items in self.short:
            if k in lowered:
                found.update(items)
        by_gram = self.by_gram
        for gram in _grams(lowered).intersection(by_gram):
            for k, items in by_gram[gram]:
                if k in lowered:
                    found.update(items)
        return found


@dataclass(frozen=True, slots=True)
class Trigger:
    """One cue pattern for one sub-event type, with the literals its matches contain."""

    sub_event_type: str
    strong: bool
    mode: str | None
    pattern: re.Pattern[str]
    keys: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class Refinement:
    """A finer sub-type for a cue of type ``source`` when ``pattern`` is found in its scope.

    ``scope`` "before" limits the search to the text before the cue (the subject side), so
    "the army recaptured" and "rebels recaptured" refine the same territory cue differently;
    "after" to the words right after it (the object side: "attacked an army base"); "any" to
    the whole scope.
    """

    source: str
    target: str
    pattern: re.Pattern[str]
    scope: str
    #: Literals one of which every match holds (None: the pattern must always run).
    keys: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Lexicon:
    """The compiled cues of one language."""

    language: str
    raw: dict[str, Any]
    triggers: tuple[Trigger, ...]
    generic_attack: re.Pattern[str]
    negation: re.Pattern[str]
    hypothetical: re.Pattern[str]
    future: re.Pattern[str]
    habitual: re.Pattern[str]
    #: Natural and accidental causes ("earthquake", "car crash", "حادث سير"): their deaths are
    #: no political violence.
    accidental: re.Pattern[str]
    #: "A series of attacks": a habit unless the sentence gives the day ("on Tuesday").
    series: re.Pattern[str]
    intercepted: re.Pattern[str]
    clause_break: re.Pattern[str]
    related: re.Pattern[str]
    #: Generic names of organised parties ("forces", "rebels", "police", "protesters"): what
    #: makes a kidnapping, an arrest or a deal political (``types.json`` "needs_party").
    parties: re.Pattern[str]
    refinements: tuple[Refinement, ...] = ()
    #: Which triggers may match a sentence, by their literals (triggers without always run).
    trigger_index: KeyIndex = field(default_factory=lambda: KeyIndex.build(()))


def expand(value: Any) -> Any:
    """Return ``value`` with the ``PFX`` placeholder of every pattern string expanded."""
    if isinstance(value, str):
        return value.replace("PFXال", PREFIX_ARTICLE).replace("PFX", PREFIX)
    if isinstance(value, list):
        return [expand(v) for v in value]
    if isinstance(value, dict):
        return {k: expand(v) for k, v in value.items()}
    return value


def _read(name: str) -> dict[str, Any]:
    path = DATA / f"{name}.json"
    try:
        data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise LexiconError(f"cannot read {path}: {exc}") from exc
    return data


def either(patterns: Sequence[str]) -> str:
    """Return the regex alternation of ``patterns`` as one group to embed in a larger pattern;
    one that never matches when there are none (a pack without such markers)."""
    if not patterns:
        return "(?!)"
    group = f"(?:{'|'.join(patterns)})"
    # Its first letters looked ahead at: most positions fail at one class test, as in
    # compile_any (many of these are searched for at every position of a window).
    ahead = first_chars(group)
    return group if ahead is None else f"(?:{ahead}{group})"


def written_out(pattern: str) -> str:
    """Return a pack pattern as Python's ``re`` reads it: APOS as either quote, and a skipped
    word ``(?:\\w+ )`` that may carry a hyphen or an elision ("américano-britanniques",
    "l'aéroport", "Iranian-backed")."""
    return pattern.replace("APOS", "['’]").replace(r"(?:\w+ )", r"(?:[\w'’-]+ )")


#: Escapes that match no character (zero-width) and those that stand for many.
_ZERO_WIDTH_ESCAPES = frozenset("bBAZ")
_CLASS_ESCAPES = frozenset("wWdDsS")
#: Past this many characters a class of first characters tells little and costs a big set.
_MAX_FIRST = 400


def _class_chars(body: str) -> set[str] | None:
    """Return the characters of a character class's ``body`` (between the brackets), or
    None when it is negated or holds a class escape ("\\w")."""
    if body.startswith("^"):
        return None
    chars: set[str] = set()
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            if i + 1 >= len(body) or body[i + 1] in _CLASS_ESCAPES or body[i + 1].isalnum():
                return None
            ch, i = body[i + 1], i + 2
        else:
            i += 1
        if i + 1 < len(body) and body[i] == "-":  # a range "a-z"
            last = body[i + 1]
            if last == "\\" or ord(last) - ord(ch) > _MAX_FIRST:
                return None
            chars.update(chr(c) for c in range(ord(ch), ord(last) + 1))
            i += 2
        else:
            chars.add(ch)
    return chars


def _first(pattern: str) -> tuple[set[str], bool] | None:
    """Return the characters a match of ``pattern`` may start with and whether it may match
    the empty string; None when this reader cannot tell (a class escape, ".", a construct it
    does not know)."""
    alternatives = _split_top(pattern)
    if len(alternatives) > 1:
        chars: set[str] = set()
        nullable = False
        for alt in alternatives:
            found = _first(alt)
            if found is None:
                return None
            chars |= found[0]
            nullable = nullable or found[1]
        return chars, nullable
    chars = set()
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        item: tuple[set[str], bool] | None
        if ch == "(":
            kind, inner, close = _group(pattern, i)
            if kind == "other":
                return None
            # An assertion (a lookahead too) reads no character.
            item = _first(inner) if kind == "group" else (set(), True)
            end = close + 1
        elif ch == "[":
            close = pattern.index("]", i + 1)
            members = _class_chars(pattern[i + 1 : close])
            item = None if members is None else (members, False)
            end = close + 1
        elif ch == "\\":
            escaped = pattern[i + 1 : i + 2]
            if escaped in _ZERO_WIDTH_ESCAPES:
                item = (set(), True)
            elif not escaped or escaped.isalnum():
                return None  # a class ("\\w"), a back-reference, a code point
            else:
                item = ({escaped}, False)
            end = i + 2
        elif ch in "^$":
            item, end = (set(), True), i + 1
        elif ch in _META:
            return None  # "." and stray quantifiers
        else:
            item, end = ({ch}, False), i + 1
        if item is None:
            return None
        end, optional = _quantifier(pattern, end)
        chars |= item[0]
        if not (item[1] or optional):
            return chars, False
        i = end
    return chars, True


def first_chars(pattern: str) -> str | None:
    """Return a lookahead ``(?=[...])`` of the characters every match of ``pattern`` starts
    with, or None when they are unknown or many, or the pattern may match nothing at all."""
    try:
        found = _first(pattern)
    except ValueError:
        return None
    if found is None or found[1] or not found[0] or len(found[0]) > _MAX_FIRST:
        return None
    chars = sorted(found[0])
    return "(?=[" + "".join(re.escape(c) if c in "\\]^-[" else c for c in chars) + "])"


def compile_any(patterns: list[str], *, bounded: bool = False) -> re.Pattern[str]:
    """Return one case-insensitive regex matching any of ``patterns`` (APOS = either quote).

    With ``bounded`` every alternative must start and end at a word boundary.
    """
    parts = [written_out(p) for p in patterns] or ["(?!x)x"]
    body = "|".join(f"(?:{p})" for p in parts)
    try:
        alternatives = [a for p in parts for a in _split_top(p)]
    except ValueError as exc:
        # An unclosed "[" (the only thing _split_top cannot read) would swallow what follows
        # it in the union, which may then compile into something else: name it here.
        raise LexiconError(f"bad pattern in {patterns!r}: a '[' is never closed") from exc
    if alternatives and all(a.startswith("\\b") for a in alternatives):
        # The same word boundary opens every alternative: tested once per position.
        body = "\\b(?:" + "|".join(f"(?:{a[2:]})" for a in alternatives) + ")"
    if bounded:
        # One boundary test around the alternatives, not one per alternative: the same
        # matches (the engine backtracks into the group as it would into the union), but a
        # position inside a word fails once instead of once per alternative.
        # A match may end on an elided article ("le contrôle d'", "la prise de l'"): the
        # word after it is the next word, not the same one.
        body = rf"(?<![\w-])(?:{body})(?:(?<=')|(?<=’)|(?![\w-]))"
    # Where every alternative starts with a known letter, positions starting with another
    # fail at one class test: without it, a case-insensitive union tries each alternative at
    # each position (Python's re finds no prefix in a case-insensitive pattern).
    ahead = first_chars(body)
    if ahead is not None:
        body = f"{ahead}(?:{body})"
    try:
        return re.compile(body, _FLAGS)
    except re.error as exc:
        raise LexiconError(f"bad pattern in {patterns!r}: {exc}") from exc


@cache
def shared(name: str) -> dict[str, Any]:
    """Return the language-independent data file ``name`` (types, actors, places, towns,
    states)."""
    if name not in _SHARED:
        raise LexiconError(f"no shared data file {name!r}")
    return _read(name)


@cache
def pack(language: str) -> dict[str, Any]:
    """Return the data of ``language``'s pack as written (its patterns not compiled; PFX not
    expanded); raises LexiconError when the language has none."""
    if language not in available_languages():
        raise LexiconError(f"no cue file for language {language!r}")
    return _read(language)


@cache
def available_languages() -> frozenset[str]:
    """Return the languages that have a cue file in ``data/``."""
    return frozenset(p.stem for p in DATA.glob("*.json") if p.stem not in _SHARED)


@cache
def lexicon(language: str) -> Lexicon:
    """Return the compiled cues of ``language`` (raises LexiconError when unsupported)."""
    raw: dict[str, Any] = expand(pack(language))
    types = shared("types")["types"]
    triggers: list[Trigger] = []
    for group in raw["triggers"]:
        if group["sub_event_type"] not in types:
            raise LexiconError(f"{language}: unknown sub-event type {group['sub_event_type']!r}")
        mode = group.get("mode", types[group["sub_event_type"]]["mode"])
        # One trigger per pattern, each with its own literals: a sentence runs only the
        # patterns whose words it contains.
        triggers.extend(
            Trigger(
                sub_event_type=group["sub_event_type"],
                strong=group["strength"] == "strong",
                mode=mode,
                pattern=compile_any([pattern], bounded=True),
                keys=literal_keys([pattern]),
            )
            for pattern in group["patterns"]
        )
    refinements: list[Refinement] = []
    for rule in raw.get("refinements", []):
        if rule.get("scope", "any") not in ("any", "before", "after"):
            raise LexiconError(f"{language}: bad refinement scope {rule['scope']!r}")
        for key in ("from", "to"):
            if rule[key] not in types:
                raise LexiconError(f"{language}: unknown sub-event type {rule[key]!r}")
        refinements.append(
            Refinement(
                source=rule["from"],
                target=rule["to"],
                pattern=compile_any(rule["patterns"], bounded=True),
                scope=rule.get("scope", "any"),
                keys=literal_keys(rule["patterns"]),
            )
        )
    related = "|".join(re.escape(m) for m in raw["sentences"]["related_markers"])
    return Lexicon(
        language=language,
        raw=raw,
        triggers=tuple(triggers),
        trigger_index=KeyIndex.build([t.keys for t in triggers]),
        generic_attack=compile_any(raw["generic_attack"], bounded=True),
        negation=compile_any(raw["negation"]),
        hypothetical=compile_any(raw["hypothetical"]),
        future=compile_any(raw["future"]),
        habitual=compile_any(raw["habitual"]),
        accidental=compile_any(raw.get("accidental", {}).get("patterns", []), bounded=True),
        series=compile_any(raw.get("series", {}).get("patterns", [])),
        intercepted=compile_any(raw["intercepted"]),
        clause_break=compile_any(raw["clause_breaks"]),
        related=re.compile(rf"(?:^|\s)(?:{related})\s*[:\-–—]?", _FLAGS),
        parties=compile_any(raw["parties"], bounded=True),
        refinements=tuple(refinements),
    )
