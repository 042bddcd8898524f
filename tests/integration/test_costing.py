"""Stock in the books (issue 13, item 6's cost half): a receipt posts inventory against
accounts payable at the invoice price; a close posts cost of goods against
inventory at average cost, the waste log and a void after fire post waste, a count's
variance posts shrinkage; each entry balances, its amount is Σ moves × average cost rounded
to minor units with the remainder said in the entry's payload; unpriced stock posts nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounting.chain import verify_chain
from app.accounting.models import Account, JournalEntry, JournalLine, OutboxEvent
from app.inventory.counts import Counted, count_stock
from app.inventory.purchase_models import PurchaseOrderLine
from app.inventory.purchasing import Ordered
from app.inventory.receiving import Received, receive
from app.inventory.waste import log_waste
from app.orders import corrections
from app.orders.models import CheckLine
from tests.conftest import PINS
from tests.integration.test_corrections import approval_by
from tests.integration.test_counts_and_waste import ingredient
from tests.integration.test_depletion import ordered, pay
from tests.integration.test_many_hands import kitchen
from tests.integration.test_purchasing import MIA, pack, sent_order, supplier


async def priced_beans(uow_factory: Any, session: AsyncSession) -> int:
    """Espresso beans at 2.499 cents a gram (a 1 kg bag at 24.99; the demo's stock had no
    cost, so the first delivery's is the average)."""
    beans = await ingredient(session, "Espresso beans")
    sid = await supplier(uow_factory)
    bag = await pack(uow_factory, sid, beans, "1 kg bag", "1 kg", 2499)
    order_id = await sent_order(uow_factory, sid, Ordered(bag, 1))
    line = await session.scalar(
        select(PurchaseOrderLine.id).where(PurchaseOrderLine.order_id == order_id)
    )
    await session.rollback()
    assert line is not None
    receipt = await uow_factory(receive, 1, MIA, order_id, [Received(line, 1)], None)
    # In at the invoice price, owed to the supplier.
    posted = await entry_of(session, "receipt", f"receipt:{receipt.receipt_id}")
    assert posted == {"1300": 2499, "2400": -2499}
    return beans


async def entry_of(session: AsyncSession, kind: str, source: str) -> dict[str, int]:
    """The entry's lines by account code; {} when nothing was posted."""
    rows = (
        await session.execute(
            select(Account.code, JournalLine.amount)
            .join(JournalLine, JournalLine.account_id == Account.id)
            .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
            .where(JournalEntry.kind == kind, JournalEntry.source == source)
        )
    ).all()
    await session.rollback()
    return {code: amount for code, amount in rows}


async def payload_of(session: AsyncSession, kind: str, source: str) -> dict[str, Any]:
    found = await session.scalar(
        select(OutboxEvent.payload).where(
            OutboxEvent.payload["kind"].astext == kind,
            OutboxEvent.payload["source"].astext == source,
        )
    )
    await session.rollback()
    assert found is not None
    return dict(found)


async def test_a_close_posts_cost_of_goods_at_average_cost(
    uow_factory: Any, session: AsyncSession
) -> None:
    await priced_beans(uow_factory, session)
    # Two espressos (7 g each) and an affogato (7 g of beans, 90 ml of unpriced ice cream).
    check = await ordered(
        uow_factory, session, ("Espresso", []), ("Espresso", []), ("Affogato", [])
    )
    await pay(uow_factory, session, check)

    lines = await entry_of(session, "cogs", f"check:{check}")
    # 21 g × 2.499 = 52.479 cents: 52 posted, on both legs, so it balances by construction.
    assert lines == {"5000": 52, "1300": -52}
    payload = await payload_of(session, "cogs", f"check:{check}")
    assert Decimal(payload["exact"]) == Decimal("52.479")
    assert Decimal(payload["remainder"]) == Decimal("0.479")  # left in inventory, and said
    assert payload["unpriced_moves"] == 1  # the ice cream: used, not yet costed


async def test_stock_with_no_cost_yet_posts_nothing(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await ordered(uow_factory, session, ("Espresso", []))
    await pay(uow_factory, session, check)
    assert await entry_of(session, "cogs", f"check:{check}") == {}


async def test_waste_and_a_count_post_waste_and_shrinkage(
    uow_factory: Any, session: AsyncSession
) -> None:
    beans = await priced_beans(uow_factory, session)
    move = await uow_factory(log_waste, 1, beans, Decimal(100), "g", "spoiled", MIA)
    assert await entry_of(session, "waste", f"waste-log:{move}") == {"5100": 250, "1300": -250}

    # On hand is 5,000 + 1,000 − 100 = 5,900 g; the shelf has 5,800: 100 g went missing.
    counted = await uow_factory(count_stock, 1, [Counted(beans, Decimal(5800))], MIA, None, None)
    source = f"count:{counted.count_id}"
    assert await entry_of(session, "shrinkage", source) == {"5200": 250, "1300": -250}
    # A count that finds more than expected credits shrinkage.
    counted = await uow_factory(count_stock, 1, [Counted(beans, Decimal(5810))], MIA, None, None)
    assert await entry_of(session, "shrinkage", f"count:{counted.count_id}") == {
        "5200": -25,
        "1300": 25,
    }
    chain = await verify_chain(session, 1)  # the stock entries are in the hash chain
    await session.rollback()
    assert chain.broken is None, chain.sentence()


async def test_a_void_after_fire_posts_waste(
    uow_factory: Any, session: AsyncSession, sessionmaker_: Any
) -> None:
    await priced_beans(uow_factory, session)
    check = await ordered(uow_factory, session, ("Espresso", []))
    line = await session.scalar(select(CheckLine.id).where(CheckLine.check_id == check))
    await session.rollback()
    assert line is not None
    ok = await approval_by(sessionmaker_, MIA, PINS["Mia"])
    await uow_factory(corrections.void_line, check, line, "dropped it", True, ok, kitchen())
    # 7 g × 2.499 = 17.493 cents
    assert await entry_of(session, "waste", f"void:{line}") == {"5100": 17, "1300": -17}
