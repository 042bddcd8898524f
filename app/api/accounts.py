"""The chart of accounts over JSON (managers and owners), through the same commands as the
back office's page (``app.accounting.chart``): the same rules, refusals and audit rows.

Adding an account is a POST with an Idempotency-Key (a retry adds nothing twice); changing
one is a PATCH of the fields sent, and pointing a purpose at an account a PUT of where it
posts: sending either twice leaves the chart as once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from litestar import Controller, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter
from msgspec import Meta

from app.accounting import chart
from app.accounting.chart_rules import account_name
from app.accounting.chart_views import AccountView, Chart
from app.api.common import API, COMMAND, LISTING, Id, IdempotencyKey, Req, errors, staff_of
from app.core.errors import NotFound
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork

CHANGE = (400, 401, 403, 404, 422)
Kind = Literal["asset", "liability", "equity", "revenue", "expense"]
Code = Annotated[str, Meta(max_length=20), Parameter(max_length=20)]
Name = Annotated[str, Meta(max_length=80), Parameter(max_length=80)]
Purpose = Annotated[str, Meta(max_length=80), Parameter(max_length=80)]


@dataclass
class AccountIn:
    #: 1 to 20 letters A-Z and digits, unique in the chart (a taken one is refused, 409).
    code: Code
    name: Name
    kind: Kind
    #: A purpose that posts to the new account from now on ("sales:category:12"), or none.
    purpose: Purpose | None = None


@dataclass
class AccountChange:
    """The fields to change; one left out (or null) stays as it is."""

    name: Name | None = None
    #: Refused (422) once anything was posted to the account, or if a purpose that posts
    #: to it does not fit the new kind.
    kind: Kind | None = None
    #: true: off the lists (refused while a purpose posts to it); false: back on.
    archived: bool | None = None


@dataclass
class PurposeIn:
    #: "sales", "sales:category:12", "tax:rate:88750", "cash:drawer:Bar", "card:terminal:X" ...
    purpose: Purpose
    #: The account it posts to from now on; null: back to its generic purpose's account
    #: (refused for a generic purpose, which always has one).
    account_id: Id | None


@dataclass
class Created:
    id: int


class ChartApiController(Controller):
    path = "/api/v1/accounts"
    opt = {**API, "roles": MANAGERS}
    tags = ["back office: chart of accounts"]

    @get(
        "/",
        summary="The chart of accounts, with what posts where and what is not mapped yet",
        description="Every account (archived too) with the purposes that post to it and its "
        "balance in minor units (debit positive: everything ever posted to it); `posted` "
        "accounts keep their kind. `unmapped` lists current categories, tax rates and open "
        "drawers that post to their generic purpose's account; `labels` names each "
        "specific purpose as staff do.",
        responses=errors(*LISTING),
    )
    async def read_chart(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Chart:
        return await chart.chart_of(uow.session, request.app.state.location.id)

    @post("/", status_code=201, summary="Add an account", responses=errors(*COMMAND))
    async def add_account(
        self,
        request: Req,
        data: JSONBody[AccountIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> Created:
        new = chart.draft(data.code, data.name, data.kind)
        where = request.app.state.location.id
        return Created(
            await chart.add_account(
                uow, where, staff_of(request), new, idempotency_key, purpose=data.purpose
            )
        )

    @patch(
        "/{account_id:int}",
        summary="Rename an account, change its kind (before any posting), archive it",
        responses=errors(*CHANGE),
    )
    async def change_account(
        self,
        request: Req,
        account_id: FromPath[Id],
        data: JSONBody[AccountChange],
        uow: NamedDependency[UnitOfWork],
    ) -> AccountView:
        where, who = request.app.state.location.id, staff_of(request)
        name = None if data.name is None else account_name(data.name)
        await chart.change_account(uow, where, who, account_id, name=name, kind=data.kind)
        if data.archived is not None:
            await chart.archive_account(uow, where, who, account_id, archived=data.archived)
        await uow.session.flush()
        found = (await chart.chart_of(uow.session, where)).account(account_id)
        if found is None:  # pragma: no cover - the commands above found it
            raise NotFound("There is no account with that number in this restaurant's chart.")
        return found

    @put(
        "/purposes",
        status_code=204,
        summary="Point a purpose at an account (or back at its generic one)",
        description="Postings of the purpose go to the account from now on; what was "
        "posted stays where it was. The account must be current and of a kind the purpose "
        "takes (docs/accounting-chart.md).",
        responses=errors(*CHANGE),
    )
    async def map_purpose(
        self, request: Req, data: JSONBody[PurposeIn], uow: NamedDependency[UnitOfWork]
    ) -> None:
        where, who = request.app.state.location.id, staff_of(request)
        if data.account_id is None:
            await chart.unmap_purpose(uow, where, who, data.purpose)
        else:
            await chart.map_purpose(uow, where, who, data.purpose, data.account_id)
