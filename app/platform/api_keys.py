"""API keys: what an integration shows before it may sign staff in over the API.

A stranger on the network must not reach the PIN check at all, or they could make every
manager wait by guessing. So ``POST /api/v1/sessions`` first wants ``X-API-Key``: a key a
manager issued (Staff screen, or ``brigade api-key create``), or the token of an enrolled
device (a paired kitchen screen). Only a sha256 of a key is kept: it is shown once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadInput, BrigadeError, Conflict, NotFound
from app.platform import audit, idempotency
from app.platform.auth import PinGate, PinLimits, sign_in_counting_failures
from app.platform.auth import token_digest as _digest
from app.platform.db import UnitOfWork
from app.platform.models import ApiKey, Device, StaffSession

#: Print agents hold a device token too, but only to fetch print jobs, never to sign staff in.
_NOT_FOR_SIGN_IN = ("agent",)


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is asking to sign staff in over the API: the throttle's device."""

    device_key: str
    name: str
    api_key_id: int | None = None


async def issue_api_key(
    session: AsyncSession,
    location_id: int,
    name: str,
    manager_id: int | None,
    request_key: str | None = None,
) -> tuple[int, str]:
    """Make a key; returns (id, key). The key is never stored, so show it now.

    A second submit of the same form (``request_key``) makes no second key, and cannot show
    the first one again either (its secret is kept nowhere): it is refused with what to do.
    """
    name = " ".join(name.split())
    if not name or len(name) > 80:
        raise BadInput("Name the key after who uses it (1 to 80 characters).")
    claim = await idempotency.claim(session, request_key, "issue_api_key", {"name": name})
    if claim.replay is not None:
        raise Conflict(
            f"The key “{name}” was already issued by this form, and a key is shown only once."
            " If it was not copied, revoke it below and issue another."
        )
    key = "brg_" + secrets.token_urlsafe(32)
    key_id = await session.scalar(
        insert(ApiKey)
        .values(location_id=location_id, name=name, key_hash=_digest(key), issued_by=manager_id)
        .returning(ApiKey.id)
    )
    assert key_id is not None
    await audit.record(
        session, "api_key_issued", f"api_key:{key_id}", actor_id=manager_id, detail={"name": name}
    )
    await idempotency.remember(session, claim, {"api_key": key_id})
    return key_id, key


async def api_keys(session: AsyncSession, location_id: int) -> list[ApiKey]:
    rows = await session.scalars(
        select(ApiKey).where(ApiKey.location_id == location_id).order_by(ApiKey.id)
    )
    return list(rows.all())


async def revoke_api_key(session: AsyncSession, key_id: int, manager_id: int | None) -> None:
    """The key stops working, and so does every session opened with it."""
    found = await session.scalar(
        update(ApiKey)
        .where(ApiKey.id == key_id)
        .values(revoked_at=func.coalesce(ApiKey.revoked_at, func.now()))
        .returning(ApiKey.id)
    )
    if found is None:
        raise NotFound("No such API key.")
    await session.execute(
        update(StaffSession)
        .where(StaffSession.api_key_id == key_id, StaffSession.revoked_at.is_(None))
        .values(revoked_at=func.now())
    )
    await audit.record(session, "api_key_revoked", f"api_key:{key_id}", actor_id=manager_id)


async def caller_for(session: AsyncSession, raw: str | None, idle_days: int) -> Caller | None:
    """The API key or enrolled device behind an ``X-API-Key`` header, or None."""
    raw = (raw or "").strip()
    if not raw or len(raw) > 200:
        return None
    digest = _digest(raw)
    unused_since: datetime = func.now() - timedelta(days=idle_days)  # type: ignore[assignment]
    key = (
        await session.execute(
            update(ApiKey)
            .where(
                ApiKey.key_hash == digest,
                ApiKey.revoked_at.is_(None),
                # A key nobody has used for months is forgotten: it stops by itself.
                func.coalesce(ApiKey.last_used_at, ApiKey.created_at) > unused_since,
            )
            .values(last_used_at=func.now())
            .returning(ApiKey.id, ApiKey.name)
            .execution_options(synchronize_session=False)
        )
    ).first()
    if key is not None:
        return Caller(f"apikey:{key.id}", key.name, api_key_id=key.id)
    device = (
        await session.execute(
            select(Device.id, Device.name).where(
                Device.token_hash == digest,
                Device.revoked_at.is_(None),
                Device.kind.not_in(_NOT_FOR_SIGN_IN),
            )
        )
    ).first()
    if device is None:
        return None
    return Caller(f"device:{device.id}", device.name)


KEY_HELP = (
    "An API key a manager issued (Staff screen, or `brigade api-key create NAME` on the "
    "server), or the device token of an enrolled kitchen screen. Without it the PIN is not "
    "even checked: the answer is 401."
)
SIGN_IN_HELP = (
    "How to authenticate: 1. a manager issues an API key (Staff screen, or "
    "`brigade api-key create NAME` on the server's console); 2. `POST /api/v1/sessions` with "
    "header `X-API-Key: <key>` and body `{staff_id, pin}` answers `{token}`; 3. send "
    "`Authorization: Bearer <token>` on every other `/api/v1` call. A token ends after "
    "BRIGADE_API_SESSION_IDLE_MINUTES without use (12 hours by default), when its key is "
    "revoked, or when a manager signs the person out everywhere. No key, or a revoked one: "
    "401, and no PIN is checked. A wrong PIN: 403; after a few wrong PINs for one person "
    "through one key each try must wait: 429 with Retry-After (nobody is locked out)."
)


class NotSignedIn(BrigadeError):
    """The caller has not shown who it is (no API key or device token): HTTP 401."""

    status = 401


async def sign_in_over_api(
    uow: UnitOfWork, raw_key: str | None, staff_id: int, pin: str, address: str, settings: Any
) -> str:
    """The API's sign-in: the key is checked first, so a stranger never reaches a PIN."""
    caller = await caller_for(uow.session, raw_key, settings.api_key_idle_days)
    if caller is None:
        raise NotSignedIn(
            "Signing in over the API needs an API key: send X-API-Key with a key a manager "
            "issued on the Staff screen (or `brigade api-key create`)."
        )
    gate = PinGate(caller.device_key, address, PinLimits.from_settings(settings))
    return await sign_in_counting_failures(
        uow, staff_id, pin, gate, via="api", api_key_id=caller.api_key_id
    )
