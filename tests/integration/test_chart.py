"""The chart of accounts, as a bookkeeper sets up the demo bistro's books (issue 12, item 2).

Accounts are added, renamed, archived and restored; purposes are pointed at fitting
accounts; what was posted stays where it was posted; every change leaves an audit row.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounting import chart
from app.accounting.chart import AccountDraft, draft
from app.accounting.chart_rules import FITS, parse_purpose
from app.accounting.entries import Leg
from app.accounting.models import Account, AccountPurpose
from app.accounting.posting import GENERIC_PURPOSES, Entry, post
from app.billing import drawers
from app.core.errors import BadInput, Conflict, NotFound
from app.menu import editor
from app.menu.editor import CategoryDraft
from app.menu.models import Category, MenuItem
from app.platform.db import UnitOfWork
from app.platform.models import AuditEntry
from tests.conftest import STAFF_IDS
from tests.integration.test_money_postings import paid_in_cash

MIA = STAFF_IDS["Mia"]
LOC = 1


async def the_chart(session: AsyncSession) -> chart.Chart:
    session.expire_all()
    found = await chart.chart_of(session, LOC)
    await session.rollback()
    return found


async def account_named(session: AsyncSession, name: str) -> int:
    found = await session.scalar(select(Account.id).where(Account.name == name))
    await session.rollback()
    assert found is not None, name
    return int(found)


async def category_of(session: AsyncSession, item: str) -> int:
    found = await session.scalar(select(MenuItem.category_id).where(MenuItem.name == item))
    await session.rollback()
    return int(found or 0)


async def audited(session: AsyncSession, action: str) -> list[dict[str, Any]]:
    rows = await session.scalars(
        select(AuditEntry.detail).where(AuditEntry.action == action).order_by(AuditEntry.id)
    )
    found = list(rows)
    await session.rollback()
    return found


async def test_the_chart_lists_every_account_with_what_posts_to_it_and_its_balance(
    session: AsyncSession,
) -> None:
    books = await the_chart(session)
    sales = next(a for a in books.accounts if a.code == "4000")
    main = next(a for a in books.accounts if a.name == "Cash - Main drawer")
    safe = next(a for a in books.accounts if a.code == "1050")

    assert sales.purposes == ["sales"] and sales.kind == "revenue"
    assert main.purposes == ["cash:drawer:Main"]
    # The demo's float was counted in from the safe: posted, so both kinds are fixed.
    assert main.balance > 0 and safe.balance == -main.balance
    assert main.posted and safe.posted and not sales.posted
    assert safe.shown_balance == -main.balance  # an asset reads debit positive
    assert [a.code for a in books.accounts] == sorted(a.code for a in books.accounts)


async def test_a_category_remapped_to_sales_wine_takes_new_sales_and_old_ones_stay(
    uow_factory: Any, session: AsyncSession
) -> None:
    starters = await category_of(session, "Burrata")
    before = await paid_in_cash(uow_factory, session, "Burrata")
    assert before
    old = await account_named(session, "Sales - Starters")
    first = (await the_chart(session)).account(old)
    assert first is not None and first.balance < 0  # the Burrata's revenue, a credit

    wine = await uow_factory(
        chart.add_account, LOC, MIA, draft("4150", "Sales - Wine", "revenue"), None
    )
    await uow_factory(chart.map_purpose, LOC, MIA, f"sales:category:{starters}", wine)
    await paid_in_cash(uow_factory, session, "Burrata")

    books = await the_chart(session)
    moved, kept = books.account(wine), books.account(old)
    assert moved is not None and kept is not None
    assert kept.balance == first.balance  # posted books never move
    assert moved.balance == first.balance  # the second Burrata, same net price
    assert moved.purposes == [f"sales:category:{starters}"] and kept.purposes == []
    [mapped] = await audited(session, "map_account_purpose")
    assert mapped["purpose"] == f"sales:category:{starters}"
    assert (mapped["before"], mapped["after"]) == (old, wine)


async def test_a_new_account_is_refused_for_a_bad_code_name_kind_or_a_taken_code(
    uow_factory: Any, session: AsyncSession
) -> None:
    for code, name, kind, says in [
        ("", "Sales - Wine", "revenue", "Give the account a code"),
        ("41 50", "Sales - Wine", "revenue", "letters A-Z and digits"),
        ("٤١٥٠", "Sales - Wine", "revenue", "letters A-Z and digits"),
        ("4" * 21, "Sales - Wine", "revenue", "1 to 20"),
        ("4150", "  ", "revenue", "Give the account a name"),
        ("4150", "W" * 81, "revenue", "too long"),
        ("4150", "Wine\x00", "revenue", "control character"),
        ("4150", "Sales - Wine", "income", "one of asset, liability"),
    ]:
        with pytest.raises(BadInput, match=says):
            draft(code, name, kind)
    accounts = await session.scalar(select(func.count()).select_from(Account))
    await session.rollback()

    with pytest.raises(Conflict, match="4000 is already used"):
        await uow_factory(
            chart.add_account, LOC, MIA, AccountDraft("4000", "Wine", "revenue"), None
        )

    assert await session.scalar(select(func.count()).select_from(Account)) == accounts


async def test_adding_twice_with_one_key_adds_one_account(
    uow_factory: Any, session: AsyncSession
) -> None:
    wine = AccountDraft("4150", "Sales - Wine", "revenue")
    first = await uow_factory(chart.add_account, LOC, MIA, wine, "tap-1")
    again = await uow_factory(chart.add_account, LOC, MIA, wine, "tap-1")

    assert first == again
    assert len(await audited(session, "add_account")) == 1


async def test_two_managers_adding_one_code_at_once_make_one_account(
    uow_factory: Any, session: AsyncSession
) -> None:
    wine = AccountDraft("4150", "Sales - Wine", "revenue")
    outcomes = await asyncio.gather(
        uow_factory(chart.add_account, LOC, MIA, wine, None),
        uow_factory(chart.add_account, LOC, MIA, wine, None),
        return_exceptions=True,
    )

    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "int"]
    assert await session.scalar(select(func.count()).where(Account.code == "4150")) == 1


async def test_an_account_a_purpose_points_at_cannot_be_archived_and_says_which(
    uow_factory: Any, session: AsyncSession
) -> None:
    main = await account_named(session, "Cash - Main drawer")
    with pytest.raises(BadInput, match="still receives cash:drawer:Main"):
        await uow_factory(chart.archive_account, LOC, MIA, main, archived=True)

    await uow_factory(chart.unmap_purpose, LOC, MIA, "cash:drawer:Main")
    await uow_factory(chart.archive_account, LOC, MIA, main, archived=True)
    with pytest.raises(BadInput, match="is archived"):
        await uow_factory(chart.map_purpose, LOC, MIA, "cash:drawer:Main", main)
    await uow_factory(chart.archive_account, LOC, MIA, main, archived=False)
    await uow_factory(chart.map_purpose, LOC, MIA, "cash:drawer:Main", main)

    books = await the_chart(session)
    assert books.account(main) is not None and not books.account(main).archived  # type: ignore[union-attr]
    assert [len(await audited(session, a)) for a in ("archive_account", "restore_account")] == [
        1,
        1,
    ]


async def test_the_kind_changes_until_the_first_posting_and_never_after(
    uow_factory: Any, session: AsyncSession
) -> None:
    deposits = await uow_factory(
        chart.add_account, LOC, MIA, draft("2300", "Guest deposits", "revenue"), None
    )
    await uow_factory(chart.change_account, LOC, MIA, deposits, kind="liability", name="Deposits")
    main = await account_named(session, "Cash - Main drawer")
    sales = await account_named(session, "Sales")

    with pytest.raises(BadInput, match="has postings as an asset account"):
        await uow_factory(chart.change_account, LOC, MIA, main, kind="expense")
    with pytest.raises(BadInput, match="posts to a revenue account"):
        await uow_factory(chart.change_account, LOC, MIA, sales, kind="expense")
    renamed = await uow_factory(chart.change_account, LOC, MIA, main, name="Cash - Front till")

    books = await the_chart(session)
    assert (books.account(deposits).kind, books.account(deposits).name) == (  # type: ignore[union-attr]
        "liability",
        "Deposits",
    )
    assert renamed == ["name"] and books.account(main).kind == "asset"  # type: ignore[union-attr]
    assert [d["after"] for d in await audited(session, "change_account_kind")] == ["liability"]
    assert len(await audited(session, "rename_account")) == 2


async def test_a_purpose_only_goes_to_an_account_of_a_fitting_kind(
    uow_factory: Any, session: AsyncSession
) -> None:
    sales = await account_named(session, "Sales")
    comps = await account_named(session, "Comps")
    discounts = await account_named(session, "Discounts")

    with pytest.raises(BadInput, match=r"tax:rate:88750 \(sales tax collected\) posts to a liab"):
        await uow_factory(chart.map_purpose, LOC, MIA, "tax:rate:88750", sales)
    with pytest.raises(BadInput, match="posts to an expense account"):
        await uow_factory(chart.map_purpose, LOC, MIA, "comps", sales)
    with pytest.raises(BadInput, match="cannot be removed"):
        await uow_factory(chart.unmap_purpose, LOC, MIA, "sales")
    with pytest.raises(NotFound, match="no menu category number 999"):
        await uow_factory(chart.map_purpose, LOC, MIA, "sales:category:999", sales)
    with pytest.raises(NotFound, match="No tax rate here is 7 %"):
        await uow_factory(chart.map_purpose, LOC, MIA, "tax:rate:70000", sales)
    with pytest.raises(NotFound, match="no account with that number"):
        await uow_factory(chart.map_purpose, LOC, MIA, "sales", 2**62)
    # Discounts are contra-revenue kept as revenue, or as an expense: both fit.
    assert await uow_factory(chart.map_purpose, LOC, MIA, "discounts", comps)
    assert await uow_factory(chart.map_purpose, LOC, MIA, "discounts", discounts)
    assert not await uow_factory(chart.map_purpose, LOC, MIA, "discounts", discounts)


def test_every_generic_purpose_the_gateway_knows_has_its_kinds_on_the_chart() -> None:
    assert set(FITS) == GENERIC_PURPOSES


def test_a_purpose_is_read_the_way_postings_write_it() -> None:
    assert parse_purpose(" tax:rate:088750 ").text == "tax:rate:88750"
    assert parse_purpose("cash:drawer:Bar 2").detail == "Bar 2"
    assert parse_purpose("sales").generic
    for wrong, says in [
        ("salse", "There is no purpose"),
        ("sales:item:3", "write sales:category:"),
        ("tips_payable:x", "write tips_payable"),
        ("sales:category:²", "category's number"),
        ("tax:rate:9" * 30, "too long"),
        ("cash:drawer:" + "x" * 41, "at most 40"),
        ("cash:drawer:\x00", "control character"),
    ]:
        with pytest.raises(BadInput, match=says):
            parse_purpose(wrong)


async def test_unmapped_categories_rates_and_drawers_are_listed_until_one_click_maps_them(
    uow_factory: Any, session: AsyncSession
) -> None:
    assert (await the_chart(session)).unmapped == []  # the demo maps everything it has
    wine = await uow_factory(
        editor.add_category, LOC, MIA, CategoryDraft("Wine", "#7b1f3a", "drinks", 9), None
    )
    await uow_factory(drawers.open_drawer, LOC, "Bar", 10000, MIA)

    books = await the_chart(session)
    assert [(u.purpose, u.what, u.posts_to) for u in books.unmapped] == [
        (f"sales:category:{wine}", "Category Wine", "4000 Sales"),
        ("cash:drawer:Bar", "Drawer Bar", "1000 Cash on hand"),
    ]

    made = await uow_factory(chart.add_account_for, LOC, MIA, f"sales:category:{wine}", "k1")
    again = await uow_factory(chart.add_account_for, LOC, MIA, f"sales:category:{wine}", "k1")
    bar = await uow_factory(chart.add_account_for, LOC, MIA, "cash:drawer:Bar", None)

    books = await the_chart(session)
    assert made == again and books.unmapped == []
    new, till = books.account(made), books.account(bar)
    assert new is not None and till is not None
    assert (new.name, new.kind, new.purposes) == (
        "Sales - Wine",
        "revenue",
        [f"sales:category:{wine}"],
    )
    assert (till.name, till.kind, till.code) == ("Cash - Bar drawer", "asset", "1011")
    assert new.code not in {a.code for a in books.accounts if a.id != made}


async def test_an_archived_category_and_a_closed_drawer_need_no_account(
    uow_factory: Any, session: AsyncSession
) -> None:
    wine = await uow_factory(
        editor.add_category, LOC, MIA, CategoryDraft("Wine", "#7b1f3a", "drinks", 9), None
    )
    await uow_factory(editor.archive_category, LOC, MIA, wine, archived=True)

    assert (await the_chart(session)).unmapped == []
    assert await session.scalar(select(func.count()).where(Category.id == wine)) == 1
    assert (
        await session.scalar(
            select(func.count()).where(AccountPurpose.purpose == f"sales:category:{wine}")
        )
        == 0
    )


async def test_a_drawer_sent_back_to_the_general_cash_account_still_posts_every_sale(
    uow_factory: Any, session: AsyncSession
) -> None:
    main = await account_named(session, "Cash - Main drawer")
    general = await account_named(session, "Cash on hand")
    float_in = (await the_chart(session)).account(main)
    assert float_in is not None

    await uow_factory(chart.unmap_purpose, LOC, MIA, "cash:drawer:Main")
    await uow_factory(chart.change_account, LOC, MIA, general, name="Cash - every drawer")
    await paid_in_cash(uow_factory, session, "Burrata")

    books = await the_chart(session)
    assert books.account(main).balance == float_in.balance  # type: ignore[union-attr]
    assert books.account(general).balance > 0  # type: ignore[union-attr]
    assert [u.purpose for u in books.unmapped] == ["cash:drawer:Main"]
    [unmapped] = await audited(session, "unmap_account_purpose")
    assert unmapped == {"purpose": "cash:drawer:Main", "falls_back_to": "cash"}


async def test_archiving_and_mapping_one_account_at_once_never_leave_a_purpose_on_an_archive(
    uow_factory: Any, session: AsyncSession
) -> None:
    for round_ in range(3):
        extra = await uow_factory(
            chart.add_account, LOC, MIA, draft(f"480{round_ + 1}", "Service - Patio", "revenue"),
            None,
        )  # fmt: skip
        outcomes = await asyncio.gather(
            uow_factory(chart.map_purpose, LOC, MIA, "service_charge", extra),
            uow_factory(chart.archive_account, LOC, MIA, extra, archived=True),
            return_exceptions=True,
        )
        refused = [o for o in outcomes if isinstance(o, BaseException)]
        books = await the_chart(session)
        account = books.account(extra)
        assert account is not None
        assert len(refused) == 1 and isinstance(refused[0], BadInput), outcomes
        assert account.archived != (account.purposes == ["service_charge"])
        # Put service charges back where they were for the next round.
        old = next(a for a in books.accounts if a.code == "4800")
        await uow_factory(chart.map_purpose, LOC, MIA, "service_charge", old.id)


async def test_a_kind_change_waits_for_a_posting_in_flight_and_then_is_refused(
    uow_factory: Any, session: AsyncSession, sessionmaker_: Any
) -> None:
    promos = await uow_factory(
        chart.add_account, LOC, MIA, draft("4910", "Discounts - promos", "revenue"), None
    )
    await uow_factory(chart.map_purpose, LOC, MIA, "discounts", promos)
    async with sessionmaker_() as posting:
        uow = UnitOfWork(posting)
        legs = (Leg("discounts", 100), Leg("cash", -100))
        post(uow, Entry(location_id=LOC, kind="adjustment", source="test:1", legs=legs))
        await uow.run_last_steps()  # the lines are written, not committed
        change = asyncio.create_task(
            uow_factory(chart.change_account, LOC, MIA, promos, kind="expense")
        )
        await asyncio.sleep(0.5)
        assert not change.done()  # it waits for the posting's lock on the account
        await posting.commit()
        with pytest.raises(BadInput, match="has postings as a revenue account"):
            await change
    account = (await the_chart(session)).account(promos)
    assert account is not None and (account.kind, account.balance) == ("revenue", 100)
