"""Record-header walks: the one sequential step of capture reading.

Finding where each packet starts needs each record's length before the next
one, so it cannot be vectorised; these loops do only that, as tightly as
plain Python allows, and leave every other field to numpy. (A numba version
was 25% faster end to end but its import alone costs ~120 MB of RSS, over the
memory budget, so it is not used.)
"""

from __future__ import annotations

import struct

import numpy as np
import numpy.typing as npt

WALK_OK = 0
WALK_OTHER_BLOCK = 1
WALK_DAMAGED = 2

I64 = npt.NDArray[np.int64]


def walk_pcap(buf: npt.NDArray[np.uint8], off: int, end: int, big: bool,
                  max_caplen: int) -> tuple[I64, int, int]:
    """Offsets of the complete pcap records in buf[off:end], where the walk stopped, and why.

    A record whose captured length exceeds `max_caplen` or its wire length is
    damaged: the walk stops before it.
    """
    data = buf.data
    caplen_at = struct.Struct(">I" if big else "<I").unpack_from
    starts: list[int] = []
    add = starts.append
    status = WALK_OK
    stop = end - 16
    while off <= stop:
        (caplen,) = caplen_at(data, off + 8)
        if caplen > max_caplen:
            status = WALK_DAMAGED
            break
        if off + 16 + caplen > end:
            break
        add(off)
        off += 16 + caplen
    out = np.asarray(starts, dtype=np.int64)
    if out.size:
        cap = _u32(buf, out + 8, big)
        wire = _u32(buf, out + 12, big)
        bad = np.flatnonzero((cap > wire) & (wire != 0))
        if bad.size:
            out, off, status = out[: bad[0]], int(out[bad[0]]), WALK_DAMAGED
    return out, off, status


def _u32(buf: npt.NDArray[np.uint8], off: I64, big: bool) -> I64:
    b = [buf.take(off + i, mode="clip").astype(np.int64) for i in range(4)]
    if big:
        return (b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]
    return b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)


def walk_epb(buf: npt.NDArray[np.uint8], off: int, end: int, big: bool,
                 max_block: int) -> tuple[I64, int, int]:
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
