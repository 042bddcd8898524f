"""Where a check close spends its Python time: the app in-process, no network, profiled.

The same cash close as ``bench.check_close`` (JSON API, bearer token, idempotency key, a
drawer pulse and a receipt queued), sent through Litestar's test client so that only the
app's own work is measured: routing, middleware, the unit of work, SQLAlchemy, the receipt.
Prints the mean milliseconds a close costs without the profiler, then the top of the
profile, and how many statements one close sends to PostgreSQL.

    .venv/bin/python -m bench.check_close_profile --closes 300
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from sqlalchemy import event  # noqa: E402

from app.main import create_app  # noqa: E402
from app.platform.settings import Settings  # noqa: E402
from bench.check_close import asyncpg_dsn, make_checks, prepare_database  # noqa: E402
from bench.check_close_raw import SERVER, TENDERED  # noqa: E402
from bench.kds_fanout import DEMO_API_KEY  # noqa: E402


async def closes(client: httpx.AsyncClient, token: str, checks: list[int]) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    for check_id in checks:
        answer = await client.post(
            f"/api/v1/checks/{check_id}/payments/cash",
            json={"tendered": TENDERED, "version": 1},
            headers={**headers, "Idempotency-Key": uuid.uuid4().hex},
        )
        if answer.status_code != 201 or not answer.json().get("closed"):
            raise RuntimeError(f"close of check {check_id} failed: {answer.text[:300]}")


async def main(args: argparse.Namespace) -> None:
    url = await prepare_database()
    dsn = asyncpg_dsn(url)
    app = create_app(Settings(database_url=url, print_worker=False))
    statements = 0

    def count(*_: object) -> None:
        nonlocal statements
        statements += 1

    # In this event loop (not the test client's portal thread), so the profiler sees the app.
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with (
        app.lifespan(),
        httpx.AsyncClient(transport=transport, base_url="http://b") as client,
    ):
        event.listen(app.state.engine.sync_engine, "before_cursor_execute", count)
        answer = await client.post(
            "/api/v1/sessions",
            json={"staff_id": SERVER[0], "pin": SERVER[1]},
            headers={"X-API-Key": DEMO_API_KEY},
        )
        token = answer.json()["token"]
        await closes(client, token, await make_checks(dsn, 50))  # warm caches and the pool
        statements = 0
        await closes(client, token, await make_checks(dsn, 1))
        per_close = statements

        timed = await make_checks(dsn, args.closes)
        began = time.perf_counter()
        await closes(client, token, timed)
        plain_ms = (time.perf_counter() - began) * 1000 / args.closes

        profiled = await make_checks(dsn, args.closes)
        profile = cProfile.Profile()
        profile.enable()
        await closes(client, token, profiled)
        profile.disable()
    print(
        f"{per_close} statements a close; {plain_ms:.2f} ms a close (in-process ASGI, 1 at a time)"
    )
    if args.dump:
        profile.dump_stats(args.dump)
    stats = pstats.Stats(profile).sort_stats(args.sort)
    stats.print_stats(args.top)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--closes", type=int, default=300)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--dump", help="also write the profile here (for pstats)")
    asyncio.run(main(parser.parse_args()))
