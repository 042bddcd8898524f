"""Refusals that come from the framework or the database, said as sentences.

Litestar says "Not Found" and "Validation failed for POST /x"; PostgreSQL says
"invalid byte sequence for encoding UTF8: 0x00". Staff and integrators get a sentence
instead, with a 4xx: the request was wrong, not the server.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotFoundException,
    ValidationException,
)
from sqlalchemy.exc import DBAPIError

from app.platform.web_errors import error_response, http_error_handler, unexpected_error_handler

log = logging.getLogger(__name__)

#: SQLSTATEs a request's own values cause: the value was wrong, the server was not.
#: (22012 division by zero and the like stay 500s: those are bugs in Brigade.)
_TOO_LARGE = "A number sent is too large for Brigade; nothing was saved."
_BAD_TEXT = (
    "Text sent holds a character Brigade cannot keep (such as NUL); nothing was saved. Retype it."
)
INPUT_STATES = {
    "22000": _TOO_LARGE,  # asyncpg: "invalid input for query argument: value out of range"
    "22003": _TOO_LARGE,  # numeric_value_out_of_range
    "22008": "A date or time sent is out of range; nothing was saved.",
    "22001": "A text sent is too long; nothing was saved.",
    "22021": _BAD_TEXT,  # character_not_in_repertoire (NUL in text)
    "22P05": _BAD_TEXT,  # untranslatable_character
    "54000": "A text sent is too long; nothing was saved.",  # index row too big
}


def database_error_handler(request: Request[Any, Any, Any], exc: DBAPIError) -> Response[Any]:
    """A value that got past a route's parsing and that PostgreSQL refused: a 422."""
    state = str(getattr(exc.orig, "sqlstate", "") or "")
    message = INPUT_STATES.get(state)
    if message is None:
        return unexpected_error_handler(request, exc)
    # A route let this through unparsed: say which, so it gets its own rule.
    log.warning(
        "input refused by the database", extra={"path": request.url.path, "sqlstate": state}
    )
    return error_response(request, 422, message)


def _field_problems(exc: ValidationException) -> str:
    extra = exc.extra if isinstance(exc.extra, list) else []
    problems = []
    for item in extra[:3]:
        if isinstance(item, dict):
            key = str(item.get("key") or "").strip() or "the request"
            problems.append(f"{key}: {str(item.get('message') or 'not valid').rstrip('.')}")
    return "; ".join(problems)


def validation_error_handler(
    request: Request[Any, Any, Any], exc: ValidationException
) -> Response[Any]:
    """Which field was wrong and how, not only "Validation failed for POST /x"."""
    problems = _field_problems(exc)
    detail = str(exc.detail)
    if detail.startswith("Validation failed for") or not detail.endswith("."):
        detail = "Part of the request is not valid"
        detail = f"{detail} ({problems})." if problems else f"{detail}."
    return error_response(request, exc.status_code, detail)


def framework_error_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    """Litestar's bare "Not Found" / "Method Not Allowed", as sentences."""
    if isinstance(exc, NotFoundException) and exc.detail in ("Not Found", ""):
        return error_response(request, 404, "There is nothing at this address.")
    if isinstance(exc, MethodNotAllowedException):
        return error_response(
            request, 405, f"This address does not take a {request.method} request."
        )
    return http_error_handler(request, exc)


#: For ``Litestar(exception_handlers=...)``: the most specific class wins.
INPUT_ERROR_HANDLERS: dict[
    int | type[Exception], Callable[[Request[Any, Any, Any], Any], Response[Any]]
] = {
    DBAPIError: database_error_handler,
    ValidationException: validation_error_handler,
    NotFoundException: framework_error_handler,
    MethodNotAllowedException: framework_error_handler,
}
