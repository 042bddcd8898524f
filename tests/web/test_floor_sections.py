"""Server sections: a manager taps a server, then their tables; every plan shows it."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.floor.models import DiningTable
from app.platform.models import AuditEntry
from tests.conftest import STAFF_IDS, sign_in
from tests.demo_ids import table_id

Client = AsyncTestClient[Litestar]
MARIA, SAM, MIA = STAFF_IDS["Maria"], STAFF_IDS["Sam"], STAFF_IDS["Mia"]


async def as_manager(client: Client) -> dict[str, str]:
    return {"HX-Request": "true", "X-CSRF-Token": await sign_in(client, "Mia")}


async def section_of(session: AsyncSession, table: int) -> int | None:
    session.expire_all()
    return await session.scalar(select(DiningTable.server_id).where(DiningTable.id == table))


async def test_sections_screen_starts_with_the_servers_and_their_load(client: Client) -> None:
    await sign_in(client, "Mia")
    page = (await client.get("/floor/sections")).text
    names = [n for n in ("Maria", "Sam", "Lee", "Mia") if f'<span class="pick-name">{n}<' in page]
    assert names == ["Maria", "Sam", "Lee", "Mia"]
    assert page.index("Maria") < page.index("Lee")  # servers first, then the bar, then managers
    assert "Tap the tables for <strong>Maria</strong>" in page
    assert "Hana" not in page.split('id="section-staff"')[1].split("</div>")[0]  # no host
    assert page.count('class="table shape-') == 15


async def test_manager_puts_a_table_in_marias_section_and_every_plan_shows_her_badge(
    client: Client, session: AsyncSession
) -> None:
    headers = await as_manager(client)
    three = await table_id(session, "3")
    tapped = await client.post(
        f"/floor/tables/{three}/section",
        data={"server": str(MARIA), "picked": str(MARIA)},
        headers=headers,
    )
    assert tapped.status_code == 200, tapped.text
    assert tapped.text.lstrip().startswith(f'<button type="button" id="st-{three}"')
    assert '<div id="section-staff" class="section-staff" hx-swap-oob="outerHTML"' in tapped.text
    assert "1 table · 4 seats" in tapped.text
    assert await section_of(session, three) == MARIA
    audit = await session.scalar(select(AuditEntry).where(AuditEntry.action == "assign_section"))
    assert audit is not None and audit.actor_id == MIA
    assert audit.detail == {"table": "3", "from_server": None, "to_server": MARIA}

    await sign_in(client, "Sam")
    plan = (await client.get("/floor")).text
    assert '<span class="srv ring srv-1" title="Maria\'s section">Ma</span>' in plan


async def test_tapping_one_of_her_tables_again_takes_it_out_of_her_section(
    client: Client, session: AsyncSession
) -> None:
    headers = await as_manager(client)
    three = await table_id(session, "3")
    url = f"/floor/tables/{three}/section"
    await client.post(url, data={"server": str(MARIA), "picked": str(MARIA)}, headers=headers)
    page = (await client.get(f"/floor/sections?server={MARIA}")).text
    assert f'id="st-{three}"' in page and '"server": "", "picked": "1"' in page  # tap = take out
    await client.post(url, data={"server": "", "picked": str(MARIA)}, headers=headers)
    assert await section_of(session, three) is None


async def test_moving_a_table_to_sams_section_takes_it_from_marias(
    client: Client, session: AsyncSession
) -> None:
    headers = await as_manager(client)
    three = await table_id(session, "3")
    url = f"/floor/tables/{three}/section"
    await client.post(url, data={"server": str(MARIA), "picked": str(MARIA)}, headers=headers)
    await client.post(url, data={"server": str(SAM), "picked": str(SAM)}, headers=headers)
    assert await section_of(session, three) == SAM


@pytest.mark.parametrize(
    ("server", "status", "message"),
    [
        (str(STAFF_IDS["Ode"]), 422, "Ode is a kitchen; only floor staff have sections."),
        (str(STAFF_IDS["Hana"]), 422, "Hana is a host; only floor staff have sections."),
        ("999", 404, "That server is not on the staff list."),
        ("Maria", 422, "Server must be a whole number, not Maria."),
    ],
)
async def test_a_section_only_goes_to_floor_staff(
    client: Client, session: AsyncSession, server: str, status: int, message: str
) -> None:
    headers = await as_manager(client)
    three = await table_id(session, "3")
    answer = await client.post(
        f"/floor/tables/{three}/section", data={"server": server}, headers=headers
    )
    assert answer.status_code == status and message in answer.text
    assert await section_of(session, three) is None


async def test_a_server_cannot_give_herself_tables(client: Client, session: AsyncSession) -> None:
    csrf = await sign_in(client, "Maria")
    three = await table_id(session, "3")
    answer = await client.post(
        f"/floor/tables/{three}/section",
        data={"server": str(MARIA)},
        headers={"HX-Request": "true", "X-CSRF-Token": csrf},
    )
    assert answer.status_code == 403 and "A server cannot do that here." in answer.text
    assert await section_of(session, three) is None


async def test_plain_form_tap_goes_back_to_the_sections_screen(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    three = await table_id(session, "3")
    answer = await client.post(
        f"/floor/tables/{three}/section",
        data={"server": str(SAM), "picked": str(SAM), "_csrf": csrf},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/floor/sections?floor=1&server={SAM}"
