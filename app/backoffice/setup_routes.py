"""The first-run screen: what ``brigade init`` asks, on a page, while the database has no
restaurant. Once one exists the page is gone (it sends everyone to sign in), so nobody on
the network can open a second restaurant or replace the owner."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect

from app.backoffice.first_run import SUGGESTED, open_restaurant, read_opening
from app.core.errors import BrigadeError
from app.platform.db import UnitOfWork
from app.platform.inputs import raw
from app.platform.location import has_location, load_location
from app.platform.web import ensure_device_cookie, render
from app.staff.common import go


class FirstRunController(Controller):
    path = "/setup"
    opt = {"public": True}

    @get("/")
    async def setup_page(self, request: Request[Any, Any, Any]) -> Response[Any]:
        if has_location(request.app) or await load_location(request.app):
            return Redirect("/login")
        response = render(request, "backoffice/setup.html", {"form": SUGGESTED, "error": None})
        ensure_device_cookie(request, response)
        return response

    @post("/")
    async def open_the_restaurant(
        self, request: Request[Any, Any, Any], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        form = await request.form()
        typed = {name: raw(form, name) for name in ("name", *SUGGESTED, "owner")}
        secret = {name: raw(form, name) for name in ("pin", "pin_again")}
        try:
            opening = read_opening(
                {**typed, **secret}, prices_include_tax=raw(form, "prices_include_tax") == "1"
            )
            await open_restaurant(uow.session, opening.draft, opening.owner, opening.pin)
        except BrigadeError as refusal:
            if has_location(request.app) or await load_location(request.app):
                return go(request, "/login")  # another screen opened it a moment ago
            # The form comes back as typed (never the PIN), with the sentence on top.
            context = {"form": typed, "error": refusal.message}
            return render(request, "backoffice/setup.html", context, status_code=refusal.status)
        await uow.commit()
        await load_location(request.app)  # this process serves it from now on
        return go(request, "/login")
