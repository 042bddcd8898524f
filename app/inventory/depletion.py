"""Stock drops when a check closes: inventory's listener on the back-office bus.

In the close's transaction, **one statement**: every ingredient the check's lines used, by
their items' recipes and their modifier options' changes (extra cheese adds, no onions takes
off, a swap does both), is one insert-only ``stock_move`` (theoretical usage); every item sold
with no recipe, and every priced option with none, is flagged in ``unreciped_sale`` instead of
being skipped silently. No row anybody else writes is updated, so closes that use the same
ingredient never wait for each other.

A line shared between split parts is used once, with the part that holds its first share.
A comped line was still made: it depletes. Voided lines never reach the close (a void after
the kitchen made it is waste, at the time of the void).
"""

from __future__ import annotations

from sqlalchemy import text

from app.platform.closing import ClosedCheck
from app.platform.db import UnitOfWork

_DEPLETE = text(  # built once, never from input
    """
    WITH sold AS (
        SELECT * FROM unnest(CAST(:items AS bigint[]), CAST(:quantities AS int[]))
            AS s(item_id, quantity)
    ),
    chosen AS (
        SELECT * FROM unnest(CAST(:option_items AS bigint[]), CAST(:options AS bigint[]),
                             CAST(:option_quantities AS int[]))
            AS o(item_id, option_id, quantity)
    ),
    used AS (
        SELECT r.ingredient_id, r.quantity * s.quantity AS amount
        FROM sold s JOIN recipe_line r ON r.item_id = s.item_id
        UNION ALL
        SELECT r.ingredient_id, r.quantity * o.quantity
        FROM chosen o JOIN option_recipe r ON r.option_id = o.option_id
    ),
    moves AS (
        INSERT INTO stock_move (location_id, ingredient_id, kind, quantity, source, staff_id)
        SELECT :location_id, ingredient_id, 'sale', -sum(amount), :source, :staff_id
        FROM used GROUP BY ingredient_id
        -- "no onions" takes the onions off, never more than the recipe put on
        HAVING sum(amount) > 0
        RETURNING 1
    ),
    flagged AS (
        INSERT INTO unreciped_sale (location_id, item_id, option_id, quantity, source)
        SELECT :location_id, s.item_id, NULL, sum(s.quantity), :source FROM sold s
        WHERE NOT EXISTS (SELECT 1 FROM recipe_line r WHERE r.item_id = s.item_id)
        GROUP BY s.item_id
        UNION ALL
        SELECT :location_id, o.item_id, o.option_id, sum(o.quantity), :source FROM chosen o
        JOIN modifier_option m ON m.id = o.option_id AND m.price_delta <> 0
        WHERE NOT EXISTS (SELECT 1 FROM option_recipe r WHERE r.option_id = o.option_id)
        GROUP BY o.item_id, o.option_id
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM moves) AS moves, (SELECT count(*) FROM flagged) AS flagged
    """
)


async def deplete_close(uow: UnitOfWork, closed: ClosedCheck) -> None:
    made = [line for line in closed.lines if line.share_index == 0]
    if not made:
        return
    chosen = [(line, option) for line in made for option in line.option_ids]
    await uow.session.execute(
        _DEPLETE,
        {
            "location_id": closed.location_id,
            "source": f"check:{closed.check_id}",
            "staff_id": closed.closed_by,
            "items": [line.item_id for line in made],
            "quantities": [line.quantity for line in made],
            "option_items": [line.item_id for line, _ in chosen],
            "options": [option for _, option in chosen],
            "option_quantities": [line.quantity for line, _ in chosen],
        },
    )
