"""What a menu may hold, read from what a manager typed: names, prices, colours, choices.

Pure, so the menu editor's forms, the CSV import and the API read a value the one way and
refuse it with the same sentence.
"""

from __future__ import annotations

import re

from app.core.errors import BadInput
from app.core.inputs import clean_text, parse_whole
from app.core.money import parse_amount

#: The largest price Brigade takes for one item, in minor units: a typo of extra zeros
#: (a 1,000,000.00 burger) is refused rather than rung up.
MAX_PRICE = 100_000_000
#: Choices in a modifier group: no screen can lay out more.
MAX_CHOICES = 20
MAX_SORT = 9999
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def menu_name(raw: str, what: str, *, limit: int = 60) -> str:
    """An item, category, group or option name: one line, not empty."""
    name = clean_text(raw, f"The {what}'s name", limit=limit, lines=False).strip()
    if not name:
        raise BadInput(f"Give the {what} a name.")
    return name


def kitchen_name(raw: str) -> str:
    """What the tickets print instead of the menu name; empty means the menu name."""
    return clean_text(raw, "The kitchen name", limit=80, lines=False).strip()


def description(raw: str) -> str:
    return clean_text(raw, "The description", limit=240, lines=False).strip()


def price(raw: str, exponent: int, what: str = "The price") -> int:
    """A price as typed ("12.50") in minor units, from 0 up to MAX_PRICE."""
    text = raw.strip()
    if not text:
        raise BadInput(f"{what} is missing. Type it like 12.50.")
    try:
        minor = parse_amount(text, exponent)
    except BadInput as refusal:
        raise BadInput(f"{what}: {refusal.message}") from None
    if minor > MAX_PRICE:
        raise BadInput(f"{what} is too large: check the number of zeros.")
    return minor


def colour(raw: str) -> str:
    """A category's colour as #rrggbb (what a colour picker sends)."""
    text = raw.strip()
    if not _COLOUR.fullmatch(text):
        raise BadInput("The colour is written like #2e7d32.")
    return text.lower()


def sort_order(raw: str) -> int:
    """Where it sits on the screen, lower first; blank is 0."""
    return parse_whole(raw.strip() or "0", "The sort order", low=0, high=MAX_SORT)


def choices(raw_min: str, raw_max: str) -> tuple[int, int]:
    """A modifier group's rule: at least ``min`` and at most ``max`` options."""
    low = parse_whole(raw_min.strip() or "0", "The fewest choices", low=0, high=MAX_CHOICES)
    high = parse_whole(raw_max.strip() or "1", "The most choices", low=1, high=MAX_CHOICES)
    if low > high:
        raise BadInput(
            f"The fewest choices ({low}) is more than the most ({high}): "
            "a server could never satisfy it."
        )
    return low, high


def percent_off(raw: str) -> int:
    """A discount's percent as typed ("10", "12.5") in ppm: more than 0, at most 100."""
    text = raw.strip().removesuffix("%").strip()
    try:
        ppm = parse_amount(text, 4)  # a ten-thousandth of a percent is one part per million
    except BadInput:
        raise BadInput("The percent off is a number such as 10 or 12.5.") from None
    if not 1 <= ppm <= 1_000_000:
        raise BadInput("The percent off is more than 0 and at most 100.")
    return ppm
