"""A fake ESC/POS network printer: receives jobs over TCP, answers status queries like a
real one, and "prints" by decoding each job to text (a file, the console, a list in memory).

It can be told to misbehave the ways kitchen printers do:

- ``on``: prints, answers ``DLE EOT n`` / ``GS r n`` with "online, paper OK";
- ``off``: not listening at all (connections are refused), like a printer switched off;
- ``silent``: accepts the bytes and never answers (hung firmware, a dead print server);
- ``paper_out``: answers with the paper-end bits set and prints nothing;
- ``slow``: prints and answers, each answer ``delay_s`` late.

Tests drive it in-process (``await printer.set_mode("off")``); the demo runs a fleet of them
(``python -m printers.fake serve --demo``) with a control port for ``set NAME MODE``. The
demo's fleet listens on ports the operating system picks, and writes them (and the control
port) to ``fake-printers.json`` in its output folder, where the server and ``set`` read them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import sys
from datetime import datetime
from pathlib import Path

from printers.decode import Cut, Decoder, Line, StatusQuery

MODES = ("on", "off", "silent", "paper_out", "slow")
#: The control port of a fleet started by hand; the demo's fleet takes a free one.
CONTROL_PORT = 9199
log = logging.getLogger("printers.fake")

# Status bytes as an Epson TM printer sends them. DLE EOT n: 1 printer, 2 offline cause,
# 3 error cause, 4 roll paper sensor. Paper out: offline, "stopped by paper end", both
# paper sensors tripped.
_DLE_EOT_OK = {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}
_DLE_EOT_PAPER_OUT = {1: 0x1A, 2: 0x32, 3: 0x12, 4: 0x7E}


def status_answer(query: StatusQuery, paper_out: bool) -> bytes:
    if query.command == "DLE EOT":
        table = _DLE_EOT_PAPER_OUT if paper_out else _DLE_EOT_OK
        return bytes([table.get(query.n, 0x12)])
    # GS r 1 (or 49): paper sensor, bits 0-1 near end and 2-3 end; GS r 2: drawer.
    return bytes([0x0F if paper_out and query.n in (1, 49) else 0x00])


class FakePrinter:
    def __init__(
        self,
        name: str = "Fake",
        port: int = 0,
        *,
        host: str = "127.0.0.1",
        out: Path | None = None,
        echo: bool = False,
        delay_s: float = 1.0,
    ) -> None:
        self.name, self.host, self.port = name, host, port
        self.out, self.echo, self.delay_s = out, echo, delay_s
        self.mode = "on"
        #: Every ticket printed, as its text lines (``[cut]`` not included).
        self.printed: list[list[str]] = []
        #: Every byte received in any mode, including what was never printed.
        self.received = bytearray()
        self._server: asyncio.Server | None = None
        self._clients: set[asyncio.StreamWriter] = set()

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._serve, self.host, self.port, reuse_address=True
        )
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._clients):
            writer.transport.abort()
        self._clients.clear()

    async def set_mode(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}")
        was, self.mode = self.mode, mode
        if mode == "off":
            await self.stop()  # refuse connections, and drop the ones that are open
        elif was == "off" or self._server is None:
            await self.start()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._clients.add(writer)
        decoder, page = Decoder(), list[Line]()
        try:
            while data := await reader.read(4096):
                self.received += data
                for event in decoder.feed(data):
                    if isinstance(event, StatusQuery):
                        await self._answer(event, writer)
                    elif isinstance(event, Cut):
                        self._print(page)
                        page = []
                    else:
                        page.append(event)
            self._print(page + [e for e in decoder.flush() if isinstance(e, Line)])
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # the sender went away: what was cut is printed, the rest is lost
        finally:
            self._clients.discard(writer)
            writer.close()

    async def _answer(self, query: StatusQuery, writer: asyncio.StreamWriter) -> None:
        if self.mode == "silent":
            return
        if self.mode == "slow":
            await asyncio.sleep(self.delay_s)
        writer.write(status_answer(query, self.mode == "paper_out"))
        await writer.drain()

    def _print(self, page: list[Line]) -> None:
        lines = [line.text for line in page]
        while lines and not lines[-1]:
            lines.pop()
        if not lines or self.mode in ("silent", "paper_out", "off"):
            return  # a hung printer, one without paper or one switched off prints nothing
        self.printed.append(lines)
        text = "\n".join(lines)
        stamp = datetime.now().astimezone().strftime("%H:%M:%S")
        if self.out is not None:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            with self.out.open("a", encoding="utf-8") as file:
                file.write(f"===== {self.name} printer · {stamp} =====\n{text}\n\n")
        if self.echo:
            print(f"[{self.name} printer · {stamp}]\n{text}\n", flush=True)
        elif self.out is not None:
            log.info("printed", extra={"printer": self.name, "first_line": lines[0].strip()})


class Fleet:
    """Several fake printers and a control port that takes ``NAME MODE`` lines."""

    def __init__(self, printers: list[FakePrinter]) -> None:
        self.printers = {p.name.lower(): p for p in printers}
        self._control: asyncio.Server | None = None
        self.control_port = 0

    async def start(self, control_port: int = CONTROL_PORT) -> None:
        for printer in self.printers.values():
            await printer.start()
        self._control = await asyncio.start_server(self._command, "127.0.0.1", control_port)
        self.control_port = int(self._control.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        if self._control is not None:
            self._control.close()
        for printer in self.printers.values():
            await printer.stop()

    async def _command(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            name, _, mode = (await reader.readline()).decode().strip().partition(" ")
            printer = self.printers.get(name.lower())
            if printer is None:
                reply = f"no printer {name!r}; have {', '.join(self.printers)}"
            else:
                await printer.set_mode(mode.strip())
                reply = f"ok {printer.name} {printer.mode}"
        except ValueError as exc:
            reply = str(exc)
        writer.write(f"{reply}\n".encode())
        await writer.drain()
        writer.close()


async def send_command(name: str, mode: str, port: int = CONTROL_PORT) -> str:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"{name} {mode}\n".encode())
    await writer.drain()
    reply = (await reader.readline()).decode().strip()
    writer.close()
    return reply


def write_ports(path: Path, fleet: Fleet) -> None:
    """Say which ports the fleet got, all at once (a reader never sees half a file)."""
    ports = {p.name: p.port for p in fleet.printers.values()}
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps({"control": fleet.control_port, "printers": ports}))
    os.replace(partial, path)


def control_port_in(folder: Path) -> int:
    """The control port of the demo's fleet printing into ``folder``, if it is running."""
    from printers.demo import PORTS_FILE

    try:
        return int(json.loads((folder / PORTS_FILE).read_text())["control"])
    except (OSError, ValueError, KeyError):
        return CONTROL_PORT


async def _serve_fleet(
    printers: list[FakePrinter], control_port: int, ports_file: Path | None
) -> None:
    fleet = Fleet(printers)
    await fleet.start(control_port)
    for printer in printers:
        log.info("listening", extra={"printer": printer.name, "address": printer.address})
    if ports_file is not None:
        write_ports(ports_file, fleet)
    try:
        await asyncio.Event().wait()
    finally:
        await fleet.stop()


def _demo_folder() -> Path:
    from app.platform.settings import Settings

    return Settings.from_env().data_dir / "printed"


def main(argv: list[str] | None = None) -> int:
    from app.platform.logs import configure_logging
    from printers.demo import DEMO_PRINTERS, PORTS_FILE

    parser = argparse.ArgumentParser(prog="python -m printers.fake")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run fake printers")
    serve.add_argument("--printer", action="append", default=[], help="NAME:PORT (repeat)")
    serve.add_argument("--demo", action="store_true", help="the demo's printers, on free ports")
    serve.add_argument("--out", type=Path, help="folder for NAME.txt files of printed tickets")
    serve.add_argument("--echo", action="store_true", help="print each ticket to the console")
    serve.add_argument("--control", type=int, help=f"control port ({CONTROL_PORT}; demo: free)")
    control = sub.add_parser("set", help="switch a running fake printer's mode")
    control.add_argument("name")
    control.add_argument("mode", choices=MODES)
    control.add_argument("--control", type=int, help="control port (default: the demo's)")
    args = parser.parse_args(argv)
    if args.command == "set":
        port = args.control or control_port_in(_demo_folder())
        print(asyncio.run(send_command(args.name, args.mode, port)))
        return 0
    configure_logging()
    specs = [(name, 0) for name in DEMO_PRINTERS] if args.demo else []
    specs += [(s.rpartition(":")[0], int(s.rpartition(":")[2])) for s in args.printer]
    printers = [
        FakePrinter(
            name,
            port,
            out=args.out / f"{name.lower()}.txt" if args.out else None,
            echo=args.echo,
        )
        for name, port in specs
    ]
    control_port = args.control if args.control is not None else (0 if args.demo else CONTROL_PORT)
    ports_file = args.out / PORTS_FILE if args.out else None
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve_fleet(printers, control_port, ports_file))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
