"""Idempotency keys: a command sent twice (double tap, retry after a Wi-Fi blip) runs once.

The key is claimed inside the command's own transaction. A second request with the same key
waits on the first one's row lock, then finds it committed and gets the first answer; if the
first rolled back, the second runs as if it were first. So the effect is exactly once.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadInput, Conflict
from app.platform.models import IdempotencyKey

#: The mark of a screen's POST handler that hands its form's ``key`` field to its command:
#: ``@post("/path", opt=KEYED)`` (with roles: ``opt={**KEYED, "roles": ...}``). An API handler's
#: mark is its ``idempotency_key: IdempotencyKey = None`` parameter (the Idempotency-Key
#: header). tests/web/test_every_post_is_retry_safe.py refuses a POST route with neither
#: unless it is listed there as naturally idempotent, with the reason (docs/idempotency.md).
KEYED = MappingProxyType({"retry_safe": "key"})

_KEYS = cast(Table, IdempotencyKey.__table__)
# Built once: these run on every command that carries a key (every payment).
_CLAIM = (
    insert(_KEYS)
    .values(key=bindparam("claimed"), fingerprint=bindparam("mark"))
    .on_conflict_do_nothing(index_elements=["key"])
    .returning(_KEYS.c.id)
)
_FIRST = select(IdempotencyKey).where(IdempotencyKey.key == bindparam("claimed"))
_REMEMBER = (
    update(_KEYS)
    .where(_KEYS.c.key == bindparam("claimed"))
    .values(result=bindparam("answer", type_=_KEYS.c.result.type))
)


def fingerprint(command: str, payload: dict[str, Any]) -> str:
    raw = json.dumps([command, payload], sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Claim:
    key: str | None
    #: The first run's answer when this is a replay, else None.
    replay: dict[str, Any] | None


async def claim(
    session: AsyncSession, key: str | None, command: str, payload: dict[str, Any]
) -> Claim:
    """Claim ``key`` for this command, or return the answer of the run that already did."""
    if not key:
        return Claim(key=None, replay=None)
    if len(key) > 100:
        raise BadInput("Idempotency key is too long (100 characters at most).")
    mark = fingerprint(command, payload)
    inserted = await session.execute(_CLAIM, {"claimed": key, "mark": mark})
    if inserted.scalar_one_or_none() is not None:
        return Claim(key=key, replay=None)
    first = (await session.execute(_FIRST, {"claimed": key})).scalar_one()
    if first.fingerprint != mark:
        raise Conflict("This request key was already used for a different action; nothing done.")
    return Claim(key=key, replay=first.result or {})


async def remember(session: AsyncSession, claim_: Claim, result: dict[str, Any]) -> None:
    """Store the answer with the key, in the same transaction as the effect."""
    if claim_.key is None or claim_.replay is not None:
        return
    await session.execute(_REMEMBER, {"claimed": claim_.key, "answer": result})
