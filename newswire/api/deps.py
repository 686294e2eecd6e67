"""What every route shares: a read-only session per request and the parameter errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import Request
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
