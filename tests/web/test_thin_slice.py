"""The thin slice over HTTP: seat a table, order, send, the kitchen sees it, pay cash."""

from __future__ import annotations

import re

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.orders.models import Check, CheckLine
from kds.models import Ticket
from tests.conftest import sign_in
from tests.demo_ids import item_id, option_id, station_id, table_id

HX = {"HX-Request": "true"}


async def test_server_seats_orders_sends_and_takes_cash(
    client: AsyncTestClient[Litestar], session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Maria")
    headers = {**HX, "X-CSRF-Token": csrf}
    table = await table_id(session, "5")

    opened = await client.post(f"/floor/tables/{table}/open", data={"guests": "2"}, headers=headers)
    assert opened.status_code == 204
    check_path = opened.headers["hx-redirect"]
    check_id = int(check_path.rsplit("/", 1)[1])

    steak = await item_id(session, "Ribeye 12oz")
    beer = await item_id(session, "IPA Draft")
    line = await client.post(
        f"{check_path}/lines",
        data={
            "item_id": str(steak),
            "option-1": str(await option_id(session, "Medium rare")),
            "option": str(await option_id(session, "Fries")),
            "seat": "1",
        },
        headers=headers,
    )
    assert line.status_code == 200, line.text
    assert 'id="check"' in line.text
    assert "Medium rare, Fries" in line.text
    await client.post(
        f"{check_path}/lines", data={"item_id": str(beer), "seat": "shared"}, headers=headers
    )

    sent = await client.post(f"{check_path}/send", data={"key": "send-1"}, headers=headers)
    assert "Sent 2 items to the kitchen" in sent.text

    grill, bar = await station_id(session, "Grill"), await station_id(session, "Bar")
    tickets = (
        await session.execute(select(Ticket.station_id, Ticket.seq).order_by(Ticket.station_id))
    ).all()
    assert sorted(tickets) == sorted([(grill, 1), (bar, 1)])

    pay_page = await client.get(f"{check_path}/pay")
    version = re.search(r'name="version" value="(\d+)"', pay_page.text)
    assert version
    assert "$50.20" in pay_page.text
    paid = await client.post(
        f"{check_path}/pay/cash",
        data={"tendered": "60", "version": version.group(1)},
        headers=headers,
    )
    assert paid.status_code == 200, paid.text
    assert "Change due" in paid.text
    assert "$9.80" in paid.text
    assert "is closed" in paid.text

    session.expire_all()
    check = await session.get(Check, check_id)
    assert check is not None
    assert check.status == "closed"
    assert check.total == 5020
    floor = await client.get("/floor")
    assert re.search(rf'id="table-{table}"[^>]*\n?[^>]*state-bussing', floor.text)
    lines = await session.scalar(
        select(func.count()).select_from(CheckLine).where(CheckLine.check_id == check_id)
    )
    assert lines == 2
