"""The order and pay screens during payment: why Pay waits, part payments in cash, quick-cash
keys, the tip the bill suggests, and a closed check shown as closed."""

from __future__ import annotations

import re

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.routes import quick_tenders
from tests.web.test_discount_routes import _discount
from tests.web.test_order_actions import _order
from tests.web.test_pay_routes import field

Client = AsyncTestClient[Litestar]


def pay_slot(page: str) -> str:
    """The check panel's action row: Send and, beside it, Pay or the reason it waits."""
    actions = r'<div class="check-actions">(.*?)</div>\s*<div class="check-more">'
    found = re.search(actions, page, re.S)
    assert found, "no check actions on the page"
    return found.group(1)


async def test_pay_waits_for_unsent_items_and_says_so_beside_send(
    client: Client, session: AsyncSession
) -> None:
    check, headers = await _order(client, session, "Maria", "5", "Burrata", "IPA Draft")

    slot = pay_slot((await client.get(check, headers=headers)).text)

    assert "Pay " not in slot  # no greyed-out Pay button to puzzle over
    assert "2 items not sent" in slot and "Send them" in slot
    assert f'hx-post="{check}/send"' in slot  # the fix is the button beside it


async def test_pay_waits_for_a_held_course_and_offers_to_fire_it(
    client: Client, session: AsyncSession
) -> None:
    check, headers = await _order(client, session, "Maria", "5", "Calamari", "Tiramisu")
    await client.post(f"{check}/send", headers=headers)

    slot = pay_slot((await client.get(check, headers=headers)).text)

    assert "Desserts held" in slot
    assert f'hx-post="{check}/fire-all"' in slot and "Fire to pay" in slot
    fired = await client.post(f"{check}/fire-all", data={"key": "fire-1"}, headers=headers)
    assert re.search(r'class="btn big pay" href="[^"]+/pay"', pay_slot(fired.text))


async def test_twenty_dollars_on_a_bigger_check_reads_as_a_part_payment_not_change(
    client: Client, session: AsyncSession
) -> None:
    check, headers = await _order(client, session, "Maria", "5", "Burrata", "Tiramisu")
    await client.post(f"{check}/send", headers=headers)
    await client.post(f"{check}/fire-all", data={"key": "fire-1"}, headers=headers)
    page = (await client.get(f"{check}/pay", headers=headers)).text
    owed = field(page, "amount")  # the card field holds the balance
    still = int(owed.replace(".", "")) - 2000

    paid = await client.post(
        f"{check}/pay/cash",
        data={"key": "cash-1", "version": field(page, "version"), "tendered": "20"},
        headers=headers,
    )

    assert paid.status_code == 200, paid.text
    assert "Change due" not in paid.text and 'id="change-due"' not in paid.text
    assert f"Paid $20.00 — ${still // 100}.{still % 100:02d} still due" in paid.text


def test_quick_cash_offers_exact_then_the_next_five_ten_twenty_and_fifty() -> None:
    assert quick_tenders(1540, 2) == [1540, 2000, 5000]
    assert quick_tenders(7024, 2) == [7024, 7500, 8000, 10000]
    assert quick_tenders(1200, 2) == [1200, 1500, 2000, 5000]
    assert quick_tenders(12340, 2) == [12340, 12500, 13000, 14000, 15000]
    assert quick_tenders(2000, 2) == [2000, 2500, 3000, 4000, 5000]  # exact is never twice


async def test_a_loyalty_discount_does_not_cut_the_servers_suggested_tip(
    client: Client, session: AsyncSession
) -> None:
    check, headers = await _order(client, session, "Maria", "5", "Burrata", "Tiramisu")
    applied = await client.post(
        f"{check}/discounts",
        data={"discount": await _discount(session, "Loyalty 10 %"), "reason": "regular"},
        headers=headers,
    )
    assert "−$2.30" in applied.text

    bill = (await client.get(f"{check}/bill")).text

    # 20 % of the $23.00 the food cost before the discount, not of the $20.70 after it.
    assert "Suggested tip, on $23.00 before discounts and tax" in bill
    assert re.search(r"<span>20%</span><strong>\$4\.60</strong>", bill), bill


async def test_a_closed_check_opened_again_is_read_only_and_says_closed(
    client: Client, session: AsyncSession
) -> None:
    check, headers = await _order(client, session, "Maria", "5", "Burrata")
    await client.post(f"{check}/send", headers=headers)
    page = (await client.get(f"{check}/pay", headers=headers)).text
    await client.post(
        f"{check}/pay/cash",
        data={"key": "cash-1", "version": field(page, "version"), "tendered": "100"},
        headers=headers,
    )

    screen = (await client.get(check)).text

    assert "is closed" in screen
    assert 'hx-post="' not in screen.split('id="check"', 1)[1]  # nothing on it posts
    assert 'class="item' not in screen  # no menu to add from
    assert "Receipt" in screen or "Bill" in screen  # what is left to do with it
