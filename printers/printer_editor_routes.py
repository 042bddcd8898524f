"""The back office's printers page: add or change a printer, pick the receipt printer, and
say which printer prints each station (with its backup)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy import select

from app.backoffice.forms import run_form, typed_fields
from app.core.inputs import parse_id
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork
from app.platform.idempotency import KEYED
from app.platform.models import Device
from app.platform.web import current, render
from kds.stations import stations
from printers import printer_editor
from printers.models import Printer

BACK = "/office/printers"
Req = Request[Any, Any, Any]


async def _page(
    request: Req, uow: UnitOfWork, error: str | None = None, typed: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response[Any]:  # fmt: skip
    where = request.app.state.location.id
    rows = await uow.session.execute(
        select(Printer, Device.name)
        .outerjoin(Device, Device.id == Printer.agent_device_id)
        .where(Printer.location_id == where)
        .order_by(Printer.id)
    )
    context: dict[str, Any] = {
        "section": "printers",
        "printers": [(printer, agent) for printer, agent in rows.all()],
        "stations": await stations(uow.session, where),
        "widths": printer_editor.WIDTHS,
        "error": error,
        "typed": typed or {},
    }
    return render(
        request, "printers/office.html", context, fragment="printers/_office.html",
        status_code=status_code,
    )  # fmt: skip


def _maybe_id(typed: dict[str, str], name: str) -> int | None:
    raw = typed.get(name, "").strip()
    return parse_id(raw, "printer") if raw else None


class PrinterEditorController(Controller):
    path = "/office/printers"
    opt = {"roles": MANAGERS}

    @get("/")
    async def printers_setup(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Response[Any]:
        return await _page(request, uow)

    async def _run(self, request: Req, uow: UnitOfWork, change: Any, echo: bool) -> Response[Any]:
        typed = await typed_fields(request)

        async def command() -> None:
            await change(typed, request.app.state.location.id, int(current(request).staff_id or 0))

        async def redraw(error: str, status_code: int) -> Response[Any]:
            return await _page(request, uow, error, typed if echo else None, status_code)

        return await run_form(request, uow, command, redraw, BACK)

    @post("/", opt=KEYED)
    async def add_printer(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Response[Any]:
        async def change(typed: dict[str, str], where: int, who: int) -> None:
            draft = printer_editor.printer_draft(typed)
            await printer_editor.add_printer(uow, where, who, draft, typed.get("key") or None)

        return await self._run(request, uow, change, echo=True)

    @post("/{printer_id:int}")
    async def change_printer(
        self, request: Req, printer_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        async def change(typed: dict[str, str], where: int, who: int) -> None:
            draft = printer_editor.printer_draft(typed)
            await printer_editor.change_printer(uow, where, who, printer_id, draft)

        return await self._run(request, uow, change, echo=False)

    @post("/receipts")
    async def receipt_printer(
        self, request: Req, uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        async def change(typed: dict[str, str], where: int, who: int) -> None:
            chosen = _maybe_id(typed, "printer_id")
            await printer_editor.print_receipts_on(uow, where, who, chosen)

        return await self._run(request, uow, change, echo=False)

    @post("/stations/{station_id:int}")
    async def station_printer(
        self, request: Req, station_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        async def change(typed: dict[str, str], where: int, who: int) -> None:
            await printer_editor.print_station_on(
                uow, where, who, station_id, _maybe_id(typed, "printer_id"),
                _maybe_id(typed, "backup_id"),
            )  # fmt: skip

        return await self._run(request, uow, change, echo=False)
