"""What every ``/api/v1`` module shares: the error body, the codes each kind of operation can
answer, the typed numbers of request bodies, and who is calling.

An integrator reads the OpenAPI document, so it must say what really comes back: every error
is ``ErrorBody`` (``{"error": sentence, "status": code}``), the same body the app's exception
handlers write, and each operation lists only the codes it can return.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Request, Response
from litestar.exceptions import ClientException
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import HeaderParameter, Parameter
from msgspec import Meta

from app.core.errors import BadInput
from app.core.inputs import MAX_ID
from app.platform.web import current
from app.platform.web_errors import http_error_handler

Req = Request[Any, Any, Any]
API = {"api": True}

#: Send one per command; a retry with the same key gets the first answer.
IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        required=False,
        max_length=80,
        description="A fresh key per command (a UUID): a retry with the same key gets the "
        "first answer and changes nothing; the same key with another body is refused (409).",
    ),
]

# Each bound twice: msgspec's Meta checks the value, Litestar's Parameter puts it in the
# OpenAPI document (Litestar reads no Meta; msgspec reads no Parameter).

#: A record's id: a BIGINT, so never more than 2**63 - 1.
Id = Annotated[int, Meta(ge=1, le=MAX_ID), Parameter(ge=1, le=MAX_ID)]
#: An amount of money in minor units (cents), never negative.
Money = Annotated[int, Meta(ge=0, le=MAX_ID), Parameter(ge=0, le=MAX_ID)]
#: A check's version as read with GET /checks/{id}: the command is refused (409) if it moved.
Version = Annotated[int, Meta(ge=0, le=MAX_ID), Parameter(ge=0, le=MAX_ID)]
#: Guests at a table, a seat number, a quantity.
Count = Annotated[int, Meta(ge=1, le=1000), Parameter(ge=1, le=1000)]
#: Free text a person typed (a reason, a note).
Text = Annotated[str, Meta(max_length=2000), Parameter(max_length=2000)]
#: A staff member's PIN, for a manager's approval.
Pin = Annotated[str, Meta(max_length=64), Parameter(max_length=64)]


@dataclass
class ErrorBody:
    """Every refusal: a sentence for the person at the tablet, and the HTTP status again."""

    error: str
    status: int


_WHY = {
    400: "The request cannot be read: malformed JSON, a missing or mistyped field or parameter.",
    401: "No bearer token, or it expired or was revoked: sign in again (POST /api/v1/sessions).",
    403: "Not allowed: this role may not do it, the check is closed, or a PIN was wrong.",
    404: "The check, line, table, item, discount or staff member named does not exist.",
    409: "Someone changed it first (stale version), or the Idempotency-Key was used for "
    "another request: read the check again and retry with its version.",
    422: "Understood but wrong: an amount over the balance, nothing to fire, a missing reason.",
    413: "The body is larger than Brigade takes (1 MB).",
    429: "Too many wrong PINs: wait the Retry-After seconds before trying again.",
}

#: A read of something named in the path.
READ = (400, 401, 403, 404)
#: A command on a check or line: refusals of every kind, stale versions, reused keys.
COMMAND = (400, 401, 403, 404, 409, 422)
#: A command a manager approves with a PIN: wrong PINs are throttled.
APPROVED = (*COMMAND, 429)
#: A list with no parameters.
LISTING = (401, 403)


def errors(*codes: int) -> dict[int, ResponseSpec]:
    """The ``responses=`` of an operation: these codes, each with ErrorBody."""
    return {
        code: ResponseSpec(
            data_container=ErrorBody, description=_WHY[code], generate_examples=False
        )
        for code in codes
    }


def staff_of(request: Req) -> int:
    """The staff member behind the bearer token (kitchen devices have no one)."""
    staff_id = current(request).staff_id
    if staff_id is None:
        raise BadInput("This command needs a staff member's session, not a device's.")
    return staff_id


def needs_key(key: str | None) -> str:
    """Money moves only with a key: a retry after a timeout must find the first try."""
    if not key:
        raise BadInput(
            "Send an Idempotency-Key header with every payment: a retry with the "
            "same key is how a timed-out charge is found instead of charged again."
        )
    return key


def unreadable_body(request: Req, exc: UnicodeDecodeError) -> Response[Any]:
    """A JSON body that is not UTF-8 fails inside Litestar before any validation: it is the
    client's mistake (400, the usual error body), not the server's (it was a 500)."""
    return http_error_handler(
        request, ClientException(detail="The request body is not UTF-8 text; nothing was saved.")
    )
