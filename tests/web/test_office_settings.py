"""The back office's settings page: every setting the docs name, audited, refused with a
sentence when wrong; a tax-mode change reprices open checks and a stale pay screen's
payment is refused."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.models import Payment
from app.orders.models import Check
from app.platform.models import AuditEntry, Location
from tests.conftest import sign_in
from tests.web.test_pay_routes import HX, Client, count, field, sent_check

DEMO = {
    "name": "Brigade Bistro",
    "tax_rounding": "line",
    "auto_gratuity_party_size": "8",
    "auto_gratuity_percent": "18",
    "discount_approval_percent": "20",
    "tip_suggestions": "15, 18, 20",
    "day_starts_hour": "4",
    "training_mode": "1",
}


async def location(session: AsyncSession) -> Location:
    session.expire_all()
    found = (await session.scalars(select(Location))).one()
    session.expunge(found)  # read as it is now, then let go of the snapshot
    await session.rollback()
    return found


async def save(client: Client, csrf: str, **changes: Any) -> Any:
    data = {k: v for k, v in {**DEMO, **changes}.items() if v is not None}
    return await client.post("/office/settings", data=data, headers={**HX, "X-CSRF-Token": csrf})


async def test_a_manager_changes_the_settings_and_the_audit_says_what_changed(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    page = await client.get("/office/settings")
    saved = await save(client, csrf, tip_suggestions="20, 15%, 22", day_starts_hour="5")
    same = await save(client, csrf, tip_suggestions="15, 20, 22", day_starts_hour="5")

    assert page.status_code == 200
    assert 'value="15, 18, 20"' in page.text and "Training mode" in page.text
    assert saved.status_code == 200 and "Saved: tip suggestions, day starts hour." in saved.text
    assert "Nothing changed." in same.text
    now = await location(session)
    assert now.tip_suggestions == "150000,200000,220000" and now.day_starts_hour == 5
    entry = (
        await session.scalars(select(AuditEntry).where(AuditEntry.action == "change_settings"))
    ).one()
    assert entry.actor_id is not None
    assert entry.detail["changed"]["day_starts_hour"] == [4, 5]


async def test_settings_refuse_what_a_restaurant_cannot_run_on_and_change_nothing(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    refusals = {
        "tax_rounding": ("sometimes", "rounded on every line or once per check"),
        "tip_suggestions": ("lots", "A suggested tip must be a whole number"),
        "auto_gratuity_party_size": ("٣", "must be a whole number"),
        "auto_gratuity_percent": ("101", "between 0 and 100"),
        "day_starts_hour": ("99999999999999999999", "between 0 and 23"),
        "name": ("Bistro\x00", "control character"),
    }
    answers = {name: await save(client, csrf, **{name: bad}) for name, (bad, _) in refusals.items()}
    repeated = await save(client, csrf, tip_suggestions="18, 18")

    for name, (_, sentence) in refusals.items():
        assert answers[name].status_code == 422, (name, answers[name].text[:200])
        assert sentence in answers[name].text, (name, answers[name].text[:400])
    assert repeated.status_code == 422 and "repeat a percentage" in repeated.text
    now = await location(session)
    assert (now.tax_rounding, now.tip_suggestions) == ("line", "150000,180000,200000")
    assert not (
        await session.scalars(select(AuditEntry.id).where(AuditEntry.action == "change_settings"))
    ).all()


async def test_a_server_cannot_reach_the_settings(client: Client) -> None:
    csrf = await sign_in(client, "Maria")

    assert (await client.get("/office/settings")).status_code == 403
    assert (await save(client, csrf, tax_rounding="check")).status_code == 403


async def test_a_tax_mode_change_refuses_the_payment_of_a_pay_screen_drawn_before_it(
    client: Client, session: AsyncSession, app: Any
) -> None:
    csrf = await sign_in(client, "Maria")
    check = await sent_check(client, session, csrf)
    page = (await client.get(f"{check}/pay")).text
    check_id = int(check.rsplit("/", 1)[-1])
    before = await session.scalar(select(Check.version).where(Check.id == check_id))
    await session.rollback()

    manager = await sign_in(client, "Mia")
    changed = await save(client, manager, prices_include_tax="1")
    csrf = await sign_in(client, "Maria")
    stale = await client.post(
        f"{check}/pay/cash",
        data={
            "tendered": "100",
            "amount": field(page, "amount"),
            "version": field(page, "version"),
            "key": "c1",
        },
        headers={**HX, "X-CSRF-Token": csrf},
    )

    assert changed.status_code == 200 and "prices include tax" in changed.text
    assert stale.status_code == 409, stale.text[:300]
    assert await count(session, Payment) == 0
    after = await session.scalar(select(Check.version).where(Check.id == check_id))
    assert after == (before or 0) + 1
    assert (await location(session)).prices_include_tax


async def test_training_mode_switched_off_takes_the_ribbon_and_the_simulator_away(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    off = await save(client, csrf, training_mode=None)
    floor = await client.get("/floor")

    assert off.status_code == 200 and "Saved: training mode." in off.text
    assert "Training mode: cards are simulated" not in floor.text
    assert not (await location(session)).training_mode
