"""The pure parts of sign-in: how long a wait lasts, and whose address a request is."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.platform.pin_throttle import backoff, say_wait
from app.platform.proxies import forwarded_client

PROXY = ("10.0.0.2", "10.1.0.0/16")
addresses = st.ip_addresses(v=4).map(str)


@given(st.integers(0, 500), st.integers(1, 10), st.integers(1, 120), st.integers(60, 7200))
def test_a_wait_never_shrinks_with_more_wrong_pins_and_never_passes_its_cap(
    wrong: int, free: int, base: int, cap: int
) -> None:
    now, then = backoff(wrong, free, base, cap), backoff(wrong + 1, free, base, cap)
    assert 0 <= now <= then <= max(cap, 0)
    assert (now == 0) == (wrong < free)


def test_the_waits_a_server_sees_after_the_free_tries() -> None:
    assert [backoff(n, 3, 30, 900) for n in range(2, 9)] == [0, 30, 60, 120, 240, 480, 900]
    assert [say_wait(s) for s in (1, 30, 60, 240, 3600)] == [
        "1 second",
        "30 seconds",
        "60 seconds",
        "4 minutes",
        "60 minutes",
    ]


@given(addresses, st.lists(addresses, max_size=4))
def test_an_untrusted_peer_is_its_own_address_whatever_it_forwards(
    peer: str, forged: list[str]
) -> None:
    if any(ipaddress.ip_address(peer) in ipaddress.ip_network(n) for n in PROXY):
        return
    assert forwarded_client(peer, [", ".join(forged)], PROXY) == peer


@given(addresses, st.lists(addresses, max_size=3))
def test_through_our_proxy_the_client_is_the_last_address_it_added(
    tablet: str, forged: list[str]
) -> None:
    """The tablet may write anything to the left; the proxy appends the real peer."""
    if any(ipaddress.ip_address(tablet) in ipaddress.ip_network(n) for n in PROXY):
        return
    header = ", ".join([*forged, tablet])
    assert forwarded_client("10.0.0.2", [header], PROXY) == tablet
    # Through two of our proxies, the inner one's address is skipped as well.
    assert forwarded_client("10.0.0.2", [f"{header}, 10.1.4.4"], PROXY) == tablet


@pytest.mark.parametrize("header", ["", "not-an-address", "192.168.1.5, garbage"])
def test_garbage_forwarded_for_leaves_the_proxy_as_the_address(header: str) -> None:
    assert forwarded_client("10.0.0.2", [header] if header else [], PROXY) == "10.0.0.2"
