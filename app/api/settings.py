"""The location's settings over JSON (managers and owners), as the back office's Settings page.

``PATCH /api/v1/settings`` changes only the fields it sends; everything goes through the
settings page's own reader and command (``app.backoffice.settings``), so the rules, the
refusals, the audit row and the repricing of open checks on a tax-mode change are the same.
A change applies on every server process from its next request (app.platform.location).

Percentages are in ppm, like every percentage of the API (10 % = 100000), and, as on the
screen, in whole percents (a multiple of 10000).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from litestar import Controller, get, patch
from litestar.di import NamedDependency
from litestar.params import JSONBody, Parameter
from msgspec import Meta

from app.api.common import API, LISTING, Req, errors, staff_of
from app.backoffice import settings
from app.backoffice.settings import PPM_PER_PERCENT, settings_of
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork
from app.platform.models import Location

_PERCENT = PPM_PER_PERCENT
#: A share in ppm, in whole percents from 0 to 100 %.
Share = Annotated[
    int,
    Meta(ge=0, le=1_000_000, multiple_of=_PERCENT),
    Parameter(ge=0, le=1_000_000, multiple_of=_PERCENT),
]
#: A suggested tip in ppm, 1 % to 100 % in whole percents.
TipShare = Annotated[
    int,
    Meta(ge=_PERCENT, le=1_000_000, multiple_of=_PERCENT),
    Parameter(ge=_PERCENT, le=1_000_000, multiple_of=_PERCENT),
]
Tips = Annotated[
    list[TipShare], Meta(min_length=1, max_length=4), Parameter(min_items=1, max_items=4)
]
Name = Annotated[str, Meta(max_length=120), Parameter(max_length=120)]
PartySize = Annotated[int, Meta(ge=0, le=99), Parameter(ge=0, le=99)]
Hour = Annotated[int, Meta(ge=0, le=23), Parameter(ge=0, le=23)]


@dataclass
class SettingsOut:
    """The location's settings; currency, locale and time zone were chosen when the
    restaurant was opened and are read-only here."""

    id: int
    name: str
    currency: str
    locale: str
    timezone: str
    #: Menu prices include tax (EU style); false: tax is added on the check (US style).
    prices_include_tax: bool
    #: "line": tax rounded on every line; "check": once per check.
    tax_rounding: str
    #: Parties of this size or more get the service charge when seated; 0: never.
    auto_gratuity_party_size: int
    auto_gratuity_ppm: int
    #: Discounts together worth more than this share of the check need a manager's PIN.
    discount_approval_ppm: int
    #: One to four suggested tips, in ppm of the check, lowest first.
    tip_suggestions: list[int]
    #: The hour (local time, 0-23) the business day turns over.
    day_starts_hour: int
    #: Card payments go to the simulated terminal, and every screen says so.
    training_mode: bool

    @classmethod
    def of(cls, location: Location) -> SettingsOut:
        now = settings_of(location)
        return cls(
            id=location.id,
            name=now.name,
            currency=location.currency,
            locale=location.locale,
            timezone=location.timezone,
            prices_include_tax=now.prices_include_tax,
            tax_rounding=now.tax_rounding,
            auto_gratuity_party_size=now.auto_gratuity_party_size or 0,
            auto_gratuity_ppm=now.auto_gratuity_ppm,
            discount_approval_ppm=now.discount_approval_ppm,
            tip_suggestions=[int(p) for p in now.tip_suggestions.split(",") if p],
            day_starts_hour=now.day_starts_hour,
            training_mode=now.training_mode,
        )


@dataclass
class SettingsIn:
    """The settings to change, named as in SettingsOut: a field left out (or null) stays as
    it is. Sending the same body twice changes nothing the second time."""

    name: Name | None = None
    prices_include_tax: bool | None = None
    tax_rounding: Literal["line", "check"] | None = None
    auto_gratuity_party_size: PartySize | None = None
    auto_gratuity_ppm: Share | None = None
    discount_approval_ppm: Share | None = None
    tip_suggestions: Tips | None = None
    day_starts_hour: Hour | None = None
    training_mode: bool | None = None

    def asked(self) -> dict[str, str]:
        """In the settings form's words (whole percents; "" for never), for read_settings."""
        words: dict[str, str | None] = {
            "name": self.name,
            "prices_include_tax": _flag(self.prices_include_tax),
            "tax_rounding": self.tax_rounding,
            "auto_gratuity_party_size": (
                None
                if self.auto_gratuity_party_size is None
                else str(self.auto_gratuity_party_size or "")
            ),
            "auto_gratuity_percent": _percent(self.auto_gratuity_ppm),
            "discount_approval_percent": _percent(self.discount_approval_ppm),
            "tip_suggestions": (
                None
                if self.tip_suggestions is None
                else ", ".join(str(p // PPM_PER_PERCENT) for p in self.tip_suggestions)
            ),
            "day_starts_hour": None if self.day_starts_hour is None else str(self.day_starts_hour),
            "training_mode": _flag(self.training_mode),
        }
        return {name: word for name, word in words.items() if word is not None}


def _flag(value: bool | None) -> str | None:
    return None if value is None else "1" if value else ""


def _percent(ppm: int | None) -> str | None:
    return None if ppm is None else str(ppm // PPM_PER_PERCENT)


@dataclass
class SettingsChanged:
    #: The settings this call changed (names as in SettingsOut); empty if none did.
    changed: list[str]
    settings: SettingsOut


class SettingsApiController(Controller):
    path = "/api/v1/settings"
    opt = {**API, "roles": MANAGERS}
    tags = ["settings"]

    @get("/", summary="The location's settings (managers)", responses=errors(*LISTING))
    async def read(self, request: Req, uow: NamedDependency[UnitOfWork]) -> SettingsOut:
        return SettingsOut.of(await settings.location_row(uow, request.app.state.location.id))

    @patch(
        "/",
        summary="Change some of the location's settings (managers)",
        description="Only the fields sent change; the answer names them. Changing "
        "prices_include_tax or tax_rounding makes every open check one version newer.",
        responses=errors(400, 401, 403, 422),
    )
    async def change(
        self, request: Req, data: JSONBody[SettingsIn], uow: NamedDependency[UnitOfWork]
    ) -> SettingsChanged:
        changed, location = await settings.change_some(
            uow, request.app.state.location.id, data.asked(), staff_of(request)
        )
        return SettingsChanged(changed, SettingsOut.of(location))
