"""Which address a request came from, when a reverse proxy stands in front of Brigade.

Behind a proxy every tablet's socket peer is the proxy, so per-address limits would pause
the whole restaurant for one tablet's mistakes. The proxy says whom it forwarded for in
X-Forwarded-For; that header is believed only from proxies named in BRIGADE_TRUSTED_PROXIES,
and only its entries those proxies added: read from the right, the first address that is
not one of our proxies is the client (anything to its left the client may have written).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from functools import lru_cache

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def networks(trusted: tuple[str, ...]) -> tuple[Network, ...]:
    found: list[Network] = []
    for entry in trusted:
        try:
            found.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise SystemExit(
                f"BRIGADE_TRUSTED_PROXIES: {entry!r} is not an address or a network."
            ) from None
    return tuple(found)


def _is_trusted(address: str, trusted: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in net for net in trusted)


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def forwarded_client(peer: str, headers: Iterable[str], trusted: tuple[str, ...]) -> str:
    """The client's address for a request whose socket peer is ``peer``."""
    nets = networks(trusted)
    if not _is_trusted(peer, nets):
        return peer
    hops = [hop.strip() for header in headers for hop in header.split(",")]
    for hop in reversed(hops):
        if not _valid(hop):
            # Garbage in the chain: stop believing it here, the proxy's own view is safest.
            return peer
        if not _is_trusted(hop, nets):
            return hop
    return peer
