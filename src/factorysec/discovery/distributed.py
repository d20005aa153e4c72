"""Discovery over a Dask cluster: the same map (read files, or byte ranges of one capture, into partial
results) and merge.

Each worker reads what it is given where it is (shared storage the run's
machine and the workers all see) and sends back only the partial result, a
few megabytes, never the capture. A capture big enough to be worth it is
split into byte ranges as with `--jobs`, but over the cluster's worker threads:
one short task guesses where each later part starts (`pcap.guess_cuts`; one
header walk where it finds no guess), every part is read by whichever worker is
free and says where its walk left its bytes, and a part that did not start
exactly where the part before it left is read again from there (`_checked`).
The parts merge into exactly the single-run result (`parts.merge_parts`), so
the inventory equals a single run over the same files. Needs the optional extra: `pip install factorysec[distributed]`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factorysec.discovery import command
from factorysec.discovery.flowtable import FlowTable
from factorysec.discovery.heap import buffers_kept_while_reading
from factorysec.discovery.partial import Partial, dump_partial, load_partial_text
from factorysec.discovery.parts import CapturePart, PartStats
from factorysec.discovery.pcap import PCAP_MAGICS, PCAPNG_SHB, Cut, find_cuts, part_cuts, read_part_checked
from factorysec.discovery.types import DiscoveryInputError, SourceStats

MIN_PART_BYTES = command.MIN_PART_BYTES
"""A capture is split into parts of at least this size, as with `--jobs` (smaller ones are read whole)."""


@dataclass(frozen=True, slots=True)
class RangeFailed:
    """What a worker returns instead of a partial when it could not read its file or byte range."""

    message: str


@dataclass(frozen=True, slots=True)
class RangeRead:
    """What a worker returns for a byte range it read: its partial result's text, and where its walk left the range."""

    text: str
    left: Cut


@dataclass(slots=True)
class ClusterRead:
    """The gathered partial results, and what came over the network for them."""

    partial: Partial = field(default_factory=Partial)
    partial_bytes: int = 0
    """Bytes of partial-result text the workers sent back (the captures themselves never move)."""
    tasks: int = 0
    """Tasks that read a file or a byte range of one."""


def _read_to_partial(path: str) -> str:
    """Run on a worker: read one file and return its partial result as JSON text."""
    with buffers_kept_while_reading():
        partial = command.read_one(Path(path))
    return dump_partial(partial.records, partial.sources, partial.parts)


def _same_file(path: str, size: int) -> None:
    """Refuse to read a file this worker sees with another size than the machine that planned the split."""
    try:
        here = os.stat(path).st_size
    except OSError as e:
        raise DiscoveryInputError(path, f"cannot open on this worker: {e.strerror}") from e
    if here != size:
        raise DiscoveryInputError(
            path, f"is {here} bytes on this worker, {size} where the run started (changed, or another file)"
        )


def _read_range(path: str, size: int, start: int, end: int, cut: Cut | None) -> RangeRead | RangeFailed:
    """Run on a worker: read the records that start in bytes [start, end), entering the walk at `cut`."""
    try:
        _same_file(path, size)
        with buffers_kept_while_reading():
            part, left = read_part_checked(path, start, end, cut)
        return RangeRead(dump_partial([], [], [part]), left)
    except DiscoveryInputError as error:
        return RangeFailed(error.message)


def _find_cuts(path: str, size: int, starts: list[int], guess: bool = False) -> list[Cut] | RangeFailed:
    """Run on a worker: where each part after the first starts, by one header walk; with `guess`, guessed
    (`pcap.guess_cuts`, checked once the parts are read) where a guess is found for every start."""
    try:
        _same_file(path, size)
        with buffers_kept_while_reading():
            return part_cuts(path, starts) if guess else find_cuts(path, starts)
    except DiscoveryInputError as error:
        return RangeFailed(error.message)


def _read_range_at(
    path: str, size: int, start: int, end: int, cuts: list[Cut] | RangeFailed, index: int
) -> RangeRead | RangeFailed:
    """Run on a worker: read a part from its cut (`cuts`, resolved by Dask)."""
    if isinstance(cuts, RangeFailed):
        return cuts
    return _read_range(path, size, start, end, cuts[index])


def _capture(path: Path) -> tuple[str, int] | None:
    """Kind and size of a file that starts like a pcap or pcapng capture, else None (read whole, as any input)."""
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
        size = path.stat().st_size
    except OSError:
        return None
    if magic == PCAPNG_SHB:
        return "pcapng", size
    return ("pcap", size) if magic in PCAP_MAGICS else None


def _not_read(path: Path, message: str) -> Partial:
    """A file the cluster could not read, reported as `read_one` reports one (kept in the statistics)."""
    return Partial(
        sources=[SourceStats(path=str(path), kind="not read", records=0, bytes_read=0, flows=0, not_read=message)]
    )


def _unread_range(path: str, kind: str, size: int, start: int, end: int, why: str) -> CapturePart:
    """A part for a byte range no worker could read: no flows, its bytes counted as skipped with the reason,
    so the capture's report says in one line which bytes are missing and why."""
    stats = PartStats()
    stats.skip(f"part not read on the cluster ({why})", end - start, "bytes", [start])
    return CapturePart(path, kind, size, ((start, end),), stats, FlowTable(path).state())


def _connect(scheduler: str | Any) -> tuple[Any, bool]:
    try:
        import distributed
    except ImportError as e:
        raise DiscoveryInputError("--dask", "Dask is not installed: pip install 'factorysec[distributed]'") from e
    client_type: Any = distributed.Client  # the library has no type annotations
    if isinstance(scheduler, client_type):
        return scheduler, False
    try:
        return client_type(scheduler, timeout=30), True
    except OSError as e:
        raise DiscoveryInputError("--dask", f"cannot reach the Dask scheduler {scheduler}: {e}") from e


def _result(future: Any) -> str | RangeRead | RangeFailed | list[Cut]:
    """A task's result; a task the cluster could not run (a worker lost, say) becomes a failure, not a traceback."""
    try:
        result: str | RangeRead | RangeFailed | list[Cut] = future.result()
    except Exception as e:  # noqa: BLE001 - whatever the cluster raised is reported as that task's failure
        return RangeFailed(f"task failed on the cluster: {type(e).__name__}: {e}")
    return result


def read_on_cluster(paths: Sequence[Path], scheduler: str | Any, min_part_bytes: int | None = None) -> Partial:
    """Map `paths` over a Dask cluster and gather the partial results, not yet merged (see `map_on_cluster`)."""
    return map_on_cluster(paths, scheduler, min_part_bytes).partial


def map_on_cluster(paths: Sequence[Path], scheduler: str | Any, min_part_bytes: int | None = None) -> ClusterRead:
    """Read `paths` on a Dask cluster's workers: whole files, and big captures in parts over all worker threads.

    `scheduler` is a scheduler address (`tcp://host:8786`) or an existing
    `distributed.Client`. The paths must be readable, with the same contents,
    where this runs and where the workers run. A capture is split into up to
    one part per worker thread, each at least `min_part_bytes` (default
    `MIN_PART_BYTES`) and its share of all the input bytes. A capture whose
    file header is unusable is not read, as in a single run; a later byte
    range no worker could read is counted as skipped bytes with the reason.
    """
    minimum = MIN_PART_BYTES if min_part_bytes is None else max(min_part_bytes, 1)
    client, own = _connect(scheduler)
    try:
        threads = max(sum(client.nthreads().values()), 1)
        captures = {p: _capture(p) for p in paths}
        total = sum(c[1] if c else (p.stat().st_size if p.is_file() else 0) for p, c in captures.items())
        share = max(total // threads, minimum)
        whole: list[tuple[Path, Any]] = []
        split: list[_Split] = []
        for path in paths:
            capture = captures[path]
            parts = min(threads, capture[1] // share) if capture else 0
            name = str(path)
            if capture is None or parts < 2:
                whole.append((path, client.submit(_read_to_partial, name, pure=False)))
                continue
            kind, size = capture
            bounds = [size * k // parts for k in range(parts + 1)]
            first = client.submit(_read_range, name, size, bounds[0], bounds[1], None, pure=False)
            cuts = client.submit(_find_cuts, name, size, bounds[1:-1], True, pure=False)
            rest = [
                client.submit(_read_range_at, name, size, a, b, cuts, i, pure=False)
                for i, (a, b) in enumerate(zip(bounds[1:-1], bounds[2:], strict=True))
            ]
            split.append(_Split(path, kind, size, bounds, [first, *rest], cuts))
        return _collect(client, whole, split)
    finally:
        if own:
            client.close()


def _range_result(future: Any) -> RangeRead | RangeFailed:
    """A part's result: what its worker read, or why it could not."""
    got = _result(future)
    return got if isinstance(got, RangeRead | RangeFailed) else RangeFailed(_UNEXPECTED)


def _cuts_result(future: Any) -> list[Cut] | RangeFailed:
    got = _result(future)
    return got if isinstance(got, list | RangeFailed) else RangeFailed(_UNEXPECTED)


_UNEXPECTED = "unexpected result from the cluster"


@dataclass(slots=True)
class _Split:
    """A capture read in parts on the cluster: its byte bounds, the parts' futures, and that of their cuts."""

    path: Path
    kind: str
    size: int
    bounds: list[int]
    futures: list[Any]
    cuts: Any


def _checked(
    client: Any, split: _Split, results: list[RangeRead | RangeFailed]
) -> tuple[list[int], list[RangeRead | RangeFailed], bool]:
    """The parts' bounds and results, each part checked to start where the walk of the part before it left the range
    (a header walk finds that place after a part no worker could read); from the first that does not (a wrong
    guess), the rest of the capture is read again as one range from there (the last value says whether it was)."""
    cuts = _cuts_result(split.cuts)
    if not isinstance(cuts, list):
        return split.bounds, results, False
    name, size, bounds = str(split.path), split.size, split.bounds
    for k in range(1, len(results)):
        before = results[k - 1]
        if isinstance(before, RangeRead):
            left: Cut | RangeFailed = before.left
        else:
            walked = _cuts_result(client.submit(_find_cuts, name, size, [bounds[k]], pure=False))
            left = walked[0] if isinstance(walked, list) else walked
        if isinstance(left, RangeFailed):  # where this part starts is not known: the rest is not read
            return [*bounds[: k + 1], bounds[-1]], [*results[:k], left], False
        if not cuts[k - 1].continues(left):
            again = _range_result(client.submit(_read_range, name, size, bounds[k], bounds[-1], left, pure=False))
            return [*bounds[: k + 1], bounds[-1]], [*results[:k], again], True
    return bounds, results, False


def _collect(client: Any, whole: list[tuple[Path, Any]], split: list[_Split]) -> ClusterRead:
    out = ClusterRead()
    for path, future in whole:
        got = _result(future)
        out.tasks += 1
        if isinstance(got, str):
            out.partial_bytes += len(got.encode("utf-8"))
            _add(out.partial, load_partial_text(got, str(path)))
        else:
            message = got.message if isinstance(got, RangeFailed) else _UNEXPECTED
            _add(out.partial, _not_read(path, message))
    for one in split:
        path, kind, size = one.path, one.kind, one.size
        results = [_range_result(f) for f in one.futures]
        out.tasks += len(results)
        head = results[0]
        if isinstance(head, RangeFailed):  # the file header, or the file itself: nothing of it can be read
            _add(out.partial, _not_read(path, head.message))
            continue
        bounds, results, read_again = _checked(client, one, results)
        out.tasks += read_again
        for (start, end), got in zip(zip(bounds, bounds[1:], strict=False), results, strict=True):
            if isinstance(got, RangeRead):
                out.partial_bytes += len(got.text.encode("utf-8"))
                _add(out.partial, load_partial_text(got.text, str(path)))
            else:
                out.partial.parts.append(_unread_range(str(path), kind, size, start, end, got.message))
    return out


def _add(into: Partial, got: Partial) -> None:
    into.records.extend(got.records)
    into.sources.extend(got.sources)
    into.parts.extend(got.parts)
