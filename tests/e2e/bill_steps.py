"""Steps on the bill screens (split, discount, pay) shared by the bill-path browser tests."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.e2e.steps import Device, add_item, seat_table, send_check


def cents(text: str) -> int:
    """ "$15.45" -> 1545 (the screen's money, back to minor units)."""
    return int(re.sub(r"[^0-9]", "", text))


def total_of(scope: Locator) -> int:
    return cents(scope.locator("dd.total").inner_text())


def totals_row(scope: Locator, label: str) -> Locator:
    """The value (dd) beside a totals label (dt), e.g. "Discounts"."""
    dt = scope.locator("dt", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    return dt.locator("xpath=following-sibling::dd[1]")


def order_and_send(screen: Device, table: str, guests: int, items: list[tuple[str, str]]) -> str:
    """Seat the table, ring up ``(category, item)`` pairs and send them; the check's path."""
    check_path = seat_table(screen, table, guests)
    for category, item in items:
        add_item(screen.page, category, item)
    send_check(screen.page)
    return check_path


def open_split(page: Page, check_path: str) -> None:
    page.locator("#check a", has_text="Split").click()
    expect(page).to_have_url(re.compile(re.escape(check_path) + r"/split$"))


def parts(page: Page) -> Locator:
    return page.locator("section.part")


def part_with(page: Page, item: str) -> Locator:
    return parts(page).filter(has_text=item)


def open_pay(page: Page) -> None:
    """From the order screen, the big Pay button."""
    page.locator("#check a.pay").click()
    expect(page).to_have_url(re.compile(r"/checks/\d+/pay$"))
    expect(page.locator("#balance")).to_be_visible()


def set_terminal(page: Page, outcome: str) -> None:
    """The Simulated terminal panel: what the card charges will do ("Decline", ...).

    Waits for the pay screen to be redrawn by the answer: when the outcome does not change,
    the summary already reads right, and a field filled before the redraw lands is wiped."""
    page.locator("#pay").evaluate("el => { el.dataset.before = 'yes'; }")
    panel = page.locator("details.terminal-sim")
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    panel.get_by_label(outcome, exact=True).check()
    panel.get_by_role("button", name="Set", exact=True).click()
    expect(page.locator("details.terminal-sim summary")).to_contain_text(
        f"next charge will {outcome.lower()}"
    )
    expect(page.locator("#pay[data-before]")).to_have_count(0)


def charge_card(page: Page, amount: str | None = None) -> None:
    card = page.locator("section.tender.card")
    if amount is not None:
        card.get_by_label("Amount on card").fill(amount)
    card.get_by_role("button", name="Charge card").click()


def payment_rows(page: Page) -> Locator:
    return page.locator("#pay li.payment")


def dollars(minor: int) -> str:
    """1545 -> "$15.45": how the screen shows an amount worked out in the test."""
    return f"${minor // 100:,}.{minor % 100:02d}"


def open_line(page: Page, item: str) -> Locator:
    """Tap a line on the order screen's check: its sheet opens (discount, comp, ...)."""
    page.locator("#check .line").filter(has_text=item).click()
    sheet = page.locator("#modal .line-sheet")
    expect(sheet).to_be_visible()
    return sheet


def open_discounts(page: Page, item: str | None = None) -> Locator:
    """The Discount dialog: for the whole check, or for one line from its sheet."""
    if item is None:
        page.locator("#check").get_by_role("button", name="Discount").click()
    else:
        open_line(page, item).get_by_role("button", name="Discount").click()
    sheet = page.locator("#modal .discount-sheet")
    expect(sheet).to_be_visible()
    return sheet


def discount_form(sheet: Locator) -> Locator:
    """The dialog's form that puts a discount on."""
    return sheet.locator("form.approval").filter(
        has=sheet.page.get_by_role("button", name="Apply discount")
    )


def service_charge_form(sheet: Locator) -> Locator:
    """The dialog's form that sets the check's service charge."""
    return sheet.locator("form.approval").filter(
        has=sheet.page.get_by_role("button", name="Set service charge")
    )


def bill_amount(page: Page, label: str) -> Locator:
    """On the printed bill, the amount beside the row whose label is exactly ``label``."""
    name = re.compile(rf"^\s*{re.escape(label)}\s*$")
    first = page.locator("td:first-child", has_text=name)
    return page.locator("#bill tr").filter(has=first).locator("td.amt")


# --- payment paths and cash drawers (test_bill_payments_paths.py, test_bill_drawer.py) ---


def plain(minor: int) -> str:
    """1545 -> "15.45": an amount as it is typed into a field."""
    return f"{minor // 100}.{minor % 100:02d}"


def balance_due(page: Page) -> int:
    return cents(page.locator("#balance").inner_text())


def error_flash(page: Page) -> Locator:
    """The red message a refused command leaves in the screen's flash bar."""
    return page.locator("#flash .flash-error")


def terminal_will(page: Page, outcome: str, guest_tip: str | None = None) -> None:
    """Set what the Simulated terminal does next and wait for the screen to be redrawn.

    ``set_terminal`` alone returns as soon as the panel's summary reads right, which it
    already does when the outcome does not change: a field filled before the redraw lands
    would be wiped by it."""
    page.locator("#pay").evaluate("el => { el.dataset.before = 'yes'; }")
    if guest_tip is None:
        set_terminal(page, outcome)
    else:
        panel = page.locator("details.terminal-sim")
        if panel.get_attribute("open") is None:
            panel.locator("summary").click()
        panel.get_by_label(outcome, exact=True).check()
        panel.get_by_label("Tip the guest types on the terminal").fill(guest_tip)
        panel.get_by_role("button", name="Set", exact=True).click()
        expect(page.locator("details.terminal-sim summary")).to_contain_text(
            f"next charge will {outcome.lower()}, guest tips {dollars(cents(guest_tip))}"
        )
    expect(page.locator("#pay[data-before]")).to_have_count(0)


def take_cash(page: Page, tendered: str, *, tip: str | None = None) -> None:
    """Type what the guest handed over (and the tip they leave from it), tap Take cash."""
    cash = page.locator("section.tender.cash")
    if tip is not None:
        cash.locator("summary", has_text="Pay part of it").click()
        cash.get_by_label("Cash tip").fill(tip)
    cash.get_by_label("Cash tendered").fill(tendered)
    cash.get_by_role("button", name="Take cash").click()


def server_tips(page: Page, server: str) -> dict[str, int]:
    """The Tips page's row for one server (all zero when they have none yet)."""
    name = re.compile(rf"^\s*{re.escape(server)}\s*$")
    row = page.locator(".tips-table tbody tr").filter(has=page.locator("td", has_text=name))
    if row.count() == 0:
        return dict.fromkeys(("payments", "card", "cash", "refunded", "tips"), 0)
    cells = row.locator("td").all_inner_texts()
    return {
        "payments": int(cells[1]),
        "card": cents(cells[2]),
        "cash": cents(cells[3]),
        "refunded": cents(cells[4]),
        "tips": cents(cells[5]),
    }


def open_drawers(page: Page) -> Locator:
    """On the Drawers page, the card of each drawer that is open."""
    return page.locator("#drawers div.drawer-card[id^='drawer-']")


def drawer_card(page: Page, drawer: str) -> Locator:
    name = re.compile(rf"^\s*{re.escape(drawer)} drawer\s*$")
    return open_drawers(page).filter(has=page.locator("h3", has_text=name))


def drawer_figure(card: Locator, label: str) -> int:
    """A figure of an open drawer's count ("Float", "Cash in", "Expected in the drawer")."""
    dt = card.locator("dt", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    return cents(dt.locator("xpath=following-sibling::dd[1]").inner_text())


def open_drawer(page: Page, drawer: str, opening_float: str) -> Locator:
    """Count a float into a drawer on the Drawers page; returns the drawer's card."""
    form = page.locator("#drawers form[action='/drawers/open']")
    form.get_by_label("Drawer", exact=True).fill(drawer)
    form.get_by_label("Float counted in").fill(opening_float)
    form.get_by_role("button", name="Open drawer").click()
    expect(page.locator("#drawers .flash")).to_have_text(f"{drawer} drawer opened.")
    return drawer_card(page, drawer)


def move_cash(card: Locator, kind: str, amount: str, reason: str) -> None:
    """Cash in or Cash out of an open drawer, with its reason."""
    form = card.locator("form[action='/drawers/cash']")
    form.get_by_label("Amount").fill(amount)
    form.get_by_label("Reason").fill(reason)
    form.get_by_role("button", name=kind, exact=True).click()


def count_out(card: Locator, counted: str) -> None:
    form = card.locator("form[action='/drawers/close']")
    form.get_by_label("Cash counted").fill(counted)
    form.get_by_role("button", name="Count out and close").click()


def count_out_every_drawer(page: Page) -> list[tuple[str, str]]:
    """Count out each open drawer at exactly what it should hold; returns (name, float) of
    each, so the test can open them again as it found them."""
    found: list[tuple[str, str]] = []
    while open_drawers(page).count():
        card = open_drawers(page).first
        name = card.locator("h3").inner_text().removesuffix(" drawer").strip()
        found.append((name, plain(drawer_figure(card, "Float"))))
        expected = drawer_figure(card, "Expected in the drawer")
        count_out(card, plain(expected))
        amount = dollars(expected)
        expect(page.locator("#drawers .flash")).to_have_text(
            f"{name} drawer closed: expected {amount}, counted {amount}, even."
        )
    return found


def answered(page: Page, button: Locator) -> None:
    """Tap a button on the payment screen and wait until the server's answer has redrawn it
    (the answer may read just like the screen before it: "No answer from the terminal")."""
    page.locator("#pay").evaluate("el => { el.dataset.before = 'yes'; }")
    button.click()
    expect(page.locator("#pay")).to_have_count(1)
    expect(page.locator("#pay[data-before]")).to_have_count(0)


def seat_empty_patio_table(screen: Device, guests: int) -> str:
    """Seat the party at the first Patio table nobody sits at (free, or left for the busser:
    it counts as clean once seated), so a whole browser run shares the few tables there."""
    from tests.e2e.steps import wait_live

    page = screen.page
    screen.goto("/floor")
    page.locator(".floor-tabs a.tab", has_text=re.compile(r"^\s*Patio\s*$")).click()
    expect(page.locator(".floor-tabs a.tab.active")).to_have_text("Patio")
    empty = page.locator("#floor-plan a.table.state-free, #floor-plan a.table.state-bussing")
    expect(empty.first).to_be_visible()
    empty.first.click()
    page.locator(".guest-keys button", has_text=re.compile(rf"^\s*{guests}\s*$")).click()
    expect(page).to_have_url(re.compile(r"/checks/\d+$"))
    wait_live(page)
    return re.sub(r"^https?://[^/]+", "", page.url)


def order_at_empty_patio_table(screen: Device, guests: int, items: list[tuple[str, str]]) -> str:
    """Seat an empty Patio table, ring up ``(category, item)`` pairs and send them."""
    check_path = seat_empty_patio_table(screen, guests)
    for category, item in items:
        add_item(screen.page, category, item)
    send_check(screen.page)
    return check_path


# --- more splits and discounts (test_bill_splits_more.py, test_bill_discounts_more.py) ---


def pay_by_card(screen: Device, check_path: str, balance: str) -> None:
    """The party pays ``balance``, all of it, on a card: the check closes and the table waits
    for the busser (and can be seated again, by the next test too)."""
    page = screen.page
    screen.goto(check_path + "/pay")
    expect(page.locator("#balance")).to_have_text(balance)
    approve_next_charge(page)
    charge_card(page)
    expect(page.locator(".card-result")).to_contain_text("Card approved")
    expect(page.locator("#pay")).to_contain_text("is closed")


def approve_next_charge(page: Page) -> None:
    """Set the Simulated terminal to approve, and wait until its answer has redrawn the
    payment screen: the panel may say "approve" already, and a redraw landing after an
    amount is typed would put the card amount back to the whole balance."""
    page.locator("#pay").evaluate("el => { el.dataset.beforeSet = 'yes'; }")
    set_terminal(page, "Approve")
    expect(page.locator("#pay[data-before-set]")).to_have_count(0)
    expect(page.locator("#pay")).to_have_count(1)
