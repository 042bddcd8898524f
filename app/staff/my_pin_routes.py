"""Change my PIN: every signed-in person, typing the PIN they have first."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Template

from app.core.errors import BrigadeError
from app.platform.auth import EVERYONE
from app.platform.db import UnitOfWork
from app.platform.inputs import raw
from app.platform.web import current, pin_gate, render
from app.staff import roster


class MyPinController(Controller):
    path = "/me/pin"
    opt = {"roles": EVERYONE}

    @get("/")
    async def my_pin_page(self, request: Request[Any, Any, Any]) -> Template:
        return render(request, "staff/my_pin.html", {"done": False, "error": None})

    @post("/")
    async def change_my_pin(
        self, request: Request[Any, Any, Any], uow: NamedDependency[UnitOfWork]
    ) -> Template:
        form = await request.form()
        me = current(request)
        try:
            pin = roster.new_pin(raw(form, "pin"), raw(form, "pin_again"))
            await roster.change_own_pin(
                uow,
                request.app.state.location.id,
                int(me.staff_id or 0),
                raw(form, "current"),
                pin,
                pin_gate(request),
            )
        except BrigadeError as refusal:
            context = {"done": False, "error": refusal.message}
            return render(request, "staff/my_pin.html", context, status_code=refusal.status)
        return render(request, "staff/my_pin.html", {"done": True, "error": None})
