"""KDS-3 and KDS-4: printers off, silent or out of paper, with the real worker and real sockets.

The demo's Pass printer is every station's backup.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.db import UnitOfWork
from kds.models import Station
from printers.fake import FakePrinter
from printers.models import Printer
from printers.outcomes import record_failure
from printers.service import RetryPolicy, claim_due, retry_ticket
from printers.transport import deliver
from printers.worker import PrintWorker
from tests.demo_ids import station_id
from tests.integration import test_print_queue as queue
from tests.integration.test_print_queue import FAST, Announced, jobs, printer_id, send

# The queue tests' fixtures: fake printers for the demo's printers, a worker that retries at once.
fakes, worker = queue.fakes, queue.worker

ALERT = "Grill printer is off: printing on Pass printer"


async def trouble(session: AsyncSession, name: str) -> str | None:
    session.expire_all()
    found = await session.scalar(select(Printer.trouble).where(Printer.name == name))
    await session.rollback()
    return found


async def test_grill_printer_off_prints_on_the_pass_marked_backup_and_staff_are_told(
    uow_factory, session: AsyncSession, fakes: dict[str, FakePrinter], worker: PrintWorker
) -> None:
    await fakes["Grill"].set_mode("off")
    await send(uow_factory, session, "5", "Roast Chicken")
    await worker.drain()

    assert fakes["Grill"].printed == []
    (paper,) = fakes["Pass"].printed
    assert paper[0] == "BACKUP FROM Grill" and paper[1] == "GRILL" and "1x Roast Chicken" in paper
    (job,) = await jobs(session)
    assert job.status == "printed"
    assert job.printer_id == await printer_id(session, "Pass")
    assert job.original_printer_id == await printer_id(session, "Grill")
    assert await trouble(session, "Grill") == "off"
    announced = worker.announce
    assert isinstance(announced, Announced)
    grill = await station_id(session, "Grill")
    assert announced.alerts("floor") == [ALERT]
    assert announced.alerts(f"kds:{grill}") == [ALERT]


async def test_while_grill_is_known_off_new_tickets_go_to_the_backup_after_one_try(
    uow_factory, session: AsyncSession, fakes: dict[str, FakePrinter], sessionmaker_
) -> None:
    tries: Counter[str] = Counter()

    def counting(address: str, payload: bytes, timeout: float) -> None:
        tries[address] += 1
        deliver(address, payload, timeout)

    counted = PrintWorker(sessionmaker_, policy=FAST, timeout_s=0.5, deliver=counting)
    await fakes["Grill"].set_mode("off")
    check = await send(uow_factory, session, "5", "Roast Chicken")
    await counted.drain()
    assert tries[fakes["Grill"].address] == 3  # the first ticket gets every retry
    await send(uow_factory, session, "5", "Salmon", check=check)
    await counted.drain()

    assert tries[fakes["Grill"].address] == 4  # the next one tries the Grill once
    assert [p[0] for p in fakes["Pass"].printed] == ["BACKUP FROM Grill"] * 2
    assert ["1x Roast Chicken" in p for p in fakes["Pass"].printed] == [True, False]
    assert ["1x Salmon" in p for p in fakes["Pass"].printed] == [False, True]


async def test_grill_back_on_prints_on_grill_again_and_its_trouble_clears(
    uow_factory, session: AsyncSession, fakes: dict[str, FakePrinter], worker: PrintWorker
) -> None:
    await fakes["Grill"].set_mode("off")
    check = await send(uow_factory, session, "5", "Roast Chicken")
    await worker.drain()
    await fakes["Grill"].set_mode("on")
    await send(uow_factory, session, "5", "Salmon", check=check)
    await worker.drain()

    (salmon,) = fakes["Grill"].printed
    assert salmon[0] == "GRILL" and "1x Salmon" in salmon
    assert await trouble(session, "Grill") is None


async def test_both_printers_off_fails_visibly_and_retry_prints_once_grill_is_back(
    uow_factory, session: AsyncSession, fakes: dict[str, FakePrinter], worker: PrintWorker
) -> None:
    await fakes["Grill"].set_mode("off")
    await fakes["Pass"].set_mode("off")
    await send(uow_factory, session, "7", "Half Lobster")
    await worker.drain()

    (job,) = await jobs(session)
    assert job.status == "failed"
    assert job.error == "Pass printer is off"
    assert isinstance(worker.announce, Announced)
    assert worker.announce.alerts("floor") == [
        ALERT,
        "Grill ticket 1 did not print: Pass printer is off. Retry it on the Printers page.",
    ]
    assert fakes["Grill"].printed == [] and fakes["Pass"].printed == []

    await fakes["Grill"].set_mode("on")
    assert job.ticket_id is not None
    await uow_factory(retry_ticket, job.ticket_id, None)
    await worker.drain()

    (paper,) = fakes["Grill"].printed
    assert paper[0] == "GRILL"  # its own printer again: no "BACKUP FROM"
    assert [(j.status, j.printer_id) for j in await jobs(session)] == [
        ("printed", await printer_id(session, "Grill"))
    ]


async def test_a_silent_printer_is_never_counted_printed(
    uow_factory, session: AsyncSession, fakes: dict[str, FakePrinter], worker: PrintWorker
) -> None:
    grill = await station_id(session, "Grill")
    await session.execute(update(Station).where(Station.id == grill).values(backup_printer_id=None))
    await session.commit()
    await fakes["Grill"].set_mode("silent")
    await send(uow_factory, session, "9", "Salmon")
    await worker.drain()

    (job,) = await jobs(session)
    assert (job.status, job.printed_at, job.attempts) == ("failed", None, 3)
    assert job.error == "Grill printer is not answering"
    assert fakes["Grill"].printed == []
    assert await trouble(session, "Grill") == "not answering"


async def test_paper_out_is_never_counted_printed_and_the_backup_prints_it(
    uow_factory, session: AsyncSession, fakes: dict[str, FakePrinter], worker: PrintWorker
) -> None:
    await fakes["Grill"].set_mode("paper_out")
    await send(uow_factory, session, "10", "Gnocchi")
    await worker.drain()

    assert fakes["Grill"].printed == []
    assert b"Gnocchi" not in fakes["Grill"].received
    (paper,) = fakes["Pass"].printed
    assert paper[0] == "BACKUP FROM Grill"
    assert await trouble(session, "Grill") == "out of paper"
    assert isinstance(worker.announce, Announced)
    assert worker.announce.alerts("floor") == [
        "Grill printer is out of paper: printing on Pass printer"
    ]


async def test_a_failed_attempt_waits_out_its_backoff_before_the_next(
    uow_factory, session: AsyncSession, sessionmaker_
) -> None:
    await send(uow_factory, session, "11", "Salmon")
    async with sessionmaker_() as s:
        (claim,) = await claim_due(s)
        await s.commit()
    async with sessionmaker_() as s:
        uow = UnitOfWork(s)
        status = await record_failure(uow, claim.job_id, "off", RetryPolicy((2.0, 5.0), 3))
        await uow.commit()
    assert status == "queued"
    (job,) = await jobs(session)
    assert job.attempts == 1 and job.error == "off"
    assert job.next_attempt_at > datetime.now(UTC) + timedelta(seconds=1)
    async with sessionmaker_() as s:
        assert await claim_due(s) == []  # not due yet
