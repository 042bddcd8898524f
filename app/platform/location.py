"""The restaurant this server runs (``app.state.location``) and what depends on it: the
templates' money and clock, training mode and so the card terminal (``terminal_for``).

Loaded at start-up, then followed: every request compares the location row's stamp
(``app.platform.location_stamp``) with the one this process loaded, and reloads the row
when it moved. So a setting saved through any server process — or a restaurant opened on
another one's first-run screen — applies to the next request on every process.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.location_stamp import SCOPE_KEY, STAMP, STAMP_COLUMN
from app.platform.models import Location
from app.platform.templating import set_currency, set_timezone
from app.platform.web import SHARED_SESSION

#: What a server with no restaurant yet runs on: every page but the first-run one waits.
NO_LOCATION = SimpleNamespace(
    id=0, currency="USD", locale="en_US", prices_include_tax=False, training_mode=False
)
_CURRENT = select(Location, STAMP_COLUMN).order_by(Location.id).limit(1)


def has_location(app: Any) -> bool:
    return bool(app.state.location.id)


async def load_location(app: Any, session: AsyncSession | None = None) -> bool:
    """Read the restaurant from the database into ``app.state``; False if there is none."""
    if session is None:
        async with app.state.sessionmaker() as own:
            return await load_location(app, own)
    found = (await session.execute(_CURRENT)).first()
    if found is None:
        app.state.location = NO_LOCATION
        app.state.location_stamp = None
        return False
    location, stamp = found
    # Detached with every column loaded: requests read it long after this session ends.
    session.expunge(location)
    use_location(app, location, stamp)
    return True


def use_location(app: Any, location: Any, stamp: str | None = None) -> None:
    app.state.location = location
    app.state.location_stamp = stamp
    engine = app.template_engine.engine
    set_currency(engine, location.currency, location.locale)
    set_timezone(engine, getattr(location, "timezone", None))


async def follow_location(app: Any, session: AsyncSession, stamp: str | None = None) -> None:
    """Reload the location if its row changed since this process loaded it. ``stamp`` is the
    one read with the request's session, if it was; else it is read here."""
    if stamp is None:
        stamp = await session.scalar(STAMP)
    if stamp != getattr(app.state, "location_stamp", None):
        # Two requests may both reload; should the older read land last, the next request
        # finds the stamps differ and reloads again.
        await load_location(app, session)


#: Files, the API's document and the monitors' health check read no setting (and /healthz
#: must answer even when the database does not).
_NO_SETTING = ("/static/", "/api/v1/schema", "/healthz")


def _reads_no_setting(scope: Scope) -> bool:
    return scope["path"].startswith(_NO_SETTING)


class FollowLocation(ASGIMiddleware):
    """Runs inside PrincipalMiddleware: every request serves the location as committed.

    Requests with a session reuse the stamp its lookup read; the others (the sign-in screen,
    the first-run screen) read it in the transaction their command then goes on in.
    Websockets are left out: what they push (tickets, the floor) reads no setting.
    """

    scopes = (ScopeType.HTTP,)

    def __init__(self) -> None:
        self.should_bypass_for_scope = _reads_no_setting

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        app = scope["litestar_app"]
        shared = scope.get(SHARED_SESSION)
        if isinstance(shared, AsyncSession):
            await follow_location(app, shared, scope.get(SCOPE_KEY))  # type: ignore[arg-type]
            await next_app(scope, receive, send)
            return
        session = app.state.sessionmaker()
        try:
            await follow_location(app, session)
            scope[SHARED_SESSION] = session  # type: ignore[literal-required]
            await next_app(scope, receive, send)
        finally:
            scope.pop(SHARED_SESSION, None)  # type: ignore[misc]
            await session.close()
