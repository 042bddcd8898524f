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

    @property
    def home(self) -> CheckView | None:
        """The check open parts go back onto: the original, or once it is paid the lowest
        part still open (a paid check never takes lines back)."""
        return next(iter(self.open_checks), None)

    @property
    def can_put_back(self) -> bool:
        return len(self.open_checks) > 1


@dataclass(frozen=True, slots=True)
class StillOwed:
    """After one part of a split is paid: what the table still owes, and on which parts."""

    parts: list[CheckView]

    @property
    def owed(self) -> int:
        return sum(part.balance for part in self.parts)

    def next_after(self, check_id: int) -> CheckView | None:
        """The part to take next: the one after this, else the first one still open."""
        later = [part for part in self.parts if part.id > check_id]
        return next(iter(later or self.parts), None)


async def still_owed(session: AsyncSession, check: CheckView) -> StillOwed | None:
    """The other parts still open at the table, once ``check`` (a part of a split) is
    settled; None when it is not a split's part. Only the paid screen asks, so only a
    split's check pays for the read."""
    if check.part is None or check.status == "open":
        return None
    family = await split_family(session, check.id)
    return StillOwed([c for c in family.open_checks if c.table_id == check.table_id])


async def split_family(session: AsyncSession, check_id: int) -> SplitFamily:
    root = await root_of(session, check_id)
    part_ids = (
        await session.scalars(
            select(Check.id)
            # Parts are made after the original: the scan starts at its id.
            .where(Check.id > root, Check.split_from_id == root, Check.status != "merged")
            .order_by(Check.id)
        )
    ).all()
    return SplitFamily(
        await check_view(session, root),
        [await check_view(session, p) for p in part_ids],
    )
