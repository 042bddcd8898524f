"""Modifier groups and options, tax rates and the named discounts over JSON (managers and
owners), through the same commands as the back office's screens.

As in ``app.api.office_menu``: adding is a POST with an Idempotency-Key, changing a PUT of
the whole thing, archiving (retiring, for a discount) a PUT of a flag.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter
from msgspec import Meta

from app.api.common import API, COMMAND, LISTING, Id, IdempotencyKey, Money, Req, errors, staff_of
from app.api.office_menu import CHANGE, ArchivedIn, Created
from app.billing import discount_list
from app.billing.discount_list import DiscountDraft, ListedDiscount
from app.core import menu_rules
from app.core.errors import BadInput
from app.menu import modifiers, taxes
from app.menu.modifiers import GroupDraft, OptionDraft
from app.menu.taxes import RateDraft
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork

Choices = Annotated[int, Meta(ge=0, le=20), Parameter(ge=0, le=20)]
#: Parts per million: 8.875 % is 88750; below 100 %.
RatePpm = Annotated[int, Meta(ge=0, le=999_999), Parameter(ge=0, le=999_999)]


@dataclass
class GroupIn:
    name: str
    min_choices: Choices = 0
    max_choices: Choices = 1


@dataclass
class OptionIn:
    name: str
    #: Added to the item's price, in minor units.
    price_delta: Money = 0
    sort: int = 0


@dataclass
class RateIn:
    name: str
    rate_ppm: RatePpm


@dataclass
class DiscountIn:
    name: str
    kind: Literal["percent", "amount"]
    #: percent: ppm (10 % = 100000, at most 1000000); amount: minor units.
    value: Annotated[int, Meta(ge=1), Parameter(ge=1)]
    scope: Literal["any", "line", "check"] = "any"
    needs_approval: bool = False


@dataclass
class OfferedIn:
    #: false retires it from the pay screen's list; true offers it again.
    offered: bool


def _group(data: GroupIn) -> GroupDraft:
    low, high = menu_rules.choices(str(data.min_choices), str(data.max_choices))
    return GroupDraft(menu_rules.menu_name(data.name, "modifier group"), low, high)


def _option(data: OptionIn) -> OptionDraft:
    if data.price_delta > menu_rules.MAX_PRICE:
        raise BadInput("The extra is too large: check the number of zeros.")
    name = menu_rules.menu_name(data.name, "option")
    return OptionDraft(name, data.price_delta, menu_rules.sort_order(str(data.sort)))


def _discount(data: DiscountIn) -> DiscountDraft:
    if data.kind == "percent" and data.value > 1_000_000:
        raise BadInput("The percent off is more than 0 and at most 100 (1000000 ppm).")
    name = menu_rules.menu_name(data.name, "discount")
    return DiscountDraft(name, data.kind, data.value, data.scope, data.needs_approval)


class OfficeListsApiController(Controller):
    path = "/api/v1/office"
    opt = {**API, "roles": MANAGERS}
    tags = ["back office: modifiers, taxes, discounts"]

    @post(
        "/menu/modifier-groups",
        status_code=201,
        summary="Add a modifier group",
        responses=errors(*COMMAND),
    )
    async def add_group(
        self,
        request: Req,
        data: JSONBody[GroupIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> Created:
        where = request.app.state.location.id
        return Created(
            await modifiers.add_group(uow, where, staff_of(request), _group(data), idempotency_key)
        )

    @put(
        "/menu/modifier-groups/{group_id:int}",
        status_code=204,
        summary="Change a group's name and rule",
        responses=errors(*CHANGE),
    )
    async def change_group(
        self,
        request: Req,
        group_id: FromPath[Id],
        data: JSONBody[GroupIn],
        uow: NamedDependency[UnitOfWork],
    ) -> None:
        where = request.app.state.location.id
        await modifiers.change_group(uow, where, staff_of(request), group_id, _group(data))

    @put(
        "/menu/modifier-groups/{group_id:int}/archived",
        status_code=204,
        summary="Archive a group (or restore it)",
        responses=errors(*CHANGE),
    )
    async def archive_group(
        self,
        request: Req,
        group_id: FromPath[Id],
        data: JSONBody[ArchivedIn],
        uow: NamedDependency[UnitOfWork],
    ) -> None:
        where = request.app.state.location.id
        await modifiers.archive_group(
            uow, where, staff_of(request), group_id, archived=data.archived
        )

    @post(
        "/menu/modifier-groups/{group_id:int}/options",
        status_code=201,
        summary="Add a priced option to a group",
        responses=errors(*COMMAND),
    )
    async def add_option(
        self,
        request: Req,
        group_id: FromPath[Id],
        data: JSONBody[OptionIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> Created:
        where, who = request.app.state.location.id, staff_of(request)
        return Created(
            await modifiers.add_option(uow, where, who, group_id, _option(data), idempotency_key)
        )

    @put(
        "/menu/options/{option_id:int}",
        status_code=204,
        summary="Change an option",
        responses=errors(*CHANGE),
    )
    async def change_option(
        self,
        request: Req,
        option_id: FromPath[Id],
        data: JSONBody[OptionIn],
        uow: NamedDependency[UnitOfWork],
    ) -> None:
        where = request.app.state.location.id
        await modifiers.change_option(uow, where, staff_of(request), option_id, _option(data))

    @put(
        "/menu/options/{option_id:int}/archived",
        status_code=204,
        summary="Archive an option (or restore it)",
        responses=errors(*CHANGE),
    )
    async def archive_option(
        self,
        request: Req,
        option_id: FromPath[Id],
        data: JSONBody[ArchivedIn],
        uow: NamedDependency[UnitOfWork],
    ) -> None:
        where = request.app.state.location.id
        await modifiers.archive_option(
            uow, where, staff_of(request), option_id, archived=data.archived
        )

    @post("/tax-rates", status_code=201, summary="Add a tax rate", responses=errors(*COMMAND))
    async def add_rate(
        self,
        request: Req,
        data: JSONBody[RateIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> Created:
        draft = RateDraft(menu_rules.menu_name(data.name, "tax rate"), data.rate_ppm)
        where = request.app.state.location.id
        return Created(
            await taxes.add_tax_rate(uow, where, staff_of(request), draft, idempotency_key)
        )

    @put(
        "/tax-rates/{rate_id:int}",
        status_code=204,
        summary="Change a rate (for lines rung up from now on)",
        responses=errors(*CHANGE),
    )
    async def change_rate(
        self,
        request: Req,
        rate_id: FromPath[Id],
        data: JSONBody[RateIn],
        uow: NamedDependency[UnitOfWork],
    ) -> None:
        draft = RateDraft(menu_rules.menu_name(data.name, "tax rate"), data.rate_ppm)
        where = request.app.state.location.id
        await taxes.change_tax_rate(uow, where, staff_of(request), rate_id, draft)

    @put(
        "/tax-rates/{rate_id:int}/archived",
        status_code=204,
        summary="Archive a rate no item uses (or restore it)",
        responses=errors(*CHANGE),
    )
    async def archive_rate(
        self,
        request: Req,
        rate_id: FromPath[Id],
        data: JSONBody[ArchivedIn],
        uow: NamedDependency[UnitOfWork],
    ) -> None:
        where = request.app.state.location.id
        await taxes.archive_tax_rate(uow, where, staff_of(request), rate_id, archived=data.archived)

    @get("/discounts", summary="Every named discount, retired ones too", responses=errors(*LISTING))
    async def discounts(
        self, request: Req, uow: NamedDependency[UnitOfWork]
    ) -> list[ListedDiscount]:
        return await discount_list.discount_list(uow.session, request.app.state.location.id)

    @post("/discounts", status_code=201, summary="Add a named discount", responses=errors(*COMMAND))
    async def add_discount(
        self,
        request: Req,
        data: JSONBody[DiscountIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> Created:
        where, who = request.app.state.location.id, staff_of(request)
        return Created(
            await discount_list.add_discount(uow, where, who, _discount(data), idempotency_key)
        )

    @put(
        "/discounts/{discount_id:int}",
        status_code=204,
        summary="Change a named discount",
        responses=errors(*CHANGE),
    )
    async def change_discount(
        self,
        request: Req,
        discount_id: FromPath[Id],
        data: JSONBody[DiscountIn],
        uow: NamedDependency[UnitOfWork],
    ) -> None:
        where, who = request.app.state.location.id, staff_of(request)
        await discount_list.change_discount(uow, where, who, discount_id, _discount(data))

    @put(
        "/discounts/{discount_id:int}/offered",
        status_code=204,
        summary="Retire a discount from the list (or offer it again)",
        responses=errors(*CHANGE),
    )
    async def offer_discount(
        self,
        request: Req,
        discount_id: FromPath[Id],
        data: JSONBody[OfferedIn],
        uow: NamedDependency[UnitOfWork],
    ) -> None:
        where, who = request.app.state.location.id, staff_of(request)
        await discount_list.offer_discount(uow, where, who, discount_id, offered=data.offered)
