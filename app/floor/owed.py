"""What each open check on the floor plan owes: the badge on every table."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.models import CheckDiscount
from app.core.check_math import PricedLine, check_totals
from app.orders.models import Check, CheckLine
from app.orders.views import check_view
from app.platform.models import Location


async def owed_by_check(session: AsyncSession, check_ids: list[int]) -> dict[int, int]:
    """What each open check owes, tax included: the same arithmetic as the check itself.

    Plain checks are summed here from their lines in one query; a check with a discount, a
    service charge or a shared item is worked out by the check's own view, so the plan
    never shows a total the bill does not.
    """
    if not check_ids:
        return {}
    on_check = select(CheckDiscount.id).where(
        CheckDiscount.removed_at.is_(None),
        (CheckDiscount.check_id == Check.id)
        | CheckDiscount.line_id.in_(select(CheckLine.id).where(CheckLine.check_id == Check.id)),
    )
    shared = select(CheckLine.id).where(CheckLine.check_id == Check.id, CheckLine.share_count > 1)
    involved = set(
        (
            await session.scalars(
                select(Check.id).where(
                    Check.id.in_(check_ids),
                    (Check.service_charge_ppm > 0)
                    | (Check.tax_adjustment != 0)
                    | on_check.exists()
                    | shared.exists(),
                )
            )
        ).all()
    )
    rows = (
        await session.execute(
            select(
                CheckLine.check_id,
                CheckLine.quantity,
                CheckLine.unit_price,
                CheckLine.tax_rate_ppm,
                CheckLine.comped_at,
            ).where(
                CheckLine.check_id.in_([c for c in check_ids if c not in involved]),
                CheckLine.status != "void",
            )
        )
    ).all()
    lines: dict[int, list[PricedLine]] = defaultdict(list)
    for check_id, quantity, unit_price, rate, comped_at in rows:
        lines[check_id].append(PricedLine(quantity, unit_price, rate, comped_at is not None))
    # One location's checks: priced as it is set up now (a manager may change it mid-service).
    setup = (
        await session.execute(
            select(Location.tax_rounding, Location.prices_include_tax)
            .join(Check, Check.location_id == Location.id)
            .where(Check.id == check_ids[0])
        )
    ).one()
    owed = {
        check_id: check_totals(
            priced, prices_include_tax=setup.prices_include_tax, tax_rounding=setup.tax_rounding
        ).total
        for check_id, priced in lines.items()
    }
    for check_id in involved:
        owed[check_id] = (await check_view(session, check_id)).totals.total
    return owed
