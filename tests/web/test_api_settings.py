"""A group scripts its settings over /api/v1/settings: the Settings page's rules, refusals and
audit; managers and owners only; bad input a sentence, never a 500; a partial change never
undoes another made meanwhile."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import asyncpg
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.backoffice.settings import as_asked, read_settings, settings_of
from app.orders.models import Check
from app.platform.models import AuditEntry
from tests import pg
from tests.conftest import api_bearer
from tests.demo_ids import table_id
from tests.web.test_office_settings import location
from tests.web.test_pay_routes import Client

SETTINGS = "/api/v1/settings"
DEMO = {
    "name": "Brigade Bistro",
    "currency": "USD",
    "prices_include_tax": False,
    "tax_rounding": "line",
    "auto_gratuity_party_size": 8,
    "auto_gratuity_ppm": 180_000,
    "discount_approval_ppm": 200_000,
    "tip_suggestions": [150_000, 180_000, 200_000],
    "day_starts_hour": 4,
    "training_mode": True,
}


async def audit_rows(session: AsyncSession) -> list[tuple[int | None, dict[str, Any]]]:
    """Who changed the settings, and what: (actor, detail) per change, oldest first."""
    session.expire_all()
    rows = await session.execute(
        select(AuditEntry.actor_id, AuditEntry.detail)
        .where(AuditEntry.action == "change_settings")
        .order_by(AuditEntry.id)
    )
    found = [(actor, detail) for actor, detail in rows]
    await session.rollback()
    return found


async def test_a_manager_reads_the_settings_and_changes_two_of_them(
    client: Client, session: AsyncSession
) -> None:
    mia = await api_bearer(client, "Mia")
    read = await client.get(SETTINGS, headers=mia)
    changed = await client.patch(
        SETTINGS, json={"tip_suggestions": [220_000, 150_000], "day_starts_hour": 5}, headers=mia
    )
    again = await client.patch(
        SETTINGS, json={"tip_suggestions": [150_000, 220_000], "day_starts_hour": 5}, headers=mia
    )
    never = await client.patch(SETTINGS, json={"auto_gratuity_party_size": 0}, headers=mia)

    assert read.status_code == 200, read.text
    assert DEMO.items() <= read.json().items()
    assert changed.status_code == 200, changed.text
    assert changed.json()["changed"] == ["tip_suggestions", "day_starts_hour"]
    assert changed.json()["settings"]["tip_suggestions"] == [150_000, 220_000]
    assert again.json()["changed"] == []  # the same body twice changes nothing the second time
    assert never.json()["settings"]["auto_gratuity_party_size"] == 0
    now = await location(session)
    assert (now.tip_suggestions, now.day_starts_hour) == ("150000,220000", 5)
    assert now.auto_gratuity_party_size is None  # 0 over the API: never automatic
    rows = await audit_rows(session)
    assert len(rows) == 2 and all(actor for actor, _ in rows)
    assert rows[0][1]["changed"]["day_starts_hour"] == [4, 5]


async def test_a_tax_mode_change_over_the_api_makes_every_open_check_newer(
    client: Client, session: AsyncSession
) -> None:
    maria, mia = await api_bearer(client, "Maria"), await api_bearer(client, "Mia")
    table = await table_id(session, "P3")
    opened = await client.post(
        "/api/v1/checks", json={"table_id": table, "guests": 2}, headers=maria
    )
    check = opened.json()["check_id"]
    before = (await client.get(f"/api/v1/checks/{check}", headers=maria)).json()["version"]

    changed = await client.patch(SETTINGS, json={"tax_rounding": "check"}, headers=mia)

    assert changed.json()["changed"] == ["tax_rounding"]
    after = (await client.get(f"/api/v1/checks/{check}", headers=maria)).json()["version"]
    assert after == before + 1
    assert await session.scalar(select(Check.version).where(Check.id == check)) == after


async def test_only_managers_and_owners_read_or_change_the_settings(client: Client) -> None:
    answers = {}
    for name in ("Maria", "Lee", "Ode", "Olivia"):
        auth = await api_bearer(client, name)
        answers[name] = (
            await client.get(SETTINGS, headers=auth),
            await client.patch(SETTINGS, json={"day_starts_hour": 6}, headers=auth),
        )
    anonymous = await client.patch(SETTINGS, json={"day_starts_hour": 6})

    for name in ("Maria", "Lee", "Ode"):
        for answer in answers[name]:
            assert answer.status_code == 403, (name, answer.text)
            assert answer.json()["error"].endswith(".")
    assert [a.status_code for a in answers["Olivia"]] == [200, 200]
    assert anonymous.status_code == 401 and set(anonymous.json()) == {"error", "status"}


async def test_bad_settings_are_refused_with_a_sentence_and_change_nothing(
    client: Client, session: AsyncSession
) -> None:
    mia = await api_bearer(client, "Mia")
    bodies: list[tuple[Any, int, str]] = [
        ({"name": ""}, 422, "Give the restaurant a name"),
        ({"name": "   "}, 422, "Give the restaurant a name"),
        ({"name": "Bistro\u0000"}, 422, "control character"),
        ({"name": 5}, 400, "name"),
        ({"tax_rounding": "sometimes"}, 400, "tax_rounding"),
        ({"tip_suggestions": [150_000, 150_000]}, 422, "repeat a percentage"),
        ({"tip_suggestions": []}, 400, "tip_suggestions"),
        ({"tip_suggestions": [10_000] * 5}, 400, "tip_suggestions"),
        ({"auto_gratuity_ppm": 185_000}, 400, "auto_gratuity_ppm"),
        ({"auto_gratuity_ppm": 2_000_000}, 400, "auto_gratuity_ppm"),
        ({"discount_approval_ppm": 2**64 + 1}, 422, "too large"),
        ({"discount_approval_ppm": -10_000}, 400, "discount_approval_ppm"),
        ({"auto_gratuity_party_size": 100}, 400, "auto_gratuity_party_size"),
        ({"day_starts_hour": "five"}, 400, "day_starts_hour"),
        ({"day_starts_hour": 24}, 400, "day_starts_hour"),
        ({"training_mode": "yes"}, 400, "training_mode"),
        ([1, 2], 400, "not valid"),
    ]
    answers = [await client.patch(SETTINGS, json=body, headers=mia) for body, _, _ in bodies]
    garbled = await client.patch(
        SETTINGS, content=b'{"name": ', headers={**mia, "Content-Type": "application/json"}
    )

    for (body, status, words), answer in zip(bodies, answers, strict=True):
        assert answer.status_code == status, (body, answer.text)
        assert set(answer.json()) == {"error", "status"}, body
        assert words in answer.json()["error"] and answer.json()["error"].endswith("."), (
            body,
            answer.text,
        )
    assert garbled.status_code == 400 and garbled.json()["status"] == 400
    now = await location(session)
    assert (now.name, now.tip_suggestions, now.day_starts_hour) == (
        "Brigade Bistro",
        "150000,180000,200000",
        4,
    )
    assert await audit_rows(session) == []


async def test_a_change_of_one_setting_never_undoes_another_saved_meanwhile(
    client: Client, session: AsyncSession, db_url: str
) -> None:
    """Forced interleaving: another writer holds the row while it saves the day's hour; the
    API's change of the tips waits for it, then keeps that hour instead of writing back the
    hour it would have read before."""
    mia = await api_bearer(client, "Mia")
    holding, done = threading.Event(), threading.Event()

    async def other_writer() -> None:
        conn = await asyncpg.connect(pg.raw(db_url))
        try:
            async with conn.transaction():
                await conn.execute("SELECT 1 FROM location FOR UPDATE")
                holding.set()
                await asyncio.sleep(0.5)  # the PATCH reaches the row meanwhile, and waits
                await conn.execute("UPDATE location SET day_starts_hour = 6")
        finally:
            await conn.close()
            done.set()

    writer = threading.Thread(target=lambda: asyncio.run(other_writer()))
    writer.start()
    assert holding.wait(10)
    # The test client runs the app in its own thread and blocks this loop until it answers.
    answer = await client.patch(SETTINGS, json={"tip_suggestions": [200_000]}, headers=mia)
    writer.join(10)

    assert done.is_set()
    assert answer.status_code == 200 and answer.json()["changed"] == ["tip_suggestions"]
    now = await location(session)
    assert (now.tip_suggestions, now.day_starts_hour) == ("200000", 6)


async def test_the_form_words_read_back_to_the_same_settings(session: AsyncSession) -> None:
    """The API speaks to the settings page's reader in the form's words: that must be
    lossless, or a PATCH of one field would quietly change another."""
    demo = settings_of(await location(session))
    assert read_settings(as_asked(demo)) == demo
