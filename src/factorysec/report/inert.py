"""Text a user wrote, made inert for a terminal: shown as written, never obeyed.

A name, note or justification may hold what a terminal or rich would act on:
control characters (a form feed or escape pasted from a PDF, a carriage return
that rewrites the line, C1 controls some terminals read as escape sequences),
bidirectional overrides that reorder what is shown, and rich markup
(``[link=...]``, ``[/bold]``). :func:`printable` spells control characters
out as ``\\xNN`` / ``\\uNNNN``; :func:`terminal_text` does that and escapes
rich markup, for text put into a rich markup string.
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Characters a terminal acts on instead of showing: C0 and C1 controls (but tab and line feed), DEL, and bidirectional marks and overrides."""


def _spelled(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every control character a terminal would act on spelled out (``\\x1b``, ``\\x0c``, ``\\u202e``)."""
    return _CONTROL.sub(_spelled, text) if _CONTROL.search(text) else text


def terminal_text(text: object) -> str:
    """``text`` as literal content of a rich markup string: control characters spelled out, markup escaped.

    rich is imported here, not at the top: only the terminal renderers call this, and every
    command imports this module (its start-up paid ~20 ms for rich's markup module).
    """
    from rich.markup import escape

    return escape(printable(str(text)))
