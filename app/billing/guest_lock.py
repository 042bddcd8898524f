"""A tablet turned round to show the guest their bill is locked to that bill.

"Show bill to guest" hands the server's signed-in tablet to a stranger: nothing of the
server's session (the floor, tips, other checks, sign-out) may be one tap, or one Back,
away. The lock is a cookie on the tablet naming the check; while it is there and a staff
member is signed in, every request but the guest bill itself and its unlock is refused
(``guest_lock_guard``, one of the app's guards), until a staff PIN unlocks it. No signed-in
staff, no lock: there is no session left to protect, and the sign-in screen asks for a PIN
anyway.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.handlers.base import BaseRouteHandler

from app.core.errors import Refused
from app.core.inputs import is_id

GUEST_LOCK_COOKIE = "brigade_guest_bill"
#: Routes the guest may use on a locked tablet (their bill, and the staff unlock).
GUEST_BILL_OPT = "guest_bill"


def locked_to(connection: ASGIConnection[Any, Any, Any, Any]) -> int | None:
    """The check this tablet is showing its guest, or None."""
    raw = connection.cookies.get(GUEST_LOCK_COOKIE, "")
    return int(raw) if is_id(raw) else None


async def guest_lock_guard(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    if connection.scope["type"] != ScopeType.HTTP or handler.opt.get("public"):
        return  # static files and the health check carry nothing of the session
    if connection.scope.get("path", "").startswith("/api/"):
        return  # the API authenticates by token, never by this tablet's cookies
    check = locked_to(connection)
    if check is None or connection.scope.get("principal") is None:
        return
    if handler.opt.get(GUEST_BILL_OPT) and connection.path_params.get("check_id") == check:
        return
    raise Refused(
        "This tablet is showing a guest their bill. Staff: unlock it on the bill with your PIN."
    )
