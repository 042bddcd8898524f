"""The demo restaurant's books: a chart of accounts an accountant would recognise.

Every location gets the default chart from migration 0010 (cash, card clearing, sales, tax,
tips ...). The demo maps it further, as a bookkeeper setting up a real bistro would: a
revenue account per menu category, a tax account per rate, the main drawer's own cash
account; and the main drawer's float, counted in when the demo opens, posts like any other.
"""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounting.entries import Leg, cash
from app.accounting.models import Account, AccountPurpose
from app.accounting.posting import Entry, post
from app.billing.models import DrawerSession
from app.menu.models import Category, TaxRate
from app.platform.db import UnitOfWork


async def _account(
    session: AsyncSession, loc: int, code: str, name: str, kind: str, purpose: str
) -> None:
    account_id = await session.scalar(
        insert(Account)
        .values(location_id=loc, code=code, name=name, kind=kind)
        .returning(Account.id)
    )
    await session.execute(
        insert(AccountPurpose).values(location_id=loc, purpose=purpose, account_id=account_id)
    )


async def seed_demo_books(session: AsyncSession, loc: int) -> None:
    categories = (
        await session.execute(
            select(Category.id, Category.name)
            .where(Category.location_id == loc)
            .order_by(Category.sort, Category.id)
        )
    ).all()
    for n, (category_id, name) in enumerate(categories, start=1):
        await _account(
            session,
            loc,
            f"4{n:02d}0",
            f"Sales - {name}",
            "revenue",
            f"sales:category:{category_id}",
        )
    rates = (
        await session.execute(
            select(TaxRate.rate_ppm, TaxRate.name)
            .where(TaxRate.location_id == loc)
            .order_by(TaxRate.rate_ppm)
        )
    ).all()
    for n, (ppm, name) in enumerate(rates, start=1):
        await _account(
            session,
            loc,
            f"21{n:02d}",
            f"Sales tax payable - {name}",
            "liability",
            f"tax:rate:{ppm}",
        )
    await _account(session, loc, "1010", "Cash - Main drawer", "asset", "cash:drawer:Main")
    drawer = (
        await session.execute(
            select(DrawerSession.id, DrawerSession.opening_float, DrawerSession.opened_by).where(
                DrawerSession.location_id == loc, DrawerSession.drawer == "Main"
            )
        )
    ).one()
    uow = UnitOfWork(session)
    post(
        uow,
        Entry(
            location_id=loc,
            kind="drawer_open",
            source=f"drawer:{drawer.id}",
            legs=(cash("Main", drawer.opening_float), Leg("safe", -drawer.opening_float)),
            staff_id=drawer.opened_by,
            memo="Drawer float counted in",
        ),
    )
    await uow.run_last_steps()
