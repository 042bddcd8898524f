"""Jinja2 set-up: autoescaped templates, money formatting, CSRF and idempotency keys."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import Environment, FileSystemLoader, pass_context
from litestar.plugins.jinja import JinjaTemplateEngine

from app.core.money import currency_exponent, format_money, to_decimal
from app.platform.settings import ROOT
from app.platform.web import csrf_token_for

TEMPLATES = ROOT / "templates"


def minutes_since(moment: datetime | None) -> int:
    if moment is None:
        return 0
    return max(0, int((datetime.now(UTC) - moment).total_seconds() // 60))


def make_environment(currency: str = "USD", locale: str = "en_US") -> Environment:
    # Autoescape everything: names, notes and modifiers are typed by people.
    env = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    set_currency(env, currency, locale)
    env.globals["minutes_since"] = minutes_since
    # A fresh key per rendered form: a double tap resends the same key and runs once.
    env.globals["new_key"] = lambda: uuid.uuid4().hex

    @pass_context
    def csrf_token(ctx: Any) -> str:
        return csrf_token_for(ctx["request"].scope)

    @pass_context
    def principal(ctx: Any) -> Any:
        return ctx["request"].scope.get("principal")

    env.globals["csrf_token"] = csrf_token
    env.globals["principal"] = principal
    set_timezone(env, "UTC")
    return env


def set_currency(env: Environment, currency: str, locale: str) -> None:
    """``money`` for people ("$12.50"); ``plain`` for form values ("12.50")."""
    exponent = currency_exponent(currency)
    env.filters["money"] = lambda minor: format_money(int(minor), currency, locale)
    env.filters["plain"] = lambda minor: str(to_decimal(int(minor), exponent))


def set_timezone(env: Environment, name: str | None) -> None:
    """``local``: a stored (UTC) moment as the restaurant's clock shows it ("%H:%M")."""
    try:
        zone: tzinfo = ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = UTC  # a mistyped zone must not stop the screens
    env.filters["local"] = lambda moment, fmt="%H:%M": moment.astimezone(zone).strftime(fmt)


def make_engine(currency: str, locale: str) -> JinjaTemplateEngine:
    env = make_environment(currency, locale)
    ours = env.globals["csrf_token"]
    engine = JinjaTemplateEngine(engine_instance=env)
    # Litestar registers its own csrf_token (for its cookie-based CSRF, which we do not use).
    env.globals["csrf_token"] = ours
    return engine
