"""Addresses that name no device: labelled in the text, kept out of the starter model, still inventoried."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from factorysec.cli import app
from factorysec.discovery.addresses import special_address
from tests.discovery.discovery_support import udp_frame, write_pcap

runner = CliRunner()


@pytest.mark.parametrize(
    ("ip", "kind"),
    [
        ("255.255.255.255", "broadcast"),
        ("224.0.0.252", "multicast"),
        ("239.255.255.250", "multicast"),
        ("ff02::1:2", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("192.168.10.255", None),  # the last address of a /24 may be a device in a wider subnet
        ("10.0.0.1", None),
        ("not an address", None),
    ],
)
def test_special_address(ip: str, kind: str | None) -> None:
    assert special_address(ip) == kind


def _capture(tmp_path: Path) -> Path:
    path = tmp_path / "site.pcap"
    write_pcap(
        path,
        [
            (1.0, udp_frame("192.168.10.5", "255.255.255.255", 50000, 44818, b"\x63\x00" + bytes(22)), 0),
            (2.0, udp_frame("192.168.10.5", "239.255.255.250", 5000, 1900, b"M-SEARCH * HTTP/1.1\r\n"), 0),
            (3.0, udp_frame("192.168.10.5", "192.168.10.9", 5001, 161, bytes(10)), 0),
        ],
    )
    return path


def test_text_labels_broadcast_and_multicast_instead_of_a_subnet(tmp_path: Path) -> None:
    out = runner.invoke(app, ["discover", str(_capture(tmp_path)), "--limit", "0"]).stdout
    assert "  255.255.255.255 (broadcast address, not a device) " in out
    assert "  239.255.255.250 (multicast address, not a device) " in out
    assert "  192.168.10.9 " in out and "192.168.10.9 (" not in out
    assert "192.168.10.0/24 -> broadcast " in out
    assert "192.168.10.0/24 -> multicast " in out
    assert "192.168.10.5 -> 239.255.255.250 udp/1900 [none]" in out  # an unnamed protocol's port is printed once
    assert "255.255.255.0/24" not in out and "239.255.255.0/24" not in out


def test_starter_model_declares_no_broadcast_or_multicast_host(tmp_path: Path) -> None:
    result = runner.invoke(app, ["discover", str(_capture(tmp_path)), "--init", str(tmp_path / "model")])
    assert result.exit_code == 0, result.output
    starter = (tmp_path / "model" / "factory.yaml").read_text()
    assert "192.168.10.9" in starter
    assert "255.255.255.255" not in starter and "239.255.255.250" not in starter
