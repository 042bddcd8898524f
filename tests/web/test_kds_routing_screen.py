"""The manager's routing screen: tick stations per category, override single items."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.menu.models import Category
from app.platform.models import AuditEntry
from kds.models import CategoryStation, ItemStation, Ticket
from tests.conftest import STAFF_IDS, sign_in
from tests.demo_ids import item_id, station_id
from tests.web.test_kds_station import HX, send_order

MIA = STAFF_IDS["Mia"]


async def manager(client: AsyncTestClient[Litestar]) -> dict[str, str]:
    return {**HX, "X-CSRF-Token": await sign_in(client, "Mia")}


async def category_id(session: AsyncSession, name: str) -> int:
    return int(await session.scalar(select(Category.id).where(Category.name == name)) or 0)


async def stations_of_tickets(session: AsyncSession, check: int) -> set[int]:
    session.expire_all()
    found = set(
        (await session.scalars(select(Ticket.station_id).where(Ticket.check_id == check))).all()
    )
    await session.rollback()
    return found


async def test_manager_sends_desserts_to_pastry_and_grill_and_the_next_send_follows(
    client: AsyncTestClient[Litestar], session: AsyncSession, uow_factory: Any
) -> None:
    headers = await manager(client)
    desserts = await category_id(session, "Desserts")
    pastry, grill = await station_id(session, "Pastry"), await station_id(session, "Grill")

    answer = await client.post(
        "/kds/routing/categories",
        data={"category_id": str(desserts), "station": [str(pastry), str(grill)]},
        headers=headers,
    )

    assert answer.status_code == 200
    assert answer.text.lstrip().startswith(f'<section id="route-category-{desserts}"')
    check = await send_order(uow_factory, session, "3", ["Tiramisu"])
    assert await stations_of_tickets(session, check) == {pastry, grill}
    audit = await session.scalar(
        select(AuditEntry).where(AuditEntry.action == "route_category").order_by(AuditEntry.id)
    )
    assert audit is not None and audit.actor_id == MIA
    assert audit.detail == {"before": [pastry], "after": sorted([pastry, grill])}


async def test_category_with_no_station_is_allowed_and_flagged(
    client: AsyncTestClient[Litestar], session: AsyncSession
) -> None:
    headers = await manager(client)
    drinks = await category_id(session, "Drinks")
    answer = await client.post(
        "/kds/routing/categories", data={"category_id": str(drinks)}, headers=headers
    )
    assert answer.status_code == 200
    assert "Goes to no station" in answer.text
    rows = await session.scalars(
        select(CategoryStation).where(CategoryStation.category_id == drinks)
    )
    assert rows.all() == []


async def test_one_item_overridden_goes_elsewhere_and_follows_its_category_again(
    client: AsyncTestClient[Litestar], session: AsyncSession, uow_factory: Any
) -> None:
    headers = await manager(client)
    oysters = await item_id(session, "Oysters (6)")
    bar, cold = await station_id(session, "Bar"), await station_id(session, "Cold")

    moved = await client.post(
        f"/kds/routing/items/{oysters}", data={"station": str(bar)}, headers=headers
    )
    assert moved.status_code == 200
    assert "1 sent elsewhere" in moved.text and "Follow Starters" in moved.text
    check = await send_order(uow_factory, session, "3", ["Oysters (6)", "Burrata"])
    session.expire_all()
    rows = (await session.execute(select(Ticket.station_id).where(Ticket.check_id == check))).all()
    assert sorted(r[0] for r in rows) == sorted([bar, cold])  # oysters at the bar only

    back = await client.post(f"/kds/routing/items/{oysters}", data={"follow": "1"}, headers=headers)
    assert back.status_code == 200
    assert "sent elsewhere" not in back.text
    assert (await session.scalars(select(ItemStation))).all() == []


async def test_ticking_an_items_stations_back_to_its_categorys_clears_the_override(
    client: AsyncTestClient[Litestar], session: AsyncSession
) -> None:
    headers = await manager(client)
    salmon = await item_id(session, "Salmon")
    grill, cold = await station_id(session, "Grill"), await station_id(session, "Cold")
    url = f"/kds/routing/items/{salmon}"
    await client.post(url, data={"station": [str(grill), str(cold)]}, headers=headers)
    assert len((await session.scalars(select(ItemStation))).all()) == 2
    await client.post(url, data={"station": str(grill)}, headers=headers)
    session.expire_all()
    assert (await session.scalars(select(ItemStation))).all() == []


async def test_routing_refuses_bad_input_and_changes_nothing(
    client: AsyncTestClient[Litestar], session: AsyncSession
) -> None:
    headers = await manager(client)
    starters = await category_id(session, "Starters")
    expo = await station_id(session, "Expo")
    salmon = await item_id(session, "Salmon")
    cases = [
        ("/kds/routing/categories", {"category_id": "98765", "station": "1"}, 404, "category"),
        ("/kds/routing/categories", {"category_id": "x", "station": "1"}, 404, "category"),
        (
            "/kds/routing/categories",
            {"category_id": str(starters), "station": str(expo)},
            422,
            "expo",
        ),
        (
            "/kds/routing/categories",
            {"category_id": str(starters), "station": "98765"},
            422,
            "stations",
        ),
        (
            "/kds/routing/categories",
            {"category_id": str(starters), "station": "grill"},
            422,
            "not valid",
        ),
        ("/kds/routing/items/98765", {"station": "1"}, 404, "menu item"),
        (f"/kds/routing/items/{salmon}", {}, 422, "no station"),
    ]
    for url, data, status, words in cases:
        answer = await client.post(url, data=data, headers=headers)
        assert answer.status_code == status, (url, data, answer.text)
        assert words in answer.text, (url, data)
    session.expire_all()
    assert (await session.scalars(select(ItemStation))).all() == []
    routed = await session.scalars(
        select(CategoryStation.station_id).where(CategoryStation.category_id == starters)
    )
    assert routed.all() == [await station_id(session, "Cold")]


async def test_routing_screen_lists_kitchen_stations_but_not_expo(
    client: AsyncTestClient[Litestar],
) -> None:
    await manager(client)
    page = (await client.get("/kds/routing")).text
    for name in ("Grill", "Cold", "Pastry", "Bar", "Starters", "Oysters (6)"):
        assert name in page, name
    assert "<span>Expo</span>" not in page
