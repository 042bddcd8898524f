"""Stock in the books: what a close, a waste or a count moved, at average cost.

Each listener runs after the one that wrote the moves (depletion, the void's waste) and in
the same transaction, and prices the moves of one source: Σ −quantity × the ingredient's
moving average cost (app/inventory/receiving.py). The exact value has sub-cent digits; the
entry posts it rounded half-even to minor units on both legs, so it balances by
construction, and the remainder (exact − posted) is said in the entry's payload, where an
audit of the inventory account against on hand × average cost can find it. An ingredient
never received has no cost yet and posts nothing: its moves still count, only unpriced.

A sale posts cost of goods (debit) against inventory (credit); waste posts to waste; a
count's adjustment to shrinkage (a count that finds more than expected credits it).
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

from sqlalchemy import text

from app.accounting.entries import Leg
from app.accounting.posting import Entry, post
from app.platform.closing import ClosedCheck, LineVoided
from app.platform.db import UnitOfWork

_PRICE = """
    SELECT coalesce(sum(-m.quantity * i.avg_cost), 0) AS value,
           count(*) - count(i.avg_cost) AS unpriced
    FROM stock_move m JOIN ingredient i ON i.id = m.ingredient_id
"""
# Built once, never from input: a source's moves, or one move (the waste log's share one
# source, "waste-log", so each is priced by its id).
_VALUE = text(_PRICE + "WHERE m.source = :source AND m.location_id = :location_id")
_MOVE_VALUE = text(_PRICE + "WHERE m.id = :move_id")


async def post_cost(
    uow: UnitOfWork,
    location_id: int,
    source: str,
    purpose: str,
    staff_id: int | None,
    move_id: int | None = None,
) -> int:
    """Post the cost of ``source``'s moves (or of the one move ``move_id``) to ``purpose``
    against inventory; returns the amount posted, minor units."""
    if move_id is None:
        asked = _VALUE, {"source": source, "location_id": location_id}
    else:
        asked = _MOVE_VALUE, {"move_id": move_id}
    row = (await uow.session.execute(*asked)).one()
    exact = Decimal(row.value)
    amount = int(exact.quantize(Decimal(1), ROUND_HALF_EVEN))
    post(  # an amount of 0 (nothing priced) posts nothing
        uow,
        Entry(
            location_id=location_id,
            kind=purpose,
            source=source,
            legs=(Leg(purpose, amount), Leg("inventory", -amount)),
            staff_id=staff_id,
            memo=f"stock at average cost: {source}",
            payload={
                "exact": str(exact),
                "remainder": str(exact - amount),
                "unpriced_moves": int(row.unpriced),
            },
        ),
    )
    return amount


async def cost_close(uow: UnitOfWork, closed: ClosedCheck) -> None:
    """After depletion: what the check used, as cost of goods."""
    await post_cost(uow, closed.location_id, f"check:{closed.check_id}", "cogs", closed.closed_by)


async def cost_void(uow: UnitOfWork, voided: LineVoided) -> None:
    """After the void's waste moves: what was made and thrown away, as waste."""
    if voided.waste:
        await post_cost(uow, voided.location_id, f"void:{voided.line_id}", "waste", voided.staff_id)
