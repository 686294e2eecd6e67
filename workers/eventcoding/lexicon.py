"""Load the data files (``data/*.json``) once per process and compile their patterns.

A language is supported when ``data/<lang>.json`` exists: adding one is mostly writing that
file (and aliases in ``actors.json``). Everything is read lazily and cached at module level.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("data")
_SHARED = {"types", "actors", "places", "towns"}
_FLAGS = re.IGNORECASE

#: A number phrase: digits (with thin/space/dot thousands separators) or up to four words.
NUM = r"(?P<num>\d{1,3}(?:[  .,]\d{3})+|\d+|[^\W\d_][\w-]*(?:\s+[^\W\d_][\w-]*){0,3})"


#: Clitics an Arabic word may carry in front (wa-/fa-, bi-/li-/ka-, the article al-, li+al).
PREFIX = "(?:[وف]?(?:لل|[بلك]?(?:ال)?))"


class LexiconError(ValueError):
    """A data file is missing a key or holds a pattern that does not compile."""


@dataclass(frozen=True, slots=True)
class Trigger:
    """One cue pattern for one sub-event type."""

    sub_event_type: str
    strong: bool
    mode: str | None
    pattern: re.Pattern[str]


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
    intercepted: re.Pattern[str]
    clause_break: re.Pattern[str]
    related: re.Pattern[str]
    refinements: tuple[Refinement, ...] = ()


def expand(value: Any) -> Any:
    """Return ``value`` with the ``PFX`` placeholder of every pattern string expanded."""
    if isinstance(value, str):
        return value.replace("PFX", PREFIX)
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


def compile_any(patterns: list[str], *, bounded: bool = False) -> re.Pattern[str]:
    """Return one case-insensitive regex matching any of ``patterns`` (APOS = either quote).

    With ``bounded`` every alternative must start and end at a word boundary.
    """
    parts = [p.replace("APOS", "['’]") for p in patterns] or ["(?!x)x"]
    if bounded:
        parts = [rf"(?<![\w-])(?:{p})(?![\w-])" for p in parts]
    try:
        return re.compile("|".join(f"(?:{p})" for p in parts), _FLAGS)
    except re.error as exc:
        raise LexiconError(f"bad pattern in {patterns!r}: {exc}") from exc


@cache
def shared(name: str) -> dict[str, Any]:
    """Return the language-independent data file ``name`` (types, actors, places, towns)."""
    if name not in _SHARED:
        raise LexiconError(f"no shared data file {name!r}")
    return _read(name)


@cache
def available_languages() -> frozenset[str]:
    """Return the languages that have a cue file in ``data/``."""
    return frozenset(p.stem for p in DATA.glob("*.json") if p.stem not in _SHARED)


@cache
def lexicon(language: str) -> Lexicon:
    """Return the compiled cues of ``language`` (raises LexiconError when unsupported)."""
    if language not in available_languages():
        raise LexiconError(f"no cue file for language {language!r}")
    raw: dict[str, Any] = expand(_read(language))
    types = shared("types")["types"]
    triggers: list[Trigger] = []
    for group in raw["triggers"]:
        if group["sub_event_type"] not in types:
            raise LexiconError(f"{language}: unknown sub-event type {group['sub_event_type']!r}")
        mode = group.get("mode", types[group["sub_event_type"]]["mode"])
        triggers.append(
            Trigger(
                sub_event_type=group["sub_event_type"],
                strong=group["strength"] == "strong",
                mode=mode,
                pattern=compile_any(group["patterns"], bounded=True),
            )
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
            )
        )
    related = "|".join(re.escape(m) for m in raw["sentences"]["related_markers"])
    return Lexicon(
        language=language,
        raw=raw,
        triggers=tuple(triggers),
        generic_attack=compile_any(raw["generic_attack"], bounded=True),
        negation=compile_any(raw["negation"]),
        hypothetical=compile_any(raw["hypothetical"]),
        future=compile_any(raw["future"]),
        habitual=compile_any(raw["habitual"]),
        intercepted=compile_any(raw["intercepted"]),
        clause_break=compile_any(raw["clause_breaks"]),
        related=re.compile(rf"(?:^|\s)(?:{related})\s*[:\-–—]?", _FLAGS),
        refinements=tuple(refinements),
    )
