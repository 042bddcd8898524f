"""The card terminal and the cash tray on a busy night, in a real browser: a terminal that never
answers, a charge cancelled on the terminal or from the tablet, a tip typed on the terminal,
cash that is more or less than the check, and what a tablet refuses (and leaves untouched)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.bill_steps import (
    answered,
    balance_due,
    charge_card,
    dollars,
    error_flash,
    open_pay,
    order_at_empty_patio_table,
    payment_rows,
    plain,
    server_tips,
    take_cash,
    terminal_will,
    totals_row,
)
from tests.e2e.steps import PINS, TABLET, Device, sign_in

CARD = re.compile(r"^(Visa|Mastercard|Amex) ····\d{4}$")
SLIP_TIP = re.compile(r"^Tip for payment \d+$")


@pytest.fixture
def terminal_left_approving(
    device: Callable[..., Device],
) -> Iterator[Callable[[Page], None]]:
    """The simulated terminal is the server's, shared by every test: whatever a test told it,
    it approves again, with no guest tip, when the test ends (from the pay screen it used)."""
    screens: list[tuple[Page, str]] = []
    yield lambda page: screens.append((page, page.url))
    for page, pay_url in screens[:1]:
        if not page.locator("details.terminal-sim").count():
            page.goto(pay_url)
        terminal_will(page, "Approve")
        expect(page.locator("details.terminal-sim summary")).not_to_contain_text("guest tips")


def test_terminal_never_answers_nothing_is_taken_and_retry_charges_once(
    device: Callable[..., Device], terminal_left_approving: Callable[[Page], None]
) -> None:
    maria = device(TABLET)
    sign_in(maria, "Maria")
    page = maria.page
    order_at_empty_patio_table(maria, 2, [("Drinks", "Margarita"), ("Starters", "Calamari")])
    open_pay(page)
    terminal_left_approving(page)
    owed = balance_due(page)

    # The terminal lost its connection: the charge never reached the card.
    terminal_will(page, "Time out (never reached the card)")
    charge_card(page)
    result = page.locator(".card-result")
    expect(result.locator("strong")).to_have_text("No answer from the terminal")
    expect(result).to_contain_text("The card may or may not have been charged. Tap Retry")
    waiting = page.locator(".card-waiting")
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text(f"Card charge of {dollars(owed)} has no answer yet.")
    expect(page.locator("#balance")).to_have_text(dollars(owed))
    expect(payment_rows(page)).to_have_count(0)
    expect(page.locator("section.tender")).to_have_count(0)  # no cash, no second card meanwhile
    attempt = waiting.locator("input[name='key']").get_attribute("value")

    # Retry while the terminal is still down: the same charge, still no answer, nothing taken.
    answered(page, waiting.get_by_role("button", name="Retry"))
    expect(result.locator("strong")).to_have_text("No answer from the terminal")
    expect(waiting).to_have_count(1)
    expect(waiting.locator("input[name='key']")).to_have_value(attempt or "")
    expect(page.locator("#balance")).to_have_text(dollars(owed))
    expect(payment_rows(page)).to_have_count(0)

    # The terminal is back: Retry sends the same charge once more, and it goes through once.
    terminal_will(page, "Approve")
    expect(waiting.locator("input[name='key']")).to_have_value(attempt or "")
    waiting.get_by_role("button", name="Retry").click()
    expect(result.locator("strong")).to_have_text("Card approved")
    expect(result).to_contain_text(dollars(owed))
    expect(page.locator("#pay")).to_contain_text("is closed")
    expect(page.locator(".card-waiting")).to_have_count(0)
    rows = payment_rows(page)
    expect(rows).to_have_count(1)
    expect(rows.locator(".payment-head strong")).to_have_text(CARD)
    expect(rows.locator(".payment-head > span")).to_have_text([dollars(owed)])
    assert not maria.errors, maria.errors


def test_guest_cancels_on_the_terminal_nothing_is_charged_and_the_check_stays_open(
    device: Callable[..., Device], terminal_left_approving: Callable[[Page], None]
) -> None:
    maria = device(TABLET)
    sign_in(maria, "Maria")
    page = maria.page
    order_at_empty_patio_table(maria, 2, [("Mains", "Fish & Chips"), ("Drinks", "Lemonade")])
    open_pay(page)
    terminal_left_approving(page)
    owed = balance_due(page)

    terminal_will(page, "Guest cancels")
    charge_card(page)
    result = page.locator(".card-result")
    expect(result.locator("strong")).to_have_text("Card charge cancelled")
    expect(result).to_contain_text("Nothing was charged.")
    expect(page.locator("#balance")).to_have_text(dollars(owed))
    expect(payment_rows(page)).to_have_count(0)
    expect(page.locator(".card-waiting")).to_have_count(0)  # nothing left hanging to retry
    expect(page.locator("#pay")).not_to_contain_text("is closed")
    card = page.locator("section.tender.card")
    expect(card.get_by_label("Amount on card")).to_have_value(plain(owed))

    # Reloaded, the check is as it was: open, owing the same, no payment.
    page.reload()
    expect(page.locator("#balance")).to_have_text(dollars(owed))
    expect(payment_rows(page)).to_have_count(0)
    expect(page.locator(".card-result")).to_have_count(0)

    # The guest pays cash instead, the exact amount.
    page.locator("section.tender.cash").get_by_role("button", name=f"Exact {dollars(owed)}").click()
    expect(page.locator("#change-due")).to_have_text("$0.00")
    expect(page.locator("#pay")).to_contain_text("is closed")
    expect(payment_rows(page).locator(".payment-head strong")).to_have_text(["Cash"])
    assert not maria.errors, maria.errors


def test_server_cancels_a_charge_the_terminal_never_answered_then_another_card_pays(
    device: Callable[..., Device], terminal_left_approving: Callable[[Page], None]
) -> None:
    maria = device(TABLET)
    sign_in(maria, "Maria")
    page = maria.page
    order_at_empty_patio_table(maria, 2, [("Starters", "Garlic Bread"), ("Drinks", "IPA Draft")])
    open_pay(page)
    terminal_left_approving(page)
    owed = balance_due(page)

    terminal_will(page, "Time out (never reached the card)")
    charge_card(page)
    waiting = page.locator(".card-waiting")
    expect(waiting).to_contain_text(f"Card charge of {dollars(owed)} has no answer yet.")

    # The guest would rather use another card: Maria cancels the hung charge from the tablet.
    waiting.get_by_role("button", name="Cancel it").click()
    result = page.locator(".card-result")
    expect(result.locator("strong")).to_have_text("Card charge cancelled")
    expect(result).to_contain_text("Nothing was charged.")
    expect(page.locator(".card-waiting")).to_have_count(0)
    expect(page.locator("#balance")).to_have_text(dollars(owed))
    expect(payment_rows(page)).to_have_count(0)
    expect(page.locator("#pay")).not_to_contain_text("is closed")

    terminal_will(page, "Approve")
    charge_card(page)
    expect(result.locator("strong")).to_have_text("Card approved")
    expect(page.locator("#pay")).to_contain_text("is closed")
    rows = payment_rows(page)
    expect(rows).to_have_count(1)
    expect(rows.locator(".payment-head > span")).to_have_text([dollars(owed)])
    assert not maria.errors, maria.errors


def test_guest_adds_a_tip_on_the_terminal_and_it_lands_in_marias_tips(
    device: Callable[..., Device], terminal_left_approving: Callable[[Page], None]
) -> None:
    maria = device(TABLET)
    sign_in(maria, "Maria")
    page = maria.page
    maria.goto("/tips")
    before = server_tips(page, "Maria")

    order_at_empty_patio_table(maria, 2, [("Starters", "Oysters (6)"), ("Drinks", "Lager Draft")])
    open_pay(page)
    terminal_left_approving(page)
    owed = balance_due(page)

    # Maria hands over the terminal; the guest taps in a $6.00 tip.
    terminal_will(page, "Approve", guest_tip="6.00")
    card = page.locator("section.tender.card")
    card.get_by_label("Let the guest add a tip on the terminal").check()
    card.get_by_role("button", name="Charge card").click()
    result = page.locator(".card-result")
    expect(result.locator("strong")).to_have_text("Card approved")
    expect(result).to_contain_text(f"{dollars(owed)} + tip $6.00")
    expect(page.locator("#pay")).to_contain_text("is closed")
    # A tip is the server's, never change for the guest.
    expect(page.locator("#change-due")).to_have_count(0)
    expect(page.locator("#pay")).not_to_contain_text("Change due")
    row = payment_rows(page)
    expect(row).to_have_count(1)
    expect(row.locator(".payment-head > span")).to_have_text([dollars(owed), "tip $6.00"])
    expect(row).not_to_contain_text("change")
    expect(row.get_by_label(SLIP_TIP)).to_have_value("6.00")

    maria.goto("/tips")
    after = server_tips(page, "Maria")
    assert after == {
        "payments": before["payments"] + 1,
        "card": before["card"] + 600,
        "cash": before["cash"],
        "refunded": before["refunded"],
        "tips": before["tips"] + 600,
    }, (before, after)
    assert not maria.errors, maria.errors


def test_one_guest_hands_over_too_little_the_other_too_much(
    device: Callable[..., Device], terminal_left_approving: Callable[[Page], None]
) -> None:
    maria = device(TABLET)
    sign_in(maria, "Maria")
    page = maria.page
    order_at_empty_patio_table(maria, 2, [("Starters", "Burrata"), ("Drinks", "Negroni")])
    open_pay(page)
    terminal_left_approving(page)
    owed = balance_due(page)
    rest = owed - 2000
    assert 0 < rest < 5000, owed  # the story needs a $20 note short and a $50 note over

    # The first guest puts down a $20 note for their half: no change, the rest stays owed.
    take_cash(page, "20")
    expect(page.locator("#change-due")).to_have_count(0)  # a part payment, not "change $0.00"
    expect(page.locator("#part-paid")).to_have_text(f"Paid $20.00 — {dollars(rest)} still due")
    expect(page.locator("#balance")).to_have_text(dollars(rest))
    expect(totals_row(page.locator("#pay dl.totals"), "Paid")).to_have_text("$20.00")
    expect(page.locator("#pay")).not_to_contain_text("is closed")

    # The second pays the rest with a $50 note (the quick key): the exact change, and done.
    page.locator("section.tender.cash").get_by_role("button", name="$50.00", exact=True).click()
    expect(page.locator("#change-due")).to_have_text(dollars(5000 - rest))
    expect(page.locator(".change-due small")).to_contain_text(f"applied {dollars(rest)}")
    expect(page.locator("#pay")).to_contain_text("is closed")
    rows = payment_rows(page)
    expect(rows.locator(".payment-head strong")).to_have_text(["Cash", "Cash"])
    expect(rows.nth(0).locator(".payment-head > span")).to_have_text(["$20.00"])
    expect(rows.nth(1).locator(".payment-head > span")).to_have_text(
        [dollars(rest), f"change {dollars(5000 - rest)}"]
    )
    assert not maria.errors, maria.errors


def test_a_negative_tip_is_refused_on_the_card_and_on_the_slip(
    device: Callable[..., Device], terminal_left_approving: Callable[[Page], None]
) -> None:
    maria = device(TABLET)
    sign_in(maria, "Maria")
    page = maria.page
    order_at_empty_patio_table(maria, 2, [("Desserts", "Tiramisu"), ("Drinks", "Cappuccino")])
    open_pay(page)
    terminal_left_approving(page)
    terminal_will(page, "Approve")
    owed = balance_due(page)

    card = page.locator("section.tender.card")
    card.get_by_label("Card tip").fill("-2.00")
    card.get_by_role("button", name="Charge card").click()
    expect(error_flash(page)).to_contain_text("“-2.00” is not an amount: Tip cannot be negative.")
    expect(page.locator("#balance")).to_have_text(dollars(owed))
    expect(payment_rows(page)).to_have_count(0)
    expect(page.locator(".card-result")).to_have_count(0)
    expect(page.locator(".card-waiting")).to_have_count(0)

    card.get_by_label("Card tip").fill("2.00")
    card.get_by_role("button", name="Charge card").click()
    expect(page.locator(".card-result")).to_contain_text(f"{dollars(owed)} + tip $2.00")
    expect(page.locator("#pay")).to_contain_text("is closed")
    expect(error_flash(page)).to_have_count(0)

    # On the slip, a minus sign is refused too; the tip stays $2.00.
    row = payment_rows(page)
    row.get_by_label(SLIP_TIP).fill("-1")
    row.get_by_role("button", name="Save tip").click()
    expect(error_flash(page)).to_contain_text("“-1” is not an amount: Tip cannot be negative.")
    expect(row.locator(".payment-head")).to_contain_text("tip $2.00")
    page.reload()
    expect(payment_rows(page).get_by_label(SLIP_TIP)).to_have_value("2.00")
    expect(payment_rows(page).locator(".payment-head > span")).to_have_text(
        [dollars(owed), "tip $2.00"]
    )
    assert not maria.errors, maria.errors


def test_refund_refused_for_a_wrong_pin_and_too_much_then_mia_approves_the_right_one(
    device: Callable[..., Device], terminal_left_approving: Callable[[Page], None]
) -> None:
    maria = device(TABLET)
    sign_in(maria, "Maria")
    page = maria.page
    order_at_empty_patio_table(maria, 2, [("Starters", "Prawn Cocktail"), ("Drinks", "Prosecco")])
    open_pay(page)
    terminal_left_approving(page)
    terminal_will(page, "Approve")
    paid = balance_due(page)
    page.locator("section.tender.card").get_by_label("Card tip").fill("4.00")
    charge_card(page)
    expect(page.locator("#pay")).to_contain_text("is closed")

    payment_rows(page).get_by_role("button", name="Refund…").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"Up to {dollars(paid)} of the payment and $4.00 of its tip")
    error = dialog.locator("#modal-error")
    dialog.get_by_label("Reason").fill("prawns not fresh")
    dialog.get_by_label("Mia").check()

    # Mia mistypes her PIN.
    dialog.get_by_label("Amount", exact=True).fill("5.00")
    dialog.get_by_label("Manager PIN").fill("1234")
    dialog.get_by_role("button", name="Refund", exact=True).click()
    expect(error).to_contain_text(re.compile(r"Wrong PIN\. \d more tr(y|ies) before a wait\."))

    # A cent more than the card took.
    dialog.get_by_label("Amount", exact=True).fill(plain(paid + 1))
    dialog.get_by_label("Manager PIN").fill(PINS["Mia"])
    dialog.get_by_role("button", name="Refund", exact=True).click()
    expect(error).to_contain_text("That is more than is left to refund on this payment")

    # More of the tip than the guest left.
    dialog.get_by_label("Amount", exact=True).fill("5.00")
    dialog.get_by_label("Of the tip").fill("4.01")
    dialog.get_by_role("button", name="Refund", exact=True).click()
    expect(error).to_contain_text("That is more tip than is left to refund on this payment.")

    # None of that gave anything back.
    expect(payment_rows(page).locator(".refunded")).to_have_count(0)
    expect(dialog).to_contain_text(f"Up to {dollars(paid)} of the payment and $4.00 of its tip")

    # The right refund: $5.00 and $1.00 of the tip.
    dialog.get_by_label("Of the tip").fill("1.00")
    dialog.get_by_role("button", name="Refund", exact=True).click()
    expect(dialog).to_have_count(0)
    expect(page.locator("#pay .flash")).to_contain_text("Refund recorded.")
    expect(payment_rows(page).locator(".refunded")).to_have_text("refunded $5.00 + tip $1.00")
    expect(page.locator("#pay")).to_contain_text("is closed")
    assert not maria.errors, maria.errors
