"""Types of the C conn.log aggregation (``_zeekconn.c``): start a run, feed it blocks of whole lines, finish it."""

def start(
    sep: str,
    width: int,
    columns: tuple[int, ...],
    tcp_ports: bytes,
    udp_ports: bytes,
    rank_handshake: int,
    rank_server_port: int,
    rank_originator: int,
    fields_line: bytes,
    separator_line: bytes,
    /,
) -> object: ...
def feed(run: object, block: bytes | memoryview, /) -> bool: ...
def finish(
    run: object, /
) -> tuple[int, list[tuple[str, str, str, str, float, float, float, float, str, str, str, int, int, int]]] | None: ...
def lines(run: object, /) -> int: ...
