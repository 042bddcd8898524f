"""Tips: the one on the terminal, the one written on the slip afterwards, and who earned them.

A tip belongs to the check's server and is never part of what the check owes. A slip tip
may be entered or corrected while the payment's drawer session is still open (or, with no
drawer, on the same business day): after that the money has been counted and paid out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from sqlalchemy import Date, cast, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.models import DrawerSession, Payment, PaymentAttempt, Refund
from app.billing.terminal import APPROVED, PaymentTerminal
from app.core.errors import BadInput, NotFound, Refused
from app.menu.availability import zone_named
from app.orders.models import Check
from app.platform import audit, idempotency
from app.platform.closing import MoneyMoved
from app.platform.db import UnitOfWork
from app.platform.models import Location, Staff


@dataclass(frozen=True, slots=True)
class TipAdjusted:
    payment_id: int
    check_id: int
    tip: int


async def adjust_tip(
    uow: UnitOfWork,
    payment_id: int,
    tip: int,
    staff_id: int,
    terminal: PaymentTerminal,
    key: str | None = None,
) -> TipAdjusted:
    """Set the tip of one payment (the amount on the slip), card tips through the terminal."""
    session = uow.session
    claim = await idempotency.claim(session, key, "adjust_tip", {"payment": payment_id, "tip": tip})
    if claim.replay is not None:
        return TipAdjusted(**claim.replay)
    if tip < 0:
        raise BadInput("A tip cannot be negative.")
    row = (
        await session.execute(
            select(Payment, Check.location_id, Check.status)
            .join(Check, Check.id == Payment.check_id)
            .where(Payment.id == payment_id)
            # The check too: a close in flight finishes first, so we know if it posted.
            .with_for_update(of=(Check, Payment))
        )
    ).first()
    if row is None:
        raise NotFound("That payment does not exist.")
    payment, location_id, status = row
    await _still_adjustable(session, payment, location_id)
    refunded_tip = await session.scalar(
        select(func.coalesce(func.sum(Refund.tip), 0)).where(Refund.payment_id == payment.id)
    )
    if tip < int(refunded_tip or 0):
        raise BadInput("Part of this tip was already refunded: the tip cannot go below that.")
    if payment.method == "card" and payment.processor_ref:
        answer = await terminal.adjust_tip(payment.processor_ref, tip)
        if answer.status != APPROVED:
            raise Refused(f"The card processor refused the new tip ({answer.message}).")
    before = payment.tip
    await session.execute(
        update(Payment)
        .where(Payment.id == payment.id)
        .values(tip=tip, tip_adjusted_at=func.now(), tip_adjusted_by=staff_id)
        .execution_options(synchronize_session=False)
    )
    await audit.record(
        session,
        "adjust_tip",
        f"payment:{payment.id}",
        actor_id=staff_id,
        check=payment.check_id,
        before=before,
        tip=tip,
    )
    if status == "closed" and payment.method == "card" and tip != before:
        await _post_tip_change(uow, payment, location_id, tip - before, staff_id)
    uow.announce(f"check:{payment.check_id}", {"check": payment.check_id, "tip": payment.id})
    result = TipAdjusted(payment.id, payment.check_id, tip)
    await idempotency.remember(
        session, claim, {"payment_id": payment.id, "check_id": payment.check_id, "tip": tip}
    )
    return result


async def _post_tip_change(
    uow: UnitOfWork, payment: Payment, location_id: int, change: int, staff_id: int
) -> None:
    """The close posted the card tip it knew; the books take the difference (cash tips go to
    the server by hand and never post)."""
    terminal = await uow.session.scalar(
        select(PaymentAttempt.terminal).where(PaymentAttempt.payment_id == payment.id).limit(1)
    )
    await uow.books.money_moved(
        uow,
        MoneyMoved(
            kind="tip_adjust",
            location_id=location_id,
            source=f"payment:{payment.id}",
            staff_id=staff_id,
            tip=change,
            method="card",
            terminal=terminal or "",
            check_id=payment.check_id,
            payment_id=payment.id,
        ),
    )


async def _still_adjustable(session: AsyncSession, payment: Payment, location_id: int) -> None:
    if payment.drawer_session_id is not None:
        closed_at = await session.scalar(
            select(DrawerSession.closed_at).where(DrawerSession.id == payment.drawer_session_id)
        )
        if closed_at is not None:
            raise Refused("That drawer has been counted and closed: the tip can no longer change.")
        return
    zone = await _zone(session, location_id)
    if payment.taken_at.astimezone(zone).date() != datetime.now(UTC).astimezone(zone).date():
        raise Refused("Tips can be changed on the day of the payment only.")


async def _zone(session: AsyncSession, location_id: int) -> tzinfo:
    name = await session.scalar(select(Location.timezone).where(Location.id == location_id))
    return zone_named(name)


@dataclass(frozen=True, slots=True)
class ServerTips:
    server_id: int
    name: str
    payments: int
    card: int
    cash: int
    refunded: int

    @property
    def total(self) -> int:
        return self.card + self.cash - self.refunded


async def tips_by_server(
    session: AsyncSession,
    location_id: int,
    day: date | None = None,
    drawer_session_id: int | None = None,
) -> list[ServerTips]:
    """Each server's tips on a business day (location's time zone) or in one drawer session."""
    zone = await _zone(session, location_id)
    local_day = cast(func.timezone(getattr(zone, "key", "UTC"), Payment.taken_at), Date)
    where = [Check.location_id == location_id]
    if drawer_session_id is not None:
        where.append(Payment.drawer_session_id == drawer_session_id)
    else:
        where.append(local_day == (day or datetime.now(UTC).astimezone(zone).date()))
    refunded = (
        select(func.coalesce(func.sum(Refund.tip), 0))
        .where(Refund.payment_id == Payment.id)
        .correlate(Payment)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(
            Payment.server_id,
            Staff.name,
            func.count(Payment.id),
            func.coalesce(func.sum(Payment.tip).filter(Payment.method == "card"), 0),
            func.coalesce(func.sum(Payment.tip).filter(Payment.method == "cash"), 0),
            func.coalesce(func.sum(refunded), 0),
        )
        .join(Check, Check.id == Payment.check_id)
        .join(Staff, Staff.id == func.coalesce(Payment.server_id, Check.server_id))
        .where(*where)
        .group_by(Payment.server_id, Staff.name)
        .order_by(Staff.name)
    )
    return [
        ServerTips(int(sid or 0), name, int(n), int(card), int(cash), int(back))
        for sid, name, n, card, cash, back in rows.all()
    ]


async def recent_drawer_sessions(session: AsyncSession, location_id: int) -> list[Any]:
    """The drawer sessions the tips page can be read by, newest first."""
    rows = await session.execute(
        select(DrawerSession.id, DrawerSession.drawer, DrawerSession.opened_at)
        .where(DrawerSession.location_id == location_id)
        .order_by(DrawerSession.opened_at.desc())
        .limit(20)
    )
    return list(rows.all())
