"""Tables every area shares: the location, staff and devices, sessions, audit, idempotency."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.platform.db import Base, created_at_column

ROLES = ("server", "bartender", "host", "kitchen", "manager", "owner")


class Location(Base):
    """A restaurant. Every top-level row carries its location, ready for a group of them."""

    __tablename__ = "location"
    __table_args__ = (
        CheckConstraint("tax_rounding IN ('line', 'check')", name="tax_rounding"),
        CheckConstraint("day_starts_hour BETWEEN 0 AND 23", name="day_starts_hour"),
    )
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
    #: The hour (local time) the business day turns over: a check closed at 1 a.m. belongs
    #: to the evening before when this is 4.
    day_starts_hour: Mapped[int] = mapped_column(SmallInteger, default=4, server_default="4")
    #: Demo or training: card payments go to the simulated terminal (and every screen says
    #: so). Off, cards go to the location's configured terminal, never to the simulator.
    training_mode: Mapped[bool] = mapped_column(default=False, server_default="false")


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
    #: When a manager last cleared this person's wrong PINs: older tries no longer slow
    #: them down. Wrong PINs never lock anyone out (see docs/sign-in.md).
    pins_reset_at: Mapped[datetime | None]


class Device(Base):
    """A kitchen screen ("kds") or a print agent ("agent"): it signs in with a token, not a
    PIN. Paired with a one-time code in the back office (``app/devices``)."""

    __tablename__ = "device"
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(16), default="kds")
    #: sha256 of the device token: a leaked database does not leak working tokens.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    revoked_at: Mapped[datetime | None]
    #: The station a kitchen screen opens on once paired (None: it shows the station list).
    #: The database holds its foreign key to station (migration 0008); the model leaves it
    #: out so the platform's tables resolve without the kitchen's being imported.
    station_id: Mapped[int | None]
    #: When the device was paired or its token issued (None: made before pairing codes).
    paired_at: Mapped[datetime | None] = mapped_column(server_default=func.now())
    #: The manager who typed its pairing code (None: the demo, or the server's console).
    paired_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    #: A kitchen screen's last sign-in with its token, a print agent's last connection
    #: (a screen's requests after that are on its session's last_seen_at).
    last_seen_at: Mapped[datetime | None]


class StaffSession(Base):
    """A signed-in session. Lives in the database so several server processes share it."""

    __tablename__ = "staff_session"
    #: sha256 of the cookie value.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("device.id"))
    created_at: Mapped[datetime] = created_at_column()
    #: The last request seen on it (kept to the minute): idle sessions end by themselves.
    last_seen_at: Mapped[datetime] = created_at_column()
    #: "tablet" (PIN on a sign-in screen), "api" (PIN over the API) or "device" (a paired
    #: kitchen screen): each has its own idle limit.
    via: Mapped[str] = mapped_column(String(8), default="tablet", server_default="tablet")
    #: The API key the session was opened with: revoking the key ends its sessions too.
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_key.id"))
    revoked_at: Mapped[datetime | None]


class ApiKey(Base):
    """What an integration shows before it may sign staff in over the API. Issued by a
    manager; only its sha256 is kept, so the key is shown once, when it is made."""

    __tablename__ = "api_key"
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    #: Who uses it: "Online orders", "Head office".
    name: Mapped[str] = mapped_column(String(80))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The manager who issued it (None: issued on the server's console).
    issued_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = created_at_column()
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class PinAttempt(Base):
    """Every PIN try, right or wrong: the throttle counts these per staff and per device."""

    __tablename__ = "pin_attempt"
    __table_args__ = (
        Index("ix_pin_attempt_device_at", "device_key", "at"),
        Index("ix_pin_attempt_ip_at", "client_ip", "at"),
        Index("ix_pin_attempt_staff_at", "staff_id", "at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    #: "cookie:<device cookie>" on a tablet, "apikey:<id>" or "device:<id>" over the API:
    #: never an address or a header the client writes itself.
    device_key: Mapped[str] = mapped_column(String(80))
    #: The client's address: the socket's peer, or what a trusted proxy says it forwarded.
    client_ip: Mapped[str] = mapped_column(String(64), default="", server_default="")
    #: Someone had signed in on this device before this try: the per-address cap (for
    #: browsers that throw their cookie away) counts only tries from new devices.
    device_known: Mapped[bool] = mapped_column(default=False, server_default="false")
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
