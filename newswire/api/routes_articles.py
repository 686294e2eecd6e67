"""``/articles`` and ``/articles/{article_id}``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from sqlalchemy.orm import Session

from newswire.api.deps import (
    MAX_LIMIT,
    MAX_OFFSET,
    TEXT_PATTERN,
    date_query,
    date_range,
    session,
)
from newswire.api.models import ArticleDetail, ArticlePage, ErrorOut
from newswire.api.queries import ArticleFilter, find_articles, get_article

router = APIRouter(tags=["articles"])
DB = Annotated[Session, Depends(session)]


@router.get("/articles", response_model=ArticlePage, summary="Search articles")
def list_articles(
    db: DB,
    *,
    since: Annotated[str | None, date_query("published on or after (YYYY-MM-DD)")] = None,
    until: Annotated[str | None, date_query("published on or before (YYYY-MM-DD)")] = None,
    language: Annotated[
        str | None, Query(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})?$", description="ISO 639-1")
    ] = None,
    status: Annotated[Literal["stored", "skipped"] | None, Query()] = None,
    q: Annotated[
        str | None,
        Query(max_length=200, pattern=TEXT_PATTERN, description="text in the title or URL"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> dict[str, Any]:
    """Return the articles matching every given filter, most recently stored first."""
    start, end = date_range(since, until)
    f = ArticleFilter(
        since=start,
        until=end,
        language=language,
        status=status,
        q=q or None,
    )
    total, items = find_articles(db, f, limit=limit, offset=offset)
    return {"total": total, "limit": limit, "offset": offset, "items": items}


@router.get(
    "/articles/{article_id}",
    response_model=ArticleDetail,
    responses={404: {"model": ErrorOut, "description": "no such article"}},
    summary="One article and the events it reports",
)
def article_detail(
    db: DB, article_id: Annotated[str, Path(min_length=1, max_length=64, pattern=TEXT_PATTERN)]
) -> dict[str, Any]:
    """Return one article record with the ids of the events it reports."""
    record = get_article(db, article_id)
    if record is None:
        raise HTTPException(404, f"no article {article_id!r}")
    return record
