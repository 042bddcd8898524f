"""Split by amount: guests name what they pay, the last pays the rest, each part carries its
share of the check's tax (MNY-2), under Hypothesis."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import BadInput
from app.core.split import MAX_PARTS, Part, amount_parts

#: A Prawn Cocktail 15.00 and a Charcuterie Board 22.00 at 8.875 % (1.33 + 1.95), a Negroni
#: 14.00 and a Prosecco 12.00 at 10.375 % (1.45 + 1.25): 63.00 + 5.98 tax = 68.98.
TOTAL, TAX = 6898, 598


def test_thirty_on_a_card_twenty_five_in_cash_and_the_rest() -> None:
    # Exact tax shares: 598 × 3000/6898 = 260.08, × 2500/6898 = 216.73, × 1398/6898 = 121.20;
    # the floors leave one cent, which goes to the largest remainder (.73): not the biggest
    # part, and not the rest.
    assert amount_parts(TOTAL, TAX, [3000, 2500]) == [
        Part(3000, 260),
        Part(2500, 217),
        Part(1398, 121),
    ]


def test_once_the_card_is_paid_the_rest_of_the_plan_keeps_its_cents() -> None:
    assert amount_parts(TOTAL, TAX, [2500], paid=3000) == [Part(2500, 217), Part(1398, 121)]
    assert amount_parts(TOTAL, TAX, [], paid=5500) == [Part(1398, 121)]


def test_amounts_that_take_the_whole_check_leave_no_rest_part() -> None:
    assert [p.total for p in amount_parts(TOTAL, TAX, [4000, 2898])] == [4000, 2898]


def test_no_amount_typed_is_one_part_for_everything_owed() -> None:
    assert amount_parts(TOTAL, TAX, []) == [Part(TOTAL, TAX)]


@pytest.mark.parametrize(
    ("amounts", "paid", "message"),
    [
        ([0], 0, "more than zero"),
        ([3000, -500], 0, "more than zero"),
        ([5000, 1899], 0, "more than is owed"),
        ([2500], 5000, "more than is owed"),
        ([100] * MAX_PARTS, 0, f"at most {MAX_PARTS} parts"),
        ([], TOTAL, "Nothing is owed"),
        ([100], TOTAL + 1, "Nothing is owed"),
        ([100], -1, "less than nothing"),
    ],
)
def test_refusals_say_why(amounts: list[int], paid: int, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        amount_parts(TOTAL, TAX, amounts, paid=paid)


def test_twenty_amounts_that_take_the_whole_check_are_twenty_parts() -> None:
    parts = amount_parts(2000, 160, [100] * MAX_PARTS)
    assert len(parts) == MAX_PARTS and sum(p.tax for p in parts) == 160


@st.composite
def checks_and_amounts(draw: st.DrawFn) -> tuple[int, int, list[int]]:
    total = draw(st.integers(1, 2_000_000))
    tax = draw(st.integers(0, total))
    amounts: list[int] = []
    left = total
    for _ in range(draw(st.integers(0, MAX_PARTS - 1))):
        if left == 0:
            break
        amount = draw(st.integers(1, left))
        amounts.append(amount)
        left -= amount
    return total, tax, amounts


@given(checks_and_amounts())
def test_parts_sum_to_the_check_and_its_tax_each_within_a_cent(
    case: tuple[int, int, list[int]],
) -> None:
    total, tax, amounts = case
    parts = amount_parts(total, tax, amounts)
    assert sum(p.total for p in parts) == total
    assert sum(p.tax for p in parts) == tax
    assert [p.total for p in parts[: len(amounts)]] == amounts  # each guest pays what they said
    for part in parts:
        assert abs(part.tax - Fraction(tax * part.total, total)) < 1
    assert parts == amount_parts(total, tax, list(amounts))  # same input, same cents


@given(checks_and_amounts())
def test_after_the_first_guest_pays_the_others_owe_the_same(
    case: tuple[int, int, list[int]],
) -> None:
    total, tax, amounts = case
    if not amounts or amounts[0] == total:
        return
    before = amount_parts(total, tax, amounts)
    after = amount_parts(total, tax, amounts[1:], paid=amounts[0])
    assert after == before[1:]
    owed = total - amounts[0]
    assert sum(p.total for p in after) == owed
    assert abs(sum(p.tax for p in after) - Fraction(tax * owed, total)) < 1
    for part in after:
        assert abs(part.tax - Fraction(tax * part.total, total)) < 1
