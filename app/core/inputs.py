"""What a typed value may be: record ids, whole numbers and text, read the one way.

Every form field, query value and path number is read through these (the web layer's
``app/platform/inputs.py`` wraps them for forms). The rules, and why:

- Numbers are ASCII digits, checked with ``fullmatch`` and a length cap *before* ``int()``:
  Python's ``int()`` also reads "١٢" (Arabic-Indic digits) and refuses 5,000 digits only
  after the work; ``"²".isdigit()`` is true but ``int("²")`` raises.
- A record id runs from 1 to 2**63 - 1, PostgreSQL's BIGINT: a larger one can name nothing,
  and sent to the database it fails as a server error instead of "not found".
- Text holds no control characters (NUL cannot be stored in PostgreSQL text at all; the
  others only hide things from staff), and no lone surrogates (they cannot be encoded).
  Tab and line breaks are kept where a field is multi-line (notes, reasons).
"""

from __future__ import annotations

import re

from app.core.errors import BadInput, NotFound

#: The largest value of a BIGINT column, so the largest id, amount or count Brigade stores.
MAX_ID = 2**63 - 1
#: Digits in MAX_ID: a longer run of digits is refused before int() is asked to read it.
MAX_DIGITS = len(str(MAX_ID))

_WHOLE = re.compile(rf"-?[0-9]{{1,{MAX_DIGITS}}}")  # used with fullmatch
_DIGITS = re.compile(r"-?[0-9]+")
_ID = re.compile(rf"[0-9]{{1,{MAX_DIGITS}}}")
#: C0 controls but tab/LF/CR, DEL, C1 controls, and lone surrogates.
_CONTROL_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def has_control(value: str, *, lines: bool = True) -> bool:
    """Whether text holds a character no field accepts (NUL, other controls, a surrogate)."""
    return bool((_CONTROL_LINES if lines else _CONTROL_ONE_LINE).search(value))


def parse_whole(raw: str, label: str, *, low: int = -MAX_ID, high: int = MAX_ID) -> int:
    """A whole number typed by a person, between low and high, or a refusal naming it."""
    text = raw.strip()
    if not _DIGITS.fullmatch(text):
        shown = f", not {text[:20]}" if text and not has_control(text) else ""
        raise BadInput(f"{label} must be a whole number{shown}.")
    # The length first, so a 5,000-digit paste is never given to int().
    if len(text.lstrip("-")) > MAX_DIGITS or not low <= int(text) <= high:
        if (low, high) == (-MAX_ID, MAX_ID):
            raise BadInput(f"{label} is too large a number.")
        raise BadInput(f"{label} must be between {low} and {high}.")
    return int(text)


def is_whole(text: str) -> bool:
    """Whether text is a whole number as Brigade reads them: ASCII digits, within BIGINT."""
    return bool(_WHOLE.fullmatch(text)) and abs(int(text)) <= MAX_ID


def is_id(text: str) -> bool:
    """Whether text is an id as Brigade writes ids: ASCII digits, 1 to MAX_ID."""
    return bool(_ID.fullmatch(text)) and 1 <= int(text) <= MAX_ID


def parse_id(raw: str, what: str) -> int:
    """The id of a record (a table, check, item ...) from a form, path or query value.

    An id that cannot exist is "not found", as an id nobody has: the screen was stale or the
    address was typed by hand, and the answer is the same sentence either way."""
    text = raw.strip()
    if not is_id(text):
        raise NotFound(f"There is no {what} with that number.")
    return int(text)


def clean_text(raw: str, label: str, *, limit: int = 2000, lines: bool = True) -> str:
    """Text from a person: refused if too long or holding a control character."""
    if len(raw) > limit:
        raise BadInput(f"{label} is too long: keep it under {limit} characters.")
    if has_control(raw, lines=lines):
        raise BadInput(
            f"{label} holds a control character (such as NUL) that Brigade cannot keep; retype it."
        )
    return raw
