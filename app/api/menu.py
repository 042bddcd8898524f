"""What an integration needs to order: the menu with prices and modifier ids, and the staff.

The staff list gives names, roles and ids (a manager's id approves voids, comps and big
discounts); it never carries a PIN or its hash.
"""

from __future__ import annotations

from dataclasses import dataclass

from litestar import Controller, get
from litestar.di import NamedDependency

from app.api.common import API, LISTING, Req, errors
from app.menu.service import CategoryView, menu_for_ordering
from app.platform.auth import FLOOR, MANAGERS
from app.platform.db import UnitOfWork
from app.staff.common import staff_tiles


@dataclass
class StaffOut:
    id: int
    name: str
    #: server, bartender, host, kitchen, manager or owner
    role: str
    #: A manager or owner: may approve voids, comps, discounts over the threshold.
    approves: bool


class MenuReadController(Controller):
    path = "/api/v1"
    opt = {**API, "roles": FLOOR}
    tags = ["menu and staff"]

    @get(
        "/menu",
        summary="The menu: categories, items with prices, modifier groups and options",
        description="Prices in minor units. An item's groups list their option ids (send "
        "them as a line's options) and how many to choose; available is false while 86'd.",
        responses=errors(*LISTING),
    )
    async def menu(self, request: Req, uow: NamedDependency[UnitOfWork]) -> list[CategoryView]:
        return await menu_for_ordering(uow.session, request.app.state.location.id)

    @get(
        "/staff",
        summary="Who works here: names, roles and ids (never PINs)",
        responses=errors(*LISTING),
    )
    async def staff(self, request: Req, uow: NamedDependency[UnitOfWork]) -> list[StaffOut]:
        people = await staff_tiles(uow, request.app.state.location.id)
        return [StaffOut(p.id, p.name, p.role, p.role in MANAGERS) for p in people]
