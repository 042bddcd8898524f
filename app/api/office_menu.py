"""The menu editor over JSON, for a group that scripts its set-up: categories, items and
which modifier groups an item asks (managers and owners).

The same commands as the back office's screens (``app.menu.editor``), so the rules, the
audit and the order screens' redraws are the same. Adding is a POST with an
Idempotency-Key (a retry adds nothing twice); changing is a PUT of the whole thing, and
archiving a PUT of ``{"archived": true}``, which sending twice leaves as once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.api.common import API, COMMAND, LISTING, Id, IdempotencyKey, Money, Req, errors, staff_of
from app.core import menu_rules
from app.core.errors import BadInput
from app.menu import editor, modifiers
from app.menu.editor import CategoryDraft, ItemDraft
from app.menu.editor_views import MenuBook, menu_book
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork

CHANGE = (400, 401, 403, 404, 422)


@dataclass
class CategoryIn:
    name: str
    #: #rrggbb, the colour of its buttons and tickets
    color: str
    #: One of the location's courses (GET /api/v1/office/menu lists them).
    course: str
    sort: int = 0


@dataclass
class ItemIn:
    category_id: Id
    name: str
    #: Minor units (cents).
    price: Money
    tax_rate_id: Id
    #: None: the category's course.
    course: str | None = None
    #: What the kitchen's tickets print; empty: the name.
    kitchen_name: str = ""
    description: str = ""
    sort: int = 0
    #: The modifier groups it asks, in order (replaces the ones it had).
    modifier_group_ids: list[Id] = field(default_factory=list)


@dataclass
class ArchivedIn:
    #: true: off the order screens (never deleted); false: back on.
    archived: bool


@dataclass
class Created:
    id: int


def category_draft(data: CategoryIn) -> CategoryDraft:
    return CategoryDraft(
        name=menu_rules.menu_name(data.name, "category"),
        color=menu_rules.colour(data.color),
        course=data.course.strip(),
        sort=menu_rules.sort_order(str(data.sort)),
    )


def item_draft(data: ItemIn) -> ItemDraft:
    if data.price > menu_rules.MAX_PRICE:
        raise BadInput("The price is too large: check the number of zeros.")
    return ItemDraft(
        category_id=data.category_id,
        name=menu_rules.menu_name(data.name, "item", limit=80),
        price=data.price,
        tax_rate_id=data.tax_rate_id,
        course=(data.course or "").strip() or None,
        kitchen_name=menu_rules.kitchen_name(data.kitchen_name),
        description=menu_rules.description(data.description),
        sort=menu_rules.sort_order(str(data.sort)),
    )


class MenuEditorApiController(Controller):
    path = "/api/v1/office/menu"
    opt = {**API, "roles": MANAGERS}
    tags = ["back office: menu"]

    @get(
        "/",
        summary="The whole menu as the editor sees it, archived things too",
        description="Categories with their items (prices in minor units), modifier groups "
        "with their options, the tax rates (rate_ppm: 1 % = 10000) and the courses.",
        responses=errors(*LISTING),
    )
    async def whole_menu(self, request: Req, uow: NamedDependency[UnitOfWork]) -> MenuBook:
        return await menu_book(uow.session, request.app.state.location.id)

    @post("/categories", status_code=201, summary="Add a category", responses=errors(*COMMAND))
    async def add_category(
        self,
        request: Req,
        data: JSONBody[CategoryIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> Created:
        where = request.app.state.location.id
        made = await editor.add_category(
            uow, where, staff_of(request), category_draft(data), idempotency_key
        )
        return Created(made)

    @put(
        "/categories/{category_id:int}",
        status_code=204,
        summary="Change a category",
        responses=errors(*CHANGE),
    )
    async def change_category(
        self,
        request: Req,
        category_id: FromPath[Id],
        data: JSONBody[CategoryIn],
        uow: NamedDependency[UnitOfWork],
    ) -> None:
        where = request.app.state.location.id
        await editor.change_category(
            uow, where, staff_of(request), category_id, category_draft(data)
        )

    @put(
        "/categories/{category_id:int}/archived",
        status_code=204,
        summary="Archive a category (or restore it)",
        responses=errors(*CHANGE),
    )
    async def archive_category(
        self,
        request: Req,
        category_id: FromPath[Id],
        data: JSONBody[ArchivedIn],
        uow: NamedDependency[UnitOfWork],
    ) -> None:
        where = request.app.state.location.id
        await editor.archive_category(
            uow, where, staff_of(request), category_id, archived=data.archived
        )

    @post(
        "/items",
        status_code=201,
        summary="Add an item, with the modifier groups it asks",
        responses=errors(*COMMAND),
    )
    async def add_item(
        self,
        request: Req,
        data: JSONBody[ItemIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> Created:
        where, who = request.app.state.location.id, staff_of(request)
        groups = list(data.modifier_group_ids)
        draft = item_draft(data)
        return Created(
            await modifiers.add_item_asking(uow, where, who, draft, groups, idempotency_key)
        )

    @put(
        "/items/{item_id:int}",
        status_code=204,
        summary="Change an item (lines already rung up keep their price)",
        responses=errors(*CHANGE),
    )
    async def change_item(
        self,
        request: Req,
        item_id: FromPath[Id],
        data: JSONBody[ItemIn],
        uow: NamedDependency[UnitOfWork],
    ) -> None:
        where, who = request.app.state.location.id, staff_of(request)
        await editor.change_item(uow, where, who, item_id, item_draft(data))
        await modifiers.ask_on_item(uow, where, who, item_id, list(data.modifier_group_ids))

    @put(
        "/items/{item_id:int}/archived",
        status_code=204,
        summary="Archive an item (or restore it); open checks keep their lines",
        responses=errors(*CHANGE),
    )
    async def archive_item(
        self,
        request: Req,
        item_id: FromPath[Id],
        data: JSONBody[ArchivedIn],
        uow: NamedDependency[UnitOfWork],
    ) -> None:
        where = request.app.state.location.id
        await editor.archive_item(uow, where, staff_of(request), item_id, archived=data.archived)
