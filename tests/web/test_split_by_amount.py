"""Split by amount over HTTP: the split screen lists each guest's part with the tax in it,
each Pay opens the payment screen with the part filled in, the plan is worked out again from
what is left after each payment, and bad input is refused without changing anything."""

from __future__ import annotations

import html
import re

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.models import Payment
from app.billing.terminal import SimulatedTerminal
from app.orders.models import Check, CheckLine
from tests.conftest import sign_in
from tests.demo_ids import item_id, table_id

Client = AsyncTestClient[Litestar]
HX = {"HX-Request": "true"}
#: 63.00 of food and drink + 5.98 tax (1.33 + 1.95 at 8.875 %, 1.45 + 1.25 at 10.375 %).
ORDER = ("Prawn Cocktail", "Charcuterie Board", "Negroni", "Prosecco")

PART = re.compile(
    r'<section class="part amount-part" data-guest="(\d+)">.*?'
    r'<dd class="total">([^<]*)</dd>.*?<dd class="tax">([^<]*)</dd>.*?href="([^"]*)"',
    re.S,
)


def plan_of(page: str) -> list[tuple[str, str, str]]:
    """Each guest's (pays, tax in it, Pay link) as the By amount panel shows them; every Pay
    link carries the check's version (``&v=``), left out here."""
    plan = []
    for _, pays, tax, link in PART.findall(page):
        version = re.search(r"&v=\d+", html.unescape(link))
        assert version, f"a Pay link without the check's version: {link}"
        plan.append((pays, tax, html.unescape(link).replace(version.group(0), "")))
    return plan


def field(page: str, label: str) -> str:
    """The value of the input with this aria-label ("" when it has none)."""
    tag = re.search(rf'<input[^>]*aria-label="{re.escape(label)}"[^>]*>', page)
    assert tag, f"no {label} on the page"
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


async def table_of_three(
    client: Client, session: AsyncSession, table: str = "7"
) -> tuple[str, dict[str, str]]:
    headers = {**HX, "X-CSRF-Token": await sign_in(client, "Maria")}
    opened = await client.post(
        f"/floor/tables/{await table_id(session, table)}/open",
        data={"guests": "3"},
        headers=headers,
    )
    check = str(opened.headers["hx-redirect"])
    for name in ORDER:
        added = await client.post(
            f"{check}/lines", data={"item_id": str(await item_id(session, name))}, headers=headers
        )
        assert added.status_code == 200, added.text
    await client.post(f"{check}/send", data={"key": f"send-{table}"}, headers=headers)
    return check, headers


async def written(session: AsyncSession) -> tuple[int, int, int]:
    """Checks, payments, and the sum of every check's version: what a command would change."""
    session.expire_all()
    checks = int(await session.scalar(select(func.count()).select_from(Check)) or 0)
    payments = int(await session.scalar(select(func.count()).select_from(Payment)) or 0)
    versions = int(await session.scalar(select(func.sum(Check.version))) or 0)
    await session.rollback()
    return checks, payments, versions


async def test_thirty_and_twenty_five_and_the_rest_each_with_its_tax(
    client: Client, session: AsyncSession
) -> None:
    check, headers = await table_of_three(client, session)
    check_id = check.rsplit("/", 1)[1]
    screen = (await client.get(f"{check}/split")).text
    assert 'id="by-amount"' in screen and "Splits the payment, not the items" in screen
    # A party of three: two guests say what they pay, the third pays the rest.
    assert screen.count('aria-label="Guest ') == 2
    before = await written(session)

    panel = await client.get(f"{check}/split/amounts?amount=30&amount=25.00", headers=headers)
    assert panel.status_code == 200, panel.text
    assert panel.text.lstrip().startswith('<details id="by-amount"')
    assert "<html" not in panel.text
    pay = f"/checks/{check_id}/pay"
    assert plan_of(panel.text) == [
        ("$30.00", "$2.60", f"{pay}?amount=3000&then=2500"),
        ("$25.00", "$2.17", f"{pay}?amount=2500&then=3000"),
        ("$13.98", "$1.21", f"{pay}?amount=1398&then=3000&then=2500"),
    ]
    assert "3 payments for the $68.98 still owed; tax in it $5.98." in panel.text
    assert "pays the rest" in panel.text
    assert [field(panel.text, f"Guest {n} pays") for n in (1, 2, 3)] == ["30.00", "25.00", ""]

    # The same plan on a plain load (a reload of the pushed address): the whole split screen.
    page = await client.get(f"{check}/split/amounts?amount=30&amount=25.00")
    assert page.status_code == 200 and "<html" in page.text
    # Same address, two answers: the browser's cache must keep them apart (Back after Pay
    # showed the bare fragment until responses said Vary: HX-Request).
    assert panel.headers["vary"] == page.headers["vary"] == "HX-Request"
    assert plan_of(page.text) == plan_of(panel.text)
    assert '<details id="by-amount" class="share-panel by-amount" open>' in page.text
    assert await written(session) == before  # a plan is a read: nothing was split or paid

    # Back/Forward to the pushed address when htmx has no copy of it: htmx asks again with
    # HX-Request and HX-History-Restore-Request and puts the answer in <body>: a whole page.
    restored = await client.get(
        f"{check}/split/amounts?amount=30&amount=25.00",
        headers={**headers, "HX-History-Restore-Request": "true"},
    )
    assert "<html" in restored.text and plan_of(restored.text) == plan_of(panel.text)


async def test_each_pay_fills_in_its_part_and_the_rest_is_worked_out_from_what_is_left(
    client: Client, session: AsyncSession, app: Litestar
) -> None:
    app.state.terminal = SimulatedTerminal()
    check, headers = await table_of_three(client, session)
    check_id = check.rsplit("/", 1)[1]

    first = (await client.get(f"{check}/pay?amount=3000&then=2500")).text
    assert field(first, "Amount on card") == "30.00"
    assert field(first, "Amount on cash") == "30.00"
    assert "This guest pays $30.00: it is filled in below." in first
    assert f'href="/checks/{check_id}/split/amounts?amount=25.00">Back to split by amount' in first
    version = re.search(r'name="version" value="(\d+)"', first)
    assert version
    card = await client.post(
        f"{check}/pay/card",
        data={"key": "guest-1", "version": version.group(1), "amount": "30.00"},
        headers=headers,
    )
    assert "Card approved" in card.text
    assert re.search(r'id="balance">\$38\.98<', card.text)
    assert field(card.text, "Amount on card") == "38.98"  # the next guest is not guessed
    # Ana's Pay link again (Back, an old tab): the check has moved on, nothing is filled in.
    stale = (await client.get(f"{check}/pay?amount=3000&v={version.group(1)}&then=2500")).text
    assert "The check has changed since this plan was made" in stale
    assert field(stale, "Amount on card") == "38.98"

    # Back on the split screen: the card's part is gone, the others keep their cents.
    panel = (await client.get(f"{check}/split/amounts?amount=25.00", headers=headers)).text
    assert plan_of(panel) == [
        ("$25.00", "$2.17", f"/checks/{check_id}/pay?amount=2500"),
        ("$13.98", "$1.21", f"/checks/{check_id}/pay?amount=1398&then=2500"),
    ]
    assert "($30.00 paid already)" in panel

    second = (await client.get(f"{check}/pay?amount=2500")).text
    quick = re.findall(
        r'name="tendered" value="([^"]*)">\s*<input type="hidden" name="amount" value="([^"]*)"',
        second,
    )
    assert quick[0] == ("25.00", "25.00")  # "Exact $25.00" pays this part, not the balance
    version = re.search(r'name="version" value="(\d+)"', second)
    assert version
    cash = await client.post(
        f"{check}/pay/cash",
        data={"key": "guest-2", "version": version.group(1), "tendered": "40", "amount": "25"},
        headers=headers,
    )
    assert re.search(r'id="change-due">\$15\.00<', cash.text)
    assert re.search(r'id="balance">\$13\.98<', cash.text)

    last = (await client.get(f"{check}/split/amounts", headers=headers)).text
    assert plan_of(last) == [("$13.98", "$1.21", f"/checks/{check_id}/pay?amount=1398")]
    third = (await client.get(f"{check}/pay?amount=1398")).text
    assert field(third, "Amount on card") == "13.98"
    version = re.search(r'name="version" value="(\d+)"', third)
    assert version
    closed = await client.post(
        f"{check}/pay/card",
        data={"key": "guest-3", "version": version.group(1), "amount": "13.98"},
        headers=headers,
    )
    assert "is closed" in closed.text
    session.expire_all()
    paid = (await session.scalars(select(Payment.amount).order_by(Payment.id))).all()
    assert list(paid) == [3000, 2500, 1398]
    await session.rollback()

    after = await client.get(f"{check}/split/amounts?amount=10", headers=headers)
    assert after.status_code == 422 and "is closed: nothing is owed" in after.text
    reloaded = await client.get(f"{check}/split/amounts?amount=10")  # the pay screen's link
    assert reloaded.status_code == 422 and "is closed: nothing is owed" in reloaded.text
    assert 'id="by-amount"' not in reloaded.text


async def test_bad_amounts_are_refused_with_a_reason_and_change_nothing(
    client: Client, session: AsyncSession
) -> None:
    check, headers = await table_of_three(client, session)
    before = await written(session)
    cases = [
        ("amount=0", "more than zero"),
        ("amount=-5", "cannot be negative"),
        ("amount=thirty", "is not an amount"),
        ("amount=12.345", "more than 2 decimal places"),
        ("amount=50&amount=30", "add up to $80.00, more than the $68.98 still owed"),
        ("&".join(["amount=1"] * 20), "at most 20 parts"),
        ("&".join(["amount=1"] * 21), "at most 20 parts"),
    ]
    for query, message in cases:
        answer = await client.get(f"{check}/split/amounts?{query}", headers=headers)
        assert answer.status_code == 422, (query, answer.text)
        assert answer.headers["hx-retarget"] == "#flash"
        assert message in html.unescape(answer.text), (query, answer.text)
        # Reloaded without htmx, the split screen says it beside the fields, typed as typed.
        page = await client.get(f"{check}/split/amounts?{query}")
        assert page.status_code == 422 and "<html" in page.text
        assert message in html.unescape(page.text), (query, page.text)
        assert plan_of(page.text) == []
    page = await client.get(f"{check}/split/amounts?amount=50&amount=30")
    assert [field(page.text, f"Guest {n} pays") for n in (1, 2)] == ["50", "30"]
    assert await written(session) == before


async def test_nothing_owing_and_a_split_check_are_refused(
    client: Client, session: AsyncSession
) -> None:
    headers = {**HX, "X-CSRF-Token": await sign_in(client, "Maria")}
    opened = await client.post(
        f"/floor/tables/{await table_id(session, '3')}/open", data={"guests": "2"}, headers=headers
    )
    empty = str(opened.headers["hx-redirect"])
    nothing = await client.get(f"{empty}/split/amounts?amount=5", headers=headers)
    assert nothing.status_code == 422 and "Nothing is owed on check" in nothing.text

    check, headers = await table_of_three(client, session)  # signed in again: a new token
    check_id = int(check.rsplit("/", 1)[1])
    page = (await client.get(f"{check}/split")).text
    versions = dict(re.findall(r'name="(v\d+)" value="(\d+)"', page))
    negroni = await session.scalar(select(CheckLine.id).where(CheckLine.name == "Negroni"))
    await session.rollback()
    split = await client.post(
        f"{check}/split/items",
        data={"line": str(negroni), "to": "", "key": "items", **versions},
        headers=headers,
    )
    assert split.status_code == 200 and 'id="by-amount"' not in split.text
    refused = await client.get(f"{check}/split/amounts?amount=10", headers=headers)
    assert refused.status_code == 422 and "is split into checks" in refused.text
    reloaded = await client.get(f"{check}/split/amounts?amount=10")
    assert reloaded.status_code == 422 and "is split into checks" in reloaded.text
    session.expire_all()
    parts = await session.scalar(select(func.count()).where(Check.split_from_id == check_id))
    assert parts == 1


async def test_pay_screen_ignores_a_part_it_cannot_use_and_says_so(
    client: Client, session: AsyncSession
) -> None:
    check, _ = await table_of_three(client, session)
    too_much = (await client.get(f"{check}/pay?amount=9000")).text
    assert "This part ($90.00) is more than the balance now" in too_much
    assert field(too_much, "Amount on card") == "68.98"
    assert field(too_much, "Amount on cash") == ""
    garbled = (await client.get(f"{check}/pay?amount=30.00&then=x")).text
    assert "could not be read" in garbled and "Back to split by amount" not in garbled
    assert field(garbled, "Amount on card") == "68.98"
    plain = (await client.get(f"{check}/pay")).text
    assert "filled in below" not in plain and "Back to split by amount" not in plain
