"""The Z reports already closed, and printing the X and the Z again.

A Z is read as it was frozen (``day_close.report``): its page and a reprint months later show
what the manager closed, never figures recomputed since. The X is worked out afresh every
time: it is the open day so far.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import text

from app.accounting.day_close import day_state
from app.accounting.day_paper import print_report, z_paper
from app.accounting.figures import day_figures
from app.core.errors import NotFound
from app.platform import audit, idempotency
from app.platform.db import UnitOfWork
from app.platform.receipts import ReceiptBus

_ZS = text(
    """
    SELECT d.id, d.business_day, d.z_number, d.grand_total, d.report, d.closed_at,
           s.name AS closed_by, z.hash
    FROM day_close d JOIN staff s ON s.id = d.closed_by
    LEFT JOIN ledger_chain z ON z.location_id = d.location_id AND z.kind = 'z'
         AND z.ref_id = d.id
    WHERE d.location_id = :location_id
    ORDER BY d.z_number DESC LIMIT :limit
    """
)
_Z = text(
    """
    SELECT d.id, d.business_day, d.z_number, d.grand_total, d.report, d.closed_at,
           s.name AS closed_by, z.hash
    FROM day_close d JOIN staff s ON s.id = d.closed_by
    LEFT JOIN ledger_chain z ON z.location_id = d.location_id AND z.kind = 'z'
         AND z.ref_id = d.id
    WHERE d.location_id = :location_id AND d.business_day = :day
    """
)


@dataclass(frozen=True, slots=True)
class ZReport:
    id: int
    business_day: date
    z_number: int
    grand_total: int
    report: dict[str, Any]
    closed_at: datetime
    closed_by: str
    hash: str

    @property
    def net_sales(self) -> int:
        return int(self.report["net_sales"])


def _z(row: Any) -> ZReport:
    return ZReport(
        int(row.id),
        row.business_day,
        int(row.z_number),
        int(row.grand_total),
        dict(row.report),
        row.closed_at,
        row.closed_by,
        row.hash or "",
    )


async def past_days(uow: UnitOfWork, location_id: int, limit: int = 90) -> list[ZReport]:
    """The last ``limit`` Zs, newest first."""
    rows = await uow.session.execute(_ZS, {"location_id": location_id, "limit": limit})
    return [_z(r) for r in rows]


async def z_report(uow: UnitOfWork, location_id: int, day: date) -> ZReport:
    row = (await uow.session.execute(_Z, {"location_id": location_id, "day": day})).first()
    if row is None:
        raise NotFound(
            f"Business day {day.isoformat()} has no Z report: it is not closed (or nothing "
            "was ever open on it)."
        )
    return _z(row)


async def reprint_z(
    uow: UnitOfWork,
    location_id: int,
    day: date,
    staff_id: int,
    receipts: ReceiptBus,
    key: str | None = None,
) -> int:
    """Print a closed day's Z again (headed REPRINT); returns the jobs queued."""
    claim = await idempotency.claim(
        uow.session, key, "reprint_z", {"location": location_id, "day": day.isoformat()}
    )
    if claim.replay is not None:
        return int(claim.replay["jobs"])
    z = await z_report(uow, location_id, day)
    title, paper = z_paper(z.z_number, z.grand_total, z.hash, z.closed_at, z.report)
    jobs = await print_report(uow, receipts, location_id, (f"{title} REPRINT", paper))
    await audit.record(
        uow.session, "reprint_z", f"day:{day.isoformat()}", actor_id=staff_id, jobs=jobs
    )
    await idempotency.remember(uow.session, claim, {"jobs": jobs})
    return jobs


async def print_x(
    uow: UnitOfWork, location_id: int, staff_id: int, receipts: ReceiptBus, key: str | None = None
) -> int:
    """Print the open day's X: the figures so far; nothing is closed or numbered."""
    claim = await idempotency.claim(uow.session, key, "print_x", {"location": location_id})
    if claim.replay is not None:
        return int(claim.replay["jobs"])
    state = await day_state(uow, location_id)
    figures = await day_figures(uow.session, location_id, state.day)
    figures["open_drawers"] = list(state.open_drawers)
    jobs = await print_report(uow, receipts, location_id, ("X REPORT", figures))
    await audit.record(
        uow.session, "print_x", f"day:{state.day.isoformat()}", actor_id=staff_id, jobs=jobs
    )
    await idempotency.remember(uow.session, claim, {"jobs": jobs})
    return jobs
