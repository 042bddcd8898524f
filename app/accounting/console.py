"""``brigade verify-ledger``: the hash chain checked on the server's console, for the owner
or an auditor. Exit 0 when it is intact, 1 with the first broken link in a sentence (2: a
mistyped ``--anchor``)."""

from __future__ import annotations

import argparse
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounting.chain import Anchor, verify_chain
from app.core.errors import BadInput
from app.platform.console import run_chore

COMMANDS = ("verify-ledger",)


def add_commands(sub: Any) -> None:
    verify = sub.add_parser(
        "verify-ledger", help="check the books' hash chain; name its first broken link"
    )
    verify.add_argument(
        "--location", type=int, help="the location's id (default: the first, the only one)"
    )
    verify.add_argument(
        "--anchor",
        metavar="SEQ:HASH",
        help="a link's number and hash noted earlier: the chain must still pass through it",
    )


def run(args: argparse.Namespace, url: str) -> int:
    try:
        anchor = Anchor.parse(args.anchor) if args.anchor else None
    except BadInput as exc:
        print(exc)
        return 2

    async def chore(session: AsyncSession, first: int) -> int:
        result = await verify_chain(session, args.location or first, anchor)
        print(result.sentence())
        return 0 if result.intact else 1

    return run_chore(url, chore)
