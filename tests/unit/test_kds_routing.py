"""KDS-6, the rule alone: each line goes to exactly the stations its item override names,
or else its category's, once each, in the order fired."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from kds.routing import RoutingMap, route

STATIONS = st.frozensets(st.integers(1, 5), max_size=5)


@dataclass(frozen=True)
class Line:
    number: int
    category_id: int
    item_id: int


menus = st.fixed_dictionaries(
    {
        "categories": st.dictionaries(st.integers(1, 6), STATIONS, max_size=6),
        "overrides": st.dictionaries(st.integers(1, 30), STATIONS.filter(bool), max_size=10),
        "lines": st.lists(st.tuples(st.integers(1, 7), st.integers(1, 31)), max_size=25),
    }
)


@given(menus)
def test_each_line_reaches_exactly_the_stations_named_for_it(menu: dict) -> None:  # type: ignore[type-arg]
    routing = RoutingMap(menu["categories"], menu["overrides"])
    lines = [Line(i, c, item) for i, (c, item) in enumerate(menu["lines"])]

    routed = route(lines, routing)

    for line in lines:
        named = menu["overrides"].get(line.item_id) or menu["categories"].get(line.category_id, ())
        reached = {station for station, got in routed.items() if line in got}
        assert reached == set(named), line
        assert all(got.count(line) <= 1 for got in routed.values())
    for got in routed.values():
        assert got, "a station with nothing to make gets no ticket"
        assert got == sorted(got, key=lambda ln: ln.number), "lines stay in fired order"


def test_an_override_replaces_the_category_it_does_not_add_to_it() -> None:
    routing = RoutingMap({1: frozenset({10})}, {7: frozenset({20})})
    fries, burger = Line(0, 1, 7), Line(1, 1, 8)
    assert route([fries, burger], routing) == {20: [fries], 10: [burger]}


def test_a_category_routed_nowhere_makes_no_ticket() -> None:
    assert route([Line(0, 3, 9)], RoutingMap({3: frozenset()})) == {}
