"""How long ``brigade verify-ledger`` takes on a big ledger.

A fresh copy of the demo restaurant gets N journal entries (half of them check closes, with
their closed checks, whose fingerprints the verifier recomputes; half cash moves), two lines
each, chained with the gateway's formula, plus a Z per 1,000 entries; then ``verify_chain``
is timed, and once more after one line in the middle is edited (it must name that link).
The set-up writes past the triggers (``session_replication_role = replica``): it is not
timed, and what is measured is the verifier reading what the gateway would have written.

    .venv/bin/python -m bench.verify_ledger --entries 100000

The database is on ``BRIGADE_TEST_DATABASE_URL`` if set, else the embedded PostgreSQL of the
tests (``BRIGADE_TEST_PGDATA``, default var/test-pgdata; see tests/pg.py).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import time
from datetime import date, timedelta

import asyncpg

from app.accounting.chain import verify_chain
from app.accounting.entries import check_fingerprint
from app.accounting.z_chain import GENESIS, z_content, z_hash
from app.platform.db import make_engine, make_sessionmaker
from tests import pg

PER_Z = 1000
CHECK_COLUMNS = ("id", "location_id", "server_id", "guest_count", "status", "version", "subtotal")
CHECK_COLUMNS += ("tax", "total")
Z_COLUMNS = ("id", "location_id", "business_day", "z_number", "grand_total", "report")
Z_COLUMNS += ("closed_by",)
DAY = date(2026, 1, 1)


async def fill(dsn: str, entries: int) -> int:
    """Write the ledger; returns the entry in its middle (the one the second run edits)."""
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("SET session_replication_role = replica")
        account = "SELECT id FROM account WHERE location_id = 1 AND code = $1"
        cash, sales = [await conn.fetchval(account, code) for code in ("1000", "4000")]
        base = await conn.fetchval("SELECT coalesce(max(id), 0) + 1000 FROM journal_entry")
        rows, lines, checks = [], [], []
        for n in range(entries):
            entry_id, amount = base + n, 100 + n % 5000
            close = n % 2 == 0
            source = f"check:{base + n}" if close else f"movement:{n}"
            day = DAY + timedelta(days=n // PER_Z)
            rows.append((entry_id, 1, day, "close" if close else "cash_in", source, ""))
            lines += [(entry_id, cash, amount), (entry_id, sales, -amount)]
            if close:
                checks.append((base + n, 1, 1, 2, "closed", 1, amount, 0, amount))
        await conn.copy_records_to_table(
            "guest_check",
            records=checks,
            columns=CHECK_COLUMNS,
        )
        await conn.copy_records_to_table(
            "journal_entry",
            records=rows,
            columns=["id", "location_id", "business_day", "kind", "source", "memo"],
        )
        await conn.copy_records_to_table(
            "journal_line", records=lines, columns=["entry_id", "account_id", "amount"]
        )
        numbers = {
            r["id"]: r["number"]
            for r in await conn.fetch("SELECT id, number FROM guest_check WHERE id >= $1", base)
        }
        prev = await conn.fetchval(
            "SELECT hash FROM ledger_chain WHERE location_id = 1 ORDER BY seq DESC LIMIT 1"
        )
        prev = prev or GENESIS
        links, zs = [], []
        for n, (entry_id, _, day, kind, _, _) in enumerate(rows):
            a, b = sorted(((cash, lines[2 * n][2]), (sales, lines[2 * n + 1][2])))
            legs = f"{a[0]}:{a[1]},{b[0]}:{b[1]}"
            amount = lines[2 * n][2]
            fingerprint = (
                check_fingerprint(entry_id, numbers[entry_id], amount, 0, 0, 0, 0, amount)
                if kind == "close"
                else ""
            )
            content = "|".join((prev, kind, str(entry_id), day.isoformat(), legs, fingerprint))
            digest = hashlib.sha256(content.encode()).hexdigest()
            links.append((1, "entry", entry_id, prev, digest))
            prev = digest
            if (n + 1) % PER_Z == 0:
                z_id, report = n // PER_Z + 1000, {"entries": PER_Z, "day": day.isoformat()}
                zs.append((z_id, 1, day, z_id, n, json.dumps(report), 1))
                digest = z_hash(prev, z_content(z_id, day, z_id, n, report))
                links.append((1, "z", z_id, prev, digest))
                prev = digest
        await conn.copy_records_to_table(
            "day_close",
            records=zs,
            columns=Z_COLUMNS,
        )
        await conn.copy_records_to_table(
            "ledger_chain",
            records=links,
            columns=["location_id", "kind", "ref_id", "prev_hash", "hash"],
        )
        await conn.execute("ANALYZE")
        return int(rows[entries // 2][0])
    finally:
        await conn.close()


async def edit(dsn: str, entry_id: int) -> int:
    """A cent moved between the entry's two lines (it still balances); its link's seq."""
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("SET session_replication_role = replica")
        for sign, side in ((1, ">"), (-1, "<")):
            await conn.execute(
                f"UPDATE journal_line SET amount = amount + $2 WHERE entry_id = $1 "
                f"AND amount {side} 0",
                entry_id,
                sign,
            )
        seq: int = await conn.fetchval(
            "SELECT seq FROM ledger_chain WHERE kind = 'entry' AND ref_id = $1", entry_id
        )
        return seq
    finally:
        await conn.close()


async def timed(url: str) -> tuple[float, str]:
    engine = make_engine(url, pool="null")
    try:
        async with make_sessionmaker(engine)() as session:
            started = time.perf_counter()
            result = await verify_chain(session, 1)
            return time.perf_counter() - started, result.sentence()
    finally:
        await engine.dispose()


async def main(entries: int) -> None:
    server = pg.server_url()
    await asyncio.to_thread(pg.build_template, server)
    name = await pg.fresh_database(server)
    url = pg.with_database(server, name)
    try:
        started = time.perf_counter()
        middle = await fill(pg.raw(url), entries)
        print(f"{entries} entries written in {time.perf_counter() - started:.1f} s (not timed)")
        for run in ("intact", "intact again"):
            seconds, sentence = await timed(url)
            print(f"{run}: {seconds:.2f} s ({entries / seconds:,.0f} links/s): {sentence}")
            assert "intact" in sentence, sentence
        edited = await edit(pg.raw(url), middle)
        seconds, sentence = await timed(url)
        print(f"edited: {seconds:.2f} s: {sentence}")
        assert f"at link {edited}," in sentence, sentence
    finally:
        await pg.drop_database(server, name)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    asyncio.run(main(parser.parse_args().entries))
