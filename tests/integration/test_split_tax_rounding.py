"""Tax rounded per check: the parts of a split still add up to the check, to the cent.

Each part rounds its own tax once; without the split's tax adjustment, three parts of a
check can carry a cent more or less tax between them than the check did.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing import splits
from app.orders.models import Check
from app.orders.views import check_view
from app.platform.models import Location
from tests.integration.test_splits import TABLE_OF_FOUR, _table

MARIA = 1
#: Drinks at both rates, on every seat and shared: odd cents at every step.
ORDER = [*TABLE_OF_FOUR, ("Sparkling Water", None), ("Negroni", 2), ("Lemonade", 1)]


async def _round_per_check(session: AsyncSession, inclusive: bool = False) -> None:
    await session.execute(
        update(Location).values(tax_rounding="check", prices_include_tax=inclusive)
    )
    await session.commit()


async def _views(session: AsyncSession, ids: list[int]):  # type: ignore[no-untyped-def]
    session.expire_all()
    return [await check_view(session, i) for i in ids]


@pytest.mark.parametrize("ways", [2, 3, 7])
@pytest.mark.parametrize("inclusive", [False, True])
async def test_even_parts_add_up_to_the_check_with_tax_rounded_per_check(
    uow_factory, session: AsyncSession, ways: int, inclusive: bool
) -> None:
    await _round_per_check(session, inclusive)
    check = await _table(uow_factory, session, ORDER)
    whole = await check_view(session, check)
    parts = await uow_factory(splits.split_evenly, check, ways, whole.version, MARIA, key="even")
    views = await _views(session, parts)
    assert sum(v.totals.tax for v in views) == whole.totals.tax
    assert sum(v.totals.total for v in views) == whole.totals.total
    share = Fraction(whole.totals.total, ways)
    # Every guest owes their share to within a unit.
    assert all(abs(v.totals.total - share) < 1 for v in views), (
        [v.totals.total for v in views],
        [v.totals.tax for v in views],
        float(share),
    )

    undone = await uow_factory(splits.undo_split, check, views[0].version, MARIA, key="undo")
    assert undone >= 1
    (back,) = await _views(session, [check])
    assert back.totals == whole.totals


async def test_seat_parts_and_a_further_split_keep_the_sum(
    uow_factory, session: AsyncSession
) -> None:
    await _round_per_check(session)
    check = await _table(uow_factory, session, ORDER)
    whole = await check_view(session, check)
    parts = await uow_factory(splits.split_by_seat, check, whole.version, MARIA, key="s")
    views = await _views(session, parts)
    assert sum(v.totals.tax for v in views) == whole.totals.tax
    # Seat 2's part is split again three ways: the family still adds up.
    second = views[1]
    negroni = next(ln.id for ln in second.lines if ln.name == "Negroni")
    more = await uow_factory(
        splits.split_by_items, second.id, [negroni], second.version, MARIA, key="again"
    )
    family = sorted({*parts, more})
    views = await _views(session, family)
    assert sum(v.totals.tax for v in views) == whole.totals.tax
    assert sum(v.totals.total for v in views) == whole.totals.total


@pytest.mark.parametrize("rounding", ["line", "check"])
async def test_a_service_charge_is_split_to_the_cent(
    uow_factory, session: AsyncSession, rounding: str
) -> None:
    await session.execute(update(Location).values(tax_rounding=rounding))
    check = await _table(uow_factory, session, ORDER)
    # 18 % on a party's check: every part pays its share of it, and no cent is lost.
    await session.execute(update(Check).where(Check.id == check).values(service_charge_ppm=180_000))
    await session.commit()
    whole = await check_view(session, check)
    assert whole.totals.service_charge > 0
    parts = await uow_factory(splits.split_evenly, check, 7, whole.version, MARIA, key="seven")
    views = await _views(session, parts)
    assert sum(v.totals.service_charge for v in views) == whole.totals.service_charge
    assert sum(v.totals.tax for v in views) == whole.totals.tax
    assert sum(v.totals.total for v in views) == whole.totals.total
