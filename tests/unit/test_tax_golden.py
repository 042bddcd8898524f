"""Worked bills, checked to the cent: tax per line and per check, prices with and without tax.

Each table was worked out by hand (the arithmetic is in the comments) before the code ran, so
a change in rounding, in the order discounts come off, or in what the service charge is
charged on shows up here as a wrong cent.
"""

from __future__ import annotations

import pytest

from app.core.check_math import CheckTotals, LineCharge, PricedLine, TaxLine, check_totals
from app.core.discounts import Adjustment

FOOD, ZERO = 88_750, 0  # 8.875 % (New York City), and untaxed
REDUCED, STANDARD = 100_000, 200_000  # 10 % and 20 % VAT


# --- A US bill: prices before tax --------------------------------------------------------
#
#   line            qty  price  line discount   after  10 % check off   due   tax 8.875 %
#   Ribeye            1   3800                   3800        380        3420  303.525 -> 304
#   Fries             2    650  $2 off (200)     1100        110         990   87.8625 ->  88
#   Sparkling water   1    300                    300         30         270    0
#   Wine (comped)     1   4400  (comp: no tax, no discount)
#
#   subtotal 9800, comps 4400, discounts 200 + 520 = 720, discounted subtotal 4680
#   service charge 18 % of 4680 = 842.4 -> 842 (no tax on it)
#   per line: tax 304 + 88 = 392;   per check: 4410 x 8.875 % = 391.3875 -> 391
US_LINES = [
    PricedLine(1, 3800, FOOD),
    PricedLine(2, 650, FOOD, discount=200),
    PricedLine(1, 300, ZERO),
    PricedLine(1, 4400, FOOD, comped=True),
]
US_LINE_CHARGES = (
    LineCharge(charged=3800, discount=380, tax=304),
    LineCharge(charged=1300, discount=310, tax=88),
    LineCharge(charged=300, discount=30, tax=0),
    LineCharge(charged=4400, discount=0, tax=0),
)


def test_us_bill_with_tax_rounded_on_every_line() -> None:
    totals = check_totals(
        US_LINES, [Adjustment("percent", 100_000)], 180_000, prices_include_tax=False
    )
    assert totals == CheckTotals(
        subtotal=9800,
        tax=392,
        total=4680 + 842 + 392,
        comps=4400,
        discounts=720,
        service_charge=842,
        tax_lines=(TaxLine(FOOD, base=4410, tax=392),),
        line_charges=US_LINE_CHARGES,
    )


def test_us_bill_with_tax_rounded_once_on_the_check() -> None:
    totals = check_totals(
        US_LINES,
        [Adjustment("percent", 100_000)],
        180_000,
        prices_include_tax=False,
        tax_rounding="check",
    )
    assert (totals.tax, totals.total) == (391, 4680 + 842 + 391)
    assert totals.tax_lines == (TaxLine(FOOD, base=4410, tax=391),)
    # The rate's one rounded tax is handed back to its lines by largest remainder:
    # 391 x 3420/4410 = 303.2 -> 303, 391 x 990/4410 = 87.8 -> 88.
    assert [c.tax for c in totals.line_charges] == [303, 88, 0, 0]


# --- A European bill: prices include VAT --------------------------------------------------
#
#   line        qty  price  line discount  after   EUR 5 off spread     due    net (half-up)
#   Steak 10 %    1   2450                  2450   241.6 -> 242        2208   2007.27 -> 2007
#   Wine 20 %     3    595                  1785   176.0 -> 176        1609   1340.83 -> 1341
#   Coffee 20 %   2    255                   510    50.3 ->  50         460    383.33 ->  383
#   Cake 10 %     1    650  50 % (325)       325    32.1 ->  32         293    266.36 ->  266
#   (the 5.00 is spread 241+176+50+32 = 499, the last cent to the largest remainder, Steak)
#
#   subtotal 5395, discounts 325 + 500 = 825, discounted subtotal 4570
#   service charge 10 % of 4570 = 457;  total 5395 - 825 + 457 = 5027 (VAT is inside it)
#   per line:  10 %: tax 201 + 27 = 228 on net 2273;  20 %: 268 + 77 = 345 on net 1724
#   per check: 10 %: 2501 / 1.1 = 2273.64 -> net 2274, tax 227;
#              20 %: 2069 / 1.2 = 1724.17 -> net 1724, tax 345
EU_LINES = [
    PricedLine(1, 2450, REDUCED),
    PricedLine(3, 595, STANDARD),
    PricedLine(2, 255, STANDARD),
    PricedLine(1, 650, REDUCED, discount=325),
]


@pytest.mark.parametrize(
    ("rounding", "tax_lines", "line_taxes"),
    [
        ("line", (TaxLine(REDUCED, 2273, 228), TaxLine(STANDARD, 1724, 345)), [201, 268, 77, 27]),
        ("check", (TaxLine(REDUCED, 2274, 227), TaxLine(STANDARD, 1724, 345)), [200, 268, 77, 27]),
    ],
)
def test_eu_bill_prices_include_vat(
    rounding: str, tax_lines: tuple[TaxLine, ...], line_taxes: list[int]
) -> None:
    totals = check_totals(
        EU_LINES,
        [Adjustment("amount", 500)],
        100_000,
        prices_include_tax=True,
        tax_rounding=rounding,
    )
    assert (totals.subtotal, totals.discounts, totals.service_charge) == (5395, 825, 457)
    assert totals.total == 5027  # the same either way: VAT is carved out, not added
    assert totals.tax_lines == tax_lines
    assert totals.tax == sum(t.tax for t in tax_lines)
    assert [c.due for c in totals.line_charges] == [2208, 1609, 460, 293]
    assert [c.tax for c in totals.line_charges] == line_taxes
    for rate in tax_lines:  # net + VAT = what the guest paid for those lines, exactly
        assert rate.base + rate.tax == {REDUCED: 2208 + 293, STANDARD: 1609 + 460}[rate.rate_ppm]


# --- One bottle shared three ways ---------------------------------------------------------
#
#   Whole line 10.00, 10 % off = 1.00, so 9.00 at 8.875 % = 79.875 -> 80 tax.
#   share   amount (of 1000)   discount (of 100)   tax (of 80)
#   1/3          334                 34                27
#   2/3          333                 33                27
#   3/3          333                 33                26
#   Taxing each share on its own would give 300 x 8.875 % = 26.6 -> 27 three times = 81:
#   one cent more than the unshared bottle. Sharing the whole line's tax keeps it at 80.
@pytest.mark.parametrize(
    ("index", "charged", "discount", "tax"), [(0, 334, 34, 27), (1, 333, 33, 27), (2, 333, 33, 26)]
)
def test_a_shared_bottle_carries_its_share_of_the_whole_lines_discount_and_tax(
    index: int, charged: int, discount: int, tax: int
) -> None:
    bottle = PricedLine(1, 1000, FOOD, share_index=index, share_count=3, discount=100)
    totals = check_totals([bottle], prices_include_tax=False)
    assert totals.line_charges == (LineCharge(charged, discount, tax),)
    assert (totals.subtotal, totals.discounts, totals.tax) == (charged, discount, tax)
    assert totals.total == charged - discount + tax


def test_auto_gratuity_on_a_party_of_eight_is_on_the_discounted_food_and_untaxed() -> None:
    # 8 x 25.00 = 200.00, staff meal 50 % off the check = 100.00 left; 18 % of that = 18.00;
    # tax 8.875 % on 100.00 = 8.875 -> 8.88 per line: 8 lines of 12.50 each 1.109375 -> 1.11,
    # 8.88 in all.
    lines = [PricedLine(1, 2500, FOOD) for _ in range(8)]
    totals = check_totals(
        lines, [Adjustment("percent", 500_000)], 180_000, prices_include_tax=False
    )
    assert (totals.discounts, totals.service_charge, totals.tax) == (10_000, 1800, 888)
    assert totals.total == 20_000 - 10_000 + 1800 + 888
