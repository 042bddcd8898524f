"""The back office's home and the location's settings page (managers and owners)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Template
from sqlalchemy import select

from app.backoffice.settings import (
    PPM_PER_PERCENT,
    change_settings,
    read_settings,
    settings_of,
    tip_percents,
)
from app.core.errors import BrigadeError
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork
from app.platform.inputs import raw
from app.platform.location import load_location
from app.platform.models import Location
from app.platform.web import current, render

FIELDS = (
    "name",
    "prices_include_tax",
    "tax_rounding",
    "auto_gratuity_party_size",
    "auto_gratuity_percent",
    "discount_approval_percent",
    "tip_suggestions",
    "day_starts_hour",
    "training_mode",
)


def shown(location: Location) -> dict[str, Any]:
    """The settings as the form writes them (percentages, not ppm)."""
    now = settings_of(location)
    return {
        "name": now.name,
        "prices_include_tax": now.prices_include_tax,
        "tax_rounding": now.tax_rounding,
        "auto_gratuity_party_size": now.auto_gratuity_party_size or "",
        "auto_gratuity_percent": now.auto_gratuity_ppm // PPM_PER_PERCENT,
        "discount_approval_percent": now.discount_approval_ppm // PPM_PER_PERCENT,
        "tip_suggestions": tip_percents(now.tip_suggestions),
        "day_starts_hour": now.day_starts_hour,
        "training_mode": now.training_mode,
    }


class BackOfficeController(Controller):
    path = "/office"
    opt = {"roles": MANAGERS}

    @get("/")
    async def office_home(self, request: Request[Any, Any, Any]) -> Template:
        return render(request, "backoffice/home.html", {"section": "home"})

    @get("/settings")
    async def settings_page(
        self, request: Request[Any, Any, Any], uow: NamedDependency[UnitOfWork]
    ) -> Template:
        location = await _location(uow, request)
        context: dict[str, Any] = {"section": "settings", "form": shown(location)}
        return render(
            request, "backoffice/settings.html", context, fragment="backoffice/_settings.html"
        )

    @post("/settings")
    async def save_settings(
        self, request: Request[Any, Any, Any], uow: NamedDependency[UnitOfWork]
    ) -> Template:
        form = await request.form()
        typed = {name: raw(form, name) for name in FIELDS}
        try:
            wanted = read_settings(typed)
            changed = await change_settings(
                uow, request.app.state.location.id, wanted, current(request).staff_id
            )
        except BrigadeError as refusal:
            await uow.rollback()
            # The form comes back as typed, with the sentence on top.
            echo: dict[str, Any] = {
                **typed,
                "prices_include_tax": typed["prices_include_tax"] == "1",
                "training_mode": typed["training_mode"] == "1",
            }
            refused = {"section": "settings", "form": echo, "error": refusal.message}
            return render(
                request,
                "backoffice/settings.html",
                refused,
                fragment="backoffice/_settings.html",
                status_code=refusal.status,
            )
        await uow.commit()
        # This very answer shows the change (its request loaded the location before the save);
        # every later request, on any server process, follows the row's stamp by itself.
        await load_location(request.app)
        location = await _location(uow, request)
        context: dict[str, Any] = {"section": "settings", "form": shown(location), "saved": changed}
        return render(
            request, "backoffice/settings.html", context, fragment="backoffice/_settings.html"
        )


async def _location(uow: UnitOfWork, request: Request[Any, Any, Any]) -> Location:
    found = await uow.session.scalar(
        select(Location).where(Location.id == request.app.state.location.id)
    )
    assert found is not None, "the back office is reached only once a restaurant exists"
    return found
