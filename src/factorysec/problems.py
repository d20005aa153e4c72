"""A problem found in input, tied to a file, line and field: shared by the model, the catalog and the YAML reader below both."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, printed as ``file:line:column: field: message (hint)``."""

    file: str
    line: int
    column: int
    field: str
    message: str
    hint: str = ""
    place: str = ""
    """Set when a file has no lines (a workbook): printed instead of file:line:column and field."""

    def __str__(self) -> str:
        hint = f" ({_one_line(self.hint)})" if self.hint else ""
        if self.place:
            return f"{_one_line(self.place)}: {_one_line(self.message)}{hint}"
        field = f" {_one_line(self.field)}:" if self.field else ""
        return f"{_one_line(self.file)}:{self.line}:{self.column}:{field} {_one_line(self.message)}{hint}"


_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _one_line(text: str) -> str:
    """``text`` with line breaks and other unprintable characters escaped, so that a problem stays on one line."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _NAMED_ESCAPES.get(ch, f"\\u{ord(ch):04x}") for ch in text)


def field_path(path: tuple[str | int, ...]) -> str:
    """Render a data path as ``assets[3].zone``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out
