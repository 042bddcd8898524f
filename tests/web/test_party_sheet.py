"""The table sheet over HTTP (issue 11): it carries the version it was drawn from, a stale one
is refused with a sentence and the sheet as it is now, and a double tap saves once."""

from __future__ import annotations

import html
import re

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.orders.models import Check
from app.platform.models import AuditEntry
from tests.web.test_order_actions import _order

Client = AsyncTestClient[Litestar]
PEANUTS = "seat 2 peanuts"


def _field(page: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page)
    assert tag, f"the sheet has no {name}"
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else ""


async def _sheet(client: Client, check: str, headers: dict[str, str]) -> dict[str, str]:
    """The sheet as a tablet draws it: the fields it will post back."""
    page = (await client.get(f"{check}/table", headers=headers)).text
    return {name: _field(page, name) for name in ("guests", "allergies", "notes", "version", "key")}


async def _allergies(session: AsyncSession, check: str) -> str:
    session.expire_all()
    found = await session.scalar(
        select(Check.allergies).where(Check.id == int(check.rsplit("/", 1)[1]))
    )
    await session.rollback()
    return str(found)


async def test_stale_sheet_is_refused_with_the_fresh_one_and_the_allergy_stays(
    client: Client, session: AsyncSession
) -> None:
    check, headers = await _order(client, session, "Maria", "8")
    tablet_a = await _sheet(client, check, headers)  # drawn, left open on the first tablet
    tablet_b = await _sheet(client, check, headers)
    saved = await client.post(
        f"{check}/party", data={**tablet_b, "allergies": PEANUTS}, headers=headers
    )
    assert saved.status_code == 200 and PEANUTS in saved.text
    stale = await client.post(
        f"{check}/party", data={**tablet_a, "notes": "birthday"}, headers=headers
    )
    assert stale.status_code == 409
    assert "changed on another tablet" in stale.text and "nothing was saved" in stale.text
    # The answer is the sheet as it is now, in place of the stale one: B's allergy in it,
    # the new version and a new key, so saving it again is a fresh, informed request.
    assert stale.headers["hx-retarget"] == "#modal"
    assert _field(stale.text, "allergies") == PEANUTS
    assert int(_field(stale.text, "version")) == int(tablet_a["version"]) + 1
    assert _field(stale.text, "key") != tablet_a["key"]
    assert await _allergies(session, check) == PEANUTS
    again = await client.post(
        f"{check}/party",
        data={
            "guests": "2",
            "allergies": _field(stale.text, "allergies"),
            "notes": "birthday",
            "version": _field(stale.text, "version"),
            "key": _field(stale.text, "key"),
        },
        headers=headers,
    )
    assert again.status_code == 200 and "birthday" in again.text and PEANUTS in again.text


async def test_double_tap_on_save_saves_once(client: Client, session: AsyncSession) -> None:
    check, headers = await _order(client, session, "Maria", "9")
    sheet = {**await _sheet(client, check, headers), "allergies": PEANUTS, "guests": "3"}
    first = await client.post(f"{check}/party", data=sheet, headers=headers)
    second = await client.post(f"{check}/party", data=sheet, headers=headers)
    assert first.status_code == second.status_code == 200, second.text
    assert "3 guests" in second.text and PEANUTS in second.text
    notes = await session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action == "party_notes", AuditEntry.subject.like("check:%"))
    )
    assert notes == 1


async def test_a_sheet_without_its_version_is_refused(
    client: Client, session: AsyncSession
) -> None:
    check, headers = await _order(client, session, "Maria", "10")
    for version in ("", "seven", "١"):
        refused = await client.post(
            f"{check}/party",
            data={"guests": "2", "allergies": PEANUTS, "version": version},
            headers=headers,
        )
        assert refused.status_code == 422, refused.text
    assert await _allergies(session, check) == ""


async def test_a_stale_sheet_posted_without_htmx_gets_the_error_page(
    client: Client, session: AsyncSession
) -> None:
    check, headers = await _order(client, session, "Maria", "11")
    sheet = await _sheet(client, check, headers)
    await client.post(f"{check}/party", data={**sheet, "allergies": PEANUTS}, headers=headers)
    plain = {"X-CSRF-Token": headers["X-CSRF-Token"]}
    stale = await client.post(f"{check}/party", data={**sheet, "key": "other"}, headers=plain)
    assert stale.status_code == 409 and "changed on another tablet" in stale.text
    assert await _allergies(session, check) == PEANUTS
