"""The card terminal: what Brigade asks of one, and a simulated one built in.

Brigade never sees a card. It asks the terminal to charge an amount under a reference of
its own; the terminal reads the card and answers with the outcome, the processor's
reference, the brand and the last four digits -- nothing more of the card, ever.

The reference is the safety net against charging twice: after a time-out Brigade asks the
terminal what happened to that reference (``lookup``) before anything else, and a terminal
asked to charge a reference it has already approved returns that approval again.
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, replace
from typing import Any, Protocol

APPROVED, DECLINED, TIMED_OUT, CANCELLED = "approved", "declined", "timed_out", "cancelled"
OUTCOMES = (APPROVED, DECLINED, TIMED_OUT, CANCELLED)


@dataclass(frozen=True, slots=True)
class TerminalResult:
    status: str  # approved | declined | timed_out | cancelled
    processor_ref: str | None = None
    brand: str | None = None
    last4: str | None = None
    #: The tip the guest entered on the terminal (or the one Brigade asked for).
    tip: int = 0
    message: str = ""


class PaymentTerminal(Protocol):
    """A card terminal or processor. ``ref`` is Brigade's own id for the transaction."""

    name: str

    async def charge(self, amount: int, tip: int, tip_prompt: bool, ref: str) -> TerminalResult:
        """Charge amount + tip (the guest may add a tip on the terminal if prompted)."""
        ...

    async def lookup(self, ref: str) -> TerminalResult | None:
        """What became of ``ref``; None if the terminal never took it."""
        ...

    async def cancel(self, ref: str) -> TerminalResult:
        """Stop a charge that is still waiting for the card (or void one just approved)."""
        ...

    async def refund(self, processor_ref: str, amount: int, ref: str) -> TerminalResult:
        """Give ``amount`` back to the card of the payment ``processor_ref``."""
        ...

    async def adjust_tip(self, processor_ref: str, tip: int) -> TerminalResult:
        """Change the tip of an approved charge before the batch settles (slip tips)."""
        ...


#: What the demo's simulated terminal can be told to do with the next charge.
SIMULATED_OUTCOMES = {
    "approve": "Approve",
    "decline": "Decline",
    "timeout": "Time out (never reached the card)",
    "timeout_after_approve": "Time out after approving",
    "cancel": "Guest cancels",
}
_CARDS = (("Visa", "4242"), ("Mastercard", "4444"), ("Amex", "0005"))


class SimulatedTerminal:
    """A terminal in memory for tests and the demo; its next outcome can be chosen.

    It keeps what it approved by reference, like a real one, so ``lookup`` after a time-out
    tells the truth and charging an approved reference again does not charge twice.
    """

    name = "simulated"

    def __init__(self, outcome: str = "approve", tip_on_terminal: int | None = None) -> None:
        self.outcome = outcome
        #: A tip the "guest" types on the terminal, when the charge prompts for one.
        self.tip_on_terminal = tip_on_terminal
        self.delay = 0.0
        self.charges: dict[str, TerminalResult] = {}
        self.refunds: dict[str, TerminalResult] = {}
        self.charge_calls = 0
        self._refs = itertools.count(1)
        self._cards = itertools.cycle(_CARDS)

    def set_outcome(self, outcome: str, tip_on_terminal: int | None = None) -> None:
        if outcome not in SIMULATED_OUTCOMES:
            raise ValueError(f"unknown simulated outcome {outcome!r}")
        self.outcome = outcome
        self.tip_on_terminal = tip_on_terminal

    def _approved(self, tip: int) -> TerminalResult:
        brand, last4 = next(self._cards)
        return TerminalResult(
            APPROVED, f"SIM-{next(self._refs):06d}", brand, last4, tip, "Approved"
        )

    async def charge(self, amount: int, tip: int, tip_prompt: bool, ref: str) -> TerminalResult:
        if ref in self.charges and self.charges[ref].status == APPROVED:
            return self.charges[ref]  # the same reference is never charged twice
        self.charge_calls += 1
        if self.delay:
            await asyncio.sleep(self.delay)
        if tip_prompt and self.tip_on_terminal is not None:
            tip = self.tip_on_terminal
        outcome = self.outcome
        if outcome == "approve":
            result = self._approved(tip)
        elif outcome == "decline":
            result = TerminalResult(DECLINED, message="Card declined")
        elif outcome == "cancel":
            result = TerminalResult(CANCELLED, message="Cancelled on the terminal")
        elif outcome == "timeout_after_approve":
            # The card was charged but the answer never reached Brigade.
            self.charges[ref] = self._approved(tip)
            return TerminalResult(TIMED_OUT, message="No answer from the terminal")
        else:
            return TerminalResult(TIMED_OUT, message="No answer from the terminal")
        self.charges[ref] = result
        return result

    async def lookup(self, ref: str) -> TerminalResult | None:
        return self.charges.get(ref)

    async def cancel(self, ref: str) -> TerminalResult:
        found = self.charges.get(ref)
        if found is not None and found.status == APPROVED:
            return found  # too late: it went through
        self.charges[ref] = TerminalResult(CANCELLED, message="Cancelled")
        return self.charges[ref]

    async def refund(self, processor_ref: str, amount: int, ref: str) -> TerminalResult:
        if ref in self.refunds:
            return self.refunds[ref]
        result = TerminalResult(APPROVED, f"SIM-R{next(self._refs):06d}", message="Refunded")
        self.refunds[ref] = result
        return result

    async def adjust_tip(self, processor_ref: str, tip: int) -> TerminalResult:
        for ref, charge in self.charges.items():
            if charge.processor_ref == processor_ref:
                self.charges[ref] = replace(charge, tip=tip)
        return TerminalResult(APPROVED, processor_ref, tip=tip, message="Tip adjusted")


NO_TERMINAL = (
    "No card terminal is connected to this restaurant: take cash, or have a manager connect "
    "one (see docs/back-office.md, Payments)."
)


class NoTerminal:
    """A location outside training mode with no terminal connected: cards are refused before
    anything is written (``refuse_without_terminal``), never charged to a simulator."""

    name = "none"

    async def charge(self, amount: int, tip: int, tip_prompt: bool, ref: str) -> TerminalResult:
        return TerminalResult(DECLINED, message=NO_TERMINAL)

    async def lookup(self, ref: str) -> TerminalResult | None:
        return None

    async def cancel(self, ref: str) -> TerminalResult:
        return TerminalResult(CANCELLED, message=NO_TERMINAL)

    async def refund(self, processor_ref: str, amount: int, ref: str) -> TerminalResult:
        return TerminalResult(DECLINED, message=NO_TERMINAL)

    async def adjust_tip(self, processor_ref: str, tip: int) -> TerminalResult:
        return TerminalResult(DECLINED, message=NO_TERMINAL)


def terminal_for(state: Any) -> PaymentTerminal:
    """The location's terminal: the one connected (``app.state.terminal``); else, in demo or
    training mode only, the simulated one; else none, and cards are refused."""
    connected: PaymentTerminal | None = getattr(state, "terminal", None)
    if connected is not None:
        return connected
    if not getattr(getattr(state, "location", None), "training_mode", False):
        return NoTerminal()
    simulated: SimulatedTerminal | None = getattr(state, "simulated_terminal", None)
    if simulated is None:
        simulated = state.simulated_terminal = SimulatedTerminal()
    return simulated
