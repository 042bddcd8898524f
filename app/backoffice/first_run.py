"""Open a new restaurant: the location, its owner with a PIN of their own, and the little
every restaurant starts from (courses, a house tax rate, an empty dining room).

No demo data, no default PIN, no shared kitchen-screen token, and training mode off: what
``brigade init`` and the first-run screen make is a real restaurant from its first minute.
Like ``app.demo`` this is set-up wiring, so it writes the first rows of the menu and floor.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Conflict
from app.core.restaurant import RestaurantDraft, read_draft
from app.floor.models import Floor
from app.menu.models import Course, TaxRate
from app.platform import audit
from app.platform.auth import hash_pin
from app.platform.models import Location, Staff
from app.staff.roster import new_pin, staff_name

#: Courses in the order they are served; drinks go to the bar the moment they are sent.
COURSES = ("drinks", "starters", "mains", "desserts")


async def has_restaurant(session: AsyncSession) -> bool:
    return await session.scalar(select(func.count()).select_from(Location)) != 0


#: What ``brigade init`` and the first-run screen suggest: a US restaurant.
SUGGESTED = {
    "currency": "USD",
    "locale": "en_US",
    "timezone": "America/New_York",
    "day_starts": "4",
    "tax": "0",
}


@dataclass(frozen=True, slots=True)
class Opening:
    draft: RestaurantDraft
    owner: str
    pin: str


def read_opening(answers: Mapping[str, str], *, prices_include_tax: bool) -> Opening:
    """What the console or the screen was told, read by the same rules (or a refusal)."""
    draft = read_draft(
        name=answers.get("name", ""),
        currency=answers.get("currency", ""),
        locale=answers.get("locale", ""),
        timezone=answers.get("timezone", ""),
        day_starts_hour=answers.get("day_starts", ""),
        tax_percent=answers.get("tax", "0"),
        prices_include_tax=prices_include_tax,
    )
    owner = staff_name(answers.get("owner", ""))
    return Opening(draft, owner, new_pin(answers.get("pin", ""), answers.get("pin_again", "")))


async def open_restaurant(
    session: AsyncSession, draft: RestaurantDraft, owner: str, pin: str
) -> Location:
    """Create the restaurant in the caller's transaction; refused if one exists already.

    Two first-run screens submitted at once must not make two restaurants: the advisory lock
    makes the second wait and then find the first."""
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext('brigade:first-run'))"))
    if await has_restaurant(session):
        raise Conflict("This database already has a restaurant: sign in instead.")
    pin_hash = hash_pin(pin)
    location = Location(
        name=draft.name,
        currency=draft.currency,
        locale=draft.locale,
        timezone=draft.timezone,
        day_starts_hour=draft.day_starts_hour,
        prices_include_tax=draft.prices_include_tax,
        training_mode=False,
    )
    session.add(location)
    await session.flush()
    staff = Staff(location_id=location.id, name=owner, role="owner", pin_hash=pin_hash)
    session.add(staff)
    session.add_all(
        Course(location_id=location.id, name=name, sort=i, fires_immediately=name == "drinks")
        for i, name in enumerate(COURSES)
    )
    session.add(
        TaxRate(location_id=location.id, name=_tax_name(draft.tax_ppm), rate_ppm=draft.tax_ppm)
    )
    session.add(Floor(location_id=location.id, name="Dining room", sort=0))
    await session.flush()
    await audit.record(
        session,
        "open_restaurant",
        f"location:{location.id}",
        actor_id=staff.id,
        name=draft.name,
        currency=draft.currency,
    )
    return location


def _tax_name(ppm: int) -> str:
    if ppm == 0:
        return "No tax"
    percent = Decimal(ppm).scaleb(-4).normalize()  # 88750 ppm -> 8.875
    return f"Tax {percent:f}%"
