"""``brigade staff ...`` and ``brigade api-key ...``: sign-in chores on the server's console.

Whoever can type on the server already holds the database, so these need no PIN: they are
the way back in when every manager's tries are waiting, and where keys are issued before
the back office exists.
"""

from __future__ import annotations

import argparse
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.inputs import is_id
from app.platform import api_keys, auth, pin_throttle
from app.platform.console import named, run_chore
from app.platform.models import ApiKey, Staff

COMMANDS = ("staff", "api-key")


def add_commands(sub: Any) -> None:
    staff = sub.add_parser("staff", help="staff sign-in: wrong PINs, sessions")
    what = staff.add_subparsers(dest="staff_command", required=True)
    what.add_parser("list", help="every staff member and their wrong PINs lately")
    unlock = what.add_parser("unlock", help="clear a person's wrong PINs (their waits end)")
    unlock.add_argument("name", help="the staff member's name, as on the sign-in screen")
    out = what.add_parser("sign-out", help="end every session of a person (tablets and API)")
    out.add_argument("name")
    keys = sub.add_parser("api-key", help="API keys for integrations signing staff in")
    key_what = keys.add_subparsers(dest="key_command", required=True)
    create = key_what.add_parser("create", help="issue a key (shown once)")
    create.add_argument("name", help='who uses it: "Online orders"')
    key_what.add_parser("list", help="every key, when it was last used, revoked or not")
    revoke = key_what.add_parser("revoke", help="revoke a key and end its sessions")
    revoke.add_argument("key", help="the key's number (from list) or its name")


def run(args: argparse.Namespace, url: str) -> int:
    async def chore(session: AsyncSession, location: int) -> int:
        if args.command == "staff":
            return await _staff(session, location, args)
        return await _keys(session, location, args)

    return run_chore(url, chore)


async def _person(session: AsyncSession, location: int, name: str) -> Staff:
    found = (
        await session.scalars(
            select(Staff).where(Staff.location_id == location, named(Staff.name, name))
        )
    ).all()
    if len(found) != 1:
        raise SystemExit(
            f"No staff member called {name!r}." if not found else f"Several are called {name!r}."
        )
    return found[0]


async def _staff(session: AsyncSession, location: int, args: argparse.Namespace) -> int:
    if args.staff_command == "list":
        wrong = await pin_throttle.recent_wrong_pins(session, location)
        for person in await session.scalars(
            select(Staff).where(Staff.location_id == location).order_by(Staff.name)
        ):
            state = "" if person.active else "  (inactive)"
            count = wrong.get(person.id, 0)
            print(f"{person.name:<20} {person.role:<10} wrong PINs lately: {count}{state}")
        return 0
    person = await _person(session, location, args.name)
    if args.staff_command == "unlock":
        await auth.unlock_staff(session, person.id, None)
        print(f"{person.name}'s wrong PINs are cleared: they can sign in on any tablet now.")
    else:
        ended = await auth.revoke_staff_sessions(session, person.id, None)
        print(f"{person.name} is signed out everywhere ({ended} session(s) ended).")
    return 0


async def _keys(session: AsyncSession, location: int, args: argparse.Namespace) -> int:
    if args.key_command == "create":
        key_id, key = await api_keys.issue_api_key(session, location, args.name, None)
        print(f"API key {key_id} for {args.name!r}. The key (shown once, only its hash is kept):\n")
        print(f"  {key}\n")
        print("Send it as X-API-Key to POST /api/v1/sessions (see docs/sign-in.md).")
        return 0
    if args.key_command == "list":
        for issued in await api_keys.api_keys(session, location):
            used = f"{issued.last_used_at:%Y-%m-%d %H:%M}" if issued.last_used_at else "never"
            state = f"revoked {issued.revoked_at:%Y-%m-%d}" if issued.revoked_at else "active"
            print(f"{issued.id:>4}  {issued.name:<24} last used {used:<16} {state}")
        return 0
    target = str(args.key).strip()
    query = select(ApiKey).where(ApiKey.location_id == location)
    query = (
        query.where(ApiKey.id == int(target))
        if is_id(target)
        else query.where(named(ApiKey.name, target))
    )
    found = (await session.scalars(query)).all()
    if len(found) != 1:
        print(f"No single API key {target!r}: see `brigade api-key list`.")
        return 1
    await api_keys.revoke_api_key(session, found[0].id, None)
    print(f"API key {found[0].id} ({found[0].name}) is revoked; its sessions are ended.")
    return 0
