"""The X and Z over random checks: whatever the checks went through (comps, discounts,
service charges, both tax modes, even splits paid part by part in cash or by card with tips,
refunds and slip tips after the close), the day's figures add up to the checks, the
payments and the books. Expected figures come from the rows, never from the figures."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.integration.test_day_close import figures, today
from tests.integration.test_ledger_property import A_CHECK, after_close, pay_parts, prepare

#: The day's closed checks and their money, straight from the rows.
ROWS = """
    WITH closed AS (
        SELECT c.* FROM guest_check c
        JOIN journal_entry e ON e.kind = 'close' AND e.source = 'check:' || c.id
        WHERE e.business_day = :day
    )
    SELECT count(*) AS checks, coalesce(sum(subtotal), 0) AS gross,
           coalesce(sum(total), 0) AS total, coalesce(sum(tax), 0) AS tax,
           coalesce(sum(service_charge), 0) AS service,
           (SELECT coalesce(sum(p.tip), 0) FROM payment p JOIN closed ON closed.id = p.check_id)
               AS tips,
           (SELECT coalesce(sum(r.amount), 0) FROM refund r
            JOIN journal_entry e ON e.kind = 'refund' AND e.source = 'refund:' || r.id
            WHERE e.business_day = :day) AS refunded
    FROM closed
"""


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(a_check=A_CHECK)
async def test_the_days_figures_add_up_whatever_the_checks_went_through(
    uow_factory: Any, sessionmaker_: Any, session: AsyncSession, a_check: Any
) -> None:
    check = await prepare(uow_factory, sessionmaker_, session, a_check)
    cards = await pay_parts(uow_factory, sessionmaker_, session, check, a_check)
    await after_close(uow_factory, sessionmaker_, session, check, a_check, cards)
    day = await today(uow_factory)

    f = await figures(uow_factory, day)

    rows = (await session.execute(text(ROWS), {"day": day})).one()
    await session.rollback()
    assert f["checks"] == rows.checks
    assert f["gross_sales"] == rows.gross
    # Every line's share (split parts' shares of a line included) adds up to the checks'.
    assert sum(c["gross"] for c in f["categories"]) == rows.gross
    assert (f["total"], f["tax"], f["service_charge"]) == (rows.total, rows.tax, rows.service)
    assert f["net_sales"] == rows.total - rows.tax - rows.service
    assert sum(t["amount"] for t in f["taxes"]) == rows.tax
    assert sum(p["amount"] for p in f["payments"]) == rows.total  # no refund while open here
    assert sum(t["amount"] for t in f["tips"]) == rows.tips
    assert f["refunded"] == rows.refunded
    assert f["books"]["agree"], f["books"]
