"""Memory of forked report writers: what running two of ``report``'s writers side by side would cost on a plant model.

``report`` forks its writers into parallel processes only while the process
tree is estimated to stay under issue #20's 2 GB (``report/bundle.py``,
``parallel_jobs``). A forked child shares its parent's pages until it writes
to them, and reading a Python object writes to it (its reference count), so
what a writer really adds is the memory its process ends up owning alone.
This benchmark measures that, writer by writer:

- loads and analyses the model once in this process, as ``report`` does, and
  freezes the collector (``gc.freeze``, as the command does before its writers);
- forks each writer of ``factorysec.report.bundle.WRITERS`` alone (one child at
  a time) and samples, every 0.1 s, the child's private memory (private clean +
  private dirty pages of ``/proc/PID/smaps_rollup``, Graphviz children included),
  and the tree's summed RSS and summed PSS;
- prints, per writer, the child's CPU seconds (Graphviz included) and those
  peaks, and the parent's RSS, with the estimate of a tree where the parent
  and one fork write at once (as ``report`` does): the parent plus the largest
  private peak, beside ``parallel_jobs``' own estimate.

    .venv/bin/python benchmarks/bench_report_fork.py 100000         # the 100k plant model
    .venv/bin/python benchmarks/bench_report_fork.py --scratch DIR 10000

With ``--stages``, nothing is forked: the CPU and wall seconds of each stage of
``report`` in this one process, one after the other (the model loaded without
and then with the entry positions SARIF cites, the analysis, then each chosen
writer; the first writer that needs the shared view builds it):

    .venv/bin/python benchmarks/bench_report_fork.py --stages 100000
    .venv/bin/python benchmarks/bench_report_fork.py --stages --writers report.xlsx,report.md 100000

With ``--timeline``, the writers run as ``report`` runs them (this process and its forks, ``parallel_jobs`` deciding,
or ``--jobs``): each writer's process, start, end and CPU seconds (the whole process's in that time, other threads
and the processes it waited for (Graphviz, the workbook's own) included), the CPU seconds of its own thread, and each
process's sum. The largest sum is the writer phase's length with a core per process, whatever else the machine runs:
on a busy machine, compare it rather than wall seconds (where writers run on threads beside others, the sums count
the time they overlap more than once: compare the thread column).

    .venv/bin/python benchmarks/bench_report_fork.py --timeline 10000
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_analysis  # noqa: E402

BUDGET_MB = 2048.0


def _rollup_mb(pid: int) -> dict[str, float]:
    """A process's memory in MB from ``/proc/PID/smaps_rollup`` (empty once it has ended)."""
    figures: dict[str, float] = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                parts = line.split()
                if parts and parts[0] in ("Rss:", "Pss:", "Private_Clean:", "Private_Dirty:"):
                    figures[parts[0][:-1]] = int(parts[1]) / 1024
    except (OSError, ValueError):
        pass
    return figures


def _descendants(root: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                    parents[int(entry)] = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    found: set[int] = set()
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in found:
                found.add(pid)
                frontier.append(pid)
    return found


def _sample_peaks(parent: int, done: threading.Event, peaks: dict[str, float]) -> None:
    """Until ``done``: the largest private memory of ``parent``'s descendants together, and of the tree's summed RSS and PSS."""
    while not done.wait(0.1):
        figures = {pid: _rollup_mb(pid) for pid in _descendants(parent) | {parent}}
        below = [f for pid, f in figures.items() if pid != parent]
        peaks["private"] = max(
            peaks["private"], sum(f.get("Private_Clean", 0.0) + f.get("Private_Dirty", 0.0) for f in below)
        )
        peaks["rss"] = max(peaks["rss"], sum(f.get("Rss", 0.0) for f in figures.values()))
        peaks["pss"] = max(peaks["pss"], sum(f.get("Pss", 0.0) for f in figures.values()))


def measure(model: Path, out: Path) -> None:
    from factorysec.analysis import analyze
    from factorysec.catalog import load_catalog
    from factorysec.model import load_model_with_sources
    from factorysec.perf import paused_gc
    from factorysec.report.bundle import WRITERS, ReportContext

    start = time.perf_counter()
    catalog = load_catalog()
    with paused_gc():
        loaded = load_model_with_sources(model, note_entries=True)
    assessment = analyze(loaded.model, catalog, today=date.today())
    gc.freeze()
    parent = os.getpid()
    parent_rss = _rollup_mb(parent).get("Rss", 0.0)
    print(
        f"load and analysis {time.perf_counter() - start:.1f} s wall, {time.process_time():.1f} CPU s; parent RSS {parent_rss:,.0f} MB"
    )
    out.mkdir(parents=True, exist_ok=True)
    context = ReportContext(loaded, assessment, catalog, "en", out)
    print(
        f"{'writer (forked alone)':<40}{'wall s':>8}{'CPU s':>8}{'private MB':>12}{'tree RSS MB':>13}{'tree PSS MB':>13}"
    )
    privates: list[float] = []
    for writer in WRITERS:
        began = time.perf_counter()
        child = os.fork()
        if child == 0:  # pragma: no cover - the child
            code = 0
            try:
                writer.write(context)
            except BaseException as error:  # noqa: BLE001 - reported by the parent through the exit code
                print(f"{writer.label.en}: {error}", file=sys.stderr)
                code = 1
            os._exit(code)
        peaks = {"private": 0.0, "rss": 0.0, "pss": 0.0}
        done = threading.Event()

        sampler = threading.Thread(target=_sample_peaks, args=(parent, done, peaks), daemon=True)
        sampler.start()
        _, status, usage = os.wait4(child, 0)
        done.set()
        sampler.join()
        failed = "" if os.waitstatus_to_exitcode(status) == 0 else "  FAILED"
        privates.append(peaks["private"])
        print(
            f"{writer.label.en:<40}{time.perf_counter() - began:>8.2f}{usage.ru_utime + usage.ru_stime:>8.2f}"
            f"{peaks['private']:>12,.0f}{peaks['rss']:>13,.0f}{peaks['pss']:>13,.0f}{failed}"
        )
    from factorysec.report.bundle import CHILD_SHARE, tree_estimate_mb

    largest = max(privates, default=0.0)
    two = parent_rss + largest
    print(
        f"this process and one fork writing at once (report's scheme), from these (parent RSS + the largest private "
        f"peak): {two:,.0f} MB ({'under' if two < BUDGET_MB else 'over'} the {BUDGET_MB:,.0f} MB budget, before the "
        f"parent's own writers' buffers); parallel_jobs' estimate: {tree_estimate_mb(2, parent_rss):,.0f} MB; "
        f"the largest private peak is {largest / parent_rss:.2f}x the parent's RSS (CHILD_SHARE {CHILD_SHARE})"
    )


def stages(model: Path, out: Path, writers: list[str] | None) -> list[tuple[str, float, float]]:
    """Each stage of ``report`` in this process, one after the other: (stage, CPU s, wall s), printed as they end."""
    from factorysec.analysis import analyze
    from factorysec.catalog import load_catalog
    from factorysec.model import load_model_with_sources
    from factorysec.perf import paused_gc
    from factorysec.report.bundle import WRITERS, ReportContext

    figures: list[tuple[str, float, float]] = []

    def timed(name: str, run: Any) -> Any:
        cpu, wall = time.process_time(), time.perf_counter()
        result = run()
        figures.append((name, time.process_time() - cpu, time.perf_counter() - wall))
        print(f"{name:<40}{figures[-1][1]:>8.2f}{figures[-1][2]:>8.2f}", flush=True)
        return result

    def load(note_entries: bool) -> Any:
        with paused_gc():
            return load_model_with_sources(model, catalog, note_entries=note_entries)

    print(f"{'stage (one process, one after the other)':<40}{'CPU s':>8}{'wall s':>8}")
    catalog = timed("catalog", load_catalog)
    timed("load (as analyze)", lambda: load(False))
    gc.collect()
    loaded = timed("load with entry positions (as report)", lambda: load(True))
    assessment = timed("analysis", lambda: analyze(loaded.model, catalog, today=date.today()))
    gc.freeze()
    out.mkdir(parents=True, exist_ok=True)
    context = ReportContext(loaded, assessment, catalog, "en", out)
    for writer in WRITERS:
        if writers is None or writer.label.en in writers:
            timed(writer.label.en, lambda writer=writer: writer.write(context))
    gc.unfreeze()
    return figures


def _timed(writer: Any, log: Path, origin: float) -> Any:
    """``writer``'s write function, appending (process, label, start, end, CPU s with children) to ``log`` as it ends."""
    import resource

    def write(context: Any) -> Any:
        start, cpu, own = time.perf_counter(), time.process_time(), time.thread_time()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        try:
            return writer.write(context)
        finally:
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            children = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
            line = {
                "pid": os.getpid(),
                "label": writer.label.en,
                "start": start - origin,
                "end": time.perf_counter() - origin,
                "cpu": time.process_time() - cpu + children,
                "thread": time.thread_time() - own,
            }
            with log.open("a", encoding="utf-8") as handle:  # one short append per writer, from any process
                handle.write(json.dumps(line) + "\n")

    return write


def timeline(model: Path, out: Path, jobs: int | None) -> None:
    """The writers as ``report`` runs them, after loading and analysing as it does; prints each writer's line and each
    process's CPU seconds."""
    import resource

    from factorysec.analysis import analyze
    from factorysec.catalog import load_catalog
    from factorysec.model import load_model_with_sources
    from factorysec.perf import paused_gc
    from factorysec.report import bundle
    from factorysec.report.diagram import shared_diagram_plan
    from factorysec.report.diagram_prep import prepare_zone_diagrams
    from factorysec.report.pdf_layout import started_pdf_process

    catalog = load_catalog()
    cpu = time.process_time()
    with started_pdf_process() as pdf_process:  # as the command: WeasyPrint imported there while the model is loaded
        with paused_gc():
            loaded = load_model_with_sources(model, catalog, note_entries=True)
        with prepare_zone_diagrams(loaded.model, "en") as prepared, shared_diagram_plan(loaded.model, prepared):
            assessment = analyze(loaded.model, catalog, today=date.today())
            before = time.process_time() - cpu
            waited = time.perf_counter()
            children = resource.getrusage(resource.RUSAGE_CHILDREN)
            if prepared is not None:  # the command waits for it in the first writer that asks: here, to count it apart
                prepared.result()
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            waited = time.perf_counter() - waited
            log = out.parent / f"{out.name}.timeline"
            log.unlink(missing_ok=True)
            origin = time.perf_counter()
            writers = [dataclasses.replace(writer, write=_timed(writer, log, origin)) for writer in bundle.WRITERS]
            gc.freeze()  # as the command does before its writers
            try:
                bundle.write_report_folder(
                    loaded, assessment, out, catalog=catalog, writers=writers, jobs=jobs, pdf_process=pdf_process
                )
            finally:
                gc.unfreeze()
            phase = time.perf_counter() - origin
        reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
    if pdf_process is not None:
        ended = resource.getrusage(resource.RUSAGE_CHILDREN)
        pdf_cpu = ended.ru_utime + ended.ru_stime - reaped.ru_utime - reaped.ru_stime
        print(
            f"summary.pdf's process (started before the load, WeasyPrint's import and the layout): {pdf_cpu:.2f} CPU s "
            "there, not in the summary's line below"
        )
    if prepared is not None:
        prepared_cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
        print(
            f"zone diagrams' DOT text and plan (diagram_prep, forked during the analysis): {prepared_cpu:.2f} CPU s "
            f"there; waited for {waited:.2f} s after the analysis"
        )
    lines = sorted(
        (json.loads(text) for text in log.read_text(encoding="utf-8").splitlines()), key=lambda e: e["start"]
    )
    log.unlink()
    names = {os.getpid(): "this process"}
    for line in lines:
        names.setdefault(line["pid"], f"fork {len(names)}")
    print(f"load and analysis {before:.2f} CPU s; writer phase {phase:.2f} s wall")
    print(f"{'writer':<40}{'process':>14}{'start s':>9}{'end s':>8}{'CPU s':>8}{'thread':>8}")
    for line in lines:
        print(
            f"{line['label'][:39]:<40}{names[line['pid']]:>14}{line['start']:>9.2f}{line['end']:>8.2f}{line['cpu']:>8.2f}"
            f"{line['thread']:>8.2f}"
        )
    sums = {name: sum(line["cpu"] for line in lines if names[line["pid"]] == name) for name in names.values()}
    print(
        "CPU s per process: "
        + ", ".join(f"{name} {total:.2f}" for name, total in sums.items())
        + f"; the longest, {max(sums.values()):.2f}, is the writer phase with a core per process"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assets", type=int, nargs="?", default=100_000)
    parser.add_argument("--scratch", type=Path, help="folder for the generated model and outputs (kept)")
    parser.add_argument("--stages", action="store_true", help="each stage in this process instead of forked writers")
    parser.add_argument("--writers", help="with --stages: the writers to run, by label, comma-separated (default: all)")
    parser.add_argument("--timeline", action="store_true", help="the writers as report runs them, per process")
    parser.add_argument("--jobs", type=int, help="with --timeline: processes writing (default: as report decides)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="factorysec-bench-report-fork-"))
    print(f"bench_report_fork: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; model in {scratch}")
    try:
        model = scratch / f"plant-{args.assets}"
        if not model.exists():
            bench_analysis.generate(model, args.assets, topology="plant")
        out = scratch / f"fork-{args.assets}"
        shutil.rmtree(out, ignore_errors=True)
        if args.timeline:
            timeline(model, out, args.jobs)
        elif args.stages:
            stages(model, out, args.writers.split(",") if args.writers else None)
        else:
            measure(model, out)
        shutil.rmtree(out, ignore_errors=True)
    finally:
        if args.scratch is None:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
