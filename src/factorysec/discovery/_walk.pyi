"""Types of the C capture helpers (``_walk.c``): the record-header walks (each returns (int64 offsets as bytes, where it stopped, why)) and the per-packet decode into caller-allocated columns."""

import numpy as np
import numpy.typing as npt

def walk_pcap(
    buf: npt.NDArray[np.uint8], off: int, end: int, big: bool, max_caplen: int, /
) -> tuple[bytes, int, int]: ...
def walk_epb(
    buf: npt.NDArray[np.uint8], off: int, end: int, big: bool, max_block: int, /
) -> tuple[bytes, int, int]: ...
def decode(
    buf: npt.NDArray[np.uint8],
    off: npt.NDArray[np.int64],
    caplen: npt.NDArray[np.int64],
    link: int,
    etype: npt.NDArray[np.int64],
    ipver: npt.NDArray[np.uint8],
    addr: npt.NDArray[np.uint8],
    proto: npt.NDArray[np.uint8],
    sport: npt.NDArray[np.int64],
    dport: npt.NDArray[np.int64],
    flags: npt.NDArray[np.int64],
    payload_off: npt.NDArray[np.int64],
    payload_len: npt.NDArray[np.int64],
    src_mac: npt.NDArray[np.uint64],
    dst_mac: npt.NDArray[np.uint64],
    /,
) -> None: ...
