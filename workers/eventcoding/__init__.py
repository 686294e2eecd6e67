"""Event coding: ACLED/PLOVER-coded event mentions from news text (events/GUIDELINES.md).

Rule-based and data-driven: every cue, alias and place lives in ``data/*.json``, so a new
language is mostly a new ``data/<lang>.json``. Modules: ``lexicon`` (data loading),
``sentences``, ``rules`` (type cues and whether the act happened), ``dates``, ``numbers``,
``gazetteer``, ``states`` (the actor catalogue, state forces generated from adjectives),
``actors`` (with ``syntax``, roles from a dependency parse where one is installed),
``article`` (the article-level pass) and ``merge``.
"""

from __future__ import annotations

from schemas.events import EventMention

from . import syntax
from .article import extract
from .lexicon import available_languages
from .lexicon import lexicon as load_lexicon
from .merge import merge_mentions, same_event

__all__ = [
    "EXTRACTOR_VERSION",
    "SUPPORTED_LANGUAGES",
    "extract_events",
    "load_parsers",
    "merge_mentions",
    "same_event",
]

#: Bump whenever rules or data change what is extracted.
EXTRACTOR_VERSION = "rules-3.38"
SUPPORTED_LANGUAGES: frozenset[str] = available_languages()


def extract_events(
    text: str,
    *,
    language: str | None,
    published_at: str | None,
    title: str | None = None,
    use_parser: bool = False,
) -> list[EventMention]:
    """Return the event mentions in ``text`` (an article body), in text order.

    ``language`` is an ISO 639-1 code (a region suffix such as "fr-FR" is ignored); the result
    is [] when it is None or unsupported. ``published_at`` (ISO 8601 with offset, or RFC 822)
    anchors relative dates in its own time zone; None means now. Raises ValueError when
    ``published_at`` is not a date. ``use_parser`` reads roles from a dependency parse where
    the language has a parser installed (``syntax``; NEWSWIRE_EVENTS_PARSER in the workers).
    """
    if not language or not text:
        return []
    lang = language.strip().lower().replace("_", "-").split("-")[0]
    if lang not in SUPPORTED_LANGUAGES:
        return []
    lex = load_lexicon(lang)
    return extract(text, lex, published_at, title, EXTRACTOR_VERSION, use_parser=use_parser)


def load_parsers() -> dict[str, str | None]:
    """Load the dependency parser of every language whose pack names one; return, per such
    language, "<model>-<version>" or None when the model is not installed."""
    out: dict[str, str | None] = {}
    for lang in sorted(SUPPORTED_LANGUAGES):
        lex = load_lexicon(lang)
        if lex.raw.get("parser"):
            out[lang] = syntax.tag(lex)
    return out
