"""What the purchasing pages show: read-only queries, one statement each."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import NotFound
from app.inventory.models import Ingredient
from app.inventory.purchase_models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReceipt,
    PurchaseReceiptLine,
    PurchaseUnit,
    Supplier,
)


@dataclass(frozen=True, slots=True)
class Pack:
    id: int
    supplier_id: int
    name: str
    ingredient: str
    base_unit: str
    base_quantity: Decimal
    price: int


async def suppliers(session: AsyncSession, location_id: int) -> list[Supplier]:
    query = select(Supplier).where(Supplier.location_id == location_id).order_by(Supplier.name)
    return list(await session.scalars(query))


async def packs(session: AsyncSession, location_id: int) -> list[Pack]:
    rows = await session.execute(
        select(PurchaseUnit, Ingredient.name, Ingredient.base_unit)
        .join(Ingredient, Ingredient.id == PurchaseUnit.ingredient_id)
        .join(Supplier, Supplier.id == PurchaseUnit.supplier_id)
        .where(Supplier.location_id == location_id, Ingredient.archived_at.is_(None))
        .order_by(Ingredient.name, PurchaseUnit.name)
    )
    return [
        Pack(u.id, u.supplier_id, u.name, name, unit, u.base_quantity, u.price)
        for u, name, unit in rows
    ]


async def orders(session: AsyncSession, location_id: int) -> list[Any]:
    """The last 100 orders, newest first, each with its supplier, lines and total."""
    rows = await session.execute(
        select(
            PurchaseOrder.id,
            PurchaseOrder.status,
            PurchaseOrder.created_at,
            Supplier.name.label("supplier"),
            func.count(PurchaseOrderLine.id).label("lines"),
            func.coalesce(func.sum(PurchaseOrderLine.packs * PurchaseOrderLine.price), 0).label(
                "total"
            ),
        )
        .join(Supplier, Supplier.id == PurchaseOrder.supplier_id)
        .outerjoin(PurchaseOrderLine, PurchaseOrderLine.order_id == PurchaseOrder.id)
        .where(PurchaseOrder.location_id == location_id)
        .group_by(PurchaseOrder.id, Supplier.name)
        .order_by(PurchaseOrder.id.desc())
        .limit(100)
    )
    return list(rows.all())


async def order(session: AsyncSession, location_id: int, order_id: int) -> dict[str, Any]:
    found = (
        await session.execute(
            select(PurchaseOrder, Supplier.name)
            .join(Supplier, Supplier.id == PurchaseOrder.supplier_id)
            .where(PurchaseOrder.id == order_id, PurchaseOrder.location_id == location_id)
        )
    ).first()
    if found is None:
        raise NotFound("That purchase order is not one of this restaurant's.")
    received = (
        select(PurchaseReceiptLine.order_line_id, func.sum(PurchaseReceiptLine.packs).label("n"))
        .join(PurchaseReceipt, PurchaseReceipt.id == PurchaseReceiptLine.receipt_id)
        .where(PurchaseReceipt.order_id == order_id)
        .group_by(PurchaseReceiptLine.order_line_id)
        .subquery()
    )
    lines = await session.execute(
        select(
            PurchaseOrderLine,
            PurchaseUnit.name,
            Ingredient.name.label("ingredient"),
            func.coalesce(received.c.n, 0).label("received"),
        )
        .join(PurchaseUnit, PurchaseUnit.id == PurchaseOrderLine.purchase_unit_id)
        .join(Ingredient, Ingredient.id == PurchaseOrderLine.ingredient_id)
        .outerjoin(received, received.c.order_line_id == PurchaseOrderLine.id)
        .where(PurchaseOrderLine.order_id == order_id)
        .order_by(Ingredient.name)
    )
    return {"order": found[0], "supplier": found[1], "lines": list(lines.all())}
