"""Which stations make a fired line: the item's own stations when it has an override, else
its category's. Pure, so the one rule can be checked over any menu (KDS-6)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol, TypeVar


class Routable(Protocol):
    @property
    def category_id(self) -> int: ...

    @property
    def item_id(self) -> int: ...


R = TypeVar("R", bound=Routable)


@dataclass(frozen=True, slots=True)
class RoutingMap:
    by_category: Mapping[int, frozenset[int]] = field(default_factory=dict)
    #: An override replaces the category's stations for that item (never adds to them): the
    #: fryer that makes the burger's fries is not also the grill.
    by_item: Mapping[int, frozenset[int]] = field(default_factory=dict)

    def stations_for(self, category_id: int, item_id: int) -> frozenset[int]:
        override = self.by_item.get(item_id)
        if override:
            return override
        return self.by_category.get(category_id, frozenset())


def route(lines: Iterable[R], routing: RoutingMap) -> dict[int, list[R]]:
    """Station id -> its lines, in the order they were fired."""
    routed: dict[int, list[R]] = {}
    for line in lines:
        for station_id in sorted(routing.stations_for(line.category_id, line.item_id)):
            routed.setdefault(station_id, []).append(line)
    return routed
