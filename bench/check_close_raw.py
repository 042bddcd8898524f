"""The raw-asyncpg side of ``bench.check_close``: the same close as the app's cash payment,
as prepared statements in one transaction (the floor every ORM and web framework stands on).

Claim the idempotency key, lock the check, refuse unsent/held lines or a card charge still
waiting, read the lines and the money taken, total them with ``app.core.check_math``, hold the
open drawer ``FOR KEY SHARE``, insert the payment, close the check with its totals frozen,
queue the drawer pulse and a receipt of about the app's size, write the audit row and store the
idempotency answer; then post the close's journal entry as the app does
(``bench/check_close_ledger.py``).
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
import uuid
from dataclasses import dataclass

import asyncpg

from app.core.check_math import CheckTotals, PricedLine, check_totals
from bench.check_close_ledger import close_legs, post_raw_close

SERVER = (1, "1111")  # Maria
TENDERED = 1_000_00  # a $1,000 note: always enough, so every close gives change


@dataclass
class Result:
    closes: int
    seconds: float
    latencies_ms: list[float]

    @property
    def per_second(self) -> float:
        return self.closes / self.seconds if self.seconds else 0.0

    def pct(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


# --------------------------------------------------------------------------- raw asyncpg

LOCK = (
    "SELECT id, number, version, status, table_id, guest_count, service_charge_ppm "
    "FROM guest_check WHERE id = $1 FOR UPDATE"
)
#: Unsent or held lines, and a card charge still waiting for its answer, refuse the payment.
WAITING = (
    "SELECT count(*) FILTER (WHERE status = 'new'), count(*) FILTER (WHERE status = 'held'), "
    "(SELECT count(*) FROM payment_attempt WHERE check_id = $1 "
    "AND status IN ('pending', 'timed_out')) FROM check_line WHERE check_id = $1"
)
LINES = (
    "SELECT name, quantity, unit_price, tax_rate_ppm, comped_at IS NOT NULL AS comped, "
    "category_id FROM check_line WHERE check_id = $1 AND status <> 'void' ORDER BY id"
)
PAID = (
    "SELECT coalesce(sum(amount), 0)::bigint - (SELECT coalesce(sum(amount), 0)::bigint "
    "FROM refund WHERE check_id = $1) FROM payment WHERE check_id = $1"
)
#: Held FOR KEY SHARE like the app: a manager closing the drawer waits for the payment.
DRAWER = (
    "SELECT id, drawer FROM drawer_session WHERE location_id = $1 AND closed_at IS NULL "
    "ORDER BY opened_at, id LIMIT 1 FOR KEY SHARE"
)
PRINTER = (
    "SELECT p.id, p.columns, l.name, now() FROM printer p JOIN location l ON l.id = p.location_id "
    "WHERE p.location_id = $1 AND p.prints_receipts ORDER BY p.id LIMIT 1"
)
CLAIM = (
    "INSERT INTO idempotency_key (key, fingerprint) VALUES ($1, $2) "
    "ON CONFLICT (key) DO NOTHING RETURNING id"
)
PAY = (
    "INSERT INTO payment (check_id, method, amount, tendered, change, tip, taken_by, "
    "server_id, drawer_session_id) VALUES ($1, 'cash', $2, $3, $4, 0, $5, $5, $6) RETURNING id"
)
CLOSE = (
    "UPDATE guest_check SET status = 'closed', closed_at = now(), version = version + 1, "
    "subtotal = $2, comps = $3, discounts = $4, service_charge = $5, tax = $6, total = $7 "
    "WHERE id = $1"
)
#: The drawer pulse, then the receipt, on the receipt printer: in the payment's transaction.
PRINT = (
    "INSERT INTO print_job (printer_id, kind, payload, status, attempts) "
    "VALUES ($1, 'kick', $2, 'queued', 0), ($1, 'receipt', $3, 'queued', 0)"
)
AUDIT = (
    "INSERT INTO audit_log (action, subject, actor_id, detail) "
    "VALUES ('close_check', $1, $2, $3::jsonb)"
)
REMEMBER = "UPDATE idempotency_key SET result = $2::jsonb WHERE key = $1"
KICK = b"\x1bp\x00\x19\xfa"  # ESC p: pulse pin 2


def raw_receipt(
    check: asyncpg.Record,
    lines: list[asyncpg.Record],
    totals: CheckTotals,
    paid: int,
    change: int,
    printer: asyncpg.Record,
) -> bytes:
    """A receipt as a hand-written raw path would print it: about as many bytes as the app's."""
    width = printer["columns"]

    def pair(left: str, right: str) -> str:
        return left + right.rjust(width - len(left)) + "\n"

    def money(minor: int) -> str:
        return f"${minor // 100:,}.{minor % 100:02d}"

    text = [
        "\x1b!\x30" + printer["name"].center(width // 2) + "\x1b!\x00\n",
        "RECEIPT".center(width) + "\n",
        pair("Table Counter", f"Check #{check['number']}"),
        pair("Server: Maria", f"Guests: {check['guest_count']}"),
        printer["now"].strftime("%Y-%m-%d %H:%M") + "\n",
        "-" * width + "\n",
    ]
    for line in lines:
        price = "COMP" if line["comped"] else money(line["quantity"] * line["unit_price"])
        text.append(pair(f"{line['quantity']} {line['name']}", price))
    text += [
        "-" * width + "\n",
        pair("Subtotal", money(totals.subtotal)),
        pair("Tax", money(totals.tax)),
        "\x1b!\x30" + pair("TOTAL", money(totals.total)) + "\x1b!\x00",
        "-" * width + "\n",
        pair("Cash", money(paid)),
        pair("Tendered", money(TENDERED)),
        pair("Change", money(change)),
        "PAID".center(width) + "\n\n\n\x1dV\x00",
    ]
    return "".join(text).encode("cp437", "replace")


async def raw_close(conn: asyncpg.Connection, check_id: int, location: int) -> None:
    key = uuid.uuid4().hex
    async with conn.transaction():
        await conn.fetchval(CLAIM, key, secrets.token_hex(16))
        check = await conn.fetchrow(LOCK, check_id)
        if check is None or check["status"] != "open" or check["version"] != 1:
            raise RuntimeError(f"check {check_id} is not open at version 1")
        new, held, card_waiting = await conn.fetchrow(WAITING, check_id)
        if new or held or card_waiting:
            raise RuntimeError("unsent lines or a card charge waiting")
        lines = await conn.fetch(LINES, check_id)
        totals = check_totals(
            [
                PricedLine(r["quantity"], r["unit_price"], r["tax_rate_ppm"], r["comped"])
                for r in lines
            ],
            service_charge_ppm=check["service_charge_ppm"],
            prices_include_tax=False,
        )
        balance = totals.total - await conn.fetchval(PAID, check_id)
        drawer = await conn.fetchrow(DRAWER, location)
        change = TENDERED - balance
        await conn.fetchval(PAY, check_id, balance, TENDERED, change, SERVER[0], drawer["id"])
        await conn.execute(
            CLOSE,
            check_id,
            totals.subtotal,
            totals.comps,
            totals.discounts,
            totals.service_charge,
            totals.tax,
            totals.total,
        )
        printer = await conn.fetchrow(PRINTER, location)
        if printer is not None:
            receipt = raw_receipt(check, lines, totals, balance, change, printer)
            await conn.execute(PRINT, printer["id"], KICK, receipt)
        detail = {"method": "cash", "amount": balance, "change": change, "tip": 0}
        await conn.execute(AUDIT, f"check:{check_id}", SERVER[0], json.dumps(detail))
        result = {"applied": balance, "change": change, "closed": True, "tip": 0}
        await conn.execute(REMEMBER, key, json.dumps(result))
        legs = close_legs(
            [r["category_id"] for r in lines],
            [r["tax_rate_ppm"] for r in lines],
            totals,
            drawer["drawer"],
        )
        await post_raw_close(conn, location, check, legs, totals, SERVER[0])


async def raw_closes(dsn: str, checks: list[int], clients: int, seconds: float) -> Result:
    pool = await asyncpg.create_pool(dsn, min_size=clients, max_size=clients)
    assert pool is not None
    location = await pool.fetchval("SELECT min(id) FROM location")
    queue = list(reversed(checks))
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        async with pool.acquire() as conn:
            while queue and time.perf_counter() < deadline:
                check_id = queue.pop()
                started = time.perf_counter()
                await raw_close(conn, check_id, location)
                latencies.append((time.perf_counter() - started) * 1000)

    try:
        began = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(clients)))
        elapsed = time.perf_counter() - began
    finally:
        await pool.close()
    return Result(len(latencies), elapsed, latencies)
