"""The location's settings, as a manager changes them in the back office.

A change to how tax is priced reprices every open check (they read the location's mode until
they close): those checks become one version newer in the same transaction and the tablets
showing them are told, so a pay screen drawn before the change cannot take the old amount.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select

from app.core.errors import BadInput
from app.core.inputs import parse_whole
from app.core.restaurant import restaurant_name
from app.orders.service import reprice_open_checks
from app.platform import audit
from app.platform.db import UnitOfWork
from app.platform.models import Location

#: Settings that change what an open check owes.
REPRICING = ("prices_include_tax", "tax_rounding")
PPM_PER_PERCENT = 10_000


@dataclass(frozen=True, slots=True)
class LocationSettings:
    name: str
    prices_include_tax: bool
    #: "line" or "check" (see Location.tax_rounding)
    tax_rounding: str
    auto_gratuity_party_size: int | None
    auto_gratuity_ppm: int
    discount_approval_ppm: int
    #: ppm, comma-separated, as Location.tip_suggestions
    tip_suggestions: str
    day_starts_hour: int
    training_mode: bool


def settings_of(location: Location) -> LocationSettings:
    return LocationSettings(
        **{name: getattr(location, name) for name in LocationSettings.__dataclass_fields__}
    )


def read_settings(form: dict[str, str]) -> LocationSettings:
    """The settings form, or a refusal naming the first wrong field."""
    rounding = form.get("tax_rounding", "")
    if rounding not in ("line", "check"):
        raise BadInput("Choose whether tax is rounded on every line or once per check.")
    party = form.get("auto_gratuity_party_size", "").strip()
    return LocationSettings(
        name=restaurant_name(form.get("name", "")),
        prices_include_tax=form.get("prices_include_tax") == "1",
        tax_rounding=rounding,
        auto_gratuity_party_size=(
            parse_whole(party, "The party size for the service charge", low=1, high=99)
            if party
            else None
        ),
        auto_gratuity_ppm=percent_ppm(form.get("auto_gratuity_percent", "0"), "The service charge"),
        discount_approval_ppm=percent_ppm(
            form.get("discount_approval_percent", "0"), "The discount approval threshold"
        ),
        tip_suggestions=tip_suggestions(form.get("tip_suggestions", "")),
        day_starts_hour=parse_whole(
            form.get("day_starts_hour", ""), "The hour the day starts", low=0, high=23
        ),
        training_mode=form.get("training_mode") == "1",
    )


def percent_ppm(raw: str, label: str) -> int:
    """A whole percentage 0-100 (service charges and thresholds are set in whole percents)."""
    return parse_whole(raw.strip().removesuffix("%").strip() or "0", label, low=0, high=100) * (
        PPM_PER_PERCENT
    )


def tip_suggestions(raw: str) -> str:
    """ "15, 18, 20" -> "150000,180000,200000": one to four whole percentages, 1-100."""
    parts = [p.strip().removesuffix("%").strip() for p in raw.split(",") if p.strip()]
    if not 1 <= len(parts) <= 4:
        raise BadInput("Give one to four suggested tips, as percentages: 15, 18, 20.")
    ppm = [parse_whole(p, "A suggested tip", low=1, high=100) * PPM_PER_PERCENT for p in parts]
    if len(set(ppm)) != len(ppm):
        raise BadInput("The suggested tips repeat a percentage: give each once.")
    return ",".join(str(p) for p in sorted(ppm))


def tip_percents(stored: str) -> str:
    return ", ".join(str(int(p) // PPM_PER_PERCENT) for p in stored.split(",") if p)


def as_asked(now: LocationSettings) -> dict[str, str]:
    """The settings in the form's own words (whole percentages, "" for never): what
    ``read_settings`` reads back to the same settings."""
    return {
        "name": now.name,
        "prices_include_tax": "1" if now.prices_include_tax else "",
        "tax_rounding": now.tax_rounding,
        "auto_gratuity_party_size": str(now.auto_gratuity_party_size or ""),
        "auto_gratuity_percent": str(now.auto_gratuity_ppm // PPM_PER_PERCENT),
        "discount_approval_percent": str(now.discount_approval_ppm // PPM_PER_PERCENT),
        "tip_suggestions": tip_percents(now.tip_suggestions),
        "day_starts_hour": str(now.day_starts_hour),
        "training_mode": "1" if now.training_mode else "",
    }


async def change_some(
    uow: UnitOfWork, location_id: int, asked: dict[str, str], staff_id: int | None
) -> tuple[list[str], Location]:
    """Change only the settings ``asked`` names (in the form's words), for the API.

    The rest are taken from the row under its lock, so a change of another setting made
    meanwhile (on the screen, another script) is never written back over; and the whole is
    read by ``read_settings``, so every rule and refusal is the settings screen's own.
    Returns the names changed and the location as it now is."""
    location = await _locked(uow, location_id)
    wanted = read_settings({**as_asked(settings_of(location)), **asked})
    return await change_settings(uow, location_id, wanted, staff_id), location


async def location_row(uow: UnitOfWork, location_id: int) -> Location:
    """The location as it is now (its settings with its currency, locale and time zone)."""
    return await _locked(uow, location_id, lock=False)


async def _locked(uow: UnitOfWork, location_id: int, *, lock: bool = True) -> Location:
    query = select(Location).where(Location.id == location_id)
    location = await uow.session.scalar(query.with_for_update() if lock else query)
    if location is None:
        raise BadInput("This restaurant is not set up yet.")
    return location


async def change_settings(
    uow: UnitOfWork, location_id: int, wanted: LocationSettings, staff_id: int | None
) -> list[str]:
    """Write the settings; audit what changed (before and after); reprice open checks if the
    tax mode moved. Returns the names of the settings that changed.

    Nothing to announce to the other server processes: each follows the location row's
    stamp at its next request (``app.platform.location_stamp``)."""
    session = uow.session
    location = await _locked(uow, location_id)
    before = asdict(settings_of(location))
    after = asdict(wanted)
    changed = [name for name in after if before[name] != after[name]]
    if not changed:
        return []
    for name in changed:
        setattr(location, name, after[name])
    await session.flush()
    detail: dict[str, Any] = {name: [before[name], after[name]] for name in changed}
    await audit.record(
        session, "change_settings", f"location:{location_id}", actor_id=staff_id, changed=detail
    )
    if any(name in REPRICING for name in changed):
        await reprice_open_checks(uow, location_id)
    return changed
