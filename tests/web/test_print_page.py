"""The Printers page (KDS-3's "visible and retryable"), with the app's own print worker running.

Through the app as staff use it: a ticket sent from a tablet, printers switched off, the
failed ticket listed on /printers, Retry pressed once the Grill printer is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from printers.fake import FakePrinter
from printers.models import Printer, PrintJob
from printers.service import RetryPolicy
from tests.conftest import sign_in
from tests.demo_ids import item_id, station_id, table_id

HX = {"HX-Request": "true"}


@pytest.fixture
async def fakes(session: AsyncSession) -> AsyncIterator[dict[str, FakePrinter]]:
    fleet: dict[str, FakePrinter] = {}
    for row in (await session.scalars(select(Printer))).all():
        fleet[row.name] = FakePrinter(row.name)
        await fleet[row.name].start()
        row.address = fleet[row.name].address
    await session.commit()
    yield fleet
    for fake in fleet.values():
        await fake.stop()


@contextlib.asynccontextmanager
async def printing(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    """The app with its print worker on (the test app leaves it off), retrying at once."""
    worker = app.state.print_worker
    worker.enabled = True
    worker.policy = RetryPolicy(backoff_s=(0.0,), attempts=2)
    worker.timeout_s, worker.poll_s = 0.5, 0.05
    async with AsyncTestClient(app) as client:
        yield client


@pytest.fixture
async def printing_client(
    app: Litestar, fakes: dict[str, FakePrinter]
) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with printing(app) as client:
        yield client


async def until(session: AsyncSession, status: str, seconds: float = 15.0) -> PrintJob:
    """Wait for the worker to bring the (only) job to ``status``."""
    for _ in range(int(seconds / 0.05)):
        session.expire_all()
        job = await session.scalar(select(PrintJob))
        session.expunge_all()
        await session.rollback()
        if job is not None and job.status == status:
            return job
        await asyncio.sleep(0.05)
    raise AssertionError(f"no job reached {status!r}: {job.status if job else 'no job'}")


async def send_salmon(client: AsyncTestClient[Litestar], session: AsyncSession) -> None:
    csrf = await sign_in(client, "Maria")
    headers = {**HX, "X-CSRF-Token": csrf}
    table = await table_id(session, "12")
    opened = await client.post(f"/floor/tables/{table}/open", data={"guests": "2"}, headers=headers)
    check = opened.headers["hx-redirect"]
    salmon = await item_id(session, "Salmon")
    await client.post(f"{check}/lines", data={"item_id": str(salmon)}, headers=headers)
    sent = await client.post(f"{check}/send", data={"key": "salmon-1"}, headers=headers)
    assert sent.status_code == 200, sent.text


async def test_ticket_that_printed_nowhere_is_listed_and_retry_prints_it_when_grill_is_back(
    printing_client: AsyncTestClient[Litestar],
    session: AsyncSession,
    fakes: dict[str, FakePrinter],
) -> None:
    client = printing_client
    await fakes["Grill"].set_mode("off")
    await fakes["Pass"].set_mode("off")
    await send_salmon(client, session)
    job = await until(session, "failed")

    csrf = await sign_in(client, "Ode")
    page = await client.get("/printers")
    assert page.status_code == 200
    failed = page.text[page.text.index("Did not print") : page.text.index("Recent tickets")]
    assert "Grill ticket 1 · Table 12" in failed
    assert "Pass printer is off" in failed
    assert f'hx-post="/printers/tickets/{job.ticket_id}/retry"' in failed
    assert re.search(r'printer-trouble">Off<', page.text)

    await fakes["Grill"].set_mode("on")
    retried = await client.post(
        f"/printers/tickets/{job.ticket_id}/retry", headers={**HX, "X-CSRF-Token": csrf}
    )
    assert retried.status_code == 200
    assert retried.text.lstrip().startswith('<section id="printers-panel"')  # the fragment
    assert "Sent to the printer again." in retried.text
    await until(session, "printed")
    (paper,) = fakes["Grill"].printed
    assert paper[0] == "GRILL" and "1x Salmon" in paper
    assert "Every ticket printed." in (await client.get("/printers", headers=HX)).text


async def test_reprint_from_the_page_prints_reprint_on_the_station_printer(
    printing_client: AsyncTestClient[Litestar],
    session: AsyncSession,
    fakes: dict[str, FakePrinter],
) -> None:
    client = printing_client
    await send_salmon(client, session)
    job = await until(session, "printed")
    csrf = await sign_in(client, "Mia")
    reprinted = await client.post(
        f"/printers/tickets/{job.ticket_id}/reprint", headers={**HX, "X-CSRF-Token": csrf}
    )
    assert reprinted.status_code == 200
    for _ in range(200):
        if len(fakes["Grill"].printed) == 2:
            break
        await asyncio.sleep(0.05)
    first, again = fakes["Grill"].printed
    assert again == ["REPRINT", *first]


async def test_alert_is_published_to_the_floor_and_the_station_when_a_printer_fails_over(
    app: Litestar,
    session: AsyncSession,
    fakes: dict[str, FakePrinter],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Through the app's own channels plugin (what the floor and station sockets listen to)."""
    published: list[tuple[object, object]] = []
    plugin = app.state.channels
    original = plugin.publish

    def recording(data: object, channels: object) -> None:
        published.append((channels, data))
        original(data, channels)

    monkeypatch.setattr(plugin, "publish", recording)
    await fakes["Grill"].set_mode("off")
    async with printing(app) as client:
        await send_salmon(client, session)
        await until(session, "printed")

    alert = {"alert": "Grill printer is off: printing on Pass printer"}
    grill = await station_id(session, "Grill")
    assert ("floor", alert) in published
    assert (f"kds:{grill}", alert) in published
    assert fakes["Pass"].printed[0][0] == "BACKUP FROM Grill"


async def test_servers_cannot_open_the_printers_page_or_retry(
    client: AsyncTestClient[Litestar],
) -> None:
    csrf = await sign_in(client, "Maria")
    assert (await client.get("/printers", follow_redirects=False)).status_code == 403
    answer = await client.post("/printers/tickets/1/retry", headers={**HX, "X-CSRF-Token": csrf})
    assert answer.status_code == 403
