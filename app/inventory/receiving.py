"""Receiving a purchase order, in part or in full, at the invoice price.

Each receipt is one ``receipt`` stock move per line (source ``receipt:ID``) and the moving
average cost of each ingredient it brought in, in the same transaction. The average is the
one place an ingredient row is updated, and only here: receiving is rare (a few deliveries a
day), while closes, which are many, only ever insert moves. The ingredient rows are locked
FOR NO KEY UPDATE, which a close's foreign-key checks on stock_move (FOR KEY SHARE) do not
wait for.

Average cost = (stock before × average before + what this delivery cost) / stock after, in
minor units per base unit to 8 places. When the stock before is nothing or less (sold past
zero, or never costed), the delivery's own unit cost is the average: negative stock has no
cost to average with.

The receipt posts its invoice total to inventory (debit) against accounts payable (credit);
what goes out is credited to inventory at average cost (app/inventory/costing.py).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from sqlalchemy import func, insert, select, update

from app.accounting.entries import Leg
from app.accounting.posting import Entry, post
from app.core.errors import BadInput, Conflict, NotFound
from app.inventory.models import Ingredient, StockMove
from app.inventory.purchase_models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReceipt,
    PurchaseReceiptLine,
    PurchaseUnit,
)
from app.inventory.purchasing import MAX_PACKS, order_of
from app.inventory.stock import on_hand
from app.inventory.suppliers import MAX_PRICE
from app.platform import audit, idempotency
from app.platform.db import UnitOfWork

COST_PLACES = Decimal("0.00000001")


@dataclass(frozen=True, slots=True)
class Received:
    """Packs of one order line that came in; price per pack (None: the order's)."""

    order_line_id: int
    packs: int
    price: int | None = None


@dataclass(frozen=True, slots=True)
class ReceivedLine:
    order_line_id: int
    ingredient: str
    packs: int
    #: Packs ordered on the line, and received on it so far (this receipt included).
    ordered: int
    received: int
    #: More came in than was ordered: allowed (the invoice is what it is), and said.
    over: bool
    #: Minor units per base unit after this receipt, as a string (8 places).
    avg_cost: str


@dataclass(frozen=True, slots=True)
class Receipt:
    receipt_id: int
    order_status: str
    lines: list[ReceivedLine]

    @property
    def over_received(self) -> bool:
        return any(line.over for line in self.lines)

    @classmethod
    def of(cls, stored: dict[str, Any]) -> Receipt:
        lines = [ReceivedLine(**line) for line in stored["lines"]]
        return cls(int(stored["receipt_id"]), str(stored["order_status"]), lines)


def average(before: Decimal, avg: Decimal | None, qty: Decimal, cost: int) -> Decimal:
    """The moving average after ``qty`` base units costing ``cost`` minor units came in."""
    if avg is None or before <= 0:
        return (Decimal(cost) / qty).quantize(COST_PLACES, ROUND_HALF_EVEN)
    return ((before * avg + cost) / (before + qty)).quantize(COST_PLACES, ROUND_HALF_EVEN)


def _check(lines: list[Received], known: dict[int, Any]) -> None:
    if not lines:
        raise BadInput("Say what came in: at least one line with its packs.")
    if len({line.order_line_id for line in lines}) != len(lines):
        raise BadInput("Each order line once per delivery: add its packs up.")
    for line in lines:
        if line.order_line_id not in known:
            raise NotFound("That line is not on this purchase order.")
        if not 0 < line.packs <= MAX_PACKS:
            raise BadInput(f"Receive from 1 to {MAX_PACKS:,} packs on a line (not {line.packs}).")
        if line.price is not None and not 0 <= line.price <= MAX_PRICE:
            raise BadInput("A pack's invoice price is from 0 to 100,000.00.")


async def receive(
    uow: UnitOfWork,
    location_id: int,
    actor_id: int,
    order_id: int,
    lines: list[Received],
    key: str | None,
) -> Receipt:
    session = uow.session
    asked = {"o": order_id, "lines": [(x.order_line_id, x.packs, x.price) for x in lines]}
    claim = await idempotency.claim(session, key, "receive_order", asked)
    if claim.replay is not None:
        return Receipt.of(claim.replay)
    order = await order_of(uow, location_id, order_id)
    if order.status == "draft":
        raise Conflict(f"Purchase order #{order_id} is a draft: send it before receiving.")
    if order.status != "sent":
        raise Conflict(f"Purchase order #{order_id} is {order.status}: nothing more comes in.")
    rows = (
        await session.execute(
            select(PurchaseOrderLine, PurchaseUnit.base_quantity)
            .join(PurchaseUnit, PurchaseUnit.id == PurchaseOrderLine.purchase_unit_id)
            .where(PurchaseOrderLine.order_id == order_id)
        )
    ).all()
    known = {line.id: (line, size) for line, size in rows}
    _check(lines, known)
    ingredient_ids = sorted({known[x.order_line_id][0].ingredient_id for x in lines})
    ingredients = {  # locked in id order: two deliveries of one ingredient queue
        i.id: i
        for i in await session.scalars(
            select(Ingredient)
            .where(Ingredient.id.in_(ingredient_ids))
            .order_by(Ingredient.id)
            .with_for_update(key_share=True)
        )
    }
    stock = {
        s.ingredient_id: s.quantity for s in await on_hand(session, location_id, ingredient_ids)
    }
    receipt_id = await session.scalar(
        insert(PurchaseReceipt)
        .values(order_id=order_id, received_by=actor_id)
        .returning(PurchaseReceipt.id)
    )
    assert receipt_id is not None
    came: dict[int, tuple[Decimal, int]] = {}  # ingredient -> (base units, cost)
    for x in lines:
        line, size = known[x.order_line_id]
        price = line.price if x.price is None else x.price
        qty = Decimal(size) * x.packs
        so_far = came.get(line.ingredient_id, (Decimal(0), 0))
        came[line.ingredient_id] = (so_far[0] + qty, so_far[1] + price * x.packs)
        await session.execute(
            insert(PurchaseReceiptLine).values(
                receipt_id=receipt_id, order_line_id=line.id, packs=x.packs, price=price
            )
        )
        await session.execute(
            insert(StockMove).values(
                location_id=location_id, ingredient_id=line.ingredient_id, kind="receipt",
                quantity=qty, source=f"receipt:{receipt_id}",
                reason=f"purchase order #{order_id}", staff_id=actor_id,
            )
        )  # fmt: skip
    costs: dict[int, Decimal] = {}
    for ingredient_id, (qty, cost) in came.items():
        ingredient = ingredients[ingredient_id]
        before = stock.get(ingredient_id, Decimal(0))
        costs[ingredient_id] = average(before, ingredient.avg_cost, qty, cost)
        await session.execute(
            update(Ingredient)
            .where(Ingredient.id == ingredient_id)
            .values(avg_cost=costs[ingredient_id])
        )
    got = dict(
        (
            await session.execute(
                select(PurchaseReceiptLine.order_line_id, func.sum(PurchaseReceiptLine.packs))
                .join(PurchaseReceipt, PurchaseReceipt.id == PurchaseReceiptLine.receipt_id)
                .where(PurchaseReceipt.order_id == order_id)
                .group_by(PurchaseReceiptLine.order_line_id)
            )
        ).all()
    )
    status = "sent"
    if all(got.get(line_id, 0) >= line.packs for line_id, (line, _) in known.items()):
        status = "received"
        await session.execute(
            update(PurchaseOrder).where(PurchaseOrder.id == order_id).values(status=status)
        )
    answer = Receipt(
        receipt_id,
        status,
        [
            ReceivedLine(
                x.order_line_id,
                ingredients[known[x.order_line_id][0].ingredient_id].name,
                x.packs,
                known[x.order_line_id][0].packs,
                int(got[x.order_line_id]),
                int(got[x.order_line_id]) > known[x.order_line_id][0].packs,
                str(costs[known[x.order_line_id][0].ingredient_id]),
            )
            for x in lines
        ],
    )
    # Stock in at the invoice price, owed to the supplier: exact integers, no rounding.
    owed = sum(cost for _, cost in came.values())
    post(uow, Entry(
        location_id=location_id, kind="receipt", source=f"receipt:{receipt_id}",
        legs=(Leg("inventory", owed), Leg("payables", -owed)), staff_id=actor_id,
        memo=f"purchase order #{order_id}",
    ))  # fmt: skip
    await audit.record(
        session, "receive_order", f"purchase_order:{order_id}", actor_id=actor_id,
        receipt_id=receipt_id, over=answer.over_received,
    )  # fmt: skip
    await idempotency.remember(session, claim, asdict(answer))
    return answer
