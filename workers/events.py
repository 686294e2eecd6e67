"""Events stage: code the conflict and political-violence events an article reports.

Duplicates are not coded again: their story is already coded under the cluster's canonical
article, and coding it twice is how one attack becomes twenty events. Articles in a language
without a rule pack are stored with ``events_coded`` false, never coded with another
language's rules.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ingest.settings import load_settings
from schemas.messages import ArticleMessage, decode_article
from workers.eventcoding import SUPPORTED_LANGUAGES, extract_events
from workers.runtime import JobResult, StageWork, run_stage

STAGE = "events"


def code_article(msg: ArticleMessage) -> ArticleMessage:
    """Return ``msg`` with its event mentions (none for duplicates or unsupported languages)."""
    if msg.duplicate_of is not None or msg.language not in SUPPORTED_LANGUAGES:
        return msg.with_(events_coded=False, mentions=())
    mentions = extract_events(
        msg.text,
        language=msg.language,
        published_at=msg.published_at,
        title=msg.title,
        use_parser=use_parser(),
    )
    return msg.with_(events_coded=True, mentions=tuple(mentions))


@cache
def use_parser() -> bool:
    """Return whether roles come from a dependency parse where one is installed
    (NEWSWIRE_EVENTS_PARSER, read once per process like the language stage's setting; from
    the settings, not ``runtime()``: this stage needs no Redis or database)."""
    return load_settings().events_parser == "auto"


STAGE_WORK = StageWork(code_article)


def job(payload: dict[str, Any]) -> JobResult:
    """RQ job of the events stage; returns the job summary."""
    return run_stage(STAGE, payload, decode_article, STAGE_WORK.work)
