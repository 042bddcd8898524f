"""Posting adds two statements to a close, no more (issue 12): the chain lock and the
gateway's one write (entry, lines, outbox event and chain link in one statement).

The same cash close of one check runs twice, each time rolled back at the end: once with
nobody listening on the back-office bus, once with accounting listening as the app wires it
(inventory, which adds its own statement, is left out: this counts the books' cost).
Every statement sent to PostgreSQL is counted.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounting.service import post_close, post_money
from app.billing.service import pay_cash
from app.platform.closing import BackOfficeBus
from app.platform.db import UnitOfWork, make_engine, make_sessionmaker
from tests.conftest import STAFF_IDS
from tests.integration.test_card_payments import counter_check, shown

MARIA = STAFF_IDS["Maria"]


def accounting_only() -> BackOfficeBus:
    bus = BackOfficeBus()
    bus.on_close(post_close)
    bus.on_money(post_money)
    return bus


async def statements_to_close(db_url: str, check: int, version: int, bus: BackOfficeBus) -> int:
    engine = make_engine(db_url, pool="null")
    sent: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        sent.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        async with make_sessionmaker(engine)() as s:
            uow = UnitOfWork(s, back_office=bus)
            result = await pay_cash(uow, check, 100_000, version, MARIA)
            assert result.closed
            await uow.run_last_steps()  # what commit runs before COMMIT
            # Rolled back: a close that posts nothing must not stay (the books' invariants).
            await s.rollback()
    finally:
        await engine.dispose()
    return len(sent)


async def test_posting_a_close_costs_two_statements(
    db_url: str, uow_factory: Any, session: AsyncSession
) -> None:
    check = await counter_check(uow_factory, session, "Burrata", "IPA Draft")
    version = (await shown(session, check))[0]
    quiet = await statements_to_close(db_url, check, version, BackOfficeBus())
    wired = await statements_to_close(db_url, check, version, accounting_only())
    assert wired - quiet == 2
