"""Pairing codes: what a waiting screen shows and a manager types. Pure: no I/O.

Eight characters from 31 that cannot be mistaken for one another across a kitchen (no 0/O,
no 1/I/L), shown as two groups of four: ``7KQ4-XM2P``. That is 31**8, about 8.5 * 10**11
codes. Wrong codes are not throttled, because the space does the work: only a signed-in
manager can type a code at all, at most ``pairing.MAX_WAITING`` (50) codes wait at once, each
for ten minutes, so even a manager typing a thousand wrong codes a second for a code's whole
life (600,000 tries, against 50 waiting of 31**8) has about one chance in 28,000 of hitting
one, and what that wins is letting in a screen someone else is holding, which a manager can
do anyway.
"""

from __future__ import annotations

import hashlib
import secrets

from app.core.errors import BadInput
from app.core.inputs import has_control

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8
#: What a person may type around the code: the dash we show, spaces, nothing else.
_SEPARATORS = str.maketrans("", "", "- ")
#: Characters people type for ones the alphabet leaves out.
_LOOKALIKES = frozenset("01OIL")
_SHAPE = "A pairing code is 8 letters and digits, as the screen shows it (such as 7KQ4-XM2P)."


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def shown(code: str) -> str:
    """The code as a screen shows it: two groups of four."""
    return f"{code[:4]}-{code[4:]}"


def read_code(typed: str) -> str:
    """The code a manager typed, normalised (``7kq4 xm2p`` is ``7KQ4XM2P``), or a refusal
    saying what is wrong with it."""
    text = typed.strip()
    if not text:
        raise BadInput("Type the pairing code the screen shows.")
    if has_control(text, lines=False):
        raise BadInput("The pairing code holds a control character (such as NUL); type it again.")
    if len(text) > 4 * LENGTH:
        raise BadInput(_SHAPE)
    code = text.translate(_SEPARATORS)
    if not code.isascii():
        raise BadInput(f"{_SHAPE} Only the letters A to Z and the digits 2 to 9 appear in it.")
    code = code.upper()
    if _LOOKALIKES & set(code):
        raise BadInput(
            "A pairing code has no 0, O, 1, I or L: look at the screen again "
            "(it may be a D, Q, 7 or another letter)."
        )
    if len(code) != LENGTH or not set(code) <= set(ALPHABET):
        raise BadInput(_SHAPE)
    return code


def digest(secret: str) -> str:
    """sha256 of a code or token: only this is stored."""
    return hashlib.sha256(secret.encode()).hexdigest()
