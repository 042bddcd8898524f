"""How the location prices tax, in a real browser: menu prices that include tax (a European
restaurant), and tax rounded once per check instead of on every line.

The manager's switch is the location's row (``prices_include_tax``, ``tax_rounding``), read by
every check, split, bill and floor badge on each load; the test flips it in the live server's
database and puts it back as it found it, since every browser test shares that server. The
expected cents are worked out here from the demo menu's prices and New York's rates, with
exact fractions, not read back from the screen.
"""

from __future__ import annotations

import asyncio
import math
import os
import re
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from typing import Any, TypeVar

import asyncpg
import pytest
from playwright.sync_api import Page, expect

from app.demo import MENU
from printers.decode import text_lines
from tests import pg
from tests.e2e.bill_steps import (
    bill_amount,
    cents,
    dollars,
    open_pay,
    open_split,
    order_at_empty_patio_table,
    parts,
    take_cash,
    total_of,
    totals_row,
)
from tests.e2e.server import LiveServer
from tests.e2e.steps import TABLET, Device, sign_in, table_tile

T = TypeVar("T")

#: The demo's tax rates (app/demo.py): food 8.875 % and alcohol 10.375 %, New York City.
RATES = {"food": Fraction(8_875, 100_000), "alcohol": Fraction(10_375, 100_000)}
PRICE = {name: price for *_, items in MENU for name, price, _tax, _mods in items}
RATE = {name: RATES[tax] for *_, items in MENU for name, _price, tax, _mods in items}
CATEGORY = {name: category for category, *_, items in MENU for name, *_ in items}


def half_up(amount: Fraction) -> int:
    return math.floor(amount + Fraction(1, 2))


def tax_on_top(price: int, rate: Fraction) -> int:
    """US menu: the tax added to a price, rounded half up to the cent."""
    return half_up(price * rate)


def tax_inside(price: int, rate: Fraction) -> int:
    """European menu: the tax already in a price (the price less its net, rounded half up)."""
    return price - half_up(price / (1 + rate))


# --- the live server's location row ---------------------------------------------------------


def _off_loop(work: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a database call on its own event loop in a worker thread: Playwright's sync API
    holds this thread's loop, so ``asyncio.run`` would refuse to run here."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(work())).result()


def _fetch(url: str, sql: str, *args: object) -> list[asyncpg.Record]:
    async def work() -> list[asyncpg.Record]:
        conn = await asyncpg.connect(url)
        try:
            return list(await conn.fetch(sql, *args))
        finally:
            await conn.close()

    return _off_loop(work)


@cache
def live_database() -> str:
    """The live server's database: the one copy of the demo this pytest process made for it
    (``tests.pg.fresh_database`` names it ``brigade_test_<pid>_...``)."""
    server = pg.server_url()
    prefix = f"brigade_test_{os.getpid()}_"
    rows = _fetch(
        pg.raw(pg.with_database(server, "postgres")),
        "SELECT datname FROM pg_database WHERE starts_with(datname, $1)",
        prefix,
    )
    names = [row["datname"] for row in rows]
    assert len(names) == 1, f"expected the live server's one database, found {names}"
    return pg.raw(pg.with_database(server, names[0]))


@dataclass(frozen=True)
class TaxMode:
    prices_include_tax: bool
    tax_rounding: str  # "line" or "check"


class Bistro:
    """The demo restaurant's settings as its manager changes them, and its receipt printer."""

    def __init__(self, url: str) -> None:
        self.url = url

    def modes(self) -> dict[int, TaxMode]:
        rows = _fetch(self.url, "SELECT id, prices_include_tax, tax_rounding FROM location")
        return {r["id"]: TaxMode(r["prices_include_tax"], r["tax_rounding"]) for r in rows}

    def price_tax(self, mode: TaxMode, location_id: int | None = None) -> None:
        _fetch(
            self.url,
            "UPDATE location SET prices_include_tax = $1, tax_rounding = $2"
            " WHERE $3::int IS NULL OR id = $3::int",
            mode.prices_include_tax,
            mode.tax_rounding,
            location_id,
        )

    def last_print_job(self) -> int:
        return int(_fetch(self.url, "SELECT coalesce(max(id), 0) AS id FROM print_job")[0]["id"])

    def guest_checks_since(self, job_id: int) -> list[list[str]]:
        """The guest checks queued on the printer since ``job_id``, as the paper reads."""
        rows = _fetch(self.url, "SELECT payload FROM print_job WHERE id > $1 ORDER BY id", job_id)
        papers = [text_lines(bytes(row["payload"])) for row in rows]
        return [paper for paper in papers if "GUEST CHECK" in paper]


@pytest.fixture
def bistro(live_server: LiveServer) -> Iterator[Bistro]:
    """The location's tax settings, put back as they were found when the test ends."""
    bistro = Bistro(live_database())
    found = bistro.modes()
    try:
        yield bistro
    finally:
        for location_id, mode in found.items():
            bistro.price_tax(mode, location_id)
        assert bistro.modes() == found


# --- steps ----------------------------------------------------------------------------------


def table_of(page: Page) -> str:
    """The table's name from the order screen's header ("Table P3" -> "P3")."""
    head = page.locator("#check .check-head strong").inner_text()
    return head.removeprefix("Table ").strip()


def patio_badge(screen: Device, table: str) -> int:
    """What the floor plan shows the party at a Patio table owes ("$56.82", "$56.82 Held")."""
    page = screen.page
    screen.goto("/floor")
    page.locator(".floor-tabs a.tab", has_text=re.compile(r"^\s*Patio\s*$")).click()
    expect(page.locator(".floor-tabs a.tab.active")).to_have_text("Patio")
    return cents(table_tile(page, table).locator(".t-amount").inner_text())


def paper_has(paper: list[str], label: str, amount: int) -> bool:
    """A line of the printed paper reads ``label .... $amount``."""
    row = re.compile(rf"^\s*{re.escape(label)}\s+{re.escape(dollars(amount))}\s*$")
    return any(row.match(line) for line in paper)


def paper_row(paper: list[str], label: str) -> int:
    """Where on the paper the row starting with ``label`` is printed."""
    return next(i for i, line in enumerate(paper) if line.strip().startswith(label))


# --- the tests ------------------------------------------------------------------------------


def test_tax_included_prices_three_friends_split_evenly_and_pay_cash(
    device: Callable[..., Device], bistro: Bistro
) -> None:
    # The owner runs the bistro European-style: the menu's prices are what the guest pays.
    bistro.price_tax(TaxMode(prices_include_tax=True, tax_rounding="line"))
    order = ["Charcuterie Board", "Calamari", "Negroni", "Espresso"]
    whole = sum(PRICE[item] for item in order)
    food = sum(tax_inside(PRICE[i], RATE[i]) for i in order if RATE[i] == RATES["food"])
    drink = sum(tax_inside(PRICE[i], RATE[i]) for i in order if RATE[i] == RATES["alcohol"])
    # 22.00 + 13.00 + 3.50 of food carry 1.79 + 1.06 + 0.29 of tax; the 14.00 Negroni 1.32.
    assert (whole, food, drink) == (5250, 314, 132)

    maria = device(TABLET)
    sign_in(maria, "Maria")
    page = maria.page
    check_path = order_at_empty_patio_table(maria, 3, [(CATEGORY[i], i) for i in order])
    check = page.locator("#check")
    expect(totals_row(check, "Subtotal")).to_have_text(dollars(whole))
    expect(totals_row(check, "incl. Tax 8.875 %")).to_have_text(dollars(food))
    expect(totals_row(check, "incl. Tax 10.375 %")).to_have_text(dollars(drink))
    expect(totals_row(check, "Tax 8.875 %")).to_have_count(0)  # nothing added on top
    assert total_of(check) == whole
    expect(check.locator("a.pay")).to_have_text(f"Pay {dollars(whole)}")

    # The guests ask for the check: the paper says the same, the tax inside the total.
    maria.goto(check_path + "/bill")
    expect(bill_amount(page, "Subtotal")).to_have_text(dollars(whole))
    expect(page.locator("#bill-total")).to_have_text(dollars(whole))
    expect(bill_amount(page, "incl. tax 8.875%")).to_have_text(dollars(food))
    expect(bill_amount(page, "incl. tax 10.375%")).to_have_text(dollars(drink))
    expect(bill_amount(page, "Tax 8.875%")).to_have_count(0)
    # Tips are suggested on what the guests pay for food and drink, the tax taken out.
    before_tax = whole - food - drink
    expect(page.locator("#bill")).to_contain_text(
        f"Suggested tip, on {dollars(before_tax)} before tax:"
    )
    printed_before = bistro.last_print_job()
    page.get_by_role("button", name="Print check").click()
    expect(page.locator("#bill .flash")).to_have_text("The check was sent to the receipt printer.")
    expect(page.locator("#bill .presented")).to_have_text("Check presented")
    (paper,) = bistro.guest_checks_since(printed_before)
    assert paper_has(paper, "Subtotal", whole), paper
    assert paper_has(paper, "TOTAL", whole), paper
    assert paper_has(paper, "incl. tax 8.875%", food), paper
    assert paper_has(paper, "incl. tax 10.375%", drink), paper
    assert paper_row(paper, "TOTAL") < paper_row(paper, "incl. tax 8.875%"), paper
    assert f"Suggested tip (on {dollars(before_tax)} before tax)" in "\n".join(paper), paper

    # The payment screen asks for the menu prices, and nothing more.
    page.get_by_role("link", name="Take payment").click()
    expect(page).to_have_url(re.compile(r"/checks/\d+/pay$"))
    expect(totals_row(page.locator("#pay"), "Total")).to_have_text(dollars(whole))
    expect(page.locator("#balance")).to_have_text(dollars(whole))

    # Three friends pay a third each: the thirds add up to the check to the cent.
    maria.goto(check_path)
    open_split(page, check_path)
    stepper = page.locator("form.stepper")
    stepper.get_by_role("button", name="More parts").click()
    expect(stepper.get_by_label("Parts", exact=True)).to_have_value("3")
    stepper.get_by_role("button", name="Evenly").click()
    expect(page.locator("#split .notice")).to_contain_text("Split evenly 3 ways")
    expect(parts(page)).to_have_count(3)
    thirds = [total_of(part) for part in parts(page).all()]
    assert sum(thirds) == whole, thirds
    assert all(whole // 3 <= third <= -(-whole // 3) for third in thirds), thirds
    subtotals = [cents(totals_row(part, "Subtotal").inner_text()) for part in parts(page).all()]
    assert subtotals == thirds, (subtotals, thirds)  # the tax is in the price, not on top
    assert all(totals_row(part, "Tax").count() == 0 for part in parts(page).all())
    taxes = [cents(totals_row(part, "incl. tax").inner_text()) for part in parts(page).all()]
    assert sum(taxes) == food + drink, taxes

    # Each pays cash with a twenty; the last one closes the table's bill.
    for index, third in enumerate(thirds):
        part = parts(page).nth(index)
        expect(part.locator("a.pay")).to_have_text(f"Pay {dollars(third)}")
        part.locator("a.pay").click()
        expect(page.locator("#balance")).to_have_text(dollars(third))
        take_cash(page, "20")
        expect(page.locator("#change-due")).to_have_text(dollars(2000 - third))
        # Parts 1 and 2 are "paid" (the table still owes); the last one closes it all.
        expect(page.locator("#pay")).to_contain_text(
            "is closed" if index == 2 else f"(part {index + 1} of 3) is paid"
        )
        maria.goto(check_path + "/split")
    expect(parts(page).locator(".paid-banner")).to_have_text(["Paid"] * 3)
    maria.goto(check_path)
    expect(page.locator("#check .check-head")).to_contain_text("closed")
    assert not maria.errors, maria.errors


def test_manager_rounds_tax_once_per_check_and_the_open_check_drops_a_cent(
    device: Callable[..., Device], bistro: Bistro
) -> None:
    # The bistro as seeded: US prices, tax rounded on every line.
    bistro.price_tax(TaxMode(prices_include_tax=False, tax_rounding="line"))
    order = ["Oysters (6)", "Oysters (6)", "Negroni"]  # a dozen oysters, two plates
    food_items = [i for i in order if RATE[i] == RATES["food"]]
    food_rate, drink_rate = RATES["food"], RATES["alcohol"]
    subtotal = sum(PRICE[item] for item in order)
    # Per line: each 19.00 plate at 8.875 % is 1.68625 -> 1.69, twice.
    food_by_line = sum(tax_on_top(PRICE[i], food_rate) for i in food_items)
    # Per check: 38.00 x 8.875 % = 3.3725 -> 3.37, a cent less.
    food_by_check = tax_on_top(sum(PRICE[i] for i in food_items), food_rate)
    # One Negroni: 14.00 x 10.375 % = 1.4525 -> 1.45 either way.
    drink = tax_on_top(PRICE["Negroni"], drink_rate)
    assert (food_by_line, food_by_check, drink) == (338, 337, 145)
    by_line, by_check = subtotal + food_by_line + drink, subtotal + food_by_check + drink

    maria = device(TABLET)
    sign_in(maria, "Maria")
    page = maria.page
    check_path = order_at_empty_patio_table(maria, 2, [(CATEGORY[i], i) for i in order])
    table = table_of(page)
    check = page.locator("#check")
    expect(totals_row(check, "Tax 8.875 %")).to_have_text(dollars(food_by_line))
    expect(totals_row(check, "Tax 10.375 %")).to_have_text(dollars(drink))
    assert total_of(check) == by_line

    # Mia switches the location to round tax once per check, mid-service.
    bistro.price_tax(TaxMode(prices_include_tax=False, tax_rounding="check"))
    maria.goto(check_path)
    expect(totals_row(check, "Subtotal")).to_have_text(dollars(subtotal))
    expect(totals_row(check, "Tax 8.875 %")).to_have_text(dollars(food_by_check))
    expect(totals_row(check, "Tax 10.375 %")).to_have_text(dollars(drink))
    assert total_of(check) == by_check
    expect(check.locator("a.pay")).to_have_text(f"Pay {dollars(by_check)}")

    # The floor plan and the printed bill owe the same.
    assert patio_badge(maria, table) == by_check
    maria.goto(check_path + "/bill")
    expect(bill_amount(page, "Tax 8.875%")).to_have_text(dollars(food_by_check))
    expect(bill_amount(page, "Tax 10.375%")).to_have_text(dollars(drink))
    expect(page.locator("#bill-total")).to_have_text(dollars(by_check))

    # The couple pays cash with three twenties.
    maria.goto(check_path)
    open_pay(page)
    expect(page.locator("#balance")).to_have_text(dollars(by_check))
    take_cash(page, "60")
    expect(page.locator("#change-due")).to_have_text(dollars(6000 - by_check))
    expect(page.locator("#pay")).to_contain_text("is closed")
    assert not maria.errors, maria.errors
