"""Counts in English text: the number with thousands separators and the noun in the number it takes."""

from __future__ import annotations


def counted(n: int, one: str, many: str = "") -> str:
    """``1 flow``, ``12,444 records``, ``2 parties`` (``many`` for an irregular plural, else ``one`` + "s")."""
    return f"{n:,} {one if n == 1 else many or one + 's'}"
