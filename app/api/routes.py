"""JSON mirrors of the floor, order and payment commands. Bearer-token auth only: get a
token from ``POST /api/v1/sessions`` (which needs an ``X-API-Key``, see docs/sign-in.md).

Send ``Idempotency-Key`` on every POST: a retry after a timeout gets the first answer.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, HeaderParameter, JSONBody

from app.billing import service as billing
from app.core.errors import BadInput
from app.floor import service as floor
from app.orders import firing
from app.orders import service as orders
from app.orders.views import check_view
from app.platform import api_keys
from app.platform.auth import FLOOR
from app.platform.db import UnitOfWork
from app.platform.web import client_ip, current

API = {"api": True}
#: Send one per command; a retry with the same key gets the first answer.
IdempotencyKey = Annotated[str | None, HeaderParameter(name="Idempotency-Key", required=False)]
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


@dataclass
class OpenCheckIn:
    table_id: int
    guests: int


@dataclass
class LineIn:
    item_id: int
    quantity: int = 1
    options: list[int] = field(default_factory=list)
    note: str = ""
    seat: int | None = None


@dataclass
class CashIn:
    tendered: int
    version: int


def _staff_id(request: Request[Any, Any, Any]) -> int:
    staff_id = current(request).staff_id
    if staff_id is None:
        raise BadInput("This command needs a staff member's session, not a device's.")
    return staff_id


class ApiController(Controller):
    path = "/api/v1"
    opt = {**API, "roles": FLOOR}
    tags = ["floor and orders"]

    @post(
        "/sessions",
        opt={**API, "public": True},
        status_code=201,
        summary="Sign a staff member in with their PIN; answers a bearer token",
        description=api_keys.SIGN_IN_HELP,
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

    @get("/floor")
    async def floor_plan(
        self, request: Request[Any, Any, Any], uow: NamedDependency[UnitOfWork]
    ) -> list[dict[str, Any]]:
        location = request.app.state.location
        floors = await floor.floor_plan(uow.session, location.id)
        return [asdict(f) for f in floors]

    @post("/checks", status_code=201)
    async def open_check(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[OpenCheckIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> dict[str, int]:
        check_id = await orders.open_table(
            uow,
            data.table_id,
            data.guests,
            _staff_id(request),
            request.app.state.location.id,
            key=idempotency_key,
        )
        return {"check_id": check_id}

    @get("/checks/{check_id:int}")
    async def get_check(
        self,
        request: Request[Any, Any, Any],
        check_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
    ) -> dict[str, Any]:
        check = await check_view(uow.session, check_id)
        return {**asdict(check), "balance": check.balance}

    @post("/checks/{check_id:int}/lines", status_code=201)
    async def add_line(
        self,
        request: Request[Any, Any, Any],
        check_id: FromPath[int],
        data: JSONBody[LineIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> dict[str, int]:
        new = orders.NewLine(data.item_id, data.quantity, data.options, data.note, data.seat)
        line_id = await orders.add_line(uow, check_id, new, _staff_id(request), key=idempotency_key)
        return {"line_id": line_id}

    @post("/checks/{check_id:int}/send")
    async def send(
        self,
        request: Request[Any, Any, Any],
        check_id: FromPath[int],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> dict[str, int]:
        sent = await firing.send_order(
            uow, check_id, _staff_id(request), request.app.state.kitchen, key=idempotency_key
        )
        return {"sent": sent}

    @post("/checks/{check_id:int}/payments/cash", status_code=201)
    async def pay_cash(
        self,
        request: Request[Any, Any, Any],
        check_id: FromPath[int],
        data: JSONBody[CashIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> dict[str, Any]:
        result = await billing.pay_cash(
            uow,
            check_id,
            data.tendered,
            data.version,
            _staff_id(request),
            key=idempotency_key,
            receipts=request.app.state.receipts,
        )
        return asdict(result)
