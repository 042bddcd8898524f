"""The back office's Devices screen (/office/devices): pair by code, rename, revoke (managers).

Each form posts one command with its idempotency key (``key``) and the CSRF token; htmx gets
the screen's section back, a plain browser a redirect to the screen. A refusal comes back as
the screen with the sentence on top and what was typed, nothing saved.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.core.errors import BadInput, BrigadeError
from app.devices import codes, service, views
from app.devices.places import NoPlaces, Places
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork
from app.platform.idempotency import KEYED
from app.platform.inputs import form_id, form_ids, raw
from app.platform.web import current, is_htmx, render

Req = Request[Any, Any, Any]
PAGE, SECTION = "devices/list.html", "devices/_devices.html"
HOME = "/office/devices"


def places_of(request: Req) -> Places:
    found = getattr(request.app.state, "device_places", None)
    return found if found is not None else NoPlaces()


def manager_of(request: Req) -> int:
    staff_id = current(request).staff_id
    assert staff_id is not None, "only a manager's own session reaches the back office"
    return staff_id


async def screen(
    request: Req, uow: UnitOfWork, *, status_code: int = 200, **extra: Any
) -> Template:
    location_id = request.app.state.location.id
    places = places_of(request)
    context: dict[str, Any] = {
        "section": "devices",
        "devices": await views.devices(uow.session, location_id, places),
        **await views.choices(uow.session, location_id, places),
        "typed": {},
        **extra,
    }
    return render(request, PAGE, context, fragment=SECTION, status_code=status_code)


def read_order(form: FormMultiDict) -> service.PairOrder:
    if raw(form, "kind") not in service.KIND_NAMES:
        raise BadInput("Choose what the device is: a kitchen screen or a print agent.")
    kind = raw(form, "kind")
    return service.PairOrder(
        code=codes.read_code(raw(form, "code")),
        name=service.device_name(raw(form, "name")),
        kind=kind,
        station_id=form_id(form, "station", "station") if kind == "kds" else None,
        printer_ids=form_ids(form, "printer", "printer") if kind == "agent" else [],
    )


class DevicesController(Controller):
    path = HOME
    opt = {"roles": MANAGERS}

    @get("/")
    async def devices_page(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Template:
        return await screen(request, uow)

    @post("/pair", opt=KEYED)
    async def pair(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Response[Any]:
        form = await request.form()
        typed = {k: raw(form, k) for k in ("code", "name", "kind", "station")}

        async def command() -> str:
            order = read_order(form)
            await service.pair_with_code(
                uow,
                request.app.state.location.id,
                manager_of(request),
                order,
                places_of(request),
                raw(form, "key") or None,
            )
            kind = service.KIND_NAMES[order.kind]
            return f"{order.name} is paired: the {kind} signs itself in within seconds."

        return await _run(request, uow, command, typed=typed)

    @post("/{device_id:int}/rename", opt=KEYED)
    async def rename(
        self, request: Req, device_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        form = await request.form()

        async def command() -> str:
            name = service.device_name(raw(form, "name"))
            await service.rename_device(
                uow,
                request.app.state.location.id,
                manager_of(request),
                device_id,
                name,
                raw(form, "key") or None,
            )
            return f"Renamed: {name}."

        return await _run(request, uow, command)

    @post("/{device_id:int}/revoke", opt=KEYED)
    async def revoke(
        self, request: Req, device_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        form = await request.form()

        async def command() -> str:
            await service.revoke_device(
                uow,
                request.app.state.location.id,
                manager_of(request),
                device_id,
                raw(form, "key") or None,
            )
            return "Revoked: the device is signed out and its screen or agent cut off now."

        return await _run(request, uow, command)


async def _run(
    request: Req,
    uow: UnitOfWork,
    command: Callable[[], Awaitable[str]],
    typed: dict[str, str] | None = None,
) -> Response[Any]:
    try:
        done = await command()
    except BrigadeError as refusal:
        await uow.rollback()
        return await screen(
            request, uow, status_code=refusal.status, error=refusal.message, typed=typed or {}
        )
    if not is_htmx(request):
        return Redirect(HOME, status_code=303)
    await uow.session.flush()
    return await screen(request, uow, saved=done)
