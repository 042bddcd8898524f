"""What the Devices screen and the API show: every device, where it works, who paired it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.devices.places import Place, Places
from app.platform.models import Device, Staff, StaffSession


@dataclass(frozen=True, slots=True)
class DeviceRow:
    id: int
    name: str
    #: "kds" (a kitchen screen) or "agent" (a print agent)
    kind: str
    #: When it was paired or its token issued (None: before pairing codes existed).
    paired_at: datetime | None
    #: The manager who paired it (None: the demo, or the server's console).
    paired_by: str | None
    #: Its last sign-in or request (a screen), its last connection (an agent).
    last_seen_at: datetime | None
    revoked_at: datetime | None
    station_id: int | None
    station: str | None
    printers: list[str] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return self.revoked_at is None


async def devices(session: AsyncSession, location_id: int, places: Places) -> list[DeviceRow]:
    """Working devices first, by name; revoked ones after, most recent first."""
    paired_by = aliased(Staff)
    seen = (
        select(func.max(StaffSession.last_seen_at))
        .where(StaffSession.device_id == Device.id)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(
            Device.id,
            Device.name,
            Device.kind,
            Device.paired_at,
            paired_by.name.label("paired_by"),
            func.greatest(Device.last_seen_at, seen).label("last_seen_at"),
            Device.revoked_at,
            Device.station_id,
        )
        .outerjoin(paired_by, paired_by.id == Device.paired_by)
        .where(Device.location_id == location_id)
        .order_by(
            Device.revoked_at.is_not(None),
            Device.revoked_at.desc(),
            func.lower(Device.name),
            Device.id,
        )
    )
    stations = {p.id: p.name for p in await places.stations(session, location_id)}
    printers = await places.printers(session, location_id)
    return [
        DeviceRow(
            r.id,
            r.name,
            r.kind,
            r.paired_at,
            r.paired_by,
            r.last_seen_at,
            r.revoked_at,
            r.station_id,
            stations.get(r.station_id) if r.station_id else None,
            [p.name for p in printers if p.agent_id == r.id],
        )
        for r in rows
    ]


async def device(
    session: AsyncSession, location_id: int, device_id: int, places: Places
) -> DeviceRow | None:
    return next((d for d in await devices(session, location_id, places) if d.id == device_id), None)


async def choices(
    session: AsyncSession, location_id: int, places: Places
) -> dict[str, list[Place]]:
    """What the pairing form offers: stations for a screen, printers for an agent."""
    return {
        "stations": await places.stations(session, location_id),
        "printers": await places.printers(session, location_id),
    }
