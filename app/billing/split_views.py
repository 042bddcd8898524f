"""The split screen's read model: the original check and its parts side by side."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.split_parts import root_of
from app.orders.models import Check
from app.orders.views import CheckView, LineView, check_view


@dataclass(frozen=True, slots=True)
class SplitFamily:
    """The original check and its parts, as the split screen shows them side by side."""

    root: CheckView
    parts: list[CheckView]

    @property
    def checks(self) -> list[CheckView]:
        return [self.root, *self.parts]

    @property
    def open_checks(self) -> list[CheckView]:
        return [c for c in self.checks if c.status == "open"]

    @property
    def shareable(self) -> list[tuple[CheckView, LineView]]:
        """Items that can be shared: at the kitchen already, not shared yet."""
        return [
            (check, line)
            for check in self.open_checks
            for line in check.lines
            if line.status == "fired" and not line.shared
        ]

    @property
    def is_split(self) -> bool:
        return bool(self.parts)


async def split_family(session: AsyncSession, check_id: int) -> SplitFamily:
    root = await root_of(session, check_id)
    part_ids = (
        await session.scalars(
            select(Check.id)
            .where(Check.split_from_id == root, Check.status != "merged")
            .order_by(Check.id)
        )
    ).all()
    return SplitFamily(
        await check_view(session, root),
        [await check_view(session, p) for p in part_ids],
    )
