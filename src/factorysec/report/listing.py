"""How many items of each list a terminal section prints, so that a large factory's report stays readable.

Every item is still in the assessment: the JSON, HTML, spreadsheet and Markdown
outputs list them all. The terminal shows the first ``limit`` of each section
(the order the analysis gives: ranked risks first by rank, findings by category
and subject) and says how many it left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:  # a type only: importing rich costs every command ~10 ms of start-up
    from rich.console import Console

DEFAULT_LIMIT = 50
"""Items printed per section by default; 0 prints every item."""

T = TypeVar("T")

MORE: dict[str, str] = {
    "en": "... and {n} more (--limit 0 prints all; every item is in --format json and 'factorysec report')",
    "ja": "… ほか {n} 件（--limit 0 ですべて表示。全件は --format json と factorysec report に出力）",
}


def first(items: Sequence[T], limit: int) -> Sequence[T]:
    """The items a section prints: all of them when ``limit`` is 0 or less, else the first ``limit``."""
    return items if limit <= 0 else items[:limit]


def print_more(console: Console, total: int, limit: int, lang: str) -> None:
    """Say how many items a section left out, if any."""
    if 0 < limit < total:
        console.print("  " + MORE[lang].format(n=total - limit), highlight=False)


def joined(items: Sequence[str], limit: int, none: str) -> str:
    """The first ``limit`` items on one line, with a count of the rest; ``none`` when there are none."""
    if not items:
        return none
    shown = ", ".join(first(items, limit))
    return shown if not 0 < limit < len(items) else f"{shown} (+{len(items) - limit})"
