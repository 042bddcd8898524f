"""Counts and the waste log over JSON (managers and owners): a stock-taking app or a scale
sends what was on the shelf; a kitchen display sends what was thrown away.

The same commands as the Count and Waste pages (``app.inventory.counts``,
``app.inventory.waste``). Quantities travel as decimal strings ("4.7"), in the unit they were
counted in ("kg"; empty: the ingredient's base unit). Both POSTs take an Idempotency-Key: a
retry after a lost answer gets the first count, never a second adjustment.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.api.common import API, READ, Id, IdempotencyKey, Req, Text, errors, staff_of
from app.api.inventory import CHANGE, Decimal_, Unit
from app.inventory.counts import Counted, CountResult, count_result, count_stock
from app.inventory.units import quantity
from app.inventory.views import plain
from app.inventory.waste import log_waste
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork


@dataclass
class CountedIn:
    ingredient_id: Id
    #: What was on the shelf: a decimal string, never negative.
    amount: Decimal_
    #: What it was counted in; empty: the ingredient's base unit.
    unit: Unit = ""


@dataclass
class CountIn:
    lines: list[CountedIn]
    #: The storage area counted, when one was (recorded with the count).
    storage_area_id: Id | None = None


@dataclass
class CountLineOut:
    ingredient_id: int
    name: str
    base_unit: str
    #: What the moves said, what was counted, and the difference (decimal strings).
    expected: str
    counted: str
    variance: str


@dataclass
class CountOut:
    count_id: int
    lines: list[CountLineOut] = field(default_factory=list)

    @classmethod
    def of(cls, result: CountResult) -> CountOut:
        return cls(
            result.count_id,
            [
                CountLineOut(
                    line.ingredient_id, line.name, line.base_unit, plain(line.expected),
                    plain(line.counted), plain(line.variance),
                )
                for line in result.lines
            ],
        )  # fmt: skip


@dataclass
class WasteIn:
    ingredient_id: Id
    amount: Decimal_
    #: spoiled, dropped, burnt, overproduced, returned or other (other needs a note).
    reason: str
    unit: Unit = ""
    note: Text = ""


@dataclass
class WasteOut:
    move_id: int


class InventoryCountApiController(Controller):
    path = "/api/v1/inventory"
    opt = {**API, "roles": MANAGERS}
    tags = ["inventory"]

    @post(
        "/counts",
        status_code=201,
        summary="Count the shelves: each line's variance, on hand becomes what was counted",
        responses=errors(*CHANGE),
    )
    async def count_stock(
        self,
        request: Req,
        data: JSONBody[CountIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> CountOut:
        lines = [Counted(c.ingredient_id, quantity(c.amount), c.unit) for c in data.lines]
        result = await count_stock(
            uow,
            request.app.state.location.id,
            lines,
            staff_of(request),
            data.storage_area_id,
            idempotency_key,
        )
        return CountOut.of(result)

    @get("/counts/{count_id:int}", summary="A count as it was taken", responses=errors(*READ))
    async def count_taken(
        self, count_id: FromPath[Id], uow: NamedDependency[UnitOfWork]
    ) -> CountOut:
        return CountOut.of(await count_result(uow, count_id))

    @post(
        "/waste",
        status_code=201,
        summary="Log what was thrown away, and why: it comes off the stock",
        responses=errors(*CHANGE),
    )
    async def log_waste(
        self,
        request: Req,
        data: JSONBody[WasteIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> WasteOut:
        move = await log_waste(
            uow,
            request.app.state.location.id,
            data.ingredient_id,
            quantity(data.amount),
            data.unit,
            data.reason,
            staff_of(request),
            data.note,
            idempotency_key,
        )
        return WasteOut(move)
