"""Drawing inventory's back-office pages: each page's template, fragment and what it reads."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Request, Response

from app.backoffice.forms import run_form
from app.core.errors import NotFound
from app.inventory import views
from app.inventory.editor import MAX_LINES
from app.inventory.stock import on_hand
from app.platform.db import UnitOfWork
from app.platform.web import current, money_exponent, render

#: page -> (template, fragment); every page is the back office's "inventory" section.
PAGES = {
    "stock": ("inventory/stock.html", "inventory/_stock.html"),
    "ingredients": ("inventory/ingredients.html", "inventory/_ingredients.html"),
    "recipes": ("inventory/recipes.html", "inventory/_recipes.html"),
    "recipe": ("inventory/recipe.html", "inventory/_recipe.html"),
    "option": ("inventory/recipe.html", "inventory/_recipe.html"),
    "unreciped": ("inventory/unreciped.html", "inventory/_unreciped.html"),
}
#: Blank rows under a recipe's lines, for the ingredients a chef adds.
BLANK_ROWS = 4


def actor(request: Request[Any, Any, Any]) -> int:
    return int(current(request).staff_id or 0)


def location_id(request: Request[Any, Any, Any]) -> int:
    return int(request.app.state.location.id)


async def _context(uow: UnitOfWork, where: int, page: str, dish_id: int | None) -> dict[str, Any]:
    session = uow.session
    if page == "stock":
        return {"stock": await on_hand(session, where)}
    if page == "ingredients":
        return {
            "shelves": await views.shelves(session, where),
            "areas": await views.storage_areas(session, where),
        }
    if page == "unreciped":
        items = [d for d in await views.dishes(session, where) if not d.lines and not d.archived]
        priced = [o for o in await views.options(session, where) if not o.lines and o.price]
        return {"items": items, "priced": priced, "flags": await views.flags(session, where)}
    dishes = await views.dishes(session, where)
    options = await views.options(session, where)
    if page == "recipes":
        # By category in the menu's own order (Jinja's groupby would sort them by name).
        categories: dict[str, list[views.Dish]] = {}
        for dish in dishes:
            categories.setdefault(dish.group, []).append(dish)
        return {"categories": categories, "options": options}
    found = [d for d in (dishes if page == "recipe" else options) if d.id == dish_id]
    if not found:
        raise NotFound(
            "That item is not on this menu."
            if page == "recipe"
            else "That option is not on this menu."
        )
    live = [s for s in await views.shelves(session, where) if not s.archived]
    rows = len(found[0].lines) + BLANK_ROWS
    return {
        "dish": found[0],
        "is_option": page == "option",
        "shelves": live,
        "rows": min(rows, MAX_LINES),
    }


async def draw(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    page: str,
    *,
    dish_id: int | None = None,
    error: str | None = None,
    typed: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response[Any]:
    template, fragment = PAGES[page]
    context = await _context(uow, location_id(request), page, dish_id)
    context |= {
        "section": "inventory",
        "page": page,
        "error": error,
        "typed": typed or {},
        "exponent": money_exponent(request),
        "plain": views.plain,
        "shown": views.shown,
        "in_kitchen_units": views.in_kitchen_units,
    }
    return render(request, template, context, fragment=fragment, status_code=status_code)


async def answer(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    command: Callable[[], Awaitable[Any]],
    page: str,
    *,
    back_to: str,
    dish_id: int | None = None,
    typed: dict[str, str] | None = None,
) -> Response[Any]:
    """Run a form's command; a refusal draws ``page`` again with its sentence and what was typed."""

    async def redraw(error: str, status_code: int) -> Response[Any]:
        return await draw(
            request, uow, page, dish_id=dish_id, error=error, typed=typed, status_code=status_code
        )

    return await run_form(request, uow, command, redraw, back_to)
