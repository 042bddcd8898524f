"""The manager's device commands: pair a waiting device by its code, rename it, revoke it.

Each is one transaction with its idempotency key and an audit row naming the manager (the
row's time is when). A code is used once: its row is locked while it is paired, so two
managers typing the same code pair one device, and the second is told the code was used.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadInput, Conflict, NotFound
from app.core.inputs import clean_text
from app.devices import codes
from app.devices.models import DevicePairing
from app.devices.pairing import LIFETIME, CodeExpired
from app.devices.places import Places
from app.platform import audit, idempotency
from app.platform.db import UnitOfWork
from app.platform.device_sockets import DEVICES_CHANNEL
from app.platform.models import Device, StaffSession

KIND_NAMES = {"kds": "kitchen screen", "agent": "print agent"}


@dataclass(frozen=True, slots=True)
class PairOrder:
    """What the manager typed: the code on the screen, and what the device is to be."""

    code: str
    name: str
    kind: str
    station_id: int | None = None
    printer_ids: list[int] = field(default_factory=list)


def device_name(raw: str) -> str:
    """A device's name, as staff call it: "Grill screen", "Kitchen PC"."""
    name = " ".join(clean_text(raw, "The device's name", limit=200, lines=False).split())
    if not name or len(name) > 80:
        raise BadInput(
            "Name the device after where it is, such as Grill screen or Kitchen PC "
            "(1 to 80 characters)."
        )
    return name


async def _unique_name(
    session: AsyncSession, location_id: int, name: str, device_id: int = 0
) -> None:
    same = await session.scalar(
        select(Device.id).where(
            Device.location_id == location_id,
            Device.revoked_at.is_(None),
            func.lower(Device.name) == name.lower(),
            Device.id != device_id,
        )
    )
    if same is not None:
        raise BadInput(f"There is already a device called {name}: give this one another name.")


async def _where_it_works(
    session: AsyncSession, location_id: int, order: PairOrder, places: Places
) -> tuple[int | None, list[int]]:
    """The station (kitchen screen) or printers (print agent) checked against the lists."""
    if order.kind == "kds":
        if order.printer_ids:
            raise BadInput("A kitchen screen prints nothing: pick printers for a print agent.")
        stations = {p.id for p in await places.stations(session, location_id)}
        if order.station_id is not None and order.station_id not in stations:
            raise NotFound("That station does not exist: pick one from the list.")
        return order.station_id, []
    if order.station_id is not None:
        raise BadInput("A print agent shows no station: pick the printers it reaches.")
    printers = {p.id for p in await places.printers(session, location_id)}
    wanted = sorted(set(order.printer_ids))
    if not set(wanted) <= printers:
        raise NotFound("That printer does not exist: pick printers from the list.")
    return None, wanted


async def pair_with_code(
    uow: UnitOfWork,
    location_id: int,
    manager_id: int,
    order: PairOrder,
    places: Places,
    key: str | None = None,
) -> int:
    """The device showing ``order.code`` becomes a paired device; returns its id."""
    session = uow.session
    payload = {
        "code": codes.digest(order.code),
        "name": order.name,
        "kind": order.kind,
        "station": order.station_id,
        "printers": sorted(set(order.printer_ids)),
    }
    claim = await idempotency.claim(session, key, "pair_device", payload)
    if claim.replay is not None:
        return int(claim.replay["device_id"])
    found = (
        await session.execute(
            select(DevicePairing, (DevicePairing.expires_at <= func.now()).label("expired"))
            .where(
                DevicePairing.location_id == location_id,
                DevicePairing.code_hash == codes.digest(order.code),
            )
            .with_for_update(of=DevicePairing)
        )
    ).first()
    minutes = int(LIFETIME.total_seconds()) // 60
    if found is None:
        raise NotFound(
            f"No screen is showing {codes.shown(order.code)}. Check the code on the screen "
            "(it changes when the screen asks for a new one)."
        )
    pairing, expired = found[0], found[1]
    if pairing.device_id is not None:
        raise Conflict(
            f"{codes.shown(order.code)} was already used: a code pairs one device, once. "
            "Ask the screen for a new code."
        )
    if expired:
        raise CodeExpired(
            f"{codes.shown(order.code)} has expired (a code lasts {minutes} minutes). "
            "Ask the screen for a new code."
        )
    if pairing.kind != order.kind:
        raise BadInput(
            f"{codes.shown(order.code)} is shown by a {KIND_NAMES[pairing.kind]}, "
            f"not a {KIND_NAMES[order.kind]}: pick {KIND_NAMES[pairing.kind]}."
        )
    await _unique_name(session, location_id, order.name)
    station_id, printer_ids = await _where_it_works(session, location_id, order, places)
    device_id = await session.scalar(
        insert(Device)
        .values(
            location_id=location_id,
            name=order.name,
            kind=order.kind,
            token_hash=pairing.token_hash,
            station_id=station_id,
            paired_by=manager_id,
        )
        .returning(Device.id)
    )
    assert device_id is not None
    await session.execute(
        update(DevicePairing)
        .where(DevicePairing.id == pairing.id)
        .values(device_id=device_id, paired_at=func.now())
    )
    if printer_ids:
        await places.give_printers(session, location_id, device_id, printer_ids)
    # Never the code or the token: only what the device became.
    await audit.record(
        session,
        "pair_device",
        f"device:{device_id}",
        actor_id=manager_id,
        name=order.name,
        kind=order.kind,
        station_id=station_id,
        printer_ids=printer_ids,
    )
    await idempotency.remember(session, claim, {"device_id": device_id})
    return int(device_id)


async def _device(session: AsyncSession, location_id: int, device_id: int) -> Device:
    device = await session.scalar(
        select(Device)
        .where(Device.id == device_id, Device.location_id == location_id)
        .with_for_update()
    )
    if device is None:
        raise NotFound("There is no device with that number.")
    return device


async def rename_device(
    uow: UnitOfWork,
    location_id: int,
    manager_id: int,
    device_id: int,
    name: str,
    key: str | None = None,
) -> None:
    session = uow.session
    claim = await idempotency.claim(
        session, key, "rename_device", {"device": device_id, "name": name}
    )
    if claim.replay is not None:
        return
    device = await _device(session, location_id, device_id)
    if device.revoked_at is not None:
        raise Conflict(f"{device.name} is revoked: pair the device again to use it.")
    await _unique_name(session, location_id, name, device.id)
    if name != device.name:
        await audit.record(
            session,
            "rename_device",
            f"device:{device.id}",
            actor_id=manager_id,
            before=device.name,
            after=name,
        )
        await session.execute(update(Device).where(Device.id == device.id).values(name=name))
    await idempotency.remember(session, claim, {})


async def revoke_device(
    uow: UnitOfWork, location_id: int, manager_id: int, device_id: int, key: str | None = None
) -> None:
    """Its token and sessions stop working now; its open sockets close on every process
    once this commits (``app.platform.device_sockets``)."""
    session = uow.session
    claim = await idempotency.claim(session, key, "revoke_device", {"device": device_id})
    if claim.replay is not None:
        return
    device = await _device(session, location_id, device_id)
    if device.revoked_at is not None:
        raise Conflict(f"{device.name} was already revoked.")
    await session.execute(
        update(Device).where(Device.id == device.id).values(revoked_at=func.now())
    )
    ended = await session.execute(
        update(StaffSession)
        .where(StaffSession.device_id == device.id, StaffSession.revoked_at.is_(None))
        .values(revoked_at=func.now())
    )
    await audit.record(
        session,
        "revoke_device",
        f"device:{device.id}",
        actor_id=manager_id,
        name=device.name,
        kind=device.kind,
        sessions=int(getattr(ended, "rowcount", 0) or 0),
    )
    uow.announce(DEVICES_CHANNEL, {"revoked": device.id})
    await idempotency.remember(session, claim, {})
