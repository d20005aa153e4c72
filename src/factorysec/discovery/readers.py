"""Pick the reader for each input path; expand directories into the files discovery uses."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from factorysec.discovery.types import DiscoveryInputError, FlowRecord, SourceStats

CAPTURE_MAGICS = frozenset(
    {b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d", b"\x0a\x0d\x0d\x0a"}
)
"""The first four bytes of a capture: pcap (microsecond and nanosecond, either byte order) and pcapng.

The same as `pcap.PCAP_MAGICS` and `pcap.PCAPNG_SHB` (a test holds them equal), kept here so that choosing a
reader does not import the capture reader, and numpy with it, for a run over Zeek logs.
"""
CAPTURE_SUFFIXES = (".pcap", ".pcapng", ".cap", ".dmp")
GZIP_MAGIC = b"\x1f\x8b"
PARTIAL_SUFFIX = ".partial"
"""Partial results (`discover --partial OUT.partial`) found in folders are merged too."""


def expand_inputs(paths: Iterable[Path | str]) -> list[Path]:
    """Files named directly, plus captures and Zeek logs (`*.log*`) found under directories.

    Logs of kinds discovery does not use are kept, so the run can say it skipped them, and gzipped captures
    (`*.pcap.gz`), so that it can say it does not read them.
    """
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if not f.is_file():
                    continue
                if f.suffix.lower() in (*CAPTURE_SUFFIXES, PARTIAL_SUFFIX) or ".log" in f.name or _gzipped_capture(f):
                    out.append(f)
        elif p.exists():
            out.append(p)
        else:
            raise DiscoveryInputError(str(p), "no such file or directory")
    return out


def _gzipped_capture(path: Path) -> bool:
    """A file named as a gzipped capture (`x.pcap.gz`): listed, so that the run says it is not read."""
    name = path.name.lower()
    return name.endswith(".gz") and name[: -len(".gz")].endswith(CAPTURE_SUFFIXES)


def read_input(path: Path) -> tuple[list[FlowRecord], SourceStats]:
    """Read one capture or Zeek log, chosen by its first bytes rather than its name."""
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
    except OSError as e:
        raise DiscoveryInputError(str(path), f"cannot open: {e.strerror}") from e
    if magic in CAPTURE_MAGICS:
        from factorysec.discovery.pcap import read_capture

        return read_capture(path)
    # imported as the capture reader is: when a log is read
    from factorysec.discovery.zeek import gunzipped_head, read_zeek_log, sniff_zeek

    if magic[:2] == GZIP_MAGIC:
        head, damage = gunzipped_head(path, 4)
        if head in CAPTURE_MAGICS:
            raise DiscoveryInputError(str(path), "a gzipped capture: captures are read uncompressed (gunzip it first)")
        if not head and damage is not None:
            raise DiscoveryInputError(str(path), damage)
    if sniff_zeek(path) is not None:
        return read_zeek_log(path)
    if not magic:
        raise DiscoveryInputError(str(path), "empty file")
    raise DiscoveryInputError(str(path), "neither a pcap/pcapng capture nor a Zeek log")
