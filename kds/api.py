"""Kitchen JSON API: a screen or agent that reconnects asks for every ticket after its last."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery

from app.platform.auth import KITCHEN
from app.platform.db import UnitOfWork
from kds import service


class KitchenApiController(Controller):
    path = "/api/v1/kds"
    opt = {"api": True, "roles": KITCHEN}
    tags = ["kitchen"]

    @get("/{station_id:int}/tickets")
    async def tickets_after(
        self, station_id: FromPath[int], uow: NamedDependency[UnitOfWork], after: FromQuery[int] = 0
    ) -> list[dict[str, Any]]:
        return [asdict(t) for t in await service.tickets_after(uow.session, station_id, after)]
