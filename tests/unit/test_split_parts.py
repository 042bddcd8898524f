"""Splitting a check into real parts always adds up (MNY-2), for every kind of split."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.check_math import CheckTotals, PricedLine, check_totals
from app.core.errors import BadInput
from app.core.split import MAX_PARTS, even_plan, part_lines, seat_plan

LINE = st.builds(
    PricedLine,
    quantity=st.integers(1, 6),
    unit_price=st.integers(0, 20_000),
    tax_rate_ppm=st.sampled_from([0, 88_750, 103_750, 200_000]),
    comped=st.booleans(),
)
LINES = st.lists(LINE, min_size=1, max_size=15)


def _totals(lines: list[PricedLine], inclusive: bool) -> CheckTotals:
    return check_totals(lines, prices_include_tax=inclusive)


def _assert_parts_sum(whole: list[PricedLine], parts: list[list[PricedLine]], inc: bool) -> None:
    check = _totals(whole, inc)
    each = [_totals(part, inc) for part in parts]
    assert sum(p.subtotal for p in each) == check.subtotal
    assert sum(p.comps for p in each) == check.comps
    assert sum(p.tax for p in each) == check.tax
    assert sum(p.total for p in each) == check.total


@given(lines=LINES, parts=st.integers(2, MAX_PARTS), inclusive=st.booleans())
def test_even_split_parts_sum_exactly_to_the_check(lines, parts, inclusive) -> None:  # type: ignore[no-untyped-def]
    plan = even_plan(lines, parts, prices_include_tax=inclusive)
    split = part_lines(lines, plan, parts)
    _assert_parts_sum(lines, split, inclusive)
    # Every part carries a share of every line.
    assert all(len(part) == len(lines) for part in split)
    # The same split always gives the same cents.
    assert plan == even_plan(lines, parts, prices_include_tax=inclusive)


@given(lines=LINES, parts=st.integers(2, MAX_PARTS))
def test_each_even_part_is_within_two_cents_of_its_exact_share(lines, parts) -> None:  # type: ignore[no-untyped-def]
    # Within two today with tax on top: each line's bigger shares go to the parts with the
    # fewest extra cents, which keeps the parts' extras within 2 of each other (see below).
    split = part_lines(lines, even_plan(lines, parts, prices_include_tax=False), parts)
    exact = Fraction(_totals(lines, False).total, parts)
    assert all(abs(_totals(part, False).total - exact) < 2 for part in split)


def test_one_line_in_seven_parts_is_within_a_cent_of_its_exact_share() -> None:
    # 20.78 at 10.375 %: 22.94 in seven parts is 3.2771 each: every part pays 3.27 or 3.28.
    line = [PricedLine(1, 2078, 103_750)]
    split = part_lines(line, even_plan(line, 7, prices_include_tax=False), 7)
    exact = Fraction(_totals(line, False).total, 7)
    assert all(abs(_totals(part, False).total - exact) < 1 for part in split)


@given(lines=LINES, parts=st.integers(2, 8))
def test_each_even_part_is_within_a_cent_when_prices_include_tax(lines, parts) -> None:  # type: ignore[no-untyped-def]
    split = part_lines(lines, even_plan(lines, parts, prices_include_tax=True), parts)
    exact = Fraction(_totals(lines, True).total, parts)
    assert all(abs(_totals(part, True).total - exact) < 1 for part in split)


@given(data=st.data(), lines=LINES, inclusive=st.booleans())
def test_seat_split_parts_sum_exactly_to_the_check(data, lines, inclusive) -> None:  # type: ignore[no-untyped-def]
    seats = [data.draw(st.one_of(st.none(), st.integers(1, 6))) for _ in lines]
    if len({s for s in seats if s is not None}) < 2:
        with pytest.raises(BadInput, match="Only one seat"):
            seat_plan(lines, seats, prices_include_tax=inclusive)
        return
    seated, plan = seat_plan(lines, seats, prices_include_tax=inclusive)
    split = part_lines(lines, plan, len(seated))
    _assert_parts_sum(lines, split, inclusive)
    for seat, holders in zip(seats, plan, strict=True):
        if seat is None:  # the table's items: one share for every seat
            assert sorted(holders) == list(range(len(seated)))
        else:
            assert holders == (seated.index(seat),)
    assert (seated, plan) == seat_plan(lines, seats, prices_include_tax=inclusive)


@given(data=st.data(), lines=LINES, inclusive=st.booleans())
def test_any_mix_of_moved_and_shared_items_sums_exactly(data, lines, inclusive) -> None:  # type: ignore[no-untyped-def]
    parts = data.draw(st.integers(2, 6))
    plan = [
        tuple(data.draw(st.permutations(range(parts)))[: data.draw(st.integers(1, parts))])
        for _ in lines
    ]
    _assert_parts_sum(lines, part_lines(lines, plan, parts), inclusive)


def test_four_seats_and_a_shared_bottle_by_seat() -> None:
    steak, fish, salad, soup, wine = (
        PricedLine(1, p, 88_750) for p in (3800, 2800, 1100, 900, 4400)
    )
    lines = [steak, fish, salad, soup, wine]
    seated, plan = seat_plan(lines, [1, 2, 3, 4, None], prices_include_tax=False)
    assert seated == [1, 2, 3, 4]
    split = part_lines(lines, plan, 4)
    seat_one = _totals(split[0], False)
    # The steak with its tax (337) and a quarter of the wine with a quarter of its tax (391).
    assert seat_one.subtotal == 3800 + 1100
    assert seat_one.tax in (337 + 97, 337 + 98)
    _assert_parts_sum(lines, split, False)


def test_odd_cents_go_round_the_parts_not_always_to_the_first() -> None:
    # Three coffees of 1.00 split three ways: whoever takes the odd cent of one line does not
    # take it again on the next.
    coffees = [PricedLine(1, 100, 0) for _ in range(3)]
    split = part_lines(coffees, even_plan(coffees, 3, prices_include_tax=False), 3)
    assert [_totals(part, False).total for part in split] == [100, 100, 100]


@pytest.mark.parametrize("parts", [-1, 0, 1, MAX_PARTS + 1])
def test_even_split_into_a_silly_number_of_parts_is_refused(parts: int) -> None:
    with pytest.raises(BadInput, match=r"at (least 2|most 20) parts"):
        even_plan([PricedLine(1, 100, 0)], parts, prices_include_tax=False)


def test_nothing_to_split_or_an_item_for_nobody_is_refused() -> None:
    with pytest.raises(BadInput, match="nothing on this check"):
        even_plan([], 2, prices_include_tax=False)
    line = PricedLine(1, 100, 0)
    with pytest.raises(BadInput, match="different parts"):
        part_lines([line], [(0, 0)], 2)
    with pytest.raises(BadInput, match="does not exist"):
        part_lines([line], [(3,)], 2)
    shared = PricedLine(1, 100, 0, share_index=1, share_count=2)
    with pytest.raises(BadInput, match="already shared"):
        part_lines([shared], [(0, 1)], 2)
