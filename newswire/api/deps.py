"""What every route shares: a read-only session per request and the parameter errors."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from fastapi import Query, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.orm import Session

#: Free-text parameters: no control characters (PostgreSQL refuses NUL in text outright).
TEXT_PATTERN = r"^[^\x00-\x1f\x7f]*$"
#: The largest page a client may ask for; keeps one request's work bounded.
MAX_LIMIT = 500
#: Offsets past this are refused: no real page is that deep, and SQLite's integers are finite.
MAX_OFFSET = 1_000_000


def session(request: Request) -> Iterator[Session]:
    """Yield a session on the app's read-only engine, closed after the request."""
    with request.app.state.sessions() as s:
        yield s


def bad_param(name: str, message: str, value: Any = None) -> RequestValidationError:
    """Return the error for a query parameter ``name`` that is wrong in a way ``message`` says.

    It is answered like FastAPI's own validation errors (422, ``detail`` list), so clients
    handle every bad parameter the same way.
    """
    return RequestValidationError(
        [{"loc": ("query", name), "msg": message, "type": "value_error", "input": value}]
    )


def single_values(request: Request) -> None:
    """Refuse a query parameter given more than once (every parameter here takes one value).

    Without this the last value would silently win, hiding a client's mistake.
    """
    seen: set[str] = set()
    for key, _value in request.query_params.multi_items():
        if key in seen:
            raise bad_param(key, "given more than once; it takes a single value")
        seen.add(key)


#: A calendar date: the schema says so ("format": "date") and the pattern holds it to
#: YYYY-MM-DD (a plain ``date`` parameter would also take numbers as Unix timestamps).
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


def parse_date(name: str, raw: str | None) -> str | None:
    """Return ``raw`` (YYYY-MM-DD) if it is a real calendar date, None if absent; else a 422."""
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw).isoformat()
    except ValueError:
        raise bad_param(name, f"{raw!r} is not a calendar date (YYYY-MM-DD)", raw) from None


def date_query(description: str) -> Any:
    """Return the declaration of an optional YYYY-MM-DD query parameter."""
    return Query(
        pattern=DATE_PATTERN, description=description, json_schema_extra={"format": "date"}
    )


def date_range(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """Return (since, until) as ISO dates; a 422 if either is no date or since is after until."""
    start, end = parse_date("since", since), parse_date("until", until)
    if start and end and start > end:
        raise bad_param("since", f"since ({start}) is after until ({end})", since)
    return start, end
