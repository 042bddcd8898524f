"""No card number gets in, and none gets out in a log line (PCI DSS; RELIABILITY PAY-3).

Brigade has no field for a card number: the terminal reads the card. This guard is the net
under that rule for every free-text field (notes, reasons, names, amounts): a form or JSON
body holding a Luhn-valid 13-19 digit number is refused before any handler runs, so it can
be neither stored nor echoed back in an error message. Log records are masked too.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from app.core.card_numbers import has_card_number, mask_card_numbers
from app.core.errors import BadInput
from app.platform.input_guard import BODY, body_kind, multipart_fields, parse_json

#: Machine-made fields: random keys whose hex may hold digit runs by chance.
EXEMPT_FIELDS = frozenset({"key", "_csrf", "idempotency_key", "token"})
REFUSAL = (
    "That looks like a card number. Never type card numbers into Brigade: "
    "the card terminal reads the card. Nothing was saved."
)


def _texts(value: Any, name: str = "") -> list[str]:
    """Every string in a JSON value, except under exempt keys."""
    if name in EXEMPT_FIELDS:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [str(value)]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in _texts(v, str(k))]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v, name)]
    return []


#: What could turn fewer than 13 digits in the raw body into a card number once parsed: an
#: escaped character (JSON ``\u0034``, form ``%34``) or a JSON number with an exponent.
_MAY_HIDE_DIGITS = re.compile(rb"\\u|%|[0-9.][eE][-+]?[0-9]")
_DIGITS = b"0123456789"


def _too_few_digits(body: bytes) -> bool:
    """A card number has at least 13 digits: most bodies (a tender, a version) hold fewer,
    and then parsing them and scanning every field can be skipped."""
    if len(body) > 4096 or _MAY_HIDE_DIGITS.search(body):
        return False
    return sum(body.count(d) for d in _DIGITS) < 13


def body_has_card_number(kind: str, options: dict[str, str], body: bytes) -> bool:
    """``kind`` and ``options`` as ``input_guard.body_kind`` reads the request."""
    if not kind or _too_few_digits(body):
        return False
    text = body.decode("utf-8", "replace")
    if kind == "form":
        pairs = parse_qsl(text, keep_blank_values=True)
        return any(has_card_number(v) for k, v in pairs if k not in EXEMPT_FIELDS)
    if kind == "multipart":
        # Uploads are skipped; every text field is scanned as a urlencoded one is.
        fields = multipart_fields(body, options.get("boundary", ""))
        return any(has_card_number(v) for k, v in fields if k not in EXEMPT_FIELDS)
    parsed = parse_json(body)
    if parsed is None:
        return has_card_number(text)
    return any(has_card_number(t) for t in _texts(parsed))


class CardNumberGuard(ASGIMiddleware):
    """Refuse request bodies carrying a card number; mask card numbers in log records.

    Reads the body ``BodyReader`` already holds, classified as ``InputGuard`` classifies it,
    so a body the handler reads as text is never one this guard skipped."""

    scopes = ("http",)  # type: ignore[assignment]

    def __init__(self) -> None:
        install_log_masking()

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        body = scope.get(BODY)
        if isinstance(body, bytes) and body:
            kind, options = body_kind(scope)
            if body_has_card_number(kind, options, body):
                raise BadInput(REFUSAL)
        await next_app(scope, receive, send)


def _masked(value: Any) -> Any:
    return mask_card_numbers(value) if isinstance(value, str) else value


def install_log_masking() -> None:
    """Every log record, from any logger, has card-like numbers masked in its message and
    arguments as it is made (``extra`` fields are set later by logging: keep them to ids)."""
    current = logging.getLogRecordFactory()
    if getattr(current, "masks_card_numbers", False):
        return
    make: Callable[..., logging.LogRecord] = current

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make(*args, **kwargs)
        if isinstance(record.msg, str):
            record.msg = mask_card_numbers(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_masked(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _masked(v) for k, v in record.args.items()}
        return record

    factory.masks_card_numbers = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
