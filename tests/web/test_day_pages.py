"""The end of the day on screen and over the API: the X report, the close refused with the
open checks listed, the Z page and its reprint, the days API and its error statuses."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounting.models import DayClose
from printers.decode import text_lines
from printers.models import PrintJob
from tests.conftest import api_bearer, sign_in
from tests.integration.test_card_payments import counter_check
from tests.integration.test_day_close import paid_cash, today

Client = AsyncTestClient[Litestar]
HX = {"HX-Request": "true"}


async def zs(session: AsyncSession) -> int:
    count = await session.scalar(select(func.count()).select_from(DayClose))
    await session.rollback()
    return int(count or 0)


async def report_papers(session: AsyncSession) -> list[list[str]]:
    jobs = (await session.scalars(select(PrintJob.payload).where(PrintJob.kind == "report"))).all()
    await session.rollback()
    return [text_lines(bytes(p)) for p in jobs]


async def test_manager_reads_the_x_report_and_a_server_cannot(
    client: Client, uow_factory: Any, session: AsyncSession
) -> None:
    await paid_cash(uow_factory, session, "Burrata", "IPA Draft")
    await sign_in(client, "Mia")
    page = await client.get("/office/day")
    assert page.status_code == 200, page.text
    assert "End of day" in page.text and 'aria-current="page">End of day' in page.text
    assert "Burrata" not in page.text  # categories, not items
    assert 'id="net-sales"' in page.text and "Close day" in page.text
    assert "Main drawer" in page.text or "Main" in page.text

    await sign_in(client, "Maria")
    assert (await client.get("/office/day")).status_code == 403


async def test_close_is_refused_while_a_check_is_open_with_the_way_to_it(
    client: Client, uow_factory: Any, session: AsyncSession
) -> None:
    check = await counter_check(uow_factory, session, "Burrata")
    day = await today(uow_factory)
    csrf = await sign_in(client, "Mia")
    page = await client.get("/office/day")
    assert f'href="/checks/{check}"' in page.text and "Still open" in page.text

    refused = await client.post(
        "/office/day/close",
        data={"day": day.isoformat(), "leave_drawers_open": "yes", "key": "k1"},
        headers={**HX, "X-CSRF-Token": csrf},
    )
    assert refused.status_code == 409
    assert "1 check is still open" in refused.text and 'id="day"' in refused.text
    assert await zs(session) == 0


async def test_close_by_form_shows_the_z_and_prints_it_on_the_receipt_printer(
    client: Client, uow_factory: Any, session: AsyncSession
) -> None:
    """The demo's receipt printer is off (nothing listens on its port): the close stands,
    its paper waits in the queue, and a reprint queues another."""
    await paid_cash(uow_factory, session, "Burrata")
    day = await today(uow_factory)
    csrf = await sign_in(client, "Mia")
    headers = {**HX, "X-CSRF-Token": csrf}

    drawer_open = await client.post(
        "/office/day/close", data={"day": day.isoformat(), "key": "k2"}, headers=headers
    )
    assert drawer_open.status_code == 409 and "Main drawer is still open" in drawer_open.text
    closed = await client.post(
        "/office/day/close",
        data={"day": day.isoformat(), "leave_drawers_open": "yes", "key": "k3"},
        headers=headers,
    )
    assert closed.status_code == 200, closed.text
    assert "Z report #1" in closed.text and f"{day.isoformat()} is closed" in closed.text
    assert closed.headers["hx-push-url"] == f"/office/days/{day.isoformat()}"
    again = await client.post(
        "/office/day/close",
        data={"day": day.isoformat(), "leave_drawers_open": "yes", "key": "k3"},
        headers=headers,
    )
    assert again.status_code == 200 and "Z report #1" in again.text  # the double tap
    assert await zs(session) == 1
    [paper] = await report_papers(session)
    assert any("Z REPORT #1" in line for line in paper)
    assert any("GRAND TOTAL" in line for line in paper)

    listed = await client.get("/office/days")
    assert f'href="/office/days/{day.isoformat()}">#1' in listed.text
    shown = await client.get(f"/office/days/{day.isoformat()}")
    assert shown.status_code == 200 and 'id="grand-total"' in shown.text
    reprinted = await client.post(
        f"/office/days/{day.isoformat()}/print", data={"key": "k4"}, headers=headers
    )
    assert reprinted.status_code == 200 and "Z sent to the receipt printer" in reprinted.text
    papers = await report_papers(session)
    assert len(papers) == 2 and any("REPRINT" in line for line in papers[1])
    assert (await client.get("/office/days/2001-01-01")).status_code == 404
    assert (await client.get("/office/days/yesterday")).status_code == 422


async def test_days_api_closes_once_and_answers_every_refusal_with_a_sentence(
    client: Client, uow_factory: Any, session: AsyncSession
) -> None:
    await paid_cash(uow_factory, session, "Burrata")
    manager = await api_bearer(client, "Mia")
    current = await client.get("/api/v1/days/current", headers=manager)
    assert current.status_code == 200, current.text
    body = current.json()
    assert body["closed"] is False and body["figures"]["checks"] == 1
    assert body["open_drawers"] == ["Main"] and body["can_close"] is True
    day = body["business_day"]

    async def close(json: Any, key: str) -> Any:
        headers = {**manager, "Idempotency-Key": key}
        return await client.post("/api/v1/days/current/close", json=json, headers=headers)

    unreadable = await close({"business_day": "soon"}, "a1")
    assert unreadable.status_code == 400 and unreadable.json()["error"]
    drawer = await close({"business_day": day}, "a2")
    assert drawer.status_code == 409 and "drawer is still open" in drawer.json()["error"]
    wrong = await close({"business_day": "2001-01-01", "leave_drawers_open": True}, "a3")
    assert wrong.status_code == 409 and "reload" in wrong.json()["error"]

    made = await close({"business_day": day, "leave_drawers_open": True}, "a4")
    assert made.status_code == 201, made.text
    z = made.json()
    assert z["closed"] and z["z_number"] == 1 and z["grand_total"] == z["figures"]["net_sales"]
    replay = await close({"business_day": day, "leave_drawers_open": True}, "a4")
    assert replay.status_code == 201 and replay.json()["hash"] == z["hash"]
    twice = await close({"business_day": day, "leave_drawers_open": True}, "a5")
    assert twice.status_code == 409 and "already closed: Z #1" in twice.json()["error"]

    listed = await client.get("/api/v1/days", headers=manager)
    assert [d["z_number"] for d in listed.json()] == [1]
    read = await client.get(f"/api/v1/days/{day}", headers=manager)
    assert read.status_code == 200 and read.json()["figures"] == z["figures"]
    missing = await client.get("/api/v1/days/2001-01-01", headers=manager)
    assert missing.status_code == 404 and "has no Z report" in missing.json()["error"]
    not_a_day = await client.get("/api/v1/days/notaday", headers=manager)
    assert not_a_day.status_code == 404 and not_a_day.json()["error"]  # no such address
    server = await api_bearer(client, "Maria")
    assert (await client.get("/api/v1/days/current", headers=server)).status_code == 403
    assert (await client.get("/api/v1/days/current")).status_code == 401


async def test_the_openapi_document_shows_the_days_api_with_its_errors(client: Client) -> None:
    document = (await client.get("/api/v1/schema/openapi.json")).json()
    close = document["paths"]["/api/v1/days/current/close"]["post"]
    assert {"201", "400", "401", "403", "409", "422"} <= set(close["responses"])
    assert "Idempotency-Key" in str(close["parameters"])
    read = document["paths"]["/api/v1/days/{day}"]["get"]
    assert {"200", "404"} <= set(read["responses"])
    assert "DayFigures" in str(document["components"]["schemas"])
