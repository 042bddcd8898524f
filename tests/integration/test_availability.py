"""86 and countdowns on real PostgreSQL: portions counted down by sends, races for the last one."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadInput, NotFound
from app.menu import service as menu
from app.menu.models import MenuItem
from app.platform.db import UnitOfWork
from app.platform.models import AuditEntry, Location
from tests.conftest import STAFF_IDS
from tests.demo_ids import item_id

ODE, LEE = STAFF_IDS["Ode"], STAFF_IDS["Lee"]


async def portions(session: AsyncSession, item: int) -> int | None:
    session.expire_all()
    return await session.scalar(select(MenuItem.countdown).where(MenuItem.id == item))


async def set_portions(session: AsyncSession, **by_id: int | None) -> None:
    for item, count in by_id.items():
        await session.execute(
            update(MenuItem).where(MenuItem.id == int(item)).values(countdown=count)
        )
    await session.commit()


async def consume(sessionmaker_: Any, counts: dict[int, int]) -> list[int]:
    """What a send does: count the portions down in its own transaction, then commit."""
    async with sessionmaker_() as s:
        changed = await menu.consume_countdown(s, counts)
        await s.commit()
        return changed


async def test_sending_two_burrata_counts_five_down_to_three(
    sessionmaker_: Any, session: AsyncSession
) -> None:
    burrata, ipa = await item_id(session, "Burrata"), await item_id(session, "IPA Draft")
    await set_portions(session, **{str(burrata): 5})

    changed = await consume(sessionmaker_, {burrata: 2, ipa: 3})

    assert changed == [burrata]  # the IPA keeps no count, so nothing to announce for it
    assert await portions(session, burrata) == 3
    assert await portions(session, ipa) is None


async def test_the_last_portions_sent_86_the_item(
    sessionmaker_: Any, session: AsyncSession
) -> None:
    burrata = await item_id(session, "Burrata")
    await set_portions(session, **{str(burrata): 2})

    await consume(sessionmaker_, {burrata: 2})

    assert await portions(session, burrata) == 0
    with pytest.raises(BadInput, match=r"^Burrata is 86'd\.$"):
        await menu.price_for_order(session, burrata, [])


async def test_sending_more_than_are_left_refuses_and_changes_nothing(
    session: AsyncSession,
) -> None:
    burrata, oysters = await item_id(session, "Burrata"), await item_id(session, "Oysters (6)")
    await set_portions(session, **{str(burrata): 2, str(oysters): 4})

    # Oysters sort before or after Burrata by id; either way neither may move.
    with pytest.raises(BadInput, match=r"^Only 2 Burrata left\.$"):
        await menu.consume_countdown(session, {oysters: 1, burrata: 3})

    # Same transaction, before any rollback: nothing was written.
    rows = dict(
        (
            await session.execute(
                select(MenuItem.id, MenuItem.countdown).where(MenuItem.id.in_([burrata, oysters]))
            )
        ).all()
    )
    assert rows == {burrata: 2, oysters: 4}
    await session.rollback()


async def test_a_send_of_an_item_already_counted_out_is_refused(
    sessionmaker_: Any, session: AsyncSession
) -> None:
    burrata = await item_id(session, "Burrata")
    await set_portions(session, **{str(burrata): 0})
    with pytest.raises(BadInput, match=r"^Burrata is 86'd\.$"):
        await consume(sessionmaker_, {burrata: 1})


async def test_two_tablets_racing_for_the_last_burrata_exactly_one_gets_it(
    sessionmaker_: Any, session: AsyncSession
) -> None:
    burrata = await item_id(session, "Burrata")
    await set_portions(session, **{str(burrata): 1})
    # Forced interleaving: Maria's send has taken the last one but not committed yet.
    async with sessionmaker_() as first, sessionmaker_() as second:
        assert await menu.consume_countdown(first, {burrata: 1}) == [burrata]
        sams_send = asyncio.create_task(menu.consume_countdown(second, {burrata: 1}))
        await asyncio.sleep(0.2)
        assert not sams_send.done(), "Sam's send must wait for Maria's, not read a stale count"
        await first.commit()
        with pytest.raises(BadInput, match=r"^Burrata is 86'd\.$"):
            await sams_send
    assert await portions(session, burrata) == 0


async def test_many_sends_at_once_never_oversell(sessionmaker_: Any, session: AsyncSession) -> None:
    burrata = await item_id(session, "Burrata")
    await set_portions(session, **{str(burrata): 3})

    results = await asyncio.gather(
        *(consume(sessionmaker_, {burrata: 1}) for _ in range(8)), return_exceptions=True
    )

    assert sum(1 for r in results if r == [burrata]) == 3
    assert all(isinstance(r, BadInput) for r in results if r != [burrata])
    assert await portions(session, burrata) == 0


async def test_sends_sharing_items_in_any_order_do_not_deadlock(
    sessionmaker_: Any, session: AsyncSession
) -> None:
    burrata, tartare = await item_id(session, "Burrata"), await item_id(session, "Tuna Tartare")
    await set_portions(session, **{str(burrata): 20, str(tartare): 20})
    # Half the checks list Burrata first, half Tartare: rows are locked in id order anyway.
    sends = [
        consume(sessionmaker_, {burrata: 1, tartare: 1} if i % 2 else {tartare: 1, burrata: 1})
        for i in range(10)
    ]
    await asyncio.wait_for(asyncio.gather(*sends), timeout=20)
    assert await portions(session, burrata) == 10
    assert await portions(session, tartare) == 10


async def test_price_refuses_more_than_the_kitchen_has_left(session: AsyncSession) -> None:
    burrata = await item_id(session, "Burrata")
    await set_portions(session, **{str(burrata): 2})
    with pytest.raises(BadInput, match=r"^Only 2 Burrata left\.$"):
        await menu.price_for_order(session, burrata, [], quantity=3)
    assert (await menu.price_for_order(session, burrata, [], quantity=2)).name == "Burrata"


class Recorder:
    """Stands in for the channels plugin: what was announced, after commit."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, Any]] = []

    async def __call__(self, channel: str, message: Any) -> None:
        self.sent.append((channel, message))


async def run(sessionmaker_: Any, command: Any, *args: Any, **kwargs: Any) -> Recorder:
    heard = Recorder()
    async with sessionmaker_() as s:
        uow = UnitOfWork(s, heard)
        await command(uow, *args, **kwargs)
        await uow.commit()
    return heard


async def test_86_is_audited_and_announced_to_every_screen(
    sessionmaker_: Any, session: AsyncSession
) -> None:
    burrata = await item_id(session, "Burrata")
    until = datetime.now(UTC) + timedelta(minutes=30)

    heard = await run(sessionmaker_, menu.eighty_six, burrata, ODE, until)

    assert heard.sent == [("menu", {"item": burrata})]
    row = (await session.execute(select(MenuItem).where(MenuItem.id == burrata))).scalar_one()
    assert (row.available, row.unavailable_until) == (False, until)
    entry = (
        await session.execute(select(AuditEntry).where(AuditEntry.action == "eighty_six"))
    ).scalar_one()
    assert (entry.actor_id, entry.subject) == (ODE, f"menu_item:{burrata}")
    assert entry.detail["until"] == until.isoformat()


async def test_bring_back_clears_a_spent_countdown_but_keeps_portions_left(
    sessionmaker_: Any, session: AsyncSession
) -> None:
    burrata, oysters = await item_id(session, "Burrata"), await item_id(session, "Oysters (6)")
    await set_portions(session, **{str(burrata): 0, str(oysters): 3})
    await run(sessionmaker_, menu.eighty_six, oysters, LEE, None)

    await run(sessionmaker_, menu.bring_back, burrata, LEE)
    await run(sessionmaker_, menu.bring_back, oysters, LEE)

    assert await portions(session, burrata) is None
    assert await portions(session, oysters) == 3
    assert (await menu.price_for_order(session, oysters, [])).name == "Oysters (6)"


async def test_new_portions_put_an_86d_item_back_on(
    sessionmaker_: Any, session: AsyncSession
) -> None:
    """ "We've got four more Burrata": a count above zero means it can be sold."""
    burrata = await item_id(session, "Burrata")
    await run(sessionmaker_, menu.eighty_six, burrata, ODE, None)

    heard = await run(sessionmaker_, menu.set_countdown, burrata, 4, ODE)

    assert heard.sent == [("menu", {"item": burrata})]
    view = await menu.item_with_choices(session, burrata)
    assert (view.orderable, view.why, view.left) == (True, None, 4)


async def test_countdown_of_zero_86s_and_clearing_it_removes_the_limit(
    sessionmaker_: Any, session: AsyncSession
) -> None:
    burrata = await item_id(session, "Burrata")
    await run(sessionmaker_, menu.set_countdown, burrata, 0, ODE)
    assert not (await menu.item_with_choices(session, burrata)).orderable
    await run(sessionmaker_, menu.set_countdown, burrata, None, ODE)
    session.expire_all()
    view = await menu.item_with_choices(session, burrata)
    assert (view.orderable, view.left) == (True, None)


@pytest.mark.parametrize("count", [-1, 1000])
async def test_impossible_countdowns_are_refused(
    sessionmaker_: Any, session: AsyncSession, count: int
) -> None:
    burrata = await item_id(session, "Burrata")
    with pytest.raises(BadInput, match="between 0 and 999"):
        await run(sessionmaker_, menu.set_countdown, burrata, count, ODE)
    assert await portions(session, burrata) is None


async def test_86_until_a_time_already_past_is_refused(
    sessionmaker_: Any, session: AsyncSession
) -> None:
    burrata = await item_id(session, "Burrata")
    with pytest.raises(BadInput, match="already passed"):
        await run(
            sessionmaker_, menu.eighty_six, burrata, ODE, datetime.now(UTC) - timedelta(minutes=1)
        )


@pytest.mark.parametrize(
    ("command", "args"),
    [
        (menu.eighty_six, (ODE, None)),
        (menu.bring_back, (ODE,)),
        (menu.set_countdown, (3, ODE)),
    ],
)
async def test_commands_on_an_item_not_on_the_menu_say_so(
    sessionmaker_: Any, command: Any, args: tuple[Any, ...]
) -> None:
    with pytest.raises(NotFound, match="not on the menu"):
        await run(sessionmaker_, command, 999_999, *args)


async def test_order_screen_menu_carries_each_items_state(
    sessionmaker_: Any, session: AsyncSession
) -> None:
    burrata, tartare = await item_id(session, "Burrata"), await item_id(session, "Tuna Tartare")
    await run(sessionmaker_, menu.eighty_six, burrata, ODE, None)
    await run(sessionmaker_, menu.set_countdown, tartare, 3, ODE)

    location = await session.scalar(select(Location.id).where(Location.name == "Brigade Bistro"))
    assert location
    items = {i.name: i for c in await menu.menu_for_ordering(session, location) for i in c.items}

    assert (items["Burrata"].orderable, items["Burrata"].why) == (False, "86'd")
    assert (items["Tuna Tartare"].orderable, items["Tuna Tartare"].left) == (True, 3)
    assert (items["Calamari"].orderable, items["Calamari"].left) == (True, None)
