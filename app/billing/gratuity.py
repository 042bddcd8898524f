"""Auto-gratuity: large parties get the house's service charge when they are seated or grow.

Kept apart from the discount service so that opening a table (app.orders.service) can call
it without an import cycle: it needs only the rows, never the order commands.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.orders.models import Check
from app.platform import audit
from app.platform.models import Location

AUTO = "Auto-gratuity"


def auto_reason(guests: int) -> str:
    return f"{AUTO} (party of {guests})"


async def auto_gratuity(
    session: AsyncSession, check_id: int, guests: int, *, before: int | None, staff_id: int
) -> bool:
    """Put the location's auto-gratuity on a check whose party reached the size for it.

    Only when the party *reaches* the size (seated that large, or growing into it): a
    manager who removed it for a party of ten is not overruled when an eleventh guest sits
    down. A smaller party keeps it until a manager lowers it (a server cannot drop it by
    lowering the guest count), and a higher charge already set is never lowered.
    Returns whether the charge was put on. The caller bumps the check's version.
    """
    location = await session.scalar(
        select(Location).join(Check, Check.location_id == Location.id).where(Check.id == check_id)
    )
    if location is None:
        return False
    size, ppm = location.auto_gratuity_party_size, location.auto_gratuity_ppm
    if not size or ppm <= 0 or guests < size:
        return False
    current = await session.scalar(select(Check.service_charge_ppm).where(Check.id == check_id))
    if before is not None and before >= size:
        # Already a large party: keep the bill's wording true to the party's size.
        await session.execute(
            update(Check)
            .where(
                Check.id == check_id,
                Check.service_charge_ppm == ppm,
                Check.service_charge_reason.startswith(AUTO),
            )
            .values(service_charge_reason=auto_reason(guests))
        )
        return False
    if current is not None and current >= ppm:
        return False
    await session.execute(
        update(Check)
        .where(Check.id == check_id)
        .values(service_charge_ppm=ppm, service_charge_reason=auto_reason(guests))
    )
    await audit.record(
        session,
        "auto_gratuity",
        f"check:{check_id}",
        actor_id=staff_id,
        guests=guests,
        before_ppm=current or 0,
        after_ppm=ppm,
    )
    return True
