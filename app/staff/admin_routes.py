"""The manager's Staff screen: the roster, wrong PINs, sign a person out everywhere, API keys."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy import func, select

from app.core.errors import BrigadeError
from app.platform import api_keys, auth, pin_throttle
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork
from app.platform.idempotency import KEYED
from app.platform.inputs import form_key
from app.platform.models import ROLES, StaffSession
from app.platform.web import current, render
from app.staff.common import go
from app.staff.roster import MAY_MANAGE, whole_roster


async def _open_sessions(uow: UnitOfWork, idle_minutes: int) -> dict[int, int]:
    """Sessions per person that still work (not revoked, not idle past the longer limit)."""
    rows = await uow.session.execute(
        select(StaffSession.staff_id, func.count())
        .where(
            StaffSession.staff_id.is_not(None),
            StaffSession.revoked_at.is_(None),
            StaffSession.last_seen_at > func.now() - timedelta(minutes=idle_minutes),
        )
        .group_by(StaffSession.staff_id)
    )
    return {int(staff_id or 0): int(n) for staff_id, n in rows}


async def staff_screen(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    *,
    new_key: str | None = None,
    error: str | None = None,
    staff_error: str | None = None,
    typed: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    settings = request.app.state.settings
    location_id = request.app.state.location.id
    context = {
        "staff": await whole_roster(uow, location_id),
        "roles": ROLES,
        "me": current(request),
        # The roles this manager may give and change (roster.MAY_MANAGE): the screen offers
        # only what the commands would accept.
        "manageable": MAY_MANAGE.get(current(request).role, frozenset()),
        "staff_error": staff_error,
        "typed": typed or {},
        "wrong": await pin_throttle.recent_wrong_pins(uow.session, location_id),
        "sessions": await _open_sessions(
            uow, max(settings.session_idle_minutes, settings.api_session_idle_minutes)
        ),
        "keys": await api_keys.api_keys(uow.session, location_id),
        # Not "new_key": that is the template global that makes a form's idempotency key.
        "issued_key": new_key,
        "error": error,
        "free_tries": settings.pin_free_tries,
    }
    return render(request, "staff/list.html", context, status_code=status_code)


class StaffAdminController(Controller):
    path = "/staff"
    opt = {"roles": MANAGERS}

    @get("/")
    async def staff_list(
        self, request: Request[Any, Any, Any], uow: NamedDependency[UnitOfWork]
    ) -> Template:
        return await staff_screen(request, uow)

    @post("/{staff_id:int}/unlock")
    async def unlock(
        self,
        request: Request[Any, Any, Any],
        staff_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        await auth.unlock_staff(uow.session, staff_id, current(request).staff_id)
        return go(request, "/staff")

    @post("/{staff_id:int}/sign-out")
    async def sign_out_everywhere(
        self,
        request: Request[Any, Any, Any],
        staff_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        await auth.revoke_staff_sessions(uow.session, staff_id, current(request).staff_id)
        return go(request, "/staff")

    @post("/api-keys", opt=KEYED)
    async def issue_api_key(
        self, request: Request[Any, Any, Any], uow: NamedDependency[UnitOfWork]
    ) -> Template:
        form = await request.form()
        try:
            _, key = await api_keys.issue_api_key(
                uow.session,
                request.app.state.location.id,
                str(form.get("name", "")),
                current(request).staff_id,
                form_key(form),
            )
        except BrigadeError as refusal:
            return await staff_screen(
                request, uow, error=refusal.message, status_code=refusal.status
            )
        # Shown on this answer only: the database keeps a hash, nobody can read it again.
        return await staff_screen(request, uow, new_key=key)

    @post("/api-keys/{key_id:int}/revoke")
    async def revoke_api_key(
        self,
        request: Request[Any, Any, Any],
        key_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        await api_keys.revoke_api_key(uow.session, key_id, current(request).staff_id)
        return go(request, "/staff")
