"""Purchasing over JSON, for integrations (managers and owners): suppliers and their packs,
purchase orders (drafted, filled to par, sent, cancelled) and receiving a delivery.

The same commands as the back office's pages (app.inventory.purchasing, receiving): the same
rules and audit. Money is integer minor units; a pack's size is a decimal string in the
ingredient's base unit. Drafting, filling and receiving take an Idempotency-Key; sending and
cancelling leave an order as once when sent twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from msgspec import Meta

from app.api.common import API, COMMAND, LISTING, READ, Id, IdempotencyKey, Req, errors, staff_of
from app.inventory import purchase_views as pv
from app.inventory.purchasing import Ordered, cancel_order, draft_order, fill_to_par, send_order
from app.inventory.receiving import Received, ReceivedLine, receive
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork

Packs = Annotated[int, Meta(ge=-1_000_000, le=1_000_000)]  # the command says what is wrong
Price = Annotated[int, Meta(ge=-1, le=10_000_000_000)]


@dataclass
class PackOut:
    id: int
    supplier_id: int
    name: str
    ingredient: str
    base_unit: str
    #: How many base units one pack holds, as a decimal string.
    base_quantity: str
    #: List price of one pack, minor units.
    price: int


@dataclass
class SupplierOut:
    id: int
    name: str
    contact: str
    packs: list[PackOut]


@dataclass
class OrderSummaryOut:
    id: int
    supplier: str
    #: draft, sent, received or cancelled.
    status: str
    lines: int
    #: Σ packs × price ordered, minor units.
    total: int
    created_at: str


@dataclass
class OrderLineOut:
    id: int
    ingredient_id: int
    ingredient: str
    purchase_unit_id: int
    pack: str
    packs: int
    price: int
    #: Packs received so far over every delivery.
    received: int


@dataclass
class OrderOut:
    id: int
    supplier_id: int
    supplier: str
    status: str
    lines: list[OrderLineOut]


@dataclass
class OrderLineIn:
    purchase_unit_id: Id
    packs: Packs
    #: Per pack, minor units; left out: the pack's list price.
    price: Price | None = None


@dataclass
class OrderIn:
    supplier_id: Id
    lines: list[OrderLineIn] = field(default_factory=list)


@dataclass
class FillIn:
    supplier_id: Id


@dataclass
class FilledOut:
    #: The draft made; null when nothing this supplier sells is under par.
    order_id: int | None


@dataclass
class ReceivedIn:
    order_line_id: Id
    packs: Packs
    #: The invoice price per pack, minor units; left out: the order's.
    price: Price | None = None


@dataclass
class ReceiptIn:
    lines: list[ReceivedIn] = field(default_factory=list)


@dataclass
class ReceiptOut:
    receipt_id: int
    #: sent while lines are still short, received once every line has come in.
    order_status: str
    #: More than ordered came in on some line (allowed: the invoice is what it is).
    over_received: bool
    lines: list[ReceivedLine]


async def _order(uow: UnitOfWork, where: int, order_id: int) -> OrderOut:
    shown = await pv.order(uow.session, where, order_id)
    order = shown["order"]
    lines = [
        OrderLineOut(line.id, line.ingredient_id, ingredient, line.purchase_unit_id, pack,
                     line.packs, line.price, int(received))
        for line, pack, ingredient, received in shown["lines"]
    ]  # fmt: skip
    return OrderOut(order.id, order.supplier_id, shown["supplier"], order.status, lines)


class PurchasingApiController(Controller):
    path = "/api/v1/purchasing"
    opt = {**API, "roles": MANAGERS}
    tags = ["back office: purchasing"]

    @get("/suppliers", summary="Suppliers and the packs they sell", responses=errors(*LISTING))
    async def suppliers(self, request: Req, uow: NamedDependency[UnitOfWork]) -> list[SupplierOut]:
        where = request.app.state.location.id
        packs = await pv.packs(uow.session, where)
        return [
            SupplierOut(s.id, s.name, s.contact, [
                PackOut(p.id, p.supplier_id, p.name, p.ingredient, p.base_unit,
                        str(p.base_quantity), p.price)
                for p in packs if p.supplier_id == s.id
            ])
            for s in await pv.suppliers(uow.session, where)
        ]  # fmt: skip

    @get("/orders", summary="The last 100 purchase orders", responses=errors(*LISTING))
    async def orders(self, request: Req, uow: NamedDependency[UnitOfWork]) -> list[OrderSummaryOut]:
        rows = await pv.orders(uow.session, request.app.state.location.id)
        return [
            OrderSummaryOut(r.id, r.supplier, r.status, r.lines, int(r.total),
                            r.created_at.isoformat())
            for r in rows
        ]  # fmt: skip

    @get("/orders/{order_id:int}", summary="A purchase order", responses=errors(*READ))
    async def order(
        self, request: Req, order_id: FromPath[Id], uow: NamedDependency[UnitOfWork]
    ) -> OrderOut:
        return await _order(uow, request.app.state.location.id, order_id)

    @post("/orders", status_code=201, summary="Draft a purchase order", responses=errors(*COMMAND))
    async def draft(
        self, request: Req, data: JSONBody[OrderIn], uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> OrderOut:  # fmt: skip
        where = request.app.state.location.id
        lines = [Ordered(x.purchase_unit_id, x.packs, x.price) for x in data.lines]
        made = await draft_order(
            uow, where, staff_of(request), data.supplier_id, lines, idempotency_key
        )
        return await _order(uow, where, made)

    @post(
        "/orders/fill-to-par",
        status_code=201,
        summary="Draft what one supplier sells that is under par",
        description="Per ingredient under par (counting what open orders still bring), "
        "enough packs to reach it, rounded up, of the cheapest pack per base unit.",
        responses=errors(*COMMAND),
    )
    async def fill(
        self, request: Req, data: JSONBody[FillIn], uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> FilledOut:  # fmt: skip
        where = request.app.state.location.id
        made = await fill_to_par(uow, where, staff_of(request), data.supplier_id, idempotency_key)
        return FilledOut(made)

    @post("/orders/{order_id:int}/send", status_code=200, summary="Mark a draft as sent",
          responses=errors(*COMMAND))  # fmt: skip
    async def send(
        self, request: Req, order_id: FromPath[Id], uow: NamedDependency[UnitOfWork]
    ) -> OrderOut:
        where = request.app.state.location.id
        await send_order(uow, where, staff_of(request), order_id)
        return await _order(uow, where, order_id)

    @post("/orders/{order_id:int}/cancel", status_code=200, summary="Cancel an order",
          responses=errors(*COMMAND))  # fmt: skip
    async def cancel(
        self, request: Req, order_id: FromPath[Id], uow: NamedDependency[UnitOfWork]
    ) -> OrderOut:
        where = request.app.state.location.id
        await cancel_order(uow, where, staff_of(request), order_id)
        return await _order(uow, where, order_id)

    @post(
        "/orders/{order_id:int}/receive",
        status_code=201,
        summary="Receive a delivery, in part or in full, at the invoice price",
        description="One receipt stock move per line (source receipt:ID); the moving "
        "average cost of each ingredient; more than ordered is allowed and flagged.",
        responses=errors(*COMMAND),
    )
    async def receive(
        self, request: Req, order_id: FromPath[Id], data: JSONBody[ReceiptIn],
        uow: NamedDependency[UnitOfWork], idempotency_key: IdempotencyKey = None,
    ) -> ReceiptOut:  # fmt: skip
        lines = [Received(x.order_line_id, x.packs, x.price) for x in data.lines]
        got = await receive(uow, request.app.state.location.id, staff_of(request), order_id,
                            lines, idempotency_key)  # fmt: skip
        return ReceiptOut(got.receipt_id, got.order_status, got.over_received, got.lines)
