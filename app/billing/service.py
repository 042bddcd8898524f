"""Taking payment and closing the check."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.models import Payment
from app.core.check_math import tender_cash
from app.core.errors import BadInput, Conflict
from app.floor.service import table_needs_bussing
from app.orders.models import CheckLine
from app.orders.service import LockedCheck, announce_check, bump_version, lock_open_check
from app.orders.views import CheckView, check_view
from app.platform import audit, idempotency
from app.platform.db import UnitOfWork


@dataclass(frozen=True, slots=True)
class CashResult:
    applied: int
    change: int
    closed: bool


async def _ready_to_pay(
    session: AsyncSession, check_id: int, expected_version: int, prices_include_tax: bool
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
    waiting = dict(
        (
            await session.execute(
                select(CheckLine.status, func.count())
                .where(CheckLine.check_id == check.id, CheckLine.status.in_(("new", "held")))
                .group_by(CheckLine.status)
            )
        ).all()
    )
    if waiting.get("new"):
        raise BadInput("Send or remove the unsent items before taking payment.")
    if waiting.get("held"):
        raise BadInput("Some items are still held: fire or clear them before taking payment.")
    return check, await check_view(session, check.id, prices_include_tax)


async def _close(uow: UnitOfWork, check: LockedCheck, view: CheckView) -> LockedCheck:
    """Freeze the totals, end the check, and leave the table for the busser."""
    check = await bump_version(
        uow.session,
        check,
        status="closed",
        closed_at=func.now(),
        subtotal=view.totals.subtotal,
        tax=view.totals.tax,
        total=view.totals.total,
    )
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
    prices_include_tax: bool,
    key: str | None = None,
) -> CashResult:
    """Cash against the balance; change for the rest; the check closes when fully paid."""
    session = uow.session
    claim = await idempotency.claim(
        session, key, "pay_cash", {"check": check_id, "tendered": tendered, "v": expected_version}
    )
    if claim.replay is not None:
        return CashResult(**claim.replay)
    check, view = await _ready_to_pay(session, check_id, expected_version, prices_include_tax)
    if view.balance == 0:
        raise BadInput("Nothing is owed on this check: close it instead.")
    tender = tender_cash(view.balance, tendered)
    await session.execute(
        insert(Payment).values(
            check_id=check.id,
            method="cash",
            amount=tender.applied,
            tendered=tendered,
            change=tender.change,
            taken_by=staff_id,
        )
    )
    closed = view.balance - tender.applied == 0
    check = await (_close(uow, check, view) if closed else bump_version(session, check))
    await audit.record(
        session,
        "close_check" if closed else "payment",
        f"check:{check.id}",
        actor_id=staff_id,
        method="cash",
        amount=tender.applied,
        change=tender.change,
    )
    announce_check(uow, check)
    result = CashResult(applied=tender.applied, change=tender.change, closed=closed)
    await idempotency.remember(
        session, claim, {"applied": result.applied, "change": result.change, "closed": closed}
    )
    return result


async def close_settled(
    uow: UnitOfWork,
    check_id: int,
    expected_version: int,
    staff_id: int,
    prices_include_tax: bool,
) -> None:
    """Close a check that owes nothing (everything comped, or nothing was ordered)."""
    session = uow.session
    check, view = await _ready_to_pay(session, check_id, expected_version, prices_include_tax)
    if view.balance != 0:
        raise BadInput("This check still has money owing: take the payment.")
    check = await _close(uow, check, view)
    await audit.record(
        session, "close_check", f"check:{check.id}", actor_id=staff_id, method="none", amount=0
    )
    announce_check(uow, check)
