"""The split screen: the check and its parts side by side; split, share, put back, pay each."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.billing import splits
from app.billing.split_views import split_family
from app.core.errors import BadInput
from app.orders.forms import idem_key, ids, int_field, staff_id
from app.platform.auth import FLOOR
from app.platform.db import UnitOfWork
from app.platform.idempotency import KEYED
from app.platform.web import is_htmx, render

Req = Request[Any, Any, Any]


def _version(form: FormMultiDict, check_id: int) -> int:
    """The version of ``check_id`` the tablet was showing (every form carries them all)."""
    version = int_field(form, f"v{check_id}", "Version")
    if version is None:
        raise BadInput("This split screen is out of date; reload it.")
    return version


async def _screen(request: Req, uow: UnitOfWork, check_id: int, message: str = "") -> Response[Any]:
    """The family as it is now (a plain form post goes back to the page: no re-post)."""
    if not is_htmx(request):
        return Redirect(f"/checks/{check_id}/split", status_code=303)
    family = await split_family(uow.session, check_id)
    return Template("billing/_split.html", context={"family": family, "message": message})


class SplitController(Controller):
    path = "/checks/{check_id:int}/split"
    opt = {"roles": FLOOR}

    @get("/")
    async def split_screen(
        self, request: Req, check_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Template:
        family = await split_family(uow.session, check_id)
        return render(
            request,
            "billing/split.html",
            {"family": family, "message": ""},
            fragment="billing/_split.html",
        )

    @post("/seat", opt=KEYED)
    async def by_seat(
        self, request: Req, check_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        form = await request.form()
        parts = await splits.split_by_seat(
            uow,
            check_id,
            _version(form, check_id),
            staff_id(request),
            key=idem_key(form),
        )
        return await _screen(request, uow, check_id, f"Split by seat into {len(parts)} checks.")

    @post("/even", opt=KEYED)
    async def evenly(
        self, request: Req, check_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        form = await request.form()
        count = int_field(form, "parts", "Parts") or 0
        await splits.split_evenly(
            uow,
            check_id,
            count,
            _version(form, check_id),
            staff_id(request),
            key=idem_key(form),
        )
        return await _screen(request, uow, check_id, f"Split evenly {count} ways.")

    @post("/items", opt=KEYED)
    async def by_items(
        self, request: Req, check_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        form = await request.form()
        target = int_field(form, "to", "Check")
        await splits.split_by_items(
            uow,
            check_id,
            ids(form, "line"),
            _version(form, check_id),
            staff_id(request),
            key=idem_key(form),
            to_check=target,
        )
        return await _screen(
            request,
            uow,
            check_id,
            "Moved to the other check." if target else "Moved onto a new check.",
        )

    @post("/share", opt=KEYED)
    async def share(
        self, request: Req, check_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        form = await request.form()
        line = int_field(form, "line", "Item")
        if line is None:
            raise BadInput("Pick the item to share.")
        home = int_field(form, f"home{line}", "Check") or check_id
        holders = await splits.share_line(
            uow, line, ids(form, "with"), _version(form, home), staff_id(request), idem_key(form)
        )
        return await _screen(request, uow, check_id, f"Shared {len(holders)} ways.")

    @post("/merge", opt=KEYED)
    async def merge(
        self, request: Req, check_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        """Put one part back onto another (the original unless the form says otherwise)."""
        form = await request.form()
        into = int_field(form, "into", "Check") or check_id
        await splits.merge_parts(
            uow, into, ids(form, "part"), _version(form, into), staff_id(request), idem_key(form)
        )
        return await _screen(request, uow, check_id, "Put back together.")

    @post("/undo", opt=KEYED)
    async def undo(
        self, request: Req, check_id: FromPath[int], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        form = await request.form()
        root = int_field(form, "root", "Check") or check_id
        await splits.undo_split(uow, root, _version(form, root), staff_id(request), idem_key(form))
        return await _screen(request, uow, check_id, "Split undone: one check again.")
