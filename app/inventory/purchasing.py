"""Purchase orders: drafted by hand or proposed by "fill to par", sent, cancelled.

Receiving is app/inventory/receiving.py. A draft is written whole (its lines with it): to
change one, cancel it and draft again, so what was sent is never edited after the fact.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from sqlalchemy import func, select, update

from app.core.errors import BadInput, Conflict, NotFound
from app.inventory.models import Ingredient
from app.inventory.purchase_models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReceipt,
    PurchaseReceiptLine,
    PurchaseUnit,
)
from app.inventory.stock import on_hand
from app.inventory.suppliers import MAX_PRICE, supplier_of
from app.platform import audit, idempotency
from app.platform.db import UnitOfWork

#: The most packs one line orders: more is a typo, not an order.
MAX_PACKS = 100_000


@dataclass(frozen=True, slots=True)
class Ordered:
    """One line to order: packs of a purchase unit; price per pack (None: its list price)."""

    purchase_unit_id: int
    packs: int
    price: int | None = None


async def order_of(uow: UnitOfWork, location_id: int, order_id: int) -> PurchaseOrder:
    """The order, locked: sending, cancelling and receiving one order wait for each other."""
    found = await uow.session.scalar(
        select(PurchaseOrder)
        .where(PurchaseOrder.id == order_id, PurchaseOrder.location_id == location_id)
        .with_for_update()
    )
    if found is None:
        raise NotFound("That purchase order is not one of this restaurant's.")
    return found


async def _write(
    uow: UnitOfWork, location_id: int, actor_id: int, supplier_id: int, lines: list[Ordered]
) -> int:
    session = uow.session
    await supplier_of(uow, location_id, supplier_id)
    if not lines:
        raise BadInput("Put at least one line on the order.")
    ids = {line.purchase_unit_id for line in lines}
    if len(ids) != len(lines):
        raise BadInput("Each pack once per order: add the packs up on one line.")
    units = {
        u.id: u
        for u in await session.scalars(
            select(PurchaseUnit)
            .join(Ingredient, Ingredient.id == PurchaseUnit.ingredient_id)
            .where(
                PurchaseUnit.id.in_(ids),
                PurchaseUnit.supplier_id == supplier_id,
                Ingredient.archived_at.is_(None),
            )
        )
    }
    for line in lines:
        if line.purchase_unit_id not in units:
            raise NotFound("That pack is not one this supplier sells (or it is archived).")
        if not 0 < line.packs <= MAX_PACKS:
            raise BadInput(f"Order from 1 to {MAX_PACKS:,} packs on a line.")
        if line.price is not None and not 0 <= line.price <= MAX_PRICE:
            raise BadInput("A pack's price is from 0 to 100,000.00.")
    order = PurchaseOrder(location_id=location_id, supplier_id=supplier_id, created_by=actor_id)
    session.add(order)
    await session.flush()
    session.add_all(
        PurchaseOrderLine(
            order_id=order.id,
            ingredient_id=units[line.purchase_unit_id].ingredient_id,
            purchase_unit_id=line.purchase_unit_id,
            packs=line.packs,
            price=units[line.purchase_unit_id].price if line.price is None else line.price,
        )
        for line in lines
    )
    await session.flush()
    await audit.record(session, "draft_order", f"purchase_order:{order.id}", actor_id=actor_id)
    return order.id


async def draft_order(
    uow: UnitOfWork,
    location_id: int,
    actor_id: int,
    supplier_id: int,
    lines: list[Ordered],
    key: str | None,
) -> int:
    asked = {"s": supplier_id, "lines": [(x.purchase_unit_id, x.packs, x.price) for x in lines]}
    claim = await idempotency.claim(uow.session, key, "draft_order", asked)
    if claim.replay is not None:
        return int(claim.replay["order_id"])
    order_id = await _write(uow, location_id, actor_id, supplier_id, lines)
    await idempotency.remember(uow.session, claim, {"order_id": order_id})
    return order_id


async def on_order(uow: UnitOfWork, location_id: int) -> dict[int, Decimal]:
    """Per ingredient, what open orders (drafts and sent) still bring, in base units: what
    each line ordered less what came in (never below nothing), from any supplier."""
    received = (
        select(PurchaseReceiptLine.order_line_id, func.sum(PurchaseReceiptLine.packs).label("n"))
        .group_by(PurchaseReceiptLine.order_line_id)
        .subquery()
    )
    left = func.greatest(PurchaseOrderLine.packs - func.coalesce(received.c.n, 0), 0)
    rows = await uow.session.execute(
        select(PurchaseOrderLine.ingredient_id, func.sum(left * PurchaseUnit.base_quantity))
        .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.order_id)
        .join(PurchaseUnit, PurchaseUnit.id == PurchaseOrderLine.purchase_unit_id)
        .outerjoin(received, received.c.order_line_id == PurchaseOrderLine.id)
        .where(
            PurchaseOrder.location_id == location_id,
            PurchaseOrder.status.in_(("draft", "sent")),
        )
        .group_by(PurchaseOrderLine.ingredient_id)
    )
    return {ingredient: Decimal(amount) for ingredient, amount in rows.all()}


async def to_par(uow: UnitOfWork, location_id: int, supplier_id: int) -> list[Ordered]:
    """Per ingredient under par that this supplier sells: enough packs to reach par, rounded
    up, counting what open orders still bring (filling twice orders once). Of several packs,
    the cheapest per base unit (then the smallest, to overshoot less)."""
    await supplier_of(uow, location_id, supplier_id)
    stock = {s.ingredient_id: s.quantity for s in await on_hand(uow.session, location_id)}
    for ingredient, coming in (await on_order(uow, location_id)).items():
        stock[ingredient] = stock.get(ingredient, Decimal(0)) + coming
    rows = (
        await uow.session.execute(
            select(PurchaseUnit, Ingredient.par_level)
            .join(Ingredient, Ingredient.id == PurchaseUnit.ingredient_id)
            .where(
                PurchaseUnit.supplier_id == supplier_id,
                Ingredient.par_level.is_not(None),
                Ingredient.archived_at.is_(None),
            )
            .order_by(
                PurchaseUnit.ingredient_id,
                PurchaseUnit.price / PurchaseUnit.base_quantity,
                PurchaseUnit.base_quantity,
                PurchaseUnit.id,
            )
        )
    ).all()
    proposed: dict[int, Ordered] = {}
    for unit, par in rows:
        if unit.ingredient_id in proposed:
            continue  # a cheaper pack came first
        short = (par or Decimal(0)) - stock.get(unit.ingredient_id, Decimal(0))
        if short > 0:
            packs = (short / unit.base_quantity).to_integral_value(rounding=ROUND_CEILING)
            proposed[unit.ingredient_id] = Ordered(unit.id, int(packs))
    return list(proposed.values())


async def fill_to_par(
    uow: UnitOfWork, location_id: int, actor_id: int, supplier_id: int, key: str | None
) -> int | None:
    """A draft order of what :func:`to_par` proposes; None when nothing is under par."""
    claim = await idempotency.claim(uow.session, key, "fill_to_par", {"s": supplier_id})
    if claim.replay is not None:
        replayed = claim.replay["order_id"]
        return None if replayed is None else int(replayed)
    lines = await to_par(uow, location_id, supplier_id)
    order_id = await _write(uow, location_id, actor_id, supplier_id, lines) if lines else None
    await idempotency.remember(uow.session, claim, {"order_id": order_id})
    return order_id


async def send_order(uow: UnitOfWork, location_id: int, actor_id: int, order_id: int) -> None:
    """Draft -> sent; sending a sent order again is nothing (a double tap)."""
    order = await order_of(uow, location_id, order_id)
    if order.status == "sent":
        return
    if order.status != "draft":
        raise Conflict(f"Purchase order #{order_id} is {order.status}: only a draft is sent.")
    await uow.session.execute(
        update(PurchaseOrder)
        .where(PurchaseOrder.id == order_id)
        .values(status="sent", sent_at=func.now())
    )
    await audit.record(uow.session, "send_order", f"purchase_order:{order_id}", actor_id=actor_id)


async def cancel_order(uow: UnitOfWork, location_id: int, actor_id: int, order_id: int) -> None:
    """A draft or a sent order nobody has received against; cancelling twice is nothing."""
    order = await order_of(uow, location_id, order_id)
    if order.status == "cancelled":
        return
    if order.status == "received":
        raise Conflict(f"Purchase order #{order_id} is received: it cannot be cancelled.")
    got = await uow.session.scalar(
        select(PurchaseReceipt.id).where(PurchaseReceipt.order_id == order_id).limit(1)
    )
    if got is not None:
        raise Conflict(
            f"Part of purchase order #{order_id} came in: receive the rest, or leave it open."
        )
    await uow.session.execute(
        update(PurchaseOrder).where(PurchaseOrder.id == order_id).values(status="cancelled")
    )
    await audit.record(uow.session, "cancel_order", f"purchase_order:{order_id}", actor_id=actor_id)
