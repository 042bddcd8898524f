"""The discounts standing on a check, as the order screen and the bill read them.

A line discount belongs to the line it was put on. When that item is later shared between
checks, every share reads the discounts of the whole item (its share group) and carries its
largest-remainder share of them, so the shares add up to the discount on the whole line.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.models import CheckDiscount, Discount
from app.core.discounts import Adjustment


@dataclass(frozen=True, slots=True)
class AppliedDiscount:
    id: int
    line_id: int | None  # None: on the whole check
    name: str
    kind: str  # percent | amount
    value: int  # ppm or minor units
    reason: str
    approved_by: int | None

    @property
    def adjustment(self) -> Adjustment:
        return Adjustment(self.kind, self.value)

    @property
    def on_check(self) -> bool:
        return self.line_id is None


def line_key(line_id: int, share_group: int | None, share_count: int) -> int:
    """Which line's discounts a line carries: its own, or its whole item's when shared."""
    return share_group if share_count > 1 and share_group is not None else line_id


async def applied_discounts(
    session: AsyncSession, check_id: int, line_keys: Collection[int]
) -> list[AppliedDiscount]:
    """Active discounts on the check itself and on the given lines, oldest first."""
    on_lines = CheckDiscount.line_id.in_(list(line_keys) or [0])
    rows = await session.scalars(
        select(CheckDiscount)
        .where(
            CheckDiscount.removed_at.is_(None),
            or_(
                and_(CheckDiscount.line_id.is_(None), CheckDiscount.check_id == check_id), on_lines
            ),
        )
        .order_by(CheckDiscount.id)
    )
    return [
        AppliedDiscount(r.id, r.line_id, r.name, r.kind, r.value, r.reason, r.approved_by)
        for r in rows.all()
    ]


async def named_discounts(session: AsyncSession, location_id: int) -> list[Discount]:
    """The list staff pick from, by name."""
    rows = await session.scalars(
        select(Discount)
        .where(Discount.location_id == location_id, Discount.active)
        .order_by(Discount.name)
    )
    return list(rows.all())
