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
from litestar.datastructures import FormMultiDict

from app.core.errors import BrigadeError
from app.platform.db import UnitOfWork
from app.platform.inputs import raw_value
from app.staff.common import go


def fields(form: FormMultiDict) -> dict[str, str]:
    """A form's single values as typed (an upload where text was expected is nothing): what
    the drafts read, and what a refused add form shows again."""
    return {name: raw_value(form.get(name, "")) for name in form}


async def typed_fields(request: Request[Any, Any, Any]) -> dict[str, str]:
    return fields(await request.form())


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
