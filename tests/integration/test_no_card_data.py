"""PAY-3: no card number is stored or logged anywhere.

Luhn-valid card numbers are typed into every field of every command the app has, as a
server would type them by mistake; then every row of every table and every captured log
line is searched for anything that looks like a card number.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.models import Payment
from app.billing.terminal import SIMULATED_OUTCOMES, SimulatedTerminal
from app.core.card_numbers import has_card_number, luhn_valid, mask_card_numbers
from app.platform.card_guard import REFUSAL
from app.platform.settings import ROOT
from tests.conftest import api_token, sign_in
from tests.web.test_pay_routes import field, sent_check
from tests.web.test_security import SAFE, http_endpoints, service_in_progress

CARDS = ("4111111111111111", "5555555555554444", "4111 1111 1111 1111", "378282246310005")
#: Every field name the templates and the API use for something a person types.
TEXT_FIELDS = [
    "note",
    "notes",
    "allergies",
    "reason",
    "name",
    "tendered",
    "amount",
    "tip",
    "terminal_tip",
    "guests",
    "seats",
    "quantity",
    "float",
    "counted",
    "percent",
    "drawer",
    "day",
    "outcome",
    "payment",
    "pin",
    "staff_id",
    "item_id",
    "to",
    "into",
    "with",
]
#: A card-like number standing alone (not a piece of a hex digest or a base64 hash).
LOOKS_LIKE_CARD = re.compile(r"(?<![0-9A-Za-z])[0-9](?:[ -]?[0-9]){12,18}(?![0-9A-Za-z])")


def card_numbers_in(blob: str) -> list[str]:
    found = []
    for match in LOOKS_LIKE_CARD.finditer(blob):
        digits = re.sub(r"[ -]", "", match.group())
        if luhn_valid(digits):
            found.append(match.group())
    return found


async def dump(session: AsyncSession) -> str:
    """Every row of every table, as JSON text (what a pg_dump would hold)."""
    session.expire_all()
    tables = (
        await session.scalars(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        )
    ).all()
    rows = []
    for table in tables:
        rows += (await session.scalars(text(f'SELECT row_to_json(t)::text FROM "{table}" t'))).all()
    await session.rollback()
    return "\n".join(rows)


def test_the_scanner_finds_what_it_looks_for() -> None:
    """The positive control: the search below would see a card number if one were there."""
    assert card_numbers_in('{"note": "4111 1111 1111 1111"}') == ["4111 1111 1111 1111"]
    assert card_numbers_in('{"x": "5555555555554444"}') == ["5555555555554444"]
    assert card_numbers_in('{"h": "ab4111111111111111cd", "id": 4111111111111112}') == []
    assert has_card_number("card 4111-1111-1111-1111 exp 12/29")
    assert mask_card_numbers("4111111111111111 ok") == "****1111 ok"


def test_nothing_in_the_screens_asks_for_a_card_number() -> None:
    names = set()
    for page in Path(ROOT / "templates").rglob("*.html"):
        names |= set(re.findall(r'name="([^"]+)"', page.read_text()))
    assert not {n for n in names if asks_for_a_card(n)}


CARD_WORDS = {"pan", "cc", "ccnum", "cvv", "cvc", "cvv2", "exp", "expiry", "expires"}


def asks_for_a_card(field: str) -> bool:
    """A field named for card data: "card_number", "cc", "cvv", "expiry" (by its words, so
    "account_id" is not "cc" and "company" is not "pan")."""
    words = [w for w in re.split(r"[^a-z0-9]+", field.lower()) if w]
    return any(w in CARD_WORDS or w.startswith(("card", "expir")) for w in words)


def test_the_field_check_knows_card_fields_from_accounts() -> None:
    assert all(map(asks_for_a_card, ["card_number", "cc", "cvv", "expiry_month", "cardNo"]))
    assert not any(map(asks_for_a_card, ["account_id", "account", "company", "span", "accept"]))


async def test_simulated_terminal_gives_back_brand_last4_and_reference_only() -> None:
    terminal = SimulatedTerminal()
    for n, outcome in enumerate(SIMULATED_OUTCOMES):
        terminal.set_outcome(outcome, tip_on_terminal=100)
        result = await terminal.charge(1000, 0, True, f"ref-{n}")
        looked = await terminal.lookup(f"ref-{n}")
        for answer in (result, looked):
            if answer is None:
                continue
            assert answer.last4 is None or re.fullmatch(r"[0-9]{4}", answer.last4)
            for value in (answer.processor_ref, answer.brand, answer.message):
                assert not has_card_number(value or ""), value


async def test_card_numbers_typed_anywhere_are_refused_and_never_stored_or_logged(
    client: AsyncTestClient[Litestar],
    session: AsyncSession,
    app: Litestar,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    app.state.terminal = SimulatedTerminal()
    ids = await service_in_progress(client, session)
    csrf = await sign_in(client, "Olivia")  # the owner may use every route
    bearer = {"Authorization": f"Bearer {await api_token(client, 'Olivia')}"}
    # Real money moves too, so payment rows exist to be searched.
    check = await sent_check(client, session, csrf, table="6")
    page = (await client.get(f"{check}/pay")).text
    paid = await client.post(
        f"{check}/pay/card",
        data={"key": "k", "version": field(page, "version"), "amount": field(page, "amount")},
        headers={"HX-Request": "true", "X-CSRF-Token": csrf},
    )
    assert "Card approved" in paid.text
    commands = [e for e in http_endpoints(app) if e.method not in SAFE]
    assert {e.name for e in commands} >= {"add_line", "pay_cash", "charge_card", "refund"}

    swept = 0
    for endpoint in commands:
        for number in CARDS:
            values = {name: number for name in TEXT_FIELDS}
            if endpoint.under_api:
                answer = await client.request(
                    endpoint.method, endpoint.url(ids), json=values, headers=bearer
                )
            else:
                answer = await client.request(
                    endpoint.method,
                    endpoint.url(ids),
                    data={**values, "key": "k-" + number[-4:]},
                    headers={"HX-Request": "true", "X-CSRF-Token": csrf},
                )
            assert answer.status_code == 422, f"{endpoint} {number}: {answer.status_code}"
            assert "looks like a card number" in answer.text, str(endpoint)
            assert number not in answer.text  # not even echoed back
            swept += 1
    assert swept >= 4 * 40
    logging.getLogger("brigade.test").warning("guest read out %s", "5555555555554444")

    stored = card_numbers_in(await dump(session))
    logged = card_numbers_in("\n".join(r.getMessage() for r in caplog.records) + caplog.text)
    assert stored == [], f"card numbers in the database: {stored}"
    assert logged == [], f"card numbers in the logs: {logged}"
    assert "****4444" in caplog.text  # the masking is what kept the log line clean
    session.expire_all()
    assert (await session.scalar(select(Payment.card_last4))) is not None
    assert REFUSAL.startswith("That looks like a card number")
