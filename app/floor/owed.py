"""What each table on the floor plan owes: the badge on every table, for the whole party
(the parts of a split check together)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.billing.models import CheckDiscount, Payment, Refund
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


@dataclass(frozen=True, slots=True)
class Party:
    """Every check of the party at one table taken together: a split check's parts sit at
    the table, and the floor draws the table, not its lowest open part."""

    #: What the table still owes: every open check's balance (what was paid is not owed).
    owed: int
    #: Money taken from the party at this table, net of refunds, parts already paid included:
    #: once any part is paid the guests are leaving ("paying").
    paid: int
    #: When the party sat down: the original check's opening, not the split's.
    seated_at: datetime
    fired: bool
    held: bool
    food_ready_at: datetime | None
    presented_at: datetime | None


def _earliest(times: Iterable[datetime | None]) -> datetime | None:
    known = [t for t in times if t is not None]
    return min(known) if known else None


async def parties(session: AsyncSession, shown: Sequence[tuple[int, int]]) -> dict[int, Party]:
    """The party behind each table's drawn check: ``shown`` is (check id, table id) pairs.

    One read for the whole plan: the drawn checks' families (the original and its parts,
    merged ones left out), with what each has been paid and whether it has food at the
    kitchen; then what the open ones owe, by ``owed_by_check``.
    """
    if not shown:
        return {}
    family = func.coalesce(Check.split_from_id, Check.id)
    drawn = aliased(Check)
    root = func.coalesce(drawn.split_from_id, drawn.id)
    ids = [check_id for check_id, _ in shown]
    roots = select(root).where(drawn.id.in_(ids))
    # Parts are made after their original: the scan starts at the oldest original drawn.
    oldest = select(func.min(root)).where(drawn.id.in_(ids)).scalar_subquery()
    paid = (
        select(func.coalesce(func.sum(Payment.amount), 0))
        .where(Payment.check_id == Check.id)
        .scalar_subquery()
    ) - (
        select(func.coalesce(func.sum(Refund.amount), 0))
        .where(Refund.check_id == Check.id)
        .scalar_subquery()
    )
    rows = (
        await session.execute(
            select(
                Check.id,
                family.label("root"),
                Check.table_id,
                Check.status,
                Check.opened_at,
                Check.food_ready_at,
                Check.presented_at,
                exists().where(CheckLine.check_id == Check.id, CheckLine.status == "fired"),
                exists().where(CheckLine.check_id == Check.id, CheckLine.status == "held"),
                paid,
            ).where(
                Check.id >= oldest,
                Check.status != "merged",
                Check.id.in_(roots) | Check.split_from_id.in_(roots),
            )
        )
    ).all()
    open_ids = [r[0] for r in rows if r[3] == "open"]
    owed = await owed_by_check(session, open_ids)
    root_of = {r[0]: r[1] for r in rows}
    found: dict[int, Party] = {}
    for check_id, table in shown:
        members = [r for r in rows if r[1] == root_of.get(check_id)]
        # A part moved to another table is that table's party now; the seating time is the
        # party's, wherever it sits.
        here = [r for r in members if r[2] == table]
        live = [r for r in here if r[3] == "open"]
        found[check_id] = Party(
            owed=sum(owed.get(r[0], 0) - int(r[9] or 0) for r in live),
            paid=sum(int(r[9] or 0) for r in here),
            seated_at=min(r[4] for r in members),
            fired=any(r[7] for r in live),
            held=any(r[8] for r in live),
            food_ready_at=_earliest(r[5] for r in live),
            presented_at=_earliest(r[6] for r in live),
        )
    return found
