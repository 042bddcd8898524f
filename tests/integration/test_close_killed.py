"""ORD-3 and LED-2 with the chain: the server killed (SIGKILL) again and again while tablets
close checks in cash leaves the books whole.

The real server (``brigade serve``) runs as a subprocess; eight tablets close CHECKS checks
over the API, each close sent once with its Idempotency-Key; the server is killed and
restarted KILLS times meanwhile, so closes are cut at every stage (before the lock, inside
the transaction, between the commit and the answer). Then every close not acknowledged is
retried with its same key, as a tablet would. After all that: every check is closed, each
has exactly one close entry (an answered retry of a committed close was the first answer,
not a second close), every entry balances and the hash chain verifies: no entry lost its
link, none was chained twice, and none was chained out of order.
"""

from __future__ import annotations

import asyncio
import queue
import random
import threading
import time
import uuid
from typing import Any

import httpx
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounting.chain import verify_chain
from app.orders import service as orders
from app.orders.models import Check
from tests.conftest import STAFF_IDS
from tests.demo_ids import item_id
from tests.integration.test_card_payments import shown
from tests.integration.test_kds_replay import Server, query, server, token

__all__ = ["server"]  # the fixture: the real server on this test's database

CHECKS = 120
TABLETS = 8
KILLS = 3
#: Checks no tablet closes: they stay open, with no entry.
LEFT_OPEN = 5
MARIA = STAFF_IDS["Maria"]
#: What a copy takes of the template check and its lines (the rest have defaults).
CHECK_COLUMNS = "location_id, server_id, guest_count, status, version, subtotal, tax, total"
LINE_COLUMNS = (
    "menu_item_id, category_id, name, quantity, unit_price, tax_rate_ppm, modifiers, note, "
    "seat, course, status, added_by, fired_at"
)


async def open_checks(
    uow_factory: Any, session: AsyncSession, count: int
) -> dict[int, tuple[int, int]]:
    """``count`` counter checks with a Burrata and an IPA sent: {check: (version, balance)}.
    One is ordered as a tablet would; the rest are copies of it (the close is under test,
    not the ordering, and copying keeps the test quick)."""
    template = int(
        await session.scalar(
            insert(Check).values(location_id=1, server_id=MARIA, guest_count=2).returning(Check.id)
        )
        or 0
    )
    await session.commit()
    for name in ("Burrata", "IPA Draft"):
        item = await item_id(session, name)
        await uow_factory(orders.add_line, template, orders.NewLine(item), MARIA)
    await session.execute(
        text("UPDATE check_line SET status = 'fired', fired_at = now() WHERE check_id = :t"),
        {"t": template},
    )
    await session.commit()
    version, balance = await shown(session, template)
    copies = (
        (
            await session.execute(
                text(
                    f"INSERT INTO guest_check ({CHECK_COLUMNS}) SELECT {CHECK_COLUMNS} "
                    "FROM guest_check, generate_series(2, :count) WHERE id = :t RETURNING id"
                ),
                {"t": template, "count": count},
            )
        )
        .scalars()
        .all()
    )
    await session.execute(
        text(
            f"INSERT INTO check_line (check_id, {LINE_COLUMNS}) SELECT c.id, {LINE_COLUMNS} "
            "FROM check_line, unnest(CAST(:copies AS bigint[])) AS c(id) WHERE check_id = :t"
        ),
        {"copies": list(copies), "t": template},
    )
    await session.commit()
    made = {template: (version, balance)} | {int(c): (version, balance) for c in copies}
    assert (await shown(session, int(copies[-1]))) == (version, balance)
    return made


def close_all(server: Server, checks: dict[int, tuple[int, int]]) -> dict[str, int]:
    """Tablets close every check while the server is killed; then the unanswered closes are
    retried with their keys until each has an answer. Returns what happened, counted."""
    keys = {check: uuid.uuid4().hex for check in checks}
    answered: dict[int, int] = {}
    cut = 0
    lock = threading.Lock()
    bearer = {"Authorization": f"Bearer {token(server, 'Maria')}"}

    def close(check: int, timeout: float) -> int | None:
        """The close's answer; None if it was sent and the answer was cut. A refused
        connection (the server is restarting) sent nothing: it is tried again."""
        version, balance = checks[check]
        while True:
            try:
                answer = httpx.post(
                    f"{server.url}/api/v1/checks/{check}/payments/cash",
                    json={"tendered": balance, "version": version},
                    headers={**bearer, "Idempotency-Key": keys[check]},
                    timeout=timeout,
                )
            except httpx.ConnectError:
                time.sleep(0.05)
                continue
            except httpx.HTTPError:
                return None
            return answer.status_code if answer.status_code < 500 else None

    todo: queue.Queue[int] = queue.Queue()
    for check in checks:
        todo.put(check)

    def tablet() -> None:
        nonlocal cut
        while True:
            try:
                check = todo.get_nowait()
            except queue.Empty:
                return
            status = close(check, timeout=2)
            with lock:
                if status is None:
                    cut += 1  # sent once only: the kill decides whether it committed
                else:
                    answered[check] = status

    tablets = [threading.Thread(target=tablet) for _ in range(TABLETS)]
    for thread in tablets:
        thread.start()
    rng = random.Random(7)
    for _ in range(KILLS):
        time.sleep(rng.uniform(0.05, 0.4))
        server.kill()
        server.start()
    for thread in tablets:
        thread.join(timeout=60)
    first_round = dict(answered)
    unanswered = [check for check in checks if check not in answered]
    # Which of the cut closes had committed before the kill (their retry gets the first
    # answer back) and which had not (their retry closes them now).
    committed = query(
        server.db_url,
        f"SELECT count(*) AS n FROM guest_check WHERE status = 'closed' "
        f"AND id = ANY('{{{','.join(map(str, unanswered))}}}'::bigint[])",
    )[0]["n"]
    for check in checks:  # what a tablet does with a close that got no answer
        while check not in answered:
            status = close(check, timeout=5)
            if status is None:
                time.sleep(0.05)
            else:
                answered[check] = status
    assert all(status == 201 for status in answered.values()), {
        c: s for c, s in answered.items() if s != 201
    }
    assert len(unanswered) == cut
    return {"answered": len(first_round), "cut": cut, "cut_after_commit": committed}


async def test_closes_cut_by_kills_post_once_each_and_the_chain_verifies(
    server: Server, uow_factory: Any, session: AsyncSession
) -> None:
    made = await open_checks(uow_factory, session, CHECKS + LEFT_OPEN)
    checks = dict(list(made.items())[:CHECKS])
    started = time.monotonic()

    counts = await asyncio.to_thread(close_all, server, checks)

    took = time.monotonic() - started
    print(f"\n{counts} in {took:.1f} s with {KILLS} kills")
    assert counts["cut"] > 0, "no close was cut by a kill: no test"
    per_check = dict(
        (
            await session.execute(
                text(
                    "SELECT c.id, count(e.id) FROM guest_check c LEFT JOIN journal_entry e "
                    "ON e.kind = 'close' AND e.source = 'check:' || c.id "
                    "WHERE c.id = ANY(:ids) AND c.status = 'closed' GROUP BY c.id"
                ),
                {"ids": list(made)},
            )
        ).all()
    )
    never_closed = [check for check in made if check not in checks]
    posted_for_open = await session.scalar(
        text(
            "SELECT count(*) FROM journal_entry e JOIN guest_check c "
            "ON e.source = 'check:' || c.id WHERE c.id = ANY(:ids) AND c.status = 'open'"
        ),
        {"ids": never_closed},
    )
    unbalanced = await session.scalar(
        text(
            "SELECT count(*) FROM (SELECT entry_id FROM journal_line GROUP BY entry_id "
            "HAVING sum(amount) <> 0) AS bad"
        )
    )
    result = await verify_chain(session, 1)
    entries = await session.scalar(text("SELECT count(*) FROM journal_entry"))
    await session.rollback()

    assert per_check == {check: 1 for check in checks}  # every check closed, posted once
    assert len(never_closed) == LEFT_OPEN and posted_for_open == 0
    assert unbalanced == 0
    assert result.broken is None, result.sentence()
    assert result.links == entries
