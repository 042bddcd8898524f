"""The menu editor's screens: categories and items (managers and owners, in the back office).

Adding takes the form's idempotency key (a double tap adds one item); changing, archiving
and restoring set a state, so sending them twice leaves the same menu.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from app.backoffice.forms import fields
from app.menu import editor, modifiers
from app.menu.drafts import category_draft, item_draft
from app.menu.editor_pages import actor, answer, draw, exponent, location_id
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork
from app.platform.idempotency import KEYED
from app.platform.inputs import form_ids


class MenuEditorController(Controller):
    path = "/office/menu"
    opt = {"roles": MANAGERS}

    @get("/")
    async def menu_page(
        self, request: Request[Any, Any, Any], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        return await draw(request, uow, "menu")

    @get("/items/{item_id:int}")
    async def item_page(
        self,
        request: Request[Any, Any, Any],
        item_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        return await draw(request, uow, "item", item_id=item_id)

    @post("/categories", opt=KEYED)
    async def add_category(
        self, request: Request[Any, Any, Any], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        typed = fields(await request.form())

        async def command() -> None:
            draft = category_draft(typed)
            await editor.add_category(
                uow, location_id(request), actor(request), draft, typed.get("key") or None
            )

        return await answer(request, uow, command, "menu", back_to="/office/menu", typed=typed)

    @post("/categories/{category_id:int}")
    async def change_category(
        self,
        request: Request[Any, Any, Any],
        category_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        typed = fields(await request.form())

        async def command() -> None:
            draft = category_draft(typed)
            await editor.change_category(
                uow, location_id(request), actor(request), category_id, draft
            )

        return await answer(request, uow, command, "menu", back_to="/office/menu")

    @post("/categories/{category_id:int}/archive")
    async def archive_category(
        self,
        request: Request[Any, Any, Any],
        category_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        return await _archive_category(request, uow, category_id, archived=True)

    @post("/categories/{category_id:int}/restore")
    async def restore_category(
        self,
        request: Request[Any, Any, Any],
        category_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        return await _archive_category(request, uow, category_id, archived=False)

    @post("/items", opt=KEYED)
    async def add_item(
        self, request: Request[Any, Any, Any], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        typed = fields(await request.form())

        async def command() -> None:
            draft = item_draft(typed, exponent(request))
            await editor.add_item(
                uow, location_id(request), actor(request), draft, typed.get("key") or None
            )

        return await answer(request, uow, command, "menu", back_to="/office/menu", typed=typed)

    @post("/items/{item_id:int}")
    async def change_item(
        self,
        request: Request[Any, Any, Any],
        item_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        form = await request.form()
        typed = fields(form)

        async def command() -> None:
            draft = item_draft(typed, exponent(request))
            where, who = location_id(request), actor(request)
            await editor.change_item(uow, where, who, item_id, draft)
            groups = form_ids(form, "group_id", "modifier group")
            await modifiers.ask_on_item(uow, where, who, item_id, groups)

        back = f"/office/menu/items/{item_id}"
        return await answer(request, uow, command, "item", back_to=back, item_id=item_id)

    @post("/items/{item_id:int}/archive")
    async def archive_item(
        self,
        request: Request[Any, Any, Any],
        item_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        return await _archive_item(request, uow, item_id, archived=True)

    @post("/items/{item_id:int}/restore")
    async def restore_item(
        self,
        request: Request[Any, Any, Any],
        item_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        return await _archive_item(request, uow, item_id, archived=False)


async def _archive_category(
    request: Request[Any, Any, Any], uow: UnitOfWork, category_id: int, *, archived: bool
) -> Response[Any]:
    async def command() -> None:
        await editor.archive_category(
            uow, location_id(request), actor(request), category_id, archived=archived
        )

    return await answer(request, uow, command, "menu", back_to="/office/menu")


async def _archive_item(
    request: Request[Any, Any, Any], uow: UnitOfWork, item_id: int, *, archived: bool
) -> Response[Any]:
    async def command() -> None:
        await editor.archive_item(
            uow, location_id(request), actor(request), item_id, archived=archived
        )

    back = f"/office/menu/items/{item_id}"
    return await answer(request, uow, command, "item", back_to=back, item_id=item_id)
