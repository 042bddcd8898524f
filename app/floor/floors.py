"""Floors of the restaurant: a manager adds one (a terrace for the summer) or renames it.

A new or renamed floor changes every tablet's floor tabs, whichever floor it shows, so the
announcement says so ("tabs").
"""

from __future__ import annotations

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadInput, NotFound
from app.floor import geometry
from app.floor.models import Floor
from app.platform import audit, idempotency
from app.platform.db import UnitOfWork


async def floor_here(session: AsyncSession, location_id: int, floor_id: int) -> Floor:
    floor = await session.get(Floor, floor_id)
    if floor is None or floor.location_id != location_id:
        raise NotFound("That floor does not exist.")
    return floor


async def _unique_floor_name(
    session: AsyncSession, location_id: int, name: str, floor_id: int | None = None
) -> None:
    same = await session.scalar(
        select(Floor.id).where(
            Floor.location_id == location_id,
            func.lower(Floor.name) == name.lower(),
            Floor.id != (floor_id or 0),
        )
    )
    if same is not None:
        raise BadInput(f"There is already a floor called {name}.")


async def add_floor(
    uow: UnitOfWork, location_id: int, name: str, manager_id: int, key: str | None = None
) -> int:
    """A new, empty floor (a terrace for the summer, a private room). Returns its id."""
    session = uow.session
    claim = await idempotency.claim(session, key, "add_floor", {"name": name})
    if claim.replay is not None:
        return int(claim.replay["floor_id"])
    name = geometry.floor_name(name)
    await _unique_floor_name(session, location_id, name)
    last = await session.scalar(
        select(func.coalesce(func.max(Floor.sort), -1)).where(Floor.location_id == location_id)
    )
    floor_id = (
        await session.execute(
            insert(Floor)
            .values(location_id=location_id, name=name, sort=int(last or 0) + 1)
            .returning(Floor.id)
        )
    ).scalar_one()
    await audit.record(session, "add_floor", f"floor:{floor_id}", actor_id=manager_id, name=name)
    # Every tablet's floor tabs change, whichever floor it shows.
    uow.announce("floor", {"floor": floor_id, "tabs": True})
    await idempotency.remember(session, claim, {"floor_id": floor_id})
    return int(floor_id)


async def rename_floor(
    uow: UnitOfWork, location_id: int, floor_id: int, name: str, manager_id: int
) -> None:
    session = uow.session
    name = geometry.floor_name(name)
    floor = await floor_here(session, location_id, floor_id)
    await _unique_floor_name(session, location_id, name, floor.id)
    if name == floor.name:
        return
    await audit.record(
        session,
        "rename_floor",
        f"floor:{floor.id}",
        actor_id=manager_id,
        before=floor.name,
        after=name,
    )
    await session.execute(update(Floor).where(Floor.id == floor.id).values(name=name))
    uow.announce("floor", {"floor": floor.id, "tabs": True})
