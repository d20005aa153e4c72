"""Types of the C capture helpers (``_walk.c``): the record-header walks (each returns (int64 offsets as bytes, where it stopped, why)), the per-packet decode into caller-allocated columns, and the one-pass chunk step of the flow table (`chunk_flows`: why it stopped (0: done, 1 IPv4 hosts, 2 IPv6 hosts, 3 sides need room, 4 the event rows, 5 walking, an IPv6 packet), events, the packet (walking: the record's offset) to resume at, table counts, last position, flow cache count, records read, why the walk stopped)."""

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

SideColumns = tuple[
    npt.NDArray[np.int64],
    npt.NDArray[np.int64],
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.int64],
    npt.NDArray[np.uint64],
    npt.NDArray[np.uint64],
    npt.NDArray[np.bool_],
    npt.NDArray[np.int64],
    npt.NDArray[np.bool_],
    npt.NDArray[np.int64],
    npt.NDArray[np.bool_],
    npt.NDArray[np.int64],
]

RecordWalk = Callable[[npt.NDArray[np.uint8], int, int, bool, int], tuple[bytes, int, int]]
"""A record-header walk: (buf, off, end, big-endian, largest record), positional; (int64 offsets as bytes, where it
stopped, why)."""

walk_pcap: RecordWalk
walk_epb: RecordWalk

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
    side_columns: SideColumns,
    no_position: int,
    /,
) -> None: ...
def chunk_flows(
    buf: npt.NDArray[np.uint8],
    off: npt.NDArray[np.int64],
    caplen: npt.NDArray[np.int64],
    wire_len: npt.NDArray[np.int64],
    ts: npt.NDArray[np.float64],
    links: npt.NDArray[np.int64],
    v4_slot_keys: npt.NDArray[np.uint64],
    v4_slot_ids: npt.NDArray[np.int64],
    v4_keys: npt.NDArray[np.uint64],
    v4_hosts: npt.NDArray[np.int64],
    v6_slot_keys: npt.NDArray[np.uint64],
    v6_slot_ids: npt.NDArray[np.int64],
    v6_keys: npt.NDArray[np.uint64],
    v6_hosts: npt.NDArray[np.int64],
    side_slot_keys: npt.NDArray[np.uint64],
    side_slot_ids: npt.NDArray[np.int64],
    side_keys: npt.NDArray[np.uint64],
    needs: npt.NDArray[np.bool_],
    op_table: npt.NDArray[np.int64],
    side_columns: SideColumns,
    events: npt.NDArray[np.int64],
    event_ts: npt.NDArray[np.float64],
    flow_cache: npt.NDArray[np.uint64],
    mode: int,
    ts_unit: float,
    latest: float,
    max_wirelen: int,
    base: int,
    last_position: int,
    v4_hosts_known: int,
    v6_hosts_known: int,
    side_count: int,
    hosts_len: int,
    max_hosts: int,
    samples_max: int,
    no_position: int,
    v4_index_count: int,
    v6_index_count: int,
    flow_cache_count: int,
    start: int,
    events_before: int,
    index_base: int,
    walk_end: int,
    walk_limit: int,
    max_caplen: int,
    /,
) -> tuple[int, int, int, int, int, int, int, int, int, int]: ...
