"""The Staff screen's roster: hire with a PIN of their own, edit, reset a PIN, deactivate and
take back; what a manager may not do; every bad input a sentence, nothing saved."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.auth import pin_matches
from app.platform.models import AuditEntry, Staff, StaffSession
from tests.conftest import STAFF_IDS, sign_in
from tests.web.test_pay_routes import Client


async def post(client: Client, csrf: str, path: str, **data: str) -> Any:
    return await client.post(path, data={**data, "_csrf": csrf}, follow_redirects=False)


def hire(name: str, role: str, pin: str, again: str | None = None) -> dict[str, str]:
    return {"name": name, "role": role, "pin": pin, "pin_again": pin if again is None else again}


async def person(session: AsyncSession, name: str) -> Staff | None:
    session.expire_all()
    found = await session.scalar(select(Staff).where(Staff.name == name))
    if found is not None:
        session.expunge(found)
    await session.rollback()
    return found


async def test_a_manager_hires_a_server_who_signs_in_with_their_own_pin(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    hired = await post(
        client, csrf, "/staff/hire", name="Noor", role="server", pin="4826", pin_again="4826"
    )
    page = await client.get("/staff")

    assert hired.status_code == 303 and hired.headers["location"] == "/staff"
    assert "Noor" in page.text
    noor = await person(session, "Noor")
    assert noor is not None and noor.role == "server" and pin_matches(noor.pin_hash, "4826")
    login = await client.get("/login")
    assert "Noor" in login.text
    actions = (await session.scalars(select(AuditEntry.action))).all()
    assert "hire_staff" in actions and "4826" not in str(
        (await session.scalars(select(AuditEntry.detail))).all()
    )


async def test_the_roster_refuses_bad_input_with_a_sentence_and_saves_nothing(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    taken = await post(client, csrf, "/staff/hire", **hire("Zed", "server", "5826"))
    assert taken.status_code == 303
    cases = {
        "duplicate PIN": (hire("Noor", "server", "5826"), 409, "already has that PIN"),
        "PINs differ": (hire("Noor", "server", "4826", "4827"), 422, "The two PINs differ"),
        "PIN not ASCII": (hire("Noor", "server", "٤٨٢٦"), 422, "A PIN is 4 to 6 digits"),
        "repeated digit": (hire("Noor", "server", "7777"), 422, "one digit repeated"),
        "no such role": (hire("Noor", "chef", "4826"), 422, "Choose a role"),
        "NUL in name": (hire("No\x00or", "server", "4826"), 422, "control character"),
        "same name": (hire("maria", "server", "4826"), 409, "already on the staff"),
        "manager makes owner": (hire("Noor", "owner", "4826"), 403, "ask an owner"),
    }
    answers = {
        k: await post(client, csrf, "/staff/hire", **form) for k, (form, _, _) in cases.items()
    }

    for case, (_, status, sentence) in cases.items():
        assert answers[case].status_code == status, (case, answers[case].text[:300])
        assert sentence in answers[case].text, (case, answers[case].text[:600])
    assert await person(session, "Noor") is None
    assert (
        'value="Noor"' in answers["PINs differ"].text and "4826" not in answers["PINs differ"].text
    )


async def test_a_manager_resets_a_pin_renames_and_deactivates_but_not_an_owner_or_themselves(
    client: Client, session: AsyncSession
) -> None:
    maria, olivia, mia = STAFF_IDS["Maria"], STAFF_IDS["Olivia"], STAFF_IDS["Mia"]
    await sign_in(client, "Maria")  # Maria is signed in somewhere: deactivating ends that
    csrf = await sign_in(client, "Mia")
    reset = await post(client, csrf, f"/staff/{maria}/pin", pin="5173", pin_again="5173")
    renamed = await post(client, csrf, f"/staff/{maria}/edit", name="Maria G", role="bartender")
    owner_pin = await post(client, csrf, f"/staff/{olivia}/pin", pin="5174", pin_again="5174")
    demote_owner = await post(client, csrf, f"/staff/{olivia}/edit", name="Olivia", role="server")
    self_promote = await post(client, csrf, f"/staff/{mia}/edit", name="Mia", role="owner")
    self_off = await post(client, csrf, f"/staff/{mia}/deactivate")
    off = await post(client, csrf, f"/staff/{maria}/deactivate")
    off_again = await post(client, csrf, f"/staff/{maria}/deactivate")
    nobody = await post(client, csrf, "/staff/999999/deactivate")
    login = await client.get("/login")

    assert reset.status_code == 303 and renamed.status_code == 303
    assert owner_pin.status_code == 403 and "ask an owner" in owner_pin.text
    assert demote_owner.status_code == 403
    assert self_promote.status_code == 403
    assert self_off.status_code == 403 and "Nobody deactivates themselves" in self_off.text
    assert off.status_code == 303 and off_again.status_code == 303
    assert nobody.status_code == 404
    assert "Maria G" not in login.text
    gone = await person(session, "Maria G")
    assert gone is not None and not gone.active and gone.role == "bartender"
    assert pin_matches(gone.pin_hash, "5173")
    open_sessions = await session.scalars(
        select(StaffSession.id).where(
            StaffSession.staff_id == maria, StaffSession.revoked_at.is_(None)
        )
    )
    assert not open_sessions.all()
    back = await post(client, csrf, f"/staff/{maria}/reactivate")
    assert back.status_code == 303
    assert (await person(session, "Maria G")).active  # type: ignore[union-attr]


async def test_the_last_owner_stays_an_owner(client: Client, session: AsyncSession) -> None:
    olivia = STAFF_IDS["Olivia"]
    csrf = await sign_in(client, "Olivia")
    made = await post(
        client, csrf, "/staff/hire", name="Ana", role="owner", pin="3917", pin_again="3917"
    )
    ana = await person(session, "Ana")
    assert made.status_code == 303 and ana is not None
    csrf = await sign_in(client, "Olivia")
    step_down = await post(client, csrf, f"/staff/{olivia}/edit", name="Olivia", role="manager")
    off_ana = await post(client, csrf, f"/staff/{ana.id}/deactivate")
    csrf = await sign_in(client, "Olivia")
    ana_demoted = await post(client, csrf, f"/staff/{ana.id}/edit", name="Ana", role="manager")

    assert step_down.status_code == 403 and "Nobody changes their own role" in step_down.text
    assert off_ana.status_code == 303
    # Ana is gone; Olivia is the last owner and cannot stop being one through anyone.
    assert ana_demoted.status_code == 303  # Ana (inactive) was not the last owner
    assert (await person(session, "Olivia")).role == "owner"  # type: ignore[union-attr]
