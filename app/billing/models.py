"""Money taken and given back. A payment is never edited; a correction is a refund (a new row).

No card number is ever stored: only the processor's reference, the brand and the last four.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.platform.db import Base, created_at_column

PAYMENT_METHODS = ("cash", "card")
ATTEMPT_STATES = ("pending", "approved", "declined", "timed_out", "cancelled")


class DrawerSession(Base):
    """A cash drawer from the float counted in to the cash counted out."""

    __tablename__ = "drawer_session"
    __table_args__ = (
        # One open session per drawer: cash always lands in a drawer someone will count.
        Index(
            "uq_drawer_session_open",
            "location_id",
            "drawer",
            unique=True,
            postgresql_where=text("closed_at IS NULL"),
        ),
        CheckConstraint("opening_float >= 0", name="float"),
        CheckConstraint("counted IS NULL OR counted >= 0", name="counted"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    drawer: Mapped[str] = mapped_column(String(40), default="Main")
    opening_float: Mapped[int]
    opened_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    opened_at: Mapped[datetime] = created_at_column()
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    closed_at: Mapped[datetime | None]
    #: What the drawer should hold when it closes (float + cash taken - refunds +/- moves).
    expected: Mapped[int | None]
    counted: Mapped[int | None]


class DrawerMovement(Base):
    """Cash put in or taken out of a drawer for a reason (change run, paid-out to a supplier)."""

    __tablename__ = "drawer_movement"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount"),
        CheckConstraint("kind IN ('cash_in', 'cash_out', 'tip_payout')", name="kind"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("drawer_session.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    amount: Mapped[int]
    reason: Mapped[str] = mapped_column(Text)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    at: Mapped[datetime] = created_at_column()
    #: A tip payout: the server the card tips were paid to in cash.
    paid_to: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))


class Payment(Base):
    __tablename__ = "payment"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount"),
        CheckConstraint("tendered >= amount AND change = tendered - amount", name="change"),
        CheckConstraint("tip >= 0", name="tip"),
        CheckConstraint(f"method IN {PAYMENT_METHODS!r}", name="method"),
        # Change is a cash thing: a card is charged exactly amount + tip.
        CheckConstraint("method = 'cash' OR change = 0", name="card_change"),
        CheckConstraint("card_last4 IS NULL OR card_last4 ~ '^[0-9]{4}$'", name="last4"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("guest_check.id"), index=True)
    method: Mapped[str] = mapped_column(String(16))
    #: What goes against the check.
    amount: Mapped[int]
    #: Cash handed over, and what went back: change is never a tip.
    tendered: Mapped[int]
    change: Mapped[int]
    tip: Mapped[int] = mapped_column(default=0)
    taken_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    taken_at: Mapped[datetime] = created_at_column()
    #: The server whose tip it is (the check's server when taken).
    server_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    #: The drawer the cash went into; for cards, the session that bounds tip adjustment.
    drawer_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("drawer_session.id"), index=True
    )
    #: The card processor's reference, brand and last four digits: nothing more of a card.
    processor_ref: Mapped[str | None] = mapped_column(String(64))
    card_brand: Mapped[str | None] = mapped_column(String(20))
    card_last4: Mapped[str | None] = mapped_column(String(4))
    #: Tip written on the slip and entered afterwards.
    tip_adjusted_at: Mapped[datetime | None]
    tip_adjusted_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))


class PaymentAttempt(Base):
    """One try at charging a card, keyed by the tablet's idempotency key.

    A time-out leaves the attempt "pending" until the terminal is asked what happened: the
    same key never makes a second charge.
    """

    __tablename__ = "payment_attempt"
    __table_args__ = (
        CheckConstraint(f"status IN {ATTEMPT_STATES!r}", name="status"),
        CheckConstraint("amount > 0 AND tip >= 0", name="amounts"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("guest_check.id"), index=True)
    amount: Mapped[int]
    tip: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    terminal: Mapped[str] = mapped_column(String(40), default="simulated")
    #: The terminal's id for this transaction, used to ask it what happened after a time-out.
    terminal_ref: Mapped[str | None] = mapped_column(String(64))
    message: Mapped[str | None] = mapped_column(Text)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = created_at_column()
    resolved_at: Mapped[datetime | None]


class Refund(Base):
    """Money given back against one payment: never more than that payment captured."""

    __tablename__ = "refund"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount"),
        CheckConstraint("tip >= 0", name="tip"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payment.id"), index=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("guest_check.id"), index=True)
    #: Of the payment's amount, and of its tip.
    amount: Mapped[int]
    tip: Mapped[int] = mapped_column(default=0, server_default="0")
    reason: Mapped[str] = mapped_column(Text)
    refunded_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    approved_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    processor_ref: Mapped[str | None] = mapped_column(String(64))
    drawer_session_id: Mapped[int | None] = mapped_column(ForeignKey("drawer_session.id"))
    created_at: Mapped[datetime] = created_at_column()


class RefundLine(Base):
    """Which lines a refund was for (a refund may also be for no line: a goodwill amount)."""

    __tablename__ = "refund_line"
    refund_id: Mapped[int] = mapped_column(ForeignKey("refund.id"), primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("check_line.id"), primary_key=True)
    amount: Mapped[int]


class Discount(Base):
    """A named discount staff pick from a list ("Staff meal 50 %", "Birthday dessert")."""

    __tablename__ = "discount"
    __table_args__ = (
        CheckConstraint("kind IN ('percent', 'amount')", name="kind"),
        CheckConstraint(
            "(kind = 'percent' AND value BETWEEN 1 AND 1000000) OR (kind = 'amount' AND value > 0)",
            name="value",
        ),
        CheckConstraint("scope IN ('line', 'check', 'any')", name="scope"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    name: Mapped[str] = mapped_column(String(60))
    #: percent: value in ppm (100 % = 1_000_000); amount: value in minor units.
    kind: Mapped[str] = mapped_column(String(8))
    value: Mapped[int]
    scope: Mapped[str] = mapped_column(String(5), default="any")
    #: Always needs a manager, whatever the location's threshold.
    needs_approval: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)


class CheckDiscount(Base):
    """A discount on a check or one of its lines. Removing one is a new fact, not a delete."""

    __tablename__ = "check_discount"
    __table_args__ = (
        CheckConstraint("kind IN ('percent', 'amount')", name="kind"),
        CheckConstraint(
            "(kind = 'percent' AND value BETWEEN 1 AND 1000000) OR (kind = 'amount' AND value > 0)",
            name="value",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("guest_check.id"), index=True)
    #: None: on the whole check.
    line_id: Mapped[int | None] = mapped_column(ForeignKey("check_line.id"))
    discount_id: Mapped[int | None] = mapped_column(ForeignKey("discount.id"))
    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(8))
    value: Mapped[int]
    reason: Mapped[str] = mapped_column(Text)
    applied_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    applied_at: Mapped[datetime] = created_at_column()
    removed_at: Mapped[datetime | None]
    removed_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
