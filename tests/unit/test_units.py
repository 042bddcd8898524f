"""Units convert by pint, exactly, and what does not convert is refused with a sentence."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import BadInput
from app.inventory.units import quantity, to_base


@pytest.mark.parametrize(
    ("amount", "unit", "base", "expected"),
    [
        ("1.5", "kg", "g", "1500"),
        ("12", "oz", "g", "340.1943"),
        ("2", "lb", "g", "907.1847"),
        ("3", "cl", "ml", "30"),
        ("1", "pint", "ml", "473.1765"),  # a US pint: pint's default
        ("2", "floz", "ml", "59.1471"),
        ("6", "each", "each", "6"),
        ("0.5", "pc", "each", "0.5"),
    ],
)
def test_kitchen_units_convert_to_the_base_unit(
    amount: str, unit: str, base: str, expected: str
) -> None:
    assert to_base(Decimal(amount), unit, base) == Decimal(expected)


@given(st.decimals(min_value=0, max_value=100_000, places=2))
def test_kilograms_round_trip_through_grams(kilos: Decimal) -> None:
    grams = to_base(kilos, "kg", "g")
    assert grams == kilos * 1000
    assert to_base(grams, "g", "g") == grams


@pytest.mark.parametrize(
    ("unit", "base", "says"),
    [
        ("bottle", "g", "does not know the unit 'bottle'"),
        ("kg", "ml", "kg does not convert to ml: give the pack size"),
        ("each", "g", "each does not convert to g"),
        ("kg", "bushel", "not a base unit"),
        ("kg; import os", "g", "does not know the unit"),
    ],
)
def test_what_does_not_convert_is_refused(unit: str, base: str, says: str) -> None:
    with pytest.raises(BadInput, match=says):
        to_base(Decimal(1), unit, base)


@pytest.mark.parametrize("typed", ["-1", "1e3", "١٢", "1\x00", "1.2.3", "", "  ", "9" * 20])
def test_a_quantity_typed_wrong_is_refused(typed: str) -> None:
    with pytest.raises(BadInput):
        quantity(typed)


def test_a_quantity_typed_right_is_exact() -> None:
    assert quantity(" 12.5 ") == Decimal("12.5")
