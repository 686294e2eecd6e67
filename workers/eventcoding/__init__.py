"""Event coding: ACLED/PLOVER-coded event mentions from news text (events/GUIDELINES.md).

Rule-based and data-driven: every cue, alias and place lives in ``data/*.json``, so a new
language is mostly a new ``data/<lang>.json``. Modules: ``lexicon`` (data loading),
``sentences``, ``rules`` (type cues and whether the act happened), ``dates``, ``numbers``,
``gazetteer``, ``actors``, ``article`` (the article-level pass) and ``merge``.
"""

from __future__ import annotations

from schemas.events import EventMention

from .article import extract
from .lexicon import available_languages
from .lexicon import lexicon as load_lexicon
from .merge import merge_mentions, same_event

__all__ = [
    "EXTRACTOR_VERSION",
    "SUPPORTED_LANGUAGES",
    "extract_events",
    "merge_mentions",
    "same_event",
]

#: Bump whenever rules or data change what is extracted.
EXTRACTOR_VERSION = "rules-1.6"
SUPPORTED_LANGUAGES: frozenset[str] = available_languages()


def extract_events(
    text: str, *, language: str | None, published_at: str | None, title: str | None = None
) -> list[EventMention]:
    """Return the event mentions in ``text`` (an article body), in text order.

    ``language`` is an ISO 639-1 code (a region suffix such as "fr-FR" is ignored); the result
    is [] when it is None or unsupported. ``published_at`` (ISO 8601 with offset, or RFC 822)
    anchors relative dates in its own time zone; None means now. Raises ValueError when
    ``published_at`` is not a date.
    """
    if not language or not text:
        return []
    lang = language.strip().lower().replace("_", "-").split("-")[0]
    if lang not in SUPPORTED_LANGUAGES:
        return []
    return extract(text, load_lexicon(lang), published_at, title, EXTRACTOR_VERSION)
