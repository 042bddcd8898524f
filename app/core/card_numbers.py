"""Card numbers (PANs) must never be stored or logged (PCI DSS): find them in free text.

Brigade never asks for a card number: the terminal reads the card and gives back only a
reference, the brand and the last four digits. But a guest may dictate one and a server may
type it into a note. These helpers find 13-19 digit runs (with or without spaces or dashes
between groups) that pass the Luhn check, the checksum every payment card number carries.
"""

from __future__ import annotations

import re

#: Digit groups joined by single spaces or dashes ("4111 1111 1111 1111", "4111-1111-...").
_RUN = re.compile(r"[0-9]+(?:[ -][0-9]+)*")
_GROUP = re.compile(r"[0-9]+")


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum: double every second digit from the right; the sum ends in 0."""
    if not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _card_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, digits) of each card-like number: consecutive groups of a run that hold
    13-19 digits in all and pass Luhn (so "4111 1111 1111 1111 20" still finds the card)."""
    found: list[tuple[int, int, str]] = []
    for run in _RUN.finditer(text):
        groups = list(_GROUP.finditer(run.group()))
        i = 0
        while i < len(groups):
            hit = None
            digits = ""
            for j in range(i, len(groups)):
                digits += groups[j].group()
                if len(digits) > 19:
                    break
                if len(digits) >= 13 and luhn_valid(digits):
                    hit = (run.start() + groups[i].start(), run.start() + groups[j].end(), digits)
            if hit:
                found.append(hit)
                i = next(k for k, g in enumerate(groups) if run.start() + g.end() == hit[1]) + 1
            else:
                i += 1
    return found


def has_card_number(text: str) -> bool:
    """Whether ``text`` holds something that looks like a payment card number."""
    return bool(text) and bool(_card_spans(text))


def mask_card_numbers(text: str) -> str:
    """Replace every card-like number with "****" and its last four digits."""
    if not text:
        return text
    out, last = [], 0
    for start, end, digits in _card_spans(text):
        out.append(text[last:start])
        out.append(f"****{digits[-4:]}")
        last = end
    out.append(text[last:])
    return "".join(out)
