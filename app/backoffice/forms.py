"""What every back-office form does with its answer.

A form that is refused draws its page again with the sentence on top (and what was typed,
where the page echoes it) under the refusal's status; htmx swaps 4xx answers too (see
base.html). One that succeeds goes back to its page (303, or HX-Redirect for htmx), so a
reload never sends it twice; the request's unit of work commits on the way out.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Request, Response

from app.core.errors import BrigadeError
from app.platform.db import UnitOfWork
from app.staff.common import go

#: Draws the page again: (the refusal's sentence, its status) -> the page.
Redraw = Callable[[str, int], Awaitable[Response[Any]]]


async def run_form(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    command: Callable[[], Awaitable[Any]],
    redraw: Redraw,
    back_to: str,
) -> Response[Any]:
    try:
        await command()
    except BrigadeError as refusal:
        await uow.rollback()
        return await redraw(refusal.message, refusal.status)
    return go(request, back_to)
