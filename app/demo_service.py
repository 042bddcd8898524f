"""Earlier tonight in the demo restaurant: the first seatings have eaten, paid and gone.

So that a new user's first look at the back office is not empty, ``brigade serve --demo``
plays a few parties through the real commands, the way a server's taps would: seat the
table, order, send, fire, pay by cash, by card with a tip, or split. Every close posts to
the books through the same bus the app uses, so the journal, the X report and the drawer's
expected cash all show them. Nothing here writes a row by hand.

The tests' template database does not play this (tests start from an empty dining room).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.billing.cards import charge_card
from app.billing.service import pay_cash
from app.billing.splits import split_evenly
from app.billing.terminal import SimulatedTerminal
from app.floor.models import DiningTable
from app.main import wire_back_office
from app.menu.models import MenuItem, ModifierOption
from app.orders import firing
from app.orders.service import NewLine, add_line, open_table
from app.orders.views import check_view
from app.platform.db import UnitOfWork, make_engine, make_sessionmaker
from app.platform.kitchen import KitchenBus
from app.platform.models import Location

MARIA, SAM = 1, 2


@dataclass(frozen=True)
class Party:
    table: str
    guests: int
    server: int
    #: "Item/Option/Option": the server's taps, modifiers included.
    items: tuple[str, ...]
    #: "cash", "card", or "split" (two even parts: one card, one cash).
    pays: str
    tip: int = 0


PARTIES = (
    Party(
        "1",
        2,
        MARIA,
        ("Burrata", "Salmon/Greens", "Roast Chicken", "House White (glass)"),
        "card",
        900,
    ),
    Party(
        "2",
        2,
        SAM,
        ("Soup of the Day", "Brigade Burger/Medium/Fries", "IPA Draft", "Lager Draft"),
        "cash",
    ),
    Party(
        "3",
        4,
        MARIA,
        (
            "Oysters (6)",
            "Ribeye 12oz/Medium rare/Mash/Add blue cheese",
            "Steak Frites/Rare",
            "Gnocchi",
            "Tiramisu",
            "Prosecco",
        ),
        "split",
        1200,
    ),
    Party("5", 3, SAM, ("Calamari", "Fish & Chips", "Mushroom Risotto", "Lemonade"), "card", 700),
    Party(
        "6",
        2,
        MARIA,
        ("Caesar Salad", "Pork Chop/Medium/Greens", "Crème Brûlée", "Espresso"),
        "cash",
        500,
    ),
)


class Taps:
    """One command at a time, each in its own unit of work, as the app runs them."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions
        self.back_office = wire_back_office()
        # No kitchen screen is listening: these plates went out and were bumped long ago.
        self.kitchen = KitchenBus()

    async def __call__(self, command: Callable[..., Awaitable[Any]], *args: Any) -> Any:
        async with self.sessions() as session:
            uow = UnitOfWork(session, back_office=self.back_office)
            result = await command(uow, *args)
            await uow.commit()
            return result

    async def balance(self, check_id: int) -> tuple[int, int]:
        async with self.sessions() as session:
            view = await check_view(session, check_id)
            return view.version, view.balance

    async def pay(self, check_id: int, method: str, server: int, tip: int) -> None:
        version, balance = await self.balance(check_id)
        if method == "cash":
            tendered = -(-(balance + tip) // 500) * 500  # the guest hands over round notes
            await self(pay_cash, check_id, tendered, version, server, None, None, tip)
        else:
            key = f"demo-{uuid.uuid4().hex}"
            await self(
                charge_card, check_id, balance, tip, version, server, SimulatedTerminal(), key
            )


@dataclass(frozen=True)
class Demo:
    location: int
    tables: dict[str, int]
    items: dict[str, int]
    options: dict[str, int]

    def line(self, tapped: str) -> NewLine:
        item, *options = tapped.split("/")
        return NewLine(self.items[item], option_ids=[self.options[o] for o in options])


async def _demo(session: AsyncSession) -> Demo:
    location = await session.scalar(select(Location.id).limit(1))
    assert location is not None
    names = {
        "tables": select(DiningTable.name, DiningTable.id),
        "items": select(MenuItem.name, MenuItem.id),
        "options": select(ModifierOption.name, ModifierOption.id),
    }
    found = {
        k: {name: id_ for name, id_ in (await session.execute(q)).all()} for k, q in names.items()
    }
    return Demo(location, **found)


async def serve_party(taps: Taps, demo: Demo, p: Party) -> None:
    check = await taps(open_table, demo.tables[p.table], p.guests, p.server, demo.location)
    for tapped in p.items:
        await taps(add_line, check, demo.line(tapped), p.server)
    await taps(firing.send_order, check, p.server, taps.kitchen)
    await taps(firing.fire_all, check, p.server, taps.kitchen)
    if p.pays != "split":
        await taps.pay(check, p.pays, p.server, p.tip)
        return
    version, _ = await taps.balance(check)
    first, second = await taps(split_evenly, check, 2, version, p.server)
    await taps.pay(first, "card", p.server, p.tip)
    await taps.pay(second, "cash", p.server, 0)


async def play_earlier_tonight(url: str) -> int:
    """Serve, close and post the first seatings; returns how many parties paid."""
    engine = make_engine(url, pool="null")
    try:
        sessions = make_sessionmaker(engine)
        async with sessions() as session:
            demo = await _demo(session)
        taps = Taps(sessions)
        for party in PARTIES:
            await serve_party(taps, demo, party)
    finally:
        await engine.dispose()
    return len(PARTIES)
