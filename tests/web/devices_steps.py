"""Steps the device tests share: a kitchen screen asks for a code, a manager types it.

One test client plays two browsers (the screen on the wall, the manager's tablet) by
swapping cookie jars, so both talk to the same app and the same database.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.models import Device
from tests.conftest import csrf_of, sign_in

Client = AsyncTestClient[Litestar]
HX = {"HX-Request": "true"}
SHOWN = re.compile(r"data-pairing-code>([2-9A-Z]{4}-[2-9A-Z]{4})<")


class Browser:
    """One browser's cookies and CSRF token, on the shared test client."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.jar = httpx.Cookies()
        self.csrf = ""

    def __enter__(self) -> Client:
        self._theirs = httpx.Cookies(self.client.cookies)
        self.client.cookies = self.jar
        return self.client

    def __exit__(self, *exc: object) -> None:
        self.jar = httpx.Cookies(self.client.cookies)
        self.client.cookies = self._theirs


async def screen_shows_a_code(screen: Browser) -> str:
    """A kitchen screen opens /pair and taps "Show a pairing code"; the code it shows."""
    with screen as client:
        screen.csrf = await csrf_of(client, "/pair")
        asked = await client.post("/pair/code", headers={**HX, "X-CSRF-Token": screen.csrf})
    assert asked.status_code == 200, asked.text
    found = SHOWN.search(asked.text)
    assert found, asked.text
    return found.group(1)


async def screen_checks(screen: Browser) -> httpx.Response:
    """The screen's own poll: has a manager typed the code yet?"""
    with screen as client:
        return await client.post("/pair/wait", headers={**HX, "X-CSRF-Token": screen.csrf})


async def manager_signs_in(manager: Browser, name: str = "Mia") -> None:
    with manager as client:
        manager.csrf = await sign_in(client, name)


async def manager_pairs(
    manager: Browser, code: str, name: str = "Grill screen", kind: str = "kds", **more: Any
) -> httpx.Response:
    """The manager types the code on the Devices screen (a plain form post)."""
    headers = more.pop("headers", {})
    data = {"code": code, "name": name, "kind": kind, "key": "", **more, "_csrf": manager.csrf}
    with manager as client:
        return await client.post(
            "/office/devices/pair", data=data, headers=headers, follow_redirects=False
        )


async def manager_posts(manager: Browser, path: str, **data: str) -> httpx.Response:
    with manager as client:
        return await client.post(
            path, data={"key": "", **data, "_csrf": manager.csrf}, follow_redirects=False
        )


async def device_named(session: AsyncSession, name: str) -> Device | None:
    session.expire_all()
    found = await session.scalar(select(Device).where(Device.name == name))
    if found is not None:
        session.expunge(found)
    await session.rollback()
    return found


async def devices_count(session: AsyncSession) -> int:
    session.expire_all()
    count = len((await session.scalars(select(Device.id))).all())
    await session.rollback()
    return count
