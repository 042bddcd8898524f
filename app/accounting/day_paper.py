"""The X and Z as paper: what the receipt printer gets, queued so that it never fails the
close (the Z row is the record; the paper is a copy of it and can be printed again)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from app.platform.db import UnitOfWork
from app.platform.receipts import ReceiptBus

log = logging.getLogger(__name__)


def z_paper(
    z_number: int, grand_total: int, digest: str, closed_at: datetime, report: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    """What the printer gets for a Z: its title, its figures, the grand total and the
    chain's hash (a paper can be checked against the books)."""
    extra = {"grand_total": grand_total, "hash": digest, "closed_at": closed_at.isoformat()}
    return f"Z REPORT #{z_number}", {**report, **extra}


async def print_report(
    uow: UnitOfWork, receipts: ReceiptBus, location_id: int, paper: tuple[str, dict[str, Any]]
) -> int:
    """Queue the paper in a savepoint: the Z is the record, the paper a copy of it. Should
    queueing fail, the close stands and the Z is reprinted from its page."""
    title, report = paper
    try:
        async with uow.session.begin_nested():
            return await receipts.day_report(uow, location_id, title, report)
    except Exception:  # the day is closed either way; the failure is logged, not swallowed
        log.exception("the day report could not be queued for printing", extra={"title": title})
        return 0
