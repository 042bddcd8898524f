"""Quantities in the units a kitchen says, converted by pint (never hand-written factors).

An ingredient is counted in a base unit: grams for what is weighed, millilitres for what
is poured, "each" for what is counted (buns, eggs, bottles of a wine). A recipe or a
delivery may say kilograms, pounds, ounces, litres, cups or fluid ounces: pint converts them
to the base unit, exactly (as decimals). What does not convert — grams to bottles — is
refused with a sentence: a bottle becomes grams only through a pack size (a purchase unit of
the ingredient), never by guessing.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

import pint

from app.core.errors import BadInput

#: The base unit of each kind of ingredient, as pint names it.
PINT_BASE = {"g": "gram", "ml": "milliliter", "each": "each"}
#: The most digits a quantity keeps after the point (the database's Numeric(16, 4)).
PLACES = Decimal("0.0001")
TOO_MUCH = Decimal("999999999999")


@cache
def registry() -> Any:  # pint.UnitRegistry (its generics are not for callers)
    units: Any = pint.UnitRegistry(non_int_type=Decimal)
    # Counted things: "each", and the words kitchens use for one of them.
    units.define("each = [count] = ea = pc = piece = portion")
    return units


def quantity(text: str) -> Decimal:
    """A quantity someone typed: ASCII digits, one point, not negative, not absurd."""
    raw = (text or "").strip()
    if not raw or not raw.isascii() or raw.count(".") > 1 or not raw.replace(".", "").isdigit():
        raise BadInput(f"{raw[:20]!r} is not a quantity: use digits and a point (12.5).")
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:  # pragma: no cover (the digits check above)
        raise BadInput(f"{raw[:20]!r} is not a quantity.") from exc
    if value > TOO_MUCH:
        raise BadInput("That quantity is too large for the stock ledger.")
    return value


def to_base(amount: Decimal, unit: str, base_unit: str) -> Decimal:
    """``amount`` of ``unit`` in ``base_unit`` ("g", "ml" or "each"), to 4 places."""
    units = registry()
    if base_unit not in PINT_BASE:
        raise BadInput(f"{base_unit!r} is not a base unit: use g, ml or each.")
    try:
        given = units.Quantity(amount, units.parse_units(unit.strip()))
    except (pint.UndefinedUnitError, pint.errors.DefinitionSyntaxError, AttributeError) as exc:
        raise BadInput(f"Brigade does not know the unit {unit[:20]!r}.") from exc
    except (ValueError, TypeError) as exc:
        raise BadInput(f"Brigade does not know the unit {unit[:20]!r}.") from exc
    try:
        converted = given.to(PINT_BASE[base_unit]).magnitude
    except pint.DimensionalityError as exc:
        raise BadInput(
            f"{unit} does not convert to {base_unit}: give the pack size (how many "
            f"{base_unit} in one {unit}) as a purchase unit instead."
        ) from exc
    return Decimal(converted).quantize(PLACES)
