"""Counting the shelves and logging waste, on a tablet in the walk-in (managers and owners).

The count page lists every counted ingredient (or one storage area's) with what the moves say
is there; the person counting types what is on the shelf, in the base unit or another it
converts to (kg, l, oz). A blank line is not counted (it stays as it was). The answer is the
count's page: each line's expected, counted and variance. The waste log takes what was thrown
away, how much and why.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from sqlalchemy import select

from app.backoffice.forms import fields, run_form
from app.core.errors import BadInput
from app.inventory import views
from app.inventory.counts import Counted, count_result, count_stock
from app.inventory.models import Ingredient, StockMove
from app.inventory.pages import actor, location_id
from app.inventory.stock import on_hand
from app.inventory.units import quantity
from app.inventory.waste import WASTE_REASONS, log_waste
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork
from app.platform.idempotency import KEYED
from app.platform.web import render
from app.staff.common import go

Req = Request[Any, Any, Any]


def _id(raw: str, what: str) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        raise BadInput(f"Choose the {what} from the list.")
    return int(raw)


def counted_lines(typed: dict[str, str]) -> list[Counted]:
    """The count form's filled lines: ``count-ID`` holds the amount, ``unit-ID`` its unit."""
    lines = []
    for name, value in typed.items():
        if not name.startswith("count-") or not value.strip():
            continue
        ingredient = _id(name.removeprefix("count-"), "ingredient")
        assert ingredient is not None
        unit = typed.get(f"unit-{ingredient}", "").strip()
        lines.append(Counted(ingredient, quantity(value), unit))
    return lines


async def _moves_logged(uow: UnitOfWork, where: int) -> list[Any]:
    """The last waste written (the log and voids of food that was made), newest first."""
    rows = await uow.session.execute(
        select(StockMove, Ingredient.name, Ingredient.base_unit)
        .join(Ingredient, Ingredient.id == StockMove.ingredient_id)
        .where(StockMove.location_id == where, StockMove.kind == "waste")
        .order_by(StockMove.id.desc())
        .limit(20)
    )
    return list(rows.all())


class CountController(Controller):
    path = "/office/inventory"
    opt = {"roles": MANAGERS}

    async def _count_page(
        self, request: Req, uow: UnitOfWork, area: int | None, error: str | None = None,
        status_code: int = 200,
    ) -> Response[Any]:  # fmt: skip
        where = location_id(request)
        areas = await views.storage_areas(uow.session, where)
        shelves = [
            s for s in await on_hand(uow.session, where)
            if area is None or s.storage_area == dict(areas).get(area, "")
        ]  # fmt: skip
        context = {
            "section": "inventory", "page": "count", "stock": shelves, "areas": areas,
            "area": area, "error": error, "shown": views.shown, "plain": views.plain,
        }  # fmt: skip
        return render(
            request, "inventory/count.html", context, fragment="inventory/_count.html",
            status_code=status_code,
        )  # fmt: skip

    @get("/count")
    async def count_page(
        self, request: Req, uow: NamedDependency[UnitOfWork], area: FromQuery[str] = ""
    ) -> Response[Any]:
        return await self._count_page(request, uow, _id(area, "storage area"))

    @post("/count", opt=KEYED)
    async def take_count(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Response[Any]:
        typed = fields(await request.form())
        area = _id(typed.get("area", ""), "storage area")
        done: list[int] = []

        async def command() -> None:
            lines = counted_lines(typed)
            key = typed.get("key") or None
            result = await count_stock(uow, location_id(request), lines, actor(request), area, key)
            done.append(result.count_id)

        async def redraw(error: str, status_code: int) -> Response[Any]:
            return await self._count_page(request, uow, area, error, status_code)

        answer = await run_form(request, uow, command, redraw, "/office/inventory/count")
        return go(request, f"/office/inventory/counts/{done[0]}") if done else answer

    @get("/counts/{count_id:int}")
    async def count_taken(
        self, request: Req, count_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        result = await count_result(uow, count_id)
        context = {"section": "inventory", "page": "count", "count": result, "shown": views.shown}
        return render(
            request, "inventory/count_taken.html", context, fragment="inventory/_count_taken.html"
        )

    async def _waste_page(
        self, request: Req, uow: UnitOfWork, error: str | None = None, status_code: int = 200,
        typed: dict[str, str] | None = None,
    ) -> Response[Any]:  # fmt: skip
        where = location_id(request)
        context = {
            "section": "inventory", "page": "waste", "error": error, "typed": typed or {},
            "stock": await on_hand(uow.session, where), "reasons": WASTE_REASONS,
            "logged": await _moves_logged(uow, where), "shown": views.shown,
        }  # fmt: skip
        return render(
            request, "inventory/waste.html", context, fragment="inventory/_waste.html",
            status_code=status_code,
        )  # fmt: skip

    @get("/waste")
    async def waste_page(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Response[Any]:
        return await self._waste_page(request, uow)

    @post("/waste", opt=KEYED)
    async def log_waste(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Response[Any]:
        typed = fields(await request.form())

        async def command() -> None:
            ingredient = _id(typed.get("ingredient_id", ""), "ingredient")
            if ingredient is None:
                raise BadInput("Choose what was thrown away.")
            amount: Decimal = quantity(typed.get("amount", ""))
            await log_waste(
                uow, location_id(request), ingredient, amount, typed.get("unit", "").strip(),
                typed.get("reason", ""), actor(request), typed.get("note", ""),
                typed.get("key") or None,
            )  # fmt: skip

        async def redraw(error: str, status_code: int) -> Response[Any]:
            return await self._waste_page(request, uow, error, status_code, typed)

        return await run_form(request, uow, command, redraw, "/office/inventory/waste")
