"""The Printers page: which printer is in trouble, which tickets did not print, retry, reprint."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.platform.auth import KITCHEN
from app.platform.db import UnitOfWork
from app.platform.idempotency import KEYED
from app.platform.inputs import form_key
from app.platform.web import current, is_htmx, render
from printers import service, views

PAGE, PANEL = "printers/index.html", "printers/_panel.html"


class PrintersController(Controller):
    path = "/printers"
    opt = {"roles": KITCHEN}

    @get("/")
    async def printers_page(
        self, request: Request[Any, Any, Any], uow: NamedDependency[UnitOfWork]
    ) -> Template:
        context = await views.page(uow.session, request.app.state.location.id)
        return render(request, PAGE, context, fragment=PANEL)

    @post("/tickets/{ticket_id:int}/retry")
    async def retry(
        self,
        request: Request[Any, Any, Any],
        ticket_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        await service.retry_ticket(uow, ticket_id, current(request).staff_id)
        return await self._after(request, uow, "Sent to the printer again.")

    @post("/tickets/{ticket_id:int}/reprint", opt=KEYED)
    async def reprint(
        self,
        request: Request[Any, Any, Any],
        ticket_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        key = form_key(await request.form())
        await service.reprint_ticket(uow, ticket_id, current(request).staff_id, key)
        return await self._after(request, uow, "Reprint sent: it is marked REPRINT.")

    async def _after(
        self, request: Request[Any, Any, Any], uow: UnitOfWork, message: str
    ) -> Response[Any]:
        """htmx gets the refreshed panel; a plain form goes back to the page."""
        if not is_htmx(request):
            return Redirect("/printers", status_code=303)
        await uow.session.flush()
        context = await views.page(uow.session, request.app.state.location.id)
        return Template(PANEL, context={**context, "message": message})
