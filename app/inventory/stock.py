"""What is on hand: the sum of an ingredient's moves (the last count is one of them: a count
writes the difference it found, so "last count + moves since" is simply every move).

Read-only, one statement; never a column anybody updates.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.inventory.models import Ingredient, StockMove, StorageArea


@dataclass(frozen=True, slots=True)
class OnHand:
    ingredient_id: int
    name: str
    base_unit: str
    storage_area: str
    quantity: Decimal


async def on_hand(
    session: AsyncSession, location_id: int, ingredient_ids: list[int] | None = None
) -> list[OnHand]:
    """Every live ingredient's stock (or these ones'), by storage area then name."""
    moved = (
        select(StockMove.ingredient_id, func.sum(StockMove.quantity).label("quantity"))
        .where(StockMove.location_id == location_id)
        .group_by(StockMove.ingredient_id)
        .subquery()
    )
    query = (
        select(
            Ingredient.id,
            Ingredient.name,
            Ingredient.base_unit,
            func.coalesce(StorageArea.name, "").label("area"),
            func.coalesce(moved.c.quantity, 0).label("quantity"),
        )
        .outerjoin(moved, moved.c.ingredient_id == Ingredient.id)
        .outerjoin(StorageArea, StorageArea.id == Ingredient.storage_area_id)
        .where(Ingredient.location_id == location_id, Ingredient.archived_at.is_(None))
        .order_by("area", Ingredient.name)
    )
    if ingredient_ids is not None:
        query = query.where(Ingredient.id.in_(ingredient_ids))
    rows = (await session.execute(query)).all()
    return [OnHand(r.id, r.name, r.base_unit, r.area, Decimal(r.quantity)) for r in rows]
