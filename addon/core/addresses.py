"""Which network addresses a browser's request may make the server fetch from: only
public ones. A web page must not use the server to reach this machine's own
services, the local network or a cloud's metadata service, which it cannot reach
itself."""

from __future__ import annotations

import ipaddress


def address_problem(address: str) -> str | None:
    """Why the server must not connect to `address` (an IP literal) for a browser's
    request ("a loopback address"), or None for a public address."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    kinds = (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("private", ip.is_private),
        ("unspecified", ip.is_unspecified),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
    )
    for kind, applies in kinds:
        if applies:
            return f"a {kind} address"
    if not ip.is_global:
        return "not a public address"
    return None
