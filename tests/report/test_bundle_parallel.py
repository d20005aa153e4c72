"""The report writers in forked processes: same outputs as one after the other, one clear error and no folder when one fails."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from factorysec.analysis import analyze
from factorysec.catalog import Catalog, Text
from factorysec.model import LoadedModel, load_model_with_sources
from factorysec.report import bundle
from factorysec.report.bundle import WRITERS, ReportContext, ReportWriter, WriterProcessError, write_report_folder
from factorysec.report.pdf import PdfError
from tests.conftest import EXAMPLES

TEXT_OUTPUTS = ("assessment.json", "findings.sarif", "report.md", "report.html", "zones.svg", "step-2.html")


@pytest.fixture(scope="module")
def loaded() -> LoadedModel:
    return load_model_with_sources(EXAMPLES / "case-1-first-added.yaml", note_entries=True)


def test_parallel_writers_write_the_same_files_in_the_same_order(
    tmp_path: Path, loaded: LoadedModel, catalog: Catalog
) -> None:
    assessment = analyze(loaded.model, catalog)
    seen: list[tuple[str, int, int]] = []
    one = write_report_folder(loaded, assessment, tmp_path / "one", catalog=catalog, jobs=1)
    two = write_report_folder(
        loaded, assessment, tmp_path / "two", catalog=catalog, jobs=2, progress=lambda *event: seen.append(event)
    )
    assert [path.relative_to(tmp_path / "two") for path in two] == [path.relative_to(tmp_path / "one") for path in one]
    for name in TEXT_OUTPUTS:
        assert (tmp_path / "two" / name).read_text(encoding="utf-8") == (tmp_path / "one" / name).read_text(
            encoding="utf-8"
        ), name
    assert seen[0][1:] == (0, len(WRITERS))  # the first event: nothing done yet
    assert seen[-1] == ("", len(WRITERS), len(WRITERS))
    assert [done for _, done, _ in seen] == sorted(done for _, done, _ in seen)


def _fails(context: ReportContext) -> list[Path]:
    (context.out_dir / "half.txt").write_text("half", encoding="utf-8")
    raise PdfError("summary.pdf: WeasyPrint needs the Pango library")


def _dies(context: ReportContext) -> list[Path]:
    os._exit(9)  # as the kernel's out-of-memory killer would end it: no exception, no answer


def test_a_failing_writer_in_a_process_raises_its_error_and_leaves_no_folder(
    tmp_path: Path, loaded: LoadedModel, catalog: Catalog
) -> None:
    assessment = analyze(loaded.model, catalog)
    writers = [*WRITERS[:2], ReportWriter(Text(en="broken", ja="壊れた"), _fails, ("half.txt",))]
    out = tmp_path / "out"
    with pytest.raises(
        PdfError, match="needs the Pango library"
    ):  # the same error as in one process, for the CLI to show
        write_report_folder(loaded, assessment, out, catalog=catalog, writers=writers, jobs=2)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # the staging folder is gone too


def test_a_writer_process_that_dies_is_one_line_naming_the_output(
    tmp_path: Path, loaded: LoadedModel, catalog: Catalog
) -> None:
    assessment = analyze(loaded.model, catalog)
    writers = [WRITERS[0], ReportWriter(Text(en="doomed.xlsx", ja="doomed.xlsx"), _dies)]
    out = tmp_path / "out"
    with pytest.raises(WriterProcessError) as raised:
        write_report_folder(loaded, assessment, out, catalog=catalog, writers=writers, jobs=2)
    message = str(raised.value)
    assert message.startswith("a writer process ended without finishing") and "\n" not in message
    assert "while writing" in message and "doomed.xlsx" in message
    assert not out.exists() and list(tmp_path.iterdir()) == []


def _dies_holding_the_claims(context: ReportContext) -> list[Path]:
    assert bundle._FORKED is not None
    bundle._FORKED[3].owners.get_lock().acquire()
    os._exit(9)  # killed between taking the lock and giving it back


def test_a_writer_process_that_dies_holding_the_claims_lock_ends_the_run(
    tmp_path: Path, loaded: LoadedModel, catalog: Catalog
) -> None:
    """The lock a dead process held is never given back: this process stops waiting for it once the fork is gone."""
    assessment = analyze(loaded.model, catalog)
    writers = [
        ReportWriter(Text(en="doomed", ja="doomed"), _dies_holding_the_claims, cost=2.0),
        _writes_pid("first", 0.2, 0.5),
        _writes_pid("second", 0.1, 0.0),
    ]
    out = tmp_path / "out"
    started = time.monotonic()
    with pytest.raises(WriterProcessError, match="ended without finishing"):
        write_report_folder(loaded, assessment, out, catalog=catalog, writers=writers, jobs=2)
    assert time.monotonic() - started < 30
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_parallel_jobs_follow_the_cores_and_the_memory_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    assert bundle.parallel_jobs(7, resident_mb=200.0) == 4  # small model: one process per core
    assert bundle.parallel_jobs(3, resident_mb=200.0) == 3  # no more processes than writers
    # 900 MB: this process and one fork estimated at 1,215 + 735 MB; a third would pass 2 GB
    assert bundle.parallel_jobs(7, resident_mb=900.0) == 2
    # the 100k plant's 1,200 MB: 1,620 + 960 MB (measured: 2,457 MB), over the budget: one after the other
    assert bundle.parallel_jobs(7, resident_mb=1200.0) == 1
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert bundle.parallel_jobs(7, resident_mb=100.0) == 1  # one core: no fork


def test_the_memory_estimate_counts_shared_pages_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A forked child adds its own pages to the tree, not a second copy of its parent's: two processes of a 900 MB
    parent fit 2 GB by their PSS (1,215 + 735 MB) though their RSS would sum to 2,430 MB at the writers' peak."""
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    alone = bundle.tree_estimate_mb(1, 900.0)
    assert alone == pytest.approx(900.0 * (1 + bundle.PARENT_GROWTH))
    two = bundle.tree_estimate_mb(2, 900.0)
    assert two == pytest.approx(alone + 900.0 * bundle.CHILD_SHARE + bundle.CHILD_EXTRA_MB)
    assert two < bundle.MEMORY_BUDGET_MB < 2 * alone
    assert bundle.parallel_jobs(7, resident_mb=900.0) == 2
    assert bundle.parallel_jobs(7, resident_mb=900.0, budget_mb=1900.0) == 1


def _writes_pid(name: str, cost: float, pause: float) -> ReportWriter:
    def write(context: ReportContext) -> list[Path]:
        time.sleep(pause)
        path = context.out_dir / name
        path.write_text(str(os.getpid()), encoding="utf-8")
        return [path]

    return ReportWriter(Text(en=name, ja=name), write, (name,), cost=cost)


def _pids(written: list[Path]) -> dict[str, int]:
    assert [path.name for path in written] == ["costly", "middle", "cheap"]
    return {path.name: int(path.read_text(encoding="utf-8")) for path in written}


def test_this_process_writes_the_cheapest_beside_the_forked_one(
    tmp_path: Path, loaded: LoadedModel, catalog: Catalog
) -> None:
    """The fork starts on the costliest writer, this process on the cheapest; done first, this process also takes the
    middle one: nothing is handed to the fork before it is free to write it."""
    assessment = analyze(loaded.model, catalog)
    writers = [_writes_pid("costly", 1.5, 1.5), _writes_pid("middle", 1.2, 0.1), _writes_pid("cheap", 1.0, 0.2)]
    pids = _pids(write_report_folder(loaded, assessment, tmp_path / "out", catalog=catalog, writers=writers, jobs=2))
    assert pids["costly"] != os.getpid()
    assert pids["cheap"] == os.getpid() and pids["middle"] == os.getpid()


def test_the_fork_free_first_takes_the_next_costliest(tmp_path: Path, loaded: LoadedModel, catalog: Catalog) -> None:
    """Where the estimates were wrong (the cheapest writer is slow), the fork, free first, takes the middle writer."""
    assessment = analyze(loaded.model, catalog)
    writers = [_writes_pid("costly", 1.5, 0.1), _writes_pid("middle", 1.2, 0.1), _writes_pid("cheap", 1.0, 1.5)]
    pids = _pids(write_report_folder(loaded, assessment, tmp_path / "out", catalog=catalog, writers=writers, jobs=2))
    assert pids["cheap"] == os.getpid()
    assert pids["costly"] != os.getpid() and pids["middle"] == pids["costly"]


def test_with_a_pdf_process_this_process_first_hands_off_the_summary(
    tmp_path: Path, loaded: LoadedModel, catalog: Catalog
) -> None:
    """The summary's writer only hands its layout to the process ``report`` started: this process takes it first,
    before even its cheapest writer, whatever its cost (the costliest here), so that the layout runs beside the
    others; without that process the costliest goes to the fork as before."""
    from dataclasses import replace

    from factorysec.report.pdf_layout import started_pdf_process

    assessment = analyze(loaded.model, catalog)
    costly = replace(_writes_pid("costly", 1.5, 0.3), hands_off=True)
    writers = [costly, _writes_pid("middle", 1.2, 0.1), _writes_pid("cheap", 1.0, 0.2)]
    with started_pdf_process() as process:
        out = tmp_path / "with"
        pids = _pids(
            write_report_folder(loaded, assessment, out, catalog=catalog, writers=writers, jobs=2, pdf_process=process)
        )
    assert pids["costly"] == os.getpid() and pids["middle"] != os.getpid()
    pids = _pids(
        write_report_folder(loaded, assessment, tmp_path / "without", catalog=catalog, writers=writers, jobs=2)
    )
    assert pids["costly"] != os.getpid()


@pytest.mark.parametrize(
    ("cpus", "jobs", "writer_count", "apart"), [(2, 1, 2, True), (2, 2, 2, False), (1, 1, 2, False), (2, 1, 1, False)]
)
def test_writers_hand_work_to_processes_of_their_own_only_where_this_process_writes_alone_beside_an_idle_core(
    tmp_path: Path,
    loaded: LoadedModel,
    catalog: Catalog,
    monkeypatch: pytest.MonkeyPatch,
    cpus: int,
    jobs: int,
    writer_count: int,
    apart: bool,
) -> None:
    """ReportContext.apart (the summary's layout in a process of its own): the writers run in this one process (a
    large plant) and the machine has another core; not beside forked writers, nor on one core, nor for one writer."""
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cpus)))

    def note(context: ReportContext) -> list[Path]:
        path = context.out_dir / f"{os.getpid()}-{time.monotonic_ns()}.txt"  # a fork's writers too
        path.write_text(str(context.apart), encoding="utf-8")
        return [path]

    writers = [ReportWriter(Text(en=f"w{index}", ja=f"w{index}"), note) for index in range(writer_count)]
    written = bundle.write_reports(
        loaded, analyze(loaded.model, catalog), tmp_path / "out", catalog=catalog, writers=writers, jobs=jobs
    )
    assert [path.read_text(encoding="utf-8") for path in written] == [str(apart)] * writer_count
