"""``/events``, ``/events/{event_id}`` and ``/event-types``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from sqlalchemy.orm import Session

from newswire.api.deps import (
    MAX_LIMIT,
    MAX_OFFSET,
    TEXT_PATTERN,
    bad_param,
    date_query,
    date_range,
    session,
)
from newswire.api.models import ErrorOut, EventOut, EventPage, EventTypeCount
from newswire.api.queries import BBox, EventFilter, event_types, find_events, get_event

router = APIRouter(tags=["events"])
DB = Annotated[Session, Depends(session)]


def parse_bbox(raw: str | None) -> BBox | None:
    """Return the box ``west,south,east,north`` (degrees) or None; raise a 422 if malformed."""
    if raw is None or raw == "":
        return None
    parts = raw.split(",")
    if len(parts) != 4:
        raise bad_param("bbox", "expected four numbers: west,south,east,north", raw)
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise bad_param("bbox", "expected four numbers: west,south,east,north", raw) from None
    for name, value, bound in (("west", west, 180), ("east", east, 180)):
        if not -bound <= value <= bound:
            raise bad_param("bbox", f"{name} longitude {value} is outside -180..180", raw)
    for name, value in (("south", south), ("north", north)):
        if not -90 <= value <= 90:
            raise bad_param("bbox", f"{name} latitude {value} is outside -90..90", raw)
    if south > north:
        raise bad_param("bbox", f"south ({south}) is above north ({north})", raw)
    return BBox(west, south, east, north)


@router.get("/events", response_model=EventPage, summary="Search events")
def list_events(
    db: DB,
    *,
    since: Annotated[str | None, date_query("event date on or after (YYYY-MM-DD)")] = None,
    until: Annotated[str | None, date_query("event date on or before (YYYY-MM-DD)")] = None,
    country: Annotated[
        str | None, Query(pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2")
    ] = None,
    admin1: Annotated[
        str | None,
        Query(max_length=128, pattern=TEXT_PATTERN, description="ISO 3166-2 code or name"),
    ] = None,
    event_type: Annotated[
        str | None, Query(max_length=64, pattern=TEXT_PATTERN, description="ACLED event type")
    ] = None,
    sub_event_type: Annotated[
        str | None, Query(max_length=64, pattern=TEXT_PATTERN, description="ACLED sub-event type")
    ] = None,
    actor: Annotated[
        str | None, Query(max_length=200, pattern=TEXT_PATTERN, description="actor name contains")
    ] = None,
    bbox: Annotated[
        str | None,
        Query(max_length=200, description="west,south,east,north in degrees (west>east wraps)"),
    ] = None,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            pattern=TEXT_PATTERN,
            description="text in the place, province, sub-event type or an evidence sentence",
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> dict[str, Any]:
    """Return the events matching every given filter, newest event date first, one page."""
    start, end = date_range(since, until)
    f = EventFilter(
        since=start,
        until=end,
        country=country,
        admin1=admin1 or None,
        event_type=event_type or None,
        sub_event_type=sub_event_type or None,
        actor=actor or None,
        bbox=parse_bbox(bbox),
        q=q or None,
    )
    total, items = find_events(db, f, limit=limit, offset=offset)
    return {"total": total, "limit": limit, "offset": offset, "items": items}


#: Event ids are 32-bit integers in the schema (PostgreSQL refuses larger ones in a comparison).
MAX_EVENT_ID = 2**31 - 1


@router.get(
    "/events/{event_id}",
    response_model=EventOut,
    responses={404: {"model": ErrorOut, "description": "no such event"}},
    summary="One event with all its mentions",
)
def event_detail(db: DB, event_id: Annotated[int, Path(ge=1, le=MAX_EVENT_ID)]) -> dict[str, Any]:
    """Return one event with every mention: sentence, article, URL and language."""
    record = get_event(db, event_id)
    if record is None:
        raise HTTPException(404, f"no event {event_id}")
    return record


@router.get("/event-types", response_model=list[EventTypeCount], summary="Types present")
def list_event_types(db: DB) -> list[dict[str, Any]]:
    """Return each event and sub-event type present in the data with its number of events."""
    return event_types(db)
