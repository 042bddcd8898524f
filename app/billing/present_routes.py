"""The bill: on the tablet, turned round for the guest, printed; and a receipt copy."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.billing.present import present_check, receipt_copy
from app.billing.presentation import bill_view
from app.orders.forms import idem_key, staff_id
from app.platform.auth import FLOOR
from app.platform.db import UnitOfWork
from app.platform.web import is_htmx, render

Req = Request[Any, Any, Any]


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

    @get("/guest")
    async def guest_bill(
        self, request: Req, check_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Template:
        """Big type, no buttons but "back": the tablet is handed to the guest."""
        bill = await bill_view(uow.session, check_id)
        return Template("billing/bill.html", context={"bill": bill, "guest": True})

    @post("/print")
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

    @post("/show")
    async def show_check(
        self, request: Req, check_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        form = await request.form()
        await present_check(
            uow, check_id, staff_id(request), None, print_it=False, key=idem_key(form)
        )
        url = f"/checks/{check_id}/bill/guest"
        if is_htmx(request):
            return Response(None, status_code=204, headers={"HX-Redirect": url})
        return Redirect(url, status_code=303)

    @post("/receipt")
    async def print_receipt_copy(
        self, request: Req, check_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Template:
        printed = await receipt_copy(uow, check_id, staff_id(request), request.app.state.receipts)
        message = _printed_message(printed, False, "A receipt copy was")
        return await self._panel(request, uow, check_id, message)
