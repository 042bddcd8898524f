"""Signing in over the API: every other ``/api/v1`` call sends the bearer token it answers.

The token comes from ``POST /api/v1/sessions`` (which needs an ``X-API-Key``, see
docs/sign-in.md). The operations themselves are in the other modules of ``app.api``
(checks, kitchen_flow, payments, splits, corrections, discounts, menu); docs/api.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, Request, post
from litestar.di import NamedDependency
from litestar.params import HeaderParameter, JSONBody

from app.api.common import API, errors
from app.platform import api_keys
from app.platform.auth import FLOOR
from app.platform.db import UnitOfWork
from app.platform.web import client_ip

#: Only for signing in: who may ask (a manager's API key or an enrolled device's token).
ApiKeyHeader = Annotated[
    str | None,
    HeaderParameter(name="X-API-Key", required=False, description=api_keys.KEY_HELP),
]


@dataclass
class SessionIn:
    staff_id: int
    pin: str
    #: A label for the till; the throttle counts by the API key, never by this.
    device: str = "api"


class ApiController(Controller):
    path = "/api/v1"
    opt = {**API, "roles": FLOOR}
    tags = ["sign-in"]

    @post(
        "/sessions",
        opt={**API, "public": True},
        status_code=201,
        summary="Sign a staff member in with their PIN; answers a bearer token",
        description=api_keys.SIGN_IN_HELP,
        responses=errors(400, 401, 403, 404, 422, 429),
    )
    async def create_session(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[SessionIn],
        uow: NamedDependency[UnitOfWork],
        api_key: ApiKeyHeader = None,
    ) -> dict[str, str]:
        token = await api_keys.sign_in_over_api(
            uow, api_key, data.staff_id, data.pin, client_ip(request), request.app.state.settings
        )
        return {"token": token}
