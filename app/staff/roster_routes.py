"""The Staff screen's roster: hire, edit, set a PIN, deactivate and take back (managers)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from app.core.errors import BrigadeError
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork
from app.platform.inputs import raw
from app.platform.web import current
from app.staff import roster
from app.staff.admin_routes import staff_screen
from app.staff.common import go


class RosterController(Controller):
    path = "/staff"
    opt = {"roles": MANAGERS}

    @post("/hire")
    async def hire(
        self, request: Request[Any, Any, Any], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        form = await request.form()

        async def command() -> None:
            await roster.hire_staff(
                uow,
                request.app.state.location.id,
                _me(request),
                roster.staff_name(raw(form, "name")),
                roster.staff_role(raw(form, "role")),
                roster.new_pin(raw(form, "pin"), raw(form, "pin_again")),
            )

        return await _run(request, uow, command, typed={"name": raw(form, "name")})

    @post("/{staff_id:int}/edit")
    async def edit(
        self,
        request: Request[Any, Any, Any],
        staff_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        form = await request.form()

        async def command() -> None:
            await roster.edit_staff(
                uow,
                request.app.state.location.id,
                _me(request),
                staff_id,
                roster.staff_name(raw(form, "name")),
                roster.staff_role(raw(form, "role")),
            )

        return await _run(request, uow, command)

    @post("/{staff_id:int}/pin")
    async def set_pin(
        self,
        request: Request[Any, Any, Any],
        staff_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        form = await request.form()

        async def command() -> None:
            pin = roster.new_pin(raw(form, "pin"), raw(form, "pin_again"))
            await roster.set_pin(uow, request.app.state.location.id, _me(request), staff_id, pin)

        return await _run(request, uow, command)

    @post("/{staff_id:int}/deactivate")
    async def deactivate(
        self,
        request: Request[Any, Any, Any],
        staff_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        async def command() -> None:
            await roster.deactivate_staff(
                uow, request.app.state.location.id, _me(request), staff_id
            )

        return await _run(request, uow, command)

    @post("/{staff_id:int}/reactivate")
    async def reactivate(
        self,
        request: Request[Any, Any, Any],
        staff_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        async def command() -> None:
            await roster.reactivate_staff(
                uow, request.app.state.location.id, _me(request), staff_id
            )

        return await _run(request, uow, command)


def _me(request: Request[Any, Any, Any]) -> int:
    return int(current(request).staff_id or 0)


async def _run(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    command: Any,
    typed: dict[str, str] | None = None,
) -> Response[Any]:
    """Run the command; on a refusal, the Staff screen again with the sentence on top (and
    what was typed, never a PIN), nothing saved."""
    try:
        await command()
    except BrigadeError as refusal:
        await uow.rollback()
        return await staff_screen(
            request,
            uow,
            staff_error=refusal.message,
            typed=typed or {},
            status_code=refusal.status,
        )
    return go(request, "/staff")
