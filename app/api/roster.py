"""The staff roster over JSON (managers and owners), as the Staff screen: hire, rename or
change a role, set a PIN, deactivate, take back.

Every command is ``app.staff.roster``'s own, so its rules hold here too: a manager runs the
floor staff, only an owner gives or changes the manager and owner roles, nobody changes
their own role or deactivates themselves, the last owner stays, and no two active people
share a PIN. Each writes the same audit row as the screen. No answer carries a PIN or its
hash; nor does the audit log, nor the idempotency record (a key's fingerprint leaves the
PIN out: a hash of four digits is a PIN for anyone who tries ten thousand).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from typing import Annotated, Any, Literal

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter
from msgspec import Meta

from app.api.common import API, COMMAND, LISTING, Id, IdempotencyKey, Req, errors, staff_of
from app.platform import idempotency
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork
from app.platform.models import Staff
from app.staff import roster

#: app.platform.models.ROLES, spelt out so the OpenAPI document lists them (a test checks).
Role = Literal["server", "bartender", "host", "kitchen", "manager", "owner"]
Name = Annotated[str, Meta(max_length=80), Parameter(max_length=80)]
NewPin = Annotated[
    str,
    Meta(max_length=64),
    Parameter(
        max_length=64,
        description="4 to 6 ASCII digits; not one digit repeated, not an active colleague's.",
    ),
]
#: Hiring: a role this manager may not give (403), a name or PIN taken (409), a bad one (422).
HIRE = (400, 401, 403, 409, 422)
#: Deactivate and take back have no body: no such person (404), a name taken again (409).
NO_BODY = (400, 401, 403, 404, 409)


@dataclass
class RosterEntry:
    id: int
    name: str
    #: server, bartender, host, kitchen, manager or owner
    role: str
    #: False once deactivated: off the sign-in screen, every session ended; history kept.
    active: bool

    @classmethod
    def of(cls, person: Staff) -> RosterEntry:
        return cls(person.id, person.name, person.role, person.active)


@dataclass
class HireIn:
    #: As the sign-in screen shows it; unique among the active staff.
    name: Name
    role: Role
    pin: NewPin


@dataclass
class EditIn:
    name: Name
    role: Role


@dataclass
class PinIn:
    pin: NewPin


async def _once(
    uow: UnitOfWork,
    key: str | None,
    command: str,
    payload: dict[str, Any],
    run: Callable[[], Awaitable[Staff]],
) -> RosterEntry:
    """Run the command once per Idempotency-Key: a retry gets the first answer, in the same
    transaction as the effect (app.platform.idempotency); the same key with another body is
    refused (409)."""
    claim = await idempotency.claim(uow.session, key, command, payload)
    if claim.replay is not None:
        return RosterEntry(**claim.replay)
    entry = RosterEntry.of(await run())
    await idempotency.remember(uow.session, claim, asdict(entry))
    return entry


class RosterApiController(Controller):
    path = "/api/v1/roster"
    opt = {**API, "roles": MANAGERS}
    tags = ["staff roster"]

    @get(
        "/",
        summary="Everyone on the staff, deactivated people last (managers; never a PIN)",
        responses=errors(*LISTING),
    )
    async def everyone(self, request: Req, uow: NamedDependency[UnitOfWork]) -> list[RosterEntry]:
        people = await roster.whole_roster(uow, request.app.state.location.id)
        return [RosterEntry.of(p) for p in people]

    @post("/", status_code=201, summary="Hire someone, with their PIN", responses=errors(*HIRE))
    async def hire(
        self,
        request: Req,
        data: JSONBody[HireIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> RosterEntry:
        location_id, me = request.app.state.location.id, staff_of(request)

        async def run() -> Staff:
            name, role = roster.staff_name(data.name), roster.staff_role(data.role)
            pin = roster.new_pin(data.pin, data.pin)
            return await roster.hire_staff(uow, location_id, me, name, role, pin)

        payload = {"name": data.name, "role": data.role}
        return await _once(uow, idempotency_key, "api_hire_staff", payload, run)

    @post(
        "/{staff_id:int}/edit",
        status_code=200,
        summary="Rename someone or change their role",
        responses=errors(*COMMAND),
    )
    async def edit(
        self,
        request: Req,
        staff_id: FromPath[Id],
        data: JSONBody[EditIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> RosterEntry:
        location_id, me = request.app.state.location.id, staff_of(request)

        async def run() -> Staff:
            name, role = roster.staff_name(data.name), roster.staff_role(data.role)
            return await roster.edit_staff(uow, location_id, me, staff_id, name, role)

        payload = {"staff": staff_id, "name": data.name, "role": data.role}
        return await _once(uow, idempotency_key, "api_edit_staff", payload, run)

    @post(
        "/{staff_id:int}/pin",
        status_code=200,
        summary="Set or reset someone's PIN (their old wrong tries stop slowing them)",
        responses=errors(*COMMAND),
    )
    async def set_pin(
        self,
        request: Req,
        staff_id: FromPath[Id],
        data: JSONBody[PinIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> RosterEntry:
        location_id, me = request.app.state.location.id, staff_of(request)

        async def run() -> Staff:
            pin = roster.new_pin(data.pin, data.pin)
            await roster.set_pin(uow, location_id, me, staff_id, pin)
            return await roster.member(uow, location_id, staff_id)

        return await _once(uow, idempotency_key, "api_set_pin", {"staff": staff_id}, run)

    @post(
        "/{staff_id:int}/deactivate",
        status_code=200,
        summary="Let someone go: off the sign-in screen, every session ended",
        responses=errors(*NO_BODY),
    )
    async def deactivate(
        self,
        request: Req,
        staff_id: FromPath[Id],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> RosterEntry:
        location_id, me = request.app.state.location.id, staff_of(request)

        async def run() -> Staff:
            await roster.deactivate_staff(uow, location_id, me, staff_id)
            return await roster.member(uow, location_id, staff_id)

        return await _once(uow, idempotency_key, "api_deactivate", {"staff": staff_id}, run)

    @post(
        "/{staff_id:int}/reactivate",
        status_code=200,
        summary="Take someone back",
        responses=errors(*NO_BODY),
    )
    async def reactivate(
        self,
        request: Req,
        staff_id: FromPath[Id],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> RosterEntry:
        location_id, me = request.app.state.location.id, staff_of(request)

        async def run() -> Staff:
            await roster.reactivate_staff(uow, location_id, me, staff_id)
            return await roster.member(uow, location_id, staff_id)

        return await _once(uow, idempotency_key, "api_reactivate", {"staff": staff_id}, run)
