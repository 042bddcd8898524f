"""``brigade-print-agent --pair`` against a real ``brigade serve``: the code shows in the
terminal, a code nobody typed in time is replaced, a manager types the new one and picks the
Grill printer, the token is kept owner-only, and the agent prints the grill's tickets."""

from __future__ import annotations

import asyncio
import contextlib
import re
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.devices.models import DevicePairing
from printers import agent_pairing
from printers.agent import PrintAgent, TokenRefused
from printers.fake import FakePrinter
from printers.models import Printer
from tests.conftest import API_KEY, api_sign_in_body
from tests.e2e.server import free_port
from tests.integration import test_print_queue as queue
from tests.integration.test_print_agent import Server, until_all_printed
from tests.integration.test_print_queue import send

fakes = queue.fakes
CODE = re.compile(r"Pairing code:\s+([2-9A-Z]{4}-[2-9A-Z]{4})")


@pytest.fixture
async def server(db_url: str) -> AsyncIterator[Server]:
    with tempfile.NamedTemporaryFile(prefix="brigade-pair-", suffix=".log", delete=False) as f:
        log = Path(f.name)
    running_ = Server(db_url, free_port(), log)
    await asyncio.to_thread(running_.start)
    yield running_
    await asyncio.to_thread(running_.stop)
    await asyncio.to_thread(log.unlink, True)


async def shown_code(said: list[str], after: int = 0, within: float = 10.0) -> str:
    for _ in range(int(within / 0.05)):
        codes = [m.group(1) for line in said for m in [CODE.search(line)] if m]
        if len(codes) > after:
            return codes[after]
        await asyncio.sleep(0.05)
    raise AssertionError(f"no pairing code shown: {said}")


def test_the_agent_speaks_http_to_the_server_it_holds_a_websocket_to() -> None:
    assert agent_pairing.http_base("ws://brigade.local:8000/") == "http://brigade.local:8000"
    assert agent_pairing.http_base("wss://pos.example") == "https://pos.example"


async def test_a_print_agent_pairs_with_a_code_keeps_its_token_and_prints(
    server: Server,
    session: AsyncSession,
    uow_factory,  # type: ignore[no-untyped-def]
    fakes: dict[str, FakePrinter],
    tmp_path: Path,
) -> None:
    token_file = tmp_path / "agent.token"
    said: list[str] = []
    pairing = asyncio.create_task(
        agent_pairing.pair(server.ws, token_file, say=said.append, every_s=0.1, retry_s=0.2)
    )
    try:
        first = await shown_code(said)
        await session.execute(update(DevicePairing).values(expires_at=text("now()")))
        await session.commit()
        second = await shown_code(said, after=1)  # nobody typed it in time: a new one
        assert second != first and any("Nobody typed the code in time" in s for s in said)

        grill = await session.scalar(select(Printer.id).where(Printer.name == "Grill"))
        await session.rollback()
        async with httpx.AsyncClient(base_url=server.ws.replace("ws://", "http://")) as office:
            made = await office.post(
                "/api/v1/sessions", json=api_sign_in_body("Mia"), headers=API_KEY
            )
            mia = {"Authorization": f"Bearer {made.json()['token']}"}
            body = {"code": second, "name": "Kitchen PC", "kind": "agent", "printer_ids": [grill]}
            paired = await office.post("/api/v1/devices", json=body, headers=mia)
            assert paired.status_code == 201, paired.text
        token = await asyncio.wait_for(pairing, 10)
    finally:
        pairing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await pairing

    assert token_file.read_text().strip() == token
    assert token_file.stat().st_mode & 0o777 == 0o600
    assert any("Paired as 'Kitchen PC'" in s for s in said)
    assert agent_pairing.read_token(token_file) == token

    agent = PrintAgent(server.ws, token, tmp_path / "printed.json", timeout_s=1.0)
    printing = asyncio.create_task(agent.run())
    try:
        await send(uow_factory, session, "4", "Roast Chicken")
        await until_all_printed(session)
        assert any("1x Roast Chicken" in t for t in fakes["Grill"].printed)

        # Revoked on the Devices screen: cut off, refused on reconnecting, the agent stops.
        async with httpx.AsyncClient(base_url=server.ws.replace("ws://", "http://")) as office:
            revoked = await office.post(
                f"/api/v1/devices/{paired.json()['id']}/revoke", headers=mia
            )
            assert revoked.status_code == 200, revoked.text
        with pytest.raises(TokenRefused):
            await asyncio.wait_for(printing, 10)
    finally:
        printing.cancel()
        with contextlib.suppress(asyncio.CancelledError, TokenRefused):
            await printing
