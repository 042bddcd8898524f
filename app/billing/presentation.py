"""The bill as the guest sees it, on the tablet, handed over, or on paper.

Built from the order screen's ``check_view`` (so the bill never disagrees with the check),
plus what only the bill shows: shares of a shared item, discount names, tax per rate,
suggested tips, and the payments with their change. Presenting it is in ``present.py``.

Suggested tips follow the usual US practice: a percentage of the food and drink before tax,
because tax is not the server's service, and before discounts, because a discount is the
house's gift, not a smaller service (a 30 % discount must not cut the suggested tip by 30 %).
Comped items stay out: nothing was sold. A check that already carries a service charge
(auto-gratuity) suggests no tip: the gratuity is included.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.models import Payment
from app.core.check_math import PricedLine, check_totals
from app.core.errors import NotFound
from app.core.money import allocate
from app.core.tax import PPM
from app.orders.models import Check
from app.orders.views import CheckView, check_view
from app.platform.models import Location


def percent(ppm: int) -> str:
    """150000 -> "15%", 88750 -> "8.875%": integers only, no float rounding."""
    whole, rest = divmod(ppm, 10_000)
    return f"{whole}.{rest:04d}".rstrip("0").rstrip(".") + "%"


@dataclass(frozen=True, slots=True)
class BillItem:
    name: str
    quantity: int
    modifiers: tuple[str, ...]
    amount: int
    seat: int | None = None
    comped: bool = False
    #: "1/3" when one item is shared by several checks.
    share: str = ""


@dataclass(frozen=True, slots=True)
class BillSeat:
    seat: int | None
    items: tuple[BillItem, ...]


@dataclass(frozen=True, slots=True)
class TaxRow:
    label: str
    amount: int


@dataclass(frozen=True, slots=True)
class TipSuggestion:
    label: str  # "18%"
    tip: int
    total: int  # the check's total with this tip


@dataclass(frozen=True, slots=True)
class BillPayment:
    id: int
    method: str
    label: str  # "Cash", "VISA ****4242": never more of a card than the last four
    amount: int
    tip: int
    tendered: int
    change: int
    #: A card slip whose tip the guest writes in: print "Tip ____ Total ____".
    tip_on_slip: bool


@dataclass(frozen=True, slots=True)
class BillView:
    check_id: int
    number: int
    status: str
    location_name: str
    table_name: str
    server_name: str
    guest_count: int
    opened_at: datetime
    closed_at: datetime | None
    presented_at: datetime | None
    timezone: str
    seats: tuple[BillSeat, ...]
    #: Split by seat: the bill shows each seat's heading.
    by_seat: bool
    subtotal: int
    comps: int
    discount_names: tuple[str, ...]
    discounts: int
    service_charge: int
    service_charge_label: str
    taxes: tuple[TaxRow, ...]
    tax: int
    prices_include_tax: bool
    total: int
    tip_base: int
    tips: tuple[TipSuggestion, ...]
    payments: tuple[BillPayment, ...]
    paid: int
    balance: int
    change_given: int

    @property
    def items(self) -> list[BillItem]:
        return [item for seat in self.seats for item in seat.items]


def tip_suggestions(base: int, total: int, setting: str) -> tuple[TipSuggestion, ...]:
    """Each configured percentage of ``base``, rounded half up to the minor unit."""
    out = []
    for raw in setting.split(","):
        raw = raw.strip()
        if not raw.isascii() or not raw.isdigit() or not 0 < int(raw) <= PPM:
            continue  # a mistyped setting drops that suggestion, never the bill
        tip = (max(base, 0) * int(raw) + PPM // 2) // PPM
        out.append(TipSuggestion(percent(int(raw)), tip, total + tip))
    return tuple(out)


def tip_base(view: CheckView) -> int:
    """What suggested tips are a percentage of: the sold (not comped) food and drink as priced
    before any discount, net of tax. With tax-inclusive prices the tax is worked out again
    on the undiscounted lines, so the base is what the net would have been."""
    full = check_totals(
        [
            PricedLine(
                ln.quantity,
                ln.unit_price,
                ln.tax_rate_ppm,
                ln.comped,
                share_index=ln.share_index,
                share_count=ln.share_count,
            )
            for ln in view.lines
            if ln.counts
        ],
        prices_include_tax=view.prices_include_tax,
        tax_rounding=view.tax_rounding,
    )
    base = full.subtotal - full.comps - (full.tax if view.prices_include_tax else 0)
    return max(base, 0)


def card_label(brand: str | None, last4: str | None) -> str:
    return f"{(brand or 'Card').upper()} ****{last4}" if last4 else (brand or "Card").upper()


# Built once: a bill is read for every receipt, so on every payment.
_PAYMENTS = (
    select(
        Payment.id,
        Payment.method,
        Payment.card_brand,
        Payment.card_last4,
        Payment.amount,
        Payment.tip,
        Payment.tendered,
        Payment.change,
        Payment.tip_adjusted_at,
    )
    .where(Payment.check_id == bindparam("check_id"))
    .order_by(Payment.id)
)


async def _payments(session: AsyncSession, check_id: int) -> tuple[BillPayment, ...]:
    rows = await session.execute(_PAYMENTS, {"check_id": check_id})
    return tuple(
        BillPayment(
            p.id,
            p.method,
            "Cash" if p.method == "cash" else card_label(p.card_brand, p.card_last4),
            p.amount,
            p.tip,
            p.tendered,
            p.change,
            tip_on_slip=p.method == "card" and p.tip == 0 and p.tip_adjusted_at is None,
        )
        for p in rows.all()
    )


async def bill_view(
    session: AsyncSession, check_id: int, view: CheckView | None = None
) -> BillView:
    """The bill of ``check_id``; ``view``: the check as its caller already has it (the
    receipt of a payment that just closed it), so it is not read a second time."""
    check = await session.get(Check, check_id)
    if check is None:
        raise NotFound("That check does not exist.")
    location = await session.get(Location, check.location_id)
    assert location is not None
    if view is None:
        view = await check_view(session, check_id)
    elif view.id != check_id:  # a caller's view of another check would print a wrong bill
        raise ValueError(f"bill of check {check_id} asked with the view of check {view.id}")
    shares = {ln.id: (ln.share_index, ln.share_count) for ln in view.lines if ln.share_count > 1}
    items = []
    for line in sorted(
        (ln for ln in view.lines if ln.counts), key=lambda ln: (ln.seat or 0, ln.id)
    ):
        amount, share = line.amount, ""
        if line.id in shares:
            index, count = shares[line.id]
            # The shares of one item always add up to the item: largest remainder.
            amount, share = allocate(line.amount, [1] * count)[index], f"1/{count}"
        modifiers = tuple(m.strip() for m in line.modifiers.split(",") if m.strip())
        items.append(
            BillItem(line.name, line.quantity, modifiers, amount, line.seat, line.comped, share)
        )
    by_seat = check.split_from_id is not None and bool(items) and all(i.seat for i in items)
    seat_numbers = sorted({i.seat for i in items}, key=lambda s: s or 0) if by_seat else [None]
    seats = tuple(
        BillSeat(s, tuple(i for i in items if not by_seat or i.seat == s)) for s in seat_numbers
    )
    # Every discount standing on the check and on its lines now, oldest first (a line's
    # discount moves with the line when the check is split).
    names = tuple(d.name for d in view.discounts)
    totals = view.totals
    word = "incl. tax" if view.prices_include_tax else "Tax"
    taxes = tuple(TaxRow(f"{word} {percent(t.rate_ppm)}", t.tax) for t in totals.tax_lines if t.tax)
    if not taxes and totals.tax:
        taxes = (TaxRow(word, totals.tax),)
    base = tip_base(view)
    payments = await _payments(session, check_id)
    return BillView(
        check_id=view.id,
        number=view.number,
        status=view.status,
        location_name=location.name,
        table_name=view.table_name,
        server_name=view.server_name,
        guest_count=view.guest_count,
        opened_at=view.opened_at,
        closed_at=view.closed_at,
        presented_at=check.presented_at,
        timezone=location.timezone,
        seats=seats,
        by_seat=by_seat,
        subtotal=totals.subtotal,
        comps=totals.comps,
        discount_names=names,
        discounts=totals.discounts,
        service_charge=totals.service_charge,
        service_charge_label=_service_label(check),
        taxes=taxes,
        tax=totals.tax,
        prices_include_tax=view.prices_include_tax,
        total=totals.total,
        tip_base=max(base, 0),
        tips=()
        if totals.service_charge
        else tip_suggestions(base, totals.total, location.tip_suggestions),
        payments=payments,
        # Net of refunds, as the check itself counts it: money given back is owed again.
        paid=view.paid,
        balance=view.balance,
        change_given=sum(p.change for p in payments),
    )


def _service_label(check: Check) -> str:
    label = check.service_charge_reason.strip() or "Service charge"
    return f"{label} {percent(check.service_charge_ppm)}" if check.service_charge_ppm else label
