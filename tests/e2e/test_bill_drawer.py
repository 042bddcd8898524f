"""The cash drawer in a real browser: no cash without a drawer, and a manager's drawer from the
float to the count, with cash in, cash out and a cash sale, to the exact over or short."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.bill_steps import (
    balance_due,
    count_out,
    count_out_every_drawer,
    dollars,
    drawer_card,
    drawer_figure,
    error_flash,
    move_cash,
    open_drawer,
    open_pay,
    order_at_empty_patio_table,
    payment_rows,
    plain,
    take_cash,
)
from tests.e2e.steps import TABLET, Device, sign_in


@pytest.fixture
def drawers_as_found(device: Callable[..., Device]) -> Iterator[list[tuple[str, str]]]:
    """Every other browser test takes cash and needs an open drawer: each drawer a test counted
    out is opened again with its float when the test ends, whether it passed or not."""
    found: list[tuple[str, str]] = []
    yield found
    if not found:
        return
    mia = device(TABLET)
    sign_in(mia, "Mia")
    mia.goto("/drawers")
    for name, opening_float in found:
        if drawer_card(mia.page, name).count() == 0:
            open_drawer(mia.page, name, opening_float)


def drawers_screen(mia: Device) -> Page:
    """Mia taps Drawers in the top bar."""
    page = mia.page
    page.locator(".topbar nav a", has_text="Drawers").click()
    expect(page.locator("#drawers h2")).to_have_text("Cash drawers")
    return page


def test_cash_is_refused_while_no_drawer_is_open_and_taken_once_one_is(
    device: Callable[..., Device], drawers_as_found: list[tuple[str, str]]
) -> None:
    mia = device(TABLET)
    sign_in(mia, "Mia")
    drawers = drawers_screen(mia)
    drawers_as_found.extend(count_out_every_drawer(drawers))
    expect(drawers.locator("#drawers")).to_contain_text("No drawer is open")

    maria = device(TABLET)
    sign_in(maria, "Maria")
    page = maria.page
    order_at_empty_patio_table(maria, 2, [("Starters", "Soup of the Day"), ("Drinks", "Iced Tea")])
    open_pay(page)
    owed = balance_due(page)
    take_cash(page, "50")
    expect(error_flash(page)).to_contain_text(
        "No cash drawer is open. A manager opens one with its float first."
    )
    expect(page.locator("#balance")).to_have_text(dollars(owed))
    expect(payment_rows(page)).to_have_count(0)
    expect(page.locator("#change-due")).to_have_count(0)
    expect(page.locator("#pay")).not_to_contain_text("is closed")

    # Mia counts $200.00 into the Main drawer; Maria taps Take cash again.
    open_drawer(drawers, "Main", "200.00")
    page.locator("section.tender.cash").get_by_role("button", name="Take cash").click()
    expect(page.locator("#change-due")).to_have_text(dollars(5000 - owed))
    expect(page.locator("#pay")).to_contain_text("is closed")
    expect(payment_rows(page)).to_have_count(1)

    # The cash is in that drawer, once.
    drawers.reload()
    main = drawer_card(drawers, "Main")
    assert drawer_figure(main, "Cash payments") == owed
    expect(main.locator("dd.expected")).to_have_text(dollars(20000 + owed))
    assert not maria.errors, maria.errors
    assert not mia.errors, mia.errors


def test_manager_runs_a_drawer_from_float_to_count_and_sees_it_short_to_the_cent(
    device: Callable[..., Device], drawers_as_found: list[tuple[str, str]]
) -> None:
    mia = device(TABLET)
    sign_in(mia, "Mia")
    drawers = drawers_screen(mia)
    drawers_as_found.extend(count_out_every_drawer(drawers))
    flash = drawers.locator("#drawers .flash")

    main = open_drawer(drawers, "Main", "150.00")
    expect(main.locator("dd.expected")).to_have_text("$150.00")

    # A change run from the bank, and the ice man paid at the back door.
    move_cash(main, "Cash in", "50.00", "change run from the bank")
    expect(flash).to_have_text("Cash in: $50.00.")
    move_cash(main, "Cash out", "12.50", "ice delivery paid at the back door")
    expect(flash).to_have_text("Cash out: $12.50.")
    expect(main.locator("dd.expected")).to_have_text("$187.50")
    expect(main.locator("table tr")).to_have_count(2)
    expect(main.locator("table tr").nth(0)).to_contain_text("change run from the bank")
    expect(main.locator("table tr").nth(1)).to_contain_text("ice delivery paid at the back door")

    # More out than the drawer holds, or a minus sign: refused, nothing moves.
    move_cash(main, "Cash out", "187.51", "float for the bar")
    expect(error_flash(drawers)).to_contain_text("you cannot take out more cash than is in it")
    move_cash(main, "Cash in", "-5", "float for the bar")
    expect(error_flash(drawers)).to_contain_text("The amount cannot be negative.")
    drawers.reload()
    main = drawer_card(drawers, "Main")
    expect(main.locator("dd.expected")).to_have_text("$187.50")
    expect(main.locator("table tr")).to_have_count(2)

    # Maria's table pays $100 cash for the check and leaves her $5 of it.
    maria = device(TABLET)
    sign_in(maria, "Maria")
    page = maria.page
    order_at_empty_patio_table(maria, 2, [("Starters", "Calamari"), ("Drinks", "Old Fashioned")])
    open_pay(page)
    sale = balance_due(page)
    take_cash(page, "100", tip="5")
    expect(page.locator("#change-due")).to_have_text(dollars(10000 - 500 - sale))
    expect(page.locator(".change-due small")).to_contain_text("tip kept $5.00")
    expect(page.locator("#pay")).to_contain_text("is closed")

    # The drawer should hold float + the sale + cash in - cash out; the tip went to Maria.
    drawers.reload()
    main = drawer_card(drawers, "Main")
    expected = 15000 + sale + 5000 - 1250
    assert drawer_figure(main, "Float") == 15000
    assert drawer_figure(main, "Cash payments") == sale
    assert drawer_figure(main, "Cash in") == 5000
    assert drawer_figure(main, "Cash out") == 1250
    expect(main.locator("dd.expected")).to_have_text(dollars(expected))

    # Mia counts $2.75 less than that.
    counted = expected - 275
    count_out(main, plain(counted))
    expect(flash).to_have_text(
        f"Main drawer closed: expected {dollars(expected)}, counted {dollars(counted)}, "
        "$2.75 short."
    )
    expect(drawer_card(drawers, "Main")).to_have_count(0)
    last = drawers.locator(".drawer-card", has_text="Counted out").locator("tr").nth(1)
    expect(last.locator("td").nth(0)).to_have_text("Main")
    expect(last.locator("td").nth(3)).to_have_text(dollars(expected))
    expect(last.locator("td").nth(4)).to_have_text(dollars(counted))
    expect(last.locator("td.short")).to_have_text("$2.75 short")
    assert not maria.errors, maria.errors
    assert not mia.errors, mia.errors
