"""The location's tax rates, as the back office changes them.

A rate's new percentage applies to lines rung up from now on: a line already on a check
keeps the rate it was added with (the check line holds it), so a bill never changes under a
guest. A rate still used by an item on the menu cannot be archived; one no item uses can,
and it stays readable on the checks that used it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadInput, NotFound
from app.menu.models import MenuItem, TaxRate
from app.platform import audit, idempotency
from app.platform.db import UnitOfWork


@dataclass(frozen=True, slots=True)
class RateDraft:
    name: str
    rate_ppm: int


@dataclass(frozen=True, slots=True)
class RateView:
    id: int
    name: str
    rate_ppm: int
    archived: bool
    items: int

    @property
    def percent(self) -> str:
        """As a manager types it: 8.875 (a part per million is a ten-thousandth of a percent)."""
        return f"{(Decimal(self.rate_ppm) / 10_000).normalize():f}"


async def tax_rates(session: AsyncSession, location_id: int) -> list[RateView]:
    """Every rate with how many current menu items use it, current rates first."""
    used = (
        select(MenuItem.tax_rate_id, func.count().label("n"))
        .where(MenuItem.archived_at.is_(None))
        .group_by(MenuItem.tax_rate_id)
        .subquery()
    )
    rows = await session.execute(
        select(TaxRate, func.coalesce(used.c.n, 0))
        .outerjoin(used, used.c.tax_rate_id == TaxRate.id)
        .where(TaxRate.location_id == location_id)
        .order_by(TaxRate.archived_at.is_not(None), TaxRate.name, TaxRate.id)
    )
    return [
        RateView(rate.id, rate.name, rate.rate_ppm, rate.archived_at is not None, int(n))
        for rate, n in rows.all()
    ]


async def _rate_of(session: AsyncSession, location_id: int, rate_id: int) -> TaxRate:
    found = await session.scalar(
        select(TaxRate)
        .where(TaxRate.id == rate_id, TaxRate.location_id == location_id)
        .with_for_update()
    )
    if found is None:
        raise NotFound("That tax rate is not one of this restaurant's.")
    return found


async def add_tax_rate(
    uow: UnitOfWork, location_id: int, actor_id: int, draft: RateDraft, key: str | None
) -> int:
    claim = await idempotency.claim(uow.session, key, "add_tax_rate", asdict(draft))
    if claim.replay is not None:
        return int(claim.replay["rate_id"])
    rate = TaxRate(location_id=location_id, **asdict(draft))
    uow.session.add(rate)
    await uow.session.flush()
    await audit.record(
        uow.session, "add_tax_rate", f"tax_rate:{rate.id}", actor_id=actor_id, **asdict(draft)
    )
    await idempotency.remember(uow.session, claim, {"rate_id": rate.id})
    return rate.id


async def change_tax_rate(
    uow: UnitOfWork, location_id: int, actor_id: int, rate_id: int, draft: RateDraft
) -> None:
    rate = await _rate_of(uow.session, location_id, rate_id)
    before = {"name": rate.name, "rate_ppm": rate.rate_ppm}
    if before == asdict(draft):
        return
    rate.name, rate.rate_ppm = draft.name, draft.rate_ppm
    await audit.record(
        uow.session, "change_tax_rate", f"tax_rate:{rate_id}", actor_id=actor_id,
        before=before, after=asdict(draft),
    )  # fmt: skip


async def archive_tax_rate(
    uow: UnitOfWork, location_id: int, actor_id: int, rate_id: int, *, archived: bool
) -> None:
    rate = await _rate_of(uow.session, location_id, rate_id)
    if (rate.archived_at is not None) == archived:
        return
    if archived:
        using = await uow.session.scalar(
            select(func.count()).where(
                MenuItem.tax_rate_id == rate_id, MenuItem.archived_at.is_(None)
            )
        )
        if using:
            raise BadInput(
                f"{using} item{'s' if using != 1 else ''} on the menu use {rate.name}: "
                "give them another rate first."
            )
    rate.archived_at = datetime.now(UTC) if archived else None
    action = "archive_tax_rate" if archived else "restore_tax_rate"
    await audit.record(
        uow.session, action, f"tax_rate:{rate_id}", actor_id=actor_id, rate=rate.name
    )
