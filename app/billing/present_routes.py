"""The bill: on the tablet, turned round for the guest, printed; and a receipt copy."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.billing.guest_lock import GUEST_BILL_OPT, GUEST_LOCK_COOKIE
from app.billing.present import present_check, receipt_copy, unlock_guest_bill
from app.billing.presentation import bill_view
from app.orders.forms import idem_key, pin_gate, staff_id
from app.platform.approvals import managers_on_duty
from app.platform.auth import FLOOR
from app.platform.db import UnitOfWork
from app.platform.idempotency import KEYED
from app.platform.web import current, is_htmx, render

Req = Request[Any, Any, Any]


def _lock_cookie(request: Req, check_id: int | None) -> Cookie:
    """The tablet's guest lock: set when the bill is shown, cleared (max_age 0) on unlock."""
    return Cookie(
        key=GUEST_LOCK_COOKIE,
        value=str(check_id or ""),
        httponly=True,
        samesite="strict",
        secure=request.app.state.settings.secure_cookies,
        max_age=None if check_id else 0,
        path="/",
    )


def _go(request: Req, url: str, cookie: Cookie) -> Response[Any]:
    if is_htmx(request):
        return Response(None, status_code=204, headers={"HX-Redirect": url}, cookies=[cookie])
    return Redirect(url, status_code=303, cookies=[cookie])


def _printed_message(printed: int, reprint: bool, what: str) -> str:
    if not printed:
        return "No receipt printer is set up: show the bill on screen instead."
    return f"{what} sent to the receipt printer{' (marked REPRINT)' if reprint else ''}."


class PresentController(Controller):
    path = "/checks/{check_id:int}/bill"
    opt = {"roles": FLOOR}

    async def _panel(
        self, request: Req, uow: UnitOfWork, check_id: int, message: str | None = None
    ) -> Template:
        bill = await bill_view(uow.session, check_id)
        return render(
            request,
            "billing/bill.html",
            {"bill": bill, "message": message, "guest": False},
            fragment="billing/_bill.html",
        )

    @get("/")
    async def bill_screen(
        self, request: Req, check_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Template:
        return await self._panel(request, uow, check_id)

    @get("/guest", opt={GUEST_BILL_OPT: True})
    async def guest_bill(
        self, request: Req, check_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Template:
        """Big type, no buttons, no top bar: the tablet is handed to the guest, and only a
        staff PIN (the signed-in server's, or a manager's) gives it back."""
        bill = await bill_view(uow.session, check_id)
        me = current(request)
        managers = await managers_on_duty(uow.session, request.app.state.location.id)
        unlockers = [(me.staff_id, me.name)] + [
            (m.id, m.name) for m in managers if m.id != me.staff_id
        ]
        return Template(
            "billing/bill.html",
            context={"bill": bill, "guest": True, "unlockers": unlockers, "message": None},
        )

    @post("/unlock", opt={GUEST_BILL_OPT: True})
    async def unlock(
        self, request: Req, check_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        """Staff take the tablet back: a PIN, through the same throttle as sign-in."""
        form = await request.form()
        await unlock_guest_bill(
            uow,
            check_id,
            str(form.get("staff") or ""),
            str(form.get("pin") or ""),
            staff_id(request),
            pin_gate(request),
        )
        return _go(request, f"/checks/{check_id}/bill", _lock_cookie(request, None))

    @post("/print", opt=KEYED)
    async def print_check(
        self, request: Req, check_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Template:
        form = await request.form()
        done = await present_check(
            uow,
            check_id,
            staff_id(request),
            request.app.state.receipts,
            print_it=True,
            key=idem_key(form),
        )
        message = _printed_message(done.printed, done.reprint, "The check was")
        return await self._panel(request, uow, check_id, message)

    @post("/show", opt=KEYED)
    async def show_check(
        self, request: Req, check_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        form = await request.form()
        await present_check(
            uow, check_id, staff_id(request), None, print_it=False, key=idem_key(form)
        )
        # The page is replaced, not pushed (HX-Location would add history): Back from the
        # guest's bill has nowhere of the server's to go; the lock refuses it anyway.
        return _go(request, f"/checks/{check_id}/bill/guest", _lock_cookie(request, check_id))

    @post("/receipt", opt=KEYED)
    async def print_receipt_copy(
        self, request: Req, check_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Template:
        form = await request.form()
        printed = await receipt_copy(
            uow, check_id, staff_id(request), request.app.state.receipts, idem_key(form)
        )
        message = _printed_message(printed, False, "A receipt copy was")
        return await self._panel(request, uow, check_id, message)
