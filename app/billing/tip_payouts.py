"""Card tips paid to a server in cash out of a drawer at the end of a shift.

The card tips are owed to the server (the books hold them in tips payable from each close);
paying them out takes cash from the drawer and clears what is owed. Never more than the
server is owed (card tips on closed checks, less card tips refunded, less what was already
paid out), nor more cash than the drawer should hold.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.drawer_counts import drawer_count
from app.billing.drawers import lock_open_drawer, post_drawer_cash
from app.billing.models import DrawerMovement, DrawerSession, Payment, Refund
from app.core.errors import BadInput, NotFound
from app.orders.models import Check
from app.platform import audit, idempotency
from app.platform.db import UnitOfWork
from app.platform.models import Staff


@dataclass(frozen=True, slots=True)
class TipsOwed:
    server_id: int
    name: str
    owed: int


async def card_tips_owed(session: AsyncSession, location_id: int) -> list[TipsOwed]:
    """Each server still owed card tips, from closed checks (the ones the books posted)."""
    server = func.coalesce(Payment.server_id, Check.server_id)
    earned = (
        select(
            server.label("server_id"),
            func.sum(
                Payment.tip
                - select(func.coalesce(func.sum(Refund.tip), 0))
                .where(Refund.payment_id == Payment.id)
                .correlate(Payment)
                .scalar_subquery()
            ).label("amount"),
        )
        .join(Check, Check.id == Payment.check_id)
        .where(Check.location_id == location_id, Check.status == "closed")
        .where(Payment.method == "card", Payment.tip > 0)
        .group_by(server)
        .subquery()
    )
    paid = (
        select(
            DrawerMovement.paid_to.label("server_id"),
            func.sum(DrawerMovement.amount).label("amount"),
        )
        .join(DrawerSession, DrawerSession.id == DrawerMovement.session_id)
        .where(DrawerSession.location_id == location_id, DrawerMovement.kind == "tip_payout")
        .group_by(DrawerMovement.paid_to)
        .subquery()
    )
    owed = earned.c.amount - func.coalesce(paid.c.amount, 0)
    rows = await session.execute(
        select(earned.c.server_id, Staff.name, owed)
        .join(Staff, Staff.id == earned.c.server_id)
        .outerjoin(paid, paid.c.server_id == earned.c.server_id)
        .where(owed > 0)
        .order_by(Staff.name)
    )
    return [TipsOwed(int(sid), name, int(amount)) for sid, name, amount in rows.all()]


async def pay_out_card_tips(
    uow: UnitOfWork,
    session_id: int,
    server_id: int,
    amount: int,
    staff_id: int,
    key: str | None = None,
) -> int:
    """Hand ``amount`` of a server's card tips over in cash from an open drawer."""
    session = uow.session
    claim = await idempotency.claim(
        session, key, "tip_payout", {"drawer": session_id, "server": server_id, "amount": amount}
    )
    if claim.replay is not None:
        return int(claim.replay["movement_id"])
    if amount <= 0:
        raise BadInput("The amount must be more than zero.")
    drawer = await lock_open_drawer(session, session_id)
    # Payouts to one server queue up behind each other: two managers cannot both pay.
    name = await session.scalar(
        select(Staff.name)
        .where(Staff.id == server_id, Staff.location_id == drawer.location_id)
        .with_for_update()
    )
    if name is None:
        raise NotFound("That server does not work here.")
    owed = {t.server_id: t.owed for t in await card_tips_owed(session, drawer.location_id)}
    if amount > owed.get(server_id, 0):
        raise BadInput(
            f"{name} is owed less than that in card tips: pay out what is owed, no more."
        )
    if amount > (await drawer_count(session, session_id)).expected:
        raise BadInput(f"The {drawer.drawer} drawer should hold less cash than that.")
    reason = f"Card tips paid to {name}"
    movement_id = await session.scalar(
        insert(DrawerMovement)
        .values(
            session_id=session_id,
            kind="tip_payout",
            amount=amount,
            reason=reason,
            staff_id=staff_id,
            paid_to=server_id,
        )
        .returning(DrawerMovement.id)
    )
    assert movement_id is not None
    await audit.record(
        session,
        "tip_payout",
        f"drawer:{session_id}",
        actor_id=staff_id,
        amount=amount,
        paid_to=server_id,
    )
    await post_drawer_cash(
        uow,
        "tip_payout",
        drawer.location_id,
        drawer.drawer,
        f"movement:{movement_id}",
        staff_id,
        amount,
        reason=name,
    )
    uow.announce("drawers", {"drawer": session_id})
    await idempotency.remember(session, claim, {"movement_id": movement_id})
    return int(movement_id)
