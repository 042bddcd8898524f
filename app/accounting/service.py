"""Accounting's listeners on the back-office bus: every close and every money move posts.

Wired in ``app/main.py``. Each posts one entry through the gateway, in the caller's
transaction: the check closes and its entry is written together, or neither is.
"""

from __future__ import annotations

from app.accounting.entries import check_fingerprint, close_legs, money_legs
from app.accounting.posting import Entry, post
from app.platform.closing import ClosedCheck, MoneyMoved
from app.platform.db import UnitOfWork


async def post_close(uow: UnitOfWork, closed: ClosedCheck) -> None:
    post(
        uow,
        Entry(
            location_id=closed.location_id,
            kind="close",
            source=f"check:{closed.check_id}",
            legs=tuple(close_legs(closed)),
            staff_id=closed.closed_by,
            memo=f"Check {closed.number}",
            fingerprint=check_fingerprint(
                closed.check_id,
                closed.number,
                closed.subtotal,
                closed.comps,
                closed.discounts,
                closed.service_charge,
                closed.tax,
                closed.total,
            ),
            event_type="check.closed",
            payload={"check_id": closed.check_id, "number": closed.number, "total": closed.total},
        ),
    )


MEMOS = {
    "refund": "Refund",
    "tip_adjust": "Tip adjusted after close",
    "tip_payout": "Card tips paid out in cash",
    "drawer_open": "Drawer float counted in",
    "cash_in": "Cash in",
    "cash_out": "Cash out",
    "drawer_close": "Drawer counted out",
}


async def post_money(uow: UnitOfWork, moved: MoneyMoved) -> None:
    memo = MEMOS[moved.kind] + (f": {moved.reason}" if moved.reason else "")
    post(
        uow,
        Entry(
            location_id=moved.location_id,
            kind=moved.kind,
            source=moved.source,
            legs=tuple(money_legs(moved)),
            staff_id=moved.staff_id,
            memo=memo[:200],
            event_type=f"money.{moved.kind}",
            payload={"check_id": moved.check_id, "amount": moved.amount, "tip": moved.tip},
        ),
    )
