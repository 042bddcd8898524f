"""Devices over JSON: a group scripts its screens and agents as the Devices screen does.

Managers list devices, pair a waiting one by the code it shows, rename and revoke. The two
``/device-pairings`` operations are the waiting device's side (no one is signed in on it
yet, so they are public): ask for a code, then ask whether a manager has typed it. The
print agent's ``--pair`` uses them; a kitchen screen does the same through /pair.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Literal

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody, Parameter
from msgspec import Meta

from app.api.common import API, LISTING, ErrorBody, Id, IdempotencyKey, Req, errors, staff_of
from app.core.errors import NotFound
from app.devices import codes, pairing, service, views
from app.devices.routes import places_of
from app.devices.screen_routes import location_id_for_pairing
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork
from app.platform.web import client_ip

#: What a person typed: long enough for any code with dashes and spaces, no longer.
Typed = Annotated[str, Meta(max_length=200), Parameter(max_length=200)]
Token = Annotated[str, Meta(max_length=200), Parameter(max_length=200)]


def _with(codes_: dict[int, str]) -> dict[int, ResponseSpec]:
    """Codes the shared table does not describe (410, and 429 for codes, not PINs)."""
    return {
        code: ResponseSpec(data_container=ErrorBody, description=why, generate_examples=False)
        for code, why in codes_.items()
    }


EXPIRED = {410: "The pairing code expired (a code lasts 10 minutes): the device asks again."}
CROWDED = {429: "Too many codes are waiting already: pair one, or wait Retry-After seconds."}


@dataclass
class DeviceOut:
    id: int
    name: str
    #: "kds" (a kitchen screen) or "agent" (a print agent)
    kind: str
    #: The station a kitchen screen opens on (None: the station list).
    station_id: int | None
    station: str | None
    #: The printers a print agent reaches.
    printers: list[str]
    #: When it was paired (None: it was given a token before pairing codes existed).
    paired_at: datetime | None
    #: The manager who paired it (None: the demo or the server's console).
    paired_by: str | None
    last_seen_at: datetime | None
    #: Set once revoked: its token, sessions and sockets stopped then.
    revoked_at: datetime | None

    @classmethod
    def of(cls, row: views.DeviceRow) -> DeviceOut:
        return cls(
            row.id,
            row.name,
            row.kind,
            row.station_id,
            row.station,
            row.printers,
            row.paired_at,
            row.paired_by,
            row.last_seen_at,
            row.revoked_at,
        )


@dataclass
class PairIn:
    #: The code the waiting device shows, as typed ("7KQ4-XM2P"; case, dash and spaces free).
    code: Typed
    #: What staff call it: "Grill screen", "Kitchen PC" (1 to 80 characters).
    name: Typed
    kind: Literal["kds", "agent"]
    #: A kitchen screen's station (from the kitchen's stations); none: the station list.
    station_id: Id | None = None
    #: A print agent's printers: from now on it prints their jobs.
    printer_ids: Annotated[list[Id], Meta(max_length=100)] = field(default_factory=list)


@dataclass
class RenameIn:
    name: Typed


@dataclass
class AskIn:
    #: What is waiting: "agent" (a print agent) or "kds" (a kitchen screen).
    kind: Literal["kds", "agent"] = "agent"


@dataclass
class WaitingOut:
    #: Show this to the manager ("7KQ4-XM2P"); it works once, until expires_at.
    code: str
    #: Keep this secret: it is the device's token once a manager types the code.
    token: str
    expires_at: datetime


@dataclass
class WaitIn:
    #: The token POST /device-pairings answered.
    token: Token


@dataclass
class PairingOut:
    #: "waiting" (no manager has typed the code yet) or "paired" (the token works now).
    status: Literal["waiting", "paired"]
    expires_at: datetime
    device_id: int | None = None
    name: str | None = None


async def _out(request: Req, uow: UnitOfWork, device_id: int) -> DeviceOut:
    await uow.session.flush()
    row = await views.device(
        uow.session, request.app.state.location.id, device_id, places_of(request)
    )
    if row is None:
        raise NotFound("There is no device with that number.")
    return DeviceOut.of(row)


class DeviceApiController(Controller):
    path = "/api/v1"
    opt = {**API, "roles": MANAGERS}
    tags = ["devices"]

    @get("/devices", summary="Kitchen screens and print agents", responses=errors(*LISTING))
    async def devices_list(self, request: Req, uow: NamedDependency[UnitOfWork]) -> list[DeviceOut]:
        rows = await views.devices(uow.session, request.app.state.location.id, places_of(request))
        return [DeviceOut.of(r) for r in rows]

    @post(
        "/devices",
        status_code=201,
        summary="Pair the waiting device showing this code",
        description="The code is one-time and lasts 10 minutes. A wrong code: 404; one "
        "already used: 409; expired: 410; a name already taken or a kind that is not what "
        "the device said it is: 422. Its token is never in an answer: the device has it.",
        responses={**errors(400, 401, 403, 404, 409, 422), **_with(EXPIRED)},
    )
    async def pair_device_by_code(
        self,
        request: Req,
        data: JSONBody[PairIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> DeviceOut:
        order = service.PairOrder(
            codes.read_code(data.code),
            service.device_name(data.name),
            data.kind,
            data.station_id,
            list(data.printer_ids),
        )
        device_id = await service.pair_with_code(
            uow,
            request.app.state.location.id,
            staff_of(request),
            order,
            places_of(request),
            idempotency_key,
        )
        return await _out(request, uow, device_id)

    @post(
        "/devices/{device_id:int}/rename",
        status_code=200,
        summary="Rename a device",
        responses=errors(400, 401, 403, 404, 409, 422),
    )
    async def rename_device(
        self,
        request: Req,
        device_id: FromPath[Id],
        data: JSONBody[RenameIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> DeviceOut:
        name = service.device_name(data.name)
        await service.rename_device(
            uow,
            request.app.state.location.id,
            staff_of(request),
            device_id,
            name,
            idempotency_key,
        )
        return await _out(request, uow, device_id)

    @post(
        "/devices/{device_id:int}/revoke",
        status_code=200,
        summary="Revoke a device: its token, sessions and open sockets stop now",
        description="Revoking one already revoked: 409.",
        responses=errors(400, 401, 403, 404, 409),
    )
    async def revoke_device(
        self,
        request: Req,
        device_id: FromPath[Id],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> DeviceOut:
        await service.revoke_device(
            uow, request.app.state.location.id, staff_of(request), device_id, idempotency_key
        )
        return await _out(request, uow, device_id)

    @post(
        "/device-pairings",
        opt={**API, "public": True},
        status_code=201,
        summary="A waiting device asks for a pairing code (no sign-in)",
        description="Show the code; keep the token secret. A manager types the code on the "
        "Devices screen (or POST /api/v1/devices); then the token is this device's token. "
        "Each call makes a new code (the old one simply expires), so a retry needs no key.",
        responses={**errors(400, 403, 422), **_with(CROWDED)},
    )
    async def ask_for_pairing_code(
        self, request: Req, data: JSONBody[AskIn], uow: NamedDependency[UnitOfWork]
    ) -> WaitingOut:
        location_id = await location_id_for_pairing(request)
        waiting = await pairing.ask_for_code(
            uow.session, location_id, data.kind, client_ip(request)
        )
        return WaitingOut(waiting.shown, waiting.token, waiting.expires_at)

    @post(
        "/device-pairings/wait",
        opt={**API, "public": True},
        status_code=200,
        summary="Has a manager typed this device's code yet?",
        description="Ask every few seconds. paired: the token works now. A code nobody "
        "typed in time: 410; a token not known: 404; a device revoked since: 403.",
        responses={**errors(400, 403, 404, 422), **_with(EXPIRED)},
    )
    async def check_pairing(
        self, data: JSONBody[WaitIn], uow: NamedDependency[UnitOfWork]
    ) -> PairingOut:
        state = await pairing.pairing_state(uow.session, data.token)
        if state.paired:
            return PairingOut("paired", state.expires_at, state.device_id, state.name)
        return PairingOut("waiting", state.expires_at)
