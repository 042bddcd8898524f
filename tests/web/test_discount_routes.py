"""The Discount button on the order screen, over HTTP: the dialog, a manager's PIN when it is
needed, the totals the server then sees, and the refusals."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.models import CheckDiscount, Discount
from app.orders.models import Check
from tests.conftest import PINS, STAFF_IDS
from tests.web.test_order_actions import _line, _order

Client = AsyncTestClient[Litestar]


async def _discount(session: AsyncSession, name: str) -> str:
    found = await session.scalar(select(Discount.id).where(Discount.name == name))
    await session.rollback()
    assert found
    return str(found)


async def test_check_panel_offers_discount_and_the_dialog_lists_check_discounts(
    client: Client, session: AsyncSession
) -> None:
    check, headers = await _order(client, session, "Maria", "5", "Burrata", "Tiramisu")
    panel = await client.get(check, headers=headers)
    assert f'hx-get="{check}/discounts"' in panel.text
    sheet = await client.get(f"{check}/discounts", headers=headers)
    assert sheet.status_code == 200
    assert "Loyalty 10 %" in sheet.text and "Staff meal ✱" in sheet.text
    assert "Happy hour" not in sheet.text  # a line discount, offered on a line only
    assert "over 20 % of the check" in sheet.text and "Service charge" in sheet.text
    line = await _line(session, "Tiramisu")
    on_line = await client.get(f"{check}/discounts?line={line}", headers=headers)
    assert "Happy hour $2 off" in on_line.text and "Loyalty" not in on_line.text
    assert f'name="line" value="{line}"' in on_line.text
    missing = await client.get(f"{check}/discounts?line=999999", headers=headers)
    assert missing.status_code == 404


async def test_loyalty_discount_shows_in_the_totals(client: Client, session: AsyncSession) -> None:
    check, headers = await _order(client, session, "Maria", "5", "Burrata", "Tiramisu")
    applied = await client.post(
        f"{check}/discounts",
        data={"discount": await _discount(session, "Loyalty 10 %"), "reason": "regular"},
        headers=headers,
    )
    assert applied.status_code == 200, applied.text
    # 23.00 less 2.30; tax on 12.60 = 1.12 and on 8.10 = 0.72 (0.71888 -> 0.72).
    assert "Discount applied." in applied.text
    assert "<dt>Discounts</dt><dd>−$2.30</dd>" in applied.text
    assert "Tax 8.875 %</dt><dd>$1.84</dd>" in applied.text
    assert "$22.54" in applied.text


async def test_a_big_discount_asks_for_a_manager_then_takes_mias_pin(
    client: Client, session: AsyncSession
) -> None:
    check, headers = await _order(client, session, "Maria", "5", "Burrata")
    form = {"percent": "50", "reason": "cold food"}
    refused = await client.post(
        f"{check}/discounts", data=form, headers={**headers, "X-Error-Target": "#modal-error"}
    )
    assert refused.status_code == 403
    assert "need a manager" in refused.text
    assert refused.headers["hx-retarget"] == "#modal-error"
    wrong = await client.post(
        f"{check}/discounts",
        data={**form, "manager": str(STAFF_IDS["Mia"]), "pin": "0000"},
        headers=headers,
    )
    assert wrong.status_code == 403 and "Wrong PIN" in wrong.text
    assert await session.scalar(select(CheckDiscount.id)) is None
    await session.rollback()
    approved = await client.post(
        f"{check}/discounts",
        data={**form, "manager": str(STAFF_IDS["Mia"]), "pin": PINS["Mia"]},
        headers=headers,
    )
    assert approved.status_code == 200, approved.text
    assert "−$7.00" in approved.text
    row = await session.scalar(select(CheckDiscount))
    assert row is not None and (row.applied_by, row.approved_by) == (
        STAFF_IDS["Maria"],
        STAFF_IDS["Mia"],
    )


async def test_typed_discounts_that_make_no_sense_are_refused(
    client: Client, session: AsyncSession
) -> None:
    check, headers = await _order(client, session, "Maria", "5", "Burrata")
    for data, message in [
        ({"percent": "150", "reason": "x"}, "more than 100 %"),
        ({"percent": "-10", "reason": "x"}, "a percent like 10"),
        ({"amount": "abc", "reason": "x"}, "is not an amount"),
        ({"percent": "10", "amount": "2", "reason": "x"}, "not both"),
        ({"reason": "x"}, "Pick a discount"),
        (
            {"amount": "20.00", "reason": "x", "line": str(await _line(session, "Burrata"))},
            "only $14.00 is left",
        ),
    ]:
        answer = await client.post(f"{check}/discounts", data=data, headers=headers)
        assert answer.status_code == 422, (data, answer.text)
        assert message in answer.text, (data, answer.text)
    assert await session.scalar(select(CheckDiscount.id)) is None


async def test_removing_a_discount_from_the_dialog(client: Client, session: AsyncSession) -> None:
    check, headers = await _order(client, session, "Maria", "5", "Burrata")
    await client.post(f"{check}/discounts", data={"amount": "2", "reason": "slow"}, headers=headers)
    applied = await session.scalar(select(CheckDiscount.id))
    await session.rollback()
    sheet = await client.get(f"{check}/discounts", headers=headers)
    assert "$2.00 off" in sheet.text and "Remove" in sheet.text
    removed = await client.post(
        f"{check}/discounts/remove", data={"applied": str(applied)}, headers=headers
    )
    assert removed.status_code == 200 and "Discount removed." in removed.text
    assert "Discounts</dt>" not in removed.text
    again = await client.post(
        f"{check}/discounts/remove", data={"applied": str(applied)}, headers=headers
    )
    assert again.status_code == 404


async def test_service_charge_up_by_a_server_down_only_by_a_manager(
    client: Client, session: AsyncSession
) -> None:
    check, headers = await _order(client, session, "Maria", "5", "Burrata")
    up = await client.post(
        f"{check}/service-charge", data={"percent": "18", "reason": "large party"}, headers=headers
    )
    assert up.status_code == 200 and "large party</dt><dd>$2.52</dd>" in up.text
    down = await client.post(
        f"{check}/service-charge", data={"percent": "0", "reason": "guest asked"}, headers=headers
    )
    assert down.status_code == 403 and "needs a manager" in down.text
    approved = await client.post(
        f"{check}/service-charge",
        data={
            "percent": "0",
            "reason": "guest asked",
            "manager": str(STAFF_IDS["Mia"]),
            "pin": PINS["Mia"],
        },
        headers=headers,
    )
    assert approved.status_code == 200 and "$2.52" not in approved.text
    check_id = int(check.rsplit("/", 1)[1])
    assert await session.scalar(select(Check.service_charge_ppm).where(Check.id == check_id)) == 0
