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
def intern(
    slot_keys: npt.NDArray[np.uint64],
    slot_ids: npt.NDArray[np.int64],
    keys: npt.NDArray[np.uint64],
    width: int,
    next_id: int,
    insert: bool,
    out: npt.NDArray[np.int64],
    /,
) -> int: ...
def accumulate(
    flow: npt.NDArray[np.int64],
    wire_len: npt.NDArray[np.int64],
    ts: npt.NDArray[np.float64],
    rank: npt.NDArray[np.int64],
    packets: npt.NDArray[np.int64],
    nbytes: npt.NDArray[np.int64],
    first: npt.NDArray[np.float64],
    last: npt.NDArray[np.float64],
    direction: npt.NDArray[np.int64],
    /,
) -> None: ...
def marks(
    buf: npt.NDArray[np.uint8],
    proto: npt.NDArray[np.uint8],
    sport: npt.NDArray[np.int64],
    dport: npt.NDArray[np.int64],
    payload_off: npt.NDArray[np.int64],
    payload_len: npt.NDArray[np.int64],
    op_table: npt.NDArray[np.int64],
    says: npt.NDArray[np.int64],
    op_code: npt.NDArray[np.int64],
    identity: npt.NDArray[np.uint8],
    /,
) -> None: ...
def header_words(
    buf: npt.NDArray[np.uint8], starts: npt.NDArray[np.int64], count: int, big: bool, out: npt.NDArray[np.int64], /
) -> None: ...
def update_sides(
    side: npt.NDArray[np.int64],
    proto: npt.NDArray[np.uint8],
    sport: npt.NDArray[np.int64],
    dport: npt.NDArray[np.int64],
    tcp_flags: npt.NDArray[np.int64],
    wire_len: npt.NDArray[np.int64],
    ts: npt.NDArray[np.float64],
    pos: npt.NDArray[np.int64],
    src_mac: npt.NDArray[np.uint64],
    dst_mac: npt.NDArray[np.uint64],
    says: npt.NDArray[np.int64],
    needs: npt.NDArray[np.bool_],
    packets: npt.NDArray[np.int64],
    nbytes: npt.NDArray[np.int64],
    first: npt.NDArray[np.float64],
    last: npt.NDArray[np.float64],
    first_position: npt.NDArray[np.int64],
    side_src_mac: npt.NDArray[np.uint64],
    side_dst_mac: npt.NDArray[np.uint64],
    inspect: npt.NDArray[np.bool_],
    syn_position: npt.NDArray[np.int64],
    syn_without_ack: npt.NDArray[np.bool_],
    says_position: npt.NDArray[np.int64],
    says_sender_is_client: npt.NDArray[np.bool_],
    no_position: int,
    /,
) -> None: ...
