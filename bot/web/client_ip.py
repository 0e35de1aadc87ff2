"""Find the client's address behind trusted reverse proxies."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.types import Scope


def _normalise_ip(value: str) -> str:
    """Return an address in canonical form, or the stripped text when it is not an IP."""
    value = value.strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return value


def client_ip(peer: str | None, forwarded_for: Iterable[str], trusted: set[str]) -> str:
    """Return the client address: the peer, or the last untrusted X-Forwarded-For hop behind trusted proxies.

    Walking the header from the right stops at the first address no trusted
    proxy added, so whatever a client prepends is ignored.
    """
    trusted = {_normalise_ip(t) for t in trusted}
    address = _normalise_ip(peer or "unknown")
    if address not in trusted:
        return address
    hops = [_normalise_ip(h) for value in forwarded_for for h in value.split(",") if h.strip()]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop
        address = hop
    return address


def scope_client_ip(scope: Scope, trusted: set[str]) -> str:
    """Return the client address of an ASGI request (see `client_ip`)."""
    forwarded = [v.decode("latin-1") for k, v in scope["headers"] if k == b"x-forwarded-for"]
    client = scope.get("client")
    return client_ip(client[0] if client else None, forwarded, trusted)
