"""``brigade verify-ledger``: the hash chain checked on the server's console, for the owner
or an auditor. Exit 0 when it is intact, 1 with the first broken link in a sentence."""

from __future__ import annotations

import argparse
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounting.chain import verify_chain
from app.platform.console import run_chore

COMMANDS = ("verify-ledger",)


def add_commands(sub: Any) -> None:
    verify = sub.add_parser(
        "verify-ledger", help="check the books' hash chain; name its first broken link"
    )
    verify.add_argument(
        "--location", type=int, help="the location's id (default: the first, the only one)"
    )


def run(args: argparse.Namespace, url: str) -> int:
    async def chore(session: AsyncSession, first: int) -> int:
        result = await verify_chain(session, args.location or first)
        print(result.sentence())
        return 0 if result.intact else 1

    return run_chore(url, chore)
