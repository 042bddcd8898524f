"""Sign-in screens: staff tiles, PIN pad, switch user, sign out, unlock (pairing a kitchen
screen is ``app/devices/screen_routes.py``)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.core.errors import BadInput, BrigadeError
from app.core.inputs import is_id
from app.platform import auth
from app.platform.auth import EVERYONE
from app.platform.db import UnitOfWork
from app.platform.location import has_location, load_location
from app.platform.web import (
    ensure_device_cookie,
    is_htmx,
    pin_gate,
    render,
    session_cookie,
    session_token,
)
from app.staff.admin_routes import StaffAdminController
from app.staff.common import go, staff_tiles

HOME = {"kitchen": "/kds", "host": "/floor"}


def home_for(role: str) -> str:
    return HOME.get(role, "/floor")


class SignInController(Controller):
    path = ""
    opt = {"public": True}

    @get("/login")
    async def login_page(
        self, request: Request[Any, Any, Any], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        if not has_location(request.app) and not await load_location(request.app):
            return Redirect("/setup")  # a new install: nobody to sign in yet
        staff = await staff_tiles(uow, request.app.state.location.id)
        response = render(request, "staff/login.html", {"staff": staff, "chosen": None})
        ensure_device_cookie(request, response)
        return response

    @get("/login/{staff_id:int}")
    async def pin_pad(
        self,
        request: Request[Any, Any, Any],
        staff_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Template:
        staff = await staff_tiles(uow, request.app.state.location.id)
        chosen = next((s for s in staff if s.id == staff_id), None)
        response = render(
            request,
            "staff/login.html",
            {"staff": staff, "chosen": chosen, "error": None},
            fragment="staff/_pinpad.html",
        )
        ensure_device_cookie(request, response)
        return response

    @post("/login")
    async def sign_in(
        self, request: Request[Any, Any, Any], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        form = await request.form()
        picked = str(form.get("staff_id", "")).strip()
        # Only a name tile sends staff_id, as ASCII digits: "١٢" is twelve to int(), and a
        # number past BIGINT names nobody; either is a broken request, not a mistyped PIN.
        if picked and not is_id(picked):
            raise BadInput("That name tile is out of date: reload the page and tap your name.")
        staff_id = int(picked) if picked else 0
        try:
            token = await auth.sign_in_counting_failures(
                uow,
                staff_id,
                str(form.get("pin", "")),
                pin_gate(request),
                replaces=session_token(request),
            )
        except BrigadeError as refusal:
            staff = await staff_tiles(uow, request.app.state.location.id)
            chosen = next((s for s in staff if s.id == staff_id), None)
            page = render(
                request,
                "staff/login.html",
                {"staff": staff, "chosen": chosen, "error": refusal.message},
                fragment="staff/_pinpad.html",
                status_code=200 if is_htmx(request) else refusal.status,
            )
            if isinstance(refusal, auth.TooManyTries):
                page.headers["Retry-After"] = str(refusal.retry_after)
            return page
        principal = await auth.principal_for(uow.session, token)
        response = go(request, home_for(principal.role if principal else "server"))
        response.set_cookie(session_cookie(request, token))
        return response


class SessionController(Controller):
    path = ""
    opt = {"roles": EVERYONE}

    @post("/logout")
    async def sign_out(
        self, request: Request[Any, Any, Any], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        token = session_token(request)
        if token:
            await auth.revoke_session(uow.session, token)
        response = go(request, "/login")
        response.set_cookie(session_cookie(request, None))
        return response


__all__ = ["SessionController", "SignInController", "StaffAdminController", "home_for"]
