"""The print queue on real PostgreSQL and real sockets: one job per ticket, printed on the fake
printers by the worker, claimed with SKIP LOCKED (KDS-5 and the claim)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.orders import corrections, firing
from app.orders import service as orders
from app.platform.kitchen import KitchenBus
from app.platform.models import AuditEntry
from kds.events import TicketBus
from kds.models import Station, Ticket
from kds.service import ticket_maker
from printers.decode import text_lines
from printers.fake import FakePrinter
from printers.models import Printer, PrintJob
from printers.service import RetryPolicy, claim_due, jobs_for_tickets, reprint_ticket
from printers.worker import PrintWorker
from tests.conftest import PINS, STAFF_IDS
from tests.demo_ids import item_id, station_id, table_id
from tests.integration.test_corrections import approval_by

MARIA, MIA = STAFF_IDS["Maria"], STAFF_IDS["Mia"]
#: Retry at once: the tests wait for outcomes, not for the clock.
FAST = RetryPolicy(backoff_s=(0.0,), attempts=3)


def printing_kitchen() -> KitchenBus:
    """Orders -> tickets -> print jobs, wired as app/main.py wires them."""
    tickets = TicketBus()
    tickets.subscribe(jobs_for_tickets)
    bus = KitchenBus()
    bus.subscribe(ticket_maker(tickets))
    return bus


class Announced(list[tuple[str, Any]]):
    """Stands in for the channels plugin: every announcement, in order."""

    async def __call__(self, channel: str, message: Any) -> None:
        self.append((channel, message))

    def alerts(self, channel: str) -> list[str]:
        return [m["alert"] for c, m in self if c == channel and "alert" in m]


@pytest.fixture
async def fakes(session: AsyncSession) -> AsyncIterator[dict[str, FakePrinter]]:
    """A fake printer for each demo printer (Grill, Cold, Pastry, Bar and Pass, the backup)."""
    fleet: dict[str, FakePrinter] = {}
    for row in (await session.scalars(select(Printer))).all():
        fleet[row.name] = FakePrinter(row.name)
        await fleet[row.name].start()
        row.address = fleet[row.name].address
    await session.commit()
    yield fleet
    for fake in fleet.values():
        await fake.stop()


@pytest.fixture
def worker(sessionmaker_) -> PrintWorker:  # type: ignore[no-untyped-def]
    return PrintWorker(sessionmaker_, Announced(), policy=FAST, timeout_s=0.5)


async def send(
    uow_factory: Any, session: AsyncSession, table: str, *items: str, check: int | None = None
) -> int:
    """Maria seats the table (unless the check is given), orders, sends. Returns the check."""
    if check is None:
        check = await uow_factory(orders.open_table, await table_id(session, table), 2, MARIA, 1)
    for name in items:
        new = orders.NewLine(await item_id(session, name), seat=1)
        await uow_factory(orders.add_line, check, new, MARIA)
    await uow_factory(firing.send_order, check, MARIA, printing_kitchen())
    return int(check)


async def jobs(session: AsyncSession, *where: Any) -> list[PrintJob]:
    session.expire_all()
    rows = await session.scalars(select(PrintJob).where(*where).order_by(PrintJob.id))
    found = list(rows.all())
    session.expunge_all()  # keep what was read; the next look reads afresh
    await session.rollback()
    return found


async def printer_id(session: AsyncSession, name: str) -> int:
    return int(await session.scalar(select(Printer.id).where(Printer.name == name)) or 0)


async def test_each_ticket_gets_one_job_on_its_stations_printer(
    uow_factory, session: AsyncSession
) -> None:
    await send(uow_factory, session, "5", "Roast Chicken", "Lemonade")
    made = await jobs(session)
    assert sorted((j.printer_id, j.kind, j.status) for j in made) == sorted(
        [
            (await printer_id(session, "Grill"), "ticket", "queued"),
            (await printer_id(session, "Bar"), "ticket", "queued"),
        ]
    )
    grill_printer = await printer_id(session, "Grill")
    grill = next(j for j in made if j.printer_id == grill_printer)
    assert "1x Roast Chicken" in text_lines(grill.payload)
    assert "1x Lemonade" not in text_lines(grill.payload)


async def test_a_station_without_a_printer_gets_its_ticket_but_no_job(
    uow_factory, session: AsyncSession
) -> None:
    cold = await station_id(session, "Cold")
    await session.execute(update(Station).where(Station.id == cold).values(printer_id=None))
    await session.commit()
    await send(uow_factory, session, "3", "Burrata")
    assert await jobs(session) == []
    assert await session.scalar(select(func.count()).where(Ticket.station_id == cold)) == 1


async def test_sending_more_prints_only_the_new_items(
    uow_factory, session: AsyncSession, fakes: dict[str, FakePrinter], worker: PrintWorker
) -> None:
    check = await send(uow_factory, session, "4", "Roast Chicken")
    await worker.drain()
    await send(uow_factory, session, "4", "Salmon", check=check)
    await worker.drain()

    first, second = fakes["Grill"].printed
    assert "1x Roast Chicken" in first and "1x Salmon" not in first
    assert "1x Salmon" in second and "1x Roast Chicken" not in second
    assert [j.status for j in await jobs(session)] == ["printed", "printed"]


async def test_a_void_after_fire_prints_a_void_ticket(
    uow_factory, sessionmaker_, session: AsyncSession, fakes: dict[str, FakePrinter], worker
) -> None:
    check = await send(uow_factory, session, "2", "Burrata")
    await worker.drain()
    burrata = (await orders_lines(session, check))[0]
    ok = await approval_by(sessionmaker_, MIA, PINS["Mia"])
    await uow_factory(
        corrections.void_line, check, burrata, "guest left", True, ok, printing_kitchen()
    )
    await worker.drain()

    made, void = fakes["Cold"].printed
    assert made[0] == "COLD" and "1x Burrata" in made
    assert void[0] == "*** VOID ***" and "VOID 1x Burrata" in void
    assert [j.kind for j in await jobs(session)] == ["ticket", "void"]


async def orders_lines(session: AsyncSession, check: int) -> list[int]:
    from app.orders.models import CheckLine

    rows = await session.scalars(
        select(CheckLine.id).where(CheckLine.check_id == check).order_by(CheckLine.id)
    )
    found = list(rows.all())
    await session.rollback()
    return found


async def test_a_reprint_says_reprint_and_is_audited(
    uow_factory, session: AsyncSession, fakes: dict[str, FakePrinter], worker: PrintWorker
) -> None:
    await send(uow_factory, session, "6", "Salmon")
    await worker.drain()
    ticket = await session.scalar(select(Ticket.id))
    await session.rollback()
    await uow_factory(reprint_ticket, ticket, STAFF_IDS["Ode"])
    await worker.drain()

    original, again = fakes["Grill"].printed
    assert "REPRINT" not in original
    assert again[0] == "REPRINT" and again[1:] == original
    audit = await session.scalar(select(AuditEntry).where(AuditEntry.action == "reprint_ticket"))
    assert audit is not None and audit.actor_id == STAFF_IDS["Ode"]


async def test_two_workers_never_claim_the_same_job(
    uow_factory, sessionmaker_, session: AsyncSession
) -> None:
    """Forced interleaving: the first claim is not committed when the second one runs."""
    check = await send(uow_factory, session, "8", "Roast Chicken", "Lemonade", "Espresso")
    await send(uow_factory, session, "8", "Salmon", check=check)
    all_jobs = {j.id for j in await jobs(session)}
    assert len(all_jobs) == 3

    async with sessionmaker_() as first, sessionmaker_() as second:
        mine = await claim_due(first, limit=2)
        # Without SKIP LOCKED this waits for the first transaction: a hang, not a pass.
        theirs = await asyncio.wait_for(claim_due(second, limit=10), timeout=5)
        await first.commit()
        await second.commit()
    assert len(mine) == 2 and len(theirs) == 1
    assert {c.job_id for c in mine} | {c.job_id for c in theirs} == all_jobs
    assert {c.job_id for c in mine}.isdisjoint(c.job_id for c in theirs)
    assert {j.status for j in await jobs(session)} == {"printing"}


async def test_many_claimers_at_once_take_each_job_exactly_once(
    uow_factory, sessionmaker_, session: AsyncSession
) -> None:
    check = await send(uow_factory, session, "13", "Roast Chicken", "Lemonade")
    for name in ("Salmon", "Mushroom Risotto", "Gnocchi", "Fish & Chips", "Half Lobster"):
        await send(uow_factory, session, "13", name, check=check)
    expected = {j.id for j in await jobs(session)}

    async def claimer() -> list[int]:
        taken: list[int] = []
        while True:
            async with sessionmaker_() as s:
                claims = await claim_due(s, limit=1)
                await asyncio.sleep(0.01)  # hold the row lock while the others try
                await s.commit()
            if not claims:
                return taken
            taken += [c.job_id for c in claims]

    results = await asyncio.gather(*(claimer() for _ in range(4)))
    taken = [job for result in results for job in result]
    assert sorted(taken) == sorted(expected)  # none missed, none twice
    assert len(expected) == 7
