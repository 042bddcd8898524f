"""The station screen over HTTP: what the cook sees, and every command with its bad inputs.

The helpers at the top (``send_order``, ``ticket_at``) are shared by the other kitchen tests.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.orders import firing, party
from app.orders import service as orders
from app.platform.models import AuditEntry
from kds.models import Ticket, TicketItem
from tests.conftest import STAFF_IDS, sign_in
from tests.demo_ids import item_id, option_id, station_id, table_id
from tests.integration.test_many_hands import kitchen

MARIA, ODE = STAFF_IDS["Maria"], STAFF_IDS["Ode"]
HX = {"HX-Request": "true"}


async def send_order(
    uow_factory: Any,
    session: AsyncSession,
    table: str,
    items: list[str],
    *,
    allergies: str = "",
    seat: int | None = None,
    note: str = "",
    options: tuple[str, ...] = (),
) -> int:
    """Maria seats the table, orders the items and presses Send; returns the check."""
    check = int(await uow_factory(orders.open_table, await table_id(session, table), 4, MARIA, 1))
    if allergies:
        await uow_factory(party.set_party_notes, check, "", allergies, MARIA)
    picked = [await option_id(session, o) for o in options]
    for name in items:
        line = orders.NewLine(await item_id(session, name), 1, picked, note, seat)
        await uow_factory(orders.add_line, check, line, MARIA)
    await uow_factory(firing.send_order, check, MARIA, kitchen())
    return check


async def ticket_at(session: AsyncSession, station: str, check: int) -> Ticket:
    session.expire_all()
    found = await session.scalar(
        select(Ticket)
        .where(Ticket.station_id == await station_id(session, station), Ticket.check_id == check)
        .order_by(Ticket.seq.desc())
    )
    assert found is not None, f"no {station} ticket for check {check}"
    session.expunge(found)  # a snapshot: the test's session holds no transaction open
    await session.rollback()
    return found


async def cook(client: AsyncTestClient[Litestar]) -> dict[str, str]:
    return {**HX, "X-CSRF-Token": await sign_in(client, "Ode")}


async def test_station_screen_shows_everything_the_cook_needs_on_a_ticket(
    client: AsyncTestClient[Litestar], session: AsyncSession, uow_factory: Any
) -> None:
    check = await send_order(
        uow_factory,
        session,
        "5",
        ["Salmon"],
        seat=2,
        note="sauce on the side",
        options=("Mash",),
        allergies="sesame",
    )
    grill = await station_id(session, "Grill")
    await cook(client)
    page = (await client.get(f"/kds/{grill}")).text
    ticket = await ticket_at(session, "Grill", check)
    for shown in (
        "Table 5",
        "Maria",
        f"Check {ticket.check_number}",
        f"#{ticket.seq}",
        "Mains",
        "Seat 2",
        "Mash",
        "sauce on the side",
        "ALLERGY: sesame",
        "Tap to confirm you read it",
        'data-warn="300"',
        'data-late="480"',
        'src="/static/kds.js"',
    ):
        assert shown in page, shown
    assert 'class="ticket kind-fire allergy-open"' in page
    # All day: one salmon to make.
    assert "<li><b>1</b><span>Salmon</span></li>" in page


async def test_cook_bumps_a_ticket_and_it_moves_to_recently_bumped(
    client: AsyncTestClient[Litestar], session: AsyncSession, uow_factory: Any
) -> None:
    check = await send_order(uow_factory, session, "3", ["Tiramisu"])
    ticket = await ticket_at(session, "Pastry", check)
    headers = await cook(client)

    bumped = await client.post(
        f"/kds/{ticket.station_id}/tickets/{ticket.id}/bump", headers=headers
    )

    assert bumped.status_code == 200
    assert f'id="ticket-{ticket.id}"' not in bumped.text.split('id="recent"')[0]
    assert f"/kds/{ticket.station_id}/tickets/{ticket.id}/recall" in bumped.text
    assert (await ticket_at(session, "Pastry", check)).bumped_by == ODE
    page = (await client.get(f"/kds/{ticket.station_id}")).text
    assert "Tiramisu" not in page.split('id="recent"')[0]


async def test_bumping_a_ticket_twice_is_refused_the_second_time(
    client: AsyncTestClient[Litestar], session: AsyncSession, uow_factory: Any
) -> None:
    ticket = await ticket_at(
        session, "Pastry", await send_order(uow_factory, session, "3", ["Tiramisu"])
    )
    headers = await cook(client)
    url = f"/kds/{ticket.station_id}/tickets/{ticket.id}/bump"

    assert (await client.post(url, headers=headers)).status_code == 200
    again = await client.post(url, headers=headers)

    assert again.status_code == 409
    assert f"Ticket #{ticket.seq} was already bumped." in again.text


async def test_recall_brings_back_the_last_bumped_ticket_in_its_place(
    client: AsyncTestClient[Litestar], session: AsyncSession, uow_factory: Any
) -> None:
    first = await ticket_at(
        session, "Pastry", await send_order(uow_factory, session, "3", ["Tiramisu"])
    )
    second = await ticket_at(
        session, "Pastry", await send_order(uow_factory, session, "4", ["Cheesecake"])
    )
    headers = await cook(client)
    pastry = first.station_id
    for ticket in (second, first):
        await client.post(f"/kds/{pastry}/tickets/{ticket.id}/bump", headers=headers)

    recalled = await client.post(f"/kds/{pastry}/recall", headers=headers)

    assert recalled.status_code == 200
    on_screen = recalled.text.split('id="all-day"')[0]
    assert f'id="ticket-{first.id}"' in on_screen  # the last one bumped
    assert f'id="ticket-{second.id}"' not in on_screen
    again = await client.post(f"/kds/{pastry}/recall", headers=headers)
    on_screen = again.text.split('id="all-day"')[0]
    # Both back, in ticket order (the first-fired ticket first), whatever the recall order.
    assert on_screen.index(f'id="ticket-{first.id}"') < on_screen.index(f'id="ticket-{second.id}"')


async def test_recall_with_nothing_bumped_says_so(
    client: AsyncTestClient[Litestar], session: AsyncSession
) -> None:
    headers = await cook(client)
    answer = await client.post(f"/kds/{await station_id(session, 'Grill')}/recall", headers=headers)
    assert answer.status_code == 409
    assert "Nothing to recall" in answer.text


async def test_recalling_a_ticket_still_on_the_screen_is_refused(
    client: AsyncTestClient[Litestar], session: AsyncSession, uow_factory: Any
) -> None:
    ticket = await ticket_at(
        session, "Pastry", await send_order(uow_factory, session, "3", ["Tiramisu"])
    )
    headers = await cook(client)
    answer = await client.post(
        f"/kds/{ticket.station_id}/tickets/{ticket.id}/recall", headers=headers
    )
    assert answer.status_code == 409
    assert "still on the screen" in answer.text


async def test_undoing_a_bump_of_another_stations_ticket_is_not_found(
    client: AsyncTestClient[Litestar], session: AsyncSession, uow_factory: Any
) -> None:
    ticket = await ticket_at(
        session, "Pastry", await send_order(uow_factory, session, "3", ["Tiramisu"])
    )
    headers = await cook(client)
    await client.post(f"/kds/{ticket.station_id}/tickets/{ticket.id}/bump", headers=headers)
    grill = await station_id(session, "Grill")

    for command in ("recall", "bump", "allergy"):
        answer = await client.post(f"/kds/{grill}/tickets/{ticket.id}/{command}", headers=headers)
        assert answer.status_code == 404, command
        assert "That ticket is not at this station." in answer.text
    assert (await ticket_at(session, "Pastry", ticket.check_id)).bumped_at is not None


async def test_every_recall_and_bump_is_in_the_audit_log(
    client: AsyncTestClient[Litestar], session: AsyncSession, uow_factory: Any
) -> None:
    ticket = await ticket_at(
        session, "Pastry", await send_order(uow_factory, session, "3", ["Tiramisu"])
    )
    headers = await cook(client)
    await client.post(f"/kds/{ticket.station_id}/tickets/{ticket.id}/bump", headers=headers)
    await client.post(f"/kds/{ticket.station_id}/recall", headers=headers)
    rows = (
        await session.execute(
            select(AuditEntry.action, AuditEntry.actor_id)
            .where(AuditEntry.subject == f"ticket:{ticket.id}")
            .order_by(AuditEntry.id)
        )
    ).all()
    assert [tuple(r) for r in rows] == [("bump_ticket", ODE), ("recall_ticket", ODE)]


async def test_item_struck_alone_then_the_last_one_bumps_the_ticket(
    client: AsyncTestClient[Litestar], session: AsyncSession, uow_factory: Any
) -> None:
    check = await send_order(uow_factory, session, "6", ["Tiramisu", "Cheesecake"])
    ticket = await ticket_at(session, "Pastry", check)
    lines = (
        await session.scalars(
            select(TicketItem.line_id)
            .where(TicketItem.ticket_id == ticket.id)
            .order_by(TicketItem.id)
        )
    ).all()
    await session.rollback()
    headers = await cook(client)
    base = f"/kds/{ticket.station_id}/tickets/{ticket.id}/lines"

    struck = await client.post(f"{base}/{lines[0]}/bump", headers=headers)
    assert struck.status_code == 200
    assert '<li class="ti done">' in struck.text
    assert "<li><b>1</b><span>Cheesecake</span></li>" in struck.text  # all day: 1 left
    unstruck = await client.post(f"{base}/{lines[0]}/bump", headers=headers)  # wrong line, undo
    assert '<li class="ti done">' not in unstruck.text
    assert (await ticket_at(session, "Pastry", check)).bumped_at is None

    await client.post(f"{base}/{lines[0]}/bump", headers=headers)
    last = await client.post(f"{base}/{lines[1]}/bump", headers=headers)
    assert last.status_code == 200
    assert (await ticket_at(session, "Pastry", check)).bumped_at is not None
    after = await client.post(f"{base}/{lines[1]}/bump", headers=headers)
    assert after.status_code == 409
    assert "recall it first" in after.text


async def test_item_that_is_not_on_the_ticket_is_not_found(
    client: AsyncTestClient[Litestar], session: AsyncSession, uow_factory: Any
) -> None:
    ticket = await ticket_at(
        session, "Pastry", await send_order(uow_factory, session, "3", ["Tiramisu"])
    )
    headers = await cook(client)
    answer = await client.post(
        f"/kds/{ticket.station_id}/tickets/{ticket.id}/lines/999999/bump", headers=headers
    )
    assert answer.status_code == 404
    assert "That item is not on this ticket." in answer.text


async def test_each_station_sees_only_its_own_held_lines_as_pending(
    client: AsyncTestClient[Litestar], session: AsyncSession, uow_factory: Any
) -> None:
    await send_order(uow_factory, session, "7", ["Burrata", "Salmon", "Tiramisu"])
    await cook(client)

    def pending(page: str) -> str:
        return page.split('id="pending"')[1].split("</section>")[0]

    grill = pending((await client.get(f"/kds/{await station_id(session, 'Grill')}")).text)
    pastry = pending((await client.get(f"/kds/{await station_id(session, 'Pastry')}")).text)
    cold = pending((await client.get(f"/kds/{await station_id(session, 'Cold')}")).text)
    assert "Table 7 · Mains" in grill and "Salmon" in grill and "Tiramisu" not in grill
    assert "Table 7 · Desserts" in pastry and "Tiramisu" in pastry and "Salmon" not in pastry
    assert "Nothing held for later." in cold  # the burrata went in with the order
