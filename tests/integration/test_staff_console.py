"""``brigade staff ...`` and ``brigade api-key ...`` on the server's console: the way back in
when every manager's tries are waiting, and keys before the back office exists."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.auth import token_digest
from app.platform.models import ApiKey, AuditEntry, PinAttempt, Staff, StaffSession
from app.platform.settings import ROOT
from tests.conftest import STAFF_IDS


async def brigade(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BRIGADE_DATABASE_URL": db_url}
    return await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "app.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


async def test_owner_clears_the_managers_wrong_pins_from_the_console(
    db_url: str, session: AsyncSession
) -> None:
    mia = STAFF_IDS["Mia"]
    await session.execute(
        insert(PinAttempt), [{"staff_id": mia, "device_key": "cookie:office", "ok": False}] * 4
    )
    await session.commit()

    listed = await brigade(db_url, "staff", "list")
    done = await brigade(db_url, "staff", "unlock", "mia")
    unknown = await brigade(db_url, "staff", "unlock", "Nobody")
    wildcard = await brigade(db_url, "staff", "unlock", "M%")

    assert re.search(r"Mia\s+manager\s+wrong PINs lately: 4", listed.stdout), listed.stdout
    assert done.returncode == 0, done.stderr
    assert "Mia's wrong PINs are cleared" in done.stdout
    assert unknown.returncode != 0
    assert "No staff member called 'Nobody'." in unknown.stderr
    # A name is a name: "%" is not ILIKE's wildcard that would have cleared Mia's tries.
    assert wildcard.returncode != 0
    assert "No staff member called 'M%'." in wildcard.stderr
    session.expire_all()
    assert await session.scalar(select(Staff.pins_reset_at).where(Staff.id == mia)) is not None
    audit = (await session.execute(select(AuditEntry.action, AuditEntry.actor_id))).all()
    assert [tuple(a) for a in audit] == [("pin_unlock", None)]


async def test_api_keys_are_created_listed_and_revoked_from_the_console(
    db_url: str, session: AsyncSession
) -> None:
    made = await brigade(db_url, "api-key", "create", "Online orders")
    assert made.returncode == 0, made.stderr
    key = re.search(r"^\s+(brg_\S+)$", made.stdout, re.M)
    assert key, made.stdout
    stored = await session.scalar(select(ApiKey.key_hash).where(ApiKey.name == "Online orders"))
    assert stored == token_digest(key.group(1))

    listed = await brigade(db_url, "api-key", "list")
    assert "Online orders" in listed.stdout and "active" in listed.stdout
    assert key.group(1) not in listed.stdout, "a key is shown once, when it is made"

    revoked = await brigade(db_url, "api-key", "revoke", "online orders")
    assert revoked.returncode == 0, revoked.stderr
    session.expire_all()
    assert (
        await session.scalar(select(ApiKey.revoked_at).where(ApiKey.name == "Online orders"))
    ) is not None


async def test_staff_sign_out_from_the_console_ends_every_session(
    db_url: str, session: AsyncSession
) -> None:
    await session.execute(
        insert(StaffSession),
        [{"id": f"{n:064x}", "staff_id": STAFF_IDS["Maria"]} for n in range(2)],
    )
    await session.commit()

    out = await brigade(db_url, "staff", "sign-out", "Maria")

    assert "Maria is signed out everywhere (2 session(s) ended)." in out.stdout, out.stderr
    session.expire_all()
    still = await session.scalar(
        select(func.count()).select_from(StaffSession).where(StaffSession.revoked_at.is_(None))
    )
    assert still == 0
