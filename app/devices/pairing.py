"""The waiting side of pairing: a kitchen screen or print agent asks for a code and waits.

The device is handed two things: the code, to show, and a long random token, to keep to
itself. Only their sha256 are stored. When a manager types the code (``service.pair_with_code``)
the device row is made with that token's hash, so the token the device already holds is its
device token from then on; the device learns it by asking (``pairing_state``). Nothing has
to reach the device after the manager confirms, so a lost answer can never lose a pairing,
and no server ever holds a token it could leak.

Anyone on the network may ask for a code (the screen is not signed in yet), so asking is
capped: at most ``MAX_WAITING_PER_ADDRESS`` codes wait per address and ``MAX_WAITING`` per
restaurant. That also keeps the chance of a mistyped code hitting a stranger's waiting code
what ``codes`` says it is.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadInput, BrigadeError, NotFound, Refused
from app.devices import codes
from app.devices.models import DEVICE_KINDS, DevicePairing
from app.platform.models import Device

#: How long a code may wait for a manager.
LIFETIME = timedelta(minutes=10)
MAX_WAITING = 50
MAX_WAITING_PER_ADDRESS = 5
#: Used and expired codes are kept this long, to say what happened to them, then deleted.
KEEP_FOR = timedelta(days=1)


class TooManyWaiting(BrigadeError):
    """Too many codes are waiting already: HTTP 429."""

    status = 429
    retry_after = int(LIFETIME.total_seconds())


class CodeExpired(BrigadeError):
    """The code waited longer than ``LIFETIME``: HTTP 410 (ask for a new one)."""

    status = 410


@dataclass(frozen=True, slots=True)
class Waiting:
    """What a device is handed: the code to show, the token to keep, when the code ends."""

    code: str
    token: str
    expires_at: datetime

    @property
    def shown(self) -> str:
        return codes.shown(self.code)


@dataclass(frozen=True, slots=True)
class PairingState:
    """Where a waiting device stands: still waiting, or paired as ``name``."""

    paired: bool
    expires_at: datetime
    device_id: int | None = None
    name: str | None = None
    station_id: int | None = None


def device_kind(raw: str) -> str:
    if raw not in DEVICE_KINDS:
        raise BadInput('Say what is waiting: "kds" (a kitchen screen) or "agent" (a print agent).')
    return raw


async def ask_for_code(
    session: AsyncSession, location_id: int, kind: str, client_ip: str
) -> Waiting:
    """A new code for a waiting device (a write: the caller commits it)."""
    kind = device_kind(kind)
    await session.execute(
        delete(DevicePairing).where(DevicePairing.expires_at < func.now() - KEEP_FOR)
    )
    address = client_ip[:64]
    waiting = (
        await session.execute(
            select(
                func.count(),
                func.count().filter(DevicePairing.client_ip == address),
            ).where(
                DevicePairing.location_id == location_id,
                DevicePairing.device_id.is_(None),
                DevicePairing.expires_at > func.now(),
            )
        )
    ).one()
    if waiting[0] >= MAX_WAITING or waiting[1] >= MAX_WAITING_PER_ADDRESS:
        raise TooManyWaiting(
            "Too many screens are waiting for a pairing code already. Pair one of them, "
            f"or wait: a code lasts {int(LIFETIME.total_seconds()) // 60} minutes."
        )
    token = secrets.token_urlsafe(32)
    while True:  # a new code is almost never one still kept; if it is, draw again
        code = codes.new_code()
        expires_at = await session.scalar(
            insert(DevicePairing)
            .values(
                location_id=location_id,
                code_hash=codes.digest(code),
                token_hash=codes.digest(token),
                kind=kind,
                client_ip=address,
                expires_at=func.now() + LIFETIME,
            )
            .on_conflict_do_nothing(index_elements=["code_hash"])
            .returning(DevicePairing.expires_at)
        )
        if expires_at is not None:
            return Waiting(code, token, expires_at)


async def pairing_state(session: AsyncSession, token: str) -> PairingState:
    """Has a manager typed this device's code yet? Refusals say what to do next."""
    if not token or len(token) > 200:
        raise NotFound("This device has no pairing code. Ask for one.")
    row = (
        await session.execute(
            select(
                DevicePairing.expires_at,
                DevicePairing.device_id,
                (DevicePairing.expires_at <= func.now()).label("expired"),
                Device.name,
                Device.revoked_at,
                Device.station_id,
            )
            .outerjoin(Device, Device.id == DevicePairing.device_id)
            .where(DevicePairing.token_hash == codes.digest(token))
        )
    ).first()
    if row is None:
        raise NotFound("This device's pairing code is no longer known. Ask for a new one.")
    if row.device_id is not None:
        if row.revoked_at is not None:
            raise Refused(f"{row.name} was paired, then revoked by a manager. Ask for a new code.")
        return PairingState(True, row.expires_at, row.device_id, row.name, row.station_id)
    if row.expired:
        raise CodeExpired(
            "The code expired before a manager typed it. Ask for a new one: it lasts "
            f"{int(LIFETIME.total_seconds()) // 60} minutes."
        )
    return PairingState(False, row.expires_at)
