"""Pick the reader for each input path; expand directories into the files discovery uses."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from factorysec.discovery.pcap import PCAP_MAGICS, PCAPNG_SHB, read_capture
from factorysec.discovery.types import DiscoveryInputError, FlowRecord, SourceStats
from factorysec.discovery.zeek import read_zeek_log, sniff_zeek

CAPTURE_SUFFIXES = (".pcap", ".pcapng", ".cap", ".dmp")
PARTIAL_SUFFIX = ".partial"
"""Partial results (`discover --partial OUT.partial`) found in folders are merged too."""


def expand_inputs(paths: Iterable[Path | str]) -> list[Path]:
    """Files named directly, plus captures and Zeek logs (`*.log*`) found under directories.

    Logs of kinds discovery does not use are kept, so the run can say it skipped them.
    """
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if not f.is_file():
                    continue
                if f.suffix.lower() in (*CAPTURE_SUFFIXES, PARTIAL_SUFFIX) or ".log" in f.name:
                    out.append(f)
        elif p.exists():
            out.append(p)
        else:
            raise DiscoveryInputError(str(p), "no such file or directory")
    return out


def read_input(path: Path) -> tuple[list[FlowRecord], SourceStats]:
    """Read one capture or Zeek log, chosen by its first bytes rather than its name."""
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
    except OSError as e:
        raise DiscoveryInputError(str(path), f"cannot open: {e.strerror}") from e
    if magic in PCAP_MAGICS or magic == PCAPNG_SHB:
        return read_capture(path)
    if sniff_zeek(path) is not None:
        return read_zeek_log(path)
    if not magic:
        raise DiscoveryInputError(str(path), "empty file")
    raise DiscoveryInputError(str(path), "neither a pcap/pcapng capture nor a Zeek log")
