"""Sales tax on a line, in integer minor units.

Rates are parts per million so real rates like 8.875 % are exact (88_750 ppm). Rounding is
half-up on the exact fraction, computed with integers only.
"""

from __future__ import annotations

from dataclasses import dataclass

PPM = 1_000_000


def div_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half-up (away from zero for the half), integers only."""
    if numerator < 0:
        return -div_half_up(-numerator, denominator)
    quotient, remainder = divmod(numerator, denominator)
    return quotient + (1 if 2 * remainder >= denominator else 0)


@dataclass(frozen=True, slots=True)
class TaxedAmount:
    """A gross amount split into its net and tax parts: ``net + tax == gross`` always."""

    net: int
    tax: int

    @property
    def gross(self) -> int:
        return self.net + self.tax


def tax_exclusive(net: int, rate_ppm: int) -> TaxedAmount:
    """Price is before tax (US style): tax is added on top."""
    return TaxedAmount(net=net, tax=div_half_up(net * rate_ppm, PPM))


def tax_inclusive(gross: int, rate_ppm: int) -> TaxedAmount:
    """Price already includes tax (EU style): tax is carved out, net + tax == gross."""
    tax = gross - div_half_up(gross * PPM, PPM + rate_ppm)
    return TaxedAmount(net=gross - tax, tax=tax)


def taxed(amount: int, rate_ppm: int, *, inclusive: bool) -> TaxedAmount:
    return tax_inclusive(amount, rate_ppm) if inclusive else tax_exclusive(amount, rate_ppm)
