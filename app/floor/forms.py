"""Reading the floor screens' forms: numbers typed on a tablet, in words staff understand."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from litestar import Request
from litestar.datastructures import FormMultiDict

from app.core.errors import BadInput


def text(form: FormMultiDict, name: str) -> str:
    return str(form.get(name, "") or "")


def whole(form: FormMultiDict, name: str, label: str) -> int:
    """A whole number from a form field; anything else is refused, naming the field."""
    raw = text(form, name).strip()
    try:
        return int(raw)
    except ValueError:
        shown = f", not {raw}" if raw else ""
        raise BadInput(f"{label} must be a whole number{shown}.") from None


def maybe_id(form: FormMultiDict, name: str) -> int | None:
    """An id from a picker; empty means "none" (e.g. a table in nobody's section)."""
    raw = text(form, name).strip()
    return whole(form, name, name.capitalize()) if raw else None


def key(form: FormMultiDict) -> str | None:
    """The idempotency key the page put in the form: a double tap runs once."""
    return text(form, "key") or None


def showing_mine(request: Request[Any, Any, Any]) -> bool:
    """Whether the tablet that sent this htmx request has "my tables" on (kept in its URL)."""
    query = urlsplit(request.headers.get("hx-current-url", "")).query
    return parse_qs(query).get("mine", [""])[0] in ("1", "true")
