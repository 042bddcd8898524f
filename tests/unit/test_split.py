"""Splits always add up: every kind, under Hypothesis (MNY-2)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.check_math import PricedLine, check_totals
from app.core.errors import BadInput
from app.core.split import by_amounts, by_seat, evenly, split_lines
from app.core.tax import taxed

LINES = st.lists(
    st.builds(
        PricedLine,
        quantity=st.integers(1, 6),
        unit_price=st.integers(0, 20_000),
        tax_rate_ppm=st.sampled_from([0, 88_750, 103_750, 200_000]),
        comped=st.booleans(),
    ),
    min_size=1,
    max_size=15,
)


@given(lines=LINES, data=st.data(), inclusive=st.booleans())
def test_any_split_sums_to_the_check_and_each_part_is_within_a_cent(lines, data, inclusive) -> None:  # type: ignore[no-untyped-def]
    parts = data.draw(st.integers(1, 8))
    shares = [
        data.draw(
            st.dictionaries(
                st.integers(0, parts - 1), st.integers(1, 5), min_size=1, max_size=parts
            )
        )
        for _ in lines
    ]
    split = split_lines(lines, shares, parts, prices_include_tax=inclusive)
    totals = check_totals(lines, prices_include_tax=inclusive)
    assert sum(p.total for p in split) == totals.total
    assert sum(p.tax for p in split) == totals.tax
    for index, part in enumerate(split):
        exact = Fraction(0)
        for line, share in zip(lines, shares, strict=True):
            if line.comped:
                continue
            tax = taxed(line.amount, line.tax_rate_ppm, inclusive=inclusive).tax
            due = line.amount + (0 if inclusive else tax)
            exact += Fraction(due * share.get(index, 0), sum(share.values()))
        assert abs(part.total - exact) < 1
    assert split == split_lines(lines, shares, parts, prices_include_tax=inclusive)


def test_four_seats_with_a_shared_bottle() -> None:
    steak, fish, salad, soup, wine = (
        PricedLine(1, p, 88_750) for p in (3800, 2800, 1100, 900, 4400)
    )
    parts = by_seat(
        [steak, fish, salad, soup, wine], [1, 2, 3, 4, None], 4, prices_include_tax=False
    )
    whole = check_totals([steak, fish, salad, soup, wine], prices_include_tax=False)
    assert sum(p.total for p in parts) == whole.total
    # Seat 1: the steak with its tax (337) plus a quarter of the wine with its tax (4790/4).
    assert parts[0].total in (3800 + 337 + 1197, 3800 + 337 + 1198)


@given(total=st.integers(0, 10**7), parts=st.integers(1, 30))
def test_even_split_of_any_total(total: int, parts: int) -> None:
    shares = evenly(total, parts)
    assert sum(shares) == total and max(shares) - min(shares) <= 1


@pytest.mark.parametrize("parts", [0, -2])
def test_split_into_zero_parts_is_refused(parts: int) -> None:
    with pytest.raises(BadInput):
        evenly(1000, parts)
    with pytest.raises(BadInput):
        split_lines([PricedLine(1, 100, 0)], [{0: 1}], parts, prices_include_tax=False)


def test_amounts_over_the_balance_are_refused() -> None:
    assert by_amounts(5000, [2000, 1000]) == [2000, 1000, 2000]
    assert by_amounts(5000, [2000, 3000]) == [2000, 3000]
    with pytest.raises(BadInput, match="more than the check"):
        by_amounts(5000, [4000, 2000])
    with pytest.raises(BadInput, match="more than zero"):
        by_amounts(5000, [0])


def test_a_line_for_no_one_or_a_missing_part_is_refused() -> None:
    with pytest.raises(BadInput, match="at least one part"):
        split_lines([PricedLine(1, 100, 0)], [{}], 2, prices_include_tax=False)
    with pytest.raises(BadInput, match="does not exist"):
        split_lines([PricedLine(1, 100, 0)], [{5: 1}], 2, prices_include_tax=False)
    with pytest.raises(BadInput, match="Seat 7"):
        by_seat([PricedLine(1, 100, 0)], [7], 4, prices_include_tax=False)
