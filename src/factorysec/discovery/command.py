"""The `discover` command as plain functions: read inputs, build the inventory, drift, render."""

from __future__ import annotations

import gc
import ipaddress
import math
import os
import re
import stat
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factorysec.discovery import protocols as P
from factorysec.discovery.addresses import special_address
from factorysec.discovery.inventory import FlowTotals, build_inventory
from factorysec.discovery.partial import PARTIAL_MAGIC, Partial, dump_partial, is_partial, load_partial
from factorysec.discovery.readers import CAPTURE_MAGICS, expand_inputs, read_input
from factorysec.discovery.types import (
    DIRECTION_CONFIDENCE,
    DiscoveryInputError,
    Flow,
    Host,
    Inventory,
    SourceStats,
    UnusedInput,
)
from factorysec.plurals import counted

if TYPE_CHECKING:
    from concurrent.futures import Future

    # The factory model's entities cost a third of a second to import: `discover` without --model or --init never
    # needs them, so the functions that do import them when they run. The capture reader, its parts and the MAC
    # vendor table (and numpy with them, about 0.15 CPU-s) are imported when a capture or a MAC address is read, so a
    # run over Zeek logs does without them; the Zeek readers likewise when a log is read.
    from factorysec.discovery.drift_types import DriftReport
    from factorysec.discovery.identity_change import IdentityChange
    from factorysec.discovery.parts import CapturePart
    from factorysec.discovery.pcap import Cut
    from factorysec.discovery.zeek import ConnPart
    from factorysec.model import FactoryModel


@dataclass(frozen=True, slots=True)
class DiscoveryResult:
    inventory: Inventory
    drift: DriftReport | None = None


MIN_PART_BYTES = 32 << 20
"""With --jobs, a capture is split into parts of at least this size (smaller ones are read whole), and inputs of
fewer than two such parts in all are read by this process alone (`gather`)."""

PREPARE_BYTES = 16 << 20
"""The bytes of capture a worker reads while this process prepares the MAC vendor table (about 0.01 CPU-s once numpy
is loaded), which it does before its own share of the reads rather than after them: its share is smaller by that
much. On one 10M-packet capture split in two, 0-40 MB gave the same times (0.61-0.63 s, medians of five alternating
rounds), 160 MB 0.64 s and 240 MB 0.66 s."""


def _other_file(one: SourceStats, one_from: Partial, other: SourceStats, other_from: Partial) -> bool:
    """Whether two files read under one path are different files. The same file read twice (directly and through a
    partial made from it, or in two partials) gives the same statistics and the same records, in the same order."""
    said = (one.kind, one.records, one.bytes_read, one.flows, one.skipped)
    if said != (other.kind, other.records, other.bytes_read, other.flows, other.skipped):
        return True
    return [f for f in one_from.records if f.source == one.path] != [
        f for f in other_from.records if f.source == other.path
    ]


def _said(stats: SourceStats) -> str:
    return f"{stats.kind}, {stats.records:,} records, {stats.bytes_read:,} bytes"


def read_one(path: Path) -> Partial:
    """Read one file (a capture, a Zeek log or a partial result).

    A file that cannot be read becomes a `not_read` entry instead of an
    error: one damaged or foreign file must not abort a run over many, so the
    error is kept (with the file name) in the statistics the summary prints.
    """
    try:
        return _read_any(path)
    except DiscoveryInputError as error:
        return _not_read(str(path), error)


def _not_read(path: str, error: DiscoveryInputError) -> Partial:
    kind = "skipped" if isinstance(error, UnusedInput) else "not read"
    return Partial(
        sources=[
            SourceStats(
                path=path,
                kind=kind,
                records=0,
                bytes_read=0,
                flows=0,
                not_read=error.message if error.line is None else f"line {error.line}: {error.message}",
            )
        ]
    )


def _read_any(path: Path) -> Partial:
    try:
        with path.open("rb") as fh:
            head = fh.read(len(PARTIAL_MAGIC))
    except OSError as e:
        raise DiscoveryInputError(str(path), f"cannot open: {e.strerror}") from e
    if is_partial(head):
        return load_partial(path)
    records, stats = read_input(path)
    return Partial(records, [stats])


def _read_folded(paths: Sequence[Path]) -> Partial:
    """Whole captures, their records folded into one `FlowTotals` as each file is read: in a `--jobs` worker (which
    then sends the totals of its flows once instead of every file's records), in this process, and in a run of one
    process over several captures (which then holds one file's records at a time, not all of them)."""
    from factorysec.discovery.pcap import read_capture

    totals = FlowTotals()
    sources: list[SourceStats] = []
    for path in paths:
        try:
            _, stats = read_capture(path, totals)  # a flow already folded here needs no record
        except DiscoveryInputError:
            sources += read_one(path).sources  # the file as a run without --jobs words what is wrong with it
            continue
        sources.append(stats)
    return Partial(sources=sources, totals=totals)


def _read_part(path: Path, start: int, end: int, cut: Cut | None) -> tuple[Partial, Cut | None]:
    """Run in a worker: read one byte range of a capture, entered at `cut` (guessed or found by a header walk, see
    `_read_in_processes`), and say where its walk left the range (None when the capture could not be read)."""
    from factorysec.discovery.pcap import read_part_checked

    try:
        part, left = read_part_checked(path, start, end, cut)
    except DiscoveryInputError as error:
        return _not_read(str(path), error), None
    return Partial(parts=[part]), left


def parse_byte_range(text: str, size: int) -> tuple[int, int]:
    """`START:END` in bytes (either may be left empty; an END past the file is its end) or `K/N`, the K-th of N equal
    parts (1-based). A range that starts at or past the file's end, or holds no byte, is refused: its partial would
    say nothing, and the mistake (a range meant for another file) would show only when the parts are merged."""
    try:
        if "/" in text:
            k, n = (_plain_number(x) for x in text.split("/"))
            if not 1 <= k <= n:
                raise ValueError
            if n > size:
                raise DiscoveryInputError("--byte-range", f"{text}: more parts than the file has bytes ({size:,})")
            return size * (k - 1) // n, size * k // n
        first, last = text.split(":")
        start, end = _plain_number(first or "0"), _plain_number(last) if last else None
        if end is not None and start > end:
            raise ValueError
    except ValueError:
        raise DiscoveryInputError(
            "--byte-range", f"expected START:END (bytes) or K/N (the K-th of N equal parts), got {text!r}"
        ) from None
    if start >= size:
        raise DiscoveryInputError("--byte-range", f"{text} starts at or past the end of the file ({size:,} bytes)")
    if start == end:
        raise DiscoveryInputError("--byte-range", f"{text} holds no byte (END must be greater than START)")
    return start, size if end is None else min(end, size)


def _plain_number(text: str) -> int:
    """A count of bytes or parts in ASCII digits (`int` would also take `+1`, `1_0` and other scripts' digits)."""
    if not re.fullmatch(r"[0-9]+", text):
        raise ValueError(text)
    return int(text)


def _capture_size(path: Path) -> int | None:
    """The file's size if it is a pcap or pcapng capture, else None."""
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
        return path.stat().st_size if magic in CAPTURE_MAGICS else None
    except OSError:
        return None


def _part_size(path: Path) -> int | None:
    """The size of a file `--jobs` can read in parts: a capture, or a plain TSV conn.log the C pass takes; else None."""
    size = _capture_size(path)
    if size is not None:
        return size
    from factorysec.discovery.zeek import conn_log_size

    return conn_log_size(path)


def _bounds(start: int, end: int, parts: int) -> list[int]:
    return [start + (end - start) * k // parts for k in range(parts + 1)]


def gather(
    inputs: Sequence[Path | str],
    jobs: int = 1,
    dask: str | None = None,
    byte_range: str | None = None,
    fold: bool = False,
) -> Partial:
    """Everything the inputs give (directories expanded), the parts of each capture merged, nothing finished.

    With `jobs` > 1 the files are read by that many processes (this one and
    `jobs` - 1 workers; by this one alone when they hold fewer than two
    `MIN_PART_BYTES` in all), and a capture of at least two shares (and two
    `MIN_PART_BYTES`) is split at record boundaries (guessed, then checked
    against the walks of the parts) into up to `jobs` parts; with `dask` (a scheduler
    address) the files are read by the workers of that Dask cluster. With
    `byte_range` (one capture only) just that range is read. With `fold`, the
    records of a run over whole captures may come folded (`Partial.totals`,
    see `_folded`) rather than as records.
    Raises `DiscoveryInputError` when no input file could be read at all.
    """
    paths, refused = _distinct_regular_files(expand_inputs(inputs))
    if not paths:
        if refused:
            raise DiscoveryInputError(*refused[0])
        raise DiscoveryInputError(", ".join(map(str, inputs)), "no captures or Zeek logs found")
    results: list[Partial]
    if byte_range is not None:
        if dask is not None:
            raise DiscoveryInputError("--byte-range", "reads on this machine: leave out --dask")
        results = [_read_byte_range(paths, byte_range, jobs)]
    elif dask is not None:
        from factorysec.discovery.distributed import read_on_cluster

        results = [read_on_cluster(paths, dask)]
    elif len(paths) == 1 and (jobs <= 1 or (_part_size(paths[0]) or 0) < 2 * MIN_PART_BYTES):
        results = [_read_any(paths[0])]  # a single input that cannot be read is the error itself
    elif jobs > 1 and _input_bytes(paths) >= 2 * MIN_PART_BYTES:
        results = _read_in_processes(paths, jobs, fold=fold)
    elif fold and _foldable(paths, {p for p in paths if _capture_size(p) is not None}):
        results = [_read_folded(paths)]
    else:
        results = [read_one(p) for p in paths]
    results += [_not_read(path, DiscoveryInputError(path, reason)) for path, reason in refused]
    return _combine(results, inputs)


def _distinct_regular_files(paths: Sequence[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """The paths that name regular files, each file once (the first of its names); and (path, why) for the others.

    A file named twice in different ways (`../a.pcap` and its absolute path, a link to it) would count its packets
    twice; a pipe or device would be waited on for ever (a FIFO) or read as something it is not."""
    kept: list[Path] = []
    refused: list[tuple[str, str]] = []
    seen: dict[tuple[int, int], Path] = {}
    for path in paths:
        try:
            status = path.stat()
        except OSError:  # reading it says what is wrong
            kept.append(path)
            continue
        if not stat.S_ISREG(status.st_mode):
            refused.append((str(path), "not a regular file (a pipe, socket or device): give the file itself"))
            continue
        first = seen.setdefault((status.st_dev, status.st_ino), path)
        if first is path:
            kept.append(path)
    return kept, refused


def _input_bytes(paths: Sequence[Path]) -> int:
    """The inputs' size in all. Below two `MIN_PART_BYTES`, starting a worker costs `--jobs` more than it saves: the
    12 MB of the shared captures and logs took 0.28 s with two processes against 0.22 s with one."""
    total = 0
    for path in paths:
        try:
            total += path.stat().st_size
        except OSError:  # reading it says what is wrong
            continue
    return total


def _read_byte_range(paths: list[Path], byte_range: str, jobs: int) -> Partial:
    if len(paths) != 1:
        raise DiscoveryInputError("--byte-range", f"needs exactly one capture, got {len(paths)} files")
    [path] = paths
    size = _capture_size(path)
    if size is None:
        raise DiscoveryInputError(str(path), "--byte-range reads only pcap and pcapng captures")
    start, end = parse_byte_range(byte_range, size)
    from factorysec.discovery.pcap import read_part

    if jobs <= 1:
        return Partial(parts=[read_part(path, start, end)])
    return _combine(_read_in_processes([path], jobs, (start, end)), [path])


@dataclass(slots=True)
class _Read:
    """One read of a `--jobs` run: a whole file, a conn.log's part, or a capture's part (`cut_of`: which of the
    capture's cuts it starts at, known once this process has walked the capture's headers)."""

    path: Path
    call: Callable[..., Any]
    args: tuple[Any, ...]
    size: int
    cut_of: int | None = None
    here: bool = False  # read by this process, not a worker
    process: int = 0  # which of the run's processes `_plan` gave it to (0: this one)
    future: Future[Any] | None = None
    value: Any = None

    def result(self) -> Any:
        return self.value if self.future is None else self.future.result()


def _read_in_processes(
    paths: list[Path], jobs: int, only: tuple[int, int] | None = None, fold: bool = False
) -> list[Partial]:
    """Files, and parts of big captures, over `jobs` processes: `jobs` - 1 workers and this one.

    This process reads a share too (see `_plan`) rather than wait idle for the
    workers. Where each part of a split capture starts is guessed
    (`pcap.guess_cuts`: the first place at or after its first byte where a
    chain of valid headers begins) instead of walking every header before it,
    and checked once the parts are read (`_checked_parts`); where no guess is
    found, one header walk here finds the cuts (`pcap.find_cuts`). The workers are forked with the
    heap frozen (`gc.freeze`), so their cycle collections leave its pages
    shared instead of copying them. With `fold`, when every read is a whole
    capture (see `_folded`), each process reads its share of the files in one
    call and folds their records as it goes.
    """
    from concurrent.futures import ProcessPoolExecutor

    captures = {p for p in paths if _capture_size(p) is not None}
    if captures:  # before the workers fork, so that they start with the capture reader (and numpy) loaded
        from factorysec.discovery.pcap import part_cuts
    reads, split = _plan(paths, jobs, only, captures)
    if fold and only is None:
        reads = _folded(reads, paths, captures)
    conn_logs: dict[Path, list[_Read]] = {}
    for r in reads:
        if r.call is not read_one and r.path not in captures:
            conn_logs.setdefault(r.path, []).append(r)
    failed: list[Partial] = []
    dropped: set[Path] = set()
    workers = min(jobs - 1, sum(not r.here for r in reads))
    freeze = workers > 0 and gc.get_freeze_count() == 0  # never thaw objects someone else froze
    if freeze:
        gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=max(workers, 1)) as pool:
            for r in reads:
                if r.cut_of is None and not r.here:
                    r.future = pool.submit(r.call, *r.args)
            for path, starts in split.items():
                try:
                    cuts = part_cuts(path, starts)
                except DiscoveryInputError as error:
                    if len(paths) == 1:
                        raise
                    failed.append(_not_read(str(path), error))
                    dropped.add(path)
                    continue
                for r in reads:
                    if r.path == path and r.cut_of is not None:
                        r.args = (*r.args[:3], cuts[r.cut_of])
                        if not r.here:
                            r.future = pool.submit(r.call, *r.args)
            if captures:  # needed once the records are in: prepared while the workers read
                _vendor_of("")
            for r in reads:
                if r.here and r.path not in dropped:
                    r.value = r.call(*r.args)
            merged = [_merged_conn_log(path, [r.result() for r in group]) for path, group in conn_logs.items()]
            split_parts: dict[Path, list[_Read]] = {}
            for r in reads:
                if r.call is _read_part and r.path not in dropped:
                    split_parts.setdefault(r.path, []).append(r)
            checked = [partial for path, group in split_parts.items() for partial in _checked_parts(path, group)]
            whole = [
                r.result()
                for r in reads
                if r.path not in dropped and r.path not in conn_logs and r.call is not _read_part
            ]
            return whole + checked + merged + failed
    finally:
        if freeze:
            gc.unfreeze()


def _checked_parts(path: Path, group: list[_Read]) -> list[Partial]:
    """The parts of one capture (`group`, in file order), each checked to start where the walk of the part before it
    left the range (a header walk finds that place after a part that could not be read); from the first that does
    not (a wrong guess), the rest of the range is read again here, entered where that walk left it, so the result is
    the single run's whatever the guesses were."""
    out: list[Partial] = []
    left: Cut | None = None
    after_failure = False
    for r in group:
        partial, leaves = r.result()
        entered: Cut | None = r.args[3]
        if after_failure and entered is not None:
            left = _walked_to(path, entered.requested)
        if left is not None and entered is not None and not entered.continues(left):
            again, _ = _read_part(path, left.requested, group[-1].args[2], left)
            out.append(again)
            return out
        out.append(partial)
        left, after_failure = leaves, leaves is None
    return out


def _walked_to(path: Path, start: int) -> Cut | None:
    """Where a part starting at byte `start` enters the walk, by one header walk (None when the file cannot be read:
    the part says so itself)."""
    from factorysec.discovery.pcap import find_cuts

    try:
        return find_cuts(path, [start])[0]
    except DiscoveryInputError:
        return None


def _plan(
    paths: list[Path], jobs: int, only: tuple[int, int] | None, captures: set[Path]
) -> tuple[list[_Read], dict[Path, list[int]]]:
    """The reads of a `--jobs` run, those this process does marked `here`, and the starts of the later parts of
    each capture read in parts (where the parts' first records must be found).

    A file of at least two shares (its part of the bytes, at least
    `MIN_PART_BYTES`) is read in parts. This process reads the last part of
    the first capture it splits, made smaller by what it does before
    (`PREPARE_BYTES`), so that it
    finishes with the workers; the other reads go, biggest first, to whichever
    process has the fewest bytes to read so far, this one first among equals.
    """
    sizes = {p: _part_size(p) for p in paths}
    lengths = {p: s if s is not None else p.stat().st_size if p.is_file() else 0 for p, s in sizes.items()}
    total = sum(lengths.values())
    share = max(total // jobs, MIN_PART_BYTES)
    load = [PREPARE_BYTES if captures else 0] + [0] * (jobs - 1)
    reads: list[_Read] = []
    split: dict[Path, list[int]] = {}
    for path in paths:
        size = sizes[path]
        start, end = only if only is not None else (0, size or 0)
        parts = min(jobs, (end - start) // share) if size is not None else 0
        if only is not None:
            parts = max(parts, 1)
        if parts < 2 and only is None:
            reads.append(_Read(path, read_one, (path,), lengths[path]))
        elif path not in captures:  # a conn.log: each part finds its own first and last whole line
            from factorysec.discovery.zeek import read_conn_part

            bounds = _bounds(start, end, parts)
            reads += [_Read(path, read_conn_part, (path, a, b), b - a) for a, b in zip(bounds, bounds[1:])]
        else:
            here = parts > 1 and not split
            bounds = _weighted_bounds(start, end, parts, load[0]) if here else _bounds(start, end, parts)
            split[path] = bounds[1:-1]
            reads += [
                _Read(path, _read_part, (path, a, b, None), b - a, cut_of=k - 1 if k else None)
                for k, (a, b) in enumerate(zip(bounds, bounds[1:]))
            ]
            if here:
                reads[-1].here = True
                load[0] += reads[-1].size
    for r in sorted(reads, key=lambda r: -r.size):
        if not r.here:
            k = load.index(min(load))
            load[k] += r.size
            r.here, r.process = k == 0, k
    return reads, split


def _foldable(paths: list[Path], captures: set[Path]) -> bool:
    """Whether the files' records may be folded as they are read (see `_folded`): all captures, none named twice."""
    return len({str(p) for p in paths}) == len(paths) and all(p in captures for p in paths)


def _folded(reads: list[_Read], paths: list[Path], captures: set[Path]) -> list[_Read]:
    """One read per process of the files `_plan` gave it, their records folded (`_read_folded`), when every read is
    a whole capture; else `reads` as they are.

    A run over many captures (a month of rotated files) otherwise sends each file's records from the worker that
    read it, and this process unpickles and folds them all: 0.03 CPU-s and 5,000 records per file of the benchmark's
    16 rotated captures, on the critical path. The result is the same: `FlowTotals` merge exactly as records fold,
    and the output does not depend on their order. Not when a file is named twice (`_combine` counts its records
    once), nor with partial results or Zeek logs among the inputs (their records are not captures' alone).
    """
    if not reads or not _foldable(paths, captures) or any(r.call is not read_one for r in reads):
        return reads
    mine: dict[int, list[_Read]] = {}
    for r in reads:
        mine.setdefault(r.process, []).append(r)
    return [
        _Read(
            group[0].path,
            _read_folded,
            (tuple(r.path for r in group),),
            sum(r.size for r in group),
            here=k == 0,
            process=k,
        )
        for k, group in sorted(mine.items())
    ]


def _weighted_bounds(start: int, end: int, parts: int, before: int) -> list[int]:
    """`parts` ranges of [start, end), the last one read by this process after `before` bytes' worth of other work:
    smaller, so that it finishes with the workers (but at least a quarter of the others)."""
    span = end - start
    each = (span + before) / parts
    last = max(span - (parts - 1) * each, span / (4 * parts - 3))
    cut = end - int(last)
    return [*_bounds(start, cut, parts - 1), end]


def _merged_conn_log(path: Path, parts: Sequence[ConnPart | None]) -> Partial:
    """A conn.log read in parts; read whole (by the Python readers, which name every bad line) when a part was not clean."""
    from factorysec.discovery.zeek import merge_conn_parts

    done = merge_conn_parts(path, parts)
    if done is None:
        return read_one(path)
    records, stats = done
    return Partial(records, [stats])


def _combine(results: Sequence[Partial], inputs: Sequence[Path | str]) -> Partial:
    """One partial from many: a file read twice (directly and through a partial made from it) counts once,
    and the parts of each capture are merged."""
    out = Partial()
    seen: set[str] = set()
    first: dict[str, tuple[SourceStats, Partial]] = {}
    parts: dict[str, list[CapturePart]] = {}
    for r in results:
        for x in r.sources:
            if x.not_read:
                continue
            before, earlier = first.setdefault(x.path, (x, r))
            if earlier is not r and _other_file(before, earlier, x, r):
                what = (
                    f"{_said(before)}; and {_said(x)}"
                    if _said(before) != _said(x)
                    else f"both {_said(x)}, with different flows"
                )
                raise DiscoveryInputError(
                    x.path,
                    f"two different files under this name ({what}): "
                    "write each site's partial from a path that tells them apart (e.g. from the folder above it)",
                )
        again = {x.path for x in r.sources if x.path in seen and not x.not_read}
        seen.update(x.path for x in r.sources if not x.not_read)
        out.records.extend(x for x in r.records if x.source not in again)
        out.sources.extend(x for x in r.sources if x.path not in again)
        if r.totals is not None:  # no file of them read before (see `_folded`)
            if out.totals is None:
                out.totals = r.totals
            else:
                out.totals.merge(r.totals)
        for p in r.parts:
            parts.setdefault(p.path, []).append(p)
    if parts:
        from factorysec.discovery.parts import merge_parts

        out.parts = [merge_parts(group) for path, group in sorted(parts.items()) if path not in seen]
    if out.sources and not out.parts and all(s.not_read for s in out.sources):
        raise DiscoveryInputError(
            ", ".join(map(str, inputs)),
            f"none of the {len(out.sources)} files could be read (first: {out.sources[0].path}: {out.sources[0].not_read})",
        )
    return out


def _finish(partial: Partial, keep_incomplete: bool = False) -> Partial:
    """Records and statistics for each capture's merged parts (those that cover their file, with `keep_incomplete`)."""
    out = Partial(list(partial.records), list(partial.sources), totals=partial.totals)
    if partial.parts:
        from factorysec.discovery.parts import covers_whole_file, finish_capture
    for part in partial.parts:
        if keep_incomplete and not covers_whole_file(part):
            out.parts.append(part)
            continue
        records, stats = finish_capture([part])
        out.records.extend(records)
        out.sources.append(stats)
    return out


def discover(inputs: Sequence[Path | str], jobs: int = 1, dask: str | None = None) -> Inventory:
    """Read every capture, log and partial result into one inventory.

    The result does not depend on `jobs` or `dask`: `build_inventory` does
    not depend on the order of records or sources (tested by shuffling), and
    the parts of a capture merge to exactly the single-run result.
    """
    done = _finish(gather(inputs, jobs, dask, fold=True))
    return build_inventory(done.records, done.sources, _vendor_of, done.totals)


def _vendor_of(mac: str) -> str | None:
    """`vendor.vendor_of`, imported on the first MAC address looked up (its table and numpy are not needed before)."""
    from factorysec.discovery.vendor import vendor_of

    return vendor_of(mac)


def write_partial(
    inputs: Sequence[Path | str],
    target: Path,
    jobs: int = 1,
    dask: str | None = None,
    byte_range: str | None = None,
) -> tuple[int, int, int]:
    """Read the inputs and write their partial result to `target`; (records, files, capture parts) written.

    Captures whose parts cover the whole file are finished into records; the
    parts of the others are kept, to merge with the rest later.
    """
    from factorysec.outputs import write_output  # with tempfile and shutil: only where a file is written

    done = _finish(gather(inputs, jobs, dask, byte_range), keep_incomplete=True)
    write_output(
        target, dump_partial(done.records, done.sources, done.parts), force=True
    )  # the caller has already refused a target it may not replace
    return len(done.records), len(done.sources), len(done.parts)


def run(
    inputs: Sequence[Path | str], model: FactoryModel | None, jobs: int = 1, dask: str | None = None
) -> DiscoveryResult:
    inv = discover(inputs, jobs, dask)
    if not model:
        return DiscoveryResult(inventory=inv, drift=None)
    from factorysec.discovery.drift import drift

    return DiscoveryResult(inventory=inv, drift=drift(inv, model))


def write_starter(inv: Inventory, directory: Path, *, force: bool = False) -> Path:
    """Write `factory.yaml` with the starter model into `directory`; returns its path (policy: :mod:`factorysec.outputs`)."""
    from factorysec.discovery.starter import starter_model
    from factorysec.model import dump_model
    from factorysec.outputs import prepare_folder, write_output

    target = prepare_folder(directory) / "factory.yaml"
    return write_output(target, dump_model(starter_model(inv)), force=force)


def write_identity_change(
    inv: Inventory, model: FactoryModel, model_path: Path, target: Path, *, force: bool = False
) -> IdentityChange:
    """Write the change file recording observed identities (:mod:`~factorysec.discovery.identity_change`) to
    `target`, its base given relative to the file as a change file's base is read; returns what it holds."""
    from factorysec.discovery.identity_change import identity_change
    from factorysec.model.writer import dump_data
    from factorysec.outputs import write_output

    reference = os.path.relpath(model_path.resolve(), target.resolve().parent)
    change = identity_change(inv, model, reference, "Record the device identities observed by discover")
    write_output(target, "".join(f"# {line}\n" for line in change.header) + dump_data(change.document), force=force)
    return change


def _time(ts: float | None) -> str:
    if ts is None or not math.isfinite(ts):
        return "-"
    try:
        return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M:%S")
    except (OverflowError, ValueError, OSError):  # a timestamp no calendar date can hold
        return f"(time {ts:g} out of range)"


@dataclass(frozen=True, slots=True)
class _WithoutDrift:
    """A result without a drift report, field for field as `DiscoveryResult`: what `serializer` is given."""

    inventory: Inventory
    drift: None = None


def render_json_bytes(result: DiscoveryResult) -> bytes:
    """The result as indented JSON in UTF-8: the text pydantic writes for the same values as a model
    (``model_dump_json(indent=2)``: non-finite numbers as ``null``).

    Without a drift report the result holds dataclasses only, which orjson writes by field: the same bytes as
    pydantic-core's serializer given the types' schema (`discovery.serializer`), in 0.024 against 0.030 CPU-s for
    the 2M-packet benchmark capture's 5,000 flows and 7,913 hosts, and orjson imports in 0.001 s against
    pydantic-core's 0.013. orjson refuses a whole number outside 64 bits (a Zeek log may count that many bytes),
    which pydantic-core writes: such a result goes there. A drift report holds pydantic models, whose serializers
    pydantic-core finds on them. Python's `json` writes an indent with its pure-Python encoder: 0.65-0.86 CPU-s.
    A file name that is not UTF-8 is written with its undecodable bytes escaped (see `_unicode_only`).
    """
    if result.drift is None:
        import orjson

        value = _WithoutDrift(result.inventory)
        try:
            return orjson.dumps(value, option=orjson.OPT_INDENT_2)
        except orjson.JSONEncodeError:  # a count outside 64 bits, or text that is not Unicode
            from factorysec.discovery.serializer import serializer

            return serializer(_WithoutDrift).to_json(_unicode_only(value), indent=2)
    from pydantic_core import PydanticSerializationError, to_json

    try:
        return to_json(result, indent=2, inf_nan_mode="null")
    except PydanticSerializationError:  # text that is not Unicode
        return to_json(_unicode_only(result), indent=2, inf_nan_mode="null")


def _unicode_only(value: Any) -> Any:
    """`value` (dataclasses, pydantic models and containers of them, rebuilt) with each text that is not Unicode
    spelled in escapes.

    Python reads a file name's bytes that are not UTF-8 as lone surrogates, which no JSON text can hold; they are
    written as the bytes they stand for, escaped: the file ``a<0xff>b.pcap`` is named ``a\\xffb.pcap``.
    """
    if isinstance(value, str):
        try:
            return value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:  # a surrogate that stands for no byte
            return value.encode("utf-8", "backslashreplace").decode()
    if isinstance(value, tuple | list):
        return type(value)(_unicode_only(v) for v in value)
    if isinstance(value, dict):
        return {_unicode_only(k): _unicode_only(v) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        return replace(value, **{f.name: _unicode_only(getattr(value, f.name)) for f in fields(value) if f.init})
    model_fields = getattr(type(value), "model_fields", None)  # a pydantic model of the drift report
    if isinstance(model_fields, dict):
        return value.model_copy(update={name: _unicode_only(getattr(value, name)) for name in model_fields})
    return value


def render_text(result: DiscoveryResult, limit: int = 0) -> str:
    """The report as text; `limit` caps every list (0 prints all), most important items first.

    What the traffic said (a device's product name, a log's field) is spelled out where a terminal would act on it
    (:func:`~factorysec.report.inert.printable`), in the --out file as on the terminal.
    """
    from factorysec.report.inert import printable

    return printable("\n".join(_text_lines(result, limit))) + "\n"


def _capped(items: Sequence[str], limit: int, what: str) -> Iterable[str]:
    shown = items if limit <= 0 else items[:limit]
    yield from shown
    if len(items) > len(shown):
        yield (f"  ... {len(items) - len(shown)} more {what} (--limit 0 prints all; --format json holds every item)")


def _zone_key(ip: str) -> str:
    """The /24 (IPv4) or /64 (IPv6) subnet, the grouping `--init` proposes as zones; an address naming no device
    (broadcast, multicast, unspecified) is its own group."""
    special = special_address(ip)
    if special is not None:
        return special
    try:
        a = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    return str(ipaddress.ip_network(f"{ip}/{24 if a.version == 4 else 64}", strict=False))


def flow_importance(f: Flow) -> tuple[int, int, int]:
    """Sort key, most important first: control operations seen, control protocols, then volume."""
    spec = P.BY_ID.get(f.protocol)
    return (-sum(o.count for o in f.operations), 0 if spec and spec.control else 1, -f.packets)


def host_importance(inv: Inventory) -> Callable[[Host], tuple[int, int, int]]:
    """Sort key for hosts, as `flow_importance` for flows: the control operations in the flows a host is client or
    server of, whether it speaks a control protocol, then its volume."""
    operations: Counter[str] = Counter()
    control: set[str] = set()
    for f in inv.flows:
        spec = P.BY_ID.get(f.protocol)
        count = sum(o.count for o in f.operations)
        for ip in (f.client, f.server):
            operations[ip] += count
            if spec and spec.control:
                control.add(ip)
    return lambda h: (-operations[h.ip], 0 if h.ip in control else 1, -h.packets)


NOT_LOGGED = "packets and bytes not logged"
"""Text for a flow only Zeek's protocol logs gave (`modbus.log`, `dnp3.log`...): they hold no packet or byte counts,
so its 0 packets are unknown, not none."""


def _volume(packets: int, size: int, flows: int = 1, uncounted: int = 0) -> str:
    """`N packets, M bytes`, saying which flows' counts no input held (a capture flow has at least one packet)."""
    if uncounted >= flows:
        return NOT_LOGGED
    text = f"{counted(packets, 'packet')}, {counted(size, 'byte')}"
    return f"{text} ({uncounted:,} of the flows: {NOT_LOGGED})" if uncounted else text


@dataclass(slots=True)
class _Group:
    flows: int = 0
    uncounted: int = 0
    packets: int = 0
    bytes: int = 0
    operations: int = 0
    control: bool = False
    directions: Counter[str] = field(default_factory=Counter)


def flow_groups(result: DiscoveryResult) -> list[tuple[tuple[str, str, str], _Group]]:
    """Flows summed by (client zone, server zone, protocol), most important first.

    Zones are the model's when a model was given (flows outside every zone
    show their subnet), else the /24 or /64 subnets.
    """
    zones: dict[tuple[str, str, str], tuple[str | None, str | None]] = {}
    if result.drift is not None:
        zones = {(m.client, m.server, m.label): (m.from_zone, m.to_zone) for m in result.drift.flows}
    groups: dict[tuple[str, str, str], _Group] = {}
    for f in result.inventory.flows:
        cz, sz = zones.get((f.client, f.server, f.label), (None, None))
        key = (cz or _zone_key(f.client), sz or _zone_key(f.server), f.label)
        g = groups.setdefault(key, _Group())
        spec = P.BY_ID.get(f.protocol)
        g.flows += 1
        g.uncounted += f.packets == 0
        g.packets += f.packets
        g.bytes += f.bytes
        g.operations += sum(o.count for o in f.operations)
        g.control = g.control or bool(spec and spec.control)
        g.directions[f.direction] += 1
    return sorted(groups.items(), key=lambda kv: (-kv[1].operations, not kv[1].control, -kv[1].packets, kv[0]))


def _direction(d: str) -> str:
    return f"{d}, {DIRECTION_CONFIDENCE.get(d, 'low')} confidence"


def _text_lines(result: DiscoveryResult, limit: int) -> Iterable[str]:
    inv = result.inventory
    read = [s for s in inv.sources if not s.not_read]
    unread = [s for s in inv.sources if s.not_read]
    skipped = sum(s.skipped_records for s in inv.sources)
    unused = [s for s in unread if s.kind == "skipped"]
    damaged = [s for s in unread if s.kind != "skipped"]
    yield f"Sources ({len(inv.sources)})"
    source_lines = [f"  {s.path}: {s.kind}: {s.not_read}" for s in damaged]
    for s in sorted(read, key=lambda s: not s.skipped):
        lines = [f"  {s.path}: {s.kind}, {counted(s.records, 'record')}, {counted(s.flows, 'flow')}"]
        for k in s.skipped:
            where = f" at {', '.join(k.positions)}{' ...' if k.count > len(k.positions) else ''}" if k.positions else ""
            lines.append(f"    skipped {counted(k.count, k.unit.removesuffix('s'), k.unit)}: {k.reason}{where}")
        source_lines.append("\n".join(lines))
    source_lines += [f"  {s.path}: not used: {s.not_read}" for s in unused]
    yield from _capped(source_lines, limit, "sources")
    yield (
        f"  summary: {counted(len(read), 'file')} read, {len(damaged):,} not read (damaged or "
        f"unreadable), {len(unused):,} not used (kinds discovery does not read); "
        f"{counted(sum(s.records for s in read), 'record')} read, {skipped:,} skipped"
    )
    yield ""
    yield f"Hosts ({len(inv.hosts)})"
    host_lines = []
    for h in sorted(inv.hosts, key=host_importance(inv)):
        mac = f" {', '.join(h.macs)}" if h.macs else ""
        vendor = f" [{', '.join(h.vendors)}]" if h.vendors else ""
        known = [f"{p.protocol} {p.role}" for p in h.protocols if "/" not in p.protocol]
        other = sum(1 for p in h.protocols if "/" in p.protocol)
        roles = ", ".join(known + ([f"{counted(other, 'other port')}"] if other else []))
        special = special_address(h.ip)
        kind = f" ({special} address, not a device)" if special else ""
        lines = [f"  {h.ip}{kind}{mac}{vendor}: {roles}"]
        lines += [f"    identity ({d.protocol}): {d.summary()} [evidence: {d.evidence}]" for d in h.identities]
        host_lines.append("\n".join(lines))
    yield from _capped(host_lines, limit, "hosts")
    yield ""
    groups = flow_groups(result)
    yield f"Traffic by zone pair and protocol ({len(groups)})"
    group_lines = []
    for (cz, sz, label), g in groups:
        ops = f", {counted(g.operations, 'control operation')}" if g.operations else ""
        how = ", ".join(f"{n:,} by {d}" for d, n in sorted(g.directions.items()))
        group_lines.append(
            f"  {cz} -> {sz} {label}: {counted(g.flows, 'flow')}, {_volume(g.packets, g.bytes, g.flows, g.uncounted)}"
            f"{ops} (direction: {how})"
        )
    yield from _capped(group_lines, limit, "zone pairs")
    yield ""
    yield f"Flows ({len(inv.flows)})"
    flow_lines = []
    for f in sorted(inv.flows, key=flow_importance):
        ops = "; " + ", ".join(f"{o.operation} x{o.count}" for o in f.operations) if f.operations else ""
        port = f"{f.transport}/{f.port}"
        what = port if f.label == port else f"{f.label} {port}"
        flow_lines.append(
            f"  {f.client} -> {f.server} {what} [{f.evidence}] "
            f"{_volume(f.packets, f.bytes, 1, f.packets == 0)}, {_time(f.first_seen)} .. {_time(f.last_seen)}"
            f" (direction: {_direction(f.direction)}){ops}"
        )
    yield from _capped(flow_lines, limit, "flows")
    if result.drift is None:
        return
    d = result.drift
    yield ""
    blind = [c for c in d.coverage if c.blind]
    yield f"Coverage of the model's zones ({len(d.coverage) - len(blind)} seen, {len(blind)} blind spots)"
    cover_lines = []
    for c in sorted(d.coverage, key=lambda c: (not c.blind, c.zone)):
        if c.blind:
            text = [f"  {c.zone}: no traffic seen (blind spot: drift says nothing about it)"]
        else:
            text = [
                f"  {c.zone}: {counted(c.hosts_seen, 'host')}, {counted(c.flows, 'flow')}, "
                f"{_time(c.first_seen)} .. {_time(c.last_seen)}"
            ]
        text += [
            f"    {s.subnet}: {counted(s.hosts_seen, 'host')} seen"
            + (f", {_time(s.first_seen)} .. {_time(s.last_seen)}" if s.hosts_seen else "")
            for s in c.subnets
        ]
        cover_lines.append("\n".join(text))
    yield from _capped(cover_lines, limit, "zones")
    yield ""
    yield f"Drift ({counted(len(d.findings), 'finding')})"
    finding_lines = []
    for x in d.findings:
        text = [f"  {x.severity.upper():8} {x.rule}: {x.message}", f"           guideline: {'; '.join(x.guideline)}"]
        if x.evidence:
            e = x.evidence
            text.append(
                f"           evidence: {', '.join(e.sources) or '-'}; {_time(e.first_seen)} .. "
                f"{_time(e.last_seen)}; {counted(e.packets, 'packet') if e.packets else 'packets not logged'}"
            )
        finding_lines.append("\n".join(text))
    yield from _capped(finding_lines, limit, "findings")
