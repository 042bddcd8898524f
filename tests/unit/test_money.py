"""Money: integer minor units, parsing what cashiers type, splits that never lose a cent."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import BadInput
from app.core.money import allocate, format_money, parse_amount, split_evenly


@given(
    total=st.integers(min_value=-(10**9), max_value=10**9),
    weights=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=30).filter(
        any
    ),
)
def test_allocation_parts_sum_to_the_whole_each_within_a_cent(
    total: int, weights: list[int]
) -> None:
    parts = allocate(total, weights)
    assert sum(parts) == total
    weight_sum = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = Fraction(total * weight, weight_sum)
        assert abs(part - exact) < 1


@given(
    total=st.integers(min_value=0, max_value=10**9), parts=st.integers(min_value=1, max_value=50)
)
def test_same_split_always_gives_the_same_cents(total: int, parts: int) -> None:
    assert split_evenly(total, parts) == split_evenly(total, parts)
    shares = split_evenly(total, parts)
    assert max(shares) - min(shares) <= 1


def test_three_way_split_of_ten_dollars_loses_no_cent() -> None:
    assert split_evenly(1000, 3) == [334, 333, 333]


@pytest.mark.parametrize("weights", [[], [0, 0], [1, -1]])
def test_split_into_nothing_is_refused(weights: list[int]) -> None:
    with pytest.raises(BadInput):
        allocate(100, weights)


def test_split_into_zero_parts_is_refused() -> None:
    with pytest.raises(BadInput, match="at least one part"):
        split_evenly(100, 0)


@pytest.mark.parametrize(
    ("typed", "exponent", "minor"),
    [
        ("12", 2, 1200),
        ("12.5", 2, 1250),
        ("12,50", 2, 1250),
        (" 0.07 ", 2, 7),
        ("1500", 0, 1500),
        ("1.234", 3, 1234),
    ],
)
def test_typed_amounts_become_minor_units(typed: str, exponent: int, minor: int) -> None:
    assert parse_amount(typed, exponent) == minor


@pytest.mark.parametrize("typed", ["", "abc", "-5", "1.234", "12.5.0", "1e3", "NaN"])
def test_bad_amounts_are_refused_with_a_message(typed: str) -> None:
    with pytest.raises(BadInput):
        parse_amount(typed, 2)


@given(minor=st.integers(min_value=0, max_value=10**12))
def test_formatted_amount_parses_back_to_the_same_cents(minor: int) -> None:
    shown = format_money(minor, "USD").replace("$", "").replace(",", "")
    assert parse_amount(shown, 2) == minor


def test_money_is_formatted_in_the_locale() -> None:
    assert format_money(123456, "USD", "en_US") == "$1,234.56"
    assert format_money(123456, "EUR", "de_DE") == "1.234,56\xa0€"
    assert format_money(1500, "JPY", "ja_JP") == "￥1,500"
