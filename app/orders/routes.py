"""The order screen: menu by category, the check by course and seat, send to kitchen."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, WebSocket, get, post, websocket
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from app.menu.courses import courses, default_course
from app.menu.service import item_button_view, item_with_choices, menu_for_ordering
from app.orders import firing, service
from app.orders.forms import check_panel, idem_key, int_field, options, text
from app.orders.views import check_view
from app.platform.auth import FLOOR
from app.platform.db import UnitOfWork
from app.platform.idempotency import KEYED
from app.platform.realtime import stream
from app.platform.web import current, render, render_html


def check_location(request: Request[Any, Any, Any]) -> int:
    return int(request.app.state.location.id)


class CheckController(Controller):
    path = "/checks/{check_id:int}"
    opt = {"roles": FLOOR}

    @get("/")
    async def order_screen(
        self,
        request: Request[Any, Any, Any],
        check_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Template:
        location = request.app.state.location
        check = await check_view(uow.session, check_id)
        menu = await menu_for_ordering(uow.session, location.id)
        return render(
            request,
            "orders/check.html",
            {"check": check, "menu": menu, "message": None},
            fragment="orders/_check.html",
        )

    @get("/items/{item_id:int}")
    async def choose(
        self,
        request: Request[Any, Any, Any],
        check_id: FromPath[int],
        item_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Template:
        item = await item_with_choices(uow.session, item_id)
        check = await check_view(uow.session, check_id)
        rules = await courses(uow.session, check_location(request))
        return Template(
            "orders/_choose.html",
            context={
                "item": item,
                "check": check,
                "courses": list(rules),
                "default_course": await default_course(uow.session, item.id),
            },
        )

    @post("/lines", opt=KEYED)
    async def add_line(
        self,
        request: Request[Any, Any, Any],
        check_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        form = await request.form()
        staff = current(request)
        assert staff.staff_id is not None
        new = service.NewLine(
            item_id=int_field(form, "item_id", "Item") or 0,
            quantity=int_field(form, "quantity", "Quantity", default=1) or 0,
            option_ids=options(form),
            note=text(form, "note"),
            seat=int_field(form, "seat", "Seat"),
            course=text(form, "course") or None,
        )
        line_id = await service.add_line(uow, check_id, new, staff.staff_id, key=idem_key(form))
        return await check_panel(request, uow, check_id, added=line_id)

    @post("/send", opt=KEYED)
    async def send(
        self,
        request: Request[Any, Any, Any],
        check_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        form = await request.form()
        staff = current(request)
        assert staff.staff_id is not None
        sent = await firing.send_order(
            uow, check_id, staff.staff_id, request.app.state.kitchen, key=idem_key(form)
        )
        return await check_panel(
            request,
            uow,
            check_id,
            message=f"Sent {sent} item{'s' if sent != 1 else ''} to the kitchen.",
        )

    @websocket("/feed")
    async def check_feed(self, socket: WebSocket[Any, Any, Any], check_id: FromPath[int]) -> None:
        app = socket.app

        async def on_event(event: dict[str, Any]) -> str | None:
            async with app.state.sessionmaker() as session:
                if "item" in event:  # an item was 86'd or came back: redraw only its button
                    item, category = await item_button_view(session, int(event["item"]))
                    return render_html(
                        socket,
                        "menu/_item_button.html",
                        item=item,
                        c=category,
                        check={"id": check_id},
                        oob=True,
                    )
                check = await check_view(session, check_id)
            return render_html(socket, "orders/_check.html", check=check, oob=True, message=None)

        await stream(socket, [f"check:{check_id}", "menu"], on_event)
