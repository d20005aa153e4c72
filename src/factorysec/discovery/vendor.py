"""MAC vendor lookup in the Wireshark OUI table the `manuf` package ships (offline).

`manuf.MacParser` parses all 45,000 lines of its table into a dictionary
before the first lookup: half a CPU-second, a quarter of a small `discover`
run, for the few dozen addresses a capture holds. This module reads the same
file with the same rules but parses only the lines that can match the
addresses asked for: one numpy pass indexes every line by its first three
bytes (a sorted array searched per address), and only the lines of those
prefixes, plus the few entries whose mask is wider than three bytes, are
parsed. The tests hold it to `manuf.MacParser` on every entry of the table.
The table is never updated from the network here.
"""

from __future__ import annotations

import importlib.util
import re
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

_SEPARATORS = re.compile(r"[-:\.]")
"""What manuf strips from an address before reading its hex digits."""

_PLAIN_MASK = re.compile(rb"(?:2[4-9]|[3-9][0-9]|[1-9][0-9][0-9]+)(?:[\t \n]|\Z)")
"""What follows the slash of an address whose `/N` mask is a plain N of 24 or more (within one 3-byte prefix)."""

_HEX_VALUE = np.full(256, -1, dtype=np.int64)
for _digit in b"0123456789abcdefABCDEF":
    _HEX_VALUE[_digit] = int(chr(_digit), 16)

_SEPARATOR = np.zeros(256, dtype=bool)
_SEPARATOR[np.frombuffer(b"-:.", dtype=np.uint8)] = True
"""The bytes manuf strips from an address (`_SEPARATORS`), as a table by byte value."""

_WINDOW = 12
"""Bytes after an address's eighth that `OuiTable` looks at for the end of a longer address (a tab) or its slash."""

Entry = tuple[int, tuple[int, int], str | None]
"""(line number, (mask bits, masked address), vendor name) of one line of the table."""


def table_path() -> Path | None:
    """The table file inside the installed `manuf` package (found without importing it), or None."""
    spec = importlib.util.find_spec("manuf")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "manuf"
    return path if path.is_file() else None


def parse_line(line: str) -> tuple[tuple[int, int], str | None] | None:
    """One line as manuf reads it: ((mask bits, address >> mask), long name or short name), or None.

    None for comments, blank lines and lines manuf could not read (it
    stops on those; here they are left out).
    """
    line = line.strip()
    if not line or line[0] == "#":
        return None
    fields = [part.strip() for part in line.replace("\t\t", "\t").split("\t")]
    if len(fields) < 2:
        return None
    address = fields[0].split("/")
    digits = _SEPARATORS.sub("", address[0])
    left = 48 - 4 * len(digits)
    try:
        value = int(digits, 16) << left
        mask = left
        if len(address) > 1:
            mask = max(mask, 48 - int(address[1]))
        key = (mask, value >> mask)
    except ValueError:
        return None
    long_name = fields[2] if len(fields) > 2 else None
    return key, long_name or fields[1] or None


class OuiTable:
    """The table's lines indexed by their first three address bytes; entries parsed on demand."""

    def __init__(self, text: bytes) -> None:
        # manuf reads the file in text mode: "\r\n" and "\r" end lines too
        self._text = text.replace(b"\r\n", b"\n").replace(b"\r", b"\n") if b"\r" in text else text
        buf = np.frombuffer(self._text, dtype=np.uint8)
        newlines = np.flatnonzero(buf == ord("\n"))
        self._starts: npt.NDArray[np.int64] = np.concatenate(([0], newlines + 1)).astype(np.int64)
        self._ends: npt.NDArray[np.int64] = np.append(newlines, len(self._text)).astype(np.int64)
        padded = np.concatenate((buf, np.zeros(9 + _WINDOW, dtype=np.uint8)))
        # a line starting "HH:HH:HH" (any of - : .) names an address within that 3-byte prefix, unless a /N widens it
        prefix = np.zeros(self._starts.size, dtype=np.int64)
        three_bytes = np.ones(self._starts.size, dtype=bool)
        for k, at in enumerate((0, 1, 3, 4, 6, 7)):
            digit = _HEX_VALUE[padded[self._starts + at]]
            three_bytes &= digit >= 0
            prefix |= (digit & 15) << (4 * (5 - k))
        for at in (2, 5):
            three_bytes &= _SEPARATOR[padded[self._starts + at]]
        # the address goes on after its eighth byte (a longer address, perhaps with a /N): look for a slash in it
        longer = np.flatnonzero(three_bytes & (padded[self._starts + 8] != ord("\t")))
        wide = ~three_bytes
        wide[self._slashed_lines(padded, longer)] = True
        narrow = np.flatnonzero(~wide)
        order = np.argsort(prefix[narrow], kind="stable")
        self._lines_by_prefix = narrow[order]
        self._prefixes = prefix[narrow][order]
        self._wide_lines: list[Entry] = self._parse(np.flatnonzero(wide))
        self._by_prefix: dict[int, dict[tuple[int, int], str | None]] = {}

    def _slashed_lines(self, padded: npt.NDArray[np.uint8], lines: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Of `lines` (their address goes on after its eighth byte), those whose address has a `/N` mask other than
        a plain N of 24 or more (they may cover more than one 3-byte prefix): those whose first slash comes before any
        tab, unless `_PLAIN_MASK` follows it.

        In numpy over the `_WINDOW` bytes after the eighth of each such line (the table's longest address is 20
        bytes); a line that goes on past them with neither a tab nor a slash there is looked at in Python. The
        common masks, /28 and /36, are checked here, and only other spellings by `_PLAIN_MASK`.
        """
        starts, ends = self._starts[lines], self._ends[lines]
        offsets = starts[:, None] + np.arange(8, 8 + _WINDOW)
        window = padded[offsets]
        inside = offsets < ends[:, None]
        slash = (window == ord("/")) & inside
        tab = (window == ord("\t")) & inside
        has_slash, has_tab = slash.any(axis=1), tab.any(axis=1)
        first_slash = np.where(has_slash, slash.argmax(axis=1), _WINDOW)
        first_tab = np.where(has_tab, tab.argmax(axis=1), _WINDOW)
        at = np.where(has_slash & (first_slash < first_tab), starts + 8 + first_slash, -1)
        for k in np.flatnonzero(~has_slash & ~has_tab & (ends - starts > 8 + _WINDOW)).tolist():
            start, end = int(starts[k]), int(ends[k])
            tab_at = self._text.find(b"\t", start, end)
            slash_at = self._text.find(b"/", start, end if tab_at < 0 else tab_at)
            at[k] = slash_at
        found = at >= 0
        lines, at = lines[found], at[found]
        tens, units, after = padded[at + 1], padded[at + 2], padded[at + 3]
        two_digits = ((tens == ord("2")) & (units >= ord("4")) & (units <= ord("9"))) | (
            (tens >= ord("3")) & (tens <= ord("9")) & (units >= ord("0")) & (units <= ord("9"))
        )
        ended = np.isin(after, np.frombuffer(b"\t \n", dtype=np.uint8)) | (at + 3 == len(self._text))
        plain = two_digits & ended
        for k in np.flatnonzero(~plain).tolist():
            plain[k] = _PLAIN_MASK.match(self._text, int(at[k]) + 1) is not None
        wide_lines: npt.NDArray[np.int64] = lines[~plain]
        return wide_lines

    def _parse(self, lines: npt.NDArray[np.int64]) -> list[Entry]:
        out: list[Entry] = []
        for index in lines.tolist():
            raw = self._text[self._starts[index] : self._ends[index]].decode("utf-8", errors="replace")
            parsed = parse_line(raw)
            if parsed is not None:
                out.append((index, *parsed))
        return out

    def _entries(self, prefix: int) -> dict[tuple[int, int], str | None]:
        """Every entry that can match an address of this 3-byte prefix; a later line replaces an earlier one, as in manuf."""
        found = self._by_prefix.get(prefix)
        if found is None:
            lo, hi = np.searchsorted(self._prefixes, [prefix, prefix + 1])
            block = self._parse(np.sort(self._lines_by_prefix[lo:hi]))
            found = self._by_prefix[prefix] = {key: name for _, key, name in sorted(self._wide_lines + block)}
        return found

    def lookup(self, mac: str) -> str | None:
        """The vendor of the longest registered prefix of `mac`, or None (manuf's `search`, first result)."""
        digits = _SEPARATORS.sub("", mac)
        left = 48 - 4 * len(digits)
        try:
            value = int(digits, 16) << left
        except ValueError:
            return None
        entries = self._entries(value >> 24)
        for mask in range(left, 48):
            key = (mask, value >> mask)
            if key in entries:
                return entries[key]
        return None


@cache
def _table() -> OuiTable | None:
    path = table_path()
    if path is None:
        return None
    try:
        return OuiTable(path.read_bytes())
    except OSError:
        return None


@lru_cache(maxsize=65536)
def vendor_of(mac: str) -> str | None:
    """The manufacturer registered for a MAC prefix, or None when unknown."""
    table = _table()
    if table is None or not isinstance(mac, str):
        return None
    return table.lookup(mac)
