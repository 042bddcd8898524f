"""The chart of accounts as the back office shows it: each account with the purposes that
post to it and its balance, and what is not mapped yet. Read-only SQL."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounting.chart_rules import ACCOUNT_KINDS, FITS, MEANS, Purpose, natural_balance
from app.accounting.models import Account, AccountPurpose, JournalLine
from app.billing.models import DrawerSession
from app.menu.models import Category, TaxRate


@dataclass(frozen=True, slots=True)
class AccountView:
    id: int
    code: str
    name: str
    #: asset, liability, equity, revenue or expense
    kind: str
    archived: bool
    #: What posts here ("sales", "sales:category:12" ...).
    purposes: list[str]
    #: Every line ever posted here, summed in minor units: debit positive.
    balance: int
    #: Whether anything was ever posted here: then its kind can no longer change.
    posted: bool

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def shown_balance(self) -> int:
        return natural_balance(self.kind, self.balance)


@dataclass(frozen=True, slots=True)
class Unmapped:
    """Something the restaurant sells through, taxes at or keeps cash in, with no account of
    its own: it posts to the generic purpose's account (allowed; the accountant wants to know)."""

    purpose: str
    #: "Category Wine", "Tax rate Alcohol 10 %", "Drawer Bar".
    what: str
    #: The account it posts to now ("4000 Sales").
    posts_to: str


@dataclass(frozen=True, slots=True)
class Chart:
    accounts: list[AccountView]
    unmapped: list[Unmapped]
    #: What a specific purpose is for, as staff name it: "Category Starters", "Drawer Bar".
    labels: dict[str, str]

    def account(self, account_id: int) -> AccountView | None:
        return next((a for a in self.accounts if a.id == account_id), None)

    def fitting(self, purpose: str) -> list[AccountView]:
        """The current accounts ``purpose`` may be pointed at, and the one it posts to now
        (so a form that shows it and is saved unchanged leaves it there)."""
        # A purpose another module wrote that this table does not know yet: any kind.
        kinds = FITS.get(purpose.partition(":")[0], ACCOUNT_KINDS)
        return [
            a
            for a in self.accounts
            if (a.kind in kinds and not a.archived) or purpose in a.purposes
        ]

    @property
    def mappings(self) -> list[tuple[str, AccountView]]:
        """Every purpose with its account, generic ones first, in the order they read."""
        pairs = [(p, a) for a in self.accounts for p in a.purposes]
        return sorted(pairs, key=lambda pair: (":" in pair[0], pair[0]))

    def what(self, purpose: str) -> str:
        """A purpose as a person reads it: "Category Starters", or "sales (net of tax)"."""
        return self.labels.get(purpose) or means(purpose)


def means(purpose: str) -> str:
    head, _, rest = purpose.partition(":")
    return MEANS.get(head, head) + (f": {rest.replace(':', ' ')}" if rest else "")


async def accounts(session: AsyncSession, location_id: int) -> list[AccountView]:
    totals = (
        select(
            JournalLine.account_id,
            func.sum(JournalLine.amount).label("balance"),
            func.count().label("lines"),
        )
        .group_by(JournalLine.account_id)
        .subquery()
    )
    purposes = (
        select(
            AccountPurpose.account_id,
            func.array_agg(AccountPurpose.purpose).label("purposes"),
        )
        .where(AccountPurpose.location_id == location_id)
        .group_by(AccountPurpose.account_id)
        .subquery()
    )
    rows = await session.execute(
        select(Account, totals.c.balance, totals.c.lines, purposes.c.purposes)
        .outerjoin(totals, totals.c.account_id == Account.id)
        .outerjoin(purposes, purposes.c.account_id == Account.id)
        .where(Account.location_id == location_id)
        .order_by(Account.code)
    )
    return [
        AccountView(
            id=account.id,
            code=account.code,
            name=account.name,
            kind=account.kind,
            archived=account.archived_at is not None,
            purposes=sorted(found or [], key=lambda p: (":" in p, p)),
            balance=int(balance or 0),
            posted=bool(lines),
        )
        for account, balance, lines, found in rows.all()
    ]


async def subjects(session: AsyncSession, location_id: int) -> dict[str, tuple[str, bool]]:
    """Each specific purpose the restaurant has something for -> (what it is, whether it needs
    an account): every category and taxing rate (current ones need one), open drawers."""
    found: dict[str, tuple[str, bool]] = {}
    for category_id, name, archived in await session.execute(
        select(Category.id, Category.name, Category.archived_at.is_not(None))
        .where(Category.location_id == location_id)
        .order_by(Category.sort, Category.id)
    ):
        found[f"sales:category:{category_id}"] = (f"Category {name}", not archived)
    # A 0 % rate never posts a tax line: it needs no account.
    for ppm, name, current in await session.execute(
        select(
            TaxRate.rate_ppm, func.min(TaxRate.name), func.bool_or(TaxRate.archived_at.is_(None))
        )
        .where(TaxRate.location_id == location_id, TaxRate.rate_ppm > 0)
        .group_by(TaxRate.rate_ppm)
        .order_by(TaxRate.rate_ppm)
    ):
        found[f"tax:rate:{ppm}"] = (f"Tax rate {name}", bool(current))
    for (drawer,) in await session.execute(
        select(DrawerSession.drawer)
        .where(DrawerSession.location_id == location_id, DrawerSession.closed_at.is_(None))
        .distinct()
        .order_by(DrawerSession.drawer)
    ):
        found[f"cash:drawer:{drawer}"] = (f"Drawer {drawer}", True)
    return found


def unmapped(views: list[AccountView], things: dict[str, tuple[str, bool]]) -> list[Unmapped]:
    """Current categories, taxing rates and open drawers with no purpose of their own."""
    mapped = {p: a for a in views for p in a.purposes}
    found = []
    for purpose, (what, needs) in things.items():
        if not needs or purpose in mapped:
            continue
        generic = mapped.get(purpose.partition(":")[0])
        found.append(Unmapped(purpose, what, generic.label if generic else "nowhere"))
    return found


async def chart_of(session: AsyncSession, location_id: int) -> Chart:
    views = await accounts(session, location_id)
    things = await subjects(session, location_id)
    labels = {purpose: what for purpose, (what, _) in things.items()}
    return Chart(views, unmapped(views, things), labels)


async def suggest(
    session: AsyncSession, location_id: int, parsed: Purpose, taken: set[str]
) -> tuple[str, str]:
    """A code and a name for a new account of ``parsed``, as the demo numbers them: a
    category's revenue 4010, 4020 ...; a rate's tax 2101 ...; a drawer's cash 1010 ...;
    a terminal's clearing 1110 ..."""
    name = {
        "category": "Sales - {}",
        "rate": "Sales tax payable - {}",
        "drawer": "Cash - {} drawer",
        "terminal": "Card clearing - {}",
    }.get(parsed.names, "{}")
    if parsed.names == "category":
        subject = await session.scalar(
            select(Category.name).where(
                Category.id == int(parsed.detail), Category.location_id == location_id
            )
        )
    elif parsed.names == "rate":
        subject = await session.scalar(
            select(func.min(TaxRate.name)).where(
                TaxRate.rate_ppm == int(parsed.detail), TaxRate.location_id == location_id
            )
        )
    else:
        subject = parsed.detail or MEANS[parsed.head].capitalize()
    start, step, stop = {
        "sales": (4010, 10, 4800),
        "tax": (2101, 1, 2200),
        "cash": (1010, 1, 1050),
        "card": (1110, 1, 1200),
    }.get(parsed.head, (7000, 10, 8000))
    code = next((str(c) for c in range(start, stop, step) if str(c) not in taken), "")
    return code, name.format(subject or parsed.detail)[:80]
