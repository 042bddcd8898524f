"""Sign-in screens: staff tiles, PIN pad, switch user, sign out, unlock, device pairing."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy import select

from app.core.errors import BrigadeError
from app.platform import auth
from app.platform.auth import EVERYONE, MANAGERS
from app.platform.db import UnitOfWork
from app.platform.models import Staff
from app.platform.web import (
    client_ip,
    current,
    device_key,
    ensure_device_cookie,
    is_htmx,
    render,
    session_cookie,
    session_token,
)

HOME = {"kitchen": "/kds", "host": "/floor"}


def home_for(role: str) -> str:
    return HOME.get(role, "/floor")


async def _staff_tiles(uow: UnitOfWork, location_id: int) -> list[Staff]:
    rows = await uow.session.scalars(
        select(Staff).where(Staff.location_id == location_id, Staff.active).order_by(Staff.name)
    )
    return list(rows.all())


def _go(request: Request[Any, Any, Any], url: str) -> Response[Any]:
    """After a form: htmx follows HX-Redirect, a plain browser follows 303."""
    if is_htmx(request):
        return Response(None, status_code=204, headers={"HX-Redirect": url})
    return Redirect(url, status_code=303)


class SignInController(Controller):
    path = ""
    opt = {"public": True}

    @get("/login")
    async def login_page(
        self, request: Request[Any, Any, Any], uow: NamedDependency[UnitOfWork]
    ) -> Template:
        staff = await _staff_tiles(uow, request.app.state.location.id)
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
        staff = await _staff_tiles(uow, request.app.state.location.id)
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
        settings = request.app.state.settings
        try:
            staff_id = int(form.get("staff_id", "0"))
        except ValueError:
            staff_id = 0
        try:
            token = await auth.sign_in_counting_failures(
                uow,
                staff_id,
                str(form.get("pin", "")),
                device_key(request) or "no-device-cookie",
                client_ip=client_ip(request),
                lockout_after=settings.pin_lockout_after,
                device_limit=settings.device_pin_limit,
                replaces=session_token(request),
            )
        except BrigadeError as refusal:
            staff = await _staff_tiles(uow, request.app.state.location.id)
            chosen = next((s for s in staff if s.id == staff_id), None)
            return render(
                request,
                "staff/login.html",
                {"staff": staff, "chosen": chosen, "error": refusal.message},
                fragment="staff/_pinpad.html",
                status_code=200 if is_htmx(request) else refusal.status,
            )
        principal = await auth.principal_for(uow.session, token)
        response = _go(request, home_for(principal.role if principal else "server"))
        response.set_cookie(session_cookie(request, token))
        return response

    @get("/pair")
    async def pair_page(self, request: Request[Any, Any, Any]) -> Template:
        response = render(request, "staff/pair.html", {"error": None})
        ensure_device_cookie(request, response)
        return response

    @post("/pair")
    async def pair(
        self, request: Request[Any, Any, Any], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        form = await request.form()
        try:
            token = await auth.pair_device(
                uow.session, str(form.get("token", "")), session_token(request)
            )
        except BrigadeError as refusal:
            return render(
                request, "staff/pair.html", {"error": refusal.message}, status_code=refusal.status
            )
        response = _go(request, "/kds")
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
        response = _go(request, "/login")
        response.set_cookie(session_cookie(request, None))
        return response


class StaffAdminController(Controller):
    path = "/staff"
    opt = {"roles": MANAGERS}

    @get("/")
    async def staff_list(
        self, request: Request[Any, Any, Any], uow: NamedDependency[UnitOfWork]
    ) -> Template:
        staff = await _staff_tiles(uow, request.app.state.location.id)
        return render(request, "staff/list.html", {"staff": staff})

    @post("/{staff_id:int}/unlock")
    async def unlock(
        self,
        request: Request[Any, Any, Any],
        staff_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        manager = current(request)
        assert manager.staff_id is not None
        await auth.unlock_staff(uow.session, staff_id, manager.staff_id)
        return _go(request, "/staff")


__all__ = ["SessionController", "SignInController", "StaffAdminController", "home_for"]
