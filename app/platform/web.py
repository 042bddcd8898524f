"""Web plumbing shared by every area: who is signed in, guards, CSRF, errors, rendering.

Deny by default: a route that names no roles (``opt={"roles": ...}``) and is not marked
``public`` answers 403 to everyone.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import AsyncGenerator, Mapping
from typing import Any

from litestar import Request, Response
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.enums import ScopeType
from litestar.exceptions import (
    NotAuthorizedException,
    PermissionDeniedException,
)
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import ASGIMiddleware
from litestar.response import Template
from litestar.types import ASGIApp, Receive, Scope, Send
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.money import currency_exponent, format_money
from app.platform.auth import (
    PinGate,
    PinLimits,
    Principal,
    SessionIdle,
    look_up,
    principal_for,
    token_digest,
)
from app.platform.db import UnitOfWork
from app.platform.location_stamp import SCOPE_KEY
from app.platform.proxies import forwarded_client

log = logging.getLogger(__name__)

SESSION_COOKIE = "brigade_session"
DEVICE_COOKIE = "brigade_device"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: Where PrincipalMiddleware leaves its open session for the request's unit of work.
SHARED_SESSION = "brigade_db_session"


def csrf_token_for(scope_or_conn: Mapping[str, Any] | ASGIConnection[Any, Any, Any, Any]) -> str:
    """The CSRF token is a keyed hash of this browser's own secret cookie: a page can show
    it, a forged cross-site form cannot know it, and every server process agrees on it."""
    scope = scope_or_conn.scope if isinstance(scope_or_conn, ASGIConnection) else scope_or_conn
    secret = str(scope.get("brigade_cookie_secret") or "")
    return hmac.new(secret.encode(), b"brigade-csrf", hashlib.sha256).hexdigest()


def principal_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal | None:
    found = connection.scope.get("principal")
    return found if isinstance(found, Principal) else None


def session_token(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    token = connection.scope.get("brigade_session_token")
    return token if isinstance(token, str) else None


def device_key(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    key = connection.scope.get("brigade_device_key")
    return key if isinstance(key, str) else None


def client_ip(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    """The client's address: the socket's peer, or, when that peer is one of our own reverse
    proxies (BRIGADE_TRUSTED_PROXIES), the last address it says it forwarded for. Anyone
    else's X-Forwarded-For is ignored: the client writes it itself (SEC-5)."""
    peer = connection.client.host if connection.client else ""
    trusted = connection.app.state.settings.trusted_proxies
    if not trusted:
        return peer
    return forwarded_client(peer, connection.headers.getall("x-forwarded-for", []), trusted)


def pin_gate(connection: ASGIConnection[Any, Any, Any, Any]) -> PinGate:
    """Where a PIN is being typed: on a screen, this browser's device cookie (hashed: the
    cookie is also the CSRF secret); over the API, the API key (or the session) it signed in
    with, never a cookie the caller writes itself. With the address and the limits."""
    key = device_key(connection)
    address = client_ip(connection)
    principal = principal_of(connection)
    if principal is not None and connection.scope["path"].startswith("/api/"):
        device = (
            f"apikey:{principal.api_key_id}"
            if principal.api_key_id is not None
            else f"apisession:{principal.session_id[:40]}"
        )
    else:
        device = f"cookie:{token_digest(key)[:40]}" if key else f"nocookie:{address}"[:80]
    limits = PinLimits.from_settings(connection.app.state.settings)
    return PinGate(device, address, limits)


def render_html(
    connection: ASGIConnection[Any, Any, Any, Any], template: str, **context: Any
) -> str:
    """Render a template to a string outside a response (websocket pushes)."""
    engine = connection.app.template_engine
    assert engine is not None, "templates are configured in create_app"
    return str(engine.get_template(template).render(request=connection, **context))


class PrincipalMiddleware(ASGIMiddleware):
    """Finds the session behind the cookie (pages) or bearer token (``/api/v1``)."""

    scopes = ("http", "websocket")  # type: ignore[assignment]

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        headers = {k.decode().lower(): v.decode() for k, v in scope.get("headers", [])}
        cookies = _parse_cookies(headers.get("cookie", ""))
        is_api = scope["path"].startswith("/api/")
        token = None
        if is_api:
            # The API accepts bearer tokens only: no cookie, so no cross-site forgery.
            auth = headers.get("authorization", "")
            token = auth[7:].strip() if auth.lower().startswith("bearer ") else None
        else:
            token = cookies.get(SESSION_COOKIE)
        device_key = cookies.get(DEVICE_COOKIE)
        scope["brigade_device_key"] = device_key  # type: ignore[typeddict-unknown-key]
        scope["brigade_session_token"] = token  # type: ignore[typeddict-unknown-key]
        scope["brigade_cookie_secret"] = token or device_key or ""  # type: ignore[typeddict-unknown-key]
        scope["principal"] = None  # type: ignore[typeddict-unknown-key]
        if not token:
            await next_app(scope, receive, send)
            return
        maker = scope["litestar_app"].state.sessionmaker
        idle = SessionIdle.from_settings(scope["litestar_app"].state.settings)
        if scope["type"] != ScopeType.HTTP:
            # A websocket lives for hours: it must not hold a connection all that time.
            async with maker() as session:
                scope["principal"] = await principal_for(session, token, idle)  # type: ignore[typeddict-unknown-key]
            await next_app(scope, receive, send)
            return
        # The request's own transaction starts here: the command (provide_uow) goes on in it,
        # saving a connection checkout and a BEGIN/COMMIT per request. Read committed: the
        # session lookup sees no older a snapshot than a separate transaction would have.
        session = maker()
        try:
            scope["principal"], scope[SCOPE_KEY] = await look_up(session, token, idle)  # type: ignore[typeddict-unknown-key,literal-required]
            # Nothing of the lookup stays cached for the command: it loads what it needs.
            session.expunge_all()
            scope[SHARED_SESSION] = session  # type: ignore[literal-required]
            await next_app(scope, receive, send)
        finally:
            scope.pop(SHARED_SESSION, None)  # type: ignore[misc]
            await session.close()


def _parse_cookies(raw: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in raw.split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            out[name] = value
    return out


def current(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    principal = principal_of(connection)
    if principal is None:
        raise NotAuthorizedException("Sign in first.")
    return principal


async def role_guard(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """Every route: CSRF on state changes, then the route's roles. Deny by default."""
    opt = handler.opt
    method = connection.scope.get("method")
    if method and method not in SAFE_METHODS and not opt.get("api"):
        await _check_csrf(connection)
    if opt.get("public"):
        return
    roles = opt.get("roles")
    principal = principal_of(connection)
    if principal is None:
        raise NotAuthorizedException("Sign in first.")
    if not roles or principal.role not in roles:
        raise PermissionDeniedException(f"A {principal.role} cannot do that here.")


async def _check_csrf(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    expected = csrf_token_for(connection)
    sent = connection.headers.get(CSRF_HEADER)
    if sent is None and isinstance(connection, Request):
        form = await connection.form()
        sent = form.get("_csrf")
    if not connection.scope.get("brigade_cookie_secret") or not sent:
        raise PermissionDeniedException(
            "This page is out of date (security token missing). Reload it."
        )
    if not hmac.compare_digest(str(sent), expected):
        raise PermissionDeniedException(
            "This page is out of date (security token mismatch). Reload it."
        )


def ensure_device_cookie(request: Request[Any, Any, Any], response: Response[Any]) -> None:
    """Give this browser a device cookie on first visit: PIN throttling and CSRF key on it."""
    if not device_key(request):
        key = secrets.token_urlsafe(24)
        request.scope["brigade_device_key"] = key  # type: ignore[typeddict-unknown-key]
        if not session_token(request):
            request.scope["brigade_cookie_secret"] = key  # type: ignore[typeddict-unknown-key]
        response.set_cookie(device_cookie(request, key))


def device_cookie(request: Request[Any, Any, Any], key: str) -> Cookie:
    secure = request.app.state.settings.secure_cookies
    return Cookie(
        key=DEVICE_COOKIE,
        value=key,
        httponly=True,
        samesite="lax",
        secure=secure,
        max_age=3600 * 24 * 365,
        path="/",
    )


def session_cookie(request: Request[Any, Any, Any], token: str | None) -> Cookie:
    secure = request.app.state.settings.secure_cookies
    return Cookie(
        key=SESSION_COOKIE,
        value=token or "",
        httponly=True,
        samesite="lax",
        secure=secure,
        max_age=None if token else 0,
        path="/",
    )


async def provide_uow(request: Request[Any, Any, Any]) -> AsyncGenerator[UnitOfWork, None]:
    """One transaction per request: committed when the handler succeeds, else rolled back."""
    app = request.app
    plugin = app.state.channels

    async def announce(channel: str, message: Any) -> None:
        plugin.publish(message, channel)

    shared = request.scope.pop(SHARED_SESSION, None)  # type: ignore[misc]
    session = shared if isinstance(shared, AsyncSession) else app.state.sessionmaker()
    async with session:
        uow = UnitOfWork(session, announce, back_office=app.state.back_office)
        try:
            yield uow
        except Exception:
            await uow.rollback()
            raise
        else:
            await uow.commit()


def money_exponent(request: Request[Any, Any, Any]) -> int:
    """Digits after the point in the restaurant's currency (2 for dollars, 0 for yen)."""
    return currency_exponent(request.app.state.location.currency)


def money_text(request: Request[Any, Any, Any], minor: int) -> str:
    """An amount as the restaurant writes it ("$1,234.50"), for messages."""
    location = request.app.state.location
    return format_money(minor, location.currency, location.locale)


async def vary_on_htmx(response: Response[Any]) -> Response[Any]:
    """Every page answers an htmx swap with a fragment and a browser with the whole page, at
    the same address: say so, or Back after a pushed address shows a cached bare fragment."""
    response.headers["Vary"] = "HX-Request"
    return response


def is_htmx(request: Request[Any, Any, Any]) -> bool:
    """An htmx swap wants a fragment; restoring a pushed URL from history wants the page."""
    headers = request.headers
    return (
        headers.get("hx-request") == "true" and headers.get("hx-history-restore-request") != "true"
    )


def render(
    request: Request[Any, Any, Any],
    page: str,
    context: dict[str, Any],
    *,
    fragment: str | None = None,
    status_code: int = 200,
) -> Template:
    """The whole page on a plain load; the fragment of the same screen for htmx."""
    name = fragment if fragment and is_htmx(request) else page
    return Template(template_name=name, context=context, status_code=status_code)
