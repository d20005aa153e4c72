"""Record-header walks: the one sequential step of capture reading.

Finding where each packet starts needs each record's length before the next
one, so it cannot be vectorised; these loops do only that and leave every
other field to numpy. The install compiles them in C (``_walk.c``, a small
extension built by ``pip install`` with the machine's C compiler; about 10×
the Python loop, which cost a quarter of a whole ``discover`` run). Where no
compiler was found the install goes on without it and the plain-Python loops
below do the same work (``COMPILED`` says which one runs; the tests compare
the two). A numba version was tried first: 25% faster end to end, but its
import alone costs ~120 MB of RSS, over the memory budget.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING, Protocol

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from factorysec.discovery._walk import RecordWalk


class _CompiledWalks(Protocol):
    """What ``_walk.c`` provides: each walk returns (int64 offsets as bytes, where it stopped, why)."""

    walk_pcap: RecordWalk
    walk_epb: RecordWalk

    def header_words(
        self,
        buf: npt.NDArray[np.uint8],
        starts: npt.NDArray[np.int64],
        count: int,
        big: bool,
        out: npt.NDArray[np.int64],
        /,
    ) -> None: ...


def _load_compiled() -> _CompiledWalks | None:
    try:
        from factorysec.discovery import _walk
    except ImportError:  # installed where no C compiler was found: the Python loops below do the work
        return None
    return _walk


_compiled = _load_compiled()

WALK_OK = 0
WALK_OTHER_BLOCK = 1
WALK_DAMAGED = 2
WALK_LIMIT = 3
"""The one-pass walk (`FlowTable.add_pcap_walk`) stopped at the first record at or after its limit."""

I64 = npt.NDArray[np.int64]

COMPILED = _compiled is not None
"""Whether the C walks were built at install time."""


def walk_pcap(buf: npt.NDArray[np.uint8], off: int, end: int, big: bool, max_caplen: int) -> tuple[I64, int, int]:
    """Offsets of the complete pcap records in buf[off:end], where the walk stopped, and why (see :func:`walk_pcap_python`)."""
    if _compiled is None:
        return walk_pcap_python(buf, off, end, big, max_caplen)
    raw, stop, status = _compiled.walk_pcap(buf, off, end, big, max_caplen)
    return np.frombuffer(raw, dtype=np.int64), stop, status


def walk_epb(buf: npt.NDArray[np.uint8], off: int, end: int, big: bool, max_block: int) -> tuple[I64, int, int]:
    """Offsets of a run of complete enhanced packet blocks starting at `off` (see :func:`walk_epb_python`)."""
    if _compiled is None:
        return walk_epb_python(buf, off, end, big, max_block)
    raw, stop, status = _compiled.walk_epb(buf, off, end, big, max_block)
    return np.frombuffer(raw, dtype=np.int64), stop, status


def walk_pcap_python(
    buf: npt.NDArray[np.uint8], off: int, end: int, big: bool, max_caplen: int
) -> tuple[I64, int, int]:
    """Offsets of the complete pcap records in buf[off:end], where the walk stopped, and why.

    A record whose captured length exceeds `max_caplen`, or a complete one
    whose captured length exceeds its (non-zero) wire length, is damaged: the
    walk stops before it.
    """
    data = buf.data
    lengths_at = struct.Struct(">II" if big else "<II").unpack_from
    starts: list[int] = []
    add = starts.append
    status = WALK_OK
    stop = end - 16
    while off <= stop:
        caplen, wirelen = lengths_at(data, off + 8)
        if caplen > max_caplen:
            status = WALK_DAMAGED
            break
        if off + 16 + caplen > end:
            break
        if wirelen and caplen > wirelen:
            status = WALK_DAMAGED
            break
        add(off)
        off += 16 + caplen
    return np.asarray(starts, dtype=np.int64), off, status


def walk_epb_python(buf: npt.NDArray[np.uint8], off: int, end: int, big: bool, max_block: int) -> tuple[I64, int, int]:
    """Offsets of a run of complete enhanced packet blocks starting at `off`.

    Stops at the first other block type (WALK_OTHER_BLOCK), a damaged length
    (WALK_DAMAGED) or an incomplete block at the end of the buffer (WALK_OK).
    """
    data = buf.data
    blk = struct.Struct(">II" if big else "<II").unpack_from
    starts: list[int] = []
    add = starts.append
    status = WALK_OK
    while off + 12 <= end:
        btype, blen = blk(data, off)
        if btype != 6:
            status = WALK_OTHER_BLOCK
            break
        if blen < 32 or blen % 4 or blen > max_block:
            status = WALK_DAMAGED
            break
        if off + blen > end:
            break
        add(off)
        off += blen
    return np.asarray(starts, dtype=np.int64), off, status


def header_words(buf: npt.NDArray[np.uint8], starts: I64, endian: str, count: int) -> I64:
    """`count` consecutive 32-bit words at each start, as an (n, count) int64 array (C where built).

    The record headers the walk found, read in one pass; the numpy version
    (:func:`header_words_numpy`) gathers 4 * `count` bytes per record through
    an index array of that size, a tenth of a capture's read time.
    """
    if _compiled is None or buf.size == 0 or not hasattr(_compiled, "header_words"):
        return header_words_numpy(buf, starts, endian, count)
    out = np.empty((starts.size, count), dtype=np.int64)
    _compiled.header_words(buf, np.ascontiguousarray(starts, dtype=np.int64), count, endian == ">", out)
    return out


def header_words_numpy(buf: npt.NDArray[np.uint8], starts: I64, endian: str, count: int) -> I64:
    """The numpy version of :func:`header_words`: one gather (reads past the buffer read its last byte)."""
    raw = buf.take(starts[:, None] + np.arange(4 * count), mode="clip")
    return raw.view(endian + "u4").astype(np.int64)
