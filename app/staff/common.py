"""Pieces the sign-in screens and the manager's Staff screen share."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.response import Redirect
from sqlalchemy import select

from app.platform.db import UnitOfWork
from app.platform.models import Staff
from app.platform.web import is_htmx


async def staff_tiles(uow: UnitOfWork, location_id: int) -> list[Staff]:
    rows = await uow.session.scalars(
        select(Staff).where(Staff.location_id == location_id, Staff.active).order_by(Staff.name)
    )
    return list(rows.all())


def go(request: Request[Any, Any, Any], url: str) -> Response[Any]:
    """After a form: htmx follows HX-Redirect, a plain browser follows 303."""
    if is_htmx(request):
        return Response(None, status_code=204, headers={"HX-Redirect": url})
    return Redirect(url, status_code=303)
