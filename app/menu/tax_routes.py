"""The tax rates screen: add a rate, change its name or percentage, archive an unused one."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from app.backoffice.forms import fields
from app.menu import taxes
from app.menu.drafts import rate_draft
from app.menu.editor_pages import actor, answer, draw, location_id
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork
from app.platform.idempotency import KEYED

BACK = "/office/taxes"


class TaxRateController(Controller):
    path = "/office/taxes"
    opt = {"roles": MANAGERS}

    @get("/")
    async def taxes_page(
        self, request: Request[Any, Any, Any], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        return await draw(request, uow, "taxes")

    @post("/", opt=KEYED)
    async def add_rate(
        self, request: Request[Any, Any, Any], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        typed = fields(await request.form())

        async def command() -> None:
            draft = rate_draft(typed)
            key = typed.get("key") or None
            await taxes.add_tax_rate(uow, location_id(request), actor(request), draft, key)

        return await answer(request, uow, command, "taxes", back_to=BACK, typed=typed)

    @post("/{rate_id:int}")
    async def change_rate(
        self,
        request: Request[Any, Any, Any],
        rate_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        typed = fields(await request.form())

        async def command() -> None:
            draft = rate_draft(typed)
            await taxes.change_tax_rate(uow, location_id(request), actor(request), rate_id, draft)

        return await answer(request, uow, command, "taxes", back_to=BACK)

    @post("/{rate_id:int}/archive")
    async def archive_rate(
        self,
        request: Request[Any, Any, Any],
        rate_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        return await _archive(request, uow, rate_id, archived=True)

    @post("/{rate_id:int}/restore")
    async def restore_rate(
        self,
        request: Request[Any, Any, Any],
        rate_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        return await _archive(request, uow, rate_id, archived=False)


async def _archive(
    request: Request[Any, Any, Any], uow: UnitOfWork, rate_id: int, *, archived: bool
) -> Response[Any]:
    async def command() -> None:
        await taxes.archive_tax_rate(
            uow, location_id(request), actor(request), rate_id, archived=archived
        )

    return await answer(request, uow, command, "taxes", back_to=BACK)
