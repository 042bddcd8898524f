"""The modifier groups screen: groups with their rule and priced options, shared by items."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from app.backoffice.forms import fields
from app.menu import modifiers
from app.menu.drafts import group_draft, option_draft
from app.menu.editor_pages import actor, answer, draw, exponent, location_id
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork
from app.platform.idempotency import KEYED

BACK = "/office/menu/modifiers"


class ModifierEditorController(Controller):
    path = "/office/menu/modifiers"
    opt = {"roles": MANAGERS}

    @get("/")
    async def modifiers_page(
        self, request: Request[Any, Any, Any], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        return await draw(request, uow, "modifiers")

    @post("/", opt=KEYED)
    async def add_group(
        self, request: Request[Any, Any, Any], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        typed = fields(await request.form())

        async def command() -> None:
            draft = group_draft(typed)
            await modifiers.add_group(
                uow, location_id(request), actor(request), draft, typed.get("key") or None
            )

        return await answer(request, uow, command, "modifiers", back_to=BACK, typed=typed)

    @post("/{group_id:int}")
    async def change_group(
        self,
        request: Request[Any, Any, Any],
        group_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        typed = fields(await request.form())

        async def command() -> None:
            draft = group_draft(typed)
            await modifiers.change_group(uow, location_id(request), actor(request), group_id, draft)

        return await answer(request, uow, command, "modifiers", back_to=BACK)

    @post("/{group_id:int}/archive")
    async def archive_group(
        self,
        request: Request[Any, Any, Any],
        group_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        return await _archive(request, uow, modifiers.archive_group, group_id, archived=True)

    @post("/{group_id:int}/restore")
    async def restore_group(
        self,
        request: Request[Any, Any, Any],
        group_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        return await _archive(request, uow, modifiers.archive_group, group_id, archived=False)

    @post("/{group_id:int}/options", opt=KEYED)
    async def add_option(
        self,
        request: Request[Any, Any, Any],
        group_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        typed = fields(await request.form())

        async def command() -> None:
            draft = option_draft(typed, exponent(request))
            key = typed.get("key") or None
            await modifiers.add_option(
                uow, location_id(request), actor(request), group_id, draft, key
            )

        return await answer(request, uow, command, "modifiers", back_to=BACK, typed=typed)

    @post("/options/{option_id:int}")
    async def change_option(
        self,
        request: Request[Any, Any, Any],
        option_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        typed = fields(await request.form())

        async def command() -> None:
            draft = option_draft(typed, exponent(request))
            await modifiers.change_option(
                uow, location_id(request), actor(request), option_id, draft
            )

        return await answer(request, uow, command, "modifiers", back_to=BACK)

    @post("/options/{option_id:int}/archive")
    async def archive_option(
        self,
        request: Request[Any, Any, Any],
        option_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        return await _archive(request, uow, modifiers.archive_option, option_id, archived=True)

    @post("/options/{option_id:int}/restore")
    async def restore_option(
        self,
        request: Request[Any, Any, Any],
        option_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> Response[Any]:
        return await _archive(request, uow, modifiers.archive_option, option_id, archived=False)


async def _archive(
    request: Request[Any, Any, Any], uow: UnitOfWork, change: Any, target: int, *, archived: bool
) -> Response[Any]:
    async def command() -> None:
        await change(uow, location_id(request), actor(request), target, archived=archived)

    return await answer(request, uow, command, "modifiers", back_to=BACK)
