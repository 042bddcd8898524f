"""Check closes: the full app over HTTP against raw asyncpg doing the same writes.

A close is the cash payment that settles a check: the check is locked, its lines are read and
totalled, the payment is written, the check is closed with its totals frozen, the drawer
pulse and the receipt are queued on the receipt printer (two ``print_job`` rows), an audit row
and the idempotency answer are stored, all in one transaction. Before each phase, enough
checks ready to pay (three fired lines each, no table) are inserted with plain SQL; that set-up
is not timed.

Two ways of doing the same closes, in the same run, on the same database server:

- **app**: C clients POST ``/api/v1/checks/{id}/payments/cash`` (JSON API, bearer token,
  idempotency key) to Brigade served by granian, each on a kept-alive connection of the lean
  load client in ``bench/http_load.py`` (httpx would cost the shared CPUs about 1 ms a request);
- **raw**: C asyncpg connections run the same reads and writes as prepared statements in one
  transaction per close (the floor every ORM and web framework stands on).

It prints closes per second and latency p50/p99 for each, and the ratio app/raw, at each
concurrency (1, 8 and 32 by default).

    .venv/bin/python -m bench.check_close --duration 10
    .venv/bin/python -m bench.check_close --duration 10 --workers 2 \\
        --channels redis://127.0.0.1:6379/0
    .venv/bin/python -m bench.check_close --duration 10 --hot   # one ingredient in every close

The database is a fresh copy of the demo restaurant on ``BRIGADE_TEST_DATABASE_URL`` if set,
else on an embedded PostgreSQL under ``var/test-pgdata`` (see tests/pg.py).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402
import httpx  # noqa: E402

from bench.check_close_raw import SERVER, TENDERED, Result, raw_closes  # noqa: E402
from bench.http_load import Connection  # noqa: E402
from bench.kds_fanout import DEMO_API_KEY, free_port, start_server, stop_server  # noqa: E402

ITEMS = ("Fish & Chips", "Caesar Salad", "House Red (glass)")


# --------------------------------------------------------------------------- database


async def prepare_database() -> str:
    from tests import pg

    server = pg.server_url()
    await asyncio.to_thread(pg.build_template, server)
    name = await pg.fresh_database(server)
    return pg.with_database(server, name)


def asyncpg_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def make_checks(dsn: str, count: int) -> list[int]:
    """``count`` open checks, three fired lines each, inserted in one statement per table."""
    conn = await asyncpg.connect(dsn)
    try:
        location = await conn.fetchval("SELECT min(id) FROM location")
        items = await conn.fetch(
            "SELECT i.id, i.category_id, i.name, i.price, t.rate_ppm, c.course "
            "FROM menu_item i JOIN tax_rate t ON t.id = i.tax_rate_id "
            "JOIN menu_category c ON c.id = i.category_id WHERE i.name = ANY($1::text[])",
            list(ITEMS),
        )
        if len(items) != len(ITEMS):
            raise RuntimeError(f"demo menu lacks one of {ITEMS}")
        ids = await conn.fetch(
            "INSERT INTO guest_check (location_id, server_id, guest_count, status, version, "
            "subtotal, tax, total) SELECT $1, $2, 2, 'open', 1, 0, 0, 0 "
            "FROM generate_series(1, $3) RETURNING id",
            location,
            SERVER[0],
            count,
        )
        check_ids = [row["id"] for row in ids]
        for item in items:
            await conn.execute(
                "INSERT INTO check_line (check_id, menu_item_id, category_id, name, quantity, "
                "unit_price, tax_rate_ppm, modifiers, note, course, status, added_by, fired_at) "
                "SELECT c, $2, $3, $4, 1, $5, $6, '', '', $7, 'fired', $8, now() "
                "FROM unnest($1::bigint[]) AS c",
                check_ids,
                item["id"],
                item["category_id"],
                item["name"],
                item["price"],
                item["rate_ppm"],
                item["course"],
                SERVER[0],
            )
        return check_ids
    finally:
        await conn.close()


# --------------------------------------------------------------------------- the app


async def app_closes(
    base: str, token: str, checks: list[int], clients: int, seconds: float
) -> Result:
    """C clients, each on its own kept-alive connection, closing checks until time is up."""
    queue = list(reversed(checks))
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    auth = f"Bearer {token}"

    async def client() -> None:
        async with Connection(base) as http:
            while queue and time.perf_counter() < deadline:
                check_id = queue.pop()
                started = time.perf_counter()
                answer = await http.post_json(
                    f"/api/v1/checks/{check_id}/payments/cash",
                    {"tendered": TENDERED, "version": 1},
                    {"Authorization": auth, "Idempotency-Key": uuid.uuid4().hex},
                )
                if answer.status != 201 or not answer.json().get("closed"):
                    raise RuntimeError(f"close of check {check_id} failed: {answer.body[:300]!r}")
                latencies.append((time.perf_counter() - started) * 1000)

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.perf_counter() - began
    return Result(len(latencies), elapsed, latencies)


# --------------------------------------------------------------------------- the run


def brigade(database_url: str, workers: int, channels: str) -> tuple[object, str]:
    port = free_port()
    exe = Path(sys.executable).with_name("brigade")
    env = {
        **os.environ,
        "BRIGADE_DATABASE_URL": database_url,
        "BRIGADE_WORKERS": str(workers),
        "BRIGADE_CHANNELS": channels,
        "BRIGADE_SECRET_KEY": secrets.token_urlsafe(32),
        "BRIGADE_PRINT_WORKER": "0",
    }
    argv = [str(exe), "serve", "--host", "127.0.0.1", "--port", str(port)]
    server = start_server("brigade", argv, env, port)
    return server, server.url


#: --hot: every item sold also takes a little of one shared ingredient.
HOT_INGREDIENT = "Olive oil"


async def share_one_ingredient(dsn: str) -> None:
    """Every benchmark item's recipe also uses 5 ml of olive oil: each close writes a move of
    the same ingredient (the hot row that collapsed to 8 closes/s when stock was a column)."""
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(
            "INSERT INTO recipe_line (item_id, ingredient_id, quantity) "
            "SELECT i.id, g.id, 5 FROM menu_item i, ingredient g "
            "WHERE i.name = ANY($1::text[]) AND g.name = $2 ON CONFLICT DO NOTHING",
            list(ITEMS),
            HOT_INGREDIENT,
        )
    finally:
        await conn.close()


async def main(args: argparse.Namespace) -> None:
    url = await prepare_database()
    dsn = asyncpg_dsn(url)
    if args.hot:
        await share_one_ingredient(dsn)
    # Generous: the fastest path here is a few thousand closes a second.
    per_phase = int(args.duration * 4000) + 1000
    server, base = brigade(url, args.workers, args.channels)
    try:
        async with httpx.AsyncClient() as http:
            answer = await http.post(
                f"{base}/api/v1/sessions",
                json={"staff_id": SERVER[0], "pin": SERVER[1]},
                headers={"X-API-Key": DEMO_API_KEY},
            )
            answer.raise_for_status()
            token = answer.json()["token"]
        rows = []
        for clients in args.clients:
            # Warm both paths (connections, prepared statements) before timing.
            await app_closes(base, token, await make_checks(dsn, 50), clients, 1.0)
            await raw_closes(dsn, await make_checks(dsn, 50), clients, 0.5)
            app = await app_closes(
                base, token, await make_checks(dsn, per_phase), clients, args.duration
            )
            raw = await raw_closes(dsn, await make_checks(dsn, per_phase), clients, args.duration)
            rows.append((clients, app, raw))
            print(
                f"clients={clients:>3}  app {app.per_second:7.1f}/s p50 {app.pct(0.5):6.1f} ms "
                f"p99 {app.pct(0.99):6.1f} ms | raw {raw.per_second:7.1f}/s "
                f"p50 {raw.pct(0.5):6.1f} ms p99 {raw.pct(0.99):6.1f} ms | "
                f"app/raw {app.per_second / raw.per_second:4.2f}",
                flush=True,
            )
    finally:
        stop_server(server)  # type: ignore[arg-type]
    print()
    print(
        "| clients | app closes/s | app p50 / p99 ms "
        "| raw asyncpg closes/s | raw p50 / p99 ms | app/raw |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for clients, app, raw in rows:
        print(
            f"| {clients} | {app.per_second:.0f} | {app.pct(0.5):.1f} / {app.pct(0.99):.1f} | "
            f"{raw.per_second:.0f} | {raw.pct(0.5):.1f} / {raw.pct(0.99):.1f} | "
            f"{app.per_second / raw.per_second:.2f} |"
        )
    print(
        f"\n{os.cpu_count()} CPUs; granian workers: {args.workers} (channels {args.channels}); "
        f"{args.duration:.0f} s a phase"
        + (f"; every close depletes {HOT_INGREDIENT} (--hot)" if args.hot else "")
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per phase")
    parser.add_argument("--workers", type=int, default=1, help="granian workers for the app")
    parser.add_argument(
        "--channels",
        default="memory",
        help="BRIGADE_CHANNELS for the app (redis://... is needed with --workers > 1)",
    )
    parser.add_argument(
        "--hot", action="store_true", help="every close also depletes one shared ingredient"
    )
    parsed = parser.parse_args()
    if parsed.workers > 1 and not parsed.channels.startswith("redis"):
        parser.error("--workers > 1 needs --channels redis://127.0.0.1:6379/0")
    asyncio.run(main(parsed))
