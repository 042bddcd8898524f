"""The menu as a CSV file: one item a row, written for a spreadsheet and read back.

Import matches items by category and name: a row changes the item it names, or adds it (and
its category) when there is none. Rows are read through the editor's own drafts and
commands, so the rules, the audit and the announcements are the editor's. Every row is
checked before anything is written, and the whole file is one transaction: one bad row and
the menu is as it was, with every bad row named.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from app.core.errors import BadInput
from app.core.money import to_decimal
from app.menu import editor, modifiers
from app.menu.drafts import category_draft, item_draft
from app.menu.editor_views import EditedCategory, EditedGroup, EditedItem, MenuBook, menu_book
from app.menu.taxes import RateView
from app.platform.db import UnitOfWork

COLUMNS = (
    "category",
    "category_colour",
    "category_course",
    "item",
    "price",
    "tax_rate",
    "course",
    "kitchen_name",
    "description",
    "sort",
    "modifiers",
    "archived",
)
#: A menu bigger than this is a wrong file, not a menu.
MAX_ROWS = 2000
MAX_BYTES = 1_000_000
#: A spreadsheet runs a cell starting with one of these as a formula: a name typed by staff
#: must never run on the owner's laptop, so it goes out quoted.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_YES = ("yes", "y", "true", "1", "x")


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA) else text


def _uncell(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:2] in _FORMULA else text


def menu_csv(book: MenuBook, exponent: int) -> str:
    rates = {r.id: r.name for r in book.rates}
    groups = {g.id: g.name for g in book.groups}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for c in book.categories:
        for i in c.items:
            writer.writerow(
                [
                    _cell(c.name), c.color, c.course, _cell(i.name),
                    str(to_decimal(i.price, exponent)), _cell(rates.get(i.tax_rate_id, "")),
                    i.course or "", _cell(i.kitchen_name), _cell(i.description), i.sort,
                    _cell("; ".join(groups[g] for g in i.group_ids)),
                    "yes" if i.archived or c.archived else "",
                ]
            )  # fmt: skip
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class MenuRow:
    line: int
    fields: dict[str, str]


def read_rows(data: bytes) -> list[MenuRow]:
    """The file's rows, or a refusal saying what is wrong with the file as a whole."""
    if len(data) > MAX_BYTES:
        raise BadInput("That file is too big for a menu (1 MB at most).")
    try:
        text = data.decode("utf-8-sig")  # a spreadsheet's "CSV UTF-8" starts with a BOM
    except UnicodeDecodeError:
        raise BadInput("Save the file as CSV UTF-8 and import it again.") from None
    if "\x00" in text:
        raise BadInput("That file is not a CSV menu (it holds NUL bytes).")
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [name.strip().lower() for name in reader.fieldnames or []]
        missing = {"category", "item", "price", "tax_rate"} - set(header)
        if missing:
            raise BadInput(
                "The file needs the columns category, item, price and tax_rate "
                f"(missing: {', '.join(sorted(missing))}). Download the menu for an example."
            )
        reader.fieldnames = header
        rows: list[MenuRow] = []
        for row in reader:
            if len(rows) >= MAX_ROWS:
                raise BadInput(f"A menu has at most {MAX_ROWS} rows.")
            cells = {k: _uncell((v or "").strip()) for k, v in row.items() if k in COLUMNS}
            if any(cells.values()):
                rows.append(MenuRow(reader.line_num, cells))
    except csv.Error as broken:
        raise BadInput(f"That file is not a CSV this can read ({broken}).") from None
    if not rows:
        raise BadInput("The file has no items in it.")
    return rows


def _by_name(things: Iterable[Any]) -> dict[str, Any]:
    """Name (in any case) -> thing; a current one wins over an archived one of that name."""
    ordered = sorted(things, key=lambda thing: not thing.archived)
    return {thing.name.casefold(): thing for thing in ordered}


async def import_menu(
    uow: UnitOfWork, location_id: int, actor_id: int, rows: Iterable[MenuRow], exponent: int
) -> int:
    """Apply every row, or none; returns how many items were added or changed."""
    # One import at a time per restaurant: a second (a double click) waits, then reads the
    # menu the first one made, so it adds nothing twice.
    await uow.session.execute(
        text("SELECT pg_advisory_xact_lock(hashtext('brigade:menu-import'), :location)"),
        {"location": location_id},
    )
    book = await menu_book(uow.session, location_id)
    menu = Menu(_by_name(book.categories), _by_name(book.rates), _by_name(book.groups))
    wrong: list[str] = []
    touched = 0
    for row in rows:
        try:
            touched += await _apply(uow, location_id, actor_id, row, exponent, menu)
        except BadInput as refusal:
            wrong.append(f"Row {row.line}: {refusal.message}")
    if wrong:
        more = f" (and {len(wrong) - 5} more)" if len(wrong) > 5 else ""
        raise BadInput("Nothing was imported. " + " ".join(wrong[:5]) + more)
    return touched


@dataclass(frozen=True, slots=True)
class Menu:
    """The menu as the import reads names against it (and adds to as it goes)."""

    categories: dict[str, EditedCategory]
    rates: dict[str, RateView]
    groups: dict[str, EditedGroup]


def _as_typed(item: EditedItem, exponent: int) -> dict[str, str]:
    """An item's fields as a form would send them: what a column left out of the file keeps."""
    return {
        "price": str(to_decimal(item.price, exponent)),
        "course": item.course or "",
        "kitchen_name": item.kitchen_name,
        "description": item.description,
        "sort": str(item.sort),
    }


async def _category(
    uow: UnitOfWork, location_id: int, actor_id: int, f: dict[str, str], menu: Menu
) -> EditedCategory:
    name = f.get("category", "")
    category = menu.categories.get(name.casefold())
    if category is not None:
        return category
    draft = category_draft(
        {"name": name, "color": f.get("category_colour") or "#5b6b7b",
         "course": f.get("category_course") or "mains", "sort": str(len(menu.categories))}
    )  # fmt: skip
    made = await editor.add_category(uow, location_id, actor_id, draft, None)
    category = EditedCategory(made, draft.name, draft.color, draft.course, draft.sort, False)
    menu.categories[name.casefold()] = category
    return category


async def _apply(
    uow: UnitOfWork, location_id: int, actor_id: int, row: MenuRow, exponent: int, menu: Menu
) -> int:
    """One row: only the columns the file has change the item (a file of prices alone
    leaves kitchen names, modifiers and archiving as they are)."""
    f = row.fields
    archived = f["archived"].casefold() in _YES if "archived" in f else None
    category = await _category(uow, location_id, actor_id, f, menu)
    rate = menu.rates.get(f.get("tax_rate", "").casefold())
    if rate is None:
        raise BadInput(f"there is no tax rate called {f.get('tax_rate', '')[:40]!r}.")
    if rate.archived and not archived:
        raise BadInput(f"the tax rate {rate.name} is archived; name a current one.")
    name = f.get("item", "")
    existing = next((i for i in category.items if i.name.casefold() == name.casefold()), None)
    typed = {
        **(_as_typed(existing, exponent) if existing else {}),
        **{k: v for k, v in f.items() if k in ("price", "course", "kitchen_name", "description",
                                               "sort")},
        "name": name,
        "category_id": str(category.id),
        "tax_rate_id": str(rate.id),
    }  # fmt: skip
    draft = item_draft(typed, exponent)
    # A row that archives the item may name what is archived itself (the download does).
    keep = bool(archived)
    if existing is None:
        item_id = await editor.add_item(uow, location_id, actor_id, draft, None, archived_ok=keep)
        # A second row naming it again (a duplicate in the file) changes it, not adds another.
        existing = EditedItem(item_id, category.id, draft.name, draft.price, rate.id, None, "",
                              "", 0, False)  # fmt: skip
        category.items.append(existing)
    else:
        await editor.change_item(uow, location_id, actor_id, existing.id, draft, archived_ok=keep)
    if "modifiers" in f:
        await modifiers.ask_on_item(
            uow, location_id, actor_id, existing.id, _group_ids(f["modifiers"], menu)
        )
    if archived is not None:
        await editor.archive_item(uow, location_id, actor_id, existing.id, archived=archived)
    return 1


def _group_ids(cell: str, menu: Menu) -> list[int]:
    wanted = []
    for name in filter(None, (g.strip() for g in cell.split(";"))):
        group = menu.groups.get(name.casefold())
        if group is None:
            raise BadInput(f"there is no modifier group called {name[:40]!r}.")
        wanted.append(group.id)
    return wanted
