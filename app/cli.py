"""The ``brigade`` command: serve, db upgrade, init, demo, staff, api-key."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import NoReturn

from app.platform.embedded_pg import resolve_database_url
from app.platform.logs import configure_logging
from app.platform.settings import Settings


def _check_channels(settings: Settings) -> None:
    """Several processes must share announcements, or a ticket fired through one process
    reaches the screens of another only at their next database re-check."""
    from app.platform.realtime import channels_kind

    try:
        kind = channels_kind(settings.channels_backend)
    except ValueError as exc:
        _refuse(str(exc))
    if kind == "memory" and settings.workers > 1:
        _refuse(
            f"BRIGADE_WORKERS={settings.workers} needs a shared channels backend: set "
            "BRIGADE_CHANNELS=redis://127.0.0.1:6379/0 (see docs/scaling.md)."
        )


def _ready_to_serve(url: str) -> None:
    """Refuse, in one line, a database the app would refuse anyway: better here than in a
    traceback from every worker after "serving at"."""
    from sqlalchemy.exc import DBAPIError

    from app.platform import migrate
    from app.platform.db import make_engine

    async def revision() -> str | None:
        engine = make_engine(url, pool="null")
        try:
            return await migrate.current_revision(engine)
        finally:
            await engine.dispose()

    async def check() -> None:
        engine = make_engine(url, pool="null")
        try:
            await migrate.ensure_migrated(engine)
        finally:
            await engine.dispose()

    try:
        # A database with no schema at all is a new install: making its tables loses nothing,
        # and its first-run screen can open. One on an older revision waits for `db upgrade`.
        if asyncio.run(revision()) is None:
            migrate.upgrade(url)
        asyncio.run(check())
    except migrate.SchemaOutOfDate as exc:
        _refuse(exc.message)
    except (OSError, DBAPIError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        _refuse(f"Brigade cannot reach its database: {reason}")


def _refuse(sentence: str) -> NoReturn:
    """One JSON line on stderr (like every log line), then exit 1."""
    logging.getLogger("brigade.cli").error(sentence)
    raise SystemExit(1)


def _serve(settings: Settings, url: str) -> None:
    from granian.constants import Interfaces
    from granian.server import Server

    from app.platform.logs import granian_log_config

    _ready_to_serve(url)
    print(f"Brigade is serving at http://{settings.host}:{settings.port}", flush=True)
    server = Server(
        "app.main:app_from_env",
        address=settings.host,
        port=settings.port,
        interface=Interfaces.ASGI,
        workers=settings.workers,
        factory=True,
        websockets=True,
        log_dictconfig=granian_log_config(),
    )
    server.serve()


def _demo(url: str, quiet: bool) -> None:
    from app.demo import seed_demo
    from app.demo_service import play_earlier_tonight

    pins = asyncio.run(seed_demo(url))
    if not pins:
        print("This database already has a restaurant: the demo was not added to it.")
        return
    parties = asyncio.run(play_earlier_tonight(url))  # the first seatings have paid and gone
    if not quiet:
        print("\nDemo restaurant ready. Sign in with a name and its PIN:")
        for name, role, pin in pins:
            print(f"  {name:<18} {role:<10} PIN {pin}")
        print("  Kitchen screens: open /kds and pick a station, signed in as kitchen staff.")
        print(f"  Earlier tonight: {parties} parties served, paid and posted to the books.")
        print("  API: the demo's key is X-API-Key: demo-api-key (real installs issue their own).\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="brigade", description="Brigade restaurant POS")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the POS (granian)")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--demo", action="store_true", help="migrate and seed the demo first")
    db = sub.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply all migrations")
    revision = db_sub.add_parser("revision", help="autogenerate a migration (developers)")
    revision.add_argument("-m", "--message", required=True)
    demo = sub.add_parser("demo", help="create the demo restaurant (skipped if present)")
    demo.add_argument("--quiet", action="store_true")
    from printers import admin as printer_admin

    printer_admin.add_commands(sub)  # brigade printers ..., brigade print-agent add ...
    from app.staff import console as staff_console

    staff_console.add_commands(sub)  # brigade staff unlock NAME, brigade api-key create ...
    from app.backoffice import console as restaurant_console

    restaurant_console.add_commands(sub)  # brigade init: a real restaurant, no demo
    from app.accounting import console as ledger_console

    ledger_console.add_commands(sub)  # brigade verify-ledger
    args = parser.parse_args(argv)

    configure_logging()
    settings = Settings.from_env()
    if args.command == "serve":
        overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v}
        settings = Settings(**{**settings.__dict__, **overrides})
        _check_channels(settings)
    url = resolve_database_url(settings.database_url, settings.data_dir)

    from app.platform import migrate

    if args.command == "db" and args.db_command == "upgrade":
        migrate.upgrade(url)
        print("Database is up to date.")
    elif args.command == "db" and args.db_command == "revision":
        from alembic import command

        command.revision(migrate.alembic_config(url), message=args.message, autogenerate=True)
    elif args.command == "demo":
        migrate.upgrade(url)  # on a new data directory the tables are not there yet
        _demo(url, args.quiet)
    elif args.command in printer_admin.COMMANDS:
        return printer_admin.run(args, url)
    elif args.command in ledger_console.COMMANDS:
        return ledger_console.run(args, url)
    elif args.command in staff_console.COMMANDS:
        return staff_console.run(args, url)
    elif args.command in restaurant_console.COMMANDS:
        migrate.upgrade(url)  # a new install's first command: its database may be empty
        return restaurant_console.run(args, url)
    elif args.command == "serve" and args.demo:
        from printers.demo import fake_printers_running

        migrate.upgrade(url)
        _demo(url, quiet=False)
        with fake_printers_running(settings.data_dir / "printed", url):
            _serve(settings, url)
    elif args.command == "serve":
        _serve(settings, url)
    return 0


if __name__ == "__main__":  # pragma: no cover
    logging.basicConfig()
    sys.exit(main())
