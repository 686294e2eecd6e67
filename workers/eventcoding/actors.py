"""Actors: canonical names from ``data/actors.json`` and the role each plays in a sentence.

Roles come from simple, language-specific patterns: "revendiqué par X" / "claimed by X" and
the subject of an active attack verb are the actor; "contre X", "cible", the object after the
verb, or an alias that can only be hit (a convoy, a base, an embassy) are the target. An
attacker the text does not name stays unknown: nothing here guesses one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from schemas.events import Actor, Role

from .lexicon import Lexicon, compile_any, expand, literal_keys, may_match, shared

_LOOKBACK = 80


@dataclass(frozen=True, slots=True)
class ActorHit:
    """A canonical actor named in a sentence."""

    name: str
    type: str | None
    start: int
    end: int
    target_only: bool


@dataclass(frozen=True, slots=True, eq=False)
class _Compiled:
    entries: tuple[tuple[str, str | None, re.Pattern[str], bool, tuple[str, ...] | None], ...]
    actor_before: re.Pattern[str]
    target_before: re.Pattern[str]
    passive: re.Pattern[str]


@cache
def _compiled(lex: Lexicon) -> _Compiled:
    entries: list[tuple[str, str | None, re.Pattern[str], bool, tuple[str, ...] | None]] = []
    for actor in shared("actors")["actors"]:
        for key, target_only in (("aliases", False), ("target_aliases", True)):
            aliases = expand(actor.get(key, {}).get(lex.language, []))
            if aliases:
                pattern = compile_any(aliases, bounded=True)
                keys = literal_keys(aliases)
                entries.append((actor["name"], actor.get("type"), pattern, target_only, keys))
    roles = lex.raw["roles"]
    return _Compiled(
        entries=tuple(entries),
        actor_before=re.compile(rf"(?:{'|'.join(roles['actor_before'])})\s*$", re.IGNORECASE),
        target_before=re.compile(rf"(?:{'|'.join(roles['target_before'])})\s*$", re.IGNORECASE),
        passive=compile_any(roles["passive"]),
    )


def find(sentence: str, lex: Lexicon) -> list[ActorHit]:
    """Return the actors named in ``sentence``, longest names first where they overlap."""
    hits: list[ActorHit] = []
    lowered = sentence.lower()
    for name, kind, pattern, target_only, keys in _compiled(lex).entries:
        if not may_match(keys, lowered):
            continue  # no literal of these aliases occurs: skip the regex
        for m in pattern.finditer(sentence):
            hits.append(ActorHit(name, kind, m.start(), m.end(), target_only))
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[ActorHit] = []
    for hit in hits:
        if not any(k.start <= hit.start and hit.end <= k.end for k in kept):
            kept = [k for k in kept if not (hit.start <= k.start and k.end <= hit.end)]
            kept.append(hit)
    return kept


def role_of(sentence: str, hit: ActorHit, trigger: tuple[int, int], lex: Lexicon) -> Role:
    """Return the role ``hit`` plays towards the act whose cue spans ``trigger``."""
    if hit.target_only:
        return "target"
    c = _compiled(lex)
    before = sentence[max(0, hit.start - _LOOKBACK) : hit.start]
    # "revendiqué par X", "l'attaque de Washington": the agent is marked, whatever the order.
    if c.actor_before.search(before):
        return "actor"
    if c.target_before.search(before) or hit.type == "person":
        return "target"
    if hit.end <= trigger[0] and not c.passive.search(sentence[hit.end : trigger[0]]):
        return "actor"  # subject of an active attack verb
    if hit.end <= trigger[0] and c.passive.search(sentence[hit.end : trigger[0]]):
        return "target"  # subject of a passive one ("le convoi a été attaqué")
    return "target"


def roles(
    sentence: str, hits: list[ActorHit], trigger: tuple[int, int], lex: Lexicon
) -> tuple[Actor, ...]:
    """Return the actors of the act at ``trigger`` with their roles, actors first, no repeats."""
    out: dict[tuple[str, Role], Actor] = {}
    for hit in hits:
        role = role_of(sentence, hit, trigger, lex)
        out.setdefault((hit.name, role), Actor(hit.name, role, hit.type))
    # One name cannot be both sides of one act: the explicit agent reading wins.
    names_as_actor = {name for name, role in out if role == "actor"}
    kept = [a for (name, role), a in out.items() if role == "actor" or name not in names_as_actor]
    return tuple(sorted(kept, key=lambda a: a.role))
