"""Voids and comps after Send: a manager other than the proposer approves, the kitchen is
told, the audit log names both, and the money adds up."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadInput, NotFound, Refused
from app.orders import corrections, firing
from app.orders import service as orders
from app.orders.models import CheckLine
from app.orders.views import check_view
from app.platform.approvals import Approval, approve
from app.platform.auth import PinGate
from app.platform.db import UnitOfWork
from app.platform.models import AuditEntry, PinAttempt
from kds.models import Ticket, TicketItem
from tests.conftest import PINS, STAFF_IDS
from tests.demo_ids import item_id, table_id
from tests.integration.test_many_hands import kitchen

MARIA, MIA, OLIVIA = STAFF_IDS["Maria"], STAFF_IDS["Mia"], STAFF_IDS["Olivia"]
GATE = PinGate("tablet-7")


async def _sent_check(uow_factory, session: AsyncSession) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    bus = kitchen()
    check = await uow_factory(orders.open_table, await table_id(session, "2"), 2, MARIA, 1)
    line = await uow_factory(
        orders.add_line, check, orders.NewLine(await item_id(session, "Burrata")), MARIA
    )
    await uow_factory(
        orders.add_line, check, orders.NewLine(await item_id(session, "Espresso")), MARIA
    )
    await uow_factory(firing.send_order, check, MARIA, bus)
    return int(check), int(line)


async def approval_by(sessionmaker_, approver: int, pin: str, proposer: int = MARIA) -> Approval:  # type: ignore[no-untyped-def]
    async with sessionmaker_() as s:
        uow = UnitOfWork(s)
        result = await approve(uow, approver, pin, proposer, GATE)
        await uow.commit()
        return result


async def test_manager_approved_void_tells_the_kitchen_and_names_both(
    uow_factory, sessionmaker_, session
) -> None:
    check, burrata = await _sent_check(uow_factory, session)
    ok = await approval_by(sessionmaker_, MIA, PINS["Mia"])
    await uow_factory(corrections.void_line, check, burrata, "guest allergic", True, ok, kitchen())
    session.expire_all()
    line = await session.get(CheckLine, burrata)
    assert line is not None and line.status == "void" and line.void_waste is True
    assert (line.voided_by, line.void_approved_by, line.void_reason) == (
        MARIA,
        MIA,
        "guest allergic",
    )
    void_ticket = (
        await session.execute(
            select(Ticket.kind, TicketItem.name)
            .join(TicketItem, TicketItem.ticket_id == Ticket.id)
            .where(Ticket.check_id == check, Ticket.kind == "void")
        )
    ).all()
    assert [tuple(r) for r in void_ticket] == [("void", "Burrata")]
    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "void_line"))
    assert entry is not None and (entry.actor_id, entry.approver_id) == (MARIA, MIA)
    view = await check_view(session, check)
    assert view.totals.subtotal == 350  # only the espresso is still charged


async def test_nobody_approves_their_own_void(sessionmaker_) -> None:
    with pytest.raises(Refused, match="cannot approve your own"):
        await approval_by(sessionmaker_, MIA, PINS["Mia"], proposer=MIA)


async def test_a_server_cannot_approve(sessionmaker_) -> None:
    with pytest.raises(Refused, match="Sam is not a manager"):
        await approval_by(sessionmaker_, STAFF_IDS["Sam"], PINS["Sam"])


async def test_wrong_manager_pin_is_refused_and_counted(
    sessionmaker_, session: AsyncSession
) -> None:
    with pytest.raises(Refused, match="Wrong PIN"):
        await approval_by(sessionmaker_, MIA, "0000")
    session.expire_all()
    failed = (await session.scalars(select(PinAttempt.ok).where(PinAttempt.staff_id == MIA))).all()
    assert failed == [False]


async def test_void_needs_a_reason_and_a_fired_line(uow_factory, sessionmaker_, session) -> None:
    check, burrata = await _sent_check(uow_factory, session)
    ok = await approval_by(sessionmaker_, OLIVIA, PINS["Olivia"])
    with pytest.raises(BadInput, match="Say why"):
        await uow_factory(corrections.void_line, check, burrata, "  ", True, ok, kitchen())
    new = await uow_factory(
        orders.add_line, check, orders.NewLine(await item_id(session, "Tiramisu")), MARIA
    )
    with pytest.raises(BadInput, match="clear it instead"):
        await uow_factory(corrections.void_line, check, new, "changed mind", False, ok, kitchen())
    with pytest.raises(NotFound):
        await uow_factory(corrections.void_line, check, 999999, "x", False, ok, kitchen())


async def test_comped_dessert_stays_on_the_check_at_no_charge(
    uow_factory, sessionmaker_, session
) -> None:
    check, _ = await _sent_check(uow_factory, session)
    espresso = await session.scalar(
        select(CheckLine.id).where(CheckLine.check_id == check, CheckLine.name == "Espresso")
    )
    ok = await approval_by(sessionmaker_, MIA, PINS["Mia"])
    await uow_factory(corrections.comp_line, check, espresso, "birthday", ok)
    view = await check_view(session, check)
    assert view.totals.comps == 350 and view.totals.subtotal == 1400 + 350
    assert view.totals.total == 1400 + 124  # burrata + its tax; the espresso carries none
    with pytest.raises(Refused, match="already comped"):
        await uow_factory(corrections.comp_line, check, espresso, "again", ok)
