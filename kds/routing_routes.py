"""The manager's routing screen: tick which stations make each category, override items."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.core.errors import BadInput, NotFound
from app.core.inputs import is_id
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork
from app.platform.inputs import raw_value
from app.platform.web import current, is_htmx, render
from kds import stations


def _ids(form: FormMultiDict, name: str) -> list[int]:
    raw = [raw_value(v).strip() for v in form.getall(name, [])]
    if not all(is_id(v) for v in raw):
        raise BadInput("A ticked station is not valid; reload the page and try again.")
    return [int(v) for v in raw]


async def _context(uow: UnitOfWork, location_id: int) -> dict[str, Any]:
    return {
        "board": await stations.routing_board(uow.session, location_id),
        "stations": [s for s in await stations.stations(uow.session, location_id) if not s.is_expo],
    }


async def _answer(
    request: Request[Any, Any, Any], uow: UnitOfWork, category_id: int, open_items: bool
) -> Template | Redirect:
    if not is_htmx(request):
        return Redirect("/kds/routing")
    context = await _context(uow, request.app.state.location.id)
    category = next(c for c in context["board"] if c.id == category_id)
    return Template(
        "kds/_routing_category.html",
        context={**context, "category": category, "open_items": open_items},
    )


class RoutingController(Controller):
    path = "/kds/routing"
    opt = {"roles": MANAGERS}

    @get("/")
    async def routing_screen(
        self, request: Request[Any, Any, Any], uow: NamedDependency[UnitOfWork]
    ) -> Template:
        context = await _context(uow, request.app.state.location.id)
        return render(request, "kds/routing.html", context)

    @post("/categories")
    async def route_category(
        self, request: Request[Any, Any, Any], uow: NamedDependency[UnitOfWork]
    ) -> Template | Redirect:
        form = await request.form()
        category = raw_value(form.get("category_id")).strip()
        if not is_id(category):
            raise NotFound("That menu category does not exist.")
        routed = await stations.route_category(
            uow,
            request.app.state.location.id,
            int(category),
            _ids(form, "station"),
            current(request).staff_id,
        )
        return await _answer(request, uow, routed, open_items=False)

    @post("/items/{item_id:int}")
    async def route_item(
        self,
        request: Request[Any, Any, Any],
        item_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Template | Redirect:
        form = await request.form()
        chosen = None if form.get("follow") else _ids(form, "station")
        routed = await stations.route_item(
            uow, request.app.state.location.id, item_id, chosen, current(request).staff_id
        )
        return await _answer(request, uow, routed, open_items=True)
