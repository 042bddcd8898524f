"""What the menu editor's routes share: drawing a page, and running a form's command."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Request, Response

from app.backoffice.forms import run_form
from app.core.errors import NotFound
from app.menu.editor_views import menu_book
from app.platform.db import UnitOfWork
from app.platform.web import current, money_exponent, render

#: page name -> (template, fragment, section in the back office's navigation)
PAGES = {
    "menu": ("menu/editor.html", "menu/_editor.html", "menu"),
    "item": ("menu/item.html", "menu/_item.html", "menu"),
    "modifiers": ("menu/modifiers.html", "menu/_modifiers.html", "modifiers"),
    "taxes": ("menu/taxes.html", "menu/_taxes.html", "taxes"),
}


def actor(request: Request[Any, Any, Any]) -> int:
    return int(current(request).staff_id or 0)


def location_id(request: Request[Any, Any, Any]) -> int:
    return int(request.app.state.location.id)


def exponent(request: Request[Any, Any, Any]) -> int:
    return money_exponent(request)


async def draw(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    page: str,
    *,
    item_id: int | None = None,
    error: str | None = None,
    typed: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response[Any]:
    template, fragment, section = PAGES[page]
    book = await menu_book(uow.session, location_id(request))
    context: dict[str, Any] = {
        "section": section,
        "book": book,
        "error": error,
        "typed": typed or {},
        "exponent": exponent(request),
    }
    if page == "item":
        item = book.item(item_id or 0)
        if item is None:
            raise NotFound("That item is not on this menu.")
        context["item"] = item
    return render(request, template, context, fragment=fragment, status_code=status_code)


async def answer(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    command: Callable[[], Awaitable[Any]],
    page: str,
    *,
    back_to: str,
    item_id: int | None = None,
    typed: dict[str, str] | None = None,
) -> Response[Any]:
    """Run a form's command (see ``app.backoffice.forms``); a refusal redraws ``page``."""

    async def redraw(error: str, status_code: int) -> Response[Any]:
        return await draw(
            request, uow, page, item_id=item_id, error=error, typed=typed, status_code=status_code
        )

    return await run_form(request, uow, command, redraw, back_to)
