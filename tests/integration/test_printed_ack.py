"""A ticket the printer confirmed is in the kitchen's hands: it counts as acknowledged, so a
station with only a printer never raises "not seen" alerts; a ticket that did not print does.
Real worker, real sockets (the fake printers), real PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kds.alerts import open_alerts, raise_overdue
from kds.models import Station, Ticket
from printers.fake import FakePrinter
from printers.models import Printer
from printers.outcomes import printer_alerts, record_printed
from printers.service import retry_ticket
from printers.worker import PrintWorker
from tests.demo_ids import station_id
from tests.integration import test_print_queue as queue
from tests.integration.test_print_queue import Announced, jobs, printer_id, send

fakes, worker = queue.fakes, queue.worker


async def grill_ticket(session: AsyncSession, check: int) -> Ticket:
    session.expire_all()
    grill = await station_id(session, "Grill")
    found = await session.scalar(
        select(Ticket).where(Ticket.check_id == check, Ticket.station_id == grill)
    )
    assert found is not None
    session.expunge(found)
    await session.rollback()
    return found


async def long_ago(session: AsyncSession, check: int) -> None:
    """The Grill's tickets were fired well past the station's acknowledgement time."""
    await session.execute(
        update(Ticket)
        .where(Ticket.check_id == check)
        .values(fired_at=func.now() - timedelta(minutes=5))
    )
    await session.commit()


async def no_grill_screen(session: AsyncSession) -> None:
    """The Grill wants an acknowledgement within 30 s, and nobody has its screen open."""
    grill = await station_id(session, "Grill")
    await session.execute(update(Station).where(Station.id == grill).values(ack_within_s=30))
    await session.commit()


async def test_a_printed_ticket_counts_as_acknowledged_and_raises_no_alert(
    uow_factory, session: AsyncSession, fakes: dict[str, FakePrinter], worker: PrintWorker
) -> None:
    await no_grill_screen(session)
    check = await send(uow_factory, session, "5", "Roast Chicken")
    assert (await grill_ticket(session, check)).acknowledged_at is None

    await worker.drain()

    assert len(fakes["Grill"].printed) == 1
    ticket = await grill_ticket(session, check)
    assert ticket.acknowledged_at is not None
    await long_ago(session, check)
    assert await uow_factory(raise_overdue) == []


async def test_a_ticket_that_did_not_print_is_not_acknowledged_and_raises_its_alert(
    uow_factory, session: AsyncSession, fakes: dict[str, FakePrinter], worker: PrintWorker
) -> None:
    await no_grill_screen(session)
    await fakes["Grill"].set_mode("off")
    await fakes["Pass"].set_mode("off")  # the backup too: no paper anywhere
    check = await send(uow_factory, session, "5", "Roast Chicken")

    await worker.drain()

    (job,) = await jobs(session)
    assert job.status == "failed"
    assert (await grill_ticket(session, check)).acknowledged_at is None
    await long_ago(session, check)
    assert await uow_factory(raise_overdue) == ["Grill has not seen ticket #1 (table 5)"]


async def test_printing_late_clears_a_standing_alert_on_expo_and_the_floor(
    uow_factory, session: AsyncSession, sessionmaker_, fakes: dict[str, FakePrinter]
) -> None:
    await no_grill_screen(session)
    await fakes["Grill"].set_mode("off")
    check = await send(uow_factory, session, "5", "Roast Chicken")
    await long_ago(session, check)
    assert len(await uow_factory(raise_overdue)) == 1
    assert len(await open_alerts(session, 1)) == 1
    await session.rollback()

    await fakes["Grill"].set_mode("on")
    announced = Announced()
    await PrintWorker(sessionmaker_, announced, policy=queue.FAST, timeout_s=0.5).drain()

    assert await open_alerts(session, 1) == []
    grill = await station_id(session, "Grill")
    assert ("kds:expo", {"acknowledged": grill}) in announced
    assert ("floor", {"alerts": "acknowledged"}) in announced


async def test_an_agents_acknowledgement_counts_too_and_only_the_first_time(
    uow_factory, session: AsyncSession
) -> None:
    """Agent printers settle through the same ``record_printed``: same rule."""
    grill_printer = await printer_id(session, "Grill")
    await session.execute(update(Printer).where(Printer.id == grill_printer).values(kind="agent"))
    await session.commit()
    check = await send(uow_factory, session, "5", "Roast Chicken")
    (job,) = await jobs(session)

    assert await uow_factory(record_printed, job.id) is True
    first = (await grill_ticket(session, check)).acknowledged_at
    assert first is not None
    assert await uow_factory(record_printed, job.id) is False  # a repeated ack changes nothing
    assert (await grill_ticket(session, check)).acknowledged_at == first


async def test_the_floor_hears_of_a_printer_in_trouble_until_it_prints_again(
    uow_factory, session: AsyncSession, fakes: dict[str, FakePrinter], worker: PrintWorker
) -> None:
    await fakes["Grill"].set_mode("off")
    await send(uow_factory, session, "5", "Roast Chicken")
    await worker.drain()  # printed on the Pass printer, the backup

    (alert,) = await printer_alerts(session, 1)
    assert alert.text == "Grill printer is off"
    assert alert.key.startswith(f"printer-{await printer_id(session, 'Grill')}-")
    await session.rollback()

    await fakes["Grill"].set_mode("on")
    await send(uow_factory, session, "6", "Roast Chicken")
    await worker.drain()

    assert await printer_alerts(session, 1) == []
    announced = worker.announce
    assert isinstance(announced, Announced)
    assert ("floor", {"alerts": "printer back"}) in announced


async def test_prints_that_gave_up_stand_on_the_floor_until_retried(
    uow_factory, session: AsyncSession, fakes: dict[str, FakePrinter], worker: PrintWorker
) -> None:
    await fakes["Grill"].set_mode("off")
    await fakes["Pass"].set_mode("off")
    await send(uow_factory, session, "5", "Roast Chicken")
    await send(uow_factory, session, "6", "Roast Chicken")
    await worker.drain()

    texts = sorted(a.text for a in await printer_alerts(session, 1))
    assert texts == [
        "2 prints did not come out on Grill printer: retry on the Printers page",
        "Grill printer is off",
        "Pass printer is off",
    ]
    await session.rollback()

    for job in await jobs(session):
        assert job.ticket_id is not None
        await uow_factory(retry_ticket, job.ticket_id, None)

    texts = sorted(a.text for a in await printer_alerts(session, 1))
    assert texts == ["Grill printer is off", "Pass printer is off"]  # until they print again
