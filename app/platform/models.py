"""Tables every area shares: the location, staff and devices, sessions, audit, idempotency."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.platform.db import Base, created_at_column

ROLES = ("server", "bartender", "host", "kitchen", "manager", "owner")


class Location(Base):
    """A restaurant. Every top-level row carries its location, ready for a group of them."""

    __tablename__ = "location"
    __table_args__ = (CheckConstraint("tax_rounding IN ('line', 'check')", name="tax_rounding"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    locale: Mapped[str] = mapped_column(String(16), default="en_US")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    #: EU-style menus show prices with tax in; US-style add tax on the check.
    prices_include_tax: Mapped[bool] = mapped_column(default=False)
    #: "line": tax rounded on every line (what each line's receipt shows); "check": tax
    #: summed exactly per rate over the check and rounded once.
    tax_rounding: Mapped[str] = mapped_column(String(5), default="line", server_default="line")
    #: Parties of this size or more get the service charge below (None: never automatic).
    auto_gratuity_party_size: Mapped[int | None]
    auto_gratuity_ppm: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Discounts worth more than this share of the check need a manager's approval.
    discount_approval_ppm: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Suggested tips shown on the check, in ppm of the total ("150000,180000,200000").
    tip_suggestions: Mapped[str] = mapped_column(
        String(60), default="150000,180000,200000", server_default="150000,180000,200000"
    )


class Staff(Base):
    __tablename__ = "staff"
    __table_args__ = (CheckConstraint(f"role IN {ROLES!r}", name="role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(16))
    #: argon2 hash of the 4-6 digit PIN; the PIN itself is never stored.
    pin_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    #: Consecutive wrong PINs; reset by a right PIN or by a manager.
    failed_pins: Mapped[int] = mapped_column(default=0)
    #: Set when failed_pins reaches the limit; only a manager lifts it.
    locked_at: Mapped[datetime | None]


class Device(Base):
    """A tablet or kitchen screen. Kitchen screens sign in with a token, not a PIN."""

    __tablename__ = "device"
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(16), default="kds")
    #: sha256 of the device token: a leaked database does not leak working tokens.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    revoked_at: Mapped[datetime | None]


class StaffSession(Base):
    """A signed-in session. Lives in the database so several server processes share it."""

    __tablename__ = "staff_session"
    #: sha256 of the cookie value.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("device.id"))
    created_at: Mapped[datetime] = created_at_column()
    revoked_at: Mapped[datetime | None]


class PinAttempt(Base):
    """Every PIN try, right or wrong: the throttle counts these per staff and per device."""

    __tablename__ = "pin_attempt"
    __table_args__ = (
        Index("ix_pin_attempt_device_at", "device_key", "at"),
        Index("ix_pin_attempt_ip_at", "client_ip", "at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    #: The device cookie, not the client IP: a forged X-Forwarded-For changes nothing.
    device_key: Mapped[str] = mapped_column(String(64))
    #: The socket's peer address (never X-Forwarded-For, which the client writes itself).
    client_ip: Mapped[str] = mapped_column(String(64), default="", server_default="")
    ok: Mapped[bool]
    at: Mapped[datetime] = created_at_column()


class AuditEntry(Base):
    """Append-only record of who did what, and who approved it."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = created_at_column()
    #: The staff member who did it (None for the system or a device).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    #: The manager who approved it, for voids, comps, refunds and unlocks.
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)


class IdempotencyKey(Base):
    """A command already run: its key, what it was, and what it answered."""

    __tablename__ = "idempotency_key"
    __table_args__ = (UniqueConstraint("key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100))
    #: sha256 of the command name and payload: the same key with another payload is refused.
    fingerprint: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = created_at_column()
    note: Mapped[str | None] = mapped_column(Text)
