"""MAC vendor lookup from the `manuf` package's bundled Wireshark OUI table (offline).

`manuf` ships its database in the wheel and only goes online when asked to
update, which this module never does.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _parser() -> Any | None:
    try:
        import manuf  # type: ignore[import-untyped]
    except ImportError:
        return None
    return manuf.MacParser(update=False)


@lru_cache(maxsize=65536)
def vendor_of(mac: str) -> str | None:
    """The manufacturer registered for a MAC prefix, or None when unknown."""
    parser = _parser()
    if parser is None:
        return None
    try:
        name = parser.get_manuf_long(mac) or parser.get_manuf(mac)
    except (ValueError, AttributeError):
        return None
    return str(name) if name else None
