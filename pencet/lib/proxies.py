"""Which address a request came from when a TLS proxy stands in front (framework-free).

`X-Forwarded-For` is a list anyone can start: each proxy appends the address it got the request from. Only the
entries added by proxies we run are true, so the client is the right-most address that is not one of ours,
and the header counts at all only when the peer itself is one of ours.
"""

import ipaddress
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def proxy_networks_parse(values: Iterable[str]) -> tuple[Network, ...]:
    """ "127.0.0.1", "10.0.0.0/8", "::1" → networks; ValueError names a bad entry."""
    networks = []
    for value in values:
        value = value.strip()
        if not value:
            continue
        try:
            networks.append(ipaddress.ip_network(value, strict=False))
        except ValueError as error:
            raise ValueError(f"not an IP address or network: {value!r}") from error
    return tuple(networks)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip().strip('"')
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:
        # "192.0.2.1:51234": an IPv4 address with the proxy's port.
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def address_is_trusted(value: str, trusted: tuple[Network, ...]) -> bool:
    address = _address(value)
    return address is not None and any(address in network for network in trusted)


def forwarded_client(*, peer: str, forwarded_for: str, trusted: tuple[Network, ...]) -> str:
    """The client's address: `peer` itself unless it is a trusted proxy, then the right-most untrusted hop of
    `forwarded_for` (a malformed hop stops the walk: what lies left of it cannot be believed)."""
    if not address_is_trusted(peer, trusted):
        return peer
    client = peer
    for hop in reversed([h for h in forwarded_for.split(",") if h.strip()]):
        address = _address(hop)
        if address is None:
            break
        client = str(address)
        if not any(address in network for network in trusted):
            break
    return client
