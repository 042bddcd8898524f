"""The floor plan's table states on real PostgreSQL, as a shift goes through them.

Lines are put in a given state directly (new, held, fired): what the floor draws must not
depend on how the order screen got them there.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.models import Payment
from app.core.errors import NotFound
from app.floor import layout, service, views
from app.floor.models import DiningTable
from app.orders import service as orders
from app.orders.models import CheckLine
from app.platform.models import AuditEntry
from tests.conftest import STAFF_IDS
from tests.demo_ids import item_id, table_id

MARIA, SAM, MIA = STAFF_IDS["Maria"], STAFF_IDS["Sam"], STAFF_IDS["Mia"]
LOCATION = 1


async def drawn(session: AsyncSession, name: str) -> views.TableView:
    session.expire_all()
    return await views.table_view(session, await table_id(session, name))


async def seat(uow_factory, session: AsyncSession, name: str, server: int = MARIA) -> int:  # type: ignore[no-untyped-def]
    return int(await uow_factory(orders.open_table, await table_id(session, name), 2, server, 1))


async def line(uow_factory, session: AsyncSession, check: int, status: str) -> None:  # type: ignore[no-untyped-def]
    beer = await item_id(session, "IPA Draft")
    line_id = await uow_factory(orders.add_line, check, orders.NewLine(beer), MARIA)
    await session.execute(update(CheckLine).where(CheckLine.id == line_id).values(status=status))
    await session.commit()


@pytest.mark.parametrize(
    ("has_check", "fired", "paid", "dirty", "state"),
    [
        (False, False, 0, False, "free"),
        (False, False, 0, True, "bussing"),
        (True, False, 0, False, "seated"),
        (True, False, 0, True, "seated"),
        (True, True, 0, False, "ordered"),
        (True, True, 500, False, "paying"),
        (True, False, 500, False, "paying"),
    ],
)
def test_table_state_follows_the_party_not_the_paperwork(
    has_check: bool, fired: bool, paid: int, dirty: bool, state: str
) -> None:
    since = datetime(2026, 11, 23, 20, 0, tzinfo=UTC) if dirty else None
    assert views.table_state(has_check, fired, paid, since) == state


def test_badges_tell_maria_from_mia() -> None:
    assert [views.initials(n) for n in ("Maria", "Mia", "Maria Lopez", "", None)] == [
        "Ma",
        "Mi",
        "ML",
        "",
        "",
    ]


async def test_empty_table_is_free_with_no_check_on_it(session: AsyncSession) -> None:
    table = await drawn(session, "4")
    assert (table.state, table.check_id, table.held, table.amount) == ("free", None, False, 0)


async def test_party_seated_with_nothing_sent_is_seated(uow_factory, session: AsyncSession) -> None:
    check = await seat(uow_factory, session, "4")
    await line(uow_factory, session, check, "new")

    table = await drawn(session, "4")
    assert (table.state, table.held, table.guests, table.server) == ("seated", False, 2, "Maria")
    assert table.server_initials == "Ma" and table.opened_at is not None
    assert table.amount == 800 + 83  # $8.00 IPA and its 10.375% tax: the check's own total


async def test_something_at_the_kitchen_makes_the_table_ordered(
    uow_factory, session: AsyncSession
) -> None:
    check = await seat(uow_factory, session, "4")
    await line(uow_factory, session, check, "fired")
    assert (await drawn(session, "4")).state == "ordered"


async def test_a_course_waiting_to_fire_shows_held_on_top_of_the_state(
    uow_factory, session: AsyncSession
) -> None:
    check = await seat(uow_factory, session, "4")
    await line(uow_factory, session, check, "held")
    waiting = await drawn(session, "4")
    assert (waiting.state, waiting.held) == ("seated", True)

    await line(uow_factory, session, check, "fired")
    eating = await drawn(session, "4")
    assert (eating.state, eating.held) == ("ordered", True)


async def test_voided_lines_do_not_count_as_ordered_or_owed(
    uow_factory, session: AsyncSession
) -> None:
    check = await seat(uow_factory, session, "4")
    await line(uow_factory, session, check, "void")
    table = await drawn(session, "4")
    assert (table.state, table.amount) == ("seated", 0)


async def test_first_payment_turns_the_table_to_paying(uow_factory, session: AsyncSession) -> None:
    check = await seat(uow_factory, session, "4")
    await line(uow_factory, session, check, "fired")
    await session.execute(
        insert(Payment).values(
            check_id=check, method="cash", amount=500, tendered=500, change=0, taken_by=MARIA
        )
    )
    await session.commit()
    table = await drawn(session, "4")
    # The tile shows what is still owed: $8.83 less the $5.00 taken.
    assert (table.state, table.paid, table.amount) == ("paying", 500, 383)


async def test_table_the_guests_left_needs_bussing_until_someone_marks_it_clean(
    uow_factory, session: AsyncSession
) -> None:
    four = await table_id(session, "4")
    await service.table_needs_bussing(session, four)
    await session.commit()
    dirty = await drawn(session, "4")
    assert dirty.state == "bussing" and dirty.bussing_since is not None

    assert await uow_factory(service.mark_clean, four, SAM) is True
    assert (await drawn(session, "4")).state == "free"
    assert await uow_factory(service.mark_clean, four, SAM) is False  # a second tap: nothing
    audit = (
        await session.scalars(select(AuditEntry).where(AuditEntry.action == "mark_clean"))
    ).all()
    assert [(a.actor_id, a.detail["table"]) for a in audit] == [(SAM, "4")]


async def test_bussing_a_table_that_does_not_exist_says_so(session: AsyncSession) -> None:
    with pytest.raises(NotFound, match="That table does not exist"):
        await service.table_needs_bussing(session, 999_999)


async def test_party_seated_at_a_table_still_marked_dirty_is_drawn_seated(
    uow_factory, session: AsyncSession
) -> None:
    await service.table_needs_bussing(session, await table_id(session, "4"))
    await session.commit()
    await seat(uow_factory, session, "4")
    assert (await drawn(session, "4")).state == "seated"


async def test_my_tables_are_my_section_and_the_checks_i_opened(
    uow_factory, session: AsyncSession
) -> None:
    await uow_factory(service.assign_section, await table_id(session, "1"), MARIA, MIA, LOCATION)
    await seat(uow_factory, session, "9", server=MARIA)
    await seat(uow_factory, session, "2", server=SAM)
    session.expire_all()
    plan = await views.tables_on(session, (await drawn(session, "1")).floor_id)
    mine = sorted(t.name for t in plan if t.belongs_to(MARIA))
    assert mine == ["1", "9"]
    assert [t.name for t in plan if t.belongs_to(None)] == []


async def test_removed_table_is_off_the_plan_and_cannot_be_seated(
    uow_factory, session: AsyncSession
) -> None:
    twelve = await table_id(session, "12")
    floor_id = await uow_factory(layout.remove_table, LOCATION, twelve, MIA)
    names = [t.name for t in await views.tables_on(session, floor_id)]
    assert "12" not in names and "11" in names
    assert all("12" not in [t.name for t in f.tables] for f in await service.floor_plan(session, 1))
    with pytest.raises(NotFound):
        await uow_factory(orders.open_table, twelve, 2, MARIA, 1)
    archived = await session.scalar(select(DiningTable.archived_at).where(DiningTable.id == twelve))
    assert archived is not None  # kept: last month's checks still say "table 12"
