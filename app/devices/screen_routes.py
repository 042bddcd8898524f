"""/pair on a kitchen screen: show a code, wait for a manager, sign in (public routes).

The screen keeps its token and its code in an HttpOnly cookie scoped to /pair while it waits,
so a reload shows the same code again (only hashes are on the server, it could not). Once a
manager has typed the code, the next check opens the screen's device session, the cookie is
dropped and the screen goes to its station. htmx asks every two seconds; without JavaScript
the screen has a button that asks once.

A device token (the demo's, or one from ``brigade print-agent add``) still pairs at POST /pair.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.response import Redirect, Template
from sqlalchemy import select

from app.core.errors import BrigadeError, Refused
from app.devices import codes, pairing
from app.platform import auth
from app.platform.db import UnitOfWork
from app.platform.inputs import raw
from app.platform.location import has_location, load_location
from app.platform.models import Device
from app.platform.web import (
    client_ip,
    ensure_device_cookie,
    is_htmx,
    render,
    session_cookie,
    session_token,
)

Req = Request[Any, Any, Any]
PAGE, PART = "devices/pair.html", "devices/_pairing.html"
PAIRING_COOKIE = "brigade_pairing"


def _held(request: Req) -> tuple[str, str] | None:
    """(token, code) this screen is waiting with, if any."""
    token, _, code = request.cookies.get(PAIRING_COOKIE, "").partition(".")
    if not token or len(code) != codes.LENGTH or not set(code) <= set(codes.ALPHABET):
        return None
    return token, code


def _cookie(request: Req, value: str | None) -> Cookie:
    return Cookie(
        key=PAIRING_COOKIE,
        value=value or "",
        httponly=True,
        samesite="lax",
        secure=request.app.state.settings.secure_cookies,
        # Twice the code's life: a code typed in its last seconds is still collected.
        max_age=int(2 * pairing.LIFETIME.total_seconds()) if value else 0,
        path="/pair",
    )


def _go(request: Req, url: str) -> Response[Any]:
    if is_htmx(request):
        return Response(None, status_code=204, headers={"HX-Redirect": url})
    return Redirect(url, status_code=303)


def _show(request: Req, status_code: int = 200, **context: Any) -> Template:
    """The pairing screen: its part for htmx (a refusal swaps in like the rest), the page."""
    context = {"state": None, "code": None, "problem": None, "error": None, **context}
    return render(request, PAGE, context, fragment=PART, status_code=status_code)


async def location_id_for_pairing(request: Req) -> int:
    """The restaurant a device pairs with (another process may have just set it up)."""
    if not has_location(request.app) and not await load_location(request.app):
        raise Refused("This restaurant is not set up yet: open /setup on the server first.")
    return int(request.app.state.location.id)


class PairingScreenController(Controller):
    path = "/pair"
    opt = {"public": True}

    @get("/")
    async def pairing_screen(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Template:
        held, state, problem = _held(request), None, None
        if held is not None:
            try:
                state = await pairing.pairing_state(uow.session, held[0])
            except BrigadeError as refusal:
                problem = refusal.message
        shown = codes.shown(held[1]) if held and state else None
        response = _show(request, state=state, code=shown, problem=problem)
        ensure_device_cookie(request, response)
        return response

    @post("/code")
    async def ask_for_code(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Response[Any]:
        try:
            waiting = await pairing.ask_for_code(
                uow.session, await location_id_for_pairing(request), "kds", client_ip(request)
            )
        except BrigadeError as refusal:
            await uow.rollback()
            refused = _show(request, refusal.status, error=refusal.message)
            if isinstance(refusal, pairing.TooManyWaiting):
                refused.headers["Retry-After"] = str(refusal.retry_after)
            return refused
        if is_htmx(request):
            answer: Response[Any] = _show(
                request, state=pairing.PairingState(False, waiting.expires_at), code=waiting.shown
            )
        else:
            answer = Redirect("/pair", status_code=303)
        answer.set_cookie(_cookie(request, f"{waiting.token}.{waiting.code}"))
        return answer

    @post("/wait")
    async def check_pairing(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Response[Any]:
        """Has a manager typed the code? If so, sign this screen in."""
        held = _held(request)
        if held is None:
            return _show(request, problem="This screen has no pairing code yet.")
        try:
            state = await pairing.pairing_state(uow.session, held[0])
        except BrigadeError as refusal:
            # An htmx poll gets the screen with the sentence (a 4xx would only flash).
            status = 200 if is_htmx(request) else refusal.status
            gone = _show(request, status, problem=refusal.message)
            gone.set_cookie(_cookie(request, None))
            return gone
        if not state.paired:
            return _show(request, state=state, code=codes.shown(held[1]))
        token = await auth.pair_device(uow.session, held[0], session_token(request))
        response = _go(request, f"/kds/{state.station_id}" if state.station_id else "/kds")
        response.set_cookie(session_cookie(request, token))
        response.set_cookie(_cookie(request, None))
        return response

    @post("/")
    async def pair_with_token(
        self, request: Req, uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        """The demo's screen, or a token from the console: a token instead of a code."""
        form = await request.form()
        try:
            token = await auth.pair_device(uow.session, raw(form, "token"), session_token(request))
        except BrigadeError as refusal:
            return _show(request, refusal.status, error=refusal.message)
        station_id = await uow.session.scalar(
            select(Device.station_id).where(
                Device.token_hash == auth.token_digest(raw(form, "token").strip())
            )
        )
        response = _go(request, f"/kds/{station_id}" if station_id else "/kds")
        response.set_cookie(session_cookie(request, token))
        return response
