"""Money after the bill over /api/v1: refunds, slip tips, drawers and card tips paid out, with
the screens' rules, and each posts to the books."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounting.models import JournalEntry
from app.billing.models import Payment
from tests.conftest import PINS, STAFF_IDS, api_bearer
from tests.demo_ids import item_id, table_id
from tests.web.test_api_operations import _check, _seat

Client = AsyncTestClient[Litestar]


async def _paid_by_card(client: Client, session: AsyncSession, tip: int = 0) -> tuple[int, int]:
    """(check, payment) of a closed check paid by card over the API."""
    maria = await api_bearer(client, "Maria")
    check = await _seat(
        client, maria, await table_id(session, "P3"), await item_id(session, "Burrata")
    )
    await client.post(f"/api/v1/checks/{check}/send", headers=maria)
    view = await _check(client, maria, check)
    paid = await client.post(
        f"/api/v1/checks/{check}/payments/card",
        json={"amount": view["balance"], "version": view["version"], "tip": tip},
        headers={**maria, "Idempotency-Key": f"card-{check}"},
    )
    assert paid.json()["status"] == "approved", paid.text
    payment = await session.scalar(select(Payment.id).where(Payment.check_id == check))
    await session.rollback()
    assert payment is not None
    return check, payment


async def kinds(session: AsyncSession) -> list[str]:
    found = list(await session.scalars(select(JournalEntry.kind).order_by(JournalEntry.id)))
    await session.rollback()
    return found


async def test_a_refund_over_the_api_needs_a_manager_and_posts_once(
    client: Client, session: AsyncSession
) -> None:
    check, payment = await _paid_by_card(client, session)
    maria = await api_bearer(client, "Maria")
    body = {"amount": 500, "reason": "cold", "approver_id": STAFF_IDS["Mia"], "pin": "0000"}
    key = {**maria, "Idempotency-Key": "refund-1"}

    wrong = await client.post(f"/api/v1/payments/{payment}/refunds", json=body, headers=key)
    assert wrong.status_code == 403, wrong.text
    body["pin"] = PINS["Mia"]
    no_key = await client.post(f"/api/v1/payments/{payment}/refunds", json=body, headers=maria)
    assert no_key.status_code == 422 and "Idempotency-Key" in no_key.json()["error"]
    first = await client.post(f"/api/v1/payments/{payment}/refunds", json=body, headers=key)
    again = await client.post(f"/api/v1/payments/{payment}/refunds", json=body, headers=key)
    assert first.status_code == 201, first.text
    assert again.json() == first.json()
    assert first.json()["payment_id"] == payment and first.json()["left_tip"] == 0
    too_much = {**body, "amount": 10**9}
    over = await client.post(
        f"/api/v1/payments/{payment}/refunds",
        json=too_much,
        headers={**maria, "Idempotency-Key": "r2"},
    )
    assert over.status_code == 422, over.text
    assert (await kinds(session)).count("refund") == 1
    assert check


async def test_a_slip_tip_over_the_api_posts_the_difference(
    client: Client, session: AsyncSession
) -> None:
    _, payment = await _paid_by_card(client, session, tip=200)
    maria = await api_bearer(client, "Maria")
    set_tip = await client.put(f"/api/v1/payments/{payment}/tip", json={"tip": 650}, headers=maria)
    assert set_tip.status_code == 200, set_tip.text
    assert set_tip.json()["tip"] == 650
    negative = await client.put(f"/api/v1/payments/{payment}/tip", json={"tip": -1}, headers=maria)
    assert negative.status_code == 400
    assert (await kinds(session)).count("tip_adjust") == 1


async def test_drawers_over_the_api_open_move_pay_out_and_count(
    client: Client, session: AsyncSession
) -> None:
    await _paid_by_card(client, session, tip=700)
    mia = await api_bearer(client, "Mia")
    maria = await api_bearer(client, "Maria")
    assert (await client.get("/api/v1/drawers/", headers=maria)).status_code == 403

    opened = await client.post(
        "/api/v1/drawers/",
        json={"drawer": "Bar", "opening_float": 10_000},
        headers={**mia, "Idempotency-Key": "open-bar"},
    )
    assert opened.status_code == 201, opened.text
    bar = opened.json()["id"]
    moved = await client.post(
        f"/api/v1/drawers/{bar}/cash",
        json={"kind": "cash_out", "amount": 1_200, "reason": "ice"},
        headers={**mia, "Idempotency-Key": "ice"},
    )
    assert moved.status_code == 201 and moved.json()["cash_out"] == 1_200
    owed = (await client.get("/api/v1/drawers/tips-owed", headers=mia)).json()
    assert owed == [{"server_id": STAFF_IDS["Maria"], "name": "Maria", "owed": 700}]
    paid_out = await client.post(
        f"/api/v1/drawers/{bar}/tip-payouts",
        json={"server_id": STAFF_IDS["Maria"], "amount": 700},
        headers={**mia, "Idempotency-Key": "tips"},
    )
    assert paid_out.status_code == 201 and paid_out.json()["tips_paid_out"] == 700
    closed = await client.post(
        f"/api/v1/drawers/{bar}/close",
        json={"counted": 8_000},
        headers={**mia, "Idempotency-Key": "c"},
    )
    assert closed.status_code == 200, closed.text
    assert (closed.json()["expected"], closed.json()["over_short"]) == (8_100, -100)
    twice = await client.post(
        f"/api/v1/drawers/{bar}/close",
        json={"counted": 8_000},
        headers={**mia, "Idempotency-Key": "d"},
    )
    assert twice.status_code == 409
    unknown = await client.post(
        "/api/v1/drawers/999999/close", json={"counted": 1}, headers={**mia, "Idempotency-Key": "e"}
    )
    assert unknown.status_code == 404
    assert [k for k in await kinds(session) if k != "close"] == [
        "drawer_open", "drawer_open", "cash_out", "tip_payout", "drawer_close"
    ]  # fmt: skip
