"""Settings from environment variables prefixed ``BRIGADE_`` (12-factor: no config files)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    value = env.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {value!r}.") from None


def _list(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in env.get(name, "").split(",") if part.strip())


def _proxies(entries: tuple[str, ...]) -> tuple[str, ...]:
    from app.platform.proxies import networks

    networks(entries)  # a mistyped proxy address stops the start, not a Friday sign-in
    return entries


@dataclass(frozen=True)
class Settings:
    #: ``postgresql+asyncpg://...``; empty means "start the embedded PostgreSQL".
    database_url: str = ""
    #: Where the embedded PostgreSQL keeps its data.
    data_dir: Path = ROOT / "var"
    #: Mark cookies Secure: set when served behind TLS.
    secure_cookies: bool = False
    #: "memory" for one process; "redis://host:port/0" when several processes serve.
    channels_backend: str = "memory"
    #: "queue" (pooled, production) or "null" (tests: the test client runs its own loop).
    db_pool: str = "queue"
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    debug: bool = False
    #: Wrong PINs for one person on one device before each further try waits (the wait then
    #: doubles from ``pin_backoff_seconds``). Nobody is ever locked out by wrong PINs alone.
    pin_free_tries: int = 3
    #: The first wait after the free tries, in seconds; it doubles with every wrong PIN.
    pin_backoff_seconds: int = 30
    #: Wrong PINs allowed from one device per 15 minutes, whoever is tried.
    device_pin_limit: int = 20
    #: Wrong PINs for one person, from devices they never signed in on, before those
    #: devices wait too (their own tablets are not affected).
    staff_pin_limit: int = 5
    #: Addresses (or networks, "10.0.0.0/24") of reverse proxies whose X-Forwarded-For is
    #: believed. Anyone else's X-Forwarded-For is ignored.
    trusted_proxies: tuple[str, ...] = ()
    #: A tablet's session ends after this long without a request.
    session_idle_minutes: int = 12 * 60
    #: A token from POST /api/v1/sessions ends after this long without a request.
    api_session_idle_minutes: int = 12 * 60
    #: A paired kitchen screen's session ends after this long without a request.
    device_session_idle_minutes: int = 30 * 24 * 60
    #: An API key nobody used for this many days stops working (a manager issues a new one).
    api_key_idle_days: int = 90
    #: Allowed websocket Origin hosts besides the server's own host.
    allowed_origins: tuple[str, ...] = ()
    #: Run the in-process print worker (network printers). Off for a process that must not
    #: print, and for test apps that do not want jobs changing under them.
    print_worker: bool = True

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        base = cls()
        return cls(
            database_url=env.get("BRIGADE_DATABASE_URL", ""),
            data_dir=Path(env.get("BRIGADE_DATA_DIR", str(base.data_dir))),
            secure_cookies=_bool(env.get("BRIGADE_SECURE_COOKIES"), False),
            channels_backend=env.get("BRIGADE_CHANNELS", "memory"),
            db_pool=env.get("BRIGADE_DB_POOL", "queue"),
            host=env.get("BRIGADE_HOST", base.host),
            port=int(env.get("BRIGADE_PORT", str(base.port))),
            workers=int(env.get("BRIGADE_WORKERS", "1")),
            debug=_bool(env.get("BRIGADE_DEBUG"), False),
            pin_free_tries=_int(env, "BRIGADE_PIN_FREE_TRIES", base.pin_free_tries),
            pin_backoff_seconds=_int(env, "BRIGADE_PIN_BACKOFF_SECONDS", base.pin_backoff_seconds),
            device_pin_limit=_int(env, "BRIGADE_DEVICE_PIN_LIMIT", base.device_pin_limit),
            staff_pin_limit=_int(env, "BRIGADE_STAFF_PIN_LIMIT", base.staff_pin_limit),
            trusted_proxies=_proxies(_list(env, "BRIGADE_TRUSTED_PROXIES")),
            session_idle_minutes=_int(
                env, "BRIGADE_SESSION_IDLE_MINUTES", base.session_idle_minutes
            ),
            api_session_idle_minutes=_int(
                env, "BRIGADE_API_SESSION_IDLE_MINUTES", base.api_session_idle_minutes
            ),
            device_session_idle_minutes=_int(
                env, "BRIGADE_DEVICE_SESSION_IDLE_MINUTES", base.device_session_idle_minutes
            ),
            api_key_idle_days=_int(env, "BRIGADE_API_KEY_IDLE_DAYS", base.api_key_idle_days),
            allowed_origins=_list(env, "BRIGADE_ALLOWED_ORIGINS"),
            print_worker=_bool(env.get("BRIGADE_PRINT_WORKER"), True),
        )
