"""Devices over /api/v1: a waiting print agent asks for a code, a manager's script pairs it,
renames and revokes it; every refusal the error body with its documented status."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.devices.models import DevicePairing
from printers.models import Printer
from tests.conftest import api_bearer
from tests.web.devices_steps import Client

ERROR_KEYS = {"error", "status"}


async def ask(client: Client, kind: str = "agent") -> dict[str, Any]:
    asked = await client.post("/api/v1/device-pairings", json={"kind": kind})
    assert asked.status_code == 201, asked.text
    body: dict[str, Any] = asked.json()
    return body


async def pair(client: Client, bearer: dict[str, str], **body: Any) -> Any:
    key = {"Idempotency-Key": uuid.uuid4().hex}
    return await client.post("/api/v1/devices", json=body, headers={**bearer, **key})


def refused(answer: Any, status: int, says: str) -> None:
    assert answer.status_code == status, answer.text
    assert set(answer.json()) == ERROR_KEYS and answer.json()["status"] == status
    assert says in answer.json()["error"]


async def test_a_print_agent_is_paired_over_the_api_and_gets_its_printers(
    client: Client, session: AsyncSession
) -> None:
    mia = await api_bearer(client, "Mia")
    waiting = await ask(client)
    assert len(waiting["code"]) == 9 and len(waiting["token"]) >= 40
    grill = await session.scalar(select(Printer.id).where(Printer.name == "Grill"))
    await session.rollback()
    before = await client.post("/api/v1/device-pairings/wait", json={"token": waiting["token"]})
    assert before.json()["status"] == "waiting"

    made = await pair(
        client, mia, code=waiting["code"], name="Kitchen PC", kind="agent", printer_ids=[grill]
    )

    assert made.status_code == 201, made.text
    device = made.json()
    assert device["kind"] == "agent" and device["printers"] == ["Grill"]
    assert device["paired_by"] == "Mia" and device["revoked_at"] is None
    assert waiting["token"] not in made.text
    after = await client.post("/api/v1/device-pairings/wait", json={"token": waiting["token"]})
    assert after.json() == {
        "status": "paired",
        "expires_at": after.json()["expires_at"],
        "device_id": device["id"],
        "name": "Kitchen PC",
    }
    printer = await session.get(Printer, grill)
    assert printer is not None and printer.kind == "agent"
    assert printer.agent_device_id == device["id"]
    listed = await client.get("/api/v1/devices", headers=mia)
    assert [d["name"] for d in listed.json()] == ["Kitchen PC", "Kitchen screen"]


async def test_rename_and_revoke_over_the_api_and_their_refusals(client: Client) -> None:
    mia = await api_bearer(client, "Mia")
    waiting = await ask(client, "kds")
    device = (await pair(client, mia, code=waiting["code"], name="Pass", kind="kds")).json()
    path = f"/api/v1/devices/{device['id']}"

    renamed = await client.post(f"{path}/rename", json={"name": "Expo screen"}, headers=mia)
    empty = await client.post(f"{path}/rename", json={"name": " "}, headers=mia)
    revoked = await client.post(f"{path}/revoke", headers=mia)
    twice = await client.post(f"{path}/revoke", headers=mia)
    nobody = await client.post("/api/v1/devices/999/revoke", headers=mia)

    assert renamed.status_code == 200 and renamed.json()["name"] == "Expo screen"
    refused(empty, 422, "Name the device after where it is")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    refused(twice, 409, "Expo screen was already revoked")
    refused(nobody, 404, "There is no device with that number")
    gone = await client.post("/api/v1/device-pairings/wait", json={"token": waiting["token"]})
    refused(gone, 403, "revoked by a manager")


@pytest.mark.parametrize(
    ("code", "status", "says"),
    [
        ("", 422, "Type the pairing code"),
        ("7KQ4\u0000XM2P", 422, "control character"),
        ("٧٨٩٢-٣٤٥٦", 422, "Only the letters A to Z"),
        ("7" * 201, 400, ""),  # longer than the schema allows: refused before it is read
        ("7KQ4-XM2P", 404, "No screen is showing 7KQ4-XM2P"),
    ],
)
async def test_a_code_that_pairs_nothing_is_the_documented_error(
    client: Client, code: str, status: int, says: str
) -> None:
    mia = await api_bearer(client, "Mia")
    refused(await pair(client, mia, code=code, name="Grill", kind="kds"), status, says)


async def test_a_used_or_expired_code_over_the_api(client: Client, session: AsyncSession) -> None:
    mia = await api_bearer(client, "Mia")
    used = await ask(client, "kds")
    assert (await pair(client, mia, code=used["code"], name="A", kind="kds")).status_code == 201
    refused(await pair(client, mia, code=used["code"], name="B", kind="kds"), 409, "already used")

    late = await ask(client, "kds")
    await session.execute(
        update(DevicePairing)
        .where(DevicePairing.device_id.is_(None))
        .values(expires_at=text("now() - interval '1 s'"))
    )
    await session.commit()
    refused(await pair(client, mia, code=late["code"], name="C", kind="kds"), 410, "has expired")
    waited = await client.post("/api/v1/device-pairings/wait", json={"token": late["token"]})
    refused(waited, 410, "expired before a manager typed it")
    unknown = await client.post("/api/v1/device-pairings/wait", json={"token": "not-a-token"})
    refused(unknown, 404, "no longer known")


async def test_a_server_cannot_list_or_pair_devices_over_the_api(client: Client) -> None:
    maria = await api_bearer(client, "Maria")
    waiting = await ask(client, "kds")
    refused(await client.get("/api/v1/devices", headers=maria), 403, "A server cannot do that")
    refused(
        await pair(client, maria, code=waiting["code"], name="Mine", kind="kds"),
        403,
        "A server cannot do that",
    )
    refused(await client.get("/api/v1/devices"), 401, "Sign in first")


async def test_asking_for_a_code_refuses_what_is_not_a_device(client: Client) -> None:
    tablet = await client.post("/api/v1/device-pairings", json={"kind": "tablet"})
    assert tablet.status_code == 400 and set(tablet.json()) == ERROR_KEYS
    for _ in range(5):
        await ask(client)
    crowded = await client.post("/api/v1/device-pairings", json={"kind": "agent"})
    refused(crowded, 429, "Too many screens are waiting")
    assert crowded.headers["retry-after"] == "600"


async def test_the_document_describes_the_device_operations_and_their_errors(
    client: Client,
) -> None:
    document = (await client.get("/api/v1/schema/openapi.json")).json()
    paths = document["paths"]
    pair_op = paths["/api/v1/devices"]["post"]
    assert {"400", "401", "403", "404", "409", "410", "413", "422"} <= set(pair_op["responses"])
    assert "201" in pair_op["responses"]
    assert {"409"} <= set(paths["/api/v1/devices/{device_id}/revoke"]["post"]["responses"])
    ask_op = paths["/api/v1/device-pairings"]["post"]
    assert {"201", "429"} <= set(ask_op["responses"]) and "401" not in ask_op["responses"]
    assert "410" in paths["/api/v1/device-pairings/wait"]["post"]["responses"]
    schemas = document["components"]["schemas"]
    assert set(schemas["PairIn"]["required"]) == {"code", "name", "kind"}
    assert "token" not in schemas["DeviceOut"]["properties"]
