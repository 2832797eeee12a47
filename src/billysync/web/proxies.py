"""The visitor's address behind reverse proxies that the operator named, and only those.

`X-Forwarded-For` is written by whoever sends the request, so it is believed only when the
peer is a proxy listed in `BILLYSYNC_TRUSTED_PROXIES` (default: none). Then the header is read
from the right (each proxy appends the address it saw) and the first address that is not a
trusted proxy is the visitor; anything further left was written by the visitor and is ignored.
That address is what the login throttle counts, so rotating the header gains nothing.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

from billysync.config import Network


def is_trusted(address: str, trusted: Sequence[Network]) -> bool:
    if not trusted:
        return False
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_address(peer: str, forwarded_for: Iterable[str], trusted: Sequence[Network]) -> str:
    """The peer itself, unless it is a trusted proxy that says whom it forwards for."""
    if not is_trusted(peer, trusted):
        return peer
    hops = [hop.strip() for header in forwarded_for for hop in header.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not is_trusted(hop, trusted):
            return hop
    return hops[0] if hops else peer
