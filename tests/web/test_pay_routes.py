"""The payment screen over HTTP: cash, card with Retry, split tender, tips, refunds."""

from __future__ import annotations

import re

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.models import Payment, PaymentAttempt, Refund
from app.billing.terminal import SimulatedTerminal
from app.orders.models import Check
from tests.conftest import STAFF_IDS, sign_in
from tests.demo_ids import item_id, table_id

HX = {"HX-Request": "true"}
Client = AsyncTestClient[Litestar]


async def sent_check(client: Client, session: AsyncSession, csrf: str, table: str = "5") -> str:
    headers = {**HX, "X-CSRF-Token": csrf}
    opened = await client.post(
        f"/floor/tables/{await table_id(session, table)}/open",
        data={"guests": "2"},
        headers=headers,
    )
    path = str(opened.headers["hx-redirect"])
    for name in ("Burrata", "IPA Draft"):
        await client.post(
            f"{path}/lines", data={"item_id": str(await item_id(session, name))}, headers=headers
        )
    await client.post(f"{path}/send", data={"key": f"send-{table}"}, headers=headers)
    return path


def field(page: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]*? value="([^"]*)"', page)
    assert found, f"no {name} on the page"
    return found.group(1)


async def count(session: AsyncSession, model: type) -> int:
    session.expire_all()
    n = await session.scalar(select(func.count()).select_from(model))
    await session.rollback()
    return int(n or 0)


async def test_card_times_out_after_approving_and_retry_on_the_screen_charges_once(
    client: Client, session: AsyncSession, app: Litestar
) -> None:
    terminal = app.state.terminal = SimulatedTerminal("timeout_after_approve")
    csrf = await sign_in(client, "Maria")
    headers = {**HX, "X-CSRF-Token": csrf}
    check = await sent_check(client, session, csrf)
    page = (await client.get(f"{check}/pay")).text
    assert "Charge card" in page and "Simulated terminal" in page
    amount = field(page, "amount")

    first = await client.post(
        f"{check}/pay/card",
        data={"key": "tablet-key-1", "version": field(page, "version"), "amount": amount},
        headers=headers,
    )
    assert first.status_code == 200, first.text
    assert "No answer from the terminal" in first.text
    assert "Retry" in first.text and 'value="tablet-key-1"' in first.text
    assert "Take cash" not in first.text  # nothing else until the charge is settled

    retried = await client.post(
        f"{check}/pay/card",
        data={"key": "tablet-key-1", "version": field(first.text, "version"), "amount": amount},
        headers=headers,
    )
    assert "Card approved" in retried.text
    assert "is closed" in retried.text
    assert await count(session, Payment) == 1
    assert terminal.charge_calls == 1


async def test_split_tender_cash_part_then_card_for_the_rest(
    client: Client, session: AsyncSession, app: Litestar
) -> None:
    app.state.terminal = SimulatedTerminal()
    csrf = await sign_in(client, "Maria")
    headers = {**HX, "X-CSRF-Token": csrf}
    check = await sent_check(client, session, csrf)
    page = (await client.get(f"{check}/pay")).text

    cash = await client.post(
        f"{check}/pay/cash",
        data={"tendered": "10", "amount": "5", "version": field(page, "version"), "key": "c"},
        headers=headers,
    )
    assert "Change due" in cash.text and "$5.00" in cash.text
    assert "Balance due" in cash.text and "Cash" in cash.text
    card = await client.post(
        f"{check}/pay/card",
        data={
            "key": "k",
            "version": field(cash.text, "version"),
            "amount": field(cash.text, "amount"),
        },
        headers=headers,
    )
    assert "Card approved" in card.text and "is closed" in card.text
    session.expire_all()
    methods = (await session.scalars(select(Payment.method).order_by(Payment.id))).all()
    assert list(methods) == ["cash", "card"]


async def test_bad_payment_input_gets_a_clear_message_and_changes_nothing(
    client: Client, session: AsyncSession, app: Litestar
) -> None:
    terminal = app.state.terminal = SimulatedTerminal()
    csrf = await sign_in(client, "Maria")
    headers = {**HX, "X-CSRF-Token": csrf}
    check = await sent_check(client, session, csrf)
    page = (await client.get(f"{check}/pay")).text
    version = field(page, "version")
    cases = [
        ("card", {"amount": "5", "tip": "-2"}, 422, "Tip cannot be negative"),
        ("card", {"amount": "9999"}, 422, "more than the balance"),
        ("card", {"amount": "0"}, 422, "more than zero"),
        ("card", {"amount": "5", "version": str(int(version) - 1)}, 409, "changed on another"),
        ("cash", {"tendered": "0"}, 422, "Enter the cash"),
        ("cash", {"tendered": "50", "amount": "9999"}, 422, "more than the balance"),
        ("cash", {"tendered": "-5"}, 422, "cannot be negative"),
    ]
    for n, (kind, data, status, message) in enumerate(cases):
        answer = await client.post(
            f"{check}/pay/{kind}",
            data={"version": version, "key": f"bad-{n}", **data},
            headers=headers,
        )
        assert answer.status_code == status, (data, answer.text)
        assert message in answer.text, (data, answer.text)
    assert await count(session, Payment) == 0
    assert await count(session, PaymentAttempt) == 0
    assert terminal.charge_calls == 0


async def test_slip_tip_and_manager_approved_refund_from_the_payments_list(
    client: Client, session: AsyncSession, app: Litestar
) -> None:
    app.state.terminal = SimulatedTerminal()
    csrf = await sign_in(client, "Maria")
    headers = {**HX, "X-CSRF-Token": csrf}
    check = await sent_check(client, session, csrf)
    page = (await client.get(f"{check}/pay")).text
    await client.post(
        f"{check}/pay/card",
        data={"key": "k", "version": field(page, "version"), "amount": field(page, "amount")},
        headers=headers,
    )
    payment = int(await session.scalar(select(Payment.id)) or 0)
    await session.rollback()

    negative = await client.post(
        f"{check}/pay/tip", data={"payment": str(payment), "tip": "-1"}, headers=headers
    )
    tipped = await client.post(
        f"{check}/pay/tip", data={"payment": str(payment), "tip": "4.50"}, headers=headers
    )
    form = await client.get(f"{check}/pay/refund?payment={payment}", headers=HX)
    own_pin = await client.post(
        f"{check}/pay/refund",
        data={
            "payment": str(payment),
            "amount": "1",
            "reason": "cold",
            "manager": "1",
            "pin": "1111",
        },
        headers=headers,
    )
    too_much = await client.post(
        f"{check}/pay/refund",
        data={
            "payment": str(payment),
            "amount": "999",
            "reason": "cold",
            "manager": str(STAFF_IDS["Mia"]),
            "pin": "9999",
        },
        headers=headers,
    )
    refunded = await client.post(
        f"{check}/pay/refund",
        data={
            "payment": str(payment),
            "amount": "2",
            "reason": "cold burrata",
            "manager": str(STAFF_IDS["Mia"]),
            "pin": "9999",
            "key": "r1",
        },
        headers=headers,
    )

    assert negative.status_code == 422 and "Tip cannot be negative" in negative.text
    assert (
        tipped.status_code == 200 and "Tip saved" in tipped.text and 'value="4.50"' in tipped.text
    )
    assert form.status_code == 200 and "Manager PIN" in form.text and "Mia" in form.text
    assert own_pin.status_code == 403 and "cannot approve your own" in own_pin.text
    assert too_much.status_code == 422 and "more than is left to refund" in too_much.text
    assert refunded.status_code == 200, refunded.text
    assert "Refund recorded" in refunded.text and "refunded $2.00" in refunded.text
    session.expire_all()
    assert (await session.scalar(select(Payment.tip))) == 450
    assert (await session.scalars(select(Refund.amount))).all() == [200]
    row = await session.scalar(select(Check.status).where(Check.id == int(check.rsplit("/", 1)[1])))
    assert row == "closed"


async def test_tips_page_lists_each_servers_tips(
    client: Client, session: AsyncSession, app: Litestar
) -> None:
    app.state.terminal = SimulatedTerminal()
    csrf = await sign_in(client, "Maria")
    headers = {**HX, "X-CSRF-Token": csrf}
    check = await sent_check(client, session, csrf)
    page = (await client.get(f"{check}/pay")).text
    await client.post(
        f"{check}/pay/card",
        data={
            "key": "k",
            "version": field(page, "version"),
            "amount": field(page, "amount"),
            "tip": "3",
        },
        headers=headers,
    )

    tips = await client.get("/tips")
    bad_day = await client.get("/tips?day=yesterday")

    assert tips.status_code == 200
    assert re.search(r"<td>Maria</td>.*\$3\.00", tips.text)
    assert bad_day.status_code == 422 and "Choose a day" in bad_day.text


async def test_simulated_terminal_outcome_is_chosen_on_the_screen(
    client: Client, session: AsyncSession, app: Litestar
) -> None:
    terminal = app.state.terminal = SimulatedTerminal()
    csrf = await sign_in(client, "Maria")
    headers = {**HX, "X-CSRF-Token": csrf}
    check = await sent_check(client, session, csrf)
    page = (await client.get(f"{check}/pay")).text

    chosen = await client.post(
        f"{check}/pay/terminal", data={"outcome": "decline"}, headers=headers
    )
    declined = await client.post(
        f"{check}/pay/card",
        data={"key": "k", "version": field(page, "version"), "amount": field(page, "amount")},
        headers=headers,
    )
    unknown = await client.post(f"{check}/pay/terminal", data={"outcome": "x"}, headers=headers)

    assert chosen.status_code == 200 and "next charge will decline" in chosen.text
    assert terminal.outcome == "decline"
    assert "Card declined" in declined.text and "Charge card" in declined.text
    assert unknown.status_code == 422
    assert await count(session, Payment) == 0
