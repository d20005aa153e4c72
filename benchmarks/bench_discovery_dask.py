"""Discovery on a local Dask cluster against one job: one big capture split over the workers.

    python benchmarks/bench_discovery_dask.py                  # the 2M-packet mixed capture of bench_discovery.py
    python benchmarks/bench_discovery_dask.py --dir /tmp/b     # keep (and reuse) the generated capture
    python benchmarks/bench_discovery_dask.py --workers 4
    python benchmarks/bench_discovery_dask.py --repeat 3       # best of three runs of each command

Whole commands, each in its own child process, side by side: `factorysec discover` with one job,
with `--jobs N`, and with `--dask` on a local cluster of N single-thread worker processes (started
here, warmed by importing the reader, as a running cluster would be). CPU seconds of the `--dask`
row add the workers' and the scheduler's CPU to the command's own. Then what goes over the network:
the bytes of partial results the workers send back for the split capture, against the capture's
bytes, and the size of one `--partial` file for the whole capture. Every result is checked to be
the one-job result, byte for byte.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_FACTORYSEC = "import sys; from factorysec.cli import main; sys.argv[0] = 'factorysec'; main()"


@dataclass
class Run:
    name: str
    seconds: float
    cpu_seconds: float
    peak_mb: float


def run_child(name: str, argv: list[str]) -> Run:
    """Run a command; its wall time, CPU time and peak RSS (os.wait4)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{name} failed: {err.strip()[-500:]}")
    run = Run(name, seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)
    print(f"  ran {name}: {run.seconds:.2f}s wall, {run.cpu_seconds:.2f} cpu-s", flush=True)
    return run


def _discover(py: str, name: str, capture: Path, out: Path, *extra: str) -> Run:
    argv = [py, "-c", _FACTORYSEC, "discover", str(capture), *extra, "--format", "json", "--out", str(out), "--force"]
    return run_child(name, argv)


def _generate(capture: Path, packets: int) -> None:
    """The mixed capture of `bench_discovery.py`, made in a child process (keeps this one small)."""
    code = "import sys; sys.path.insert(0, sys.argv[1]); import bench_discovery as b; b.generate_pcap(b.Path(sys.argv[2]), int(sys.argv[3]))"
    subprocess.run([sys.executable, "-c", code, str(Path(__file__).parent), str(capture), str(packets)], check=True)


def _warm() -> None:
    """Run on each worker: import the reader, as on a cluster that has run discovery before."""
    import factorysec.discovery.command
    import factorysec.discovery.distributed  # noqa: F401


def _best(runs: list[Run]) -> Run:
    """The fastest of repeated runs (the machine may be shared): least wall time, least CPU, least memory."""
    return Run(
        runs[0].name,
        min(r.seconds for r in runs),
        min(r.cpu_seconds for r in runs),
        min(r.peak_mb for r in runs),
    )


def _on_cluster(py: str, capture: Path, work: Path, workers: int, repeat: int) -> tuple[Run, int, int, int]:
    """The `--dask` command on a local cluster, best of `repeat`; (run with the cluster's CPU added, partial bytes,
    tasks, parts)."""
    import distributed

    from factorysec.discovery.distributed import map_on_cluster

    with (
        distributed.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        client.run(_warm)
        runs = []
        for _ in range(repeat):
            workers_before: dict[str, float] = client.run(time.process_time)
            here_before = time.process_time()
            run = _discover(
                py,
                f"discover --dask ({workers} workers)",
                capture,
                work / "dask.json",
                "--dask",
                cluster.scheduler_address,
            )
            workers_after: dict[str, float] = client.run(time.process_time)
            cluster_cpu = sum(workers_after[w] - workers_before[w] for w in workers_after)
            scheduler_cpu = time.process_time() - here_before
            print(
                f"    cpu-s: the command {run.cpu_seconds:.2f}, the workers {cluster_cpu:.2f}, "
                f"the scheduler (this process) {scheduler_cpu:.2f}",
                flush=True,
            )
            run.cpu_seconds += cluster_cpu + scheduler_cpu
            runs.append(run)
        got: Any = map_on_cluster([capture], client)
        return _best(runs), got.partial_bytes, got.tasks, len(got.partial.parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--packets", type=int, default=2_000_000)
    ap.add_argument("--workers", type=int, default=2, help="worker processes of the local cluster, and --jobs")
    ap.add_argument("--dir", type=Path, help="scratch folder (kept; the capture is reused)")
    ap.add_argument("--repeat", type=int, default=1, help="run each command this many times, keep the best figures")
    args = ap.parse_args()
    work: Path = args.dir or Path(tempfile.mkdtemp(prefix="bench-dask-"))
    work.mkdir(parents=True, exist_ok=True)
    py = sys.executable
    capture = work / "mixed.pcap"
    if not capture.exists():
        _generate(capture, args.packets)
    size = capture.stat().st_size
    print(f"capture {capture}: {args.packets:,} packets, {size / 1e6:,.0f} MB", flush=True)

    one = _best([_discover(py, "discover (one job)", capture, work / "one.json") for _ in range(args.repeat)])
    jobs = _best(
        [
            _discover(py, f"discover --jobs {args.workers}", capture, work / "jobs.json", "--jobs", str(args.workers))
            for _ in range(args.repeat)
        ]
    )
    whole_partial = work / "whole.partial"
    run_child(
        "discover --partial (whole capture)",
        [py, "-c", _FACTORYSEC, "discover", str(capture), "--partial", str(whole_partial), "--force"],
    )
    dask, partial_bytes, tasks, parts = _on_cluster(py, capture, work, args.workers, args.repeat)
    reference = (work / "one.json").read_bytes()
    same = {name: (work / name).read_bytes() == reference for name in ("jobs.json", "dask.json")}

    print(f"\n{'command':<34}{'wall s':>8}{'cpu s':>8}{'packets/s (wall)':>18}{'speed-up':>10}{'peak MB':>9}")
    for r in (one, jobs, dask):
        print(
            f"{r.name:<34}{r.seconds:>8.2f}{r.cpu_seconds:>8.2f}{args.packets / r.seconds:>18,.0f}"
            f"{one.seconds / r.seconds:>9.2f}x{r.peak_mb:>9.0f}"
        )
    print(f"(--dask cpu s: the command's, the {args.workers} workers' and the scheduler's; peak MB: the command's)")
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    print("\nwhat goes over the network for the split capture:")
    print(
        f"  partials sent by the workers: {partial_bytes:,} bytes in {tasks} tasks ({parts} parts), "
        f"{partial_bytes / size:.5%} of the capture's {size:,} bytes"
    )
    print(f"  one --partial file for the whole capture: {whole_partial.stat().st_size:,} bytes")
    print(f"  same result as one job: --jobs {same['jobs.json']}, --dask {same['dask.json']}")
    if not all(same.values()):
        raise SystemExit("results differ from the one-job result")


if __name__ == "__main__":
    main()
