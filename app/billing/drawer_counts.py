"""A drawer's count: float, cash taken and given back, cash in and out, expected, over/short.

    expected = float + cash payments - cash refunds + cash in - cash out - card tips paid out

A cash payment counts its ``amount``: the guest handed over ``tendered`` and got ``change``
back from the same drawer, so what stayed in it is ``tendered - change = amount``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.models import DrawerMovement, DrawerSession, Payment, Refund
from app.core.errors import NotFound
from app.platform.models import Staff

#: What a manager may move by hand on the drawers screen.
MOVEMENTS = {"cash_in": "Cash in", "cash_out": "Cash out"}
#: Card tips handed to a server in cash out of the drawer (app/billing/tip_payouts.py).
LABELS = {**MOVEMENTS, "tip_payout": "Card tips paid out"}


@dataclass(frozen=True, slots=True)
class Movement:
    kind: str
    amount: int
    reason: str
    staff: str
    at: datetime

    @property
    def label(self) -> str:
        return LABELS[self.kind]


@dataclass(frozen=True, slots=True)
class DrawerCount:
    id: int
    drawer: str
    opening_float: int
    opened_by: str
    opened_at: datetime
    closed_at: datetime | None
    cash_payments: int
    cash_refunds: int
    cash_in: int
    cash_out: int
    counted: int | None
    movements: tuple[Movement, ...]
    #: Frozen when the drawer was counted out.
    closed_expected: int | None = None

    @property
    def expected(self) -> int:
        if self.closed_expected is not None:
            return self.closed_expected
        return (
            self.opening_float
            + self.cash_payments
            - self.cash_refunds
            + self.cash_in
            - self.cash_out
            - self.tips_paid_out
        )

    @property
    def tips_paid_out(self) -> int:
        return sum(m.amount for m in self.movements if m.kind == "tip_payout")

    @property
    def over_short(self) -> int | None:
        """Positive: more cash than expected (over); negative: short."""
        return None if self.counted is None else self.counted - self.expected

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


async def drawer_count(session: AsyncSession, session_id: int) -> DrawerCount:
    row = (
        await session.execute(
            select(DrawerSession, Staff.name)
            .join(Staff, Staff.id == DrawerSession.opened_by)
            .where(DrawerSession.id == session_id)
            .execution_options(populate_existing=True)
        )
    ).first()
    if row is None:
        raise NotFound("That drawer session does not exist.")
    drawer, opened_by = row
    cash_payments = await session.scalar(
        select(func.coalesce(func.sum(Payment.amount), 0)).where(
            Payment.drawer_session_id == session_id, Payment.method == "cash"
        )
    )
    cash_refunds = await session.scalar(
        select(func.coalesce(func.sum(Refund.amount), 0))
        .join(Payment, Payment.id == Refund.payment_id)
        .where(Refund.drawer_session_id == session_id, Payment.method == "cash")
    )
    moves = (
        await session.execute(
            select(DrawerMovement, Staff.name)
            .join(Staff, Staff.id == DrawerMovement.staff_id)
            .where(DrawerMovement.session_id == session_id)
            .order_by(DrawerMovement.id)
        )
    ).all()
    movements = tuple(Movement(m.kind, m.amount, m.reason, name, m.at) for m, name in moves)
    return DrawerCount(
        id=drawer.id,
        drawer=drawer.drawer,
        opening_float=drawer.opening_float,
        opened_by=opened_by,
        opened_at=drawer.opened_at,
        closed_at=drawer.closed_at,
        cash_payments=int(cash_payments or 0),
        cash_refunds=int(cash_refunds or 0),
        cash_in=sum(m.amount for m in movements if m.kind == "cash_in"),
        cash_out=sum(m.amount for m in movements if m.kind == "cash_out"),
        counted=drawer.counted,
        movements=movements,
        closed_expected=drawer.expected,
    )


async def drawer_counts(
    session: AsyncSession, location_id: int, closed: int = 10
) -> tuple[list[DrawerCount], list[DrawerCount]]:
    """The open drawers, and the last ``closed`` ones counted out (newest first)."""
    open_ids = await session.scalars(
        select(DrawerSession.id)
        .where(DrawerSession.location_id == location_id, DrawerSession.closed_at.is_(None))
        .order_by(DrawerSession.drawer)
    )
    closed_ids = await session.scalars(
        select(DrawerSession.id)
        .where(DrawerSession.location_id == location_id, DrawerSession.closed_at.is_not(None))
        .order_by(DrawerSession.closed_at.desc(), DrawerSession.id.desc())
        .limit(closed)
    )
    return (
        [await drawer_count(session, i) for i in open_ids.all()],
        [await drawer_count(session, i) for i in closed_ids.all()],
    )
