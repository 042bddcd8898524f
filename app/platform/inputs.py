"""Reading form fields: every route's ids, whole numbers and text go through here.

The rules live in ``app/core/inputs.py``; this module only finds the field in the form.
What a route forgets is still caught: ``app/platform/input_guard.py`` refuses control
characters and out-of-range numbers before any handler runs, and turns a value that
reaches the database unread into a 422, not a 500.
"""

from __future__ import annotations

from typing import Any

from litestar.datastructures import FormMultiDict

from app.core.inputs import MAX_ID, clean_text, parse_id, parse_whole

__all__ = [
    "MAX_ID",
    "form_id",
    "form_ids",
    "form_key",
    "form_text",
    "form_whole",
    "raw",
    "raw_value",
]


def raw_value(value: Any) -> str:
    """A field's value as sent, or "" (an upload where text was expected counts as nothing)."""
    return value if isinstance(value, str) else ""


def raw(form: FormMultiDict, name: str) -> str:
    return raw_value(form.get(name, ""))


def form_text(
    form: FormMultiDict, name: str, label: str | None = None, *, limit: int = 2000
) -> str:
    """Free text (a note, a name, a reason): no control characters, at most ``limit``."""
    return clean_text(raw(form, name), label or name.capitalize(), limit=limit)


def form_key(form: FormMultiDict) -> str | None:
    """The idempotency key the page put in the form (docs/idempotency.md): a double tap
    sends it twice and its command runs once. None when the form has none."""
    return form_text(form, "key", "The form's key", limit=200) or None


def form_whole(
    form: FormMultiDict,
    name: str,
    label: str,
    *,
    low: int = -MAX_ID,
    high: int = MAX_ID,
    default: int | None = None,
    blank: tuple[str, ...] = ("",),
) -> int | None:
    """A whole number typed on a tablet; a value in ``blank`` means ``default``."""
    text = raw(form, name).strip()
    if text in blank:
        return default
    return parse_whole(text, label, low=low, high=high)


def form_id(form: FormMultiDict, name: str, what: str) -> int | None:
    """The id of a record picked on a screen; empty means none was picked."""
    text = raw(form, name).strip()
    return parse_id(text, what) if text else None


def form_ids(form: FormMultiDict, name: str, what: str) -> list[int]:
    """Several ids under one name (checkboxes)."""
    return [parse_id(raw_value(v), what) for v in form.getall(name, [])]
