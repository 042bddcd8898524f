"""GET /api/v1/ledger/verify: the books' hash chain verified over JSON, for managers and
owners; a broken chain names its first broken link; the OpenAPI document says so."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import api_bearer
from tests.integration.test_ledger_chain import entry_of, link_of
from tests.web.test_pay_routes import Client

VERIFY = "/api/v1/ledger/verify"


async def test_a_manager_verifies_the_chain_then_sees_the_edit_named(
    client: Client, session: AsyncSession
) -> None:
    mia = await api_bearer(client, "Mia")
    links = await session.scalar(text("SELECT count(*) FROM ledger_chain"))
    last = await session.scalar(text("SELECT hash FROM ledger_chain ORDER BY seq DESC LIMIT 1"))
    await session.rollback()

    intact = await client.get(VERIFY, headers=mia)

    assert intact.status_code == 200, intact.text
    seq_now = await session.scalar(text("SELECT max(seq) FROM ledger_chain"))
    await session.rollback()
    assert intact.json() == {
        "intact": True,
        "links": links,
        "last_hash": last,
        "last_seq": seq_now,
        "broken": None,
    }
    noted = {"anchor_seq": seq_now, "anchor_hash": last}
    anchored = await client.get(VERIFY, params=noted, headers=mia)
    half = await client.get(VERIFY, params={"anchor_seq": seq_now}, headers=mia)
    bad = await client.get(VERIFY, params={**noted, "anchor_hash": "XYZ"}, headers=mia)
    assert (anchored.status_code, anchored.json()) == (200, intact.json())
    assert half.status_code == 422 and "both anchor_seq and anchor_hash" in half.json()["error"]
    assert bad.status_code == 400 and set(bad.json()) == {"error", "status"}

    # Past the triggers, as a superuser could: the demo's float is dated a day earlier.
    float_in = await entry_of(session, "drawer_open")
    seq = await link_of(session, float_in)
    await session.execute(text("SET LOCAL session_replication_role = replica"))
    await session.execute(
        text("UPDATE journal_entry SET business_day = business_day - 1 WHERE id = :e"),
        {"e": float_in},
    )
    await session.commit()

    broken = await client.get(VERIFY, headers=mia)

    assert broken.status_code == 200, broken.text
    body = broken.json()
    assert (body["intact"], body["links"], body["last_hash"]) == (False, links, last)
    assert body["broken"]["seq"] == seq
    assert body["broken"]["kind"] == "entry"
    assert body["broken"]["reason"] == "content"
    assert body["broken"]["record"].startswith(f"journal entry {float_in} (drawer_open, ")
    assert body["broken"]["after"] is None
    assert body["broken"]["sentence"].startswith(f"The ledger's chain is broken at link {seq}, ")


async def test_only_managers_and_owners_verify(client: Client) -> None:
    nobody = await client.get(VERIFY)
    server = await client.get(VERIFY, headers=await api_bearer(client, "Maria"))
    owner = await client.get(VERIFY, headers=await api_bearer(client, "Olivia"))

    assert nobody.status_code == 401 and set(nobody.json()) == {"error", "status"}
    assert server.status_code == 403 and set(server.json()) == {"error", "status"}
    assert owner.status_code == 200 and owner.json()["intact"] is True


async def test_the_document_tells_the_truth_about_verify(client: Client) -> None:
    document = (await client.get("/api/v1/schema/openapi.json")).json()
    operation = document["paths"][VERIFY]["get"]
    schemas = document["components"]["schemas"]

    assert sorted(operation["responses"]) == ["200", "400", "401", "403", "422"]
    assert {p["name"] for p in operation["parameters"]} == {"anchor_seq", "anchor_hash"}
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/LedgerVerification"}
    verification = schemas["LedgerVerification"]
    assert sorted(verification["required"]) == [
        "broken",
        "intact",
        "last_hash",
        "last_seq",
        "links",
    ]
    assert sorted(schemas["BrokenLink"]["properties"]) == sorted(
        ["seq", "kind", "record", "reason", "why", "after", "sentence"]
    )
    assert {"$ref": "#/components/schemas/BrokenLink"} in verification["properties"]["broken"][
        "oneOf"
    ]
