"""The one posting gateway: every module that moves money writes its journal entry here.

An entry is a list of legs (purpose, signed amount: debit positive). The gateway refuses an
entry that does not sum to zero in minor units (no round-off allowance), merges legs to the
same purpose, and writes the entry, its lines, its outbox event and its link of the hash
chain in **one statement**, prebuilt once, run as the command's last step under the
location's chain lock (two statements in all: the lock, the write). The database checks
again: lines balance per entry, no entry goes into a closed day, nothing is ever edited.

Accounts are resolved from purposes inside the statement: a specific purpose
("sales:category:12") falls back to its generic one ("sales"), which every location has from
its first row (migration 0010), so a posting can always find its accounts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import text

from app.accounting.entries import Leg
from app.core.errors import BadInput
from app.platform.db import UnitOfWork

#: The business day a posting made now goes into: the location's clock less its turnover
#: hour, or the day after the last closed one if the manager closed today early.
BUSINESS_DAY_SQL = """
    SELECT GREATEST(
        (timezone(l.timezone, now()) - make_interval(hours => l.day_starts_hour))::date,
        (SELECT max(d.business_day) + 1 FROM day_close d WHERE d.location_id = l.id)
    ) AS day FROM location l WHERE l.id = :location_id
"""
CURRENT_DAY = text(BUSINESS_DAY_SQL)

#: Two int keys: the chain's lock is per location (one chain per restaurant).
CHAIN_LOCK = text("SELECT pg_advisory_xact_lock(7001, CAST(:location_id AS integer))")

_POST = text(  # built once from the constant above, never from input
    f"""
    WITH day AS ({BUSINESS_DAY_SQL}),
    entry AS (
        INSERT INTO journal_entry (location_id, business_day, kind, source, memo,
                                   corrects_id, posted_by)
        SELECT :location_id, day.day, :kind, :source, :memo, :corrects_id, :staff_id FROM day
        RETURNING id, business_day, kind
    ),
    lines AS (
        INSERT INTO journal_line (entry_id, account_id, amount)
        SELECT entry.id, coalesce(own.account_id, generic.account_id), leg.amount
        FROM entry,
             unnest(CAST(:purposes AS text[]), CAST(:fallbacks AS text[]),
                    CAST(:amounts AS bigint[])) AS leg(purpose, fallback, amount)
        LEFT JOIN account_purpose own
            ON own.location_id = :location_id AND own.purpose = leg.purpose
        LEFT JOIN account_purpose generic
            ON generic.location_id = :location_id AND generic.purpose = leg.fallback
        RETURNING account_id, amount
    ),
    event AS (
        INSERT INTO outbox_event (location_id, type, payload)
        SELECT :location_id, :event_type, CAST(:payload AS jsonb) || jsonb_build_object(
            'entry_id', entry.id, 'business_day', entry.business_day,
            'lines', (SELECT jsonb_agg(jsonb_build_array(account_id, amount)) FROM lines))
        FROM entry
    ),
    link AS (
        INSERT INTO ledger_chain (location_id, kind, ref_id, prev_hash, hash)
        SELECT :location_id, 'entry', entry.id, prev.hash, encode(sha256(convert_to(concat_ws(
            '|', prev.hash, entry.kind, entry.id, entry.business_day,
            (SELECT string_agg(account_id || ':' || amount, ',' ORDER BY account_id, amount)
             FROM lines),
            CAST(:fingerprint AS text)), 'UTF8')), 'hex')
        FROM entry, (SELECT coalesce(
            (SELECT hash FROM ledger_chain WHERE location_id = :location_id
             ORDER BY seq DESC LIMIT 1), repeat('0', 64)) AS hash) AS prev
    )
    SELECT id, business_day FROM entry
    """  # noqa: S608 (the constant above, never input)
)


#: The generic purposes every location's chart has from its first row (migration 0010's
#: default chart, and 0013's stock accounts): every leg falls back to one of these, so every
#: posting finds its accounts.
GENERIC_PURPOSES = frozenset(
    {
        "cash", "safe", "card", "tax", "tips_payable", "sales", "service_charge", "discounts",
        "refunds", "comps", "over_short", "rounding", "paid_outs",
        "inventory", "payables", "cogs", "waste", "shrinkage",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Entry:
    location_id: int
    kind: str
    source: str
    legs: tuple[Leg, ...]
    staff_id: int | None = None
    memo: str = ""
    corrects_id: int | None = None
    #: What the chain covers besides the lines (a closed check's frozen totals).
    fingerprint: str = ""
    #: For the outbox: its type and what outside consumers get besides the lines.
    event_type: str = "journal.posted"
    payload: dict[str, Any] | None = None


def balanced(legs: Iterable[Leg]) -> tuple[Leg, ...]:
    """The legs merged per purpose, zeros dropped; refused unless they sum to exactly zero."""
    merged: dict[tuple[str, str], int] = {}
    for leg in legs:
        if not isinstance(leg.amount, int) or isinstance(leg.amount, bool):
            raise BadInput("An amount in the books is a whole number of minor units.")
        key = (leg.purpose, leg.fallback or leg.purpose)
        if key[1] not in GENERIC_PURPOSES:
            raise BadInput(
                f"The books have no account for {leg.purpose!r}: nothing was posted. Map it "
                "on the chart of accounts, or post to one the chart has."
            )
        merged[key] = merged.get(key, 0) + leg.amount
    out = tuple(Leg(p, a, f) for (p, f), a in merged.items() if a != 0)
    total = sum(leg.amount for leg in out)
    if total != 0:
        raise BadInput(
            f"This entry does not balance: its debits and credits differ by {total} minor "
            "units. Nothing was posted."
        )
    return out


def post(uow: UnitOfWork, entry: Entry) -> None:
    """Post ``entry`` as this command's last step (so the chain lock is held for the commit
    only). An entry whose legs all cancel out posts nothing."""
    legs = balanced(entry.legs)
    if not legs:
        return
    params = {
        "location_id": entry.location_id,
        "kind": entry.kind,
        "source": entry.source,
        "memo": entry.memo,
        "corrects_id": entry.corrects_id,
        "staff_id": entry.staff_id,
        "purposes": [leg.purpose for leg in legs],
        "fallbacks": [leg.fallback or leg.purpose for leg in legs],
        "amounts": [leg.amount for leg in legs],
        "event_type": entry.event_type,
        "payload": json.dumps(
            {"kind": entry.kind, "source": entry.source, **(entry.payload or {})}
        ),
        "fingerprint": entry.fingerprint,
    }

    async def write() -> None:
        await uow.session.execute(CHAIN_LOCK, {"location_id": entry.location_id})
        await uow.session.execute(_POST, params)

    uow.last_step(write)


async def current_business_day(uow: UnitOfWork, location_id: int) -> date:
    day: date | None = await uow.session.scalar(CURRENT_DAY, {"location_id": location_id})
    assert day is not None, "every location has a business day"
    return day
