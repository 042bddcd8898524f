"""The payments of a check as the payment screen lists them, each with what was given back
of it (the refund dialog's "left to refund")."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.models import Payment, Refund


@dataclass(frozen=True, slots=True)
class PaymentRow:
    """A payment as the payment screen lists it, with what was given back of it."""

    id: int
    method: str
    amount: int
    tip: int
    change: int
    card_brand: str | None
    card_last4: str | None
    refunded: int
    refunded_tip: int

    @property
    def label(self) -> str:
        if self.method == "card":
            return f"{self.card_brand or 'Card'} ····{self.card_last4 or ''}".strip()
        return "Cash"

    @property
    def refundable(self) -> int:
        return self.amount - self.refunded


async def payments_of(session: AsyncSession, check_id: int) -> list[PaymentRow]:
    back = (
        select(
            Refund.payment_id,
            func.sum(Refund.amount).label("amount"),
            func.sum(Refund.tip).label("tip"),
        )
        .group_by(Refund.payment_id)
        .subquery()
    )
    rows = await session.execute(
        select(
            Payment.id,
            Payment.method,
            Payment.amount,
            Payment.tip,
            Payment.change,
            Payment.card_brand,
            Payment.card_last4,
            func.coalesce(back.c.amount, 0),
            func.coalesce(back.c.tip, 0),
        )
        .outerjoin(back, back.c.payment_id == Payment.id)
        .where(Payment.check_id == check_id)
        .order_by(Payment.id)
    )
    return [PaymentRow(*row) for row in rows.all()]
