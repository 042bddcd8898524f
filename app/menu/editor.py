"""The menu editor's commands: categories and items, added, changed, archived, restored.

Nothing a check may have sold is ever deleted: archiving takes it off the order screen and
the kitchen's board, and the checks, tickets and reports that name it still do. A price or
tax change applies to lines added from now on; lines already on a check keep the price they
were rung up at (the check line holds its own price and rate).

Every command is audited with who and what changed, and announces the item on the "menu"
channel so open order screens redraw its button.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadInput, NotFound
from app.menu.availability import announce_item
from app.menu.models import Category, Course, MenuItem, TaxRate
from app.platform import audit, idempotency
from app.platform.db import UnitOfWork


@dataclass(frozen=True, slots=True)
class CategoryDraft:
    name: str
    color: str
    course: str
    sort: int


@dataclass(frozen=True, slots=True)
class ItemDraft:
    category_id: int
    name: str
    price: int
    tax_rate_id: int
    #: None: the category's course.
    course: str | None
    kitchen_name: str
    description: str
    sort: int


async def check_course(session: AsyncSession, location_id: int, course: str) -> None:
    known = await session.scalar(
        select(Course.id).where(Course.location_id == location_id, Course.name == course)
    )
    if known is None:
        raise BadInput(f"There is no course called {course[:30]!r}; pick one from the list.")


async def category_of(session: AsyncSession, location_id: int, category_id: int) -> Category:
    found = await session.scalar(
        select(Category)
        .where(Category.id == category_id, Category.location_id == location_id)
        .with_for_update()
    )
    if found is None:
        raise NotFound("That category is not on this menu.")
    return found


async def item_of(session: AsyncSession, location_id: int, item_id: int) -> MenuItem:
    found = await session.scalar(
        select(MenuItem)
        .join(Category, Category.id == MenuItem.category_id)
        .where(MenuItem.id == item_id, Category.location_id == location_id)
        .with_for_update(of=MenuItem)
    )
    if found is None:
        raise NotFound("That item is not on this menu.")
    return found


async def _check_item(
    session: AsyncSession, location_id: int, draft: ItemDraft, archived_ok: bool = False
) -> None:
    """``archived_ok``: the item is being archived too (a CSV row that says so), so an archived
    category or rate may stand."""
    category = await category_of(session, location_id, draft.category_id)
    if category.archived_at is not None and not archived_ok:
        raise BadInput(f"{category.name} is archived: restore it or pick another category.")
    rate = await session.scalar(
        select(TaxRate).where(TaxRate.id == draft.tax_rate_id, TaxRate.location_id == location_id)
    )
    if rate is None:
        raise BadInput("Pick a tax rate from the list.")
    if rate.archived_at is not None and not archived_ok:
        raise BadInput(f"The tax rate {rate.name} is archived; pick a current one.")
    if draft.course is not None:
        await check_course(session, location_id, draft.course)


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    return {name: [before[name], after[name]] for name in after if before[name] != after[name]}


async def add_category(
    uow: UnitOfWork, location_id: int, actor_id: int, draft: CategoryDraft, key: str | None
) -> int:
    claim = await idempotency.claim(uow.session, key, "add_category", asdict(draft))
    if claim.replay is not None:
        return int(claim.replay["category_id"])
    await check_course(uow.session, location_id, draft.course)
    category = Category(location_id=location_id, **asdict(draft))
    uow.session.add(category)
    await uow.session.flush()
    await audit.record(
        uow.session, "add_category", f"menu_category:{category.id}", actor_id=actor_id,
        **asdict(draft),
    )  # fmt: skip
    await idempotency.remember(uow.session, claim, {"category_id": category.id})
    return category.id


async def change_category(
    uow: UnitOfWork, location_id: int, actor_id: int, category_id: int, draft: CategoryDraft
) -> dict[str, Any]:
    """Setting a category to what the form shows: sending it twice changes nothing more."""
    category = await category_of(uow.session, location_id, category_id)
    await check_course(uow.session, location_id, draft.course)
    before = {name: getattr(category, name) for name in asdict(draft)}
    changed = _changes(before, asdict(draft))
    for name, value in asdict(draft).items():
        setattr(category, name, value)
    if changed:
        await audit.record(
            uow.session, "change_category", f"menu_category:{category_id}",
            actor_id=actor_id, changed=changed,
        )  # fmt: skip
        await _announce_items(uow, category_id)
    return changed


async def archive_category(
    uow: UnitOfWork, location_id: int, actor_id: int, category_id: int, *, archived: bool
) -> None:
    """Take a whole category off the order screen (or put it back); its items keep their own
    archive marks, so restoring the category brings back only what was on before."""
    category = await category_of(uow.session, location_id, category_id)
    if (category.archived_at is not None) == archived:
        return
    category.archived_at = datetime.now(UTC) if archived else None
    action = "archive_category" if archived else "restore_category"
    await audit.record(
        uow.session, action, f"menu_category:{category_id}", actor_id=actor_id,
        category=category.name,
    )  # fmt: skip
    await _announce_items(uow, category_id)


async def _announce_items(uow: UnitOfWork, category_id: int) -> None:
    for item_id in await uow.session.scalars(
        select(MenuItem.id).where(MenuItem.category_id == category_id)
    ):
        announce_item(uow, item_id)


async def add_item(
    uow: UnitOfWork,
    location_id: int,
    actor_id: int,
    draft: ItemDraft,
    key: str | None,
    *,
    archived_ok: bool = False,
) -> int:
    claim = await idempotency.claim(uow.session, key, "add_item", asdict(draft))
    if claim.replay is not None:
        return int(claim.replay["item_id"])
    await _check_item(uow.session, location_id, draft, archived_ok)
    item = MenuItem(**asdict(draft))
    uow.session.add(item)
    await uow.session.flush()
    await audit.record(
        uow.session, "add_item", f"menu_item:{item.id}", actor_id=actor_id, **asdict(draft)
    )
    await idempotency.remember(uow.session, claim, {"item_id": item.id})
    announce_item(uow, item.id)
    return item.id


async def change_item(
    uow: UnitOfWork,
    location_id: int,
    actor_id: int,
    item_id: int,
    draft: ItemDraft,
    *,
    archived_ok: bool = False,
) -> dict[str, Any]:
    """Set an item to what the form shows. Lines already rung up keep their price."""
    item = await item_of(uow.session, location_id, item_id)
    await _check_item(uow.session, location_id, draft, archived_ok)
    before = {name: getattr(item, name) for name in asdict(draft)}
    changed = _changes(before, asdict(draft))
    for name, value in asdict(draft).items():
        setattr(item, name, value)
    if changed:
        await audit.record(
            uow.session, "change_item", f"menu_item:{item_id}", actor_id=actor_id,
            item=draft.name, changed=changed,
        )  # fmt: skip
        announce_item(uow, item_id)
    return changed


async def archive_item(
    uow: UnitOfWork, location_id: int, actor_id: int, item_id: int, *, archived: bool
) -> None:
    """Off the menu for new orders (or back on). An open check that has it keeps its line,
    the kitchen still makes what was fired, and the bill charges what was rung up."""
    item = await item_of(uow.session, location_id, item_id)
    if (item.archived_at is not None) == archived:
        return
    if not archived:
        category = await category_of(uow.session, location_id, item.category_id)
        if category.archived_at is not None:
            raise BadInput(f"{category.name} is archived: restore the category first.")
        rate = await uow.session.get(TaxRate, item.tax_rate_id)
        if rate is not None and rate.archived_at is not None:
            raise BadInput(f"Its tax rate {rate.name} is archived: give it a current one first.")
    item.archived_at = datetime.now(UTC) if archived else None
    action = "archive_item" if archived else "restore_item"
    await audit.record(
        uow.session, action, f"menu_item:{item_id}", actor_id=actor_id, item=item.name
    )
    announce_item(uow, item_id)
