"""Money as integers in minor units (cents), never floats.

Every amount in Brigade is an ``int`` counting the currency's smallest unit. The currency's
exponent (2 for USD/EUR, 0 for JPY, 3 for KWD) says where the decimal point goes when a person
reads or types it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency, get_currency_precision

from app.core.errors import BadInput

# ASCII digits only: \d alone also matches "١٢", which int() would read as 12.
_AMOUNT = re.compile(r"^\s*(\d{1,12})(?:[.,](\d*))?\s*$", re.ASCII)


def currency_exponent(currency: str) -> int:
    """Digits after the decimal point for ``currency`` (ISO 4217), e.g. 2 for USD."""
    return int(str(get_currency_precision(currency)))


def parse_amount(text: str, exponent: int) -> int:
    """Read an amount a person typed ("12", "12.5", "12,50") into minor units.

    Refuses negatives, more decimals than the currency has, and anything that is not a number,
    because a cashier's typo must never become money.
    """
    match = _AMOUNT.match(text or "")
    if not match:
        raise BadInput(f"“{text}” is not an amount. Type it like 12.50.")
    whole, frac = match.group(1), match.group(2) or ""
    if len(frac) > exponent:
        raise BadInput(f"“{text}” has more than {exponent} decimal places.")
    scale: int = 10**exponent
    return int(whole) * scale + int(frac.ljust(exponent, "0") or "0")


def to_decimal(minor: int, exponent: int) -> Decimal:
    """The exact decimal value of ``minor`` units, for display and exports only."""
    try:
        return Decimal(minor).scaleb(-exponent)
    except InvalidOperation as exc:  # pragma: no cover - Decimal of an int cannot fail
        raise BadInput(str(exc)) from exc


def format_money(minor: int, currency: str, locale: str = "en_US") -> str:
    """Format for people, in the location's locale: 1234 USD -> "$12.34"."""
    exponent = currency_exponent(currency)
    return str(format_currency(to_decimal(minor, exponent), currency, locale=locale))


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` so the parts sum exactly to ``total``.

    Largest-remainder method: each part gets the floor of its exact share, then the units left
    over go one each to the parts with the largest remainders (ties to the earlier part). So
    every part is within one minor unit of its exact share and the same input always gives the
    same cents -- a split check never loses or invents a cent.
    """
    if not weights:
        raise BadInput("Cannot split into zero parts.")
    if any(w < 0 for w in weights):
        raise BadInput("Split weights cannot be negative.")
    weight_sum = sum(weights)
    if weight_sum == 0:
        raise BadInput("At least one part must have a share.")
    sign = -1 if total < 0 else 1
    magnitude = abs(total)
    floors = [magnitude * w // weight_sum for w in weights]
    remainders = [magnitude * w % weight_sum for w in weights]
    left = magnitude - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:left]:
        floors[i] += 1
    return [sign * part for part in floors]


def split_evenly(total: int, parts: int) -> list[int]:
    """``total`` in ``parts`` equal shares (the first ones carry any extra cent)."""
    if parts < 1:
        raise BadInput("Split into at least one part.")
    return allocate(total, [1] * parts)
