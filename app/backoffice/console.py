"""``brigade init``: open a real restaurant from the server's console.

Asks for what it is not given on the command line, and for the owner's PIN twice without
showing it (``--pin-stdin`` reads it from standard input, for scripts). Same rules and same
refusals as the first-run screen."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from typing import Any

from app.backoffice.first_run import SUGGESTED, Opening, open_restaurant, read_opening
from app.core.errors import BrigadeError
from app.platform.db import make_engine, make_sessionmaker

COMMANDS = ("init",)
#: Flag, question, default (None: must be answered).
_QUESTIONS = (
    ("name", "Restaurant name", None),
    ("currency", "Currency (ISO code)", SUGGESTED["currency"]),
    ("locale", "Locale", SUGGESTED["locale"]),
    ("timezone", "Time zone", SUGGESTED["timezone"]),
    ("day_starts", "Hour the business day starts (0-23)", SUGGESTED["day_starts"]),
    ("tax", "House tax rate in percent", SUGGESTED["tax"]),
    ("owner", "Owner's name", None),
)


def add_commands(sub: Any) -> None:
    init = sub.add_parser("init", help="open a new restaurant: location, owner and owner's PIN")
    init.add_argument("--name", help='the restaurant, as guests know it: "Chez Lou"')
    init.add_argument("--currency", help="ISO 4217 code: USD, EUR, GBP, JPY ...")
    init.add_argument("--locale", help="how money and dates are written: en_US, fr_FR ...")
    init.add_argument("--timezone", help="America/New_York, Europe/Paris ...")
    init.add_argument("--day-starts", help="hour the business day turns over (default 4)")
    init.add_argument("--tax", help="house tax rate in percent, e.g. 8.875 (default 0)")
    init.add_argument("--prices-include-tax", action="store_true", help="menu prices are gross")
    init.add_argument("--owner", help="the owner's name on the sign-in screen")
    init.add_argument("--pin-stdin", action="store_true", help="read the owner's PIN from stdin")


def run(args: argparse.Namespace, url: str) -> int:
    answers = {
        flag: _answer(args, flag, question, default) for flag, question, default in _QUESTIONS
    }
    try:
        pin, again = _pins(args.pin_stdin)
        opening = read_opening(
            {**answers, "pin": pin, "pin_again": again},
            prices_include_tax=args.prices_include_tax,
        )
        name = asyncio.run(_open(url, opening))
    except BrigadeError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    print(f"{name} is open. Serve it with `brigade serve` and sign in as {opening.owner}.")
    print("Next: the menu, staff and kitchen screens (see docs/back-office.md).")
    return 0


def _answer(args: argparse.Namespace, flag: str, question: str, default: str | None) -> str:
    given = getattr(args, flag, None)
    if given is not None:
        return str(given)
    if not sys.stdin.isatty():
        return default or ""  # a script that left a required answer out is refused by name
    shown = f" [{default}]" if default else ""
    return input(f"{question}{shown}: ").strip() or default or ""


def _pins(from_stdin: bool) -> tuple[str, str]:
    if from_stdin:
        pin = sys.stdin.readline().strip()
        return pin, pin
    return getpass.getpass("Owner's PIN (4-6 digits): "), getpass.getpass("The PIN again: ")


async def _open(url: str, opening: Opening) -> str:
    engine = make_engine(url, pool="null")
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            location = await open_restaurant(session, opening.draft, opening.owner, opening.pin)
            return location.name
    finally:
        await engine.dispose()
