"""A line voided after the kitchen made it is waste, at the time of the void.

Inventory's void listener: when the manager says the food was made and thrown away, every
ingredient its recipe and options used is one ``waste`` move (source ``void:LINE``), in the
void's transaction. A void the kitchen stopped in time (not waste) and a line cleared before
it was sent use nothing.
"""

from __future__ import annotations

from sqlalchemy import text

from app.platform.closing import LineVoided
from app.platform.db import UnitOfWork

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
