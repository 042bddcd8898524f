"""The restaurant this server runs (``app.state.location``) and what depends on it: the
templates' money and clock. Loaded at start-up, and again once a first-run screen (in this
process or another) has made it."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from app.platform.models import Location
from app.platform.templating import set_currency, set_timezone

#: What a server with no restaurant yet runs on: every page but the first-run one waits.
NO_LOCATION = SimpleNamespace(
    id=0, currency="USD", locale="en_US", prices_include_tax=False, training_mode=False
)


def has_location(app: Any) -> bool:
    return bool(app.state.location.id)


async def load_location(app: Any) -> bool:
    """Read the restaurant from the database into ``app.state``; False if there is none."""
    async with app.state.sessionmaker() as session:
        found = await session.scalar(select(Location).order_by(Location.id).limit(1))
    if found is None:
        app.state.location = NO_LOCATION
        return False
    use_location(app, found)
    return True


def use_location(app: Any, location: Any) -> None:
    app.state.location = location
    engine = app.template_engine.engine
    set_currency(engine, location.currency, location.locale)
    set_timezone(engine, getattr(location, "timezone", None))
