"""Presenting the check from the tablet: the bill on screen, for the guest, and on paper."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.orders.models import Check
from printers.decode import text_lines
from printers.models import PrintJob
from tests.conftest import sign_in
from tests.demo_ids import item_id, table_id

Client = AsyncTestClient[Litestar]
HX = {"HX-Request": "true"}


async def seated_with_dinner(client: Client, session: AsyncSession) -> tuple[int, dict[str, str]]:
    """Maria seats table 5 and orders a roast chicken; returns the check and htmx headers."""
    csrf = await sign_in(client, "Maria")
    headers = {**HX, "X-CSRF-Token": csrf}
    opened = await client.post(
        f"/floor/tables/{await table_id(session, '5')}/open", data={"guests": "2"}, headers=headers
    )
    check = int(opened.headers["hx-redirect"].rsplit("/", 1)[1])
    chicken = await item_id(session, "Roast Chicken")
    await client.post(f"/checks/{check}/lines", data={"item_id": str(chicken)}, headers=headers)
    await session.rollback()
    return check, headers


async def presented_at(session: AsyncSession, check: int) -> object:
    session.expire_all()
    found = await session.scalar(select(Check.presented_at).where(Check.id == check))
    await session.rollback()
    return found


async def test_the_bill_on_the_tablet_shows_items_total_and_suggested_tips_and_writes_nothing(
    client: Client, session: AsyncSession
) -> None:
    check, _ = await seated_with_dinner(client, session)

    page = await client.get(f"/checks/{check}/bill")

    assert page.status_code == 200
    assert "Roast Chicken" in page.text and 'id="bill-total"' in page.text
    assert "Suggested tip" in page.text and "18%" in page.text
    assert "Print check" in page.text
    assert await presented_at(session, check) is None  # looking is not presenting


async def test_print_check_queues_it_on_the_receipt_printer_and_a_second_says_reprint(
    client: Client, session: AsyncSession
) -> None:
    check, headers = await seated_with_dinner(client, session)

    first = await client.post(f"/checks/{check}/bill/print", data={"key": "a"}, headers=headers)
    second = await client.post(f"/checks/{check}/bill/print", data={"key": "b"}, headers=headers)

    assert first.status_code == second.status_code == 200
    assert 'id="bill"' in first.text and "<html" not in first.text
    assert "The check was sent to the receipt printer." in first.text
    assert "(marked REPRINT)" in second.text
    assert "Check presented" in second.text
    payloads = (
        await session.scalars(
            select(PrintJob.payload).where(PrintJob.kind == "check").order_by(PrintJob.id)
        )
    ).all()
    assert [text_lines(p)[1] for p in payloads] == ["GUEST CHECK", "REPRINT"]
    assert await presented_at(session, check) is not None


async def test_show_bill_hands_the_tablet_to_the_guest(
    client: Client, session: AsyncSession
) -> None:
    check, headers = await seated_with_dinner(client, session)

    shown = await client.post(f"/checks/{check}/bill/show", data={"key": "s"}, headers=headers)
    guest = await client.get(shown.headers["hx-redirect"])

    assert shown.status_code == 204
    assert shown.headers["hx-redirect"] == f"/checks/{check}/bill/guest"
    assert 'class="bill guest"' in guest.text and "Roast Chicken" in guest.text
    assert "Print check" not in guest.text  # nothing for the guest to press but "back"
    assert await presented_at(session, check) is not None
    assert await session.scalar(select(func.count()).select_from(PrintJob)) == 0


async def test_a_closed_check_cannot_be_presented_and_its_receipt_needs_a_payment(
    client: Client, session: AsyncSession
) -> None:
    check, headers = await seated_with_dinner(client, session)

    refused = await client.post(f"/checks/{check}/bill/receipt", headers=headers)

    assert refused.status_code == 422
    assert "has no payment yet: print the check instead." in refused.text
    assert await session.scalar(select(func.count()).select_from(PrintJob)) == 0


async def test_the_kitchen_cannot_print_a_guest_check(
    client: Client, session: AsyncSession
) -> None:
    check, _ = await seated_with_dinner(client, session)
    csrf = await sign_in(client, "Ode")

    page = await client.get(f"/checks/{check}/bill", follow_redirects=False)
    printed = await client.post(f"/checks/{check}/bill/print", headers={**HX, "X-CSRF-Token": csrf})

    assert page.status_code == printed.status_code == 403
    assert await presented_at(session, check) is None
