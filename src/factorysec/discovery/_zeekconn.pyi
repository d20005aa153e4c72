"""Types of the C conn.log aggregation (``_zeekconn.c``)."""

import mmap

def aggregate(
    buf: mmap.mmap | bytes,
    sep: str,
    width: int,
    columns: tuple[int, ...],
    tcp_ports: bytes,
    udp_ports: bytes,
    rank_handshake: int,
    rank_server_port: int,
    rank_originator: int,
    /,
) -> tuple[int, list[tuple[str, str, str, str, float, float, float, float, str, str, str, int, int, int]]] | None: ...
