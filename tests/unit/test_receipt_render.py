"""Golden guest checks and receipts: the ESC/POS bytes decoded back to what the guest reads."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from app.billing.presentation import (
    BillItem,
    BillPayment,
    BillSeat,
    BillView,
    TaxRow,
    percent,
    tip_suggestions,
)
from app.core.money import format_money
from printers.decode import Line, decode, text_lines
from printers.receipt import render_guest_check, render_kick, render_receipt

RULE = "-" * 42
NOON = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)


def money(minor: int) -> str:
    return format_money(minor, "USD")


TABLE_5 = BillView(
    check_id=1,
    number=12,
    status="open",
    location_name="Brigade Bistro",
    table_name="5",
    server_name="Maria",
    guest_count=2,
    opened_at=NOON,
    closed_at=None,
    presented_at=None,
    timezone="UTC",
    seats=(
        BillSeat(
            None,
            (
                BillItem("Ribeye 12oz", 1, ("Medium rare", "Mash"), 3400),
                BillItem("IPA Draft", 2, (), 1400),
                BillItem("Bottle Rioja", 1, (), 1334, share="1/3"),
                BillItem("Birthday cake", 1, (), 900, comped=True),
            ),
        ),
    ),
    by_seat=False,
    subtotal=7034,
    comps=900,
    discount_names=(),
    discounts=0,
    service_charge=0,
    service_charge_label="Service charge",
    taxes=(TaxRow("Tax 8.875%", 544),),
    tax=544,
    prices_include_tax=False,
    total=6678,
    tip_base=6134,
    tips=tip_suggestions(6134, 6678, "150000,180000,200000"),
    payments=(),
    paid=0,
    balance=6678,
    change_given=0,
)
ITEMS = [
    "1 Ribeye 12oz                       $34.00",
    "   + Medium rare",
    "   + Mash",
    "2 IPA Draft                         $14.00",
    "1/3 Bottle Rioja                    $13.34",
    "1 Birthday cake                       COMP",
    RULE,
    "Subtotal                            $70.34",
    "Comps                               -$9.00",
    "Tax 8.875%                           $5.44",
    "TOTAL          $66.78",
]
HEAD = [
    "Brigade Bistro",
    "Table 5                          Check #12",
    "Server: Maria                    Guests: 2",
    "2026-11-23 19:42",
    RULE,
]


def test_guest_check_shows_items_totals_and_tips_worked_out_before_tax() -> None:
    lines = text_lines(render_guest_check(TABLE_5, money, printed="2026-11-23 19:42"))

    assert lines == [
        HEAD[0],
        "GUEST CHECK",
        *HEAD[1:],
        *ITEMS,
        RULE,
        "Suggested tip (on $61.34 before tax)",
        "15%  $9.20                    total $75.98",
        "18%  $11.04                   total $77.82",
        "20%  $12.27                   total $79.05",
        "",
        "Thank you!",
        "[cut]",
    ]


def test_a_discounted_check_says_its_tips_are_worked_out_before_the_discount() -> None:
    """The tablet's bill says "before discounts and tax"; the paper one must say the same."""
    discounted = replace(TABLE_5, discounts=1500)
    lines = text_lines(render_guest_check(discounted, money, printed="x"))
    assert "Tips on $61.34, before discounts and tax" in lines


def test_a_second_print_of_the_check_says_reprint_big_and_white_on_black() -> None:
    events = decode(render_guest_check(TABLE_5, money, printed="x", reprint=True))
    banner = next(e for e in events if isinstance(e, Line) and e.text == "REPRINT")
    assert banner.big and banner.inverted


def test_a_check_with_a_service_charge_suggests_no_tip() -> None:
    party = replace(TABLE_5, service_charge=1104, service_charge_label="Gratuity 18%", tips=())
    lines = text_lines(render_guest_check(party, money, printed="x"))
    assert "Gratuity 18%                        $11.04" in lines
    assert "Gratuity 18% is included." in lines
    assert not any("Suggested tip" in line for line in lines)


CASH = BillPayment(7, "cash", "Cash", 6678, 0, 10000, 3322, tip_on_slip=False)
VISA = BillPayment(8, "card", "VISA ****4242", 6678, 0, 6678, 0, tip_on_slip=True)


def test_cash_receipt_shows_tendered_and_change_and_paid() -> None:
    paid = replace(TABLE_5, status="closed", payments=(CASH,), paid=6678, balance=0)
    lines = text_lines(render_receipt(paid, money, printed="2026-11-23 19:42", payment_id=7))

    assert lines == [
        HEAD[0],
        "RECEIPT",
        *HEAD[1:],
        *ITEMS,
        RULE,
        "Cash                                $66.78",
        "Cash tendered                      $100.00",
        "Change                              $33.22",
        "PAID",
        "",
        "Thank you!",
        "[cut]",
    ]


def test_card_receipt_with_tip_to_write_prints_the_customer_and_merchant_slips() -> None:
    paid = replace(TABLE_5, status="closed", payments=(VISA,), paid=6678, balance=0)
    lines = text_lines(render_receipt(paid, money, printed="x", payment_id=8))

    assert lines.count("[cut]") == 3  # receipt, customer copy, merchant copy
    slips = "\n".join(lines).split("[cut]")
    for slip, copy in ((slips[1], "CUSTOMER COPY"), (slips[2], "MERCHANT COPY")):
        assert copy in slip
        assert "VISA ****4242                       $66.78" in slip
        assert "Tip                         ______________" in slip
        assert "Total                       ______________" in slip
        assert "Signature" in slip
    # Never more of a card than its brand and last four.
    assert "4242" in slips[0] and "****4242" in slips[0]


def test_card_with_tip_on_the_terminal_shows_tip_and_charge_and_no_slip() -> None:
    tipped = replace(VISA, tip=1200, tip_on_slip=False)
    paid = replace(TABLE_5, status="closed", payments=(tipped,), paid=6678, balance=0)
    lines = text_lines(render_receipt(paid, money, printed="x", payment_id=8))
    assert "Tip                                 $12.00" in lines
    assert "Charged                             $78.78" in lines
    assert lines.count("[cut]") == 1


def test_receipt_copy_says_copy_and_skips_the_slips() -> None:
    paid = replace(TABLE_5, status="closed", payments=(VISA,), paid=6678, balance=0)
    lines = text_lines(render_receipt(paid, money, printed="x", payment_id=8, copy=True))
    assert lines[1] == "COPY"
    assert lines.count("[cut]") == 1


def test_split_by_seat_prints_each_seat_heading() -> None:
    seats = (
        BillSeat(1, (BillItem("Salmon", 1, (), 2600, seat=1),)),
        BillSeat(2, (BillItem("Risotto", 1, (), 2200, seat=2),)),
    )
    bill = replace(TABLE_5, seats=seats, by_seat=True)
    lines = text_lines(render_guest_check(bill, money, printed="x"))
    assert lines[lines.index("Seat 1") + 1].startswith("1 Salmon")
    assert lines[lines.index("Seat 2") + 1].startswith("1 Risotto")


def test_drawer_kick_is_the_escpos_pulse_on_pin_2_and_prints_nothing() -> None:
    kick = render_kick()
    assert kick.startswith(b"\x1bp\x00")  # ESC p 0 t1 t2
    assert text_lines(kick) == []


def test_typed_text_cannot_become_printer_commands() -> None:
    evil = BillItem("Soup\x1bi\x1dV\x00", 1, ("x\x1bp\x00",), 500)
    bill = replace(TABLE_5, seats=(BillSeat(None, (evil,)),))
    payload = render_guest_check(bill, money, printed="x")
    assert b"\x1bp\x00" not in payload
    assert text_lines(payload).count("[cut]") == 1


def test_percent_labels_are_exact() -> None:
    assert [percent(p) for p in (150000, 88750, 200000, 1)] == ["15%", "8.875%", "20%", "0.0001%"]


@given(st.integers(0, 10**9), st.integers(1, 1_000_000))
def test_suggested_tip_is_the_percentage_rounded_half_up_in_integers(base: int, ppm: int) -> None:
    (suggestion,) = tip_suggestions(base, base, str(ppm))
    # Within half a cent of the exact share (compared times 2 × 10⁶: no floats).
    assert abs(2 * suggestion.tip * 1_000_000 - 2 * base * ppm) <= 1_000_000
    # Exactly half a cent rounds up.
    if (base * ppm) % 1_000_000 == 500_000:
        assert suggestion.tip * 1_000_000 > base * ppm
    assert suggestion.total == base + suggestion.tip


def test_a_mistyped_tip_setting_drops_only_that_suggestion() -> None:
    tips = tip_suggestions(10000, 10000, "150000, abc,-5,²,2000000,200000")
    assert [(t.label, t.tip) for t in tips] == [("15%", 1500), ("20%", 2000)]
