"""Reading the floor screens' forms: numbers typed on a tablet, in words staff understand."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from litestar import Request
from litestar.datastructures import FormMultiDict

from app.core.inputs import parse_whole
from app.platform import inputs


def text(form: FormMultiDict, name: str) -> str:
    return inputs.form_text(form, name)


def whole(form: FormMultiDict, name: str, label: str) -> int:
    """A whole number from a form field; anything else is refused, naming the field."""
    return parse_whole(inputs.raw(form, name), label)


def maybe_id(form: FormMultiDict, name: str) -> int | None:
    """An id from a picker; empty means "none" (e.g. a table in nobody's section)."""
    raw = inputs.raw(form, name).strip()
    return whole(form, name, name.capitalize()) if raw else None


def key(form: FormMultiDict) -> str | None:
    """The idempotency key the page put in the form: a double tap runs once."""
    return text(form, "key") or None


def showing_mine(request: Request[Any, Any, Any]) -> bool:
    """Whether the tablet that sent this htmx request has "my tables" on (kept in its URL)."""
    query = urlsplit(request.headers.get("hx-current-url", "")).query
    return parse_qs(query).get("mine", [""])[0] in ("1", "true")
