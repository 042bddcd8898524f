"""KDS-4 at the socket: a printer must say "online, paper OK" or the job did not print.

Real TCP against the fake printer, python-escpos in a worker thread as the server does it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from printers.fake import FakePrinter
from printers.render import PrintItem, PrintTicket, render_ticket
from printers.transport import PrintFailed, deliver, parse_address

TICKET = render_ticket(
    PrintTicket("Grill", "4", 21, "Sam", "19:15", 2, (PrintItem("Pork Chop", 1, "Medium"),))
)
TIMEOUT = 0.5


@pytest.fixture
async def grill() -> AsyncIterator[FakePrinter]:
    printer = FakePrinter("Grill")
    await printer.start()
    yield printer
    await printer.stop()


async def send(printer: FakePrinter) -> str | None:
    """None when the printer confirmed, else the reason it gave."""
    try:
        await asyncio.to_thread(deliver, printer.address, TICKET, TIMEOUT)
    except PrintFailed as failed:
        return failed.reason
    return None


async def test_a_printer_that_answers_online_and_paper_ok_prints_the_ticket(
    grill: FakePrinter,
) -> None:
    assert await send(grill) is None
    assert len(grill.printed) == 1
    assert grill.printed[0][0] == "GRILL" and "1x Pork Chop" in grill.printed[0]


async def test_a_printer_switched_off_refuses_and_prints_nothing(grill: FakePrinter) -> None:
    await grill.set_mode("off")
    assert await send(grill) == "off"
    await grill.set_mode("on")  # and it comes back on the same port
    assert await send(grill) is None
    assert len(grill.printed) == 1


async def test_a_silent_printer_is_never_success_and_gets_no_ticket(grill: FakePrinter) -> None:
    await grill.set_mode("silent")
    started = time.monotonic()
    assert await send(grill) == "not answering"
    assert time.monotonic() - started < TIMEOUT * 4  # the timeout holds, nobody hangs
    assert grill.printed == []
    assert b"Pork Chop" not in grill.received  # asked first, so the job was never sent


async def test_paper_out_is_never_success_and_the_job_is_not_left_in_its_buffer(
    grill: FakePrinter,
) -> None:
    """Not sent at all: a job sitting in a paperless printer would print by itself when
    the roll is changed, after its backup printed it too."""
    await grill.set_mode("paper_out")
    assert await send(grill) == "out of paper"
    assert grill.printed == []
    assert b"Pork Chop" not in grill.received


async def test_a_slow_printer_within_the_timeout_prints_and_beyond_it_fails(
    grill: FakePrinter,
) -> None:
    await grill.set_mode("slow")
    grill.delay_s = TIMEOUT / 5
    assert await send(grill) is None
    grill.delay_s = TIMEOUT * 2
    assert await send(grill) == "not answering"
    assert len(grill.printed) == 1  # too slow to say it is ready: the job was not sent


def test_addresses_name_a_network_port_a_usb_device_or_a_serial_port() -> None:
    assert parse_address("192.168.1.50:9100") == ("network", "192.168.1.50", 9100)
    assert parse_address("192.168.1.50") == ("network", "192.168.1.50", 9100)
    assert parse_address("usb:04b8:0202") == ("usb", "04b8:0202", 0)
    assert parse_address("serial:/dev/ttyUSB0") == ("serial", "/dev/ttyUSB0", 0)
