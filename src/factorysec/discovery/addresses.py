"""Addresses that name no device: broadcast, multicast and unspecified ones.

Traffic to them is real (discovery broadcasts, DHCP, SSDP, LLMNR) and stays in
the inventory, but they are not hosts to declare in the model or to place in a
zone: the drift report and the starter model leave them out, and the text
output labels them instead of printing a subnet they do not belong to.
"""

from __future__ import annotations

import ipaddress


def special_address(ip: str) -> str | None:
    """'broadcast', 'multicast' or 'unspecified' for an address that names no device; None for any other."""
    try:
        a = ipaddress.ip_address(ip)
    except ValueError:
        return None
    if a.is_multicast:
        return "multicast"
    if a.is_unspecified:
        return "unspecified"
    if ip == "255.255.255.255":
        return "broadcast"
    return None
