"""Discounts and service charge as amounts: what a percent or a fixed amount takes off.

A percent is in ppm (100 % = 1_000_000) and rounds half-up to the minor unit. Several
discounts on one line (or on the check) are each worked out on the same base, then their sum
is capped at the base: a discount never takes a line or a check below zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.core.errors import BadInput
from app.core.tax import PPM, div_half_up

KINDS = ("percent", "amount")


@dataclass(frozen=True, slots=True)
class Adjustment:
    """One discount as the arithmetic needs it: a percent (ppm) or an amount (minor units)."""

    kind: str
    value: int

    def __post_init__(self) -> None:
        check_discount(self.kind, self.value)


def check_discount(kind: str, value: int) -> None:
    """Refuse a discount that could never be right, whatever it is put on."""
    if kind == "percent":
        if value <= 0:
            raise BadInput("A discount must be more than 0 %.")
        if value > PPM:
            raise BadInput("A discount cannot be more than 100 %.")
    elif kind == "amount":
        if value <= 0:
            raise BadInput("A discount must be more than zero.")
    else:
        raise BadInput("A discount is either a percent or an amount.")


def off(base: int, adjustment: Adjustment) -> int:
    """What one discount takes off ``base``, before any cap."""
    if adjustment.kind == "percent":
        return div_half_up(base * adjustment.value, PPM)
    return adjustment.value


def total_off(base: int, adjustments: Iterable[Adjustment]) -> int:
    """What all the discounts together take off ``base``: never more than the base."""
    if base <= 0:
        return 0
    return min(base, sum(off(base, adjustment) for adjustment in adjustments))


def service_charge(base: int, ppm: int) -> int:
    """A service charge of ``ppm`` on the discounted subtotal, half-up."""
    if ppm < 0:
        raise BadInput("A service charge cannot be negative.")
    if ppm > PPM:
        raise BadInput("A service charge cannot be more than 100 %.")
    return div_half_up(max(base, 0) * ppm, PPM)


def share_ppm(amount: int, base: int) -> int:
    """How big ``amount`` is next to ``base``, in ppm (rounded up: a threshold is strict)."""
    if base <= 0:
        return PPM if amount > 0 else 0
    return -(-amount * PPM // base)
