"""The demo restaurant's stock: where things are kept, what each dish is made of.

Every item on the demo menu has a recipe, and the priced extras and sides have theirs, in the
units a chef writes them (oz of steak, cl of gin, each for buns), converted by pint to each
ingredient's base unit. Temperatures change nothing and have none.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.inventory.models import Ingredient, OptionRecipe, RecipeLine, StockMove, StorageArea
from app.inventory.units import to_base
from app.menu.models import MenuItem, ModifierOption

#: storage area -> (ingredient, base unit)
STOCK = {
    "Walk-in": [
        ("Beef ribeye", "g"), ("Beef filet", "g"), ("Ground beef", "g"), ("Chicken", "g"),
        ("Salmon fillet", "g"), ("Pork chop", "g"), ("Lamb rack", "g"), ("Lobster", "each"),
        ("Cod", "g"), ("Tuna", "g"), ("Prawns", "g"), ("Squid", "g"), ("Oysters", "each"),
        ("Bacon", "g"), ("Cured meats", "g"), ("Burrata", "each"), ("Cheese", "g"),
        ("Blue cheese", "g"), ("Parmesan", "g"), ("Butter", "g"), ("Cream", "ml"), ("Eggs", "each"),
        ("Romaine", "g"), ("Beets", "g"), ("Greens", "g"), ("Avocado", "each"),
        ("Tomatoes", "g"), ("Onions", "g"), ("Mushrooms", "g"), ("Lemons", "each"),
        ("Mascarpone", "g"), ("Sorbet", "ml"), ("Ice cream", "ml"), ("Lager keg", "ml"),
        ("IPA keg", "ml"),
    ],
    "Dry store": [
        ("Potatoes", "g"), ("Arborio rice", "g"), ("Flour", "g"), ("Sugar", "g"),
        ("Gnocchi", "g"), ("Bread", "g"), ("Burger buns", "each"), ("Chocolate", "g"),
        ("Espresso beans", "g"), ("Truffle", "g"), ("Apples", "g"), ("Macaroni", "g"),
        ("Tea", "g"), ("Stock", "ml"), ("Olive oil", "ml"),
    ],
    "Bar": [
        ("House red", "ml"), ("House white", "ml"), ("Prosecco", "ml"), ("Gin", "ml"),
        ("Campari", "ml"), ("Vermouth", "ml"), ("Bourbon", "ml"), ("Tequila", "ml"),
        ("Triple sec", "ml"), ("Vodka", "ml"), ("Coffee liqueur", "ml"),
        ("Sparkling water", "each"), ("Milk", "ml"),
    ],
}  # fmt: skip

R = dict[str, list[tuple[str, str]]]
RECIPES: R = {
    "Burrata": [("Burrata", "1 each"), ("Tomatoes", "120 g"), ("Olive oil", "15 ml")],
    "Caesar Salad": [("Romaine", "150 g"), ("Parmesan", "20 g"), ("Eggs", "1 each"),
                     ("Bread", "30 g")],
    "Tuna Tartare": [("Tuna", "4 oz"), ("Avocado", "0.5 each"), ("Lemons", "0.25 each")],
    "Soup of the Day": [("Stock", "300 ml"), ("Onions", "60 g"), ("Cream", "30 ml")],
    "Oysters (6)": [("Oysters", "6 each"), ("Lemons", "0.5 each")],
    "Beet Salad": [("Beets", "150 g"), ("Greens", "40 g"), ("Cheese", "30 g")],
    "Charcuterie Board": [("Cured meats", "120 g"), ("Cheese", "60 g"), ("Bread", "80 g")],
    "Garlic Bread": [("Bread", "120 g"), ("Butter", "25 g")],
    "Calamari": [("Squid", "180 g"), ("Flour", "40 g"), ("Lemons", "0.25 each")],
    "Prawn Cocktail": [("Prawns", "150 g"), ("Romaine", "40 g"), ("Lemons", "0.25 each")],
    "Ribeye 12oz": [("Beef ribeye", "12 oz"), ("Butter", "20 g")],
    "Filet Mignon": [("Beef filet", "8 oz"), ("Butter", "20 g")],
    "Brigade Burger": [("Ground beef", "180 g"), ("Burger buns", "1 each"), ("Cheese", "30 g"),
                       ("Onions", "30 g"), ("Tomatoes", "40 g"), ("Potatoes", "200 g")],
    "Roast Chicken": [("Chicken", "400 g"), ("Butter", "20 g")],
    "Salmon": [("Salmon fillet", "200 g"), ("Lemons", "0.25 each")],
    "Pork Chop": [("Pork chop", "300 g")],
    "Mushroom Risotto": [("Arborio rice", "100 g"), ("Mushrooms", "120 g"), ("Stock", "350 ml"),
                         ("Parmesan", "25 g"), ("Butter", "20 g")],
    "Lamb Rack": [("Lamb rack", "350 g")],
    "Fish & Chips": [("Cod", "200 g"), ("Flour", "60 g"), ("Potatoes", "250 g")],
    "Steak Frites": [("Beef ribeye", "8 oz"), ("Potatoes", "250 g")],
    "Gnocchi": [("Gnocchi", "220 g"), ("Tomatoes", "100 g"), ("Parmesan", "20 g")],
    "Half Lobster": [("Lobster", "0.5 each"), ("Butter", "40 g"), ("Lemons", "0.25 each")],
    "Crème Brûlée": [("Cream", "150 ml"), ("Eggs", "2 each"), ("Sugar", "30 g")],
    "Chocolate Fondant": [("Chocolate", "60 g"), ("Butter", "40 g"), ("Eggs", "1 each"),
                          ("Ice cream", "60 ml")],
    "Tiramisu": [("Mascarpone", "100 g"), ("Espresso beans", "7 g"), ("Sugar", "20 g")],
    "Cheesecake": [("Cheese", "120 g"), ("Sugar", "30 g"), ("Flour", "30 g")],
    "Sorbet Trio": [("Sorbet", "180 ml")],
    "Apple Tart": [("Apples", "150 g"), ("Flour", "60 g"), ("Butter", "40 g")],
    "Affogato": [("Ice cream", "90 ml"), ("Espresso beans", "7 g")],
    "Cheese Plate": [("Cheese", "120 g"), ("Bread", "60 g")],
    "House Red (glass)": [("House red", "175 ml")],
    "House White (glass)": [("House white", "175 ml")],
    "Prosecco": [("Prosecco", "125 ml")],
    "IPA Draft": [("IPA keg", "1 pint")],
    "Lager Draft": [("Lager keg", "1 pint")],
    "Negroni": [("Gin", "3 cl"), ("Campari", "3 cl"), ("Vermouth", "3 cl")],
    "Old Fashioned": [("Bourbon", "2 floz"), ("Sugar", "5 g")],
    "Margarita": [("Tequila", "5 cl"), ("Triple sec", "2 cl"), ("Lemons", "0.5 each")],
    "Espresso Martini": [("Vodka", "5 cl"), ("Coffee liqueur", "2 cl"), ("Espresso beans", "7 g")],
    "Sparkling Water": [("Sparkling water", "1 each")],
    "Lemonade": [("Lemons", "1 each"), ("Sugar", "20 g")],
    "Espresso": [("Espresso beans", "7 g")],
    "Cappuccino": [("Espresso beans", "7 g"), ("Milk", "150 ml")],
    "Iced Tea": [("Tea", "3 g"), ("Lemons", "0.25 each"), ("Sugar", "10 g")],
}  # fmt: skip
OPTIONS: R = {
    "Fries": [("Potatoes", "200 g")],
    "Mash": [("Potatoes", "200 g"), ("Butter", "20 g"), ("Cream", "20 ml")],
    "Greens": [("Greens", "80 g")],
    "Onion rings": [("Onions", "120 g"), ("Flour", "40 g")],
    "Mac & cheese": [("Macaroni", "80 g"), ("Cheese", "50 g")],
    "Add bacon": [("Bacon", "40 g")],
    "Add avocado": [("Avocado", "0.5 each")],
    "Add blue cheese": [("Blue cheese", "30 g")],
    "Add truffle": [("Truffle", "3 g")],
}
#: What the opening count found (the rest: 5 kg, 10 l or 48 of each).
OPENING = {"Lobster": "8", "Burrata": "14", "Oysters": "96", "Avocado": "18", "Truffle": "60",
           "Beef filet": "4000", "Lamb rack": "5600", "Sparkling water": "60", "Eggs": "120",
           "Lemons": "60", "Burger buns": "40"}  # fmt: skip
DEFAULT_OPENING = {"g": "5000", "ml": "10000", "each": "48"}


def _amount(spec: str, base_unit: str) -> Decimal:
    number, unit = spec.split(" ", 1)
    return to_base(Decimal(number), unit, base_unit)


async def seed_demo_inventory(session: AsyncSession, loc: int) -> None:
    units: dict[str, tuple[int, str]] = {}
    for area, ingredients in STOCK.items():
        area_id = await session.scalar(
            insert(StorageArea).values(location_id=loc, name=area).returning(StorageArea.id)
        )
        for name, base in ingredients:
            found = await session.scalar(
                insert(Ingredient)
                .values(location_id=loc, name=name, base_unit=base, storage_area_id=area_id)
                .returning(Ingredient.id)
            )
            assert found is not None
            units[name] = (found, base)
    # This morning's count, so on hand means something on a first look.
    await session.execute(
        insert(StockMove),
        [
            {"location_id": loc, "ingredient_id": ingredient_id, "kind": "count",
             "quantity": Decimal(OPENING.get(name, DEFAULT_OPENING[base])),
             "source": "count:opening", "reason": "Opening count"}
            for name, (ingredient_id, base) in units.items()
        ],
    )  # fmt: skip
    items = {n: i for n, i in (await session.execute(select(MenuItem.name, MenuItem.id))).all()}
    options = {
        n: i
        for n, i in (await session.execute(select(ModifierOption.name, ModifierOption.id))).all()
    }
    for item, lines in RECIPES.items():
        await session.execute(
            insert(RecipeLine),
            [
                {"item_id": items[item], "ingredient_id": units[ing][0],
                 "quantity": _amount(spec, units[ing][1])}
                for ing, spec in lines
            ],
        )  # fmt: skip
    for option, lines in OPTIONS.items():
        await session.execute(
            insert(OptionRecipe),
            [
                {"option_id": options[option], "ingredient_id": units[ing][0],
                 "quantity": _amount(spec, units[ing][1])}
                for ing, spec in lines
            ],
        )  # fmt: skip
