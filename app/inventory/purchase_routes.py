"""Purchasing pages (managers and owners): suppliers and their packs, par levels, purchase
orders (by hand or filled to par), sending, cancelling and receiving a delivery.

Every page is one full page wrapping its fragment (inventory/purchase_page.html), so htmx
swaps the fragment and a reload shows the same thing.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery

from app.backoffice.forms import fields, run_form
from app.core.errors import BadInput
from app.core.money import parse_amount
from app.inventory import purchase_views as pv
from app.inventory import views
from app.inventory.count_routes import _id
from app.inventory.pages import actor, location_id
from app.inventory.purchasing import Ordered, cancel_order, draft_order, fill_to_par, send_order
from app.inventory.receiving import Received, receive
from app.inventory.stock import on_hand
from app.inventory.suppliers import add_purchase_unit, add_supplier, set_par
from app.inventory.units import quantity
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork
from app.platform.idempotency import KEYED
from app.platform.web import money_exponent, render
from app.staff.common import go

Req = Request[Any, Any, Any]
BACK = "/office/inventory"


def _packs(raw: str) -> int:
    raw = raw.strip()
    if not raw.isascii() or not raw.lstrip("-").isdigit() or len(raw) > 9:
        raise BadInput(f"{raw[:12]!r} is not a number of packs: type a whole number.")
    return int(raw)


def _filled(typed: dict[str, str], prefix: str) -> list[tuple[int, int, str]]:
    """``prefix-ID`` fields with a number of packs: (id, packs, the price typed or "")."""
    lines = []
    for name, value in typed.items():
        if name.startswith(f"{prefix}-") and value.strip():
            found = _id(name.removeprefix(f"{prefix}-"), "line")
            assert found is not None
            lines.append((found, _packs(value), typed.get(f"price-{found}", "").strip()))
    return lines


class PurchaseController(Controller):
    path = BACK
    opt = {"roles": MANAGERS}

    async def _page(
        self, request: Req, uow: UnitOfWork, body: str, page: str, error: str | None = None,
        status_code: int = 200, **more: Any,
    ) -> Response[Any]:  # fmt: skip
        where = location_id(request)
        context = {
            "section": "inventory", "page": page, "error": error, "body": body,
            "suppliers": await pv.suppliers(uow.session, where), "shown": views.shown, **more,
        }  # fmt: skip
        return render(
            request, "inventory/purchase_page.html", context, fragment=body,
            status_code=status_code,
        )  # fmt: skip

    async def _suppliers(self, request: Req, uow: UnitOfWork, error: str | None = None,
                         status_code: int = 200) -> Response[Any]:  # fmt: skip
        where = location_id(request)
        return await self._page(
            request, uow, "inventory/_suppliers.html", "suppliers", error, status_code,
            packs=await pv.packs(uow.session, where), stock=await on_hand(uow.session, where),
        )  # fmt: skip

    @get("/suppliers")
    async def suppliers_page(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Response[Any]:
        return await self._suppliers(request, uow)

    async def _supplier_form(self, request: Req, uow: UnitOfWork, command: Any) -> Response[Any]:
        async def redraw(error: str, status_code: int) -> Response[Any]:
            return await self._suppliers(request, uow, error, status_code)

        return await run_form(request, uow, command, redraw, f"{BACK}/suppliers")

    @post("/suppliers", opt=KEYED)
    async def add_supplier(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Response[Any]:
        typed = fields(await request.form())

        async def command() -> None:
            await add_supplier(uow, location_id(request), actor(request), typed.get("name", ""),
                               typed.get("contact", ""), typed.get("key") or None)  # fmt: skip

        return await self._supplier_form(request, uow, command)

    @post("/packs", opt=KEYED)
    async def add_pack(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Response[Any]:
        typed = fields(await request.form())

        async def command() -> None:
            supplier = _id(typed.get("supplier_id", ""), "supplier")
            ingredient = _id(typed.get("ingredient_id", ""), "ingredient")
            if supplier is None or ingredient is None:
                raise BadInput("Choose the supplier and the ingredient.")
            price = parse_amount(typed.get("price", ""), money_exponent(request))
            await add_purchase_unit(
                uow, location_id(request), actor(request), supplier, ingredient,
                typed.get("name", ""), typed.get("size", ""), price, typed.get("key") or None,
            )  # fmt: skip

        return await self._supplier_form(request, uow, command)

    @post("/par")
    async def set_par(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Response[Any]:
        typed = fields(await request.form())

        async def command() -> None:
            ingredient = _id(typed.get("ingredient_id", ""), "ingredient")
            if ingredient is None:
                raise BadInput("Choose the ingredient.")
            raw = typed.get("par", "").strip()
            amount = quantity(raw) if raw else None
            await set_par(uow, location_id(request), actor(request), ingredient, amount,
                          typed.get("unit", "").strip())  # fmt: skip

        return await self._supplier_form(request, uow, command)

    async def _orders(self, request: Req, uow: UnitOfWork, error: str | None = None,
                      status_code: int = 200) -> Response[Any]:  # fmt: skip
        return await self._page(
            request, uow, "inventory/_orders.html", "orders", error, status_code,
            orders=await pv.orders(uow.session, location_id(request)),
        )  # fmt: skip

    @get("/orders")
    async def orders_page(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Response[Any]:
        return await self._orders(request, uow)

    async def _new(self, request: Req, uow: UnitOfWork, supplier: int | None,
                   error: str | None = None, status_code: int = 200) -> Response[Any]:  # fmt: skip
        packs = [p for p in await pv.packs(uow.session, location_id(request))
                 if p.supplier_id == supplier]  # fmt: skip
        return await self._page(request, uow, "inventory/_new_order.html", "orders", error,
                                status_code, supplier=supplier, packs=packs)  # fmt: skip

    @get("/orders/new")
    async def new_order(
        self, request: Req, uow: NamedDependency[UnitOfWork], supplier: FromQuery[str] = ""
    ) -> Response[Any]:
        return await self._new(request, uow, _id(supplier, "supplier"))

    @post("/orders", opt=KEYED)
    async def draft(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Response[Any]:
        typed = fields(await request.form())
        supplier = _id(typed.get("supplier_id", ""), "supplier")
        done: list[int] = []

        async def command() -> None:
            if supplier is None:
                raise BadInput("Choose the supplier.")
            exp = money_exponent(request)
            lines = [Ordered(unit, packs, parse_amount(price, exp) if price else None)
                     for unit, packs, price in _filled(typed, "packs")]  # fmt: skip
            key = typed.get("key") or None
            done.append(
                await draft_order(uow, location_id(request), actor(request), supplier, lines, key)
            )

        async def redraw(error: str, status_code: int) -> Response[Any]:
            return await self._new(request, uow, supplier, error, status_code)

        answer = await run_form(request, uow, command, redraw, f"{BACK}/orders")
        return go(request, f"{BACK}/orders/{done[0]}") if done else answer

    @post("/orders/fill", opt=KEYED)
    async def fill(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Response[Any]:
        typed = fields(await request.form())
        done: list[int | None] = []

        async def command() -> None:
            supplier = _id(typed.get("supplier_id", ""), "supplier")
            if supplier is None:
                raise BadInput("Choose the supplier to fill to par from.")
            key = typed.get("key") or None
            done.append(await fill_to_par(uow, location_id(request), actor(request), supplier, key))
            if done[0] is None:
                raise BadInput("Nothing this supplier sells is under par: no order needed.")

        async def redraw(error: str, status_code: int) -> Response[Any]:
            return await self._orders(request, uow, error, status_code)

        answer = await run_form(request, uow, command, redraw, f"{BACK}/orders")
        return go(request, f"{BACK}/orders/{done[0]}") if done and done[0] else answer

    async def _order(self, request: Req, uow: UnitOfWork, order_id: int,
                     error: str | None = None, status_code: int = 200,
                     receipt: Any = None) -> Response[Any]:  # fmt: skip
        shown = await pv.order(uow.session, location_id(request), order_id)
        return await self._page(request, uow, "inventory/_order.html", "orders", error,
                                status_code, receipt=receipt, **shown)  # fmt: skip

    @get("/orders/{order_id:int}")
    async def order_page(
        self, request: Req, order_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        return await self._order(request, uow, order_id)

    async def _act(self, request: Req, uow: UnitOfWork, order_id: int, act: Any) -> Response[Any]:
        async def command() -> None:
            await act(uow, location_id(request), actor(request), order_id)

        async def redraw(error: str, status_code: int) -> Response[Any]:
            return await self._order(request, uow, order_id, error, status_code)

        return await run_form(request, uow, command, redraw, f"{BACK}/orders/{order_id}")

    @post("/orders/{order_id:int}/send")
    async def send(
        self, request: Req, order_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        return await self._act(request, uow, order_id, send_order)

    @post("/orders/{order_id:int}/cancel")
    async def cancel(
        self, request: Req, order_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        return await self._act(request, uow, order_id, cancel_order)

    @post("/orders/{order_id:int}/receive", opt=KEYED)
    async def receive(
        self, request: Req, order_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        typed = fields(await request.form())
        done: list[Any] = []

        async def command() -> None:
            exp = money_exponent(request)
            lines = [Received(line, packs, parse_amount(price, exp) if price else None)
                     for line, packs, price in _filled(typed, "got")]  # fmt: skip
            done.append(await receive(uow, location_id(request), actor(request), order_id,
                                      lines, typed.get("key") or None))  # fmt: skip

        async def redraw(error: str, status_code: int) -> Response[Any]:
            return await self._order(request, uow, order_id, error, status_code)

        answer = await run_form(request, uow, command, redraw, f"{BACK}/orders/{order_id}")
        if not done:
            return answer
        # Not a redirect: the answer is the order with this receipt, and what was over.
        return await self._order(request, uow, order_id, receipt=done[0])
