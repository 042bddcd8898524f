"""The books pages (owners and managers): journal, general ledger, trial balance, profit and
loss for a range of business days, and the downloads (CSV, beancount).

Thin: each page reads its range, asks ``app.accounting.books`` and renders. The range is typed
by a person, so a non-date or a reversed range is a 400 with a sentence.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import Parameter, QueryParameter
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounting import books, exports
from app.accounting.books import DayRange
from app.accounting.posting import CURRENT_DAY
from app.core.errors import BrigadeError
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork
from app.platform.web import money_exponent, render

Req = Request[Any, Any, Any]
Day = Annotated[str | None, QueryParameter(name="from", required=False, max_length=40)]
Until = Annotated[str | None, Parameter(required=False, max_length=40)]
Page = Annotated[str | None, Parameter(required=False, max_length=12)]
JOURNAL_PAGE = 50
LEDGER_PAGE = 200


async def business_day(session: AsyncSession, location_id: int) -> date:
    day: date | None = await session.scalar(CURRENT_DAY, {"location_id": location_id})
    return day or date.today()  # noqa: DTZ011 (no location row: only before first run)


async def range_of(
    session: AsyncSession, location_id: int, raw_from: str | None, raw_to: str | None, *, day: bool
) -> DayRange:
    """The asked range; unasked, the current business day (``day``) or this month to date."""
    today = await business_day(session, location_id)
    first = today if day else today.replace(day=1)
    return books.day_range(raw_from, raw_to, first, today)


def page_number(raw: str | None) -> int:
    if raw is None or not raw.strip():
        return 1
    if not raw.strip().isdigit() or not 1 <= int(raw) <= 1_000_000:
        raise BrigadeError(f"“{raw[:20]}” is not a page number: pages count from 1.")
    return int(raw)


def filename(days: DayRange, ext: str) -> str:
    return f"books-{days.first.isoformat()}-to-{days.last.isoformat()}.{ext}"


def download(body: str, media_type: str, name: str) -> Response[str]:
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


class BooksController(Controller):
    path = "/office/books"
    opt = {"roles": MANAGERS}

    def _page(self, request: Req, tab: str, days: DayRange, **context: Any) -> Template:
        query = f"from={days.first.isoformat()}&to={days.last.isoformat()}"
        return render(
            request,
            f"accounting/{tab}.html",
            {"section": "books", "tab": tab, "days": days, "query": query, **context},
        )

    @get("/")
    async def journal(
        self,
        request: Req,
        uow: NamedDependency[UnitOfWork],
        from_: Day = None,
        to: Until = None,
        page: Page = None,
    ) -> Template:
        location_id = request.app.state.location.id
        days = await range_of(uow.session, location_id, from_, to, day=True)
        number = page_number(page)
        found = await books.journal(
            uow.session, location_id, days, (number - 1) * JOURNAL_PAGE, JOURNAL_PAGE
        )
        pages = max(1, -(-found.total // JOURNAL_PAGE))
        return self._page(request, "journal", days, journal=found, page=number, pages=pages)

    @get("/ledger")
    async def ledger(
        self,
        request: Req,
        uow: NamedDependency[UnitOfWork],
        from_: Day = None,
        to: Until = None,
        account: Page = None,
        page: Page = None,
    ) -> Template:
        """Every account's opening, movements and closing; one account's lines on asking."""
        location_id = request.app.state.location.id
        days = await range_of(uow.session, location_id, from_, to, day=False)
        chart = await books.balances(uow.session, location_id, days)
        chosen = None
        lines: list[books.Movement] = []
        number = page_number(page)
        if account:
            wanted = account.strip()
            chosen = next((b for b in chart if str(b.account.id) == wanted), None)
            if chosen is None:
                raise BrigadeError("There is no such account in this restaurant's chart.")
            # The running sum is a window over the whole range (PostgreSQL sums it before
            # OFFSET), so a later page continues from the line before it.
            lines = await books.movements(
                uow.session,
                chosen.account.id,
                days,
                chosen.opening,
                (number - 1) * LEDGER_PAGE,
                LEDGER_PAGE + 1,
            )
        more = len(lines) > LEDGER_PAGE
        return self._page(
            request,
            "ledger",
            days,
            chart=chart,
            chosen=chosen,
            lines=lines[:LEDGER_PAGE],
            page=number,
            more=more,
        )

    @get("/trial-balance")
    async def trial_balance(
        self, request: Req, uow: NamedDependency[UnitOfWork], from_: Day = None, to: Until = None
    ) -> Template:
        location_id = request.app.state.location.id
        days = await range_of(uow.session, location_id, from_, to, day=False)
        chart = await books.balances(uow.session, location_id, days)
        totals = {
            "debits": sum(b.debits for b in chart),
            "credits": sum(b.credits for b in chart),
            "dr": sum(b.closing for b in chart if b.closing > 0),
            "cr": sum(-b.closing for b in chart if b.closing < 0),
        }
        return self._page(request, "trial_balance", days, chart=chart, totals=totals)

    @get("/profit-and-loss")
    async def profit_and_loss(
        self, request: Req, uow: NamedDependency[UnitOfWork], from_: Day = None, to: Until = None
    ) -> Template:
        location_id = request.app.state.location.id
        days = await range_of(uow.session, location_id, from_, to, day=False)
        chart = await books.balances(uow.session, location_id, days)
        contra = await books.contra_accounts(uow.session, location_id)
        return self._page(request, "pnl", days, pnl=books.profit_and_loss(chart, contra))

    @get("/journal.csv")
    async def journal_csv(
        self, request: Req, uow: NamedDependency[UnitOfWork], from_: Day = None, to: Until = None
    ) -> Response[str]:
        location_id = request.app.state.location.id
        days = await range_of(uow.session, location_id, from_, to, day=False)
        body = await exports.journal_csv(uow.session, location_id, days, money_exponent(request))
        return download(body, "text/csv", filename(days, "csv"))

    @get("/books.beancount")
    async def beancount(
        self, request: Req, uow: NamedDependency[UnitOfWork], from_: Day = None, to: Until = None
    ) -> Response[str]:
        location = request.app.state.location
        days = await range_of(uow.session, location.id, from_, to, day=False)
        body = await exports.location_beancount(
            uow.session, location, days, money_exponent(request)
        )
        return download(body, "text/plain", filename(days, "beancount"))
