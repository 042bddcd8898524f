"""Inventory over JSON, for integrations (managers and owners): what is on hand, the moves a
close wrote, ingredients, and recipes per item and per modifier option.

The same commands as the back office's screens (``app.inventory.editor``): the same rules,
unit conversion and audit. Quantities travel as decimal strings ("340.1942"), never floats,
so what the ledger holds is what the integration reads. Adding an ingredient is a POST with
an Idempotency-Key; a recipe is a PUT of the whole recipe, which sending twice leaves as once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from litestar import Controller, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter
from msgspec import Meta

from app.api.common import API, COMMAND, LISTING, READ, Id, IdempotencyKey, Req, errors, staff_of
from app.core.errors import BadInput, NotFound
from app.inventory import drafts, editor, views
from app.inventory.editor import Amount, IngredientChange, IngredientDraft
from app.inventory.stock import on_hand
from app.inventory.units import quantity
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork

CHANGE = (400, 401, 403, 404, 422)
#: A quantity as a decimal string: digits, one point, a leading minus only for an option.
Decimal_ = Annotated[str, Meta(max_length=20), Parameter(max_length=20)]
Unit = Annotated[str, Meta(max_length=20), Parameter(max_length=20)]
Name = Annotated[str, Meta(max_length=80), Parameter(max_length=80)]
Source = Annotated[str, Parameter(max_length=60, description="What wrote the moves: check:ID.")]


@dataclass
class OnHandOut:
    ingredient_id: int
    name: str
    base_unit: str
    storage_area: str
    #: In the base unit; below zero when more was sold than counted in.
    quantity: str


@dataclass
class MoveOut:
    id: int
    ingredient_id: int
    ingredient: str
    base_unit: str
    #: sale, waste, receipt, count or transfer.
    kind: str
    #: Signed, in the base unit: a sale is negative.
    quantity: str
    source: str
    created_at: str


@dataclass
class IngredientOut:
    id: int
    name: str
    base_unit: str
    storage_area_id: int | None
    storage_area: str
    tracked: bool
    archived: bool
    #: How many live items and options use it in their recipes.
    used_by: int


@dataclass
class IngredientIn:
    name: Name
    #: g, ml or each: what it is counted in (never changes afterwards).
    base_unit: str
    storage_area_id: Id | None = None
    tracked: bool = True


@dataclass
class IngredientPatch:
    """Only the fields sent change. ``archived`` true refuses while a recipe uses it."""

    name: Name | None = None
    storage_area_id: Id | None = None
    #: true: take it out of its storage area.
    no_storage_area: bool = False
    tracked: bool | None = None
    archived: bool | None = None


@dataclass
class LineIn:
    ingredient_id: Id
    #: "4", "12.5"; for an option "-30" takes off.
    amount: Decimal_
    #: What the kitchen says: g, kg, oz, lb, ml, cl, l, cup, each; empty: the base unit.
    unit: Unit = ""


@dataclass
class RecipeIn:
    #: The whole recipe: it replaces what was there ([] leaves none).
    lines: list[LineIn] = field(default_factory=list)


@dataclass
class LineOut:
    ingredient_id: int
    name: str
    #: In the ingredient's base unit; negative takes off (options).
    quantity: str
    base_unit: str


@dataclass
class RecipeOut:
    id: int
    name: str
    lines: list[LineOut]


@dataclass
class Created:
    id: int


def _lines(data: RecipeIn, *, signed: bool) -> list[Amount]:
    if len(data.lines) > editor.MAX_LINES:
        raise BadInput(f"A recipe takes at most {editor.MAX_LINES} ingredients.")
    read = drafts.signed_amount if signed else quantity
    return [Amount(x.ingredient_id, read(x.amount), drafts.unit_text(x.unit)) for x in data.lines]


async def _recipe(uow: UnitOfWork, where: int, dish_id: int, *, option: bool) -> RecipeOut:
    found = await (views.options if option else views.dishes)(uow.session, where)
    dish = next((d for d in found if d.id == dish_id), None)
    if dish is None:
        raise NotFound(
            "That option is not on this menu." if option else "That item is not on this menu."
        )
    lines = [LineOut(x.ingredient_id, x.name, str(x.quantity), x.base_unit) for x in dish.lines]
    return RecipeOut(dish.id, dish.name, lines)


class InventoryApiController(Controller):
    path = "/api/v1/inventory"
    opt = {**API, "roles": MANAGERS}
    tags = ["back office: inventory"]

    @get("/on-hand", summary="What is on hand, per ingredient", responses=errors(*LISTING))
    async def stock(self, request: Req, uow: NamedDependency[UnitOfWork]) -> list[OnHandOut]:
        rows = await on_hand(uow.session, request.app.state.location.id)
        return [
            OnHandOut(r.ingredient_id, r.name, r.base_unit, r.storage_area, str(r.quantity))
            for r in rows
        ]

    @get(
        "/moves",
        summary="The stock moves one close, void or count wrote",
        description="source is what wrote them: check:ID for a close (one sale move per "
        "ingredient), void:ID for a void after fire (waste).",
        responses=errors(400, 401, 403, 422),
    )
    async def moves(
        self, request: Req, source: Source, uow: NamedDependency[UnitOfWork]
    ) -> list[MoveOut]:
        rows = await views.moves_from(uow.session, request.app.state.location.id, source.strip())
        return [
            MoveOut(
                m.id,
                m.ingredient_id,
                name,
                unit,
                m.kind,
                str(m.quantity),
                m.source,
                m.created_at.isoformat(),
            )
            for m, name, unit in rows
        ]

    @get("/ingredients", summary="Every ingredient, archived too", responses=errors(*LISTING))
    async def ingredients(
        self, request: Req, uow: NamedDependency[UnitOfWork]
    ) -> list[IngredientOut]:
        rows = await views.shelves(uow.session, request.app.state.location.id)
        return [
            IngredientOut(
                s.id,
                s.name,
                s.base_unit,
                s.storage_area_id,
                s.storage_area,
                s.tracked,
                s.archived,
                s.used_by,
            )
            for s in rows
        ]

    @post("/ingredients", status_code=201, summary="Add an ingredient", responses=errors(*COMMAND))
    async def add_ingredient(
        self, request: Req, data: JSONBody[IngredientIn], uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> Created:  # fmt: skip
        draft = IngredientDraft(
            drafts.shelf_name(data.name),
            drafts.base_unit(data.base_unit),
            data.storage_area_id,
            data.tracked,
        )
        where = request.app.state.location.id
        return Created(
            await editor.add_ingredient(uow, where, staff_of(request), draft, idempotency_key)
        )

    @patch(
        "/ingredients/{ingredient_id:int}",
        status_code=204,
        summary="Rename, move, count or archive an ingredient",
        responses=errors(*CHANGE),
    )
    async def change_ingredient(
        self, request: Req, ingredient_id: FromPath[Id], data: JSONBody[IngredientPatch],
        uow: NamedDependency[UnitOfWork],
    ) -> None:  # fmt: skip
        where, who = request.app.state.location.id, staff_of(request)
        name = None if data.name is None else drafts.shelf_name(data.name)
        change = IngredientChange(name, data.storage_area_id, data.no_storage_area, data.tracked)
        await editor.change_ingredient(uow, where, who, ingredient_id, change)
        if data.archived is not None:
            await editor.archive_ingredient(uow, where, who, ingredient_id, archived=data.archived)

    @get("/recipes/{item_id:int}", summary="An item's recipe", responses=errors(*READ))
    async def recipe(
        self, request: Req, item_id: FromPath[Id], uow: NamedDependency[UnitOfWork]
    ) -> RecipeOut:
        return await _recipe(uow, request.app.state.location.id, item_id, option=False)

    @put(
        "/recipes/{item_id:int}",
        summary="Replace an item's whole recipe",
        description="Amounts in any kitchen unit, converted to each ingredient's base unit; "
        "a unit that does not convert refuses the whole recipe (422) and nothing changes.",
        responses=errors(*CHANGE),
    )
    async def set_recipe(
        self,
        request: Req,
        item_id: FromPath[Id],
        data: JSONBody[RecipeIn],
        uow: NamedDependency[UnitOfWork],
    ) -> RecipeOut:
        where = request.app.state.location.id
        await editor.set_recipe(uow, where, staff_of(request), item_id, _lines(data, signed=False))
        return await _recipe(uow, where, item_id, option=False)

    @put(
        "/options/{option_id:int}/changes",
        summary="Replace what a modifier option adds or takes off",
        description="A negative amount takes off (no onions); a positive one adds.",
        responses=errors(*CHANGE),
    )
    async def set_option(
        self,
        request: Req,
        option_id: FromPath[Id],
        data: JSONBody[RecipeIn],
        uow: NamedDependency[UnitOfWork],
    ) -> RecipeOut:
        where = request.app.state.location.id
        await editor.set_option_changes(
            uow, where, staff_of(request), option_id, _lines(data, signed=True)
        )
        return await _recipe(uow, where, option_id, option=True)
