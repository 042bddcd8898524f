"""The guest check, the receipt and the card slip as ESC/POS bytes; and the drawer pulse.

Rendered once per job from the bill view (``app.billing.presentation``), like kitchen
tickets: a retry prints exactly the same paper. The guest reads this one at the table, so
the total is big and the suggested tips are worked out for them; a card shows its brand and
last four digits, never more.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from escpos.printer import Dummy

from app.billing.presentation import BillPayment, BillView
from printers.receipt_paper import ReceiptSlip
from printers.render import _Slip

Money = Callable[[int], str]
#: Drawer kick on connector pin 2, the one almost every cash drawer is wired to.
KICK_PIN = 2


def _cut_here(slip: _Slip) -> None:
    """One job, several papers: the receipt and the card slips are cut apart."""
    slip.out.set(align="left", bold=False, invert=False, normal_textsize=True)
    slip.out.cut()


def _head(slip: _Slip, bill: BillView, title: str, printed: str, banner: str = "") -> None:
    slip.line(bill.location_name, big=True, bold=True, center=True)
    if banner:
        # A second paper must never be taken for a second bill (or a second payment).
        slip.line(banner, big=True, bold=True, invert=True, center=True)
    slip.line(title, bold=True, center=True)
    slip.pair(f"Table {bill.table_name}", f"Check #{bill.number}")
    slip.pair(f"Server: {bill.server_name}", f"Guests: {bill.guest_count}")
    slip.line(printed)
    slip.rule()


def _items(slip: _Slip, bill: BillView, money: Money) -> None:
    for seat in bill.seats:
        if bill.by_seat and seat.seat is not None:
            slip.line(f"Seat {seat.seat}", bold=True)
        for item in seat.items:
            count = item.share or str(item.quantity)
            price = "COMP" if item.comped else money(item.amount)
            slip.pair(f"{count} {item.name}", price)
            for modifier in item.modifiers:
                slip.line(f"+ {modifier}", indent="   ")
    slip.rule()


def _totals(slip: _Slip, bill: BillView, money: Money) -> None:
    slip.pair("Subtotal", money(bill.subtotal))
    if bill.comps:
        slip.pair("Comps", f"-{money(bill.comps)}")
    if bill.discounts:
        slip.pair(", ".join(bill.discount_names) or "Discounts", f"-{money(bill.discounts)}")
    if bill.service_charge:
        slip.pair(bill.service_charge_label, money(bill.service_charge))
    if not bill.prices_include_tax:
        for tax in bill.taxes:
            slip.pair(tax.label, money(tax.amount))
    slip.pair("TOTAL", money(bill.total), big=True)
    if bill.prices_include_tax:
        for tax in bill.taxes:
            slip.pair(tax.label, money(tax.amount))


def render_guest_check(
    bill: BillView, money: Money, *, printed: str, columns: int = 42, reprint: bool = False
) -> bytes:
    """The bill handed to the table: items, totals, and tips worked out before discounts and
    tax (app/billing/presentation.py says why)."""
    slip = ReceiptSlip(columns)
    _head(slip, bill, "GUEST CHECK", printed, "REPRINT" if reprint else "")
    _items(slip, bill, money)
    _totals(slip, bill, money)
    if bill.paid:
        slip.pair("Paid", money(bill.paid))
        slip.pair("Balance due", money(bill.balance), big=True)
    slip.rule()
    if bill.service_charge:
        slip.line(f"{bill.service_charge_label} is included.", center=True)
    elif bill.tips:
        base = money(bill.tip_base)
        # Both fit one line of a 42-column slip.
        said = (
            f"Tips on {base}, before discounts and tax"
            if bill.discounts
            else f"Suggested tip (on {base} before tax)"
        )
        slip.line(said, center=True)
        for tip in bill.tips:
            slip.pair(f"{tip.label}  {money(tip.tip)}", f"total {money(tip.total)}")
    slip.line("")
    slip.line("Thank you!", center=True)
    return slip.cut()


def _payment(slip: _Slip, payment: BillPayment, money: Money) -> None:
    slip.pair(payment.label, money(payment.amount))
    if payment.method == "cash":
        slip.pair("Cash tendered", money(payment.tendered))
        slip.pair("Change", money(payment.change))
    elif payment.tip:
        slip.pair("Tip", money(payment.tip))
        slip.pair("Charged", money(payment.amount + payment.tip))


def _card_slip(
    slip: _Slip, bill: BillView, payment: BillPayment, money: Money, printed: str, copy: str
) -> None:
    """The slip the guest writes the tip on and signs: the house keeps the merchant copy."""
    _head(slip, bill, copy, printed)
    slip.pair(payment.label, money(payment.amount))
    slip.line("")
    slip.pair("Amount", money(payment.amount))
    slip.line("")
    slip.pair("Tip", "_" * 14)
    slip.line("")
    slip.pair("Total", "_" * 14)
    slip.line("")
    slip.line("")
    slip.line("x" + "_" * (slip.columns - 2))
    slip.line("Signature", center=True)


def render_receipt(
    bill: BillView,
    money: Money,
    *,
    printed: str,
    columns: int = 42,
    payment_id: int | None = None,
    copy: bool = False,
) -> bytes:
    """The receipt: items, totals, every payment so far (cash with its change, cards by
    brand and last four); a card whose tip is still to be written gets its two slips."""
    slip = ReceiptSlip(columns)
    _head(slip, bill, "RECEIPT", printed, "COPY" if copy else "")
    _items(slip, bill, money)
    _totals(slip, bill, money)
    slip.rule()
    for payment in bill.payments:
        _payment(slip, payment, money)
    if bill.balance > 0:
        slip.pair("Balance due", money(bill.balance), big=True)
    else:
        slip.line("PAID", big=True, bold=True, center=True)
    paid_by = next((p for p in bill.payments if p.id == payment_id), None)
    if paid_by is not None and paid_by.tip_on_slip and not copy:
        slip.line("")
        slip.line("Thank you!", center=True)
        _cut_here(slip)
        _card_slip(slip, bill, paid_by, money, printed, "CUSTOMER COPY")
        _cut_here(slip)
        _card_slip(slip, bill, paid_by, money, printed, "MERCHANT COPY")
        return slip.cut()
    slip.line("")
    slip.line("Thank you!", center=True)
    return slip.cut()


def render_kick(pin: int = KICK_PIN) -> bytes:
    """``ESC p``: the pulse that opens the cash drawer on the printer's kick port."""
    return _kick_bytes(pin)


@cache
def _kick_bytes(pin: int) -> bytes:
    out = Dummy()
    out.cashdraw(pin)
    return bytes(out.output)
