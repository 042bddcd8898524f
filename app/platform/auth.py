"""Staff sign-in by PIN, sessions kept in the database, and throttling of PIN guessing.

PINs are short, so the hash alone protects little: what protects them is the throttle
(``pin_throttle``): wrong PINs make the guesser wait, per person and device, per device and
per address, counted in the database so a restart or a second process does not reset them.
Nobody is locked out by wrong PINs: a stranger must not be able to keep staff off the floor.
Sessions end when idle (``SessionIdle``) and can be revoked one by one or per person.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadInput, BrigadeError, NotFound, Refused
from app.platform import audit, pin_throttle
from app.platform.db import UnitOfWork
from app.platform.location_stamp import STAMP
from app.platform.models import Device, Staff, StaffSession
from app.platform.pin_throttle import PinGate, PinLimits, TooManyTries

# Parameters sized for a tablet tapping a PIN (~20 ms) rather than a website password.
_hasher = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)
log = logging.getLogger(__name__)
# ASCII digits and nothing after: \d would take "١٢٣٤", and $ a trailing newline.
_PIN = re.compile(r"[0-9]{4,6}")

#: Who may use which part of the restaurant. Routes name one of these; none means denied.
FLOOR = frozenset({"server", "bartender", "manager", "owner"})
KITCHEN = frozenset({"kitchen", "manager", "owner"})
MANAGERS = frozenset({"manager", "owner"})
EVERYONE = frozenset({"server", "bartender", "host", "kitchen", "manager", "owner"})


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is at this tablet: a staff member, or a paired kitchen screen."""

    session_id: str
    role: str
    name: str
    staff_id: int | None = None
    device_id: int | None = None
    #: The API key an API session was opened with: approval PINs typed over the API are
    #: counted against it, as its sign-ins are.
    api_key_id: int | None = None


def hash_pin(pin: str) -> str:
    if not _PIN.fullmatch(pin):
        raise BadInput("A PIN is 4 to 6 digits.")
    return _hasher.hash(pin)


def pin_matches(pin_hash: str, pin: str) -> bool:
    try:
        return _hasher.verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class SessionIdle:
    """How long a session lives without a request, in minutes, by how it was opened."""

    tablet: int = 12 * 60
    api: int = 12 * 60
    device: int = 30 * 24 * 60

    @classmethod
    def from_settings(cls, settings: Any) -> SessionIdle:
        return cls(
            settings.session_idle_minutes,
            settings.api_session_idle_minutes,
            settings.device_session_idle_minutes,
        )

    def limit(self, via: str) -> timedelta:
        minutes = {"api": self.api, "device": self.device}.get(via, self.tablet)
        return timedelta(minutes=minutes)


async def _new_session(
    session: AsyncSession,
    staff_id: int | None,
    device_id: int | None,
    replaces: str | None,
    *,
    via: str = "tablet",
    api_key_id: int | None = None,
) -> str:
    """A fresh session id at every sign-in; the one it replaces stops working at once."""
    if replaces:
        await revoke_session(session, replaces)
    token = secrets.token_urlsafe(32)
    await session.execute(
        insert(StaffSession).values(
            id=token_digest(token),
            staff_id=staff_id,
            device_id=device_id,
            via=via,
            api_key_id=api_key_id,
        )
    )
    return token


async def verify_pin(session: AsyncSession, staff_id: int, pin: str, gate: PinGate) -> Staff:
    """Check a staff member's PIN through the throttle; returns the staff row.

    A wrong PIN raises ``Refused`` *after* recording the attempt, so the caller must commit
    before answering (the failure has to count even though the command failed). A try the
    throttle refuses (``TooManyTries``) checks no PIN and records nothing.
    """
    if not _PIN.fullmatch(pin or ""):
        raise BadInput("Enter your 4 to 6 digit PIN.")
    staff = await session.scalar(select(Staff).where(Staff.id == staff_id, Staff.active))
    if staff is None:
        raise NotFound("No such staff member. Tap your name on the sign-in screen.")
    # Who was tried, from which tablet (its hashed key) and address; never the PIN itself.
    where = {"staff_id": staff.id, "device": gate.device_key[:48], "address": gate.client_ip}
    try:
        standing = await pin_throttle.admit(session, staff.id, staff.name, gate)
    except TooManyTries as paused:
        log.warning("PIN pause", extra={**where, "retry_after": paused.retry_after})
        raise
    ok = pin_matches(staff.pin_hash, pin)
    await pin_throttle.record(session, staff.id, gate, standing, ok)
    if not ok:
        log.info("wrong PIN", extra={**where, "wrong_in_a_row": standing.pair_wrong + 1})
        raise Refused(pin_throttle.wrong_pin_message(standing, gate.limits))
    return staff


async def sign_in(
    session: AsyncSession,
    staff_id: int,
    pin: str,
    gate: PinGate,
    *,
    replaces: str | None = None,
    via: str = "tablet",
    api_key_id: int | None = None,
) -> str:
    """Check the PIN and open a session; returns its token (see ``verify_pin``)."""
    staff = await verify_pin(session, staff_id, pin, gate)
    return await _new_session(session, staff.id, None, replaces, via=via, api_key_id=api_key_id)


async def sign_in_counting_failures(uow: UnitOfWork, *args: Any, **kwargs: Any) -> str:
    """``sign_in`` for a request: a refused PIN is committed before the refusal goes back,
    so the throttle counts it even though the request as a whole failed."""
    try:
        return await sign_in(uow.session, *args, **kwargs)
    except BrigadeError:
        await uow.commit()
        raise


async def pair_device(session: AsyncSession, token: str, replaces: str | None = None) -> str:
    """A kitchen screen signs in with its device token (a print agent's opens no screen)."""
    device_id = await session.scalar(
        update(Device)
        .where(
            Device.token_hash == token_digest(token.strip()),
            Device.revoked_at.is_(None),
            Device.kind != "agent",
        )
        .values(last_seen_at=func.now())
        .returning(Device.id)
    )
    if device_id is None:
        raise Refused("That device token is not valid. A manager pairs screens with a code.")
    return await _new_session(session, None, device_id, replaces, via="device")


async def unlock_staff(session: AsyncSession, staff_id: int, manager_id: int | None) -> None:
    """Clear a person's wrong PINs: the waits they caused stop at once, everywhere.
    ``manager_id`` None: done on the server's console (``brigade staff unlock``)."""
    found = await session.execute(
        update(Staff).where(Staff.id == staff_id).values(pins_reset_at=func.clock_timestamp())
    )
    if not getattr(found, "rowcount", 1):
        raise NotFound("No such staff member.")
    log.info("PIN waits cleared", extra={"staff_id": staff_id, "by": manager_id or "console"})
    await audit.record(
        session, "pin_unlock", f"staff:{staff_id}", actor_id=manager_id, approver_id=manager_id
    )


async def revoke_session(session: AsyncSession, token: str) -> None:
    await session.execute(
        update(StaffSession)
        .where(StaffSession.id == token_digest(token), StaffSession.revoked_at.is_(None))
        .values(revoked_at=func.now())
    )


async def revoke_staff_sessions(
    session: AsyncSession, staff_id: int, manager_id: int | None
) -> int:
    """Sign a person out of every tablet and API token at once (a lost phone, a leaver)."""
    ended = await session.execute(
        update(StaffSession)
        .where(StaffSession.staff_id == staff_id, StaffSession.revoked_at.is_(None))
        .values(revoked_at=func.now())
    )
    count = int(getattr(ended, "rowcount", 0) or 0)
    await audit.record(
        session,
        "sessions_revoked",
        f"staff:{staff_id}",
        actor_id=manager_id,
        approver_id=manager_id,
        detail={"sessions": count},
    )
    return count


#: A session's last-seen time is written at most once a minute, not at every request.
TOUCH_EVERY = timedelta(seconds=60)

# Built once, plain columns (no ORM objects): every request of every tablet runs it.
_PRINCIPAL = (
    select(
        StaffSession.id,
        Staff.id.label("staff_id"),
        Staff.role,
        Staff.name.label("staff_name"),
        Staff.active,
        Device.id.label("device_id"),
        Device.name.label("device_name"),
        Device.revoked_at.label("device_revoked_at"),
        StaffSession.via,
        StaffSession.api_key_id,
        StaffSession.last_seen_at,
        func.now().label("now"),
        # Read here so following a settings change costs no round trip (location_stamp).
        STAMP.scalar_subquery().label("location_stamp"),
    )
    .outerjoin(Staff, Staff.id == StaffSession.staff_id)
    .outerjoin(Device, Device.id == StaffSession.device_id)
    .where(StaffSession.id == bindparam("digest"), StaffSession.revoked_at.is_(None))
)
_TOUCH = (
    update(StaffSession)
    .where(StaffSession.id == bindparam("digest"))
    .values(last_seen_at=func.now())
)


async def principal_for(
    session: AsyncSession, token: str, idle: SessionIdle | None = None
) -> Principal | None:
    """The live session behind a cookie or bearer token, or None."""
    return (await look_up(session, token, idle))[0]


async def look_up(
    session: AsyncSession, token: str, idle: SessionIdle | None = None
) -> tuple[Principal | None, str | None]:
    """The live session behind a token, and the location's stamp read in the same statement
    (None when no session matched the token: then nothing was read).

    A session idle for longer than its limit is over. Once a minute a lookup records that
    the session is in use, and commits that at once: the lookup opens the request's
    transaction, so the commit carries nothing else.
    """
    digest = token_digest(token)
    row = (await session.execute(_PRINCIPAL, {"digest": digest})).first()
    if row is None:
        return None, None
    idle_for = row.now - row.last_seen_at
    if idle_for > (idle or SessionIdle()).limit(row.via):
        return None, row.location_stamp
    found: Principal | None = None
    if row.staff_id is not None and row.active:
        found = Principal(
            row.id, row.role, row.staff_name, staff_id=row.staff_id, api_key_id=row.api_key_id
        )
    elif row.device_id is not None and row.device_revoked_at is None:
        found = Principal(row.id, "kitchen", row.device_name, device_id=row.device_id)
    if found is not None and idle_for > TOUCH_EVERY:
        await session.execute(_TOUCH, {"digest": digest})
        await session.commit()
    return found, row.location_stamp


__all__ = [
    "PinGate",
    "PinLimits",
    "Principal",
    "SessionIdle",
    "TooManyTries",
    "look_up",
    "principal_for",
    "sign_in",
    "verify_pin",
]
