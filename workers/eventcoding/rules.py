"""Which act a sentence reports: type cues, and whether the act really happened.

A sentence's cue is its most specific typed cue (``types.json`` priority) that is not negated,
hypothetical, future or habitual in its own clause. A sentence with only a generic attack word
("attaque", "attacked") yields a generic cue: it may describe an act typed by a neighbouring
sentence. Weak cues ("explosion") need a named party or a count in the sentence to count.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from .lexicon import Lexicon, shared
from .sentences import clauses, comma_scope


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


def untyped(armed_target: bool) -> dict[str, Any]:
    """Return ACLED's default coding for an attack whose weapon the text does not give."""
    defaults: dict[str, Any] = shared("types")["untyped_assault"]
    return dict(defaults["armed_target" if armed_target else "civilian_target"])


def happened(sentence: str, start: int, end: int, lex: Lexicon) -> bool:
    """Return False when the cue at ``start:end`` is negated, hypothetical, future or habitual.

    Negation scopes over the comma-delimited phrase; the others over the whole clause.
    """
    left, right = comma_scope(sentence, start, end)
    if lex.negation.search(sentence, left, right):
        return False
    for c_start, c_end in clauses(sentence, lex):
        if c_start <= start < c_end:
            scope = sentence[c_start:c_end]
            return not any(p.search(scope) for p in (lex.hypothetical, lex.future, lex.habitual))
    return True


def _typed_cues(sentence: str, lex: Lexicon) -> list[Cue]:
    found = [
        Cue(t.sub_event_type, t.strong, t.mode, m.start(), m.end())
        for t in lex.triggers
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


def candidate_cues(sentence: str, lex: Lexicon) -> list[Cue]:
    """Return the cues of ``sentence`` whose act happened: typed ones, else one generic cue."""
    typed = [c for c in _typed_cues(sentence, lex) if happened(sentence, c.start, c.end, lex)]
    if typed:
        return typed
    for m in lex.generic_attack.finditer(sentence):
        if happened(sentence, m.start(), m.end(), lex):
            return [Cue(None, False, None, m.start(), m.end())]
    return []


def choose(cues: list[Cue], *, has_party: bool) -> Cue | None:
    """Return the sentence's act cue among ``cues`` (None when it reports no act).

    ``has_party`` says whether the sentence names an actor, a target or a count, which weak
    cues need; the most specific type wins (``types.json`` priority), strong before weak.
    """
    table = type_table()
    typed = [c for c in cues if c.sub_event_type is not None and (c.strong or has_party)]
    if typed:
        return min(
            typed,
            key=lambda c: (not c.strong, table[str(c.sub_event_type)]["priority"], c.start),
        )
    generic = [c for c in cues if c.sub_event_type is None]
    return generic[0] if generic else None


def find_cue(sentence: str, lex: Lexicon, *, has_party: bool) -> Cue | None:
    """Return the act cue of ``sentence`` (None when it reports no act); see :func:`choose`."""
    return choose(candidate_cues(sentence, lex), has_party=has_party)


def intercepted(sentence: str, lex: Lexicon) -> bool:
    """Return True when the sentence says the weapons were intercepted or shot down."""
    return lex.intercepted.search(sentence) is not None
