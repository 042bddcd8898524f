"""Tax on lines and checks: worked examples and properties, integers only."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.check_math import CashTender, PricedLine, check_totals, tender_cash
from app.core.errors import BadInput
from app.core.tax import tax_exclusive, tax_inclusive


@pytest.mark.parametrize(
    ("net", "rate_ppm", "tax"),
    [(3800, 88_750, 337), (800, 103_750, 83), (1000, 200_000, 200), (1, 88_750, 0), (6, 88_750, 1)],
)
def test_exclusive_tax_worked_examples(net: int, rate_ppm: int, tax: int) -> None:
    # 38.00 x 8.875 % = 3.3725 -> 3.37; 8.00 x 10.375 % = 0.83; 0.06 x 8.875 % = 0.5325 cents -> 1
    assert tax_exclusive(net, rate_ppm).tax == tax


@pytest.mark.parametrize(
    ("gross", "rate_ppm", "net", "tax"),
    [(1200, 200_000, 1000, 200), (1000, 190_000, 840, 160), (999, 70_000, 934, 65)],
)
def test_inclusive_tax_worked_examples(gross: int, rate_ppm: int, net: int, tax: int) -> None:
    part = tax_inclusive(gross, rate_ppm)
    assert (part.net, part.tax) == (net, tax)


@given(
    gross=st.integers(min_value=0, max_value=10**9),
    rate=st.integers(min_value=0, max_value=500_000),
)
def test_inclusive_net_plus_tax_is_gross_exactly(gross: int, rate: int) -> None:
    part = tax_inclusive(gross, rate)
    assert part.net + part.tax == gross
    assert part.tax >= 0


@given(
    lines=st.lists(
        st.tuples(
            st.integers(1, 20), st.integers(0, 100_000), st.sampled_from([0, 88_750, 103_750])
        ),
        max_size=25,
    )
)
def test_check_total_is_lines_plus_tax(lines: list[tuple[int, int, int]]) -> None:
    priced = [PricedLine(q, p, r) for q, p, r in lines]
    totals = check_totals(priced, prices_include_tax=False)
    assert totals.subtotal == sum(q * p for q, p, _ in lines)
    assert totals.total == totals.subtotal + totals.tax
    inclusive = check_totals(priced, prices_include_tax=True)
    assert inclusive.total == inclusive.subtotal


def test_demo_steak_and_beer_check() -> None:
    totals = check_totals(
        [PricedLine(1, 3800, 88_750), PricedLine(1, 800, 103_750)], prices_include_tax=False
    )
    assert (totals.subtotal, totals.tax, totals.total) == (4600, 420, 5020)


def test_cash_gives_change_and_never_a_negative_balance() -> None:
    assert tender_cash(5020, 6000) == CashTender(applied=5020, change=980)
    assert tender_cash(5020, 2000) == CashTender(applied=2000, change=0)


@pytest.mark.parametrize(("balance", "tendered"), [(5020, 0), (5020, -100), (0, 100)])
def test_cash_that_makes_no_sense_is_refused(balance: int, tendered: int) -> None:
    with pytest.raises(BadInput):
        tender_cash(balance, tendered)


@given(
    lines=st.lists(
        st.tuples(
            st.integers(1, 20), st.integers(0, 100_000), st.sampled_from([0, 88_750]), st.booleans()
        ),
        max_size=25,
    ),
    inclusive=st.booleans(),
)
def test_total_is_lines_minus_comps_plus_tax(
    lines: list[tuple[int, int, int, bool]], inclusive: bool
) -> None:
    priced = [PricedLine(q, p, r, comped=c) for q, p, r, c in lines]
    totals = check_totals(priced, prices_include_tax=inclusive)
    assert totals.comps == sum(q * p for q, p, _, c in lines if c)
    uncomped = check_totals([x for x in priced if not x.comped], prices_include_tax=inclusive)
    assert totals.tax == uncomped.tax
    assert totals.total == totals.subtotal - totals.comps + (0 if inclusive else totals.tax)


def test_comped_dessert_costs_nothing_and_carries_no_tax() -> None:
    totals = check_totals(
        [PricedLine(1, 3800, 88_750), PricedLine(1, 900, 88_750, comped=True)],
        prices_include_tax=False,
    )
    assert (totals.subtotal, totals.comps, totals.tax, totals.total) == (4700, 900, 337, 4137)
