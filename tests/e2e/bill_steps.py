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
    """The Simulated terminal panel: what the next card charge will do ("Decline", ...)."""
    panel = page.locator("details.terminal-sim")
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    panel.get_by_label(outcome, exact=True).check()
    panel.get_by_role("button", name="Set", exact=True).click()
    expect(page.locator("details.terminal-sim summary")).to_contain_text(
        f"next charge will {outcome.lower()}"
    )


def charge_card(page: Page, amount: str | None = None) -> None:
    card = page.locator("section.tender.card")
    if amount is not None:
        card.get_by_label("Amount on card").fill(amount)
    card.get_by_role("button", name="Charge card").click()


def payment_rows(page: Page) -> Locator:
    return page.locator("#pay li.payment")
