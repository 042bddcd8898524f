"""A refund of dishes that were never made gives their ingredients back to stock.

Inventory's listener on money moved after a close: only a refund the manager marked "not
made" (sent back before the kitchen cooked it), only for the lines it names. Each line gives
back what its recipe and options used for its whole quantity (what the close took for it),
as positive ``sale`` moves with source ``refund:ID``. Any other refund gives nothing back:
the food was made, and eaten or thrown away.
"""

from __future__ import annotations

from sqlalchemy import text

from app.platform.closing import MoneyMoved
from app.platform.db import UnitOfWork

_RETURN = text(  # built once, never from input
    """
    WITH line AS (
        SELECT id, menu_item_id, quantity FROM check_line
        WHERE id = ANY(CAST(:line_ids AS bigint[]))
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
    SELECT :location_id, ingredient_id, 'sale', sum(amount), :source, 'Refunded, not made',
           :staff_id
    FROM used GROUP BY ingredient_id HAVING sum(amount) > 0
    """
)


async def return_unmade(uow: UnitOfWork, moved: MoneyMoved) -> None:
    if moved.kind != "refund" or not moved.not_made or not moved.lines:
        return
    await uow.session.execute(
        _RETURN,
        {
            "line_ids": sorted({line.line_id for line in moved.lines}),
            "location_id": moved.location_id,
            "source": moved.source,
            "staff_id": moved.staff_id,
        },
    )
