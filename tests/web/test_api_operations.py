"""What the screens do, an integration does over /api/v1: fire held courses, pay by card
exactly once, split, void and comp with a manager's PIN, discount, read the menu and staff."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.models import Payment
from app.billing.terminal import SimulatedTerminal
from tests.conftest import PINS, STAFF_IDS, api_bearer
from tests.demo_ids import item_id, table_id

Client = AsyncTestClient[Litestar]

#: The one way these tests sign in over the API (conftest's, as an integration does).
bearer = api_bearer


async def _seat(client: Client, auth: dict[str, str], table: int, *items: int) -> int:
    opened = await client.post(
        "/api/v1/checks", json={"table_id": table, "guests": max(2, len(items))}, headers=auth
    )
    assert opened.status_code == 201, opened.text
    check = int(opened.json()["check_id"])
    for n, item in enumerate(items, 1):
        added = await client.post(
            f"/api/v1/checks/{check}/lines", json={"item_id": item, "seat": n}, headers=auth
        )
        assert added.status_code == 201, added.text
    return check


async def _check(client: Client, auth: dict[str, str], check: int) -> dict[str, Any]:
    found = await client.get(f"/api/v1/checks/{check}", headers=auth)
    assert found.status_code == 200, found.text
    body: dict[str, Any] = found.json()
    return body


async def test_api_check_with_a_held_main_is_fired_then_paid_by_card_once(
    client: Client, session: AsyncSession
) -> None:
    maria = await bearer(client, "Maria")
    starter, main = await item_id(session, "Burrata"), await item_id(session, "Salmon")
    check = await _seat(client, maria, await table_id(session, "P3"), starter, main)
    assert (await client.post(f"/api/v1/checks/{check}/send", headers=maria)).json() == {"sent": 1}
    view = await _check(client, maria, check)
    assert view["held"] == 1 and view["balance"] == 4200 + 373

    card = {"amount": view["balance"], "version": view["version"], "tip": 500}
    refused = await client.post(
        f"/api/v1/checks/{check}/payments/card",
        json=card,
        headers={**maria, "Idempotency-Key": "c1"},
    )
    assert refused.status_code == 422
    assert refused.json() == {
        "error": "Some items are still held: fire or clear them before taking payment.",
        "status": 422,
    }

    fired = await client.post(f"/api/v1/checks/{check}/courses/mains/fire", headers=maria)
    assert fired.status_code == 200, fired.text
    assert fired.json()["fired"] == 1 and fired.json()["check"]["held"] == 0
    card["version"] = fired.json()["check"]["version"]

    terminal = SimulatedTerminal(outcome="timeout_after_approve")
    client.app.state.terminal = terminal
    key = {**maria, "Idempotency-Key": "card-1"}
    first = await client.post(f"/api/v1/checks/{check}/payments/card", json=card, headers=key)
    assert first.status_code == 200 and first.json()["status"] == "timed_out"
    # The screen's Retry: the same key asks the terminal what became of it, never charges twice.
    again = await client.post(f"/api/v1/checks/{check}/payments/card", json=card, headers=key)
    assert again.json()["status"] == "approved" and again.json()["closed"] is True
    third = await client.post(f"/api/v1/checks/{check}/payments/card", json=card, headers=key)
    assert third.json() == again.json()
    assert terminal.charge_calls == 1
    payments = await session.scalar(
        select(func.count()).select_from(Payment).where(Payment.check_id == check)
    )
    assert payments == 1
    assert (await _check(client, maria, check))["status"] == "closed"


async def test_card_payment_over_the_api_needs_an_idempotency_key(
    client: Client, session: AsyncSession
) -> None:
    maria = await bearer(client, "Maria")
    check = await _seat(
        client, maria, await table_id(session, "P3"), await item_id(session, "Burrata")
    )
    await client.post(f"/api/v1/checks/{check}/send", headers=maria)
    view = await _check(client, maria, check)
    card = {"amount": view["balance"], "version": view["version"]}
    answer = await client.post(f"/api/v1/checks/{check}/payments/card", json=card, headers=maria)
    assert answer.status_code == 422 and "Idempotency-Key" in answer.json()["error"]
    assert (await _check(client, maria, check))["paid"] == 0


async def test_a_void_over_the_api_needs_another_managers_pin(
    client: Client, session: AsyncSession
) -> None:
    mia = await bearer(client, "Mia")
    check = await _seat(
        client, mia, await table_id(session, "P3"), await item_id(session, "Burrata")
    )
    await client.post(f"/api/v1/checks/{check}/send", headers=mia)
    line = (await _check(client, mia, check))["courses"][0]["lines"][0]["id"]
    url = f"/api/v1/checks/{check}/lines/{line}/void"
    void = {"reason": "dropped on the floor", "waste": True}

    own = await client.post(
        url, json={**void, "approver_id": STAFF_IDS["Mia"], "pin": PINS["Mia"]}, headers=mia
    )
    assert own.status_code == 403
    assert own.json()["error"] == "You cannot approve your own request: ask another manager."
    server = await client.post(
        url, json={**void, "approver_id": STAFF_IDS["Sam"], "pin": PINS["Sam"]}, headers=mia
    )
    assert server.status_code == 403 and "is not a manager" in server.json()["error"]
    wrong = await client.post(
        url, json={**void, "approver_id": STAFF_IDS["Olivia"], "pin": "0000"}, headers=mia
    )
    assert wrong.status_code == 403
    assert (await _check(client, mia, check))["courses"][0]["lines"][0]["status"] == "fired"

    done = await client.post(
        url, json={**void, "approver_id": STAFF_IDS["Olivia"], "pin": PINS["Olivia"]}, headers=mia
    )
    assert done.status_code == 200, done.text
    voided = done.json()["courses"][0]["lines"][0]
    assert (voided["status"], voided["void_reason"]) == ("void", "dropped on the floor")
    assert done.json()["balance"] == 0


async def test_a_comp_over_the_api_is_approved_by_the_manager_on_duty(
    client: Client, session: AsyncSession
) -> None:
    maria = await bearer(client, "Maria")
    check = await _seat(
        client, maria, await table_id(session, "P3"), await item_id(session, "Burrata")
    )
    await client.post(f"/api/v1/checks/{check}/send", headers=maria)
    line = (await _check(client, maria, check))["courses"][0]["lines"][0]["id"]
    comped = await client.post(
        f"/api/v1/checks/{check}/lines/{line}/comp",
        json={"reason": "birthday", "approver_id": STAFF_IDS["Mia"], "pin": PINS["Mia"]},
        headers=maria,
    )
    assert comped.status_code == 200, comped.text
    assert comped.json()["courses"][0]["lines"][0]["comped"] is True
    assert comped.json()["totals"]["total"] == 0


async def test_a_split_evenly_over_the_api_sums_to_the_check_and_undoes(
    client: Client, session: AsyncSession
) -> None:
    maria = await bearer(client, "Maria")
    items = [await item_id(session, n) for n in ("Burrata", "Calamari", "Garlic Bread")]
    check = await _seat(client, maria, await table_id(session, "P3"), *items)
    await client.post(f"/api/v1/checks/{check}/send", headers=maria)
    before = await _check(client, maria, check)

    split = await client.post(
        f"/api/v1/checks/{check}/split/even",
        json={"parts": 3, "version": before["version"]},
        headers={**maria, "Idempotency-Key": "even-3"},
    )
    assert split.status_code == 200, split.text
    family = [split.json()["root"], *split.json()["parts"]]
    assert len(family) == 3
    assert sum(c["totals"]["total"] for c in family) == before["totals"]["total"]
    assert sum(c["totals"]["tax"] for c in family) == before["totals"]["tax"]
    assert max(c["balance"] for c in family) - min(c["balance"] for c in family) <= 1

    stale = await client.post(
        f"/api/v1/checks/{check}/split/undo", json={"version": before["version"]}, headers=maria
    )
    assert stale.status_code == 409
    undone = await client.post(
        f"/api/v1/checks/{check}/split/undo",
        json={"version": split.json()["root"]["version"]},
        headers=maria,
    )
    assert undone.status_code == 200, undone.text
    assert undone.json()["parts"] == []
    assert undone.json()["root"]["totals"]["total"] == before["totals"]["total"]


async def test_a_big_discount_over_the_api_waits_for_a_manager(
    client: Client, session: AsyncSession
) -> None:
    maria = await bearer(client, "Maria")
    check = await _seat(
        client, maria, await table_id(session, "P3"), await item_id(session, "Salmon")
    )
    named = (await client.get("/api/v1/discounts", headers=maria)).json()
    staff_meal = next(d for d in named if d["name"] == "Staff meal")
    assert (staff_meal["kind"], staff_meal["value"], staff_meal["needs_approval"]) == (
        "percent",
        500_000,
        True,
    )
    url = f"/api/v1/checks/{check}/discounts"
    alone = await client.post(
        url, json={"discount_id": staff_meal["id"], "reason": "Sam"}, headers=maria
    )
    assert alone.status_code == 403
    assert (await _check(client, maria, check))["totals"]["discounts"] == 0
    approved = await client.post(
        url,
        json={
            "discount_id": staff_meal["id"],
            "reason": "Sam's dinner",
            "approver_id": STAFF_IDS["Mia"],
            "pin": PINS["Mia"],
        },
        headers=maria,
    )
    assert approved.status_code == 201, approved.text
    assert approved.json()["totals"]["discounts"] == 1400
    applied = approved.json()["discounts"][0]["id"]
    typed = await client.post(
        url,
        json={
            "kind": "amount",
            "value": 100,
            "reason": "late",
            "approver_id": STAFF_IDS["Mia"],
            "pin": PINS["Mia"],
        },
        headers=maria,
    )
    assert typed.status_code == 201 and typed.json()["totals"]["discounts"] == 1500
    removed = await client.post(
        f"{url}/remove", json={"applied_id": applied, "reason": "wrong check"}, headers=maria
    )
    assert removed.status_code == 200 and removed.json()["totals"]["discounts"] == 100


async def test_integration_orders_a_steak_from_the_menu_with_its_modifier_ids(
    client: Client, session: AsyncSession
) -> None:
    maria = await bearer(client, "Maria")
    menu = (await client.get("/api/v1/menu", headers=maria)).json()
    items = {item["name"]: item for category in menu for item in category["items"]}
    ribeye = items["Ribeye 12oz"]
    assert ribeye["price"] == 3800
    temperature = next(g for g in ribeye["groups"] if g["name"] == "Temperature")
    medium_rare = next(o for o in temperature["options"] if o["name"] == "Medium rare")
    check = await _seat(client, maria, await table_id(session, "P3"))
    added = await client.post(
        f"/api/v1/checks/{check}/lines",
        json={"item_id": ribeye["id"], "options": [medium_rare["id"]]},
        headers=maria,
    )
    assert added.status_code == 201, added.text
    line = (await _check(client, maria, check))["courses"][0]["lines"][0]
    assert (line["name"], line["modifiers"]) == ("Ribeye 12oz", "Medium rare")


async def test_staff_list_over_the_api_names_roles_and_never_pins(client: Client) -> None:
    maria = await bearer(client, "Maria")
    answer = await client.get("/api/v1/staff", headers=maria)
    assert answer.status_code == 200
    people = {p["name"]: p for p in answer.json()}
    assert people["Mia"] == {
        "id": STAFF_IDS["Mia"],
        "name": "Mia",
        "role": "manager",
        "approves": True,
    }
    assert people["Maria"]["approves"] is False
    assert "pin" not in answer.text.lower()


async def test_holding_one_line_over_the_api_keeps_it_back_from_fire_all(
    client: Client, session: AsyncSession
) -> None:
    maria = await bearer(client, "Maria")
    mains = [await item_id(session, n) for n in ("Burrata", "Salmon", "Roast Chicken")]
    check = await _seat(client, maria, await table_id(session, "P3"), *mains)
    lines = {
        ln["name"]: ln["id"]
        for c in (await _check(client, maria, check))["courses"]
        for ln in c["lines"]
    }
    held = await client.post(
        f"/api/v1/checks/{check}/lines/{lines['Roast Chicken']}/hold",
        json={"hold": True},
        headers=maria,
    )
    assert held.status_code == 200, held.text
    await client.post(f"/api/v1/checks/{check}/send", headers=maria)
    fired = await client.post(f"/api/v1/checks/{check}/courses/mains/fire", headers=maria)
    assert fired.json()["fired"] == 1  # the salmon; the chicken stays back
    everything = await client.post(f"/api/v1/checks/{check}/fire-all", headers=maria)
    assert everything.json()["fired"] == 1 and everything.json()["check"]["held"] == 0
    nothing = await client.post(f"/api/v1/checks/{check}/fire-all", headers=maria)
    assert nothing.status_code == 422
    assert nothing.json() == {"error": "Nothing is held on this check.", "status": 422}
