"""Reading the books for the owner and the accountant: journal, general ledger, trial balance,
profit and loss, over a range of business days. No framework here: routes and the API call it.

Every figure is summed by PostgreSQL (``GROUP BY``, window sums), never by looping over lines
in Python, and the journal comes a page at a time, so a year of books reads as fast as a day.
Amounts are signed minor units as posted: debit positive, credit negative.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounting.models import Account, AccountPurpose, JournalEntry, JournalLine
from app.core.errors import BrigadeError

#: Purposes whose revenue accounts reduce sales (contra-revenue) on the P&L.
CONTRA_REVENUE = ("discounts", "refunds")


@dataclass(frozen=True, slots=True)
class DayRange:
    first: date
    last: date


def parse_day(raw: str | None, default: date, label: str) -> date:
    if raw is None or not raw.strip():
        return default
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise BrigadeError(
            f"The {label} date “{raw[:40]}” is not a date: write it as YYYY-MM-DD."
        ) from None


def day_range(raw_from: str | None, raw_to: str | None, first: date, last: date) -> DayRange:
    """The range a person asked for (each end defaulting to ``first`` / ``last``); a reversed
    range or a non-date is refused with a sentence (400), never read as something else."""
    return checked_range(parse_day(raw_from, first, "from"), parse_day(raw_to, last, "to"))


def checked_range(first: date, last: date) -> DayRange:
    if last < first:
        raise BrigadeError(
            f"The range ends ({last.isoformat()}) before it starts ({first.isoformat()}): "
            "put the earlier day first."
        )
    return DayRange(first, last)


@dataclass(frozen=True, slots=True)
class AccountRow:
    id: int
    code: str
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class LineRow:
    account_id: int
    code: str
    name: str
    amount: int

    @property
    def debit(self) -> int:
        return max(self.amount, 0)

    @property
    def credit(self) -> int:
        return max(-self.amount, 0)


@dataclass(slots=True)
class EntryRow:
    id: int
    business_day: date
    kind: str
    source: str
    memo: str
    corrects_id: int | None
    lines: list[LineRow] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class JournalPage:
    entries: list[EntryRow]
    total: int
    offset: int
    limit: int

    @property
    def next_offset(self) -> int | None:
        return self.offset + self.limit if self.offset + self.limit < self.total else None


def _in_range(location_id: int, days: DayRange) -> list[ColumnElement[bool]]:
    return [
        JournalEntry.location_id == location_id,
        JournalEntry.business_day >= days.first,
        JournalEntry.business_day <= days.last,
    ]


async def accounts(session: AsyncSession, location_id: int) -> list[AccountRow]:
    rows = await session.execute(
        select(Account.id, Account.code, Account.name, Account.kind)
        .where(Account.location_id == location_id)
        .order_by(Account.code)
    )
    return [AccountRow(*row) for row in rows]


async def journal(
    session: AsyncSession, location_id: int, days: DayRange, offset: int = 0, limit: int = 50
) -> JournalPage:
    """One page of entries (oldest first) with their lines and account names."""
    where = _in_range(location_id, days)
    total = await session.scalar(select(func.count()).select_from(JournalEntry).where(*where))
    heads = await session.execute(
        select(
            JournalEntry.id,
            JournalEntry.business_day,
            JournalEntry.kind,
            JournalEntry.source,
            JournalEntry.memo,
            JournalEntry.corrects_id,
        )
        .where(*where)
        .order_by(JournalEntry.business_day, JournalEntry.id)
        .offset(offset)
        .limit(limit)
    )
    entries = {row.id: EntryRow(*row) for row in heads}
    if entries:
        lines = await session.execute(
            select(JournalLine.entry_id, Account.id, Account.code, Account.name, JournalLine.amount)
            .join(Account, Account.id == JournalLine.account_id)
            .where(JournalLine.entry_id.in_(list(entries)))
            .order_by(JournalLine.entry_id, JournalLine.amount.desc(), JournalLine.id)
        )
        for entry_id, account_id, code, name, amount in lines:
            entries[entry_id].lines.append(LineRow(account_id, code, name, amount))
    return JournalPage(list(entries.values()), int(total or 0), offset, limit)


@dataclass(frozen=True, slots=True)
class Balance:
    """An account over the range: what it held before, what moved, what it holds after."""

    account: AccountRow
    opening: int
    debits: int
    credits: int

    @property
    def closing(self) -> int:
        return self.opening + self.debits - self.credits


async def balances(session: AsyncSession, location_id: int, days: DayRange) -> list[Balance]:
    """Every account (those with no posting too): opening balance before the range, debit
    and credit totals within it. One aggregate query, whatever the number of lines."""
    day = JournalEntry.business_day
    within = and_(day >= days.first, day <= days.last)
    amount = JournalLine.amount
    sums = (
        select(
            JournalLine.account_id,
            func.sum(case((day < days.first, amount), else_=0)).label("opening"),
            func.sum(case((and_(within, amount > 0), amount), else_=0)).label("debits"),
            func.sum(case((and_(within, amount < 0), -amount), else_=0)).label("credits"),
        )
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(JournalEntry.location_id == location_id, day <= days.last)
        .group_by(JournalLine.account_id)
        .subquery()
    )
    rows = await session.execute(
        select(
            Account.id,
            Account.code,
            Account.name,
            Account.kind,
            func.coalesce(sums.c.opening, 0),
            func.coalesce(sums.c.debits, 0),
            func.coalesce(sums.c.credits, 0),
        )
        .outerjoin(sums, sums.c.account_id == Account.id)
        .where(Account.location_id == location_id)
        .order_by(Account.code)
    )
    return [
        Balance(AccountRow(i, c, n, k), int(o), int(d), int(cr)) for i, c, n, k, o, d, cr in rows
    ]


@dataclass(frozen=True, slots=True)
class Movement:
    entry_id: int
    business_day: date
    kind: str
    source: str
    memo: str
    amount: int
    #: The account's balance after this line (the opening balance included).
    running: int


async def movements(
    session: AsyncSession,
    account_id: int,
    days: DayRange,
    opening: int,
    offset: int = 0,
    limit: int = 200,
) -> list[Movement]:
    """One account's lines in the range, with the running balance summed by PostgreSQL."""
    order = (JournalEntry.business_day, JournalEntry.id, JournalLine.id)
    running = func.sum(JournalLine.amount).over(order_by=order)
    rows = await session.execute(
        select(
            JournalEntry.id,
            JournalEntry.business_day,
            JournalEntry.kind,
            JournalEntry.source,
            JournalEntry.memo,
            JournalLine.amount,
            running,
        )
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(
            JournalLine.account_id == account_id,
            JournalEntry.business_day >= days.first,
            JournalEntry.business_day <= days.last,
        )
        .order_by(*order)
        .offset(offset)
        .limit(limit)
    )
    return [Movement(*row[:6], opening + int(row[6])) for row in rows]


@dataclass(frozen=True, slots=True)
class ProfitAndLoss:
    #: (account, amount) with amounts as a person reads them: revenue positive, costs positive.
    revenue: list[tuple[AccountRow, int]]
    contra: list[tuple[AccountRow, int]]
    expenses: list[tuple[AccountRow, int]]

    @property
    def net_revenue(self) -> int:
        return sum(a for _, a in self.revenue) - sum(a for _, a in self.contra)

    @property
    def total_expenses(self) -> int:
        return sum(a for _, a in self.expenses)

    @property
    def net(self) -> int:
        return self.net_revenue - self.total_expenses


async def contra_accounts(session: AsyncSession, location_id: int) -> set[int]:
    found = await session.scalars(
        select(AccountPurpose.account_id).where(
            AccountPurpose.location_id == location_id,
            AccountPurpose.purpose.in_(CONTRA_REVENUE),
        )
    )
    return set(found)


def profit_and_loss(rows: Sequence[Balance], contra: set[int]) -> ProfitAndLoss:
    """The range's movements of revenue and expense accounts (not their opening balances:
    a P&L is for the period). Accounts that did not move are left out."""
    revenue: list[tuple[AccountRow, int]] = []
    less: list[tuple[AccountRow, int]] = []
    expenses: list[tuple[AccountRow, int]] = []
    for b in rows:
        moved = b.debits - b.credits
        if moved == 0 and b.debits == 0:
            continue
        if b.account.kind == "revenue":
            (less if b.account.id in contra else revenue).append(
                (b.account, moved if b.account.id in contra else -moved)
            )
        elif b.account.kind == "expense":
            expenses.append((b.account, moved))
    return ProfitAndLoss(revenue, less, expenses)
