"""Talking to a real printer: send the bytes, then make the printer say it is fine.

No reply from a printer is never success. A TCP write that completes proves only that the
bytes reached a socket buffer; a printer with its cover open or its paper out accepts them
happily and prints nothing. So every job is framed by two status queries (``DLE EOT 4``:
paper, ``DLE EOT 1``: online): before, so paper-out never swallows a job that would later
print on its own after we moved it to the backup; and after, to confirm. No answer within
the timeout, or a bad answer, is a failure.

Blocking I/O (python-escpos sockets, USB, serial): call from a worker thread, never on the
event loop.
"""

from __future__ import annotations

import contextlib
from typing import Any

from escpos.constants import RT_STATUS_ONLINE, RT_STATUS_PAPER
from escpos.exceptions import Error as EscposError

#: Answer bits of DLE EOT 4 (roll paper sensor): paper end, and paper near its end.
PAPER_END = 0x60
#: Answer bit of DLE EOT 1 (printer status): the printer is offline.
OFFLINE = 0x08
#: Bits every DLE EOT answer has set and every other status byte has clear (0b0xx1xx10):
#: anything else is not a status answer (noise, or a late answer of another query).
_FIXED_MASK, _FIXED = 0x93, 0x12


class PrintFailed(Exception):
    """The job did not print. ``reason`` reads well after "Grill printer is ..."."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_address(address: str) -> tuple[str, str, int]:
    """``host:port`` (port 9100 if left out), ``usb:VID:PID`` or ``serial:/dev/ttyUSB0``."""
    kind, _, rest = address.partition(":")
    if kind in ("usb", "serial"):
        return kind, rest, 0
    host, _, port = address.rpartition(":") if ":" in address else (address, "", "9100")
    return "network", host, int(port or 9100)


def open_printer(address: str, timeout: float) -> Any:
    """A python-escpos printer for the address, opened."""
    kind, where, port = parse_address(address)
    if kind == "usb":
        from escpos.printer import Usb

        vendor, _, product = where.partition(":")
        device: Any = Usb(int(vendor, 16), int(product, 16), timeout=int(timeout * 1000))
    elif kind == "serial":
        from escpos.printer import Serial

        device = Serial(where, timeout=timeout)
    else:
        from escpos.printer import Network

        device = Network(where, port, timeout=timeout)
    try:
        device.open()
    except (EscposError, OSError) as exc:
        raise PrintFailed("off") from exc
    return device


def _status(device: Any, query: bytes) -> int:
    try:
        answer = device.query_status(query)
    except (OSError, EscposError) as exc:  # socket timeout, reset, USB timeout
        raise PrintFailed("not answering") from exc
    if not answer or answer[-1] & _FIXED_MASK != _FIXED:
        raise PrintFailed("not answering")
    return int(answer[-1])


def check_ready(device: Any) -> None:
    """Paper first: a printer out of paper also reports itself offline."""
    if _status(device, RT_STATUS_PAPER) & PAPER_END:
        raise PrintFailed("out of paper")
    if _status(device, RT_STATUS_ONLINE) & OFFLINE:
        raise PrintFailed("offline")


def print_on(device: Any, payload: bytes) -> None:
    """Status, the job, status again. Raises ``PrintFailed`` unless the printer confirms."""
    check_ready(device)
    try:
        device._raw(payload)  # the bytes were rendered once; send them as they are
    except (OSError, EscposError) as exc:
        raise PrintFailed("off") from exc
    check_ready(device)


def deliver(address: str, payload: bytes, timeout: float = 5.0) -> None:
    """Open, print with confirmation, close. Blocking: run it in a thread."""
    device = open_printer(address, timeout)
    try:
        print_on(device, payload)
    finally:
        # The job's outcome is already decided; a failed close changes nothing.
        with contextlib.suppress(OSError, EscposError):
            device.close()
