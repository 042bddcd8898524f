"""Card attempts as the payment screen reads them: one try per tablet key, and its answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.models import Payment, PaymentAttempt
from app.orders.models import Check


@dataclass(frozen=True, slots=True)
class CardResult:
    #: approved | declined | timed_out | cancelled | pending (still waiting on the terminal)
    status: str
    key: str
    amount: int
    tip: int
    message: str
    brand: str | None = None
    last4: str | None = None
    payment_id: int | None = None
    closed: bool = False


@dataclass(frozen=True, slots=True)
class Attempt:
    id: int
    key: str
    check_id: int
    amount: int
    tip: int
    status: str
    terminal_ref: str | None
    message: str | None
    payment_id: int | None
    created_at: datetime


_COLUMNS = (
    PaymentAttempt.id,
    PaymentAttempt.key,
    PaymentAttempt.check_id,
    PaymentAttempt.amount,
    PaymentAttempt.tip,
    PaymentAttempt.status,
    PaymentAttempt.terminal_ref,
    PaymentAttempt.message,
    PaymentAttempt.payment_id,
    PaymentAttempt.created_at,
)


async def attempt_by_key(session: AsyncSession, key: str) -> Attempt | None:
    """Read fresh from the database (never an ORM object a previous read left behind)."""
    row = (await session.execute(select(*_COLUMNS).where(PaymentAttempt.key == key))).first()
    return Attempt(**row._mapping) if row else None


async def answer(session: AsyncSession, attempt: Attempt) -> CardResult:
    """What the tablet is told about an attempt that has an answer (a retry gets the same)."""
    brand = last4 = None
    closed = False
    tip = attempt.tip
    if attempt.payment_id is not None:
        brand, last4, tip, status = (
            await session.execute(
                select(Payment.card_brand, Payment.card_last4, Payment.tip, Check.status)
                .join(Check, Check.id == Payment.check_id)
                .where(Payment.id == attempt.payment_id)
            )
        ).one()
        closed = status == "closed"
    return CardResult(
        attempt.status,
        attempt.key,
        attempt.amount,
        tip,
        attempt.message or "",
        brand,
        last4,
        attempt.payment_id,
        closed,
    )


async def waiting_attempts(session: AsyncSession, check_id: int) -> list[Attempt]:
    """Card charges on the check with no answer yet (the screen offers Retry and Cancel)."""
    rows = await session.execute(
        select(*_COLUMNS)
        .where(
            PaymentAttempt.check_id == check_id,
            PaymentAttempt.status.in_(("pending", "timed_out")),
        )
        .order_by(PaymentAttempt.id)
    )
    return [Attempt(**row._mapping) for row in rows.all()]
