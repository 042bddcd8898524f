"""The back office's discount list: add a named discount, change it, retire it."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from app.backoffice.forms import run_form, typed_fields
from app.billing import discount_list
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork
from app.platform.idempotency import KEYED
from app.platform.web import current, money_exponent, render

BACK = "/office/discounts"
Req = Request[Any, Any, Any]


async def _page(
    request: Req, uow: UnitOfWork, error: str | None = None, typed: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response[Any]:  # fmt: skip
    context: dict[str, Any] = {
        "section": "discounts",
        "discounts": await discount_list.discount_list(uow.session, request.app.state.location.id),
        "scopes": discount_list.SCOPES,
        "error": error,
        "typed": typed or {},
    }
    return render(
        request, "billing/discount_list.html", context, fragment="billing/_discount_list.html",
        status_code=status_code,
    )  # fmt: skip


async def _run(
    request: Req, uow: UnitOfWork, change: Any, typed: dict[str, str] | None = None
) -> Response[Any]:
    async def redraw(error: str, status_code: int) -> Response[Any]:
        return await _page(request, uow, error, typed, status_code)

    async def command() -> None:
        await change(request.app.state.location.id, int(current(request).staff_id or 0))

    return await run_form(request, uow, command, redraw, BACK)


class DiscountListController(Controller):
    path = "/office/discounts"
    opt = {"roles": MANAGERS}

    @get("/")
    async def discounts_page(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Response[Any]:
        return await _page(request, uow)

    @post("/", opt=KEYED)
    async def add_discount(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Response[Any]:
        typed = await typed_fields(request)

        async def change(where: int, who: int) -> None:
            draft = discount_list.discount_draft(typed, money_exponent(request))
            await discount_list.add_discount(uow, where, who, draft, typed.get("key") or None)

        return await _run(request, uow, change, typed)

    @post("/{discount_id:int}")
    async def change_discount(
        self, request: Req, discount_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        typed = await typed_fields(request)

        async def change(where: int, who: int) -> None:
            draft = discount_list.discount_draft(typed, money_exponent(request))
            await discount_list.change_discount(uow, where, who, discount_id, draft)

        return await _run(request, uow, change)

    @post("/{discount_id:int}/retire")
    async def retire_discount(
        self, request: Req, discount_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        async def change(where: int, who: int) -> None:
            await discount_list.offer_discount(uow, where, who, discount_id, offered=False)

        return await _run(request, uow, change)

    @post("/{discount_id:int}/offer")
    async def offer_discount(
        self, request: Req, discount_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        async def change(where: int, who: int) -> None:
            await discount_list.offer_discount(uow, where, who, discount_id, offered=True)

        return await _run(request, uow, change)
