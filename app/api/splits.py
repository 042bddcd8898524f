"""Splitting a check over JSON: by seat, evenly, by item, and undo, as the split screen does.

Each answers with the whole family: the original check and its parts, each a check of its
own to pay (``/payments/...`` on the part's id). Parts always sum exactly to the check
(largest remainder: each part within one cent of its share). ``version`` is the version of
the check being split (for undo: of the original check).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter
from msgspec import Meta

from app.api.common import API, COMMAND, Id, IdempotencyKey, Req, Version, errors, staff_of
from app.api.views import CheckOut
from app.billing import splits
from app.billing.split_views import split_family
from app.platform.auth import FLOOR
from app.platform.db import UnitOfWork


@dataclass
class SplitOut:
    """The original check and its parts (the original keeps the lines nobody took)."""

    root: CheckOut
    parts: list[CheckOut]


@dataclass
class VersionIn:
    version: Version


@dataclass
class EvenIn:
    #: How many guests share the check equally.
    parts: Annotated[int, Meta(ge=2, le=100), Parameter(ge=2, le=100)]
    version: Version


@dataclass
class ItemsIn:
    #: The line ids that move.
    lines: Annotated[
        list[Id], Meta(min_length=1, max_length=500), Parameter(min_items=1, max_items=500)
    ]
    version: Version
    #: Onto this open part of the same check; a new part when left out.
    to_check: Id | None = None


async def _family(uow: UnitOfWork, check_id: int) -> SplitOut:
    family = await split_family(uow.session, check_id)
    return SplitOut(CheckOut.of(family.root), [CheckOut.of(p) for p in family.parts])


class SplitApiController(Controller):
    path = "/api/v1/checks/{check_id:int}/split"
    opt = {**API, "roles": FLOOR}
    tags = ["splits"]

    @post(
        "/seat",
        status_code=200,
        summary="One check per seat (unseated items shared)",
        responses=errors(*COMMAND),
    )
    async def split_by_seat(
        self,
        request: Req,
        check_id: FromPath[Id],
        data: JSONBody[VersionIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> SplitOut:
        await splits.split_by_seat(
            uow, check_id, data.version, staff_of(request), key=idempotency_key
        )
        return await _family(uow, check_id)

    @post(
        "/even",
        status_code=200,
        summary="Split the check evenly between guests",
        responses=errors(*COMMAND),
    )
    async def split_evenly(
        self,
        request: Req,
        check_id: FromPath[Id],
        data: JSONBody[EvenIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> SplitOut:
        await splits.split_evenly(
            uow, check_id, data.parts, data.version, staff_of(request), key=idempotency_key
        )
        return await _family(uow, check_id)

    @post(
        "/items",
        status_code=200,
        summary="Move chosen lines onto a new or another part",
        responses=errors(*COMMAND),
    )
    async def split_by_items(
        self,
        request: Req,
        check_id: FromPath[Id],
        data: JSONBody[ItemsIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> SplitOut:
        await splits.split_by_items(
            uow,
            check_id,
            data.lines,
            data.version,
            staff_of(request),
            key=idempotency_key,
            to_check=data.to_check,
        )
        return await _family(uow, check_id)

    @post(
        "/undo",
        status_code=200,
        summary="Undo the split: every open part back onto the original check",
        description=(
            "Once the original is paid, the open parts go onto the lowest part still open; "
            "`version` is the version of the check they go onto."
        ),
        responses=errors(*COMMAND),
    )
    async def undo_split(
        self,
        request: Req,
        check_id: FromPath[Id],
        data: JSONBody[VersionIn],
        uow: NamedDependency[UnitOfWork],
        idempotency_key: IdempotencyKey = None,
    ) -> SplitOut:
        await splits.undo_split(uow, check_id, data.version, staff_of(request), key=idempotency_key)
        return await _family(uow, check_id)
