"""Discovery benchmark, whole commands side by side in one table: a plain read of the file, the
compiled yardstick, our reader call, `factorysec discover` with one and two jobs, tshark, and Zeek
conn.log ingest (a plain read, the reader call and the whole command), and start-up alone (`--help`,
`discover` on a one-packet capture, `analyze` on the smallest example model, the bare interpreter).

    python benchmarks/bench_discovery.py                 # 2M packets, ~5,000 flows; 1M conn.log records
    python benchmarks/bench_discovery.py --packets 500000
    python benchmarks/bench_discovery.py --big-gb 4      # also a multi-GB file, our reader only
    python benchmarks/bench_discovery.py --no-tshark
    python benchmarks/bench_discovery.py --dir /tmp/b    # keep (and reuse) the generated inputs
    python benchmarks/bench_discovery.py --scale-packets 0 --rotated 0 0   # leave out the --jobs rows on bigger inputs
    python benchmarks/bench_discovery.py --dir /tmp/b --scale-packets 10000000 20000000 40000000  # a scale curve

Each command runs in its own child process; peak memory is that child's
maximum resident set size (os.wait4). The yardstick is `cflows.c` from the
shared folder (`../shared/yardsticks/`, or --yardstick PATH), compiled with
`cc -O2` into the scratch folder. `--jobs 1` and `--jobs 2` run on two
captures of half the size (jobs split the work by file), then on the one
capture (jobs split it at record boundaries); the conn.log runs with one job
and with `--jobs 2` (split at line boundaries). The script installs
nothing: without tshark or a C compiler it says so and leaves that row out.

The commands the targets compare run `--rounds` times (default 5), alternating within each round (the yardstick,
then `discover`; `--jobs 1`, then `--jobs 2`), so that the machine's changes of speed fall on both alike: a single
run of a half-second command varies by 10-20 % here. The table shows each command's median run; the verdicts give
the median of the rounds' ratios and their range.

On the 2M-packet inputs a whole command's fixed costs (interpreter and imports, building the inventory from the
flows, writing the output: about 0.9 CPU-s for 5,000 flows) are most of one job's time, so two jobs cannot come
near twice as fast there whatever the workers do. The issue's case is a month of captures; `--scale-packets N`
(default 10M, 0 leaves them out) also times `--jobs 1` against `--jobs 2` on two captures of N packets each and
on one of them split, where reading the packets is most of the work; given several sizes it fits a straight line
through each (the fixed part and the part per packet) and says where two jobs reach 1.8x one. `--rotated FILES
PACKETS` (default 16 files of 2M packets, 4.2 GB; give it again for more folders, e.g. `--rotated 16 2000000
--rotated 32 2000000`) times both on a folder of rotated captures of one network. The 2M rows are kept as they
were. The inputs are made by numpy at 100-200 MB/s (the default set, about 7 GB, in about a minute); keep them for
the next run with --dir.
"""

from __future__ import annotations

import argparse
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from project_bytecode import compile_bytecode  # noqa: E402
from shared_data import shared_root  # noqa: E402

# Traffic mix: (ip proto, server port, payload template, share of packets).
_MODBUS_READ = bytes.fromhex("000100000006010300000010")
_MODBUS_WRITE = bytes.fromhex("0002000000090110000000010200ff")
_S7 = bytes.fromhex("0300001f02f080320100000c00000e00000401120a10020001000084000000")
_MIX: list[tuple[int, int, bytes, float]] = [
    (6, 502, _MODBUS_READ, 0.22),
    (6, 502, _MODBUS_WRITE, 0.03),
    (6, 102, _S7, 0.15),
    (6, 44818, bytes.fromhex("6f00160000000000") + bytes(16) + bytes(22), 0.08),
    (6, 20000, bytes.fromhex("05640bc4010002004d12") + bytes(8), 0.05),
    (17, 47808, bytes.fromhex("810a001101040005010c0c0200000a1955"), 0.05),
    (6, 4840, b"MSGF" + bytes(60), 0.05),
    (6, 2404, bytes.fromhex("680e00000000640104000100000014"), 0.04),
    (6, 1883, bytes.fromhex("30110005") + b"topic" + b"payload!", 0.03),
    (17, 9600, bytes.fromhex("800002000100000000000101820000000001"), 0.02),
    (6, 443, bytes.fromhex("170303") + bytes(300), 0.12),
    (6, 80, b"GET /status HTTP/1.1\r\nHost: plc\r\n\r\n", 0.04),
    (6, 22, b"SSH-2.0-OpenSSH_9.2\r\n", 0.02),
    (6, 3389, bytes.fromhex("0300002b26e00000000000") + bytes(32), 0.02),
    (6, 445, bytes(120), 0.02),
    (17, 53, bytes(40), 0.01),
    (17, 123, bytes(48), 0.005),
    (17, 161, bytes(60), 0.005),
]


@dataclass
class Result:
    name: str
    seconds: float
    cpu_seconds: float
    peak_mb: float
    output: str


def _flows(n_flows: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    shares = np.array([m[3] for m in _MIX])
    kind = rng.choice(len(_MIX), size=n_flows, p=shares / shares.sum())
    client = (10 << 24) | (1 << 16) | rng.integers(1, 250, n_flows) << 8 | rng.integers(1, 254, n_flows)
    server = (10 << 24) | (2 << 16) | rng.integers(1, 20, n_flows) << 8 | rng.integers(1, 254, n_flows)
    sport = rng.integers(32768, 61000, n_flows)
    return kind, client.astype(np.uint32), server.astype(np.uint32), sport


def generate_pcap(
    path: Path,
    packets: int,
    n_flows: int = 5000,
    seed: int = 7,
    chunk: int = 250_000,
    packet_seed: int | None = None,
    start: float = 1_700_000_000.0,
) -> int:
    """Write an Ethernet pcap of `packets` packets spread over `n_flows` flows; returns bytes.

    The flows (hosts, ports, protocols) come from `seed`; with `packet_seed` the packets come from a generator of
    their own, so that files of one `seed` are the same network's traffic at different times (rotated captures,
    the first packet at `start`). Without it the file is what it always was for its seed.
    """
    rng = np.random.default_rng(seed)
    kind, client, server, sport = _flows(n_flows, rng)
    if packet_seed is not None:
        rng = np.random.default_rng(packet_seed)
    protos = np.array([m[0] for m in _MIX])
    ports = np.array([m[1] for m in _MIX])
    templates = [m[2] for m in _MIX]
    written = 0
    t0 = start
    next_seq = np.zeros(2 * n_flows, dtype=np.int64)  # per flow and direction
    with path.open("wb") as fh:
        fh.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        written += 24
        done = 0
        while done < packets:
            n = min(chunk, packets - done)
            flow = rng.integers(0, n_flows, n)
            reply = rng.random(n) < 0.45
            k = kind[flow]
            ip_proto = protos[k]
            l4len = np.where(ip_proto == 6, 20, 8)
            paylen = np.array([len(t) for t in templates])[k]
            caplen = 14 + 20 + l4len + paylen
            rec = 16 + caplen
            offs = np.zeros(n + 1, dtype=np.int64)
            np.cumsum(rec, out=offs[1:])
            buf = np.zeros(int(offs[-1]), dtype=np.uint8)
            o = offs[:-1]
            ts = t0 + (done + np.arange(n)) * 1e-5
            sec = ts.astype(np.int64)
            usec = ((ts - sec) * 1e6).astype(np.int64)

            def put(at: np.ndarray, value: np.ndarray, size: int, order: str, buf: np.ndarray = buf) -> None:
                raw = value.astype(order + {2: "u2", 4: "u4"}[size]).view(np.uint8).reshape(-1, size)
                for i in range(size):
                    buf[at + i] = raw[:, i]

            put(o, sec, 4, "<")
            put(o + 4, usec, 4, "<")
            put(o + 8, caplen, 4, "<")
            put(o + 12, caplen, 4, "<")
            e = o + 16
            buf[e + 5] = 1
            buf[e + 11] = 2
            buf[e + 12] = 0x08
            ip = e + 14
            buf[ip] = 0x45
            put(ip + 2, 20 + l4len + paylen, 2, ">")
            buf[ip + 8] = 64
            buf[ip + 9] = ip_proto
            src = np.where(reply, server[flow], client[flow])
            dst = np.where(reply, client[flow], server[flow])
            put(ip + 12, src, 4, ">")
            put(ip + 16, dst, 4, ">")
            l4 = ip + 20
            sp = np.where(reply, ports[k], sport[flow])
            dp = np.where(reply, sport[flow], ports[k])
            put(l4, sp, 2, ">")
            put(l4 + 2, dp, 2, ">")
            tcp = ip_proto == 6
            # consistent TCP sequence/ack numbers, so tshark's TCP analysis sees a normal stream
            stream = flow * 2 + reply
            order = np.argsort(stream, kind="stable")
            ss = stream[order]
            starts = np.flatnonzero(np.concatenate(([True], ss[1:] != ss[:-1])))
            sizes = np.diff(np.append(starts, n))
            plen = paylen[order]
            within = np.cumsum(plen) - np.repeat(np.cumsum(plen)[starts] - plen[starts], sizes)
            seq = np.empty(n, dtype=np.int64)
            seq[order] = next_seq[ss] + within - plen
            np.add.at(next_seq, stream, paylen)
            ack = next_seq[flow * 2 + (1 - reply)]
            put(l4 + 4, seq & 0xFFFFFFFF, 4, ">")
            put(l4 + 8, ack & 0xFFFFFFFF, 4, ">")
            buf[l4[tcp] + 12] = 0x50
            buf[l4[tcp] + 13] = 0x18
            put(l4[~tcp] + 4, (8 + paylen[~tcp]), 2, ">")
            pay = l4 + l4len
            for j, tpl in enumerate(templates):
                m = pay[k == j]
                arr = np.frombuffer(tpl, dtype=np.uint8)
                for i in range(arr.size):
                    buf[m + i] = arr[i]
            fh.write(buf.tobytes())
            written += buf.size
            done += n
    return written


def generate_conn_log(path: Path, records: int, n_flows: int = 5000, seed: int = 11) -> int:
    """A TSV conn.log in Zeek's current layout."""
    rng = np.random.default_rng(seed)
    kind, client, server, sport = _flows(n_flows, rng)
    fields = [
        "ts",
        "uid",
        "id.orig_h",
        "id.orig_p",
        "id.resp_h",
        "id.resp_p",
        "proto",
        "service",
        "duration",
        "orig_bytes",
        "resp_bytes",
        "conn_state",
        "local_orig",
        "local_resp",
        "missed_bytes",
        "history",
        "orig_pkts",
        "orig_ip_bytes",
        "resp_pkts",
        "resp_ip_bytes",
        "tunnel_parents",
    ]
    ips = [f"{c >> 24}.{(c >> 16) & 255}.{(c >> 8) & 255}.{c & 255}" for c in client.tolist()]
    sps = [f"{c >> 24}.{(c >> 16) & 255}.{(c >> 8) & 255}.{c & 255}" for c in server.tolist()]
    names = {502: "modbus", 20000: "dnp3", 443: "ssl", 80: "http", 53: "dns"}
    with path.open("w") as fh:
        fh.write(
            "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n"
            "#path\tconn\n#open\t2024-01-01-00-00-00\n"
        )
        fh.write("#fields\t" + "\t".join(fields) + "\n")
        fh.write("#types\t" + "\t".join(["x"] * len(fields)) + "\n")
        block = 100_000
        for start in range(0, records, block):
            n = min(block, records - start)
            flow = rng.integers(0, n_flows, n).tolist()
            lines = []
            for i, f in enumerate(flow):
                proto, port = _MIX[kind[f]][0], _MIX[kind[f]][1]
                lines.append(
                    f"{1700000000 + (start + i) * 0.001:.6f}\tC{start + i}\t{ips[f]}\t{sport[f]}\t"
                    f"{sps[f]}\t{port}\t{'tcp' if proto == 6 else 'udp'}\t{names.get(port, '-')}\t"
                    f"0.5\t100\t200\tSF\t-\t-\t0\tShADadFf\t6\t420\t5\t460\t(empty)\n"
                )
            fh.writelines(lines)
    return path.stat().st_size


_OURS = """
import sys, time
from factorysec.discovery.pcap import read_capture
t, c = time.perf_counter(), time.process_time()
records, stats = read_capture(sys.argv[1])
dt, dc = time.perf_counter() - t, time.process_time() - c
print(f"{stats.records} packets, {len(records)} flows, {sum(r.packets for r in records)} in flows, "
      f"call {dc:.3f} cpu-s = {stats.records / dc:,.0f} packets/cpu-s, {dt:.3f}s")
"""

_CONN = """
import sys, time
from factorysec.discovery.zeek import read_zeek_log
t, c = time.perf_counter(), time.process_time()
records, stats = read_zeek_log(sys.argv[1])
dt, dc = time.perf_counter() - t, time.process_time() - c
print(f"{stats.records} records, {len(records)} flows, call {dc:.3f} cpu-s, {dt:.3f}s")
"""


def run_child(name: str, argv: list[str]) -> Result:
    """Run a command, return wall time and the child's peak RSS (os.wait4).

    The child is started with vfork, so its peak RSS can be no lower than
    this process's RSS at that moment: `main` keeps itself small by making
    the test files in separate processes (`_generate`).
    """
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    out = proc.stdout.read().decode(errors="replace")
    err = proc.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{name} failed ({proc.returncode}): {err.strip()[-500:]}")
    return Result(name, seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.strip())


def run_children_at_once(name: str, argvs: list[list[str]]) -> Result:
    """Start the commands together and wait for all: the wall time until the last one ends, their CPU time summed,
    and the highest peak RSS among them."""
    start = time.perf_counter()
    procs = [subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for argv in argvs]
    cpu, peak = 0.0, 0.0
    for proc in procs:
        assert proc.stderr is not None
        err = proc.stderr.read().decode(errors="replace")
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise SystemExit(f"{name} failed ({proc.returncode}): {err.strip()[-500:]}")
        cpu += usage.ru_utime + usage.ru_stime
        peak = max(peak, usage.ru_maxrss / 1024)
    return Result(name, time.perf_counter() - start, cpu, peak, "")


@dataclass
class Row:
    """One line of the table: a command on an input of `items` packets or records."""

    result: Result
    input: str
    items: int
    unit: str


@dataclass
class Compared:
    """Commands run in alternating rounds (`_alternating`): each one's runs, and a table row of its median run."""

    runs: list[list[Result]]
    rows: list[Row]


def _compared(rounds: int, commands: list[tuple[Callable[[], Result], str, int]]) -> Compared:
    """`commands` ((run, input label, packets)) in `rounds` alternating rounds."""
    runs = _alternating(rounds, [run for run, _, _ in commands])
    return Compared(
        runs, [Row(_median(r), label, n, "packets") for r, (_, label, n) in zip(runs, commands, strict=True)]
    )


def _table(rows: list[Row]) -> None:
    """All figures in one table; rates by wall time and by CPU time (the machine may be shared)."""
    print(
        f"\n{'command':<34}{'input':<22}{'wall s':>8}{'cpu s':>8}{'per s (wall)':>14}{'per cpu-s':>13}"
        f"{'peak MB':>9}  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
    )
    for row in rows:
        r = row.result
        print(
            f"{r.name:<34}{row.input:<22}{r.seconds:>8.2f}{r.cpu_seconds:>8.2f}"
            f"{row.items / r.seconds:>14,.0f}{row.items / max(r.cpu_seconds, 1e-9):>13,.0f}{r.peak_mb:>9.0f}"
        )
    print("(per s: packets for captures, records for conn.log; the yardstick reads a memory map, no Python start)")


def _say(r: Result) -> Result:
    last = r.output.splitlines()[-1] if r.output else ""
    print(f"  ran {r.name}: {r.seconds:.2f}s wall, {r.cpu_seconds:.2f} cpu-s   {last[:100]}", flush=True)
    return r


def _alternating(rounds: int, runs: list[Callable[[], Result]]) -> list[list[Result]]:
    """Each run once per round, in turn: the results of each, round by round."""
    out: list[list[Result]] = [[] for _ in runs]
    for _ in range(rounds):
        for k, run in enumerate(runs):
            out[k].append(run())
    return out


def _median(results: list[Result]) -> Result:
    """The run of median wall time (the lower of the two middle ones for an even count)."""
    return sorted(results, key=lambda r: r.seconds)[(len(results) - 1) // 2]


def _ratios(slow: list[Result], fast: list[Result]) -> str:
    """The rounds' ratios of wall time, `slow` over `fast`: their median and range."""
    each = sorted(a.seconds / b.seconds for a, b in zip(slow, fast, strict=True))
    middle = each[(len(each) - 1) // 2] if len(each) % 2 else (each[len(each) // 2 - 1] + each[len(each) // 2]) / 2
    spread = f" over {len(each)} rounds ({each[0]:.2f}-{each[-1]:.2f})" if len(each) > 1 else ""
    return f"{middle:.2f}x{spread}"


def _conn_reader_cpu_seconds(r: Result) -> float:
    """The reader call's own CPU seconds, from the child's 'call X cpu-s' line."""
    return float(r.output.split("call ", 1)[1].split(" cpu-s", 1)[0])


def _generate(kind: str, path: Path, count: int, flows: int) -> int:
    """Make a test file in a child process (keeps this process's RSS low); returns its size."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import bench_discovery as b; "
        f"b.generate_{kind}(b.Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))"
    )
    subprocess.run(
        [sys.executable, "-c", code, str(Path(__file__).parent), str(path), str(count), str(flows)], check=True
    )
    return path.stat().st_size


_FACTORYSEC = "import sys; from factorysec.cli import main; sys.argv[0] = 'factorysec'; main()"


def _factorysec(py: str, *args: str) -> list[str]:
    """argv running the installed `factorysec` CLI with this interpreter."""
    return [py, "-c", _FACTORYSEC, *args]


def _yardstick(source: Path, work: Path) -> Path | None:
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None or not source.is_file():
        print(f"\n(yardstick skipped: {'no C compiler' if cc is None else f'{source} not found'})")
        return None
    exe = work / "cflows"
    subprocess.run([cc, "-O2", "-o", str(exe), str(source)], check=True)
    return exe


def _discover(py: str, work: Path, name: str, inputs: list[Path], *extra: str) -> Result:
    out = ["--format", "json", "--out", str(work / "out.json"), "--force"]
    return _say(run_child(name, _factorysec(py, "discover", *map(str, inputs), *extra, *out)))


def _make_pcap(
    path: Path, packets: int, flows: int, seed: int, packet_seed: int | None = None, start: float = 1_700_000_000.0
) -> None:
    """Write a capture in a child process (see `_generate`) unless it is there from an earlier run (`--dir`), and say
    how big it is and how long it took."""
    if path.exists():
        return
    t = time.perf_counter()
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import bench_discovery as b; "
        "b.generate_pcap(b.Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), seed=int(sys.argv[5]), "
        "packet_seed=None if sys.argv[6] == '-' else int(sys.argv[6]), start=float(sys.argv[7]))"
    )
    extra = [str(seed), "-" if packet_seed is None else str(packet_seed), str(start)]
    subprocess.run(
        [sys.executable, "-c", code, str(Path(__file__).parent), str(path), str(packets), str(flows), *extra],
        check=True,
    )
    print(
        f"  made {path.name}: {packets / 1e6:g}M packets, {path.stat().st_size / 1e6:,.0f} MB in {time.perf_counter() - t:.1f}s",
        flush=True,
    )


def _warm(files: list[Path]) -> None:
    """Read the files once, untimed, so that `--jobs 1` (timed first) does not pay the disk for `--jobs 2`: a file
    just made may have been pushed out of the page cache by the next one."""
    subprocess.run(["cat", *map(str, files)], stdout=subprocess.DEVNULL, check=True)  # in a child: see `_generate`


def _gb(files: list[Path]) -> str:
    return f"{sum(f.stat().st_size for f in files) / 1e9:.1f} GB"


def _two_at_once(py: str, work: Path, files: list[Path]) -> Result:
    """Two `discover --jobs 1` commands started together, one per file, each writing its own output: what two
    processes on this machine do with nothing shared and nothing merged (each still pays the start-up, the inventory
    and the writing that one `--jobs 1` run over both pays once): what to judge `--jobs 2` against here."""
    argvs = [
        _factorysec(py, "discover", str(f), "--format", "json", "--out", str(work / f"alone-{k}.json"), "--force")
        for k, f in enumerate(files)
    ]
    return _say(run_children_at_once("2 x discover --jobs 1 at once", argvs))


def _scaling(py: str, work: Path, packets: int, flows: int, rounds: int) -> Compared:
    """`--jobs 1` against `--jobs 2` on two captures of `packets` packets each (by file), then on the first one
    alone (split at record boundaries): inputs where reading is most of the command, not its fixed costs. Beside
    them, the two files' separate `--jobs 1` runs started at once (`_two_at_once`)."""
    files = [work / f"scale-{packets}-a.pcap", work / f"scale-{packets}-b.pcap"]
    for i, f in enumerate(files):
        _make_pcap(f, packets, flows, seed=7 + i)  # another seed for the second file: not the same traffic twice
    _warm(files)
    two = f"2 x {packets / 1e6:g}M pkts {_gb(files)}"
    one = f"{packets / 1e6:g}M pkts {files[0].stat().st_size / 1e6:.0f} MB"
    return _compared(
        rounds,
        [
            (lambda: _discover(py, work, "factorysec discover --jobs 1", files, "--jobs", "1"), two, 2 * packets),
            (lambda: _discover(py, work, "factorysec discover --jobs 2", files, "--jobs", "2"), two, 2 * packets),
            (lambda: _discover(py, work, "discover 1 file --jobs 1", files[:1], "--jobs", "1"), one, packets),
            (lambda: _discover(py, work, "discover 1 file --jobs 2 (split)", files[:1], "--jobs", "2"), one, packets),
            (lambda: _two_at_once(py, work, files), two, 2 * packets),
        ],
    )


def _rotated(py: str, work: Path, count: int, packets: int, flows: int, rounds: int) -> Compared:
    """`--jobs 1` against `--jobs 2` on a folder of `count` rotated captures of `packets` packets each: one
    network's traffic (the same hosts and flows) in consecutive files, as `tcpdump -C` or a probe's rotation writes
    them; the issue's "month of captures", scaled down."""
    folder = work / f"rotated-{count}x{packets}"
    folder.mkdir(exist_ok=True)
    files = [folder / f"capture-{i:03d}.pcap" for i in range(count)]
    for i, f in enumerate(files):
        _make_pcap(f, packets, flows, seed=7, packet_seed=1000 + i, start=1_700_000_000.0 + i * packets * 1e-5)
    _warm(files)
    label = f"{count} x {packets / 1e6:g}M pkts {_gb(files)}"
    return _compared(
        rounds,
        [
            (
                lambda: _discover(py, work, f"{count} rotated files --jobs 1", [folder], "--jobs", "1"),
                label,
                count * packets,
            ),
            (
                lambda: _discover(py, work, f"{count} rotated files --jobs 2", [folder], "--jobs", "2"),
                label,
                count * packets,
            ),
        ],
    )


def _crossing(pairs: list[tuple[int, Result, Result]]) -> str:
    """Where `--jobs 2` reaches 1.8x `--jobs 1`, from straight lines through the scale rows: a command's fixed
    part (start-up, building the inventory, writing) against the part that grows with the packets."""
    if len(pairs) < 2:
        return ""
    x = np.array([float(p) for p, _, _ in pairs])
    one = np.polyfit(x, [a.seconds for _, a, _ in pairs], 1)
    two = np.polyfit(x, [b.seconds for _, _, b in pairs], 1)
    text = (
        f"fit over {len(pairs)} sizes: --jobs 1 {one[1]:.2f} s + {one[0] * 1e7:.2f} s per 10M packets, "
        f"--jobs 2 {two[1]:.2f} s + {two[0] * 1e7:.2f} s per 10M packets"
    )
    if one[0] > 1.8 * two[0] and 1.8 * two[1] > one[1]:
        text += f"; 1.8x from about {(1.8 * two[1] - one[1]) / (one[0] - 1.8 * two[0]) / 1e6:,.0f}M packets"
    elif one[0] <= 1.8 * two[0]:
        text += "; in these runs the growing part alone is under 1.8x faster (a busy machine, or never)"
    return text


def _startup(py: str, tiny: Path) -> list[Result]:
    """Start-up alone: the command list, `discover` on a one-packet capture (interpreter, imports, exit), and
    `analyze` on the smallest example model beside them."""
    out = [_say(run_child("factorysec --help", _factorysec(py, "--help")))]
    if tiny.is_file():
        out.append(_say(run_child("factorysec discover (1-packet capture)", _factorysec(py, "discover", str(tiny)))))
    else:
        print(f"(start-up of discover skipped: {tiny} not found)")
    example = Path(__file__).resolve().parents[1] / "examples" / "food-batch" / "factory.yaml"
    if example.is_file():  # issue #20: every command should load as fast as analyze does
        out.append(_say(run_child("factorysec analyze (example model)", _factorysec(py, "analyze", str(example)))))
    out.append(_say(run_child("python -c pass (interpreter alone)", [py, "-c", "pass"])))
    return out


def _startup_table(results: list[Result]) -> None:
    print(f"\n{'start-up':<40}{'wall s':>8}{'cpu s':>8}{'peak MB':>9}")
    for r in results:
        print(f"{r.name:<40}{r.seconds:>8.2f}{r.cpu_seconds:>8.2f}{r.peak_mb:>9.0f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--packets", type=int, default=2_000_000)
    ap.add_argument("--flows", type=int, default=5000)
    ap.add_argument("--conn-records", type=int, default=1_000_000)
    ap.add_argument(
        "--scale-packets",
        type=int,
        nargs="+",
        default=[10_000_000],
        help="also time --jobs 1 and 2 on two captures of this many packets each, for each size given (0: leave out); "
        "several sizes (e.g. 10000000 20000000 40000000: 2.6, 5.3 and 10.5 GB) give a scale curve",
    )
    ap.add_argument(
        "--rotated",
        type=int,
        nargs=2,
        action="append",
        metavar=("FILES", "PACKETS"),
        help="also time --jobs 1 and 2 on a folder of FILES rotated captures of PACKETS packets each; "
        "give it again for more folders (default 16 of 2M: 4.2 GB; 0 0 leaves it out)",
    )
    ap.add_argument("--big-gb", type=float, default=0.0, help="also time a file of this many GB (ours only)")
    ap.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="rounds of the compared commands (the yardstick and discover; --jobs 1 and 2), alternating (default 5)",
    )
    ap.add_argument("--no-tshark", action="store_true")
    ap.add_argument("--dir", type=Path, default=None, help="where to write the generated files (kept)")
    ap.add_argument("--yardstick", type=Path, default=shared_root("yardsticks/cflows.c") / "yardsticks" / "cflows.c")
    ap.add_argument(
        "--tiny-capture",
        type=Path,
        default=shared_root("data/ics-captures")
        / "data"
        / "ics-captures"
        / "IEC-60870"
        / "IEC104_SQ"
        / "IEC104_SQ.pcapng",
        help="a one-packet capture for the start-up figures",
    )
    args = ap.parse_args()

    work = args.dir or Path(tempfile.mkdtemp(prefix="bench-discovery-"))
    work.mkdir(parents=True, exist_ok=True)
    py = sys.executable
    tshark = shutil.which("tshark")
    rows: list[Row] = []
    compile_bytecode(py)
    try:
        pcap = work / "mixed.pcap"
        halves = [work / "half-a.pcap", work / "half-b.pcap"]
        conn = work / "conn.log"
        t = time.perf_counter()
        if not pcap.exists():
            _generate("pcap", pcap, args.packets, args.flows)
        if not all(h.exists() for h in halves):
            for h in halves:
                _generate("pcap", h, args.packets // 2, args.flows)
        if not conn.exists():
            _generate("conn_log", conn, args.conn_records, args.flows)
        size = pcap.stat().st_size
        print(f"inputs in {work} ({time.perf_counter() - t:.1f}s): mixed.pcap {size / 1e6:,.0f} MB", flush=True)
        whole = f"{args.packets / 1e6:g}M pkts {size / 1e6:.0f} MB"
        two = f"2 x {args.packets / 2e6:g}M pkts"
        records = f"{args.conn_records / 1e6:g}M records"

        rows.append(
            Row(
                _say(run_child("plain read (dd)", ["dd", f"if={pcap}", "of=/dev/null", "bs=8M"])),
                whole,
                args.packets,
                "packets",
            )
        )
        exe = _yardstick(args.yardstick, work)
        rounds = max(1, args.rounds)
        one_core = _compared(
            rounds,
            [
                *(
                    [
                        (
                            lambda: _say(run_child("yardstick cflows.c (C, one core)", [str(exe), str(pcap)])),
                            whole,
                            args.packets,
                        )
                    ]
                    if exe is not None
                    else []
                ),
                (lambda: _discover(py, work, "factorysec discover", [pcap]), whole, args.packets),
            ],
        )
        rows += one_core.rows[:-1]
        rows.append(
            Row(_say(run_child("factorysec reader call", [py, "-c", _OURS, str(pcap)])), whole, args.packets, "packets")
        )
        rows.append(one_core.rows[-1])
        one_file = one_core.rows[-1].result
        pairs = _compared(
            rounds,
            [
                (lambda: _discover(py, work, "factorysec discover --jobs 1", halves), two, args.packets),
                (lambda: _discover(py, work, "factorysec discover --jobs 2", halves, "--jobs", "2"), two, args.packets),
                (lambda: _discover(py, work, "discover 1 file --jobs 1", [pcap], "--jobs", "1"), whole, args.packets),
                (
                    lambda: _discover(py, work, "discover 1 file --jobs 2 (split)", [pcap], "--jobs", "2"),
                    whole,
                    args.packets,
                ),
            ],
        )
        rows += pairs.rows
        tshark_row: Result | None = None
        if not args.no_tshark and tshark is not None:
            tshark_row = _say(run_child("tshark -q -z conv,ip", [tshark, "-n", "-r", str(pcap), "-q", "-z", "conv,ip"]))
            rows.append(Row(tshark_row, whole, args.packets, "packets"))
        conn_read = _say(run_child("plain read of conn.log (dd)", ["dd", f"if={conn}", "of=/dev/null", "bs=8M"]))
        conn_call = _say(run_child("factorysec conn.log reader call", [py, "-c", _CONN, str(conn)]))
        conn_cmd = _discover(py, work, "factorysec discover conn.log", [conn])
        conn_split = _discover(py, work, "discover conn.log --jobs 2 (split)", [conn], "--jobs", "2")
        rows += [
            Row(conn_read, records, args.conn_records, "records"),
            Row(conn_call, records, args.conn_records, "records"),
            Row(conn_cmd, records, args.conn_records, "records"),
            Row(conn_split, records, args.conn_records, "records"),
        ]
        sizes = [n for n in args.scale_packets if n > 0]
        scales = [_scaling(py, work, n, args.flows, rounds) for n in sizes]
        rows += [row for scale in scales for row in scale.rows]
        folders = [(count, each) for count, each in args.rotated or [(16, 2_000_000)] if count > 0 and each > 0]
        rotated = [_rotated(py, work, count, each, args.flows, rounds) for count, each in folders]
        rows += [row for compared in rotated for row in compared.rows]
        startup = _startup(py, args.tiny_capture)

        _table(rows)
        print()
        print(
            f"discover on {whole}: {args.packets / one_file.seconds:,.0f} packets/s (its median run of {rounds}; "
            "target: >= 5M packets/s)"
        )
        if exe is not None:
            yard_runs, disc_runs = one_core.runs
            yard = _median(yard_runs)
            print(
                f"discover / yardstick: {_ratios(disc_runs, yard_runs)} the wall time; the median runs' CPU "
                f"{one_file.cpu_seconds / max(yard.cpu_seconds, 1e-9):.1f}x (target: within 5x)"
            )
        if tshark_row is not None:
            print(
                f"tshark / discover: {tshark_row.cpu_seconds / one_file.cpu_seconds:.1f}x the CPU, "
                f"{tshark_row.peak_mb / one_file.peak_mb:.1f}x the memory"
            )
        elif tshark is None:
            print("tshark not found: install it with `apt-get install tshark` to compare")
        jobs1, jobs2, split1, split2 = pairs.runs
        print(f"--jobs 2 / --jobs 1 on two files: {_ratios(jobs1, jobs2)} faster (target: >= 1.8x)")
        print(
            f"--jobs 2 / --jobs 1 on one file (split at record boundaries): {_ratios(split1, split2)} faster in wall "
            f"time, the median runs' CPU {_median(split2).cpu_seconds / _median(split1).cpu_seconds:.2f}x (target: >= 1.8x)"
        )
        reader = _conn_reader_cpu_seconds(conn_call)
        print(
            f"conn.log: whole command {args.conn_records / conn_cmd.seconds:,.0f} records/s, "
            f"{args.conn_records / conn_cmd.cpu_seconds:,.0f} per CPU-second, peak {conn_cmd.peak_mb:.0f} MB "
            f"(reader call alone {args.conn_records / reader:,.0f} records per CPU-second; target: >= 1M records/s as a whole command)"
        )
        print(
            f"conn.log --jobs 2 (split at line boundaries): {args.conn_records / conn_split.seconds:,.0f} records/s, "
            f"{conn_cmd.seconds / conn_split.seconds:.2f}x one job's wall time, {conn_split.cpu_seconds / conn_cmd.cpu_seconds:.2f}x its CPU"
        )
        for n, scale in zip(sizes, scales, strict=True):
            files1, files2, one1, one2, apart = scale.runs
            print(
                f"--jobs 2 / --jobs 1 on two files of {n / 1e6:g}M packets: {_ratios(files1, files2)} faster in wall "
                f"time; on one of them split: {_ratios(one1, one2)} (target: >= 1.8x); the two files' own --jobs 1 "
                f"runs started at once: {_ratios(files1, apart)}"
            )
        crossing = _crossing([(2 * n, s.rows[0].result, s.rows[1].result) for n, s in zip(sizes, scales, strict=True)])
        if crossing:
            print(f"two files: {crossing}")
        crossing = _crossing([(n, s.rows[2].result, s.rows[3].result) for n, s in zip(sizes, scales, strict=True)])
        if crossing:
            print(f"one file split: {crossing}")
        for (count, each), compared in zip(folders, rotated, strict=True):
            r1, r2 = compared.runs
            print(
                f"--jobs 2 / --jobs 1 on {count} rotated files of {each / 1e6:g}M packets: {_ratios(r1, r2)} faster in "
                f"wall time, the median runs' CPU {_median(r2).cpu_seconds / _median(r1).cpu_seconds:.2f}x (target: >= 1.8x)"
            )
        _startup_table(startup)

        if args.big_gb > 0:
            big = work / "big.pcap"
            n = int(args.big_gb * 1e9 / (size / args.packets))
            bsize = _generate("pcap", big, n, args.flows)
            big_row = _say(run_child("factorysec reader call", [py, "-c", _OURS, str(big)]))
            _table([Row(big_row, f"{n / 1e6:.1f}M pkts {bsize / 1e9:.1f} GB", n, "packets")])
            big.unlink()
    finally:
        if args.dir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
