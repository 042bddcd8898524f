"""The kitchen's taps, the printers and the back office's one-shot commands, each sent twice
with one idempotency key (issue 11; RELIABILITY.md ORD-1): one effect and the same answer;
the same key with another request is refused (409) and changes nothing."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.present import receipt_copy
from app.billing.service import pay_cash
from app.core.errors import Conflict
from app.menu import availability
from app.orders.views import check_view
from app.platform.api_keys import issue_api_key
from app.platform.models import ApiKey, AuditEntry
from kds import bumps, expo, views
from kds.models import Ticket
from printers.models import PrintJob
from printers.service import reprint_ticket
from tests.demo_ids import item_id
from tests.integration.test_keyed_check_commands import KEY
from tests.web.test_kds_station import MARIA, ODE, send_order, ticket_at

REUSED = "already used for a different action"


async def _count(session: AsyncSession, model: type, *where: Any) -> int:
    session.expire_all()
    found = await session.scalar(select(func.count()).select_from(model).where(*where))
    await session.rollback()
    return int(found or 0)


async def _audits(session: AsyncSession, action: str) -> int:
    return await _count(session, AuditEntry, AuditEntry.action == action)


async def _bumped(session: AsyncSession, *tickets: Ticket) -> list[bool]:
    session.expire_all()
    found = await session.scalars(
        select(Ticket.bumped_at.is_not(None)).where(Ticket.id.in_([t.id for t in tickets]))
    )
    await session.rollback()
    return list(found.all())


async def test_bump_sent_twice_with_one_key_bumps_once(uow_factory, session) -> None:
    salmon = await ticket_at(
        session, "Grill", await send_order(uow_factory, session, "2", ["Salmon"])
    )
    other = await ticket_at(
        session, "Grill", await send_order(uow_factory, session, "3", ["Salmon"])
    )

    def bump(ticket: Ticket) -> Awaitable[None]:
        return uow_factory(bumps.bump_ticket, ticket.station_id, ticket.id, ODE, KEY)

    await bump(salmon)
    await bump(salmon)  # without the key: "Ticket #1 was already bumped" on a wet double tap
    assert await _audits(session, "bump_ticket") == 1
    with pytest.raises(Conflict, match=REUSED):
        await bump(other)
    assert await _bumped(session, salmon, other) == [True, False]


async def test_item_struck_twice_with_one_key_stays_struck(uow_factory, session) -> None:
    check = await send_order(uow_factory, session, "2", ["Salmon", "Roast Chicken"])
    ticket = await ticket_at(session, "Grill", check)
    salmon, chicken = [i.line_id for i in (await views.ticket(session, ticket.id)).items]

    def strike(line: int) -> Awaitable[bool]:
        return uow_factory(bumps.bump_item, ticket.station_id, ticket.id, line, ODE, KEY)

    assert await strike(salmon) is False
    assert await strike(salmon) is False  # a toggle: without the key this would unstrike it
    with pytest.raises(Conflict, match=REUSED):
        await strike(chicken)
    items = (await views.ticket(session, ticket.id)).items
    assert [i.bumped_at is not None for i in items] == [True, False]
    assert await _audits(session, "bump_item") == 1 and await _audits(session, "unbump_item") == 0


async def test_recall_sent_twice_with_one_key_recalls_once(uow_factory, session) -> None:
    first = await ticket_at(
        session, "Grill", await send_order(uow_factory, session, "2", ["Salmon"])
    )
    last = await ticket_at(
        session, "Grill", await send_order(uow_factory, session, "3", ["Salmon"])
    )
    grill = first.station_id
    for ticket in (first, last):
        await uow_factory(bumps.bump_ticket, grill, ticket.id, ODE)
    # The bump bar's R bounces: the key pressed once comes twice. Only the last comes back;
    # without the key the second press would recall the one bumped before it too.
    assert await uow_factory(bumps.recall_last, grill, ODE, KEY) == last.id
    assert await uow_factory(bumps.recall_last, grill, ODE, KEY) == last.id
    assert await _bumped(session, first, last) == [True, False]
    with pytest.raises(Conflict, match=REUSED):
        await uow_factory(bumps.recall_ticket, grill, first.id, ODE, KEY)
    # One ticket by its own key, twice: recalled once.
    await uow_factory(bumps.recall_ticket, grill, first.id, ODE, "recall:first")
    await uow_factory(bumps.recall_ticket, grill, first.id, ODE, "recall:first")
    assert await _bumped(session, first, last) == [False, False]
    assert await _audits(session, "recall_ticket") == 2


async def test_expo_pass_sent_twice_with_one_key_passes_once(uow_factory, session) -> None:
    check = await send_order(uow_factory, session, "2", ["Salmon"])
    other = await send_order(uow_factory, session, "3", ["Salmon"])
    salmon = await ticket_at(session, "Grill", check)
    assert await uow_factory(expo.pass_course, 1, salmon.id, ODE, KEY) == check
    # Without the key: "That food for check ... was already passed".
    assert await uow_factory(expo.pass_course, 1, salmon.id, ODE, KEY) == check
    with pytest.raises(Conflict, match=REUSED):
        await uow_factory(expo.food_ready, 1, other, ODE, KEY)
    assert await _audits(session, "food_ready") == 1
    table = await uow_factory(expo.food_ready, 1, other, ODE, "expo:all")
    assert await uow_factory(expo.food_ready, 1, other, ODE, "expo:all") == table
    assert await _audits(session, "food_ready") == 2


async def test_reprint_sent_twice_with_one_key_prints_once(uow_factory, session) -> None:
    salmon = await ticket_at(
        session, "Grill", await send_order(uow_factory, session, "2", ["Salmon"])
    )
    other = await ticket_at(
        session, "Grill", await send_order(uow_factory, session, "3", ["Salmon"])
    )
    job = await uow_factory(reprint_ticket, salmon.id, ODE, KEY)
    assert await uow_factory(reprint_ticket, salmon.id, ODE, KEY) == job
    with pytest.raises(Conflict, match=REUSED):
        await uow_factory(reprint_ticket, other.id, ODE, KEY)
    assert await _count(session, PrintJob, PrintJob.kind == "reprint") == 1


async def test_receipt_copy_sent_twice_with_one_key_prints_once(uow_factory, session) -> None:
    check = await send_order(uow_factory, session, "2", ["Salmon"])
    view = await check_view(session, check)
    await uow_factory(pay_cash, check, view.balance, view.version, MARIA)
    other = await send_order(uow_factory, session, "3", ["Salmon"])
    await uow_factory(receipt_copy, check, MARIA, None, KEY)
    await uow_factory(receipt_copy, check, MARIA, None, KEY)
    with pytest.raises(Conflict, match=REUSED):
        await uow_factory(receipt_copy, other, MARIA, None, KEY)
    assert await _audits(session, "reprint_receipt") == 1


async def test_api_key_form_sent_twice_issues_one_key_and_says_so(uow_factory, session) -> None:
    async def issue(uow: Any, name: str) -> tuple[int, str]:
        return await issue_api_key(uow.session, 1, name, None, KEY)

    before = await _count(session, ApiKey)
    made, secret = await uow_factory(issue, "Online orders")
    assert secret.startswith("brg_")
    # The secret is kept nowhere, so the second submit cannot show it: it says what to do.
    with pytest.raises(Conflict, match=r"shown only once.*revoke it"):
        await uow_factory(issue, "Online orders")
    with pytest.raises(Conflict, match=REUSED):
        await uow_factory(issue, "Head office")
    assert await _count(session, ApiKey) == before + 1
    assert made


async def test_86_commands_sent_twice_with_one_key_apply_once(uow_factory, session) -> None:
    salmon = await item_id(session, "Salmon")

    async def off(uow: Any, minutes: int) -> None:
        await availability.eighty_six(uow, salmon, MARIA, None, minutes=minutes, key="86:1")

    # "30 minutes" is counted by the command: a retry a moment later is the same request.
    await uow_factory(off, 30)
    await uow_factory(off, 30)
    with pytest.raises(Conflict, match=REUSED):
        await uow_factory(off, 60)
    for _ in range(2):
        await uow_factory(availability.set_countdown, salmon, 4, MARIA, key="86:2")
        await uow_factory(availability.bring_back, salmon, MARIA, key="86:3")
    assert [await _audits(session, a) for a in ("eighty_six", "set_countdown", "bring_back")] == [
        1,
        1,
        1,
    ]
