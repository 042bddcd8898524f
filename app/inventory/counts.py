"""Counting the shelves: what was there, against what the moves said, and the difference
posted as the count's adjustment.

A count names what it found per ingredient, in the unit it was counted in (kg on the scale,
"each" for buns, the base unit). In one statement it writes each line with what the moves
expected at that moment and, for every line that differs, one ``count`` move of the
difference (source ``count:ID``), so on hand afterwards is exactly what was counted. A close
committing at the same instant is either before the count (in "expected") or after it (a
move of its own); nothing is lost either way.

Ingredients not named are left as they were: counting the walk-in does not zero the bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import insert, select, text

from app.core.errors import BadInput, NotFound
from app.inventory.costing import post_cost
from app.inventory.models import Ingredient, StockCount, StorageArea
from app.inventory.units import to_base
from app.platform import audit, idempotency
from app.platform.db import UnitOfWork

MAX_LINES = 2000


@dataclass(frozen=True, slots=True)
class Counted:
    ingredient_id: int
    amount: Decimal
    #: What it was counted in ("kg", "each"); empty: the ingredient's base unit.
    unit: str = ""


@dataclass(frozen=True, slots=True)
class CountLine:
    ingredient_id: int
    name: str
    base_unit: str
    expected: Decimal
    counted: Decimal

    @property
    def variance(self) -> Decimal:
        """Positive: more on the shelf than the moves said; negative: missing."""
        return self.counted - self.expected


@dataclass(frozen=True, slots=True)
class CountResult:
    count_id: int
    lines: tuple[CountLine, ...]


_WRITE = text(  # built once, never from input
    """
    WITH found AS (
        SELECT * FROM unnest(CAST(:ingredients AS bigint[]), CAST(:counted AS numeric[]))
            AS f(ingredient_id, counted)
    ),
    lines AS (
        INSERT INTO stock_count_line (count_id, ingredient_id, expected, counted)
        SELECT :count_id, f.ingredient_id,
               coalesce((SELECT sum(m.quantity) FROM stock_move m
                         WHERE m.ingredient_id = f.ingredient_id), 0),
               f.counted
        FROM found f
        RETURNING ingredient_id, expected, counted
    ),
    moves AS (
        INSERT INTO stock_move (location_id, ingredient_id, kind, quantity, source, reason,
                                staff_id)
        SELECT :location_id, ingredient_id, 'count', counted - expected, :source, 'Count',
               :staff_id
        FROM lines WHERE counted <> expected
    )
    SELECT ingredient_id, expected, counted FROM lines
    """
)


def _checked(counted: Sequence[Counted]) -> None:
    if not counted:
        raise BadInput("Count at least one ingredient.")
    if len(counted) > MAX_LINES:
        raise BadInput(f"Count at most {MAX_LINES} ingredients at a time.")
    ids = [c.ingredient_id for c in counted]
    if len(ids) != len(set(ids)):
        raise BadInput("Each ingredient once per count: add the shelves up first.")
    if any(c.amount < 0 for c in counted):
        raise BadInput("A count cannot be negative: count what is on the shelf (0 if none).")


async def count_stock(
    uow: UnitOfWork,
    location_id: int,
    counted: Sequence[Counted],
    staff_id: int,
    storage_area_id: int | None = None,
    key: str | None = None,
) -> CountResult:
    session = uow.session
    asked = {
        "area": storage_area_id,
        "lines": [[c.ingredient_id, str(c.amount), c.unit] for c in counted],
    }
    claim = await idempotency.claim(session, key, "count_stock", asked)
    if claim.replay is not None:
        return await count_result(uow, int(claim.replay["count_id"]))
    _checked(counted)
    if storage_area_id is not None:
        area = await session.get(StorageArea, storage_area_id)
        if area is None or area.location_id != location_id:
            raise NotFound("That storage area does not exist.")
    known = {
        row.id: row
        for row in (
            await session.execute(
                select(Ingredient.id, Ingredient.name, Ingredient.base_unit).where(
                    Ingredient.location_id == location_id,
                    Ingredient.archived_at.is_(None),
                    Ingredient.id.in_([c.ingredient_id for c in counted]),
                )
            )
        ).all()
    }
    missing = [c.ingredient_id for c in counted if c.ingredient_id not in known]
    if missing:
        raise NotFound(f"Ingredient {missing[0]} does not exist (or is archived).")
    base = [
        to_base(
            c.amount, c.unit or known[c.ingredient_id].base_unit, known[c.ingredient_id].base_unit
        )
        for c in counted
    ]
    count_id = await session.scalar(
        insert(StockCount)
        .values(location_id=location_id, storage_area_id=storage_area_id, counted_by=staff_id)
        .returning(StockCount.id)
    )
    assert count_id is not None
    rows = (
        await session.execute(
            _WRITE,
            {
                "count_id": count_id,
                "location_id": location_id,
                "source": f"count:{count_id}",
                "staff_id": staff_id,
                "ingredients": [c.ingredient_id for c in counted],
                "counted": base,
            },
        )
    ).all()
    lines = tuple(
        CountLine(r.ingredient_id, known[r.ingredient_id].name, known[r.ingredient_id].base_unit,
                  Decimal(r.expected), Decimal(r.counted))
        for r in sorted(rows, key=lambda r: known[r.ingredient_id].name)
    )  # fmt: skip
    await audit.record(
        session,
        "count_stock",
        f"count:{count_id}",
        actor_id=staff_id,
        lines=len(lines),
        off=sum(1 for line in lines if line.variance),
    )
    # The adjustment at average cost: missing stock is shrinkage (found stock credits it).
    await post_cost(uow, location_id, f"count:{count_id}", "shrinkage", staff_id)
    await idempotency.remember(session, claim, {"count_id": count_id})
    return CountResult(count_id, lines)


async def count_result(uow: UnitOfWork, count_id: int) -> CountResult:
    """A count as it was taken (for a retry's answer and the count's page)."""
    rows = (
        await uow.session.execute(
            text(
                "SELECT l.ingredient_id, i.name, i.base_unit, l.expected, l.counted "
                "FROM stock_count_line l JOIN ingredient i ON i.id = l.ingredient_id "
                "WHERE l.count_id = :count_id ORDER BY i.name"
            ),
            {"count_id": count_id},
        )
    ).all()
    if not rows:
        raise NotFound("That count does not exist.")
    return CountResult(
        count_id,
        tuple(CountLine(r[0], r[1], r[2], Decimal(r[3]), Decimal(r[4])) for r in rows),
    )
