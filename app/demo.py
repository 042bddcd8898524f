"""The demo restaurant: a real menu, two floors, four stations and a full staff.

Created by ``brigade demo`` and by ``make run``; skipped when the database already has a
restaurant. Like main.py it is wiring, so it may name the kitchen's tables.
"""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.models import Discount, DrawerSession
from app.demo_books import seed_demo_books
from app.demo_inventory import seed_demo_inventory
from app.floor.models import DiningTable, Floor
from app.menu.models import (
    Category,
    Course,
    ItemModifierGroup,
    MenuItem,
    ModifierGroup,
    ModifierOption,
    TaxRate,
)
from app.platform.auth import hash_pin, token_digest
from app.platform.db import make_engine, make_sessionmaker
from app.platform.models import ApiKey, Device, Location, Staff
from kds.models import CategoryStation, Station
from printers.demo import add_demo_printers

STAFF = [
    ("Maria", "server", "1111"),
    ("Sam", "server", "2222"),
    ("Lee", "bartender", "3333"),
    ("Hana", "host", "4444"),
    ("Ode", "kitchen", "5555"),
    ("Mia", "manager", "9999"),
    ("Olivia", "owner", "8888"),
]
KITCHEN_DEVICE_TOKEN = "demo-kitchen-screen-token"  # noqa: S105 - printed for the demo
#: The demo's only API key (for the tests and benchmarks); a real install issues its own.
DEMO_API_KEY = "demo-api-key"

Item = tuple[str, int, str, list[str]]  # name, price in cents, tax rate, modifier groups
# name, course, colour, stations, items
MENU: list[tuple[str, str, str, list[str], list[Item]]] = [
    (
        "Starters",
        "starters",
        "#2e7d32",
        ["cold"],
        [
            ("Burrata", 1400, "food", []),
            ("Caesar Salad", 1200, "food", ["Extras"]),
            ("Tuna Tartare", 1600, "food", []),
            ("Soup of the Day", 900, "food", []),
            ("Oysters (6)", 1900, "food", []),
            ("Beet Salad", 1100, "food", ["Extras"]),
            ("Charcuterie Board", 2200, "food", []),
            ("Garlic Bread", 700, "food", []),
            ("Calamari", 1300, "food", []),
            ("Prawn Cocktail", 1500, "food", []),
        ],
    ),
    (
        "Mains",
        "mains",
        "#c62828",
        ["grill"],
        [
            ("Ribeye 12oz", 3800, "food", ["Temperature", "Sides", "Extras"]),
            ("Filet Mignon", 4200, "food", ["Temperature", "Sides", "Extras"]),
            ("Brigade Burger", 1900, "food", ["Temperature", "Sides", "Extras"]),
            ("Roast Chicken", 2400, "food", ["Sides"]),
            ("Salmon", 2800, "food", ["Sides"]),
            ("Pork Chop", 2600, "food", ["Temperature", "Sides"]),
            ("Mushroom Risotto", 2100, "food", ["Extras"]),
            ("Lamb Rack", 3600, "food", ["Temperature", "Sides"]),
            ("Fish & Chips", 2000, "food", []),
            ("Steak Frites", 2900, "food", ["Temperature"]),
            ("Gnocchi", 1900, "food", ["Extras"]),
            ("Half Lobster", 4500, "food", ["Sides"]),
        ],
    ),
    (
        "Desserts",
        "desserts",
        "#6a1b9a",
        ["pastry"],
        [
            ("Crème Brûlée", 900, "food", []),
            ("Chocolate Fondant", 1000, "food", []),
            ("Tiramisu", 900, "food", []),
            ("Cheesecake", 900, "food", []),
            ("Sorbet Trio", 800, "food", []),
            ("Apple Tart", 900, "food", []),
            ("Affogato", 700, "food", []),
            ("Cheese Plate", 1400, "food", []),
        ],
    ),
    (
        "Drinks",
        "drinks",
        "#1565c0",
        ["bar"],
        [
            ("House Red (glass)", 1100, "alcohol", []),
            ("House White (glass)", 1100, "alcohol", []),
            ("Prosecco", 1200, "alcohol", []),
            ("IPA Draft", 800, "alcohol", []),
            ("Lager Draft", 700, "alcohol", []),
            ("Negroni", 1400, "alcohol", []),
            ("Old Fashioned", 1500, "alcohol", []),
            ("Margarita", 1300, "alcohol", []),
            ("Espresso Martini", 1500, "alcohol", []),
            ("Sparkling Water", 400, "food", []),
            ("Lemonade", 500, "food", []),
            ("Espresso", 350, "food", []),
            ("Cappuccino", 450, "food", []),
            ("Iced Tea", 450, "food", []),
        ],
    ),
]

#: What the demo kitchen's tickets call a few dishes (set on the menu editor's item page).
KITCHEN_NAMES = {"Crème Brûlée": "CREME BRULEE", "Sorbet Trio": "SORBET x3"}
MODIFIERS = {
    "Temperature": (
        1,
        1,
        [("Rare", 0), ("Medium rare", 0), ("Medium", 0), ("Medium well", 0), ("Well done", 0)],
    ),
    "Sides": (
        0,
        2,
        [("Fries", 0), ("Mash", 0), ("Greens", 0), ("Onion rings", 150), ("Mac & cheese", 300)],
    ),
    "Extras": (
        0,
        3,
        [("Add bacon", 300), ("Add avocado", 250), ("Add blue cheese", 200), ("Add truffle", 600)],
    ),
}

FLOORS = {
    "Dining room": [
        # name, shape, seats, x, y, w, h (percent of the floor)
        ("1", "square", 2, 4, 6, 10, 13),
        ("2", "square", 2, 18, 6, 10, 13),
        ("3", "square", 4, 32, 6, 12, 15),
        ("4", "square", 4, 48, 6, 12, 15),
        ("5", "round", 4, 66, 6, 12, 16),
        ("6", "round", 6, 84, 6, 13, 17),
        ("7", "rectangle", 6, 4, 36, 20, 14),
        ("8", "rectangle", 8, 30, 36, 24, 15),
        ("9", "round", 4, 60, 36, 12, 16),
        ("10", "round", 4, 78, 36, 12, 16),
        ("11", "square", 2, 4, 66, 10, 13),
        ("12", "square", 2, 18, 66, 10, 13),
        ("13", "rectangle", 10, 34, 66, 30, 16),
        ("Bar 1", "round", 1, 72, 70, 8, 11),
        ("Bar 2", "round", 1, 84, 70, 8, 11),
    ],
    "Patio": [
        ("P1", "round", 2, 6, 8, 12, 16),
        ("P2", "round", 2, 26, 8, 12, 16),
        ("P3", "round", 4, 46, 8, 13, 17),
        ("P4", "square", 4, 68, 8, 13, 17),
        ("P5", "rectangle", 6, 6, 44, 22, 15),
        ("P6", "rectangle", 6, 36, 44, 22, 15),
        ("P7", "square", 4, 68, 44, 13, 17),
        ("P8", "round", 8, 40, 74, 16, 20),
    ],
}


#: Named discounts: (name, kind, value, scope, always needs a manager).
DISCOUNTS = [
    ("Staff meal", "percent", 500_000, "check", True),
    ("Loyalty 10 %", "percent", 100_000, "check", False),
    ("Happy hour $2 off", "amount", 200, "line", False),
    ("Birthday dessert", "percent", 1_000_000, "line", False),
    ("Service recovery", "amount", 1_000, "any", True),
]


async def _seed(session: AsyncSession) -> None:
    location = Location(
        name="Brigade Bistro",
        currency="USD",
        locale="en_US",
        timezone="America/New_York",
        # Parties of eight or more pay 18 %; discounts above 20 % of a check need a manager.
        auto_gratuity_party_size=8,
        auto_gratuity_ppm=180_000,
        discount_approval_ppm=200_000,
        # The demo takes cards on the simulated terminal, and says so on every screen.
        training_mode=True,
    )
    session.add(location)
    await session.flush()
    loc = location.id
    taxes = {
        "food": TaxRate(location_id=loc, name="Food 8.875%", rate_ppm=88_750),
        "alcohol": TaxRate(location_id=loc, name="Alcohol 10.375%", rate_ppm=103_750),
    }
    stations = {
        name: Station(location_id=loc, name=name.title())
        for name in ("grill", "cold", "pastry", "bar")
    }
    # Expo sees every station's tickets and passes the food; no category is routed to it.
    expo = Station(location_id=loc, name="Expo", is_expo=True)
    session.add_all([*taxes.values(), *stations.values(), expo])
    session.add_all(
        Course(location_id=loc, name=name, sort=i, fires_immediately=name == "drinks")
        for i, name in enumerate(("drinks", "starters", "mains", "desserts"))
    )
    groups: dict[str, ModifierGroup] = {}
    for name, (low, high, _) in MODIFIERS.items():
        groups[name] = ModifierGroup(location_id=loc, name=name, min_choices=low, max_choices=high)
    session.add_all(groups.values())
    await session.flush()
    for name, (_, _, options) in MODIFIERS.items():
        session.add_all(
            ModifierOption(group_id=groups[name].id, name=o, price_delta=d, sort=i)
            for i, (o, d) in enumerate(options)
        )
    for sort, (cat_name, course, color, routed, items) in enumerate(MENU):
        category = Category(location_id=loc, name=cat_name, sort=sort, course=course, color=color)
        session.add(category)
        await session.flush()
        for station in routed:
            session.add(CategoryStation(category_id=category.id, station_id=stations[station].id))
        for i, (item_name, price, tax, mods) in enumerate(items):
            item = MenuItem(
                category_id=category.id,
                name=item_name,
                price=price,
                tax_rate_id=taxes[tax].id,
                sort=i,
                kitchen_name=KITCHEN_NAMES.get(item_name, ""),
            )
            session.add(item)
            await session.flush()
            for j, group in enumerate(mods):
                session.add(ItemModifierGroup(item_id=item.id, group_id=groups[group].id, sort=j))
    for sort, (floor_name, tables) in enumerate(FLOORS.items()):
        floor = Floor(location_id=loc, name=floor_name, sort=sort)
        session.add(floor)
        await session.flush()
        session.add_all(
            DiningTable(
                floor_id=floor.id, name=n, shape=s, seats=seats, x=x, y=y, width=w, height=h
            )
            for n, s, seats, x, y, w, h in tables
        )
    await session.execute(
        insert(Staff),
        [{"location_id": loc, "name": n, "role": r, "pin_hash": hash_pin(p)} for n, r, p in STAFF],
    )
    session.add(
        Device(
            location_id=loc,
            name="Kitchen screen",
            kind="kds",
            token_hash=token_digest(KITCHEN_DEVICE_TOKEN),
        )
    )
    session.add(
        ApiKey(location_id=loc, name="Demo integrations", key_hash=token_digest(DEMO_API_KEY))
    )
    await add_demo_printers(session, loc, stations)
    session.add_all(
        Discount(location_id=loc, name=n, kind=k, value=v, scope=sc, needs_approval=a)
        for n, k, v, sc, a in DISCOUNTS
    )
    manager_id = await session.scalar(select(Staff.id).where(Staff.role == "manager").limit(1))
    assert manager_id is not None
    # The demo opens with the main drawer counted in, so cash can be taken at once.
    session.add(
        DrawerSession(location_id=loc, drawer="Main", opening_float=20_000, opened_by=manager_id)
    )


async def seed_demo_session(session: AsyncSession) -> bool:
    """Seed into an open session; False when a restaurant already exists."""
    if await session.scalar(select(Location.id).limit(1)) is not None:
        return False
    await _seed(session)
    await session.flush()
    location_id = await session.scalar(select(Location.id).limit(1))
    assert location_id is not None
    await seed_demo_books(session, location_id)
    await seed_demo_inventory(session, location_id)
    return True


async def seed_demo(url: str) -> list[tuple[str, str, str]]:
    """The demo's staff and PINs; none when the database already had a restaurant."""
    engine = make_engine(url, pool="null")
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            seeded = await seed_demo_session(session)
    finally:
        await engine.dispose()
    return STAFF if seeded else []
