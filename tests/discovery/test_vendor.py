"""The indexed OUI table answers exactly as `manuf.MacParser` does, on every entry of the shipped table."""

from __future__ import annotations

import random
import re

import manuf  # type: ignore[import-untyped]
import pytest

from factorysec.discovery.vendor import OuiTable, parse_line, table_path, vendor_of


@pytest.fixture(scope="module")
def parser() -> manuf.MacParser:
    return manuf.MacParser(update=False)


def _expected(parser: manuf.MacParser, mac: str) -> str | None:
    """What the lookup did before: manuf's long name, else its short name."""
    name = parser.get_manuf_long(mac) or parser.get_manuf(mac)
    return str(name) if name else None


def _addresses() -> list[str]:
    """Every entry's own address, its last address and a neighbour outside it, plus random ones."""
    path = table_path()
    assert path is not None, "the manuf package's table was not found"
    rng = random.Random(5)
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        address = line.split("\t")[0].split("/")
        digits = re.sub(r"[-:.]", "", address[0])
        width = int(address[1]) if len(address) > 1 else 4 * len(digits)
        base = int(digits, 16) << (48 - 4 * len(digits))
        last = base | ((1 << (48 - width)) - 1)
        for value in (base, last, (last + 1) % (1 << 48), base | rng.getrandbits(48 - width)):
            text = f"{value:012x}"
            out.append(":".join(text[i : i + 2] for i in range(0, 12, 2)))
    out += [f"{rng.getrandbits(48):012x}" for _ in range(20000)]
    return out


def test_every_entry_looks_up_as_manuf(parser: manuf.MacParser) -> None:
    path = table_path()
    assert path is not None
    table = OuiTable(path.read_bytes())
    addresses = _addresses()
    assert len(addresses) > 180_000
    wrong = [(mac, table.lookup(mac), _expected(parser, mac)) for mac in addresses]
    wrong = [w for w in wrong if w[1] != w[2]]
    assert wrong == []


def test_vendor_of_known_and_unknown_addresses(parser: manuf.MacParser) -> None:
    assert vendor_of("00:22:4d:37:1c:a2") == "Mitac International Corp."
    assert vendor_of("33:33:00:00:00:01") == _expected(parser, "33:33:00:00:00:01") == "IPv6mcast"
    assert vendor_of("00:1b:c5:00:00:01") == _expected(parser, "00:1b:c5:00:00:01")  # a /36 block
    for bad in ("", "zz:zz:zz:zz:zz:zz", "00:11:22:33:44:55:66:77"):
        assert vendor_of(bad) is None


def test_a_table_with_crlf_wide_masks_and_later_lines_winning() -> None:
    text = (
        b"# comment\r\n"
        b"00:11:22\tShort\tLong Name One\r\n"
        b"00:11:22:30:00:00/28\tSub\tA Sub-Block\r\n"
        b"00:11:00:00:00:00/16\tWide\r\n"
        b"\r\n"
        b" 00:11:22:33:44:55\tOne\tOne Device  \r\n"
        b"00:11:22\tShort\tLong Name Two\n"
        b"not an address\tX\n"
    )
    table = OuiTable(text)
    assert table.lookup("00:11:22:00:00:01") == "Long Name Two"
    assert table.lookup("00:11:22:3f:ff:ff") == "A Sub-Block"
    assert table.lookup("00:11:22:33:44:55") == "One Device"
    assert table.lookup("00:11:99:00:00:00") == "Wide"
    assert table.lookup("00:12:00:00:00:00") is None
    assert parse_line("# comment") is None and parse_line("00:11:22") is None


def _every_line_parsed(text: bytes, mac: str) -> str | None:
    """The lookup over every line of `text` parsed (a later line replacing an earlier one), as manuf does it."""
    entries: dict[tuple[int, int], str | None] = {}
    for line in text.decode().splitlines():
        parsed = parse_line(line)
        if parsed is not None:
            entries[parsed[0]] = parsed[1]
    value = int(mac.replace(":", ""), 16)
    for mask in range(48):
        if (mask, value >> mask) in entries:
            return entries[(mask, value >> mask)]
    return None


@pytest.mark.parametrize(
    "mask_line",
    [
        b"00:11:00:00:00:00/024\tLeading zero\n",  # a /24 spelt so that it is read as possibly wider
        b"00:11:00:00:00:00/8 \tSpace after\n",
        b"00:11:00:00:00:00/16",  # the last line, no newline
        b"00:11:22:00:00:00/100\tThree digits\n",
        b"00:11:22:00:00:00/30 \tNarrow, space after\n",
        b"00:11:22:00:00:00/2\tOne digit\n",
        b"00:11:22:00:00:00/20x\tNot a number\n",
        b"00:11:22\tName/with a slash after the tab\n",
        b"00:11:22::::::::::::000000/16\tSlash past the bytes looked at in numpy\n",  # a /16 found in Python
        b"00:11:22::::::::::::000000\tTab past them\n",
    ],
)
def test_masks_that_may_cover_other_prefixes_are_found_however_spelt(mask_line: bytes) -> None:
    text = b"00:11:22\tNarrow\n00:11:23\tNeighbour\n" + mask_line
    table = OuiTable(text)
    for mac in ("00:11:22:00:00:01", "00:11:23:00:00:01", "00:11:24:00:00:01", "00:12:00:00:00:01"):
        assert table.lookup(mac) == _every_line_parsed(text, mac), (mask_line, mac)
