"""The books over JSON (owners and managers): journal entries by business day, the trial
balance, and the same CSV and beancount exports as the books pages.

Amounts are signed integer minor units as posted: debit positive, credit negative, and an
entry's lines sum to zero. The journal is paged with ``limit`` and ``offset``: ask again with
``next_offset`` until it is null.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import Parameter, QueryParameter
from msgspec import Meta

from app.accounting import books, exports
from app.accounting.books import DayRange
from app.accounting.books_routes import business_day, download, filename
from app.api.common import API, Req, errors
from app.core.errors import BrigadeError
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork
from app.platform.web import money_exponent

#: Bad dates, a reversed range, ``day`` with ``from``/``to``; not signed in; not a manager;
#: an address with control characters (refused by InputGuard before any handler, 422).
RANGE = (400, 401, 403, 422)
From = Annotated[
    date | None,
    QueryParameter(name="from", required=False, description="First business day (YYYY-MM-DD)."),
]
To = Annotated[
    date | None,
    Parameter(required=False, description="Last business day, included."),
]
OneDay = Annotated[
    date | None,
    Parameter(required=False, description="One business day: instead of from and to."),
]
Limit = Annotated[int, Meta(ge=1, le=500), Parameter(ge=1, le=500)]
Offset = Annotated[int, Meta(ge=0, le=10_000_000), Parameter(ge=0, le=10_000_000)]


@dataclass
class LineOut:
    account_id: int
    account_code: str
    account_name: str
    #: Signed minor units: debit positive, credit negative.
    amount: int


@dataclass
class EntryOut:
    id: int
    business_day: date
    #: close, refund, tip_adjust, tip_payout, drawer_open, cash_in, cash_out, drawer_close,
    #: adjustment, reversal
    kind: str
    #: What it posts: "check:12", "refund:3", "movement:9" ...
    source: str
    memo: str
    #: The entry this one corrects (a reversal or an adjusting entry), if any.
    corrects_id: int | None
    lines: list[LineOut]


@dataclass
class EntriesOut:
    entries: list[EntryOut]
    #: Entries in the whole range.
    total: int
    limit: int
    offset: int
    #: Ask again with this offset for the next page; null on the last one.
    next_offset: int | None


@dataclass
class TrialBalanceRow:
    account_id: int
    code: str
    name: str
    #: asset, liability, equity, revenue or expense
    kind: str
    #: The balance before the range (debit positive).
    opening: int
    #: Debits and credits posted in the range (both positive).
    debits: int
    credits: int
    #: opening + debits - credits.
    closing: int


@dataclass
class TrialBalanceOut:
    first_day: date
    last_day: date
    accounts: list[TrialBalanceRow]
    total_debits: int
    total_credits: int
    #: total_debits == total_credits (always, unless the database was tampered with).
    balanced: bool


async def _range(
    uow: UnitOfWork, location_id: int, first: date | None, last: date | None
) -> DayRange:
    """Unasked ends are this month so far (the current business day's month)."""
    today = await business_day(uow.session, location_id)
    return books.checked_range(first or today.replace(day=1), last or today)


class LedgerApiController(Controller):
    path = "/api/v1/ledger"
    opt = {**API, "roles": MANAGERS}
    tags = ["books"]

    @get(
        "/entries",
        summary="Journal entries with their lines, by business day",
        responses=errors(*RANGE),
    )
    async def entries(
        self,
        request: Req,
        uow: NamedDependency[UnitOfWork],
        day: OneDay = None,
        from_: From = None,
        to: To = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> EntriesOut:
        """``day`` for one business day, or ``from`` and ``to``; neither: the current one."""
        location_id = request.app.state.location.id
        if day is not None and (from_ is not None or to is not None):
            raise BrigadeError("Ask for one day, or for a range with from and to: not both.")
        if day is None and from_ is None and to is None:
            day = await business_day(uow.session, location_id)
        days = books.checked_range(day, day) if day else await _range(uow, location_id, from_, to)
        page = await books.journal(uow.session, location_id, days, offset, limit)
        return EntriesOut(
            entries=[
                EntryOut(
                    e.id,
                    e.business_day,
                    e.kind,
                    e.source,
                    e.memo,
                    e.corrects_id,
                    [LineOut(ln.account_id, ln.code, ln.name, ln.amount) for ln in e.lines],
                )
                for e in page.entries
            ],
            total=page.total,
            limit=limit,
            offset=offset,
            next_offset=page.next_offset,
        )

    @get(
        "/trial-balance",
        summary="Every account's balance and movements over a range",
        responses=errors(*RANGE),
    )
    async def trial_balance(
        self, request: Req, uow: NamedDependency[UnitOfWork], from_: From = None, to: To = None
    ) -> TrialBalanceOut:
        location_id = request.app.state.location.id
        days = await _range(uow, location_id, from_, to)
        chart = await books.balances(uow.session, location_id, days)
        rows = [
            TrialBalanceRow(
                b.account.id,
                b.account.code,
                b.account.name,
                b.account.kind,
                b.opening,
                b.debits,
                b.credits,
                b.closing,
            )
            for b in chart
        ]
        debits, credits = sum(b.debits for b in chart), sum(b.credits for b in chart)
        return TrialBalanceOut(days.first, days.last, rows, debits, credits, debits == credits)

    @get(
        "/export.csv",
        summary="Journal lines as CSV: date, entry, kind, source, memo, account, debit, credit",
        media_type="text/csv",
        responses=errors(*RANGE),
    )
    async def export_csv(
        self, request: Req, uow: NamedDependency[UnitOfWork], from_: From = None, to: To = None
    ) -> Response[str]:
        location_id = request.app.state.location.id
        days = await _range(uow, location_id, from_, to)
        body = await exports.journal_csv(uow.session, location_id, days, money_exponent(request))
        return download(body, "text/csv", filename(days, "csv"))

    @get(
        "/export.beancount",
        summary="The books as a beancount file (bean-check accepts it)",
        media_type="text/plain",
        responses=errors(*RANGE),
    )
    async def export_beancount(
        self, request: Req, uow: NamedDependency[UnitOfWork], from_: From = None, to: To = None
    ) -> Response[str]:
        location = request.app.state.location
        days = await _range(uow, location.id, from_, to)
        body = await exports.location_beancount(
            uow.session, location, days, money_exponent(request)
        )
        return download(body, "text/plain", filename(days, "beancount"))
