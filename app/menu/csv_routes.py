"""The menu as a CSV download, and importing one (the menu editor's last section)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency

from app.core.errors import BadInput
from app.menu.editor_pages import actor, answer, exponent, location_id
from app.menu.editor_views import menu_book
from app.menu.menu_csv import MAX_BYTES, import_menu, menu_csv, read_rows
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork


class MenuCsvController(Controller):
    path = "/office/menu"
    opt = {"roles": MANAGERS}

    @get("/menu.csv")
    async def download_menu(
        self, request: Request[Any, Any, Any], uow: NamedDependency[UnitOfWork]
    ) -> Response[str]:
        book = await menu_book(uow.session, location_id(request))
        return Response(
            menu_csv(book, exponent(request)),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="menu.csv"'},
        )

    @post("/import")
    async def import_file(
        self, request: Request[Any, Any, Any], uow: NamedDependency[UnitOfWork]
    ) -> Response[Any]:
        """Upserts by category and item name, so importing the same file twice leaves the
        same menu (no idempotency key is needed)."""
        form = await request.form()
        upload = form.get("file")

        async def command() -> None:
            if not isinstance(upload, UploadFile):
                raise BadInput("Choose the CSV file to import.")
            data = await upload.read(MAX_BYTES + 1)
            rows = read_rows(data)
            await import_menu(uow, location_id(request), actor(request), rows, exponent(request))

        return await answer(request, uow, command, "menu", back_to="/office/menu")
