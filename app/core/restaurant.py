"""What a restaurant is set up with, read from what a person typed: its name, currency,
locale, time zone and the hour its business day turns over. Pure: the first-run screen,
``brigade init`` and the back office's settings all read a draft the same way."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from babel.numbers import get_currency_name

from app.core.errors import BadInput
from app.core.inputs import clean_text, parse_whole
from app.core.money import parse_amount

#: Tax rates as typed are percentages with up to 4 decimals ("8.875"): ppm has room for them.
_PERCENT_DIGITS = 4


@dataclass(frozen=True, slots=True)
class RestaurantDraft:
    name: str
    currency: str
    locale: str
    timezone: str
    day_starts_hour: int
    #: The house tax rate in ppm (88_750 is 8.875 %); 0: no tax on the menu yet.
    tax_ppm: int
    prices_include_tax: bool


def read_draft(
    *,
    name: str,
    currency: str,
    locale: str,
    timezone: str,
    day_starts_hour: str,
    tax_percent: str = "0",
    prices_include_tax: bool = False,
) -> RestaurantDraft:
    """The draft, or a refusal naming the first field that is wrong and how to write it."""
    return RestaurantDraft(
        name=restaurant_name(name),
        currency=currency_code(currency),
        locale=locale_tag(locale),
        timezone=time_zone(timezone),
        day_starts_hour=parse_whole(day_starts_hour, "The hour the day starts", low=0, high=23),
        tax_ppm=tax_rate_ppm(tax_percent),
        prices_include_tax=prices_include_tax,
    )


def restaurant_name(raw: str) -> str:
    name = clean_text(raw, "The restaurant's name", limit=120, lines=False).strip()
    if not name:
        raise BadInput("Give the restaurant a name, as guests know it.")
    return name


def currency_code(raw: str) -> str:
    code = raw.strip().upper()
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        raise BadInput("The currency is a three-letter code such as USD, EUR or JPY.")
    if get_currency_name(code, locale="en") == code:  # Babel names every ISO 4217 currency
        raise BadInput(f"{code} is not a currency Brigade knows: use a code such as USD or EUR.")
    return code


def locale_tag(raw: str) -> str:
    text = raw.strip().replace("-", "_")
    if not text or not text.isascii() or len(text) > 16:
        raise BadInput("The locale is written like en_US or fr_FR.")
    try:
        locale = Locale.parse(text)
    except (UnknownLocaleError, ValueError):
        raise BadInput(f"{text} is not a locale Brigade knows: write it like en_US.") from None
    return str(locale)


def time_zone(raw: str) -> str:
    text = raw.strip()
    try:
        if not text or not text.isascii() or len(text) > 64 or ".." in text:
            raise ValueError(text)
        zoneinfo.ZoneInfo(text)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        raise BadInput(
            "The time zone is a name such as America/New_York or Europe/Paris."
        ) from None
    return text


def tax_rate_ppm(raw: str) -> int:
    """A percentage as typed ("8.875") in parts per million, below 100 %."""
    text = raw.strip().removesuffix("%").strip() or "0"
    try:
        scaled = parse_amount(text, _PERCENT_DIGITS)
    except BadInput:
        raise BadInput(f"The tax rate is a percentage such as 8.875, not {raw[:20]!r}.") from None
    ppm = scaled  # a ten-thousandth of a percent is one part per million
    if ppm >= 1_000_000:
        raise BadInput("The tax rate must be below 100 %.")
    return ppm
