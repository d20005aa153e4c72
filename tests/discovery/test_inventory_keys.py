"""The inventory's address sort key reads dotted quads itself and agrees with `ipaddress` on every spelling."""

from __future__ import annotations

import ipaddress
import random

from factorysec.discovery.inventory import ip_sort_key


def _reference(text: str) -> tuple[int, int]:
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return (9, 0)
    return (address.version, int(address))


def test_sort_key_agrees_with_ipaddress() -> None:
    rng = random.Random(3)
    cases = ["1.2.3.4", "0.0.0.0", "255.255.255.255", "256.1.1.1", "01.2.3.4", "1.2.3", "1.2.3.4.5", "fe80::1"]
    cases += ["::ffff:1.2.3.4", "", " 1.2.3.4", "+1.2.3.4", "1.2.3.00", "\u0661.2.3.4", "1..2.3", "a.b.c.d"]
    cases += ["1.2.3.4\x00", "0x1.2.3.4", "1.2.3.4 ", "1.2.3.04", "017.0.0.1", "1.2.3.4/24", "4294967295", "1.2.65535"]
    cases += [".".join(str(rng.randint(0, 300)) for _ in range(4)) for _ in range(5000)]
    cases += [
        ".".join(rng.choice(["0", "00", "01", "1", "10", "255", "256", "1000", "x"]) for _ in range(4))
        for _ in range(5000)
    ]
    assert [c for c in cases if ip_sort_key(c) != _reference(c)] == []
    assert sorted(["10.0.0.10", "fe80::1", "junk", "10.0.0.9"], key=ip_sort_key) == [
        "10.0.0.9",
        "10.0.0.10",
        "fe80::1",
        "junk",
    ]
