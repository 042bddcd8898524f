"""Payments. A payment is never edited; a correction is a refund (a new row)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.platform.db import Base, created_at_column


class Payment(Base):
    __tablename__ = "payment"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount"),
        CheckConstraint("tendered >= amount AND change = tendered - amount", name="change"),
        CheckConstraint("tip >= 0", name="tip"),
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
