"""Suppliers, the packs they sell each ingredient in, and each ingredient's par level.

A pack's size is typed the way the delivery note says it ("24 each", "5 kg", "750 ml") and
converted once, by pint, to the ingredient's base unit: receiving multiplies packs by that
and never converts again. A size that does not convert (grams of a counted ingredient) is
refused with a sentence, never guessed.
"""

from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import func, select, update

from app.core.errors import BadInput, NotFound
from app.inventory.models import Ingredient
from app.inventory.purchase_models import PurchaseUnit, Supplier
from app.inventory.units import quantity, to_base
from app.platform import audit, idempotency
from app.platform.db import UnitOfWork

_SIZE = re.compile(r"^\s*([^\sa-zA-Z]+)\s*(.*?)\s*$")
#: A pack's list price, at most: a typo of three zeros more is refused, not ordered.
MAX_PRICE = 10_000_000


def pack_size(text: str, base_unit: str) -> Decimal:
    """ "5 kg" as grams (for a base unit of g); a bare number is in the base unit."""
    found = _SIZE.match(text or "")
    if found is None:
        raise BadInput("Say how much one pack holds, as a number and a unit: 5 kg, 24 each.")
    amount = quantity(found.group(1))
    base = to_base(amount, found.group(2) or base_unit, base_unit)
    if base <= 0:
        raise BadInput("A pack holds more than nothing.")
    return base


def _clean(text: str, most: int) -> str:
    return " ".join((text or "").split())[:most]


async def supplier_of(uow: UnitOfWork, location_id: int, supplier_id: int) -> Supplier:
    found = await uow.session.get(Supplier, supplier_id)
    if found is None or found.location_id != location_id:
        raise NotFound("That supplier is not one of this restaurant's.")
    return found


async def live_ingredient(uow: UnitOfWork, location_id: int, ingredient_id: int) -> Ingredient:
    found = await uow.session.get(Ingredient, ingredient_id)
    if found is None or found.location_id != location_id or found.archived_at is not None:
        raise NotFound("That ingredient is not in this restaurant's stock (or is archived).")
    return found


async def add_supplier(
    uow: UnitOfWork, location_id: int, actor_id: int, name: str, contact: str, key: str | None
) -> int:
    session = uow.session
    name, contact = _clean(name, 80), _clean(contact, 200)
    claim = await idempotency.claim(session, key, "add_supplier", {"name": name, "c": contact})
    if claim.replay is not None:
        return int(claim.replay["supplier_id"])
    if not name:
        raise BadInput("Give the supplier a name.")
    taken = await session.scalar(
        select(Supplier.id).where(
            Supplier.location_id == location_id, func.lower(Supplier.name) == name.lower()
        )
    )
    if taken is not None:
        raise BadInput(f"There is already a supplier called {name}.")
    supplier = Supplier(location_id=location_id, name=name, contact=contact)
    session.add(supplier)
    await session.flush()
    await audit.record(session, "add_supplier", f"supplier:{supplier.id}", actor_id=actor_id)
    await idempotency.remember(session, claim, {"supplier_id": supplier.id})
    return supplier.id


async def add_purchase_unit(
    uow: UnitOfWork,
    location_id: int,
    actor_id: int,
    supplier_id: int,
    ingredient_id: int,
    name: str,
    size: str,
    price: int,
    key: str | None,
) -> int:
    """A pack of ``ingredient`` from ``supplier``: "case of 24" holding "24 each" at 1899."""
    session = uow.session
    name = _clean(name, 60)
    asked = {"s": supplier_id, "i": ingredient_id, "n": name, "size": size, "p": price}
    claim = await idempotency.claim(session, key, "add_purchase_unit", asked)
    if claim.replay is not None:
        return int(claim.replay["purchase_unit_id"])
    await supplier_of(uow, location_id, supplier_id)
    ingredient = await live_ingredient(uow, location_id, ingredient_id)
    if not name:
        raise BadInput("Name the pack the way the supplier does: case of 24, 5 kg bag.")
    if not 0 <= price <= MAX_PRICE:
        raise BadInput("A pack's price is from 0 to 100,000.00.")
    base = pack_size(size, ingredient.base_unit)
    taken = await session.scalar(
        select(PurchaseUnit.id).where(
            PurchaseUnit.supplier_id == supplier_id,
            PurchaseUnit.ingredient_id == ingredient_id,
            func.lower(PurchaseUnit.name) == name.lower(),
        )
    )
    if taken is not None:
        raise BadInput(f"This supplier already sells {ingredient.name} as {name}.")
    unit = PurchaseUnit(
        supplier_id=supplier_id,
        ingredient_id=ingredient_id,
        name=name,
        base_quantity=base,
        price=price,
    )
    session.add(unit)
    await session.flush()
    await audit.record(
        session, "add_purchase_unit", f"purchase_unit:{unit.id}", actor_id=actor_id,
        base_quantity=str(base), price=price,
    )  # fmt: skip
    await idempotency.remember(session, claim, {"purchase_unit_id": unit.id})
    return unit.id


async def set_par(
    uow: UnitOfWork,
    location_id: int,
    actor_id: int,
    ingredient_id: int,
    amount: Decimal | None,
    unit: str = "",
) -> Decimal | None:
    """The stock fill-to-par orders up to (None: never order it); naturally idempotent."""
    ingredient = await live_ingredient(uow, location_id, ingredient_id)
    par = None
    if amount is not None:
        if amount < 0:
            raise BadInput("A par level is zero or more.")
        par = to_base(amount, unit or ingredient.base_unit, ingredient.base_unit)
    await uow.session.execute(
        update(Ingredient).where(Ingredient.id == ingredient_id).values(par_level=par)
    )
    await audit.record(
        uow.session, "set_par", f"ingredient:{ingredient_id}", actor_id=actor_id, par=str(par)
    )
    return par
