"""Taking payment and closing the check: cash here, cards in cards.py, refunds in refunds.py.

What is owed = total - (payments - refunds). Tips are separate and never part of it. Any mix
of cash and cards pays a check (split tender); it closes when the balance reaches zero.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import cast

from sqlalchemy import Table, func, insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.closed import describe_close
from app.billing.drawers import cash_drawer
from app.billing.models import Payment
from app.core.check_math import tender_cash
from app.core.errors import BadInput, Conflict
from app.floor.service import table_needs_bussing
from app.orders.service import LockedCheck, announce_check, bump_version, lock_open_check
from app.orders.views import CheckView, check_view
from app.platform import audit, idempotency
from app.platform.closing import ClosedPayment
from app.platform.db import UnitOfWork
from app.platform.receipts import ReceiptBus

# Core insert on the table, built once: a payment is the busiest write of a service.
_PAYMENTS = cast(Table, Payment.__table__)
_PAYMENT = insert(_PAYMENTS).returning(_PAYMENTS.c.id)

CARD_WAITING = (
    "A card charge on this check has no answer yet. Tap Retry to ask the terminal "
    "what happened (it never charges twice), or cancel it, before taking more payment."
)


@dataclass(frozen=True, slots=True)
class CashResult:
    applied: int
    change: int
    closed: bool
    #: Cash the guest left as a tip out of what they handed over (never shown as change).
    tip: int = 0


def refuse_if_card_waiting(view: CheckView) -> None:
    """A card charge with no answer yet may have gone through: settle it before any other
    payment, or the guest could pay twice (the view is read under the check's lock)."""
    if view.cards_waiting:
        raise Conflict(CARD_WAITING)


def check_amount(amount: int, balance: int, what: str) -> None:
    """An amount put against the check: more than zero, at most what is owed."""
    if amount <= 0:
        raise BadInput(f"Enter an amount to put on {what} (more than zero).")
    if amount > balance:
        raise BadInput(f"That is more than the balance: at most the amount owed can go on {what}.")


async def ready_to_pay(
    session: AsyncSession, check_id: int, expected_version: int
) -> tuple[LockedCheck, CheckView]:
    """Lock the check as the guest saw it; refuse if it changed or still has food to send.

    The tablet says which version of the check the guest was shown: if another tablet has
    changed it since, the payment is refused and the fresh check shown, never a wrong total.
    """
    check = await lock_open_check(session, check_id)
    if check.version != expected_version:
        raise Conflict(
            f"Check {check.number} changed on another tablet. Review the new total, then pay."
        )
    # Read under the lock, so the lines and payments cannot change before this command commits.
    view = await check_view(session, check.id, courses=False)
    if view.unsent:
        raise BadInput("Send or remove the unsent items before taking payment.")
    if view.held:
        raise BadInput("Some items are still held: fire or clear them before taking payment.")
    return check, view


async def _close(
    uow: UnitOfWork,
    check: LockedCheck,
    view: CheckView,
    closed_by: int,
    paid_now: ClosedPayment | None = None,
) -> LockedCheck:
    """Freeze the totals, end the check, post it to the back office (the books now;
    inventory and the guest's record hang on the same seam), and leave the table for the
    busser. ``paid_now`` is the payment that closed it (not in ``view``, read before it)."""
    totals = view.totals
    check = await bump_version(
        uow.session,
        check,
        status="closed",
        closed_at=func.now(),
        subtotal=totals.subtotal,
        comps=totals.comps,
        discounts=totals.discounts,
        service_charge=totals.service_charge,
        tax=totals.tax,
        total=totals.total,
        prices_include_tax=view.prices_include_tax,
        tax_rounding=view.tax_rounding,
    )
    # In this transaction: the check is closed and posted together, or neither.
    await uow.books.check_closed(uow, describe_close(view, check, closed_by, paid_now))
    if check.table_id is not None:
        # The party has gone: the table waits for a busser (it can still be seated at once).
        await table_needs_bussing(uow.session, check.table_id)
    return check


async def pay_cash(
    uow: UnitOfWork,
    check_id: int,
    tendered: int,
    expected_version: int,
    staff_id: int,
    key: str | None = None,
    amount: int | None = None,
    tip: int = 0,
    receipts: ReceiptBus | None = None,
) -> CashResult:
    """Cash against the balance (or ``amount`` of it: split tender); change for the rest.

    ``tip`` is what the guest leaves out of the cash handed over: it goes to the server,
    never into the change. The check closes when nothing is left owing.
    """
    session = uow.session
    claim = await idempotency.claim(
        session,
        key,
        "pay_cash",
        {
            "check": check_id,
            "tendered": tendered,
            "v": expected_version,
            "amount": amount,
            "tip": tip,
        },
    )
    if claim.replay is not None:
        return CashResult(**claim.replay)
    if tip < 0:
        raise BadInput("A tip cannot be negative.")
    check, view = await ready_to_pay(session, check_id, expected_version)
    if view.balance <= 0:
        raise BadInput("Nothing is owed on this check: close it instead.")
    target = view.balance if amount is None else amount
    check_amount(target, view.balance, "cash")
    if tendered - tip <= 0:
        raise BadInput(
            "Enter the cash the guest handed over (more than the tip they leave from it)."
        )
    if view.cards_waiting:  # read with the view, under the check's lock
        raise Conflict(CARD_WAITING)
    drawer = await cash_drawer(session, check.location_id)
    tender = tender_cash(target, tendered - tip)
    payment_id = await session.scalar(
        _PAYMENT,
        {
            "check_id": check.id,
            "method": "cash",
            "amount": tender.applied,
            # What was handed over for the check; the tip part is recorded as the tip.
            "tendered": tender.applied + tender.change,
            "change": tender.change,
            "tip": tip,
            "taken_by": staff_id,
            "server_id": check.server_id,
            "drawer_session_id": drawer.id,
        },
    )
    paid = ClosedPayment(
        int(payment_id or 0), "cash", tender.applied, tip, drawer.id, drawer=drawer.name
    )
    check, closed = await settle_after_payment(uow, check, view, paid, staff_id)
    if receipts is not None and payment_id is not None:
        # The drawer pops open for the change and the receipt prints (app/main.py wires it).
        after = view_after_payment(view, check, tender.applied, tender.change, closed)
        await receipts.payment_taken(uow, payment_id, open_drawer=True, check_after=after)
    await audit.record(
        session,
        "close_check" if closed else "payment",
        f"check:{check.id}",
        actor_id=staff_id,
        method="cash",
        amount=tender.applied,
        change=tender.change,
        tip=tip,
    )
    announce_check(uow, check)
    result = CashResult(applied=tender.applied, change=tender.change, closed=closed, tip=tip)
    await idempotency.remember(
        session,
        claim,
        {"applied": result.applied, "change": result.change, "closed": closed, "tip": tip},
    )
    return result


def view_after_payment(
    view: CheckView, check: LockedCheck, applied: int, change: int, closed: bool
) -> CheckView:
    """``view`` (read under the lock, before the payment) with the payment counted: what a
    fresh read would give, without reading the check again. Its closing time is the
    transaction's clock, which the receipt printer reads (``closed_at`` stays None here)."""
    return replace(
        view,
        version=check.version,
        status="closed" if closed else view.status,
        paid=view.paid + applied,
        change_given=view.change_given + change,
    )


async def settle_after_payment(
    uow: UnitOfWork, check: LockedCheck, view: CheckView, paid: ClosedPayment, staff_id: int
) -> tuple[LockedCheck, bool]:
    """After ``paid`` went against ``view``'s balance: close if nothing is owed."""
    closed = view.balance - paid.amount == 0
    if closed:
        return await _close(uow, check, view, staff_id, paid), True
    return await bump_version(uow.session, check), False


async def close_settled(
    uow: UnitOfWork,
    check_id: int,
    expected_version: int,
    staff_id: int,
) -> None:
    """Close a check that owes nothing (everything comped, or nothing was ordered)."""
    session = uow.session
    check, view = await ready_to_pay(session, check_id, expected_version)
    if view.balance != 0:
        raise BadInput("This check still has money owing: take the payment.")
    refuse_if_card_waiting(view)
    check = await _close(uow, check, view, staff_id)
    await audit.record(
        session, "close_check", f"check:{check.id}", actor_id=staff_id, method="none", amount=0
    )
    announce_check(uow, check)
