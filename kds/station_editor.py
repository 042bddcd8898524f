"""The kitchen's stations as the back office sets them up: their names, their ticket timers
and which one is expo.

Which categories and items a station makes is ``kds.stations`` (the routing screen); which
printer prints its tickets is the printers page (``printers.printer_editor``). A station is
never deleted: its tickets and their numbers stay in the history.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

from sqlalchemy import func, select, union_all

from app.core import menu_rules
from app.core.errors import BadInput
from app.core.inputs import parse_whole
from app.platform import audit, idempotency
from app.platform.console import named
from app.platform.db import UnitOfWork
from kds.models import CategoryStation, ItemStation, Station
from kds.stations import ROUTING_CHANNEL, station

#: A ticket turning yellow after more than two hours is a typo, not a kitchen.
MAX_MINUTES = 120


@dataclass(frozen=True, slots=True)
class StationDraft:
    name: str
    warn_after_s: int
    late_after_s: int
    ack_within_s: int
    is_expo: bool


def station_draft(form: Mapping[str, str]) -> StationDraft:
    """Timers as a cook says them: yellow after 5 minutes, red after 8, seen within 30 s."""
    warn = parse_whole(form.get("warn_minutes", "") or "5", "Yellow after (minutes)",
                       low=1, high=MAX_MINUTES)  # fmt: skip
    late = parse_whole(form.get("late_minutes", "") or "8", "Red after (minutes)",
                       low=1, high=MAX_MINUTES)  # fmt: skip
    if late <= warn:
        raise BadInput(
            f"A ticket turns red ({late} min) after it turns yellow ({warn} min): "
            "make red the later one."
        )
    ack = parse_whole(form.get("ack_seconds", "") or "30", "Seen within (seconds)",
                      low=5, high=600)  # fmt: skip
    return StationDraft(
        name=menu_rules.menu_name(form.get("name", ""), "station"),
        warn_after_s=warn * 60,
        late_after_s=late * 60,
        ack_within_s=ack,
        is_expo=form.get("is_expo") == "1",
    )


async def _name_free(uow: UnitOfWork, location_id: int, name: str, mine: int | None) -> None:
    taken = await uow.session.scalar(
        select(Station.id).where(
            Station.location_id == location_id,
            named(Station.name, name),
        )
    )
    if taken is not None and taken != mine:
        raise BadInput(f"There is already a station called {name}.")


async def _not_routed(uow: UnitOfWork, found: Station) -> None:
    """Expo makes nothing: a station that still makes food would send tickets no screen shows."""
    routed = await uow.session.scalar(
        select(func.count()).select_from(
            union_all(
                select(CategoryStation.station_id).where(CategoryStation.station_id == found.id),
                select(ItemStation.station_id).where(ItemStation.station_id == found.id),
            ).subquery()
        )
    )
    if routed:
        raise BadInput(
            f"{found.name} still makes part of the menu: untick it on kitchen routing before "
            "making it expo."
        )


async def add_station(
    uow: UnitOfWork, location_id: int, actor_id: int, draft: StationDraft, key: str | None
) -> int:
    claim = await idempotency.claim(uow.session, key, "add_station", asdict(draft))
    if claim.replay is not None:
        return int(claim.replay["station_id"])
    await _name_free(uow, location_id, draft.name, None)
    made = Station(location_id=location_id, **asdict(draft))
    uow.session.add(made)
    await uow.session.flush()
    await audit.record(
        uow.session, "add_station", f"station:{made.id}", actor_id=actor_id, **asdict(draft)
    )
    await idempotency.remember(uow.session, claim, {"station_id": made.id})
    uow.announce(ROUTING_CHANNEL, {"routing": "stations"})
    return made.id


async def change_station(
    uow: UnitOfWork, location_id: int, actor_id: int, station_id: int, draft: StationDraft
) -> None:
    """Set a station to what the form shows; screens read the new timers when they redraw."""
    found = await station(uow.session, location_id, station_id)
    before = {name: getattr(found, name) for name in asdict(draft)}
    if before == asdict(draft):
        return
    await _name_free(uow, location_id, draft.name, station_id)
    if draft.is_expo and not found.is_expo:
        await _not_routed(uow, found)
    for name, value in asdict(draft).items():
        setattr(found, name, value)
    await audit.record(
        uow.session, "change_station", f"station:{station_id}", actor_id=actor_id,
        before=before, after=asdict(draft),
    )  # fmt: skip
    uow.announce(ROUTING_CHANNEL, {"routing": "stations"})
