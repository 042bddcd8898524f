"""Paying in a real browser when it does not go smoothly: a declined card, a terminal that
times out after approving (PAY-1), a tip written on the slip, a refund, and cash then card."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.bill_steps import (
    cents,
    charge_card,
    open_pay,
    order_and_send,
    payment_rows,
    set_terminal,
)
from tests.e2e.steps import PINS, TABLET, Device, sign_in

CARD = re.compile(r"^(Visa|Mastercard|Amex) ····\d{4}$")


@pytest.fixture
def terminal_reset() -> Iterator[list[Page]]:
    """The simulated terminal is the server's, shared by every test: leave it approving."""
    pages: list[Page] = []
    yield pages
    for page in pages:
        if page.locator("details.terminal-sim").count():
            set_terminal(page, "Approve")


def test_card_declined_then_another_card_approved(
    device: Callable[..., Device], terminal_reset: list[Page]
) -> None:
    maria = device(TABLET)
    sign_in(maria, "Maria")
    page = maria.page
    terminal_reset.append(page)
    order_and_send(maria, "1", 2, [("Drinks", "Old Fashioned"), ("Drinks", "Espresso")])
    open_pay(page)
    balance = page.locator("#balance").inner_text()

    set_terminal(page, "Decline")
    charge_card(page)
    result = page.locator(".card-result")
    expect(result).to_contain_text("Card declined")
    expect(result).to_contain_text("Ask for another card or another way to pay.")
    expect(page.locator("#balance")).to_have_text(balance)
    expect(payment_rows(page)).to_have_count(0)

    set_terminal(page, "Approve")
    expect(page.locator("section.tender.card").get_by_label("Amount on card")).to_have_value(
        balance.removeprefix("$")
    )
    charge_card(page)
    expect(page.locator(".card-result")).to_contain_text("Card approved")
    expect(page.locator("#pay")).to_contain_text("is closed")
    expect(payment_rows(page)).to_have_count(1)
    expect(payment_rows(page).locator(".payment-head span").first).to_have_text(balance)
    assert not maria.errors, maria.errors


def test_terminal_times_out_after_approving_and_retry_charges_once(
    device: Callable[..., Device], terminal_reset: list[Page]
) -> None:
    maria = device(TABLET)
    sign_in(maria, "Maria")
    page = maria.page
    terminal_reset.append(page)
    check_path = order_and_send(maria, "2", 2, [("Drinks", "Negroni"), ("Drinks", "Prosecco")])
    open_pay(page)
    balance = page.locator("#balance").inner_text()

    set_terminal(page, "Time out after approving")
    charge_card(page)
    expect(page.locator(".card-result")).to_contain_text("No answer from the terminal")
    waiting = page.locator(".card-waiting")
    expect(waiting).to_contain_text(f"Card charge of {balance} has no answer yet.")
    expect(page.locator("section.tender.card")).to_have_count(0)  # no second charge meanwhile
    expect(page.locator("#balance")).to_have_text(balance)

    waiting.get_by_role("button", name="Retry").click()
    expect(page.locator(".card-result")).to_contain_text("Card approved")
    expect(page.locator("#pay")).to_contain_text("is closed")
    rows = payment_rows(page)
    expect(rows).to_have_count(1)
    expect(rows.locator(".payment-head strong")).to_have_text(CARD)
    expect(rows.locator(".payment-head span").first).to_have_text(balance)

    # The printed bill agrees: one card payment for the whole check.
    maria.goto(check_path + "/bill")
    paid = page.locator("#bill tr", has_text=re.compile(r"(VISA|MASTERCARD|AMEX) \*{4}\d{4}"))
    expect(paid).to_have_count(1)
    expect(paid.locator("td.amt")).to_have_text(balance)
    maria.goto(check_path + "/pay")
    assert not maria.errors, maria.errors


def test_tip_from_the_slip_then_a_partial_refund_with_a_manager(
    device: Callable[..., Device], terminal_reset: list[Page]
) -> None:
    maria = device(TABLET)
    sign_in(maria, "Maria")
    page = maria.page
    terminal_reset.append(page)
    order_and_send(maria, "12", 2, [("Mains", "Fish & Chips"), ("Drinks", "Lager Draft")])
    open_pay(page)
    set_terminal(page, "Approve")
    paid = cents(page.locator("#balance").inner_text())
    charge_card(page)
    expect(page.locator("#pay")).to_contain_text("is closed")
    row = payment_rows(page)
    expect(row).to_have_count(1)
    expect(row.locator(".payment-head")).not_to_contain_text("tip")

    # The guest signed the slip with a $4.50 tip.
    row.get_by_label(re.compile(r"^Tip for payment \d+$")).fill("4.50")
    row.get_by_role("button", name="Save tip").click()
    expect(page.locator("#pay .flash")).to_contain_text("Tip saved.")
    expect(payment_rows(page).locator(".payment-head")).to_contain_text("tip $4.50")

    # The fish was sent back: $5.00 goes back to the card, with Mia's say-so.
    payment_rows(page).get_by_role("button", name="Refund…").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"Up to ${paid // 100}.{paid % 100:02d} of the payment")
    dialog.get_by_label("Amount", exact=True).fill("5.00")
    dialog.get_by_label("Fish & Chips").check()
    dialog.get_by_label("Reason").fill("fish sent back")
    dialog.get_by_label("Mia").check()
    dialog.get_by_label("Manager PIN").fill(PINS["Mia"])
    dialog.get_by_role("button", name="Refund", exact=True).click()
    expect(dialog).to_have_count(0)
    expect(page.locator("#pay .flash")).to_contain_text("Refund recorded.")
    expect(payment_rows(page).locator(".refunded")).to_have_text("refunded $5.00")
    expect(page.locator("#pay")).to_contain_text("is closed")  # the refund is the correction

    # What is left to refund went down by $5.00; more than that is refused, nothing changes.
    left = paid - 500
    payment_rows(page).get_by_role("button", name="Refund…").click()
    expect(dialog).to_contain_text(f"Up to ${left // 100}.{left % 100:02d} of the payment")
    dialog.get_by_label("Amount", exact=True).fill(f"{paid // 100}.{paid % 100:02d}")
    dialog.get_by_label("Reason").fill("charged twice")
    dialog.get_by_label("Mia").check()
    dialog.get_by_label("Manager PIN").fill(PINS["Mia"])
    dialog.get_by_role("button", name="Refund", exact=True).click()
    expect(dialog.locator("#modal-error")).to_contain_text(
        "That is more than is left to refund on this payment"
    )
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_have_count(0)
    expect(payment_rows(page).locator(".refunded")).to_have_text("refunded $5.00")
    assert not maria.errors, maria.errors


def test_part_in_cash_the_rest_on_a_card(
    device: Callable[..., Device], terminal_reset: list[Page]
) -> None:
    maria = device(TABLET)
    sign_in(maria, "Maria")
    page = maria.page
    terminal_reset.append(page)
    order_and_send(maria, "8", 2, [("Starters", "Charcuterie Board"), ("Drinks", "IPA Draft")])
    open_pay(page)
    set_terminal(page, "Approve")
    whole = cents(page.locator("#balance").inner_text())

    # $10.00 of it in cash, from a $20 note.
    cash = page.locator("section.tender.cash")
    cash.locator("summary", has_text="Pay part of it").click()
    cash.get_by_label("Amount on cash").fill("10.00")
    cash.get_by_label("Cash tendered").fill("20")
    cash.get_by_role("button", name="Take cash").click()
    expect(page.locator("#change-due")).to_have_text("$10.00")
    rest = whole - 1000
    expect(page.locator("#balance")).to_have_text(f"${rest // 100}.{rest % 100:02d}")
    expect(page.locator("#pay")).not_to_contain_text("is closed")

    # The rest on a card: the amount is already the balance.
    card = page.locator("section.tender.card")
    expect(card.get_by_label("Amount on card")).to_have_value(f"{rest // 100}.{rest % 100:02d}")
    charge_card(page)
    expect(page.locator(".card-result")).to_contain_text("Card approved")
    expect(page.locator("#pay")).to_contain_text("is closed")
    expect(page.locator("#change-due")).to_have_count(0)  # no change on a card, ever
    rows = payment_rows(page)
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("strong")).to_have_text("Cash")
    expect(rows.nth(0)).to_contain_text("change $10.00")
    expect(rows.nth(1).locator("strong")).to_have_text(CARD)
    expect(rows.nth(1)).not_to_contain_text("change")
    amounts = [
        cents(t) for t in rows.locator(".payment-head > span:nth-of-type(1)").all_inner_texts()
    ]
    assert amounts == [1000, rest], amounts
    assert not maria.errors, maria.errors


def test_refund_on_a_check_still_open_puts_it_back_on_the_balance(
    device: Callable[..., Device], terminal_reset: list[Page]
) -> None:
    maria = device(TABLET)
    sign_in(maria, "Maria")
    page = maria.page
    terminal_reset.append(page)
    order_and_send(maria, "Bar 1", 1, [("Drinks", "Espresso Martini"), ("Drinks", "Negroni")])
    open_pay(page)
    set_terminal(page, "Approve")
    whole = cents(page.locator("#balance").inner_text())

    charge_card(page, "20.00")
    expect(page.locator(".card-result")).to_contain_text("Card approved")
    owed = whole - 2000
    expect(page.locator("#balance")).to_have_text(f"${owed // 100}.{owed % 100:02d}")

    payment_rows(page).get_by_role("button", name="Refund…").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Amount", exact=True).fill("4.00")
    dialog.get_by_label("Reason").fill("charged the wrong amount")
    dialog.get_by_label("Mia").check()
    dialog.get_by_label("Manager PIN").fill(PINS["Mia"])
    dialog.get_by_role("button", name="Refund", exact=True).click()
    expect(dialog).to_have_count(0)
    expect(payment_rows(page).locator(".refunded")).to_have_text("refunded $4.00")
    owed += 400  # what went back to the card is owed again
    expect(page.locator("#balance")).to_have_text(f"${owed // 100}.{owed % 100:02d}")
    expect(page.locator("section.tender.card").get_by_label("Amount on card")).to_have_value(
        f"{owed // 100}.{owed % 100:02d}"
    )
    charge_card(page)
    expect(page.locator("#pay")).to_contain_text("is closed")
    assert not maria.errors, maria.errors
