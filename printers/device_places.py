"""The stations and printers the Devices screen offers (``app.devices.places``), wired in
``app.main``: a kitchen screen opens on a station, a print agent reaches printers."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.devices.places import Place
from kds.stations import stations
from printers.models import Printer


class KitchenPlaces:
    async def stations(self, session: AsyncSession, location_id: int) -> list[Place]:
        return [Place(s.id, s.name) for s in await stations(session, location_id)]

    async def printers(self, session: AsyncSession, location_id: int) -> list[Place]:
        rows = await session.execute(
            select(Printer.id, Printer.name, Printer.kind, Printer.agent_device_id)
            .where(Printer.location_id == location_id)
            .order_by(Printer.name, Printer.id)
        )
        return [Place(r.id, r.name, r.agent_device_id if r.kind == "agent" else None) for r in rows]

    async def give_printers(
        self, session: AsyncSession, location_id: int, device_id: int, printer_ids: list[int]
    ) -> None:
        # The printer keeps its address: the agent reaches it there, on the restaurant's LAN.
        await session.execute(
            update(Printer)
            .where(Printer.location_id == location_id, Printer.id.in_(printer_ids))
            .values(kind="agent", agent_device_id=device_id)
        )
