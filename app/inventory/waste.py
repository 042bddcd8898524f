"""Waste: a line voided after the kitchen made it, and the waste log (dropped, spoiled,
burnt), each a ``waste`` move at the time it happened.

Inventory's void listener: when the manager says the food was made and thrown away, every
ingredient its recipe and options used is one ``waste`` move (source ``void:LINE``), in the
void's transaction. A void the kitchen stopped in time (not waste) and a line cleared before
it was sent use nothing.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import insert, select, text

from app.core.errors import BadInput, NotFound
from app.inventory.costing import post_cost
from app.inventory.models import Ingredient, StockMove
from app.inventory.units import to_base
from app.platform import audit, idempotency
from app.platform.closing import LineVoided
from app.platform.db import UnitOfWork

#: Why food is thrown away, for the waste report; "other" needs a note.
WASTE_REASONS = ("spoiled", "dropped", "burnt", "overproduced", "returned", "other")

_WASTE = text(  # built once, never from input
    """
    WITH line AS (
        SELECT id, menu_item_id, quantity FROM check_line WHERE id = :line_id
    ),
    used AS (
        SELECT r.ingredient_id, r.quantity * line.quantity AS amount
        FROM line JOIN recipe_line r ON r.item_id = line.menu_item_id
        UNION ALL
        SELECT r.ingredient_id, r.quantity * line.quantity
        FROM line JOIN check_line_modifier m ON m.line_id = line.id
        JOIN option_recipe r ON r.option_id = m.option_id
    )
    INSERT INTO stock_move (location_id, ingredient_id, kind, quantity, source, reason, staff_id)
    SELECT :location_id, ingredient_id, 'waste', -sum(amount), :source, :reason, :staff_id
    FROM used GROUP BY ingredient_id HAVING sum(amount) > 0
    """
)


async def waste_void(uow: UnitOfWork, voided: LineVoided) -> None:
    if not voided.waste:
        return
    await uow.session.execute(
        _WASTE,
        {
            "line_id": voided.line_id,
            "location_id": voided.location_id,
            "source": f"void:{voided.line_id}",
            "reason": voided.reason[:200],
            "staff_id": voided.staff_id,
        },
    )


async def log_waste(
    uow: UnitOfWork,
    location_id: int,
    ingredient_id: int,
    amount: Decimal,
    unit: str,
    reason: str,
    staff_id: int,
    note: str = "",
    key: str | None = None,
) -> int:
    """Write what was thrown away off the stock; returns the move's id."""
    session = uow.session
    asked = {"ingredient": ingredient_id, "amount": str(amount), "unit": unit, "why": reason}
    claim = await idempotency.claim(session, key, "log_waste", {**asked, "note": note})
    if claim.replay is not None:
        return int(claim.replay["move_id"])
    if reason not in WASTE_REASONS:
        raise BadInput(f"Say why it was thrown away: {', '.join(WASTE_REASONS)}.")
    note = " ".join((note or "").split())[:160]
    if reason == "other" and not note:
        raise BadInput("Say what happened (a few words) when the reason is other.")
    if amount <= 0:
        raise BadInput("Log how much was thrown away: more than nothing.")
    ingredient = (
        await session.execute(
            select(Ingredient.id, Ingredient.name, Ingredient.base_unit).where(
                Ingredient.id == ingredient_id,
                Ingredient.location_id == location_id,
                Ingredient.archived_at.is_(None),
            )
        )
    ).first()
    if ingredient is None:
        raise NotFound("That ingredient does not exist (or is archived).")
    base = to_base(amount, unit or ingredient.base_unit, ingredient.base_unit)
    move_id = await session.scalar(
        insert(StockMove)
        .values(
            location_id=location_id,
            ingredient_id=ingredient_id,
            kind="waste",
            quantity=-base,
            source="waste-log",
            reason=f"{reason}: {note}" if note else reason,
            staff_id=staff_id,
        )
        .returning(StockMove.id)
    )
    assert move_id is not None
    await audit.record(
        session, "log_waste", f"ingredient:{ingredient_id}", actor_id=staff_id,
        amount=str(base), unit=ingredient.base_unit, reason=reason,
    )  # fmt: skip
    await post_cost(uow, location_id, f"waste-log:{move_id}", "waste", staff_id, move_id)
    await idempotency.remember(session, claim, {"move_id": move_id})
    return int(move_id)
