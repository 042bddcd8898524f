"""Many hands, one check: concurrent tablets on real PostgreSQL lose nothing and double nothing."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.service import pay_cash
from app.core.errors import Conflict, Refused
from app.orders import firing
from app.orders import service as orders
from app.orders.models import Check, CheckLine
from app.platform.db import UnitOfWork
from app.platform.kitchen import KitchenBus
from kds.events import TicketBus
from kds.models import Ticket
from kds.service import ticket_maker
from tests.conftest import STAFF_IDS
from tests.demo_ids import item_id, table_id

MARIA, SAM = STAFF_IDS["Maria"], STAFF_IDS["Sam"]


def kitchen() -> KitchenBus:
    bus = KitchenBus()
    bus.subscribe(ticket_maker(TicketBus()))
    return bus


async def count(session: AsyncSession, model: type, *where: object) -> int:
    session.expire_all()
    return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def test_two_tablets_open_same_table_at_once_get_one_check(
    sessionmaker_, session: AsyncSession
) -> None:
    table = await table_id(session, "7")
    # Forced interleaving: Maria's open is written but not committed when Sam's arrives.
    async with sessionmaker_() as first, sessionmaker_() as second:
        maria = UnitOfWork(first)
        await orders.open_table(maria, table, 4, MARIA, 1)
        sam_tries = asyncio.create_task(orders.open_table(UnitOfWork(second), table, 2, SAM, 1))
        await asyncio.sleep(0.2)
        assert not sam_tries.done(), "Sam's open must wait for Maria's, not race past it"
        await maria.commit()
        with pytest.raises(Conflict, match=r"Table 7 is already open by Maria \(check \d+\)"):
            await sam_tries
    assert await count(session, Check, Check.table_id == table, Check.status == "open") == 1


async def test_two_tablets_add_to_same_check_lose_nothing(
    uow_factory, session: AsyncSession
) -> None:
    check = await uow_factory(orders.open_table, await table_id(session, "8"), 6, MARIA, 1)
    beer, lemonade = await item_id(session, "IPA Draft"), await item_id(session, "Lemonade")
    adds = [
        uow_factory(
            orders.add_line,
            check,
            orders.NewLine(beer if i % 2 else lemonade),
            MARIA if i % 2 else SAM,
        )
        for i in range(12)
    ]
    line_ids = await asyncio.gather(*adds)
    assert len(set(line_ids)) == 12
    assert await count(session, CheckLine, CheckLine.check_id == check) == 12
    version = await session.scalar(select(Check.version).where(Check.id == check))
    assert version == 1 + 12


async def test_double_tap_with_one_key_adds_one_line(uow_factory, session: AsyncSession) -> None:
    check = await uow_factory(orders.open_table, await table_id(session, "9"), 2, MARIA, 1)
    new = orders.NewLine(await item_id(session, "Negroni"), quantity=2)
    taps = [uow_factory(orders.add_line, check, new, MARIA, key="tap-1") for _ in range(5)]
    line_ids = await asyncio.gather(*taps)
    assert len(set(line_ids)) == 1
    assert await count(session, CheckLine, CheckLine.check_id == check) == 1


async def test_retry_after_lost_answer_gets_the_committed_line(
    uow_factory, session: AsyncSession
) -> None:
    check = await uow_factory(orders.open_table, await table_id(session, "10"), 2, MARIA, 1)
    new = orders.NewLine(await item_id(session, "Espresso"))
    first = await uow_factory(orders.add_line, check, new, MARIA, key="wifi-blip")
    # The tablet never saw the answer and sends the same request again.
    again = await uow_factory(orders.add_line, check, new, MARIA, key="wifi-blip")
    assert again == first
    assert await count(session, CheckLine, CheckLine.check_id == check) == 1


async def test_same_key_for_another_item_is_refused_and_changes_nothing(
    uow_factory, session: AsyncSession
) -> None:
    check = await uow_factory(orders.open_table, await table_id(session, "11"), 2, MARIA, 1)
    await uow_factory(
        orders.add_line, check, orders.NewLine(await item_id(session, "Espresso")), MARIA, key="k1"
    )
    with pytest.raises(Conflict, match="already used for a different action"):
        await uow_factory(
            orders.add_line,
            check,
            orders.NewLine(await item_id(session, "Tiramisu")),
            MARIA,
            key="k1",
        )
    assert await count(session, CheckLine, CheckLine.check_id == check) == 1


async def test_send_retried_sends_once(uow_factory, session: AsyncSession) -> None:
    bus = kitchen()
    check = await uow_factory(orders.open_table, await table_id(session, "12"), 2, MARIA, 1)
    await uow_factory(
        orders.add_line, check, orders.NewLine(await item_id(session, "Burrata")), MARIA
    )
    results = await asyncio.gather(
        *(uow_factory(firing.send_order, check, MARIA, bus, key="send") for _ in range(3))
    )
    assert results == [1, 1, 1]
    assert await count(session, Ticket, Ticket.check_id == check) == 1


async def test_stale_payment_is_refused_when_another_tablet_added_a_line(
    uow_factory, session: AsyncSession
) -> None:
    bus = kitchen()
    check = await uow_factory(orders.open_table, await table_id(session, "13"), 4, MARIA, 1)
    await uow_factory(
        orders.add_line, check, orders.NewLine(await item_id(session, "Lager Draft")), MARIA
    )
    await uow_factory(firing.send_order, check, MARIA, bus)
    shown_version = await session.scalar(select(Check.version).where(Check.id == check))
    # Sam adds a round while Maria's guest is looking at the old total.
    await uow_factory(
        orders.add_line, check, orders.NewLine(await item_id(session, "Lager Draft")), SAM
    )
    await uow_factory(firing.send_order, check, SAM, bus)
    with pytest.raises(Conflict, match="changed on another tablet"):
        await uow_factory(pay_cash, check, 10_000, shown_version, MARIA)
    session.expire_all()
    assert (await session.get(Check, check)).status == "open"  # type: ignore[union-attr]


async def test_closed_check_refuses_every_change(uow_factory, session: AsyncSession) -> None:
    bus = kitchen()
    check = await uow_factory(orders.open_table, await table_id(session, "1"), 1, MARIA, 1)
    espresso = await item_id(session, "Espresso")
    await uow_factory(orders.add_line, check, orders.NewLine(espresso), MARIA)
    await uow_factory(firing.send_order, check, MARIA, bus)
    version = await session.scalar(select(Check.version).where(Check.id == check))
    result = await uow_factory(pay_cash, check, 500, version, MARIA)
    assert result.closed and result.change == 500 - 381
    with pytest.raises(Refused, match="closed"):
        await uow_factory(orders.add_line, check, orders.NewLine(espresso), MARIA)
    with pytest.raises(Refused, match="closed"):
        await uow_factory(firing.send_order, check, MARIA, bus)
    with pytest.raises(Refused, match="closed"):
        await uow_factory(pay_cash, check, 500, version + 1, MARIA)
    # The table is free again: a new party can be seated.
    assert await uow_factory(orders.open_table, await table_id(session, "1"), 2, SAM, 1) != check


async def test_opening_many_tables_on_one_pooled_connection_keeps_working(
    db_url: str, session
) -> None:
    """A real pool reuses connections: the sixth open must not hit PostgreSQL's generic plan."""
    from app.platform.db import make_engine, make_sessionmaker

    engine = make_engine(db_url, pool="queue")
    maker = make_sessionmaker(engine)
    try:
        for name in ["1", "2", "3", "4", "5", "6", "7", "8"]:
            async with maker() as s:
                uow = UnitOfWork(s)
                await orders.open_table(uow, await table_id(session, name), 2, MARIA, 1)
                await uow.commit()
    finally:
        await engine.dispose()
    assert await count(session, Check, Check.status == "open") == 8
