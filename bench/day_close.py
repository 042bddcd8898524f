"""The day close: 10,000 closed checks in one business day, and the time to close it.

Set-up (not timed): a fresh copy of the demo restaurant, then N closed checks (three fired
lines each, half paid in cash into the Main drawer, half by card) with their payments and
their balanced close entries in the journal, dated into the open business day, inserted in
one statement per table. The seeded entries carry no links of the hash chain: the close
reads only the last link, so this costs the timing nothing.

Timed: the X report (the day's figures alone), then the day close as a manager's request
runs it (``app.accounting.day_close.close_day`` in one unit of work: chain lock, open checks
and drawers, figures, the Z row, audit, outbox, the Z's link of the chain, the Z paper
rendered and queued on the receipt printer, commit).

    .venv/bin/python -m bench.day_close --checks 10000
    .venv/bin/python -m bench.day_close --checks 10000 --history 300000   # after a year

The database is a fresh copy of the demo restaurant on ``BRIGADE_TEST_DATABASE_URL`` if set,
else on an embedded PostgreSQL under ``var/test-pgdata`` (``BRIGADE_TEST_PGDATA``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402

from app.accounting.posting import BUSINESS_DAY_SQL  # noqa: E402
from bench.check_close import ITEMS, asyncpg_dsn, prepare_database  # noqa: E402

#: The aim of issue 12: a day of 10,000 checks closes in under 10 seconds.
AIM_S = 10.0
MANAGER = 6  # Mia, the demo's manager
SERVER = 1  # Maria

_ACCOUNT = """
    SELECT coalesce(
        (SELECT account_id FROM account_purpose WHERE location_id = $1 AND purpose = $2),
        (SELECT account_id FROM account_purpose WHERE location_id = $1 AND purpose = $3))
"""


async def seed_history(dsn: str, count: int) -> None:
    """``count`` checks of a day long closed (with its entries, and a Z), paid into a drawer
    counted out then: the rows a year of service leaves behind for every query to skip."""
    conn = await asyncpg.connect(dsn)
    try:
        loc = await conn.fetchval("SELECT min(id) FROM location")
        drawer = await conn.fetchval(
            "INSERT INTO drawer_session (location_id, drawer, opening_float, opened_by, "
            "opened_at, closed_by, closed_at, expected, counted) VALUES ($1, 'Main', 0, $2, "
            "now() - interval '1 year', $2, now() - interval '1 year', 0, 0) RETURNING id",
            loc,
            MANAGER,
        )
        today = await conn.fetchval(BUSINESS_DAY_SQL.replace(":location_id", "$1"), loc)
    finally:
        await conn.close()
    long_ago = today - timedelta(days=365)
    await seed(dsn, count, day=long_ago, drawer=drawer)
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(
            "INSERT INTO day_close (location_id, business_day, z_number, grand_total, report, "
            "closed_by) VALUES ($1, $2, 1, 0, '{}', $3)",
            loc,
            long_ago,
            MANAGER,
        )
    finally:
        await conn.close()


async def seed(dsn: str, count: int, day: date | None = None, drawer: int | None = None) -> int:
    """``count`` closed checks posted into ``day`` (the open business day by default), cash
    into ``drawer`` (the open one by default); returns the location."""
    conn = await asyncpg.connect(dsn)
    try:
        loc = await conn.fetchval("SELECT min(id) FROM location")
        items = await conn.fetch(
            "SELECT i.id, i.category_id, i.name, i.price, t.rate_ppm, c.course "
            "FROM menu_item i JOIN tax_rate t ON t.id = i.tax_rate_id "
            "JOIN menu_category c ON c.id = i.category_id WHERE i.name = ANY($1::text[])",
            list(ITEMS),
        )
        # Tax added on top, rounded half up per line (the demo's US-style setting).
        taxes = [(i["price"] * i["rate_ppm"] + 500_000) // 1_000_000 for i in items]
        subtotal = sum(i["price"] for i in items)
        total = subtotal + sum(taxes)
        drawer = drawer or await conn.fetchval(
            "SELECT id FROM drawer_session WHERE location_id = $1 AND closed_at IS NULL", loc
        )
        ids = [
            r["id"]
            for r in await conn.fetch(
                "INSERT INTO guest_check (location_id, server_id, guest_count, status, version, "
                "closed_at, subtotal, tax, total, prices_include_tax, tax_rounding) "
                "SELECT $1, $2, 1 + n % 4, 'closed', 5, now(), $3, $4, $5, false, 'line' "
                "FROM generate_series(1, $6) AS n RETURNING id",
                loc,
                SERVER,
                subtotal,
                total - subtotal,
                total,
                count,
            )
        ]
        for item in items:
            await conn.execute(
                "INSERT INTO check_line (check_id, menu_item_id, category_id, name, quantity, "
                "unit_price, tax_rate_ppm, modifiers, note, course, status, added_by, fired_at) "
                "SELECT c, $2, $3, $4, 1, $5, $6, '', '', $7, 'fired', $8, now() "
                "FROM unnest($1::bigint[]) AS c",
                ids,
                item["id"],
                item["category_id"],
                item["name"],
                item["price"],
                item["rate_ppm"],
                item["course"],
                SERVER,
            )
        await conn.execute(
            "INSERT INTO payment (check_id, method, amount, tendered, change, tip, taken_by, "
            "server_id, drawer_session_id, card_brand, card_last4) "
            "SELECT c, m, $2, $2, 0, CASE WHEN m = 'card' THEN $3 ELSE 0 END, $4, $4, $5, "
            "CASE WHEN m = 'card' THEN 'Visa' END, CASE WHEN m = 'card' THEN '4242' END "
            "FROM unnest($1::bigint[]) AS c, "
            "LATERAL (SELECT CASE WHEN c % 2 = 0 THEN 'cash' ELSE 'card' END AS m) AS how",
            ids,
            total,
            300,
            SERVER,
            drawer,
        )
        # The close's legs, as app/accounting/entries.close_legs makes them for these lines.
        legs = []
        for item, tax in zip(items, taxes, strict=True):
            sales = await conn.fetchval(
                _ACCOUNT, loc, f"sales:category:{item['category_id']}", "sales"
            )
            legs.append((sales, -item["price"]))
            legs.append(
                (await conn.fetchval(_ACCOUNT, loc, f"tax:rate:{item['rate_ppm']}", "tax"), -tax)
            )
        cash = await conn.fetchval(_ACCOUNT, loc, "cash:drawer:Main", "cash")
        card = await conn.fetchval(_ACCOUNT, loc, "card:terminal:simulated", "card")
        tips = await conn.fetchval(_ACCOUNT, loc, "tips_payable", "tips_payable")
        # Dated as the posting gateway dates (the same rule, the same SQL).
        day = day or await conn.fetchval(BUSINESS_DAY_SQL.replace(":location_id", "$1"), loc)
        # One transaction: an entry commits with its lines (a deferred trigger checks).
        async with conn.transaction():
            await conn.execute(
                "INSERT INTO journal_entry (location_id, business_day, kind, source, memo, "
                "posted_by) SELECT $1, $2, 'close', 'check:' || c, 'Check', $3 "
                "FROM unnest($4::bigint[]) AS c",
                loc,
                day,
                SERVER,
                ids,
            )
            await conn.execute(
                "INSERT INTO journal_line (entry_id, account_id, amount) "
                "SELECT e.id, leg.account_id, leg.amount FROM journal_entry e "
                "CROSS JOIN LATERAL (SELECT CAST(split_part(e.source, ':', 2) AS bigint) % 2 = 0 "
                "  AS cash) AS how "
                "CROSS JOIN LATERAL (SELECT * FROM unnest($2::bigint[], $3::bigint[]) "
                "  AS l(account_id, amount) "
                "  UNION ALL SELECT CASE WHEN how.cash THEN $4::bigint ELSE $5::bigint END, "
                "    CASE WHEN how.cash THEN $7::bigint ELSE $7::bigint + $8::bigint END "
                "  UNION ALL SELECT $6::bigint, -$8::bigint WHERE NOT how.cash) AS leg "
                "WHERE e.location_id = $1 AND e.kind = 'close' AND e.business_day = $9",
                loc,
                [a for a, _ in legs],
                [m for _, m in legs],
                cash,
                card,
                tips,
                total,
                300,
                day,
            )
        await conn.execute("ANALYZE")
        return int(loc)
    finally:
        await conn.close()


async def timed(url: str, loc: int) -> tuple[float, float, dict[str, object], int]:
    from app.accounting.day_close import close_day, day_state
    from app.accounting.figures import day_figures
    from app.main import wire_back_office
    from app.platform.db import UnitOfWork, make_engine, make_sessionmaker
    from app.platform.receipts import ReceiptBus
    from printers.receipts import receipt_jobs

    engine = make_engine(url, pool="null")
    maker = make_sessionmaker(engine)
    receipts = ReceiptBus()
    receipts.subscribe(receipt_jobs)
    try:
        async with maker() as session:
            uow = UnitOfWork(session, back_office=wire_back_office())
            started = time.perf_counter()
            state = await day_state(uow, loc)
            figures = await day_figures(session, loc, state.day)
            x_seconds = time.perf_counter() - started
            await session.rollback()
        async with maker() as session:
            uow = UnitOfWork(session, back_office=wire_back_office())
            started = time.perf_counter()
            closed = await close_day(
                uow, loc, state.day, MANAGER, leave_drawers_open=True, receipts=receipts
            )
            await uow.commit()
            z_seconds = time.perf_counter() - started
        return x_seconds, z_seconds, figures, closed.z_number
    finally:
        await engine.dispose()


async def main(args: argparse.Namespace) -> None:
    url = await prepare_database()
    try:
        await run(url, args)
    finally:  # a copy of a year of service is big: it goes when the run does
        from tests import pg

        name = url.partition("?")[0].rsplit("/", 1)[1]
        await pg.drop_database(pg.server_url(), name)


async def run(url: str, args: argparse.Namespace) -> None:
    started = time.perf_counter()
    if args.history:
        await seed_history(asyncpg_dsn(url), args.history)
    loc = await seed(asyncpg_dsn(url), args.checks)
    seeded = time.perf_counter() - started
    x_seconds, z_seconds, figures, z_number = await timed(url, loc)
    assert figures["checks"] == args.checks, figures["checks"]
    books = figures["books"]
    print(
        f"seeded {args.checks} closed checks (and {args.history} of earlier days) in "
        f"{seeded:.1f} s (not timed)"
    )
    print(f"X report (figures of the open day): {x_seconds:.2f} s")
    print(
        f"day close (Z #{z_number}, {args.checks} checks): {z_seconds:.2f} s "
        f"= {z_seconds / AIM_S:.3f} of the {AIM_S:.0f} s aim "
        f"({AIM_S / z_seconds:.0f}x under it); books agree: {books['agree']}"  # type: ignore[index]
    )
    print(f"{os.cpu_count()} CPUs")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checks", type=int, default=10_000)
    parser.add_argument(
        "--history", type=int, default=0, help="closed checks of earlier days (a year: 300000)"
    )
    asyncio.run(main(parser.parse_args()))
