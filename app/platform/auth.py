"""Staff sign-in by PIN, sessions kept in the database, and throttling of PIN guessing.

PINs are short, so the hash alone protects little: what protects them is the throttle. Wrong
PINs are counted per staff member (a lock-out a manager must lift) and per device (a cap per
five minutes), both in the database so a restart or a second process does not reset them.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadInput, BrigadeError, NotFound, Refused
from app.platform import audit
from app.platform.db import UnitOfWork
from app.platform.models import Device, PinAttempt, Staff, StaffSession

# Parameters sized for a tablet tapping a PIN (~20 ms) rather than a website password.
_hasher = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)
_PIN = re.compile(r"^\d{4,6}$")
DEVICE_WINDOW = timedelta(minutes=5)

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


def hash_pin(pin: str) -> str:
    if not _PIN.match(pin):
        raise BadInput("A PIN is 4 to 6 digits.")
    return _hasher.hash(pin)


def pin_matches(pin_hash: str, pin: str) -> bool:
    try:
        return _hasher.verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def _new_session(
    session: AsyncSession, staff_id: int | None, device_id: int | None, replaces: str | None
) -> str:
    """A fresh session id at every sign-in; the one it replaces stops working at once."""
    if replaces:
        await revoke_session(session, replaces)
    token = secrets.token_urlsafe(32)
    await session.execute(
        insert(StaffSession).values(id=token_digest(token), staff_id=staff_id, device_id=device_id)
    )
    return token


@dataclass(frozen=True, slots=True)
class PinGate:
    """Where a PIN is typed, and the limits that apply there."""

    device_key: str
    client_ip: str = ""
    lockout_after: int = 5
    device_limit: int = 20


async def verify_pin(session: AsyncSession, staff_id: int, pin: str, gate: PinGate) -> Staff:
    """Check a staff member's PIN through the throttle; returns the staff row (locked).

    A wrong PIN raises ``Refused`` *after* recording the attempt, so the caller must commit
    before answering (the failure has to count even though the command failed).
    """
    if not _PIN.match(pin or ""):
        raise BadInput("Enter your 4 to 6 digit PIN.")
    since = func.now() - DEVICE_WINDOW
    device_failures = await session.scalar(
        select(func.count())
        .select_from(PinAttempt)
        .where(
            # A device is its cookie *or* its network address: a fresh cookie per guess
            # (or a made-up device name on the API) does not reset the count.
            or_(PinAttempt.device_key == gate.device_key, PinAttempt.client_ip == gate.client_ip)
            if gate.client_ip
            else PinAttempt.device_key == gate.device_key,
            ~PinAttempt.ok,
            PinAttempt.at > since,
        )
    )
    if (device_failures or 0) >= gate.device_limit:
        raise Refused("Too many wrong PINs on this tablet. Wait five minutes and try again.")
    # Lock the staff row: parallel guesses for one person are counted one after another.
    staff = await session.scalar(
        select(Staff).where(Staff.id == staff_id, Staff.active).with_for_update()
    )
    if staff is None:
        raise NotFound("No such staff member. Tap your name on the sign-in screen.")
    if staff.locked_at is not None:
        raise Refused(f"{staff.name} is locked after too many wrong PINs. Ask a manager.")
    ok = pin_matches(staff.pin_hash, pin)
    await session.execute(
        insert(PinAttempt).values(
            staff_id=staff.id, device_key=gate.device_key, client_ip=gate.client_ip, ok=ok
        )
    )
    if not ok:
        failed = staff.failed_pins + 1
        locked = failed >= gate.lockout_after
        await session.execute(
            update(Staff)
            .where(Staff.id == staff.id)
            .values(failed_pins=failed, locked_at=func.now() if locked else None)
        )
        if locked:
            await audit.record(session, "pin_lockout", f"staff:{staff.id}", actor_id=None)
            raise Refused(f"Wrong PIN. {staff.name} is now locked; a manager can unlock.")
        left = gate.lockout_after - failed
        raise Refused(f"Wrong PIN. {left} more tr{'y' if left == 1 else 'ies'} before lock-out.")
    if staff.failed_pins:
        await session.execute(update(Staff).where(Staff.id == staff.id).values(failed_pins=0))
    return staff


async def sign_in(
    session: AsyncSession,
    staff_id: int,
    pin: str,
    device_key: str,
    *,
    client_ip: str = "",
    lockout_after: int,
    device_limit: int,
    replaces: str | None = None,
) -> str:
    """Check the PIN and open a session; returns its token (see ``verify_pin``)."""
    gate = PinGate(device_key, client_ip, lockout_after, device_limit)
    staff = await verify_pin(session, staff_id, pin, gate)
    return await _new_session(session, staff.id, None, replaces)


async def sign_in_counting_failures(uow: UnitOfWork, *args: Any, **kwargs: Any) -> str:
    """``sign_in`` for a request: a refused PIN is committed before the refusal goes back,
    so the throttle counts it even though the request as a whole failed."""
    try:
        return await sign_in(uow.session, *args, **kwargs)
    except BrigadeError:
        await uow.commit()
        raise


async def pair_device(session: AsyncSession, token: str, replaces: str | None = None) -> str:
    """A kitchen screen signs in with its device token."""
    device = await session.scalar(
        select(Device).where(Device.token_hash == token_digest(token.strip()))
    )
    if device is None or device.revoked_at is not None:
        raise Refused("That device token is not valid. A manager can issue a new one.")
    return await _new_session(session, None, device.id, replaces)


async def unlock_staff(session: AsyncSession, staff_id: int, manager_id: int) -> None:
    staff = await session.get(Staff, staff_id, with_for_update=True)
    if staff is None:
        raise NotFound("No such staff member.")
    await session.execute(
        update(Staff).where(Staff.id == staff_id).values(failed_pins=0, locked_at=None)
    )
    await audit.record(
        session, "pin_unlock", f"staff:{staff_id}", actor_id=manager_id, approver_id=manager_id
    )


async def revoke_session(session: AsyncSession, token: str) -> None:
    await session.execute(
        update(StaffSession)
        .where(StaffSession.id == token_digest(token), StaffSession.revoked_at.is_(None))
        .values(revoked_at=func.now())
    )


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
    )
    .outerjoin(Staff, Staff.id == StaffSession.staff_id)
    .outerjoin(Device, Device.id == StaffSession.device_id)
    .where(StaffSession.id == bindparam("digest"), StaffSession.revoked_at.is_(None))
)


async def principal_for(session: AsyncSession, token: str) -> Principal | None:
    """The live session behind a cookie or bearer token, or None."""
    row = (await session.execute(_PRINCIPAL, {"digest": token_digest(token)})).first()
    if row is None:
        return None
    # A PIN lock-out stops new sign-ins only: someone guessing a manager's PIN on the
    # approval pad must not be able to sign that manager out of every tablet.
    if row.staff_id is not None and row.active:
        return Principal(row.id, row.role, row.staff_name, staff_id=row.staff_id)
    if row.device_id is not None and row.device_revoked_at is None:
        return Principal(row.id, "kitchen", row.device_name, device_id=row.device_id)
    return None
