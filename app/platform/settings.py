"""Settings from environment variables prefixed ``BRIGADE_`` (12-factor: no config files)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


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
    #: Wrong PINs allowed before a staff member is locked out (a manager lifts it).
    pin_lockout_after: int = 5
    #: Wrong PINs allowed from one device per 5 minutes, whoever is tried.
    device_pin_limit: int = 20
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
            pin_lockout_after=int(env.get("BRIGADE_PIN_LOCKOUT_AFTER", "5")),
            device_pin_limit=int(env.get("BRIGADE_DEVICE_PIN_LIMIT", "20")),
            allowed_origins=tuple(
                o.strip() for o in env.get("BRIGADE_ALLOWED_ORIGINS", "").split(",") if o.strip()
            ),
            print_worker=_bool(env.get("BRIGADE_PRINT_WORKER"), True),
        )
