"""The chart of accounts page (managers and owners, in the back office).

Adding an account, and the one-click "create an account for it", take the form's
idempotency key (a double tap adds one account); renaming, archiving and pointing a purpose
at an account set a state, so sending them twice leaves the same chart.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect

from app.accounting import chart
from app.accounting.chart_rules import ACCOUNT_KINDS, FITS, MEANS, account_kind, account_name
from app.backoffice.forms import run_form, typed_fields
from app.core.errors import NotFound
from app.core.inputs import parse_id
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork
from app.platform.idempotency import KEYED
from app.platform.web import current, render

BACK = "/office/accounts"
Req = Request[Any, Any, Any]
Fields = dict[str, str]


def _where(request: Req) -> tuple[int, int]:
    """(the location, the staff member acting)."""
    return int(request.app.state.location.id), int(current(request).staff_id or 0)


def _account_id(typed: Fields) -> int:
    raw = typed.get("account_id", "")
    if not raw.strip():
        raise NotFound("Pick the account it should post to.")
    return parse_id(raw, "account")


async def _page(
    request: Req, uow: UnitOfWork, error: str | None = None, typed: Fields | None = None,
    status_code: int = 200,
) -> Response[Any]:  # fmt: skip
    context: dict[str, Any] = {
        "section": "accounts",
        "chart": await chart.chart_of(uow.session, request.app.state.location.id),
        "kinds": ACCOUNT_KINDS,
        "fits": FITS,
        "means": MEANS,
        "error": error,
        "typed": typed or {},
    }
    return render(
        request, "accounting/chart.html", context, fragment="accounting/_chart.html",
        status_code=status_code,
    )  # fmt: skip


async def _answer(
    request: Req,
    uow: UnitOfWork,
    command: Callable[[Fields], Awaitable[Any]],
    *,
    echo: bool = False,
) -> Response[Any]:
    """Run ``command`` on the form; a refusal draws the page again with its sentence (and
    what was typed in the add form, when ``echo``)."""
    typed = await typed_fields(request)

    async def redraw(error: str, status_code: int) -> Response[Any]:
        return await _page(request, uow, error, typed if echo else None, status_code)

    return await run_form(request, uow, lambda: command(typed), redraw, BACK)


class ChartOfAccountsController(Controller):
    path = BACK
    opt = {"roles": MANAGERS}

    @get("/")
    async def chart_page(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Response[Any]:
        return await _page(request, uow)

    @post("/", opt=KEYED)
    async def add_account(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Response[Any]:
        async def command(typed: Fields) -> None:
            new = chart.draft(typed.get("code", ""), typed.get("name", ""), typed.get("kind", ""))
            await chart.add_account(uow, *_where(request), new, typed.get("key") or None)

        return await _answer(request, uow, command, echo=True)

    @post("/{account_id:int}")
    async def change_account(
        self, request: Req, account_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        async def command(typed: Fields) -> None:
            # An account with postings shows its kind without a field: none is sent.
            kind = account_kind(typed["kind"]) if typed.get("kind") else None
            name = account_name(typed.get("name", ""))
            await chart.change_account(uow, *_where(request), account_id, name=name, kind=kind)

        return await _answer(request, uow, command)

    @post("/{account_id:int}/archive")
    async def archive_account(
        self, request: Req, account_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        async def command(_: Fields) -> None:
            await chart.archive_account(uow, *_where(request), account_id, archived=True)

        return await _answer(request, uow, command)

    @post("/{account_id:int}/restore")
    async def restore_account(
        self, request: Req, account_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        async def command(_: Fields) -> None:
            await chart.archive_account(uow, *_where(request), account_id, archived=False)

        return await _answer(request, uow, command)

    @post("/purposes")
    async def map_purpose(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Response[Any]:
        async def command(typed: Fields) -> None:
            purpose = typed.get("purpose", "")
            await chart.map_purpose(uow, *_where(request), purpose, _account_id(typed))

        return await _answer(request, uow, command, echo=True)

    @post("/purposes/unmap")
    async def unmap_purpose(self, request: Req, uow: NamedDependency[UnitOfWork]) -> Response[Any]:
        async def command(typed: Fields) -> None:
            await chart.unmap_purpose(uow, *_where(request), typed.get("purpose", ""))

        return await _answer(request, uow, command)

    @post("/for-purpose", opt=KEYED)
    async def add_account_for(
        self, request: Req, uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        async def command(typed: Fields) -> None:
            purpose, key = typed.get("purpose", ""), typed.get("key") or None
            await chart.add_account_for(uow, *_where(request), purpose, key)

        return await _answer(request, uow, command)


@get("/backoffice/accounts", opt={"roles": MANAGERS})
async def chart_page_elsewhere() -> Redirect:
    """The address the issue gave the page; every back-office page lives under /office."""
    return Redirect(BACK, status_code=301)


#: What app.main mounts.
CHART_ROUTES = (ChartOfAccountsController, chart_page_elsewhere)
