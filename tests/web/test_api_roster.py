"""A group scripts its staff over /api/v1/roster: hire with a PIN, edit, set a PIN, let go and
take back, with the Staff screen's rules and audit; never a PIN or its hash in an answer;
managers and owners only; bad input a sentence, never a 500; a retried hire hires once."""

from __future__ import annotations

from typing import Any, get_args

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.roster import Role
from app.platform.auth import pin_matches
from app.platform.models import ROLES, AuditEntry, IdempotencyKey, Staff
from tests.conftest import API_KEY, STAFF_IDS, api_bearer
from tests.web.test_pay_routes import Client
from tests.web.test_staff_roster import person

ROSTER = "/api/v1/roster"


async def staff_count(session: AsyncSession) -> int:
    n = await session.scalar(select(func.count()).select_from(Staff))
    await session.rollback()
    return int(n or 0)


async def signs_in(client: Client, staff_id: int, pin: str) -> int:
    answer = await client.post(
        "/api/v1/sessions", json={"staff_id": staff_id, "pin": pin}, headers=API_KEY
    )
    return answer.status_code


async def test_a_manager_hires_a_server_once_however_often_the_script_retries(
    client: Client, session: AsyncSession
) -> None:
    mia = await api_bearer(client, "Mia")
    body = {"name": "Noor", "role": "server", "pin": "4826"}
    key = {**mia, "Idempotency-Key": "hire-noor"}
    hired = await client.post(ROSTER, json=body, headers=key)
    retried = await client.post(ROSTER, json=body, headers=key)
    other = await client.post(ROSTER, json={**body, "name": "Zed"}, headers=key)
    everyone = await client.get(ROSTER, headers=mia)

    assert hired.status_code == 201, hired.text
    noor = hired.json()
    assert noor == {"id": noor["id"], "name": "Noor", "role": "server", "active": True}
    assert retried.status_code == 201 and retried.json() == noor
    assert other.status_code == 409 and "different action" in other.json()["error"]
    assert await signs_in(client, noor["id"], "4826") == 201
    listed = {p["name"]: p for p in everyone.json()}
    assert listed["Noor"] == noor and set(listed["Mia"]) == {"id", "name", "role", "active"}
    found = await person(session, "Noor")
    assert found is not None and pin_matches(found.pin_hash, "4826")
    # The PIN is nowhere: not in the answers, the audit log or the idempotency record.
    keys = (await session.execute(select(IdempotencyKey.fingerprint, IdempotencyKey.result))).all()
    audit = (await session.scalars(select(AuditEntry.detail))).all()
    await session.rollback()
    for text in (hired.text, everyone.text, str(keys), str(audit)):
        assert "4826" not in text and "argon2" not in text and "pin_hash" not in text


async def test_edit_set_pin_deactivate_and_take_back_over_the_api(
    client: Client, session: AsyncSession
) -> None:
    maria = STAFF_IDS["Maria"]
    her_token = await api_bearer(client, "Maria")
    mia = await api_bearer(client, "Mia")

    edited = await client.post(
        f"{ROSTER}/{maria}/edit", json={"name": "Maria G", "role": "bartender"}, headers=mia
    )
    pin = await client.post(f"{ROSTER}/{maria}/pin", json={"pin": "5173"}, headers=mia)
    old_pin, new_pin = await signs_in(client, maria, "1111"), await signs_in(client, maria, "5173")
    off = await client.post(f"{ROSTER}/{maria}/deactivate", headers=mia)
    off_again = await client.post(f"{ROSTER}/{maria}/deactivate", headers=mia)
    her_floor = await client.get("/api/v1/floor", headers=her_token)
    back = await client.post(f"{ROSTER}/{maria}/reactivate", headers=mia)

    assert edited.status_code == 200, edited.text
    assert edited.json() == {"id": maria, "name": "Maria G", "role": "bartender", "active": True}
    assert pin.status_code == 200 and "5173" not in pin.text
    assert (old_pin, new_pin) == (403, 201)
    assert off.json()["active"] is False and off_again.status_code == 200
    assert her_floor.status_code == 401  # letting her go ended her sessions at once
    assert back.json()["active"] is True
    actions = (await session.scalars(select(AuditEntry.action))).all()
    await session.rollback()
    for action in ("edit_staff", "set_pin", "deactivate_staff", "reactivate_staff"):
        assert action in actions


async def test_the_api_keeps_the_staff_screens_rules(client: Client, session: AsyncSession) -> None:
    mia, olivia = await api_bearer(client, "Mia"), await api_bearer(client, "Olivia")
    ids = STAFF_IDS
    cases: dict[str, tuple[str, dict[str, str], dict[str, Any] | None, int, str]] = {
        "manager hires an owner": (
            ROSTER,
            mia,
            {"name": "Ana", "role": "owner", "pin": "3917"},
            403,
            "ask an owner",
        ),
        "manager changes an owner": (
            f"{ROSTER}/{ids['Olivia']}/edit",
            mia,
            {"name": "Olivia", "role": "server"},
            403,
            "ask an owner",
        ),
        "manager promotes herself": (
            f"{ROSTER}/{ids['Mia']}/edit",
            mia,
            {"name": "Mia", "role": "owner"},
            403,
            "ask an owner",
        ),
        "owner lets herself go": (f"{ROSTER}/{ids['Olivia']}/deactivate", olivia, None, 403, ""),
        "owner steps down": (
            f"{ROSTER}/{ids['Olivia']}/edit",
            olivia,
            {"name": "Olivia", "role": "manager"},
            403,
            "Nobody changes their own role",
        ),
        "a name taken": (
            ROSTER,
            mia,
            {"name": "maria", "role": "server", "pin": "4826"},
            409,
            "already on the staff",
        ),
        "a colleague's PIN": (
            ROSTER,
            mia,
            {"name": "Zed", "role": "server", "pin": "4826"},
            409,
            "already has that PIN",
        ),
        "nobody by that number": (f"{ROSTER}/999999/deactivate", mia, None, 404, "no staff"),
    }
    noor = {"name": "Noor", "role": "server", "pin": "4826"}
    assert (await client.post(ROSTER, json=noor, headers=mia)).status_code == 201
    before = await staff_count(session)
    for case, (path, auth, body, status, words) in cases.items():
        answer = await client.post(path, json=body, headers=auth)
        assert answer.status_code == status, (case, answer.text)
        assert words in answer.json()["error"], (case, answer.text)

    assert await staff_count(session) == before
    olivia_now = await person(session, "Olivia")
    assert olivia_now is not None and olivia_now.active and olivia_now.role == "owner"


async def test_only_managers_and_owners_reach_the_roster(client: Client) -> None:
    body = {"name": "Noor", "role": "server", "pin": "4826"}
    maria = STAFF_IDS["Maria"]
    for name in ("Maria", "Lee", "Hana", "Ode"):
        auth = await api_bearer(client, name)
        for answer in (
            await client.get(ROSTER, headers=auth),
            await client.post(ROSTER, json=body, headers=auth),
            await client.post(f"{ROSTER}/{maria}/pin", json={"pin": "5173"}, headers=auth),
            await client.post(f"{ROSTER}/{maria}/deactivate", headers=auth),
        ):
            assert answer.status_code == 403, (name, answer.text)
            assert (
                answer.json()["error"]
                == f"A {answer.json()['error'].split()[1]} cannot do that here."
            )
    assert (await client.get(ROSTER)).status_code == 401
    assert (await client.post(ROSTER, json=body)).status_code == 401


async def test_bad_roster_input_is_a_sentence_and_saves_nothing(
    client: Client, session: AsyncSession
) -> None:
    mia = await api_bearer(client, "Mia")
    good = {"name": "Noor", "role": "server", "pin": "4826"}
    maria = STAFF_IDS["Maria"]
    cases: list[tuple[str, Any, int, str]] = [
        (ROSTER, {**good, "name": ""}, 422, "Type the person's name"),
        (ROSTER, {**good, "name": "   "}, 422, "Type the person's name"),
        (ROSTER, {**good, "name": "No\u0000or"}, 422, "control character"),
        (ROSTER, {**good, "name": 5}, 400, "name"),
        (ROSTER, {**good, "name": "N" * 81}, 400, "name"),
        (ROSTER, {**good, "role": "chef"}, 400, "role"),
        (ROSTER, {**good, "pin": "٤٨٢٦"}, 422, "A PIN is 4 to 6 digits"),
        (ROSTER, {**good, "pin": "4826\n"}, 422, "A PIN is 4 to 6 digits"),
        (ROSTER, {**good, "pin": "48261937"}, 422, "A PIN is 4 to 6 digits"),
        (ROSTER, {**good, "pin": "7777"}, 422, "one digit repeated"),
        (ROSTER, {**good, "pin": 4826}, 400, "pin"),
        (ROSTER, {"name": "Noor", "role": "server"}, 400, "pin"),
        (ROSTER, [good], 400, "not valid"),
        (f"{ROSTER}/{maria}/edit", {"name": "Maria", "role": None}, 400, "role"),
        (f"{ROSTER}/{maria}/pin", {"pin": "12345678901234567890123"}, 422, "A PIN is 4 to 6"),
        (f"{ROSTER}/{2**64}/deactivate", None, 404, "names nothing"),
        (f"{ROSTER}/0/reactivate", None, 400, ""),
    ]
    before = await staff_count(session)
    for path, body, status, words in cases:
        answer = await client.post(path, json=body, headers=mia)
        assert answer.status_code == status, (path, body, answer.text)
        error = answer.json()["error"]
        assert words in error and error.endswith("."), (path, body, error)
    garbled = await client.post(
        ROSTER, content=b"\x83\xff", headers={**mia, "Content-Type": "application/json"}
    )

    assert garbled.status_code == 400
    assert await staff_count(session) == before
    maria_now = await person(session, "Maria")
    assert maria_now is not None and pin_matches(maria_now.pin_hash, "1111")


def test_the_documented_roles_are_the_roles_brigade_has() -> None:
    assert get_args(Role) == ROLES
