"""Zeek log readers: conn.log and the ICS protocol logs, TSV or JSON, any column layout.

Columns are located by name from the `#fields` header (TSV) or the record keys
(JSON), so old Bro and new Zeek layouts both work. conn.log rows are
aggregated per (originator, responder, transport, responder port); modbus.log
and dnp3.log rows become annotation records (packets 0) that name the protocol
and count control operations, merged into the conn.log flows by the inventory.
"""

from __future__ import annotations

import gzip
import io
import itertools
import json
import math
import mmap
import re
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple, Protocol

from factorysec.discovery import protocols as P
from factorysec.discovery.identity import describe_sysdescr
from factorysec.discovery.identity import identity as identify
from factorysec.discovery.inventory import ip_sort_key, skip_count, source_stats, without_cycle_collection
from factorysec.discovery.types import (
    DIRECTION_RANK,
    ControlOperation,
    DeviceIdentity,
    DiscoveryInputError,
    FlowRecord,
    SkipCount,
    SourceStats,
    UnusedInput,
)

if TYPE_CHECKING:
    import numpy as np  # imported where used: the C conn.log reader and the other logs need none of it

CONN_REQUIRED = ("ts", "id.orig_h", "id.resp_h", "id.resp_p", "proto")
ICS_LOGS = {"modbus": "modbus-tcp", "dnp3": "dnp3"}
ICS_OPERATION_FIELD = {"modbus": "func", "dnp3": "fc_request"}
IDENTITY_LOGS = ("snmp", "cip_identity")
SUPPORTED_LOGS = ("conn",) + tuple(ICS_LOGS) + IDENTITY_LOGS
_DIRECTION_BY_RANK = {rank: name for name, rank in DIRECTION_RANK.items()}


MAX_POSITIONS = 10
"""How many positions of one kind of bad record are named in the output."""

LATEST_TIMESTAMP = 4102444800.0
"""2100-01-01: a record stamped later (or before 1970) has a damaged or unset clock field."""

MAX_IP_BYTES_PER_PACKET = 65535
"""An IP packet carries at most 65,535 bytes; more per packet means a damaged count."""


@dataclass(slots=True)
class _Skips:
    counts: dict[str, int] = field(default_factory=dict)
    lines: dict[str, list[int]] = field(default_factory=dict)

    def add(self, reason: str, line: int, n: int = 1) -> None:
        self.counts[reason] = self.counts.get(reason, 0) + n
        at = self.lines.setdefault(reason, [])
        if len(at) < MAX_POSITIONS:
            at.append(line)

    def as_tuple(self) -> tuple[SkipCount, ...]:
        return tuple(
            skip_count(r, c, "records", tuple(f"line {n}" for n in sorted(self.lines[r])))
            for r, c in sorted(self.counts.items())
        )


class _Gunzipped(io.RawIOBase):
    """A gzip file's bytes as far as they can be decompressed.

    Damage (the file cut before the end of its compressed stream, a corrupt
    stream, a checksum that does not match) ends the stream instead of raising
    in the middle of a read, and `damage` says what it was: what came before it
    is read as usual, and the reader names the damage where the bytes stop.
    """

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._gz = gzip.open(path, "rb")
        self.damage: str | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.damage is not None:
            return 0
        try:
            data = self._gz.read1(len(buffer))  # at most one decompression step: nothing read is lost to an error
        except EOFError:
            self.damage = "file ends early: truncated gzip (the file ends before its compressed stream does)"
            return 0
        except (gzip.BadGzipFile, zlib.error) as e:
            checked = str(e).startswith(("CRC check failed", "Incorrect length"))  # read to its end, then checked
            self.damage = (
                f"damaged gzip ({e}): the records read from it may be wrong"
                if checked
                else f"file ends early: damaged gzip ({e})"
            )
            return 0
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._gz.close()
        super().close()


def _gzip_damage(fh: IO[Any]) -> str | None:
    """What ended a gzipped log's stream early (see `_Gunzipped`), or None."""
    raw = getattr(getattr(fh, "buffer", fh), "raw", None)
    return raw.damage if isinstance(raw, _Gunzipped) else None


def _gunzip(path: Path) -> io.BufferedReader:
    return io.BufferedReader(_Gunzipped(path), 1 << 20)


def gunzipped_head(path: Path, size: int) -> tuple[bytes, str | None]:
    """The first `size` bytes a gzip file decompresses to, and what damage stopped it (None when none did)."""
    with _gunzip(path) as fh:
        return fh.read(size), _gzip_damage(fh)


def _open_text(path: Path) -> IO[str]:
    """A log's text, a UTF-8 byte order mark at its start left out; gzipped when its name ends in `.gz` (read as far
    as it can be, see `_Gunzipped`)."""
    if path.suffix == ".gz":
        return io.TextIOWrapper(_gunzip(path), encoding="utf-8-sig", errors="replace", newline="\n")
    return path.open("r", encoding="utf-8-sig", errors="replace", newline="\n", buffering=1 << 20)


BOM = b"\xef\xbb\xbf"
"""The UTF-8 byte order mark some editors put at the start of a file; the C pass is fed the bytes after it."""


def sniff_zeek(path: Path) -> str | None:
    """The log's path name (`conn`, `modbus`, ...) if the file looks like a Zeek log."""
    try:
        with _open_text(path) as fh:
            head = fh.read(4096)
    except OSError:
        return None
    for line in head.splitlines():
        if line.startswith("#path\t"):
            return line.split("\t", 1)[1].strip()
    first = head.lstrip()[:1]
    if first == "{":
        try:
            rec = json.loads(head.splitlines()[0])
        except (ValueError, IndexError, RecursionError):  # RecursionError: nested deeper than the parser goes
            return _path_from_name(path)
        if isinstance(rec, dict):
            if "_path" in rec:
                return str(rec["_path"])
            if "conn_state" in rec or ("proto" in rec and "id.resp_p" in rec):
                return "conn"
            if "func" in rec:
                return "modbus"
            if "fc_request" in rec:
                return "dnp3"
        return _path_from_name(path)
    if head.startswith("#separator"):
        return _path_from_name(path)
    return None


def _path_from_name(path: Path) -> str | None:
    stem = path.name.split(".")[0]
    return stem or None


def read_zeek_log(path: Path | str) -> tuple[list[FlowRecord], SourceStats]:
    """Read one Zeek log (conn, modbus, dnp3, snmp, cip_identity; TSV or JSON; optionally gzipped)."""
    p = Path(path)
    kind = sniff_zeek(p)
    if kind is None:
        damage = gunzipped_head(p, 1 << 16)[1] if p.suffix == ".gz" else None
        raise DiscoveryInputError(str(path), damage or "not a Zeek log (no #path header or JSON records)")
    if kind not in SUPPORTED_LOGS:
        raise UnusedInput(
            str(path),
            f"Zeek '{kind}' log: discovery reads only {', '.join(SUPPORTED_LOGS[:-1])} and {SUPPORTED_LOGS[-1]} logs",
        )
    if kind == "conn":
        fast = read_conn_compiled(p) or read_conn_fast(p)
        if fast is not None:
            return fast
    try:
        with _open_text(p) as fh:
            rows = _rows(fh, str(path))
            if kind == "conn":
                return _read_conn(rows, str(path))
            if kind == "snmp":
                return _read_snmp(rows, str(path))
            if kind == "cip_identity":
                return _read_cip_identity(rows, str(path))
            return _read_ics(rows, str(path), kind)
    except OSError as e:
        raise DiscoveryInputError(str(path), f"cannot read: {e}") from e


@dataclass(slots=True)
class _Rows:
    """Rows of a log as lists of strings, with the column index for each field name."""

    columns: dict[str, int]
    fields_line: int
    lines: Iterator[tuple[int, list[str]]]
    skips: _Skips
    bytes_read: int = 0
    json: bool = False
    required: tuple[str, ...] = ()
    """The fields the reader needs (set by `_need`): a later header block without them makes its rows unreadable."""


def _rows(fh: IO[str], path: str) -> _Rows:
    skips = _Skips()
    first = fh.readline()
    if first.lstrip().startswith("{"):
        return _json_rows(first, fh, path, skips)
    columns: dict[str, int] = {}
    names: list[str] = []
    fields_line = 0
    separator = "\t"
    line_no = 1
    line = first
    while line.startswith("#"):
        if line.startswith("#separator"):
            try:
                separator = _separator(line)
            except ValueError as e:
                raise DiscoveryInputError(path, str(e), line=line_no) from None
        elif line.startswith("#fields"):
            names = line.rstrip("\r\n").split(separator)[1:]
            columns = {name: i for i, name in enumerate(names)}
            fields_line = line_no
        line = fh.readline()
        line_no += 1
    if not columns:
        damage = _gzip_damage(fh)
        if damage is not None:
            raise DiscoveryInputError(path, f"{damage} before its header ends", line=line_no)
        raise DiscoveryInputError(path, "no #fields header line", line=line_no)
    if len(columns) != len(names):  # which of the columns holds the field is anyone's guess
        twice = sorted({name for name in names if names.count(name) > 1})
        raise DiscoveryInputError(path, f"#fields header names {', '.join(twice)} twice", line=fields_line)
    start_line = line_no

    def gen() -> Iterator[tuple[int, list[str]]]:
        """Data rows in the first header's column order; a later header block (logs joined with `cat`) sets the
        separator and columns of the rows after it, which are put in that order."""
        n = start_line - 1
        sep, width, order = separator, len(names), None
        sep_error: str | None = None
        layout_error: str | None = None
        for raw in itertools.chain((line,) if line else (), fh):
            n += 1
            if raw.startswith("#"):
                if raw.startswith("#separator"):
                    try:
                        sep, sep_error = _separator(raw), None
                    except ValueError as e:
                        sep_error = f"under a bad #separator header (line {n}: {e})"
                elif raw.startswith("#fields"):
                    width, order, layout_error = _relayout(names, raw.rstrip("\r\n").split(sep)[1:], rows.required, n)
                continue
            if not raw.endswith("\n") and _ends_early(fh, raw, n, skips):
                return
            if sep_error or layout_error:
                if raw.strip():
                    skips.add(sep_error or layout_error or "", n)
                continue
            parts = raw.rstrip("\r\n").split(sep)
            if len(parts) != width:
                if raw.strip():
                    skips.add("wrong number of columns", n)
                continue
            yield n, parts if order is None else [parts[i] if i >= 0 else "-" for i in order]
        _ended_early(fh, n + 1, skips)

    rows = _Rows(columns, fields_line, gen(), skips)
    return rows


def _relayout(
    first: list[str], names: list[str], required: tuple[str, ...], n: int
) -> tuple[int, list[int] | None, str | None]:
    """For the rows under a `#fields` header at line n met after the first one: (their width, where each of the first
    header's columns is in them (-1: absent, read as unset; None: the same layout), why they cannot be read)."""
    if names == first:
        return len(names), None, None
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        return len(names), None, f"under a #fields header naming {', '.join(twice)} twice (line {n})"
    missing = [name for name in required if name not in names]
    if missing:
        return len(names), None, f"under a #fields header without {', '.join(missing)} (line {n})"
    position = {name: i for i, name in enumerate(names)}
    return len(names), [position.get(name, -1) for name in first], None


def _ends_early(fh: IO[str], raw: str, n: int, skips: _Skips) -> bool:
    """Whether `raw`, line n, is the cut last line of a gzipped log whose stream ends early (then named as such)."""
    if raw.endswith("\n"):
        return False
    damage = _gzip_damage(fh)
    if damage is None:
        return False
    skips.add(f"{damage}; its last line is cut", n)
    return True


def _ended_early(fh: IO[str], n: int, skips: _Skips) -> None:
    """After the last whole line (n is the next line's number): name a gzipped log's damage where its bytes stop.

    The records read before it are kept; what the damage hid is unknown, so it counts no record.
    """
    damage = _gzip_damage(fh)
    if damage is not None:
        skips.add(damage, n, 0)


_HEX_ESCAPES = re.compile(r"(?:\\x[0-9A-Fa-f]{2})+")


def _separator(line: str) -> str:
    """The separator a `#separator` header line sets (`\\x09` spelled so, or the character itself; a tab when the
    line names none); ValueError saying why when it sets none that can be used."""
    if " " not in line:
        return "\t"
    value = line.split(" ", 1)[1].strip()
    if not value:
        raise ValueError("#separator header sets an empty separator")
    if value.startswith("\\x"):
        if not _HEX_ESCAPES.fullmatch(value):
            raise ValueError(f"#separator header value {value} is not a \\xHH escape")
        return bytes.fromhex(value.replace("\\x", "")).decode("latin-1")
    return value


def _json_rows(first: str, fh: IO[str], path: str, skips: _Skips) -> _Rows:
    """Turn JSON records into lists ordered by the keys of the first record (plus later keys)."""
    try:
        rec0 = json.loads(first)
    except ValueError as e:
        raise DiscoveryInputError(path, f"invalid JSON: {e}", line=1) from e
    except RecursionError:
        raise DiscoveryInputError(path, "invalid JSON: nested too deeply", line=1) from None
    if not isinstance(rec0, dict):
        raise DiscoveryInputError(path, "JSON record is not an object", line=1)
    names = list(rec0)
    for extra in (
        "service",
        "duration",
        "orig_pkts",
        "resp_pkts",
        "orig_ip_bytes",
        "resp_ip_bytes",
        "orig_bytes",
        "resp_bytes",
        "orig_l2_addr",
        "resp_l2_addr",
        "func",
        "fc_request",
        "id.orig_p",
        "history",
    ):
        if extra not in rec0:
            names.append(extra)
    columns = {name: i for i, name in enumerate(names)}

    def convert(rec: dict[str, Any]) -> list[str]:
        out = []
        for name in names:
            v = rec.get(name)
            if v is None:
                out.append("-")
            elif name == "ts" and isinstance(v, str):
                out.append(repr(_iso_ts(v)))
            elif isinstance(v, list):
                out.append(",".join(map(str, v)) if v else "(empty)")
            else:
                out.append(str(v))
        return out

    def gen() -> Iterator[tuple[int, list[str]]]:
        n = 1
        try:
            yield n, convert(rec0)
        except (ValueError, OverflowError, RecursionError):
            skips.add("unparsable JSON value", n)
        for raw in fh:
            n += 1
            if not raw.strip():
                continue
            if _ends_early(fh, raw, n, skips):
                return
            try:
                rec = json.loads(raw)
            except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser goes
                skips.add("invalid JSON record", n)
                continue
            if not isinstance(rec, dict):
                skips.add("invalid JSON record", n)
                continue
            try:
                row = convert(rec)
            except (ValueError, OverflowError, RecursionError):
                skips.add("unparsable JSON value", n)
                continue
            yield n, row
        _ended_early(fh, n + 1, skips)

    return _Rows(columns, 1, gen(), skips, json=True)


def _iso_ts(value: str) -> float:
    return datetime.fromisoformat(value).timestamp()


def _need(rows: _Rows, path: str, names: tuple[str, ...]) -> None:
    rows.required = names
    missing = [n for n in names if n not in rows.columns]
    if missing:
        raise DiscoveryInputError(path, f"missing required field(s) {', '.join(missing)}", line=rows.fields_line)


def _num(v: str) -> float:
    return 0.0 if v == "-" or v == "" else float(v)


def orient(orig_p: str, resp_p: str, history: str, proto: str) -> tuple[bool, str]:
    """(swap, evidence): whether Zeek's responder is really the client, and what says so.

    Zeek's originator is the sender of the first packet it saw, which is the
    server for a session already running when the capture started. Its
    `history` letters settle it when the handshake was seen (upper case =
    originator: `S` SYN, `H` SYN-ACK; lower case = responder); otherwise a
    registered server port on exactly one side decides.
    """
    if history not in ("-", ""):
        if "S" in history or "h" in history:
            return False, "handshake"
        if "s" in history or "H" in history:
            return True, "handshake"
    ip_proto = P.transport_number(proto)
    known = P.known_server_ports(ip_proto)
    o_known = orig_p.isdigit() and int(orig_p) in known
    r_known = resp_p.isdigit() and int(resp_p) in known
    if r_known and not o_known:
        return False, "server-port"
    if o_known and not r_known:
        return True, "server-port"
    return False, "originator"


def _port(text: str, cache: dict[str, bool]) -> bool:
    """Whether a port field holds a port number (0 to 65535, plain ASCII digits)."""
    ok = cache.get(text)
    if ok is None:
        ok = cache[text] = text.isascii() and text.isdigit() and int(text) <= 65535
    return ok


def _ports_valid(orig_p: str, resp_p: str, cache: dict[str, bool]) -> bool:
    """A record's ports: the responder's a port number, the originator's one too or unset."""
    return _port(resp_p, cache) and (orig_p in ("-", "") or _port(orig_p, cache))


NEGATIVE = "negative packet or byte count"


def _plausible(ts: float, du: float, pk: float, by: float) -> str | None:
    """Why a conn record cannot be true, or None."""
    if not (0.0 <= ts < LATEST_TIMESTAMP) or not (0.0 <= du < LATEST_TIMESTAMP):
        return "timestamp or duration out of range"
    if pk < 0 or by < 0:
        return NEGATIVE
    if by > max(pk, 1.0) * MAX_IP_BYTES_PER_PACKET:
        return "implausible byte count for its packet count (damaged field)"
    return None


def _read_conn(rows: _Rows, path: str) -> tuple[list[FlowRecord], SourceStats]:
    _need(rows, path, CONN_REQUIRED)
    c = rows.columns
    dash = len(c)  # index of a synthetic "-" column appended for absent fields

    def col(*names: str) -> int:
        for name in names:
            if name in c:
                return c[name]
        return dash

    i_ts, i_oh, i_rh, i_rp, i_pr = (c[n] for n in CONN_REQUIRED)
    i_sv = col("service")
    i_du = col("duration")
    i_op, i_rpk = col("orig_pkts"), col("resp_pkts")
    i_ob, i_rb = col("orig_ip_bytes", "orig_bytes"), col("resp_ip_bytes", "resp_bytes")
    i_om, i_rm = col("orig_l2_addr"), col("resp_l2_addr")
    i_oport, i_hist = col("id.orig_p"), col("history")
    pad = ["-"]
    agg: dict[tuple[str, str, str, str], list[Any]] = {}
    resp_ports: dict[str, bool] = {}
    orig_ports = {"-": True, "": True}  # the originator's port may be unset
    skips = rows.skips
    count = 0
    for n, parts in rows.lines:
        parts += pad
        try:
            ts = float(parts[i_ts])
            du = _num(parts[i_du])
            op, rpk = _num(parts[i_op]), _num(parts[i_rpk])
            ob, rb = _num(parts[i_ob]), _num(parts[i_rb])
        except ValueError:
            skips.add("unparsable number", n)
            continue
        pk, by = op + rpk, ob + rb
        if not math.isfinite(ts + du + pk + by):  # an infinity or NaN in any of them
            skips.add("unparsable number", n)
            continue
        wrong = _plausible(ts, du, pk, by) if op >= 0 and rpk >= 0 and ob >= 0 and rb >= 0 else NEGATIVE
        if wrong is not None:
            skips.add(wrong, n)
            continue
        oport, rport = parts[i_oport], parts[i_rp]
        if not (resp_ports.get(rport) or _port(rport, resp_ports)) or not (
            orig_ports.get(oport) or _port(oport, orig_ports)
        ):
            skips.add("invalid port", n)
            continue
        swap, direction = orient(parts[i_oport], parts[i_rp], parts[i_hist], parts[i_pr])
        if swap:
            key = (parts[i_rh], parts[i_oh], parts[i_pr], parts[i_oport])
            cmac, smac = parts[i_rm], parts[i_om]
        else:
            key = (parts[i_oh], parts[i_rh], parts[i_pr], parts[i_rp])
            cmac, smac = parts[i_om], parts[i_rm]
        rank = DIRECTION_RANK[direction]
        count += 1
        slot = agg.get(key)
        end = ts + du
        if slot is None:
            agg[key] = [pk, by, ts, end, parts[i_sv], cmac, smac, n, 1, rank]
        else:
            slot[0] += pk
            slot[1] += by
            slot[2] = min(slot[2], ts)
            slot[3] = max(slot[3], end)
            for at, value in ((4, parts[i_sv]), (5, cmac), (6, smac)):  # service and MACs: the first value set
                if slot[at] == "-":
                    slot[at] = value
            slot[8] += 1
            slot[9] = max(slot[9], rank)
    records = _conn_records(agg, path, skips)
    return records, source_stats(
        path=path,
        kind="zeek-conn" + ("-json" if rows.json else ""),
        records=count,
        bytes_read=0,
        flows=len(records),
        skipped=skips.as_tuple(),
    )


def _valid_ip(text: str, cache: dict[str, bool]) -> bool:
    ok = cache.get(text)
    if ok is None:
        ok = cache[text] = _ip_key(text) >= 0
    return ok


def _mac(v: str) -> str | None:
    return None if v in ("-", "", "(empty)") else v.lower()


@without_cycle_collection
def _conn_records(agg: dict[tuple[str, str, str, str], list[Any]], path: str, skips: _Skips) -> list[FlowRecord]:
    """The flow records of a conn.log's flows (every value below has its field's type)."""
    ips: dict[str, bool] = {}
    out: list[FlowRecord] = []
    for (oh, rh, proto, rp), (pk, by, first, last, service, om, rm, line, nrec, rank) in agg.items():
        if not (_valid_ip(oh, ips) and _valid_ip(rh, ips)) or not rp.isdigit():
            skips.add("invalid address", line, nrec)  # the ports were checked on each record
            continue
        ip_proto = P.transport_number(proto)
        port = int(rp)
        spec = P.by_zeek_service(service) if service not in ("-", "") else None
        if spec is not None:
            protocol, evidence = spec.id, "zeek-service"
        else:
            protocol, evidence = P.recognise(ip_proto, port, [])
        out.append(
            FlowRecord(
                str(oh),
                str(rh),
                P.transport_name(ip_proto),
                port,
                protocol,
                evidence,
                int(pk),
                int(by),
                float(first),
                float(last),
                path,
                _mac(om),
                _mac(rm),
                (),
                True,
                _DIRECTION_BY_RANK[rank],
            )
        )
    out.sort(key=_record_order)
    return out


def _record_order(r: FlowRecord) -> tuple[int, int, str, int]:
    return (_ip_key(r.client), _ip_key(r.server), r.transport, r.port)


def _ip_key(text: str) -> int:
    """Numeric order of an address (IPv6 after IPv4), -1 when it is not one (the inventory's cached sort key)."""
    version, value = ip_sort_key(text)
    if version == 9:
        return -1
    return value + (0 if version == 4 else 1 << 32)


def _read_ics(rows: _Rows, path: str, kind: str) -> tuple[list[FlowRecord], SourceStats]:
    _need(rows, path, ("ts", "id.orig_h", "id.resp_h", "id.resp_p"))
    c = rows.columns
    dash = len(c)
    i_ts, i_oh, i_rh, i_rp = c["ts"], c["id.orig_h"], c["id.resp_h"], c["id.resp_p"]
    i_fn = c.get(ICS_OPERATION_FIELD[kind], dash)
    i_oport = c.get("id.orig_p", dash)
    protocol = ICS_LOGS[kind]
    agg: dict[tuple[str, str, str, str], list[Any]] = {}
    ports: dict[str, bool] = {}
    skips = rows.skips
    count = 0
    for n, parts in rows.lines:
        parts.append("-")
        try:
            ts = float(parts[i_ts])
        except ValueError:
            skips.add("unparsable number", n)
            continue
        if not 0.0 <= ts < LATEST_TIMESTAMP:
            skips.add("timestamp out of range", n)
            continue
        if not _ports_valid(parts[i_oport], parts[i_rp], ports):
            skips.add("invalid port", n)
            continue
        count += 1
        swap, direction = orient(parts[i_oport], parts[i_rp], "-", "tcp")
        if swap:
            key = (parts[i_rh], parts[i_oh], parts[i_oport], direction)
        else:
            key = (parts[i_oh], parts[i_rh], parts[i_rp], direction)
        slot = agg.setdefault(key, [ts, ts, {}, n, 0])
        slot[0] = min(slot[0], ts)
        slot[1] = max(slot[1], ts)
        slot[4] += 1
        code = P.zeek_operation(kind, parts[i_fn])
        if code is not None:
            op = slot[2].setdefault(code, [0, ts, ts])
            op[0] += 1
            op[1] = min(op[1], ts)
            op[2] = max(op[2], ts)
    ips: dict[str, bool] = {}
    out: list[FlowRecord] = []
    for (oh, rh, rp, direction), (first, last, ops, line, nrec) in agg.items():
        if not (_valid_ip(oh, ips) and _valid_ip(rh, ips)) or not rp.isdigit():
            skips.add("invalid address", line, nrec)  # the ports were checked on each record
            continue
        operations = tuple(
            ControlOperation(
                protocol=P.CONTROL_OPERATIONS[code][0],
                operation=P.CONTROL_OPERATIONS[code][1],
                code=code & 0xFF,
                count=v[0],
                first_seen=v[1],
                last_seen=v[2],
            )
            for code, v in sorted(ops.items())
        )
        out.append(
            FlowRecord(
                client=oh,
                server=rh,
                transport="tcp",
                port=int(rp),
                protocol=protocol,
                evidence=f"zeek-{kind}-log",
                packets=0,
                bytes=0,
                first_seen=first,
                last_seen=last,
                source=path,
                operations=operations,
                from_log=True,
                direction=direction,
            )
        )
    out.sort(key=_record_order)
    return out, source_stats(
        path=path,
        kind=f"zeek-{kind}" + ("-json" if rows.json else ""),
        records=count,
        bytes_read=0,
        flows=len(out),
        skipped=skips.as_tuple(),
    )


_FAST_COLUMNS = (
    "service",
    "duration",
    "orig_pkts",
    "resp_pkts",
    "orig_ip_bytes",
    "resp_ip_bytes",
    "orig_l2_addr",
    "resp_l2_addr",
    "id.orig_p",
    "history",
)


class _TsvHeader(NamedTuple):
    separator: str
    names: list[str]
    fields_line: str
    """The `#fields` line and the `#separator` line ("" when there is none) as written, without their newline."""
    separator_line: str


def _tsv_header(path: Path) -> _TsvHeader | None:
    """A TSV log's separator and field names from its header, or None if it has none (or one the readers reject)."""
    separator, separator_line = "\t", ""
    with _open_text(path) as fh:
        for line in fh:
            if not line.startswith("#"):
                return None
            if line.startswith("#separator"):
                try:
                    separator = _separator(line)
                except ValueError:  # the Python readers name it
                    return None
                separator_line = line.rstrip("\r\n")
            elif line.startswith("#fields"):
                fields_line = line.rstrip("\r\n")
                return _TsvHeader(separator, fields_line.split(separator)[1:], fields_line, separator_line)
    return None


Groups = list[tuple[str, str, str, str, float, float, float, float, str, str, str, int, int, int]]
"""Per flow, in order of first appearance: client, server, transport, port, packets, bytes, first, last, service,
client MAC, server MAC ("-" when unset), first line, rows, direction rank."""


class _CompiledConn(Protocol):
    """What ``_zeekconn.c`` provides (see its header comment and ``_zeekconn.pyi``)."""

    def start(
        self,
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

    def feed(self, run: object, block: bytes | memoryview, /) -> bool: ...

    def finish(self, run: object, /) -> tuple[int, Groups] | None: ...

    def lines(self, run: object, /) -> int: ...


def _load_compiled() -> _CompiledConn | None:
    try:
        from factorysec.discovery import _zeekconn
    except ImportError:  # installed where no C compiler was found: the pandas reader does the work
        return None
    return _zeekconn


_compiled = _load_compiled()

COMPILED = _compiled is not None
"""Whether the C conn.log aggregation was built at install time."""

_COMPILED_COLUMNS = (
    ("ts",),
    ("id.orig_h",),
    ("id.resp_h",),
    ("id.resp_p",),
    ("proto",),
    ("service",),
    ("duration",),
    ("orig_pkts",),
    ("resp_pkts",),
    ("orig_ip_bytes", "orig_bytes"),
    ("resp_ip_bytes", "resp_bytes"),
    ("orig_l2_addr",),
    ("resp_l2_addr",),
    ("id.orig_p",),
    ("history",),
)
"""The columns the C aggregation reads, in its order; where two names are given the first present is read."""


@cache
def _server_port_table(ip_proto: int) -> bytes:
    """65,536 flags, one per port: whether the protocol table registers it as a server port of this transport."""
    table = bytearray(65536)
    for port in P.known_server_ports(ip_proto):
        table[port] = 1
    return bytes(table)


BLOCK_BYTES = 8 << 20
"""How much of a conn.log the C aggregation is given at a time (whole lines)."""


def read_conn_compiled(path: Path) -> tuple[list[FlowRecord], SourceStats] | None:
    """A clean TSV conn.log (optionally gzipped) aggregated in C in one pass over its bytes.

    The Python loop over rows cost about 150k records per CPU-second even
    through pandas' C parser (parsing a third, per-chunk grouping the rest);
    the C pass reads the bytes once, in blocks of whole lines, and keeps one
    entry per flow, so a million-record log takes a fraction of a second and
    memory is a block plus the flows, whatever the file's size. It implements
    the line-by-line reader's rules (tests compare the two on the real logs)
    and returns None, for the pandas and then the line-by-line reader to take
    the file, when the extension is not built, the log is JSON, or any row is
    not clean.
    """
    run = _start_run(path)
    if run is None or not (_feed_mapped(run, path) if path.suffix != ".gz" else _feed_read(run, path)):
        return None
    assert _compiled is not None
    result = _compiled.finish(run)
    if result is None:
        return None
    rows, groups = result
    agg: dict[tuple[str, str, str, str], list[Any]] = {
        (client, server, proto, port): [pk, by, first, last, service, cmac, smac, line, count, rank]
        for client, server, proto, port, pk, by, first, last, service, cmac, smac, line, count, rank in groups
    }
    return _conn_result(path, rows, agg)


def _start_run(path: Path) -> object | None:
    """A C aggregation set up from the log's header, or None when the C pass cannot take the file."""
    if _compiled is None:
        return None
    header = _tsv_header(path)
    if header is None:
        return None
    sep, names = header.separator, header.names
    if len(sep) != 1 or not sep.isascii() or any(n not in names for n in CONN_REQUIRED) or len(set(names)) < len(names):
        return None  # a name given twice: the Python readers say so
    position = {name: i for i, name in enumerate(names)}
    columns = tuple(next((position[n] for n in choice if n in position), -1) for choice in _COMPILED_COLUMNS)
    return _compiled.start(
        sep,
        len(names),
        columns,
        _server_port_table(P.IP_PROTO_TCP),
        _server_port_table(P.IP_PROTO_UDP),
        DIRECTION_RANK["handshake"],
        DIRECTION_RANK["server-port"],
        DIRECTION_RANK["originator"],
        header.fields_line.encode(),  # a mid-file header other than these hands the file to the Python readers
        header.separator_line.encode(),
    )


ConnPart = tuple[int, int, Groups]
"""What the C pass gives for a part of a conn.log: (rows, lines fed, groups with line numbers within the part)."""


def conn_log_size(path: Path) -> int | None:
    """The size of a plain TSV conn.log the C pass can read in parts (`read_conn_part`), else None."""
    try:
        if path.suffix == ".gz" or sniff_zeek(path) != "conn" or _start_run(path) is None:
            return None
        return path.stat().st_size
    except OSError:
        return None


def read_conn_part(path: Path, start: int, end: int) -> ConnPart | None:
    """Run in a worker: the C pass over the lines of a conn.log that start in bytes [start, end).

    None when a row is not clean (the whole file then goes to the Python
    readers, as in a single run). `merge_conn_parts` puts the parts together.
    """
    run = _start_run(path)
    if run is None:
        return None
    assert _compiled is not None
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        size = len(mapped)
        first = (3 if mapped[:3] == BOM else 0) if start <= 0 else _line_start(mapped, start, size)
        last = size if end >= size else _line_start(mapped, end, size)
        view = memoryview(mapped)
        try:
            at = first
            while at < last:
                stop = min(at + BLOCK_BYTES, last)
                if stop < last:
                    stop = _line_start(mapped, stop, last)
                if not _compiled.feed(run, view[at:stop]):
                    return None
                at = stop
        finally:
            view.release()
    result = _compiled.finish(run)
    if result is None:
        return None
    rows, groups = result
    return rows, _compiled.lines(run), groups


def _line_start(mapped: mmap.mmap, at: int, limit: int) -> int:
    """Where the first line that starts at or after byte `at` starts (`limit` if none does before it)."""
    found = mapped.find(b"\n", at - 1, limit)
    return limit if found < 0 else found + 1


def merge_conn_parts(path: Path, parts: Sequence[ConnPart | None]) -> tuple[list[FlowRecord], SourceStats] | None:
    """The records and statistics of a conn.log read in parts, in file order: exactly those of one pass.

    Counts add up (whole numbers, exact in floating point), times take their
    minimum and maximum, the direction its strongest evidence, and a flow's
    line, service and MACs come from the first part that has them. None when a
    part was not clean.
    """
    agg: dict[tuple[str, str, str, str], list[Any]] = {}
    rows = offset = 0
    for part in parts:
        if part is None:
            return None
        part_rows, part_lines, groups = part
        for client, server, proto, port, pk, by, first, last, service, cmac, smac, line, count, rank in groups:
            slot = agg.get((client, server, proto, port))
            if slot is None:
                agg[(client, server, proto, port)] = [
                    pk,
                    by,
                    first,
                    last,
                    service,
                    cmac,
                    smac,
                    line + offset,
                    count,
                    rank,
                ]
                continue
            slot[0] += pk
            slot[1] += by
            slot[2] = min(slot[2], first)
            slot[3] = max(slot[3], last)
            for at, value in ((4, service), (5, cmac), (6, smac)):
                if slot[at] == "-":
                    slot[at] = value
            slot[8] += count
            slot[9] = max(slot[9], rank)
        rows += part_rows
        offset += part_lines
    return _conn_result(path, rows, agg)


def _conn_result(
    path: Path, rows: int, agg: dict[tuple[str, str, str, str], list[Any]]
) -> tuple[list[FlowRecord], SourceStats]:
    skips = _Skips()
    out = _conn_records(agg, str(path), skips)
    return out, source_stats(
        path=str(path), kind="zeek-conn", records=rows, bytes_read=0, flows=len(out), skipped=skips.as_tuple()
    )


def _feed_read(run: object, path: Path) -> bool:
    """Feed a (gzipped) log to the C aggregation in blocks of whole lines; False when a row is not clean."""
    assert _compiled is not None
    with _gunzip(path) as fh:
        rest = b""
        if fh.peek(3)[:3] == BOM:
            fh.read(3)
        while block := fh.read(BLOCK_BYTES):
            block = rest + block
            cut = block.rfind(b"\n") + 1
            if not _compiled.feed(run, memoryview(block)[:cut]):
                return False
            rest = block[cut:]
        if _gzip_damage(fh) is not None:  # the Python readers name where it ends
            return False
        return not rest or _compiled.feed(run, rest)


def _feed_mapped(run: object, path: Path) -> bool:
    """Feed a plain log to the C aggregation as views of a memory map, in blocks of whole lines.

    Reading blocks copied every byte twice (from the page cache, then onto
    the previous block's last partial line), about a tenth of the pass. The
    pages of the blocks already fed are given back (MADV_DONTNEED), so the
    resident memory stays about a block whatever the file's size.
    """
    assert _compiled is not None
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        view = memoryview(mapped)
        try:
            size, start, released = len(mapped), 0, 0
            if mapped[:3] == BOM:
                start = 3
            while start < size:
                end = size if size - start <= BLOCK_BYTES else mapped.rfind(b"\n", start, start + BLOCK_BYTES) + 1
                if end <= start:  # a line longer than a block: up to its end
                    found = mapped.find(b"\n", start + BLOCK_BYTES)
                    end = size if found < 0 else found + 1
                if not _compiled.feed(run, view[start:end]):
                    return False
                start = end
                release = start - start % mmap.PAGESIZE
                if release > released and hasattr(mmap, "MADV_DONTNEED"):
                    mapped.madvise(mmap.MADV_DONTNEED, released, release - released)
                    released = release
            return True
        finally:
            view.release()


def read_conn_fast(path: Path, chunk_rows: int = 250_000) -> tuple[list[FlowRecord], SourceStats] | None:
    """Clean TSV conn.log through pandas' C parser, aggregated chunk by chunk.

    Returns None (and the caller uses the line-by-line reader, which names
    every bad line) when the file is JSON, lacks required columns, or has any
    row that does not parse cleanly or is implausible.
    """

    import warnings

    import pandas as pd  # type: ignore[import-untyped]

    header = _tsv_header(path)
    if header is None:
        return None
    sep, names = header.separator, header.names
    if len(sep) != 1 or any(n not in names for n in CONN_REQUIRED):
        return None
    use = [n for n in CONN_REQUIRED + _FAST_COLUMNS if n in names]
    numeric = [n for n in ("duration", "orig_pkts", "resp_pkts", "orig_ip_bytes", "resp_ip_bytes") if n in use]
    dtypes: dict[str, Any] = {n: "float64" for n in numeric + ["ts"]}
    dtypes.update({n: "object" for n in use if n not in dtypes})
    # The last column read as text, without "-" as unset: pandas fills the fields missing from a short row with "",
    # which Zeek never writes (an empty value is "(empty)"), so "" there is most likely a row with too few columns:
    # the line-by-line reader tells and names it.
    last = names[-1]
    if last not in use:
        use.append(last)
    dtypes[last] = "object"
    na_values = {n: ["-"] for n in use if n != last}
    agg: dict[tuple[str, str, str, str], list[Any]] = {}
    records = 0
    watch = _HeaderWatch(_gunzip(path) if path.suffix == ".gz" else path.open("rb"))
    try:
        with warnings.catch_warnings(), io.BufferedReader(watch, 1 << 20) as stream:
            warnings.simplefilter("error")
            reader = pd.read_csv(
                stream,
                sep=sep,
                comment="#",
                header=None,
                names=names,
                usecols=use,
                na_values=na_values,
                keep_default_na=False,
                dtype=dtypes,
                chunksize=chunk_rows,
                engine="c",
                on_bad_lines="error",
                quoting=3,
            )
            for df in reader:
                if (df[last].isna() | (df[last] == "")).to_numpy().any():
                    return None
                df[last] = df[last].mask(df[last] == "-")
                if last in dtypes and last in numeric + ["ts"]:
                    df[last] = pd.to_numeric(df[last])
                if df[list(CONN_REQUIRED)].isna().to_numpy().any() or not _all_plausible(df):
                    return None
                records += len(df)
                _merge_chunk(df, agg)
    except (ValueError, pd.errors.ParserError, pd.errors.ParserWarning, UnicodeDecodeError, EOFError, zlib.error):
        return None  # the Python readers name what is wrong (a damaged gzip too)
    except OSError:  # gzip.BadGzipFile among them
        return None
    if watch.repeated or _gzip_damage(watch.inner) is not None:
        return None  # a second header (its columns are the Python readers' to follow), or a damaged gzip
    skips = _Skips()
    out = _conn_records(agg, str(path), skips)
    return out, source_stats(
        path=str(path), kind="zeek-conn", records=records, bytes_read=0, flows=len(out), skipped=skips.as_tuple()
    )


class _HeaderWatch(io.RawIOBase):
    """A log's bytes passed on unchanged, noting whether a `#fields` or `#separator` line comes more than once.

    The pandas reader passes over `#` lines; a second header block (logs joined with `cat`) may name other
    columns, which the line-by-line reader follows.
    """

    MARKS = (b"\n#fields", b"\n#separator")

    def __init__(self, inner: IO[bytes]) -> None:
        super().__init__()
        self.inner = inner
        self.seen = dict.fromkeys(self.MARKS, 0)
        self._tail = b"\n"  # the last bytes read: a mark may straddle two reads

    @property
    def repeated(self) -> bool:
        return any(count > 1 for count in self.seen.values())

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.inner.read(len(buffer))
        if not data:
            return 0
        buffer[: len(data)] = data
        chunk = self._tail + data
        for mark in self.MARKS:  # a mark wholly inside the tail was counted with the read before
            self.seen[mark] += chunk.count(mark, max(0, len(self._tail) - len(mark) + 1))
        self._tail = chunk[-16:]
        return len(data)

    def close(self) -> None:
        self.inner.close()
        super().close()


def _column(df: Any, name: str) -> np.ndarray:
    """A numeric column with unset values as 0 (an all-zero column when absent)."""
    import numpy as np

    if name not in df:
        return np.zeros(len(df))
    values: np.ndarray = np.nan_to_num(df[name].to_numpy(dtype=np.float64))
    return values


def _first_text(df: Any, name: str, gi: np.ndarray, groups: int) -> list[str]:
    """Per group, the first set value of a text column, or '-'."""
    import numpy as np

    out = ["-"] * groups
    if name not in df:
        return out
    values = df[name].to_numpy()
    present = np.flatnonzero(df[name].notna().to_numpy())
    if present.size:
        g, first = np.unique(gi[present], return_index=True)
        for group, row in zip(g.tolist(), present[first].tolist(), strict=True):
            out[group] = str(values[row])
    return out


def _all_plausible(df: Any) -> bool:
    """The vectorised form of `_plausible` over a chunk (any failure sends the file to the slow path)."""
    import numpy as np

    ts = df["ts"].to_numpy(dtype=np.float64)
    du = _column(df, "duration")
    counts = [_column(df, name) for name in ("orig_pkts", "resp_pkts", "orig_ip_bytes", "resp_ip_bytes")]
    pk = counts[0] + counts[1]
    by = counts[2] + counts[3]
    ok = (
        (ts >= 0)
        & (ts < LATEST_TIMESTAMP)
        & (du >= 0)
        & (du < LATEST_TIMESTAMP)
        & (by <= np.maximum(pk, 1.0) * MAX_IP_BYTES_PER_PACKET)
    )
    for count in counts:
        ok &= count >= 0
    for name in ("duration", "orig_pkts", "resp_pkts", "orig_ip_bytes", "resp_ip_bytes"):
        if name in df:  # `_column` makes an infinity a finite number
            ok &= ~np.isinf(df[name].to_numpy(dtype=np.float64))
    ports: dict[str, bool] = {}
    ok &= _per_value(df["id.resp_p"], lambda v: isinstance(v, str) and _port(v, ports)).astype(bool)
    if "id.orig_p" in df:
        ok &= _per_value(df["id.orig_p"], lambda v: not isinstance(v, str) or v == "" or _port(v, ports)).astype(bool)
    return bool(ok.all())


def _per_value(values: Any, decide: Any) -> np.ndarray:
    """`decide` applied to each distinct value of a column only (logs repeat few values)."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    out: np.ndarray = np.asarray([decide(u) for u in uniques])[codes]
    return out


def _orient_chunk(df: Any) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised `orient`: (swap, direction rank) for every row of a chunk."""
    import numpy as np

    n = len(df)
    rank = np.full(n, DIRECTION_RANK["originator"], dtype=np.int64)
    swap = np.zeros(n, dtype=np.bool_)
    decided = np.zeros(n, dtype=np.bool_)
    if "history" in df:

        def by_history(h: Any) -> int:
            if not isinstance(h, str):
                return -1
            if "S" in h or "h" in h:
                return 0
            return 1 if "s" in h or "H" in h else -1

        verdict = _per_value(df["history"], by_history)
        decided = verdict >= 0
        swap = verdict == 1
        rank[decided] = DIRECTION_RANK["handshake"]
    if "id.orig_p" in df:
        for name, number in (("tcp", P.IP_PROTO_TCP), ("udp", P.IP_PROTO_UDP)):
            on = np.asarray(df["proto"] == name) & ~decided
            if not on.any():
                continue
            known = {str(port) for port in P.known_server_ports(number)}
            o_known = _per_value(df["id.orig_p"], lambda v, k=known: v in k) & on
            r_known = _per_value(df["id.resp_p"], lambda v, k=known: v in k) & on
            by_port = o_known ^ r_known
            swap = swap | (by_port & o_known)
            rank[by_port] = DIRECTION_RANK["server-port"]
    return swap, rank


def _merge_chunk(df: Any, agg: dict[tuple[str, str, str, str], list[Any]]) -> None:
    """Aggregate one chunk of conn rows (numpy over group numbers) into `agg`.

    Rows are first turned client-to-server (see `orient`), so a session seen
    from its middle joins the flow of sessions whose handshake was captured.
    """
    import numpy as np

    swap, rank = _orient_chunk(df)
    df = df.copy()
    if swap.any():
        pairs = (("id.orig_h", "id.resp_h"), ("id.orig_p", "id.resp_p"), ("orig_l2_addr", "resp_l2_addr"))
        for a, b in pairs:
            if a in df and b in df:
                left, right = df[a].to_numpy(copy=True), df[b].to_numpy(copy=True)
                df[a] = np.where(swap, right, left)
                df[b] = np.where(swap, left, right)
    keys = ["id.orig_h", "id.resp_h", "proto", "id.resp_p"]
    gi = df.groupby(keys, sort=False).ngroup().to_numpy()
    groups = int(gi.max()) + 1
    pk = np.bincount(gi, _column(df, "orig_pkts") + _column(df, "resp_pkts"), groups)
    by = np.bincount(gi, _column(df, "orig_ip_bytes") + _column(df, "resp_ip_bytes"), groups)
    n = np.bincount(gi, minlength=groups)
    best = np.zeros(groups, dtype=np.int64)
    np.maximum.at(best, gi, rank)
    ts = df["ts"].to_numpy(dtype=np.float64)
    first = np.full(groups, np.inf)
    last = np.full(groups, -np.inf)
    np.minimum.at(first, gi, ts)
    np.maximum.at(last, gi, ts + _column(df, "duration"))
    _, rows = np.unique(gi, return_index=True)
    key_rows = df[keys].to_numpy()[rows]
    service = _first_text(df, "service", gi, groups)
    orig_mac = _first_text(df, "orig_l2_addr", gi, groups)
    resp_mac = _first_text(df, "resp_l2_addr", gi, groups)
    for g in range(groups):
        key = tuple(str(v) for v in key_rows[g])
        slot = agg.get(key)  # type: ignore[arg-type]
        if slot is None:
            agg[key] = [  # type: ignore[index]
                float(pk[g]),
                float(by[g]),
                float(first[g]),
                float(last[g]),
                service[g],
                orig_mac[g],
                resp_mac[g],
                0,
                int(n[g]),
                int(best[g]),
            ]
            continue
        slot[0] += float(pk[g])
        slot[1] += float(by[g])
        slot[2] = min(slot[2], float(first[g]))
        slot[3] = max(slot[3], float(last[g]))
        if slot[4] == "-":
            slot[4] = service[g]
        slot[8] += int(n[g])
        slot[9] = max(slot[9], int(best[g]))


def _read_snmp(rows: _Rows, path: str) -> tuple[list[FlowRecord], SourceStats]:
    """snmp.log: the manager -> agent flows, and the agent's sysDescr (`display_string`) as identity."""
    _need(rows, path, ("ts", "id.orig_h", "id.resp_h", "id.resp_p"))
    c = rows.columns
    dash = len(c)
    i_ts, i_oh, i_rh, i_rp = c["ts"], c["id.orig_h"], c["id.resp_h"], c["id.resp_p"]
    i_op, i_ds = c.get("id.orig_p", dash), c.get("display_string", dash)
    skips = rows.skips
    flows: dict[tuple[str, str, str, str], list[Any]] = {}
    found: dict[tuple[str, str], DeviceIdentity] = {}
    ips: dict[str, bool] = {}
    ports: dict[str, bool] = {}
    count = 0
    for n, parts in rows.lines:
        parts.append("-")
        try:
            ts = float(parts[i_ts])
        except ValueError:
            skips.add("unparsable number", n)
            continue
        if not 0.0 <= ts < LATEST_TIMESTAMP:
            skips.add("timestamp out of range", n)
            continue
        swap, direction = orient(parts[i_op], parts[i_rp], "-", "udp")
        client, server, port = (
            (parts[i_rh], parts[i_oh], parts[i_op]) if swap else (parts[i_oh], parts[i_rh], parts[i_rp])
        )
        if not _ports_valid(parts[i_op], parts[i_rp], ports):
            skips.add("invalid port", n)
            continue
        if not (_valid_ip(client, ips) and _valid_ip(server, ips)) or not port.isdigit():
            skips.add("invalid address", n)
            continue
        count += 1
        slot = flows.setdefault((client, server, port, direction), [ts, ts])
        slot[0], slot[1] = min(slot[0], ts), max(slot[1], ts)
        text = parts[i_ds]
        if text not in ("-", "", "(empty)") and (server, text) not in found:
            found[(server, text)] = identify(
                server, "snmp", describe_sysdescr(text), f"{path} line {n}", path, ts, raw=text
            )
    records = [
        FlowRecord(
            client=cl,
            server=sv,
            transport="udp",
            port=int(pt),
            protocol="snmp",
            evidence="zeek-snmp-log",
            packets=0,
            bytes=0,
            first_seen=lo,
            last_seen=hi,
            source=path,
            from_log=True,
            direction=direction,
        )
        for (cl, sv, pt, direction), (lo, hi) in flows.items()
    ]
    records.sort(key=_record_order)
    return records, source_stats(
        path=path,
        kind="zeek-snmp" + ("-json" if rows.json else ""),
        records=count,
        bytes_read=0,
        flows=len(records),
        skipped=skips.as_tuple(),
        identities=tuple(found.values()),
    )


def _read_cip_identity(rows: _Rows, path: str) -> tuple[list[FlowRecord], SourceStats]:
    """cip_identity.log (ICSNPP EtherNet/IP parser): one identity per device that answered."""
    _need(rows, path, ("ts", "id.orig_h", "id.resp_h"))
    c = rows.columns
    dash = len(c)

    def get(parts: list[str], name: str) -> str | None:
        v = parts[c.get(name, dash)]
        return None if v in ("-", "", "(empty)") else v

    skips = rows.skips
    found: dict[tuple[str, tuple[tuple[str, str], ...]], DeviceIdentity] = {}
    ips: dict[str, bool] = {}
    count = 0
    for n, parts in rows.lines:
        parts.append("-")
        try:
            ts = float(parts[c["ts"]])
        except ValueError:
            skips.add("unparsable number", n)
            continue
        device = get(parts, "socket_address")
        if device is None or not _valid_ip(device, ips) or device == "0.0.0.0":
            device = parts[c["id.orig_h"]] if get(parts, "id.orig_p") == "44818" else parts[c["id.resp_h"]]
        if not _valid_ip(device, ips):
            skips.add("invalid address", n)
            continue
        count += 1
        vendor = get(parts, "vendor_name") or (
            f"CIP vendor {get(parts, 'vendor_id')}" if get(parts, "vendor_id") else None
        )
        model = (
            ", ".join(
                x
                for x in (
                    get(parts, "device_type_name"),
                    f"product code {get(parts, 'product_code')}" if get(parts, "product_code") else None,
                )
                if x
            )
            or None
        )
        fields = {
            k: v
            for k, v in (
                ("vendor", vendor),
                ("product", get(parts, "product_name")),
                ("model", model),
                ("firmware", get(parts, "revision")),
                ("serial", get(parts, "serial_number")),
            )
            if v
        }
        key = (device, tuple(sorted(fields.items())))
        if key not in found:
            found[key] = identify(device, "enip", fields, f"{path} line {n}", path, ts)
    return [], source_stats(
        path=path,
        kind="zeek-cip_identity" + ("-json" if rows.json else ""),
        records=count,
        bytes_read=0,
        flows=0,
        skipped=skips.as_tuple(),
        identities=tuple(found.values()),
    )
