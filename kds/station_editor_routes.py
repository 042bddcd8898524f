"""The back office's stations page: add a station, rename it, set its ticket timers."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from app.backoffice.forms import run_form, typed_fields
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork
from app.platform.idempotency import KEYED
from app.platform.web import current, render
from kds import station_editor
from kds.stations import stations

BACK = "/office/stations"
Req = Request[Any, Any, Any]


async def _page(
    request: Req, uow: UnitOfWork, error: str | None = None, typed: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response[Any]:  # fmt: skip
    context: dict[str, Any] = {
        "section": "stations",
        "stations": await stations(uow.session, request.app.state.location.id),
        "error": error,
        "typed": typed or {},
    }
    return render(
        request, "kds/office_stations.html", context, fragment="kds/_office_stations.html",
        status_code=status_code,
    )  # fmt: skip


class StationEditorController(Controller):
    path = "/office/stations"
    opt = {"roles": MANAGERS}

    @get("/")
    async def stations_page(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Response[Any]:
        return await _page(request, uow)

    @post("/", opt=KEYED)
    async def add_station(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Response[Any]:
        typed = await typed_fields(request)

        async def command() -> None:
            await station_editor.add_station(
                uow, request.app.state.location.id, int(current(request).staff_id or 0),
                station_editor.station_draft(typed), typed.get("key") or None,
            )  # fmt: skip

        async def redraw(error: str, status_code: int) -> Response[Any]:
            return await _page(request, uow, error, typed, status_code)

        return await run_form(request, uow, command, redraw, BACK)

    @post("/{station_id:int}")
    async def change_station(
        self, request: Req, station_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        typed = await typed_fields(request)

        async def command() -> None:
            await station_editor.change_station(
                uow, request.app.state.location.id, int(current(request).staff_id or 0),
                station_id, station_editor.station_draft(typed),
            )  # fmt: skip

        async def redraw(error: str, status_code: int) -> Response[Any]:
            return await _page(request, uow, error, None, status_code)

        return await run_form(request, uow, command, redraw, BACK)
