"""The catalogue of canonical actors: ``actors.json``'s, and the state forces generated from
``states.json`` for the countries it has none for.

A country's army and police are named the same way everywhere: an adjective and a noun
("Malian troops", "armée malienne", "الجيش المصري"). Each language pack writes the nouns once
(``state_forces`` templates) and ``states.json`` the adjectives, so sixty countries' forces are
sixty lines of data, not 120 hand-written actors in four languages.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from .lexicon import LexiconError, available_languages, literal_keys, pack, shared

#: ACLED's names for a state's forces, by template kind.
_NAMES = {"military": "Military Forces of {}", "police": "Police Forces of {}"}
#: The placeholders of the templates: the adjective's forms, and the country's English name
#: for the English possessive ("Myanmar's military", "Mali's army").
_SLOTS = ("adj", "m", "f", "mp", "fp", "country")


@cache
def catalogue() -> tuple[dict[str, Any], ...]:
    """Return every canonical actor as an ``actors.json`` record: the curated ones, then
    "Military Forces of X" and "Police Forces of X" for each country of ``states.json`` that
    no curated state forces belong to. A generated record also carries ``keys``: per
    language, literals (its adjectives) of which every match of its aliases contains one."""
    curated: list[dict[str, Any]] = list(shared("actors")["actors"])
    covered = {a.get("country") for a in curated if a.get("type") == "state_forces"}
    generated: list[dict[str, Any]] = []
    for state in shared("states")["states"]:
        if state["country"] in covered:
            continue
        for kind, name in _NAMES.items():
            aliases: dict[str, list[str]] = {}
            keys: dict[str, list[str] | None] = {}
            for lang in sorted(available_languages()):
                forms = state["adjectives"].get(lang)
                if forms and lang == "en":
                    forms = {**forms, "country": state["name"]}
                extra = state.get("aliases", {}).get(kind, {}).get(lang, [])
                written = _filled(pack(lang).get("state_forces", {}).get(kind, []), forms, lang)
                if written or extra:
                    aliases[lang] = written + extra
                    found = literal_keys(list(forms.values()) + extra if forms else extra)
                    keys[lang] = list(found) if found is not None else None
            generated.append(
                {
                    "name": name.format(state["name"]),
                    "type": "state_forces",
                    "country": state["country"],
                    # A police force acts at home, whichever state's army is in the news abroad.
                    "home_ground": state["home_ground"] or kind == "police",
                    "aliases": aliases,
                    "keys": keys,
                }
            )
    return tuple(curated + generated)


@cache
def militaries() -> dict[str, str]:
    """Return, per country code, the canonical name of its military: its first state forces
    in the catalogue that are not its police. A state named as the doer of an act ("Russia
    launched", "Israël a frappé", "شنت روسيا") is coded to it, as ACLED codes such acts."""
    out: dict[str, str] = {}
    for record in catalogue():
        country = record.get("country")
        if (
            record.get("type") == "state_forces"
            and country
            and not record["name"].startswith("Police Forces of")
        ):
            out.setdefault(str(country), record["name"])
    return out


@cache
def countries() -> dict[str, str]:
    """Return, for the actors that are a state's (its forces, its government), their country
    code by canonical name."""
    return {a["name"]: a["country"] for a in catalogue() if a.get("country")}


def _filled(templates: list[str], forms: dict[str, str] | None, lang: str) -> list[str]:
    """Return ``templates`` with their placeholders ({adj}, {m}, {f}, {mp}, {fp}, {country})
    replaced by ``forms``; [] without forms. Raises LexiconError when a template has no
    placeholder (its matches would hold none of the adjectives the index keys on) or one
    the forms lack."""
    if not forms:
        return []
    out = []
    for template in templates:
        filled = template
        for slot, form in forms.items():
            filled = filled.replace("{" + slot + "}", f"(?:{form})")
        if filled == template or any("{" + s + "}" in filled for s in _SLOTS):
            raise LexiconError(f"{lang}: state_forces template {template!r} does not fit {forms!r}")
        out.append(filled)
    return out
