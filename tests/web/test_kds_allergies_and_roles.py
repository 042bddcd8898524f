"""Allergies a cook must confirm, stations that do not exist, and who may open which screen."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.models import AuditEntry
from tests.conftest import sign_in
from tests.demo_ids import station_id
from tests.web.test_kds_station import HX, ODE, cook, send_order, ticket_at


async def test_allergy_must_be_confirmed_before_the_ticket_can_be_bumped(
    client: AsyncTestClient[Litestar], session: AsyncSession, uow_factory: Any
) -> None:
    check = await send_order(uow_factory, session, "5", ["Burrata"], allergies="tree nuts")
    ticket = await ticket_at(session, "Cold", check)
    headers = await cook(client)
    base = f"/kds/{ticket.station_id}/tickets/{ticket.id}"

    refused = await client.post(f"{base}/bump", headers=headers)
    assert refused.status_code == 403
    assert "tap the yellow banner" in refused.text

    confirmed = await client.post(f"{base}/allergy", headers=headers)
    assert confirmed.status_code == 200
    assert "✓ read" in confirmed.text and "allergy-open" not in confirmed.text
    read = await ticket_at(session, "Cold", check)
    assert read.allergy_acked_at is not None and read.allergy_acked_by == ODE
    audit = await session.scalar(
        select(AuditEntry).where(
            AuditEntry.action == "ack_allergy", AuditEntry.subject == f"ticket:{ticket.id}"
        )
    )
    assert audit is not None and audit.actor_id == ODE
    assert audit.detail == {"allergies": "tree nuts"}

    assert (await client.post(f"{base}/bump", headers=headers)).status_code == 200


async def test_confirming_an_allergy_twice_is_refused_and_keeps_the_first_cook(
    client: AsyncTestClient[Litestar], session: AsyncSession, uow_factory: Any
) -> None:
    check = await send_order(uow_factory, session, "5", ["Burrata"], allergies="shellfish")
    ticket = await ticket_at(session, "Cold", check)
    headers = await cook(client)
    url = f"/kds/{ticket.station_id}/tickets/{ticket.id}/allergy"
    assert (await client.post(url, headers=headers)).status_code == 200
    first = (await ticket_at(session, "Cold", check)).allergy_acked_at

    again = await client.post(url, headers=headers)

    assert again.status_code == 409
    assert "already confirmed" in again.text
    assert (await ticket_at(session, "Cold", check)).allergy_acked_at == first


async def test_confirming_an_allergy_on_a_ticket_without_one_is_not_found(
    client: AsyncTestClient[Litestar], session: AsyncSession, uow_factory: Any
) -> None:
    ticket = await ticket_at(
        session, "Cold", await send_order(uow_factory, session, "5", ["Burrata"])
    )
    headers = await cook(client)
    answer = await client.post(
        f"/kds/{ticket.station_id}/tickets/{ticket.id}/allergy", headers=headers
    )
    assert answer.status_code == 404
    assert "has no allergy to confirm" in answer.text


async def test_unknown_station_is_not_found_for_the_screen_and_its_commands(
    client: AsyncTestClient[Litestar], session: AsyncSession, uow_factory: Any
) -> None:
    ticket = await ticket_at(
        session, "Cold", await send_order(uow_factory, session, "5", ["Burrata"])
    )
    headers = await cook(client)
    assert (await client.get("/kds/98765")).status_code == 404
    for path in (
        "/kds/98765/recall",
        f"/kds/98765/tickets/{ticket.id}/bump",
        f"/kds/98765/tickets/{ticket.id}/recall",
        f"/kds/98765/tickets/{ticket.id}/allergy",
    ):
        answer = await client.post(path, headers=headers)
        assert answer.status_code == 404, path
        assert "That station does not exist." in answer.text


async def test_the_expo_station_opens_the_expo_screen(
    client: AsyncTestClient[Litestar], session: AsyncSession
) -> None:
    await cook(client)
    picker = (await client.get("/kds")).text
    assert 'href="/kds/expo">Expo<' in picker
    answer = await client.get(f"/kds/{await station_id(session, 'Expo')}", follow_redirects=False)
    assert answer.status_code in (301, 302, 303, 307)
    assert answer.headers["location"] == "/kds/expo"
    headers = {**HX, "X-CSRF-Token": await sign_in(client, "Ode")}
    expo = await station_id(session, "Expo")
    assert (await client.post(f"/kds/{expo}/recall", headers=headers)).status_code == 404


async def test_server_is_denied_every_kitchen_screen(
    client: AsyncTestClient[Litestar], session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Maria")
    grill = await station_id(session, "Grill")
    for path in ("/kds", f"/kds/{grill}", "/kds/expo", "/kds/routing"):
        refused = await client.get(path, follow_redirects=False)
        assert refused.status_code == 403, path
        assert "A server cannot do that here." in refused.text
    posted = await client.post(f"/kds/{grill}/recall", headers={**HX, "X-CSRF-Token": csrf})
    assert posted.status_code == 403


async def test_kitchen_runs_the_screens_but_not_the_routing(
    client: AsyncTestClient[Litestar], session: AsyncSession
) -> None:
    headers = await cook(client)
    for path in ("/kds", f"/kds/{await station_id(session, 'Grill')}", "/kds/expo"):
        assert (await client.get(path)).status_code == 200, path
    refused = await client.get("/kds/routing", follow_redirects=False)
    assert refused.status_code == 403
    assert "A kitchen cannot do that here." in refused.text
    posted = await client.post(
        "/kds/routing/categories", data={"category_id": "1", "station": "1"}, headers=headers
    )
    assert posted.status_code == 403


async def test_manager_and_owner_open_the_routing_screen(
    client: AsyncTestClient[Litestar],
) -> None:
    for name in ("Mia", "Olivia"):
        await sign_in(client, name)
        page = await client.get("/kds/routing")
        assert page.status_code == 200, name
        assert "Which station makes what" in page.text
