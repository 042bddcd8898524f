"""The books for the accountant's own tools: journal lines as CSV, the ledger as a beancount
file that ``bean-check`` accepts. Framework-free: the pages and the API stream what this writes.

Amounts leave as exact decimals made from integer minor units (1234 -> "12.34" for a
2-decimal currency, "1234" for yen): no float ever touches them. Entries are read a page at a
time (one query per 500 entries, never one per line); the file itself is built in memory.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import AsyncIterator, Iterable
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounting import books
from app.accounting.books import AccountRow, DayRange, EntryRow

CSV_HEADER = (
    "date",
    "entry_id",
    "kind",
    "source",
    "memo",
    "account_code",
    "account_name",
    "debit",
    "credit",
)

#: Beancount's five roots, from our account kinds.
ROOTS = {
    "asset": "Assets",
    "liability": "Liabilities",
    "equity": "Equity",
    "revenue": "Income",
    "expense": "Expenses",
}
_PAGE = 500


def decimal_text(minor: int, exponent: int) -> str:
    """``minor`` units as an exact decimal string: 1234, 2 -> "12.34"; -5, 2 -> "-0.05"."""
    sign = "-" if minor < 0 else ""
    whole, frac = divmod(abs(minor), 10**exponent)
    return f"{sign}{whole}.{frac:0{exponent}d}" if exponent else f"{sign}{whole}"


def beancount_name(account: AccountRow) -> str:
    """A valid beancount account: its root from the kind, then the code and the name reduced
    to ASCII letters, digits and dashes ("Assets:1000-Cash-on-hand"). The code comes first so
    two accounts never share a name and the component starts with a digit, as beancount asks."""
    plain = unicodedata.normalize("NFKD", account.name).encode("ascii", "ignore").decode()
    plain = plain.replace("'", "")
    words = re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-")
    code = re.sub(r"[^A-Za-z0-9]+", "-", account.code).strip("-") or str(account.id)
    component = f"{code}-{words}" if words else code  # ASCII letters or digits first
    return f"{ROOTS[account.kind]}:{component[0].upper()}{component[1:]}"


def _quoted(value: str) -> str:
    """A beancount string: one line, its backslashes and quotes escaped."""
    flat = " ".join(value.split())
    return '"' + flat.replace("\\", "\\\\").replace('"', '\\"') + '"'


async def entries(
    session: AsyncSession, location_id: int, days: DayRange
) -> AsyncIterator[EntryRow]:
    """Every entry of the range with its lines, oldest first, a page at a time."""
    offset = 0
    while True:
        page = await books.journal(session, location_id, days, offset, _PAGE)
        for entry in page.entries:
            yield entry
        if page.next_offset is None:
            return
        offset = page.next_offset


def csv_rows(found: Iterable[EntryRow], exponent: int) -> Iterable[list[str]]:
    for entry in found:
        for line in entry.lines:
            debit = decimal_text(line.debit, exponent) if line.debit else ""
            credit = decimal_text(line.credit, exponent) if line.credit else ""
            yield [
                entry.business_day.isoformat(),
                str(entry.id),
                entry.kind,
                entry.source,
                entry.memo,
                line.code,
                line.name,
                debit,
                credit,
            ]


async def journal_csv(
    session: AsyncSession, location_id: int, days: DayRange, exponent: int
) -> str:
    """One row per journal line; the debit or the credit column holds its amount."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    async for entry in entries(session, location_id, days):
        writer.writerows(csv_rows([entry], exponent))
    return out.getvalue()


def _transaction(
    day: date, narration: str, meta: dict[str, str], postings: list[tuple[str, str]], tail: str
) -> list[str]:
    lines = [f"{day.isoformat()} * {_quoted(narration)}"]
    lines += [f"  {key}: {_quoted(value)}" for key, value in meta.items()]
    lines += [f"  {name}  {amount}{tail}" for name, amount in postings]
    return [*lines, ""]


async def beancount_text(
    session: AsyncSession,
    location_id: int,
    days: DayRange,
    currency: str,
    exponent: int,
    title: str,
) -> str:
    """A whole beancount file for the range: options, every account opened on the first day,
    the balances brought forward (they sum to zero: every earlier entry balanced), then one
    transaction per entry on its business day."""
    currency = currency.upper() or "USD"
    chart = await books.balances(session, location_id, days)
    names = {b.account.id: beancount_name(b.account) for b in chart}
    out = [
        f"; Brigade books {days.first.isoformat()} to {days.last.isoformat()}",
        f'option "title" {_quoted(title or "Brigade")}',
        f'option "operating_currency" "{currency}"',
        "",
    ]
    out += [f"{days.first.isoformat()} open {names[b.account.id]} {currency}" for b in chart]
    out.append("")
    tail = f" {currency}"
    brought = [(names[b.account.id], b.opening) for b in chart if b.opening]
    if brought:
        out += _transaction(
            days.first,
            "Balances brought forward",
            {},
            [(n, decimal_text(a, exponent)) for n, a in brought],
            tail,
        )
    async for entry in entries(session, location_id, days):
        meta = {"entry": str(entry.id), "kind": entry.kind, "source": entry.source}
        if entry.corrects_id is not None:
            meta["corrects"] = str(entry.corrects_id)
        postings = [(names[ln.account_id], decimal_text(ln.amount, exponent)) for ln in entry.lines]
        out += _transaction(entry.business_day, entry.memo or entry.kind, meta, postings, tail)
    return "\n".join(out)


async def location_beancount(
    session: AsyncSession, location: Any, days: DayRange, exponent: int
) -> str:
    """The beancount file of ``location`` (the app's cached location) for ``days``: what the
    books page and the API both download."""
    return await beancount_text(
        session,
        location.id,
        days,
        location.currency,
        exponent,
        getattr(location, "name", "Brigade"),
    )
