"""The bill always adds up: MNY-3 and MNY-4 under Hypothesis, with discounts, service charge,
shared lines and both tax roundings."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.check_math import PricedLine, check_totals
from app.core.discounts import Adjustment, service_charge, share_ppm, total_off
from app.core.errors import BadInput
from app.core.tax import PPM, taxed

RATES = st.sampled_from([0, 50_000, 88_750, 103_750, 200_000])


@st.composite
def lines(draw: st.DrawFn) -> PricedLine:
    quantity = draw(st.integers(1, 6))
    price = draw(st.integers(0, 20_000))
    count = draw(st.sampled_from([1, 1, 2, 3, 4]))
    return PricedLine(
        quantity,
        price,
        draw(RATES),
        comped=draw(st.booleans()),
        share_index=draw(st.integers(0, count - 1)),
        share_count=count,
        # Sometimes more than the line: the arithmetic must cap it, never go below zero.
        discount=draw(st.integers(0, quantity * price + 500)),
    )


ADJUSTMENTS = st.lists(
    st.one_of(
        st.builds(Adjustment, st.just("percent"), st.integers(1, PPM)),
        st.builds(Adjustment, st.just("amount"), st.integers(1, 50_000)),
    ),
    max_size=3,
)
CHECKS = st.tuples(
    st.lists(lines(), min_size=1, max_size=12),
    ADJUSTMENTS,
    st.integers(0, 300_000),
    st.booleans(),
    st.sampled_from(["line", "check"]),
)


@given(CHECKS)
def test_total_is_subtotal_less_comps_and_discounts_plus_service_and_tax(check) -> None:  # type: ignore[no-untyped-def]
    """MNY-4."""
    priced, adjustments, ppm, inclusive, rounding = check
    t = check_totals(priced, adjustments, ppm, prices_include_tax=inclusive, tax_rounding=rounding)
    tax_added = 0 if inclusive else t.tax
    assert t.total == t.subtotal - t.comps - t.discounts + t.service_charge + tax_added
    assert t.subtotal == sum(c.charged for c in t.line_charges)
    assert t.discounts == sum(c.discount for c in t.line_charges)
    assert t.tax == sum(c.tax for c in t.line_charges) == sum(r.tax for r in t.tax_lines)
    assert t.service_charge == service_charge(t.subtotal - t.comps - t.discounts, ppm)


@given(CHECKS)
def test_discounts_never_take_a_line_or_the_check_below_zero(check) -> None:  # type: ignore[no-untyped-def]
    priced, adjustments, ppm, inclusive, rounding = check
    t = check_totals(priced, adjustments, ppm, prices_include_tax=inclusive, tax_rounding=rounding)
    for line, charge in zip(priced, t.line_charges, strict=True):
        assert 0 <= charge.discount <= charge.charged
        assert 0 <= charge.tax <= (charge.due if inclusive else charge.due + 1)
        if line.comped:
            assert charge.discount == charge.tax == 0
    assert 0 <= t.discounts <= t.subtotal - t.comps
    assert t.total >= 0


@given(CHECKS)
def test_inclusive_net_plus_tax_is_gross_per_line_and_per_rate(check) -> None:  # type: ignore[no-untyped-def]
    """MNY-3: every rate's net + tax is exactly what its lines cost, and each line's tax is
    within a cent of the exact VAT in its price."""
    priced, adjustments, ppm, _, rounding = check
    t = check_totals(priced, adjustments, ppm, prices_include_tax=True, tax_rounding=rounding)
    for rate in t.tax_lines:
        gross = sum(
            c.due
            for line, c in zip(priced, t.line_charges, strict=True)
            if line.tax_rate_ppm == rate.rate_ppm and not line.comped
        )
        assert rate.base + rate.tax == gross
        assert rate.base >= 0
        exact = Fraction(gross * rate.rate_ppm, PPM + rate.rate_ppm)
        if rounding == "check":
            assert abs(rate.tax - exact) <= Fraction(1, 2)
    shared = any(line.share_count > 1 for line in priced)
    for line, c in zip(priced, t.line_charges, strict=True):
        exact = Fraction(c.due * line.tax_rate_ppm, PPM + line.tax_rate_ppm)
        if rounding == "line" and not line.comped and not shared:
            assert abs(c.tax - exact) <= Fraction(1, 2)


@given(CHECKS)
def test_check_rounding_taxes_each_rates_exact_sum_once(check) -> None:  # type: ignore[no-untyped-def]
    priced, adjustments, ppm, inclusive, _ = check
    t = check_totals(priced, adjustments, ppm, prices_include_tax=inclusive, tax_rounding="check")
    for rate in t.tax_lines:
        due = sum(
            c.due
            for line, c in zip(priced, t.line_charges, strict=True)
            if line.tax_rate_ppm == rate.rate_ppm and not line.comped
        )
        assert rate.tax == taxed(due, rate.rate_ppm, inclusive=inclusive).tax


@given(
    whole=st.builds(
        PricedLine,
        quantity=st.integers(1, 6),
        unit_price=st.integers(0, 30_000),
        tax_rate_ppm=RATES,
        discount=st.integers(0, 30_000),
    ),
    count=st.integers(2, 8),
    inclusive=st.booleans(),
)
def test_shares_of_one_item_add_up_exactly_to_the_whole_line(
    whole: PricedLine, count: int, inclusive: bool
) -> None:
    """An item shared by several checks: amounts, discounts and (per-line) tax of the shares
    sum to the unshared line's, cent for cent."""
    alone = check_totals([whole], prices_include_tax=inclusive)
    shares = [
        check_totals(
            [
                PricedLine(
                    whole.quantity,
                    whole.unit_price,
                    whole.tax_rate_ppm,
                    share_index=i,
                    share_count=count,
                    discount=whole.discount,
                )
            ],
            prices_include_tax=inclusive,
        )
        for i in range(count)
    ]
    for field in ("subtotal", "discounts", "tax", "total"):
        assert sum(getattr(s, field) for s in shares) == getattr(alone, field), field
    assert max(s.subtotal for s in shares) - min(s.subtotal for s in shares) <= 1


@given(
    amounts=st.lists(st.integers(0, 20_000), min_size=1, max_size=10),
    percent=st.integers(1, PPM),
)
def test_a_check_discount_is_spread_over_the_lines_in_proportion(
    amounts: list[int], percent: int
) -> None:
    priced = [PricedLine(1, a, 88_750) for a in amounts]
    t = check_totals(priced, [Adjustment("percent", percent)], prices_include_tax=False)
    base = sum(amounts)
    assert t.discounts == total_off(base, [Adjustment("percent", percent)])
    for amount, charge in zip(amounts, t.line_charges, strict=True):
        exact = Fraction(t.discounts * amount, base) if base else Fraction(0)
        assert abs(charge.discount - exact) < 1


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("percent", 1_000_001, "more than 100 %"),
        ("percent", 0, "more than 0 %"),
        ("percent", -50_000, "more than 0 %"),
        ("amount", 0, "more than zero"),
        ("amount", -100, "more than zero"),
        ("fraction", 1, "percent or an amount"),
    ],
)
def test_impossible_discounts_are_refused_with_a_reason(
    kind: str, value: int, message: str
) -> None:
    with pytest.raises(BadInput, match=message):
        Adjustment(kind, value)


def test_bad_inputs_to_the_totals_are_refused() -> None:
    with pytest.raises(BadInput, match="per line or per check"):
        check_totals([PricedLine(1, 100, 0)], prices_include_tax=False, tax_rounding="day")
    with pytest.raises(BadInput, match="cannot be negative"):
        check_totals([PricedLine(1, 100, 0, discount=-1)], prices_include_tax=False)
    with pytest.raises(BadInput, match="service charge cannot be negative"):
        check_totals([PricedLine(1, 100, 0)], (), -1, prices_include_tax=False)
    with pytest.raises(BadInput, match="share does not exist"):
        check_totals(
            [PricedLine(1, 100, 0, share_index=3, share_count=3)], prices_include_tax=False
        )


def test_approval_threshold_share_rounds_up() -> None:
    assert share_ppm(2000, 10_000) == 200_000  # exactly 20 %: not over a 20 % threshold
    assert share_ppm(2001, 10_000) == 200_100
    assert share_ppm(1, 3) == 333_334  # a third is just over 33.3333 %
    assert share_ppm(0, 0) == 0 and share_ppm(1, 0) == PPM
