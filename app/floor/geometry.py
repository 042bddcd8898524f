"""The floor layout's rules, without a database: sizes, names, where a new table goes.

Positions and sizes are whole percents of the floor, so one layout fits a phone and a
wall screen. Every rule here answers a manager in words they can act on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.core.errors import BadInput

SHAPES = ("square", "round", "rectangle")
MIN_SIZE = 4
MAX_SEATS = 40
NAME_LENGTH = 20
FLOOR_NAME_LENGTH = 60

#: Width, height (percent) and seats a new table starts with; the manager resizes after.
STARTING = {"square": (12, 15, 4), "round": (12, 16, 4), "rectangle": (20, 14, 6)}


@dataclass(frozen=True, slots=True)
class Rect:
    x: int
    y: int
    width: int
    height: int

    def overlaps(self, other: Rect, gap: int = 2) -> bool:
        return not (
            self.x + self.width + gap <= other.x
            or other.x + other.width + gap <= self.x
            or self.y + self.height + gap <= other.y
            or other.y + other.height + gap <= self.y
        )


def table_name(raw: str) -> str:
    name = " ".join(raw.split())
    if not name:
        raise BadInput("Give the table a name, e.g. 14 or P9.")
    if len(name) > NAME_LENGTH:
        raise BadInput(f"A table name is at most {NAME_LENGTH} characters; {name!r} is longer.")
    return name


def floor_name(raw: str) -> str:
    name = " ".join(raw.split())
    if not name:
        raise BadInput("Give the floor a name, e.g. Patio or Upstairs.")
    if len(name) > FLOOR_NAME_LENGTH:
        raise BadInput(f"A floor name is at most {FLOOR_NAME_LENGTH} characters.")
    return name


def seats(value: int) -> int:
    if not 1 <= value <= MAX_SEATS:
        raise BadInput(f"A table seats 1 to {MAX_SEATS} guests, not {value}.")
    return value


def shape(value: str) -> str:
    if value not in SHAPES:
        raise BadInput("A table is square, round or rectangle.")
    return value


def rotation(value: int) -> int:
    if not 0 <= value <= 359:
        raise BadInput(f"Turn a table 0 to 359 degrees, not {value}.")
    return value


def position(x: int, y: int) -> tuple[int, int]:
    """Where a table's corner goes. Our editor never sends anything off the floor, so a
    value outside it is a mistake to refuse, not to silently fix."""
    if not (0 <= x <= 100 and 0 <= y <= 100):
        raise BadInput("That would put the table off the floor: drop it inside the plan.")
    return x, y


def size(width: int, height: int) -> tuple[int, int]:
    if not (MIN_SIZE <= width <= 100 and MIN_SIZE <= height <= 100):
        raise BadInput(
            f"A table is {MIN_SIZE}% to 100% of the floor wide and high "
            f"(asked {width}% × {height}%)."
        )
    return width, height


def fit(start: int, length: int) -> int:
    """Slide a table back so its far edge stays on the floor (a resize by another manager
    can leave an old position hanging over the edge)."""
    return max(0, min(start, 100 - length))


def free_spot(taken: Iterable[Rect], width: int, height: int) -> tuple[int, int]:
    """The first place, reading the floor like a page, where a new table overlaps nothing;
    the middle of the floor when it is full (the manager drags it from there)."""
    rects = list(taken)
    for y in range(2, 100 - height + 1, 2):
        for x in range(2, 100 - width + 1, 2):
            spot = Rect(x, y, width, height)
            if not any(spot.overlaps(r) for r in rects):
                return x, y
    return fit(50 - width // 2, width), fit(50 - height // 2, height)


_NUMBERED = re.compile(r"^(.*?)(\d+)$")


def next_name(names: Sequence[str]) -> str:
    """The name a manager most likely wants next: 14 after 1..13, P9 after P1..P8."""
    counts: dict[str, int] = {}
    highest: dict[str, int] = {}
    for name in names:
        match = _NUMBERED.match(name)
        if match:
            prefix, number = match.group(1), int(match.group(2))
            counts[prefix] = counts.get(prefix, 0) + 1
            highest[prefix] = max(highest.get(prefix, 0), number)
    if not counts:
        return str(len(names) + 1)
    prefix = max(counts, key=lambda p: (counts[p], -len(p)))
    return f"{prefix}{highest[prefix] + 1}"
