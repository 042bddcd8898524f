"""The cash drawers screen: a manager opens, moves cash and counts out; nobody else can."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.models import DrawerMovement, DrawerSession
from tests.conftest import STAFF_IDS, sign_in

Client = AsyncTestClient[Litestar]
HX = {"HX-Request": "true"}


async def main_drawer(session: AsyncSession) -> int:
    found = await session.scalar(select(DrawerSession.id).where(DrawerSession.drawer == "Main"))
    await session.rollback()
    return int(found or 0)


async def test_manager_sees_the_open_drawer_with_its_float_and_expected_cash(
    client: Client, session: AsyncSession
) -> None:
    await sign_in(client, "Mia")
    page = await client.get("/drawers")
    assert page.status_code == 200
    assert "Main drawer" in page.text
    assert f'id="expected-{await main_drawer(session)}">$200.00' in page.text


async def test_cash_in_then_count_out_shows_over_or_short(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    headers = {**HX, "X-CSRF-Token": csrf}
    main = str(await main_drawer(session))

    moved = await client.post(
        "/drawers/cash",
        data={"session": main, "kind": "cash_in", "amount": "50", "reason": "change run"},
        headers=headers,
    )
    assert moved.status_code == 200, moved.text
    assert 'id="drawers"' in moved.text and "<html" not in moved.text
    assert "Cash in: $50.00." in moved.text
    assert "change run" in moved.text
    assert f'id="expected-{main}">$250.00' in moved.text

    closed = await client.post(
        "/drawers/close", data={"session": main, "counted": "249.50"}, headers=headers
    )
    assert closed.status_code == 200, closed.text
    assert "expected $250.00, counted $249.50, $0.50 short." in closed.text
    assert "No drawer is open" in closed.text
    session.expire_all()
    row = await session.get(DrawerSession, int(main))
    assert row is not None and (row.expected, row.counted) == (25_000, 24_950)


async def test_opening_a_second_drawer_from_the_screen(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Olivia")
    opened = await client.post(
        "/drawers/open",
        data={"drawer": "Bar", "float": "150", "_csrf": csrf},
    )
    assert opened.status_code == 200
    assert "Bar drawer opened." in opened.text
    assert "<html" in opened.text  # a plain form post gets the whole screen
    assert (
        await session.scalar(
            select(DrawerSession.opening_float).where(DrawerSession.drawer == "Bar")
        )
        == 15_000
    )


@pytest.mark.parametrize(
    ("path", "form", "message"),
    [
        ("/drawers/open", {"drawer": "Bar", "float": "-5"}, "The float cannot be negative."),
        ("/drawers/open", {"drawer": "Main", "float": "100"}, "Main drawer is already open"),
        ("/drawers/open", {"drawer": "Bar", "float": "lots"}, "is not an amount"),
        ("/drawers/cash", {"kind": "cash_in", "amount": "0", "reason": "x"}, "more than zero"),
        ("/drawers/cash", {"kind": "cash_out", "amount": "-3", "reason": "x"}, "negative"),
        ("/drawers/cash", {"kind": "cash_out", "amount": "3", "reason": ""}, "Say why"),
        ("/drawers/close", {"counted": "-1"}, "counted cash cannot be negative"),
        ("/drawers/close", {"counted": ""}, "Enter the counted cash"),
        ("/drawers/close", {"session": "", "counted": "1"}, "Choose a drawer"),
    ],
)
async def test_bad_drawer_forms_get_a_clear_message_and_change_nothing(
    client: Client, session: AsyncSession, path: str, form: dict[str, str], message: str
) -> None:
    csrf = await sign_in(client, "Mia")
    data = {"session": str(await main_drawer(session)), **form}
    answer = await client.post(path, data=data, headers={**HX, "X-CSRF-Token": csrf})

    assert 400 <= answer.status_code < 500
    assert message in answer.text
    assert answer.headers["hx-retarget"] == "#flash"
    assert await session.scalar(select(func.count()).select_from(DrawerSession)) == 1
    assert await session.scalar(select(func.count()).select_from(DrawerMovement)) == 0
    assert await session.scalar(select(DrawerSession.closed_at)) is None


@pytest.mark.parametrize("name", ["Maria", "Lee", "Hana", "Ode"])
async def test_only_managers_handle_the_drawers(
    client: Client, session: AsyncSession, name: str
) -> None:
    csrf = await sign_in(client, name)
    page = await client.get("/drawers", follow_redirects=False)
    took = await client.post(
        "/drawers/cash",
        data={"session": str(await main_drawer(session)), "kind": "cash_out", "amount": "200"},
        headers={**HX, "X-CSRF-Token": csrf},
    )
    assert page.status_code == took.status_code == 403
    assert await session.scalar(select(func.count()).select_from(DrawerMovement)) == 0


async def test_drawer_times_are_on_the_restaurants_clock(
    client: AsyncTestClient[Litestar], session: AsyncSession
) -> None:
    from zoneinfo import ZoneInfo

    opened = await session.scalar(select(DrawerSession.opened_at).limit(1))
    assert opened is not None
    await sign_in(client, "Mia")
    page = await client.get("/drawers")
    # The demo restaurant is in New York; the database keeps UTC.
    local = opened.astimezone(ZoneInfo("America/New_York")).strftime("%H:%M")
    assert f"at {local}" in page.text


async def test_card_tips_are_paid_out_from_the_drawer_screen(
    client: Client, session: AsyncSession, uow_factory: object
) -> None:
    from app.billing.terminal import SimulatedTerminal
    from tests.integration.test_card_payments import card, counter_check, shown

    check = await counter_check(uow_factory, session, "Burrata")
    _, balance = await shown(session, check)
    await card(uow_factory, session, check, balance, SimulatedTerminal(), "k", tip=650)
    csrf = await sign_in(client, "Mia")
    headers = {**HX, "X-CSRF-Token": csrf}
    main = str(await main_drawer(session))

    page = await client.get("/drawers")
    assert "Maria (owed $6.50)" in page.text

    maria = str(STAFF_IDS["Maria"])
    too_much = await client.post(
        "/drawers/tips", data={"session": main, "server": maria, "amount": "7"}, headers=headers
    )
    assert too_much.status_code == 422 and "owed less than that" in too_much.text
    assert await session.scalar(select(func.count()).select_from(DrawerMovement)) == 0

    paid = await client.post(
        "/drawers/tips", data={"session": main, "server": maria, "amount": "6.50"}, headers=headers
    )
    assert paid.status_code == 200, paid.text
    assert "Card tips paid out: $6.50." in paid.text
    assert "Card tips paid to Maria" in paid.text
    assert f'id="expected-{main}">$193.50' in paid.text
    assert "owed $" not in paid.text  # nobody is owed any more: the form goes away
