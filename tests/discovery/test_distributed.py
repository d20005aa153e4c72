"""One big capture split over a Dask cluster's tasks gives exactly what `discover` gives on it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import distributed  # the optional extra `factorysec[distributed]`, installed by the test lock
import pytest
from typer.testing import CliRunner

from factorysec.cli import app
from factorysec.discovery import distributed as on_dask
from factorysec.discovery.command import discover
from factorysec.discovery.parts import CapturePart
from factorysec.discovery.pcap import Cut, find_cuts
from factorysec.discovery.pcap import read_part_checked as real_read_part
from factorysec.discovery.types import DiscoveryInputError
from tests.discovery.discovery_support import write_decoy_capture, write_pcap
from tests.discovery.test_split import generated_frames, write_pcapng_sections

runner = CliRunner()
THREADS = 4
"""Worker threads of the test cluster (2 workers of 2 threads): a capture splits into this many parts."""


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    with distributed.LocalCluster(n_workers=2, threads_per_worker=2, processes=False, dashboard_address=None) as local:
        yield local


@pytest.fixture
def client(cluster: Any) -> Iterator[Any]:
    with distributed.Client(cluster) as c:
        yield c


def _pcap(path: Path, seed: int = 3) -> Path:
    write_pcap(path, generated_frames(seed, sessions=80))
    return path


def _pcapng(path: Path, seed: int = 4) -> Path:
    write_pcapng_sections(path, generated_frames(seed, sessions=80), seed)
    return path


def _damaged_in_the_middle(source: Path, target: Path) -> Path:
    """The capture with 300 bytes of garbage from 60% of the file: record headers the walk must skip."""
    data = bytearray(source.read_bytes())
    at = len(data) * 6 // 10
    data[at : at + 300] = b"\xff" * 300
    target.write_bytes(bytes(data))
    return target


def _failing_at(lost_start: int) -> Callable[[str, int, int, Cut | None], tuple[CapturePart, Cut]]:
    """`read_part_checked` that fails, as a disk would, for the part starting at byte `lost_start`."""

    def failing_read_part(path: str, start: int, end: int, cut: Cut | None) -> tuple[CapturePart, Cut]:
        if start == lost_start:
            raise DiscoveryInputError(path, "Input/output error")
        return real_read_part(path, start, end, cut)

    return failing_read_part


@pytest.mark.parametrize("make", [_pcap, _pcapng], ids=["pcap", "pcapng"])
def test_one_capture_split_over_the_cluster_equals_discover(
    tmp_path: Path, client: Any, make: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    capture: Path = make(tmp_path / "big.cap")
    got = on_dask.map_on_cluster([capture], client, min_part_bytes=1)
    assert got.tasks == THREADS
    assert len(got.partial.parts) == THREADS
    assert sorted(r for p in got.partial.parts for r in p.ranges)[-1][1] == capture.stat().st_size
    assert 0 < got.partial_bytes
    monkeypatch.setattr(on_dask, "MIN_PART_BYTES", 1)
    assert discover([capture], dask=client) == discover([capture])


def test_a_damaged_stretch_is_reported_as_in_a_single_run(
    tmp_path: Path, client: Any, cluster: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    capture = _damaged_in_the_middle(_pcap(tmp_path / "clean.pcap"), tmp_path / "damaged.pcap")
    alone = runner.invoke(app, ["discover", str(capture), "--limit", "0"])
    monkeypatch.setattr(on_dask, "MIN_PART_BYTES", 1)
    split = runner.invoke(app, ["discover", str(capture), "--limit", "0", "--dask", cluster.scheduler_address])
    assert alone.exit_code == split.exit_code == 0, split.output
    assert split.stdout == alone.stdout
    skipped = [line for line in split.stdout.splitlines() if line.strip().startswith("skipped")]
    assert skipped and all(any(unit in line for unit in (" byte", " packet")) for line in skipped)
    assert discover([capture], dask=client) == discover([capture])


def test_a_range_no_worker_can_read_is_one_clear_line(
    tmp_path: Path, cluster: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    capture = _pcap(tmp_path / "c.pcap")
    size = capture.stat().st_size
    lost_start = size * 2 // THREADS
    monkeypatch.setattr(on_dask, "read_part_checked", _failing_at(lost_start))  # the in-process workers call it
    monkeypatch.setattr(on_dask, "MIN_PART_BYTES", 1)
    result = runner.invoke(app, ["discover", str(capture), "--dask", cluster.scheduler_address, "--limit", "0"])
    assert result.exit_code == 0, result.output
    lost = size * 3 // THREADS - lost_start
    lines = [line.strip() for line in result.stdout.splitlines() if "not read on the cluster" in line]
    assert lines == [
        f"skipped {lost:,} bytes: part not read on the cluster (Input/output error) at byte {lost_start} ..."
    ]
    whole = discover([capture])
    partly = discover([capture], dask=cluster.scheduler_address)
    assert partly.sources[0].records < whole.sources[0].records
    # fewer packets, and who is the client may be decided differently (the handshake may be in the lost range)
    assert {frozenset((f.client, f.server)) for f in partly.flows} <= {
        frozenset((f.client, f.server)) for f in whole.flows
    }


def test_a_wrong_guess_of_where_a_part_starts_is_read_again_on_the_cluster(tmp_path: Path, client: Any) -> None:
    """The cut in the middle falls inside a packet whose payload looks like records: the third part is guessed to start
    inside it, the second part's walk leaves after it, and the last two parts are read again as one range."""
    capture = tmp_path / "decoy.pcap"
    decoy_at, decoy_end = write_decoy_capture(capture)
    size = capture.stat().st_size
    middle = size * 2 // THREADS
    assert decoy_at < middle < decoy_end
    [truth] = find_cuts(capture, [middle])
    assert truth.offset == decoy_end
    got = on_dask.map_on_cluster([capture], client, min_part_bytes=1)
    assert got.tasks == THREADS + 1  # the parts, and the range read again
    assert sorted(r for p in got.partial.parts for r in p.ranges) == [
        (size * k // THREADS, size * (k + 1) // THREADS) for k in range(2)
    ] + [(middle, size)]
    assert discover([capture], dask=client) == discover([capture])


def test_after_a_part_no_worker_could_read_the_next_part_is_checked_by_a_header_walk(
    tmp_path: Path, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No walk says where the lost part left: one header walk finds where the next part must start, and the next
    part, guessed inside the decoy, is read again from there."""
    capture = tmp_path / "decoy.pcap"
    write_decoy_capture(capture)
    size = capture.stat().st_size
    lost = size * 1 // THREADS
    monkeypatch.setattr(on_dask, "read_part_checked", _failing_at(lost))
    got = on_dask.map_on_cluster([capture], client, min_part_bytes=1)
    assert got.tasks == THREADS + 1
    ranges = sorted(r for p in got.partial.parts for r in p.ranges)
    assert ranges == [(0, lost), (lost, size * 2 // THREADS), (size * 2 // THREADS, size)]
    skipped = [p for p in got.partial.parts if p.ranges == ((lost, size * 2 // THREADS),)]
    assert [k for k in skipped[0].stats.skipped] == [("part not read on the cluster (Input/output error)", "bytes")]


def test_a_capture_whose_header_is_unusable_is_not_read_as_in_a_single_run(tmp_path: Path, client: Any) -> None:
    capture = _pcap(tmp_path / "c.pcap")
    data = bytearray(capture.read_bytes())
    data[20:24] = (999).to_bytes(4, "little")  # link type nobody reads
    capture.write_bytes(bytes(data))
    good = _pcap(tmp_path / "good.pcap", seed=5)
    got = on_dask.map_on_cluster([capture, good], client, min_part_bytes=1)
    [unread] = [s for s in got.partial.sources if s.not_read]
    assert unread.path == str(capture)
    assert unread.not_read == "unsupported link type 999"
    with pytest.raises(DiscoveryInputError) as single:
        discover([capture])
    assert single.value.message == unread.not_read


def test_a_file_of_another_size_on_a_worker_is_refused(tmp_path: Path, client: Any) -> None:
    capture = _pcap(tmp_path / "c.pcap")
    size = capture.stat().st_size
    got = client.submit(on_dask._read_range, str(capture), size + 1, 0, size, None, pure=False).result()
    assert got == on_dask.RangeFailed(
        f"is {size} bytes on this worker, {size + 1} where the run started (changed, or another file)"
    )


def test_a_site_writes_the_partial_of_a_capture_split_on_its_cluster(
    tmp_path: Path, cluster: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    capture = _pcapng(tmp_path / "site.pcapng")
    partial = tmp_path / "site.partial"
    monkeypatch.setattr(on_dask, "MIN_PART_BYTES", 1)
    wrote = runner.invoke(
        app, ["discover", str(capture), "--dask", cluster.scheduler_address, "--partial", str(partial)]
    )
    assert wrote.exit_code == 0, wrote.output
    merged = runner.invoke(app, ["discover", str(partial), "--format", "json"])
    alone = runner.invoke(app, ["discover", str(capture), "--format", "json"])
    assert merged.exit_code == alone.exit_code == 0
    assert merged.stdout == alone.stdout
