"""A refund gives stock back only when the manager says the dish was not made (issue 13):
then exactly what the close took for those lines comes back; any other refund gives none."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.models import Payment
from app.billing.refunds import refund
from app.billing.terminal import SimulatedTerminal
from app.core.errors import BadInput
from app.orders.models import CheckLine
from tests.conftest import PINS, STAFF_IDS
from tests.integration.test_corrections import approval_by
from tests.integration.test_depletion import moves_of, ordered, pay

MARIA, MIA = STAFF_IDS["Maria"], STAFF_IDS["Mia"]


async def closed_dinner(uow_factory: Any, session: AsyncSession) -> tuple[int, int, int]:
    """(check, its payment, the calamari line) of a paid check of burrata and calamari."""
    check = await ordered(uow_factory, session, ("Burrata", []), ("Calamari", []))
    await pay(uow_factory, session, check)
    payment = await session.scalar(select(Payment.id).where(Payment.check_id == check))
    line = await session.scalar(
        select(CheckLine.id).where(CheckLine.check_id == check, CheckLine.name == "Calamari")
    )
    await session.rollback()
    assert payment and line
    return check, payment, line


async def give_back(
    uow_factory: Any, sessionmaker_: Any, payment: int, lines: list[int], not_made: bool
) -> int:
    ok = await approval_by(sessionmaker_, MIA, PINS["Mia"])
    refund_id: int = await uow_factory(
        refund, payment, 500, 0, lines, "sent back", MARIA, ok, SimulatedTerminal(),
        None, not_made,
    )  # fmt: skip
    return refund_id


async def test_a_dish_refunded_as_not_made_goes_back_to_stock(
    uow_factory: Any, session: AsyncSession, sessionmaker_: Any
) -> None:
    check, payment, calamari = await closed_dinner(uow_factory, session)
    kept = await give_back(uow_factory, sessionmaker_, payment, [calamari], False)
    back = await give_back(uow_factory, sessionmaker_, payment, [calamari], True)

    assert await moves_of(session, f"refund:{kept}") == {}  # made and eaten: nothing back
    assert await moves_of(session, f"refund:{back}") == {
        "Squid": Decimal(180),
        "Flour": Decimal(40),
        "Lemons": Decimal("0.25"),
    }
    taken = await moves_of(session, f"check:{check}")
    assert taken["Squid"] == Decimal(-180)  # the close's own moves stay as they were


async def test_not_made_needs_its_dishes_and_a_closed_check(
    uow_factory: Any, session: AsyncSession, sessionmaker_: Any
) -> None:
    _, payment, _ = await closed_dinner(uow_factory, session)
    with pytest.raises(BadInput, match="Tick the dishes that were not made"):
        await give_back(uow_factory, sessionmaker_, payment, [], True)
