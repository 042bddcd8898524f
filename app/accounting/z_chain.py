"""The Z report's link of the tamper-evident chain.

A journal entry's link is written by the posting gateway in SQL (``posting._POST``); a Z
report's link is written here, in Python, with the same lock, so the chain stays one line
per location: entries and Zs in the order they were committed. ``brigade verify-ledger``
recomputes both kinds with the formulas below and names the first link that differs.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounting.models import LedgerLink
from app.accounting.posting import CHAIN_LOCK

#: The first link's previous hash.
GENESIS = "0" * 64


def z_content(
    z_id: int, business_day: date, z_number: int, grand_total: int, report: dict[str, Any]
) -> str:
    """What a Z's hash covers, besides the previous hash: the frozen report, canonically."""
    frozen = json.dumps(report, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "|".join(
        ("z", str(z_id), business_day.isoformat(), str(z_number), str(grand_total), frozen)
    )


def z_hash(prev_hash: str, content: str) -> str:
    return hashlib.sha256(f"{prev_hash}|{content}".encode()).hexdigest()


async def last_hash(session: AsyncSession, location_id: int) -> str:
    found: str | None = await session.scalar(
        select(LedgerLink.hash)
        .where(LedgerLink.location_id == location_id)
        .order_by(LedgerLink.seq.desc())
        .limit(1)
    )
    return found or GENESIS


async def link_z(
    session: AsyncSession,
    location_id: int,
    z_id: int,
    business_day: date,
    z_number: int,
    grand_total: int,
    report: dict[str, Any],
) -> str:
    """Chain the Z just written (call it last in the day close's transaction: the lock is
    held until the commit, as a posting's is). Returns its hash, for the printed Z."""
    await session.execute(CHAIN_LOCK, {"location_id": location_id})
    prev = await last_hash(session, location_id)
    digest = z_hash(prev, z_content(z_id, business_day, z_number, grand_total, report))
    await session.execute(
        insert(LedgerLink).values(
            location_id=location_id, kind="z", ref_id=z_id, prev_hash=prev, hash=digest
        )
    )
    return digest
