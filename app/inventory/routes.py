"""Inventory's back-office screens (managers and owners): stock on hand, ingredients, recipes
per item and per modifier option, and what has no recipe yet.

Adding takes the form's idempotency key (a double tap adds one ingredient); saving a recipe
sets it to what the form shows, so sending it twice leaves the same recipe.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from app.backoffice.forms import fields
from app.inventory import drafts, editor
from app.inventory.editor import IngredientChange
from app.inventory.pages import actor, answer, draw, location_id
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork
from app.platform.idempotency import KEYED

Req = Request[Any, Any, Any]
SHELF = "/office/inventory/ingredients"


class InventoryController(Controller):
    path = "/office/inventory"
    opt = {"roles": MANAGERS}

    @get("/")
    async def stock_page(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Response[Any]:
        return await draw(request, uow, "stock")

    @get("/ingredients")
    async def ingredients_page(
        self, request: Req, uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        return await draw(request, uow, "ingredients")

    @get("/recipes")
    async def recipes_page(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Response[Any]:
        return await draw(request, uow, "recipes")

    @get("/no-recipe")
    async def unreciped_page(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Response[Any]:
        return await draw(request, uow, "unreciped")

    @get("/recipes/{item_id:int}")
    async def recipe_page(
        self, request: Req, item_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        return await draw(request, uow, "recipe", dish_id=item_id)

    @get("/options/{option_id:int}")
    async def option_page(
        self, request: Req, option_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        return await draw(request, uow, "option", dish_id=option_id)

    @post("/ingredients", opt=KEYED)
    async def add_ingredient(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Response[Any]:
        typed = fields(await request.form())

        async def command() -> None:
            draft = drafts.ingredient_draft(typed)
            key = typed.get("key") or None
            await editor.add_ingredient(uow, location_id(request), actor(request), draft, key)

        return await answer(request, uow, command, "ingredients", back_to=SHELF, typed=typed)

    @post("/areas", opt=KEYED)
    async def add_area(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Response[Any]:
        typed = fields(await request.form())

        async def command() -> None:
            name = drafts.shelf_name(typed.get("area_name", ""), "storage area")
            key = typed.get("key") or None
            await editor.add_storage_area(uow, location_id(request), actor(request), name, key)

        return await answer(request, uow, command, "ingredients", back_to=SHELF, typed=typed)

    @post("/ingredients/{ingredient_id:int}")
    async def change_ingredient(
        self, request: Req, ingredient_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        typed = fields(await request.form())

        async def command() -> None:
            area = drafts.area_id(typed.get("storage_area_id", ""))
            change = IngredientChange(
                name=drafts.shelf_name(typed.get("name", "")),
                storage_area_id=area,
                no_area=area is None,
                tracked=typed.get("tracked", "") == "on",
            )
            await editor.change_ingredient(
                uow, location_id(request), actor(request), ingredient_id, change
            )

        return await answer(request, uow, command, "ingredients", back_to=SHELF)

    @post("/ingredients/{ingredient_id:int}/archive")
    async def archive_ingredient(
        self, request: Req, ingredient_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        return await _archive(request, uow, ingredient_id, archived=True)

    @post("/ingredients/{ingredient_id:int}/restore")
    async def restore_ingredient(
        self, request: Req, ingredient_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        return await _archive(request, uow, ingredient_id, archived=False)

    @post("/recipes/{item_id:int}")
    async def save_recipe(
        self, request: Req, item_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        typed = fields(await request.form())

        async def command() -> None:
            lines = drafts.recipe_lines(typed, signed=False)
            await editor.set_recipe(uow, location_id(request), actor(request), item_id, lines)

        return await answer(
            request, uow, command, "recipe", back_to="/office/inventory/recipes",
            dish_id=item_id, typed=typed,
        )  # fmt: skip

    @post("/options/{option_id:int}")
    async def save_option(
        self, request: Req, option_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        typed = fields(await request.form())

        async def command() -> None:
            lines = drafts.recipe_lines(typed, signed=True)
            await editor.set_option_changes(
                uow, location_id(request), actor(request), option_id, lines
            )

        return await answer(
            request, uow, command, "option", back_to="/office/inventory/recipes#options",
            dish_id=option_id, typed=typed,
        )  # fmt: skip


async def _archive(
    request: Req, uow: UnitOfWork, ingredient_id: int, *, archived: bool
) -> Response[Any]:
    async def command() -> None:
        await editor.archive_ingredient(
            uow, location_id(request), actor(request), ingredient_id, archived=archived
        )

    return await answer(request, uow, command, "ingredients", back_to=SHELF)
