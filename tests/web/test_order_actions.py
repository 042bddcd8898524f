"""The order screen's commands over HTTP, each with the wrong inputs a busy night produces."""

from __future__ import annotations

import re

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.orders.models import Check, CheckLine
from app.platform.models import AuditEntry
from tests.conftest import PINS, STAFF_IDS, sign_in
from tests.demo_ids import item_id, table_id

Client = AsyncTestClient[Litestar]


async def _order(
    client: Client,
    session: AsyncSession,
    signed: str | dict[str, str] = "Maria",
    table: str = "5",
    *items: str,
) -> tuple[str, dict[str, str]]:
    """Seat two guests and order; ``signed`` is who signs in, or an open session's headers."""
    if isinstance(signed, dict):
        headers = signed
    else:
        headers = {"HX-Request": "true", "X-CSRF-Token": await sign_in(client, signed)}
    opened = await client.post(
        f"/floor/tables/{await table_id(session, table)}/open",
        data={"guests": "2"},
        headers=headers,
    )
    check = opened.headers["hx-redirect"]
    for name in items:
        added = await client.post(
            f"{check}/lines", data={"item_id": str(await item_id(session, name))}, headers=headers
        )
        assert added.status_code == 200, added.text
    return check, headers


async def _line(session: AsyncSession, name: str) -> int:
    session.expire_all()
    found = await session.scalar(
        select(CheckLine.id).where(CheckLine.name == name).order_by(CheckLine.id.desc())
    )
    assert found
    return int(found)


async def test_send_holds_dessert_and_firing_it_sends_it(
    client: Client, session: AsyncSession
) -> None:
    check, headers = await _order(client, session, "Maria", "5", "Calamari", "Tiramisu")
    sent = await client.post(f"{check}/send", headers=headers)
    assert "Sent 1 item" in sent.text and "Fire Desserts" in sent.text and "held" in sent.text
    empty = await client.post(f"{check}/fire/starters", headers=headers)
    assert empty.status_code == 422 and "Nothing held in Starters to fire" in empty.text
    fired = await client.post(f"{check}/fire/desserts", headers=headers)
    assert fired.status_code == 200 and "Desserts fired (1)" in fired.text
    assert "Fire Desserts" not in fired.text


async def test_line_sheet_offers_void_only_for_fired_lines(
    client: Client, session: AsyncSession
) -> None:
    check, headers = await _order(client, session, "Maria", "5", "Calamari", "Tiramisu")
    await client.post(f"{check}/send", headers=headers)
    calamari = await client.get(
        f"{check}/lines/{await _line(session, 'Calamari')}", headers=headers
    )
    assert (
        ">Void<" in calamari.text
        and "Mia" in calamari.text
        and "Maria" not in calamari.text.split("Manager")[1]
    )
    tiramisu = await client.get(
        f"{check}/lines/{await _line(session, 'Tiramisu')}", headers=headers
    )
    assert ">Void<" not in tiramisu.text and "Clear (nothing cooked)" in tiramisu.text


async def test_void_needs_a_manager_pin_that_is_not_the_proposers(
    client: Client, session: AsyncSession
) -> None:
    check, headers = await _order(client, session, "Mia", "6", "Calamari")
    await client.post(f"{check}/send", headers=headers)
    line = await _line(session, "Calamari")
    url = f"{check}/lines/{line}/void"
    no_pin = await client.post(
        url, data={"reason": "cold", "manager": str(STAFF_IDS["Olivia"])}, headers=headers
    )
    assert no_pin.status_code == 422 and "4 to 6 digit PIN" in no_pin.text
    own = await client.post(
        url,
        data={"reason": "cold", "manager": str(STAFF_IDS["Mia"]), "pin": PINS["Mia"]},
        headers=headers,
    )
    assert own.status_code == 403 and "cannot approve your own" in own.text
    server = await client.post(
        url,
        data={"reason": "cold", "manager": str(STAFF_IDS["Sam"]), "pin": PINS["Sam"]},
        headers=headers,
    )
    assert server.status_code == 403 and "Sam is not a manager" in server.text
    no_reason = await client.post(
        url,
        data={"reason": "", "manager": str(STAFF_IDS["Olivia"]), "pin": PINS["Olivia"]},
        headers=headers,
    )
    assert no_reason.status_code == 422 and "Say why" in no_reason.text
    session.expire_all()
    assert (await session.get(CheckLine, line)).status == "fired"  # type: ignore[union-attr]
    ok = await client.post(
        url,
        data={
            "reason": "cold",
            "waste": "1",
            "manager": str(STAFF_IDS["Olivia"]),
            "pin": PINS["Olivia"],
        },
        headers=headers,
    )
    assert ok.status_code == 200 and "Voided; the kitchen was told." in ok.text
    audit = await session.scalar(select(AuditEntry).where(AuditEntry.action == "void_line"))
    assert audit is not None and (audit.actor_id, audit.approver_id) == (
        STAFF_IDS["Mia"],
        STAFF_IDS["Olivia"],
    )


async def test_comp_takes_the_price_off_the_total(client: Client, session: AsyncSession) -> None:
    check, headers = await _order(client, session, "Maria", "7", "Espresso", "Lemonade")
    line = await _line(session, "Espresso")
    comped = await client.post(
        f"{check}/lines/{line}/comp",
        data={"reason": "regular", "manager": str(STAFF_IDS["Mia"]), "pin": PINS["Mia"]},
        headers=headers,
    )
    assert comped.status_code == 200 and "Comps" in comped.text and "−$3.50" in comped.text
    assert "Comp: regular" in comped.text  # the reason shows on the line, as a void's does


async def test_party_details_show_on_the_check(client: Client, session: AsyncSession) -> None:
    check, headers = await _order(client, session, "Maria", "8")
    drawn = await client.get(f"{check}/table", headers=headers)
    version = re.search(r'name="version" value="(\d+)"', drawn.text)
    assert version, "the sheet carries the version it was drawn from"
    saved = await client.post(
        f"{check}/party",
        data={
            "guests": "4",
            "allergies": "seat 2 peanuts",
            "notes": "birthday",
            "version": version.group(1),
        },
        headers=headers,
    )
    assert saved.status_code == 200
    assert "ALLERGY" in saved.text and "seat 2 peanuts" in saved.text and "4 guests" in saved.text
    bad = await client.post(
        f"{check}/party",
        data={"guests": "0", "version": str(int(version.group(1)) + 1)},
        headers=headers,
    )
    assert bad.status_code == 422 and "between 1 and 99" in bad.text
    sheet = await client.get(f"{check}/table", headers=headers)
    assert 'value="seat 2 peanuts"' in sheet.text


async def test_transfer_and_merge_from_the_table_sheet(
    client: Client, session: AsyncSession
) -> None:
    check, headers = await _order(client, session, "Maria", "9", "Negroni")
    other, _ = await _order(client, session, headers, "10", "Prosecco")
    moved = await client.post(
        f"{check}/transfer", data={"table": str(await table_id(session, "P2"))}, headers=headers
    )
    assert moved.status_code == 200 and "Table P2" in moved.text
    taken = await client.post(
        f"{check}/transfer", data={"table": str(await table_id(session, "10"))}, headers=headers
    )
    assert taken.status_code == 409 and "merge the checks instead" in taken.text
    other_id = other.rsplit("/", 1)[1]
    merged = await client.post(f"{check}/merge", data={"other": other_id}, headers=headers)
    assert merged.status_code == 200 and "Prosecco" in merged.text and "Negroni" in merged.text
    session.expire_all()
    assert (await session.get(Check, int(other_id))).status == "merged"  # type: ignore[union-attr]
    again = await client.post(f"{check}/merge", data={"other": other_id}, headers=headers)
    assert again.status_code == 403 and "is closed" in again.text


async def test_plain_form_post_is_redirected_back_to_the_order_screen(
    client: Client, session: AsyncSession
) -> None:
    check, headers = await _order(client, session, "Maria", "11")
    plain = await client.post(
        f"{check}/lines",
        data={"item_id": str(await item_id(session, "Lemonade")), "_csrf": headers["X-CSRF-Token"]},
    )
    assert plain.status_code in (200, 303)
    page = await client.get(check)
    assert re.search(r"Lemonade", page.text)
