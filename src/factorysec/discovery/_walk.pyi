"""Types of the C record-header walks (``_walk.c``); each returns (int64 offsets as bytes, where it stopped, why)."""

import numpy as np
import numpy.typing as npt

def walk_pcap(
    buf: npt.NDArray[np.uint8], off: int, end: int, big: bool, max_caplen: int, /
) -> tuple[bytes, int, int]: ...
def walk_epb(
    buf: npt.NDArray[np.uint8], off: int, end: int, big: bool, max_block: int, /
) -> tuple[bytes, int, int]: ...
