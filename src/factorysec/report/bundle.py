"""The report folder: every output written from ONE analysis, one writer per file.

To add an output (``report.html``, diagrams ...), write a function taking a
:class:`ReportContext` and returning the paths it wrote, and append a
:class:`ReportWriter` for it to :data:`WRITERS`.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn

from factorysec.analysis.assessment import Assessment
from factorysec.catalog import Catalog
from factorysec.catalog.models import Text
from factorysec.model.loader import LoadedModel
from factorysec.outputs import OutputError
from factorysec.report import json_out
from factorysec.report.sarif import sarif_json
from factorysec.report.view import AssessmentView

if TYPE_CHECKING:
    from factorysec.report.pdf_layout import PdfProcess


@dataclass(frozen=True)
class ReportContext:
    """What every writer reads: the loaded model, its one assessment, the catalog, the language and the folder."""

    loaded: LoadedModel
    assessment: Assessment
    catalog: Catalog
    lang: str
    out_dir: Path
    apart: bool = False
    """The writers run in this one process (a large plant, see :func:`parallel_jobs`) on a machine with another core:
    a writer whose work needs little of the model (WeasyPrint's layout of the summary) hands it to a process of its
    own."""
    pdf_process: PdfProcess | None = None
    """A process that has imported WeasyPrint already (``report`` starts it before loading the model): the summary's
    writer, wherever it runs, hands it the page and goes on; :func:`write_reports` waits for it at the end."""

    @cached_property
    def view(self) -> AssessmentView:
        """The one view of the assessment that the writers share (its lookups are built once)."""
        return AssessmentView(self.assessment, self.loaded.model, self.catalog, self.lang, loaded=self.loaded)


@dataclass(frozen=True)
class ReportWriter:
    """One output of the report folder."""

    label: Text
    write: Callable[[ReportContext], list[Path]]
    files: tuple[str, ...] = ()
    """The names of the files it may write, so that a folder holding only these is known as an earlier report."""
    cost: float = 1.0
    """Its CPU seconds on the 10k-asset benchmark, roughly (``bench_report_fork.py 10000``, Graphviz included; session
    15, quiet machine): when writers run in parallel, the forked processes claim the costliest first and this process
    the cheapest. At 100k the order is much the same (zone diagrams 34, HTML 29, xlsx 14, then PDF, Markdown, JSON
    and SARIF 5-7 CPU s each) but for the PDF, whose cost hardly grows with the plant."""
    beside: bool = False
    """Much of its work runs in processes of its own (Graphviz; the workbook's XML past
    :data:`factorysec.report.xlsx.SEPARATE_ROWS` rows): where the writers run one after the other in this process (a
    large plant, see :func:`parallel_jobs`), it runs on a thread beside them instead, so that those processes use the
    cores the Python writers leave idle without a copy of the model, and this process writes on meanwhile."""
    needs_view: bool = False
    """It reads :attr:`ReportContext.view`: where the writers run in forked processes, the view is built before the
    fork, once, instead of in each process."""
    hands_off: bool = False
    """With :attr:`ReportContext.pdf_process`, it only hands its work to that process (the summary's layout): where the
    writers run in forked processes, this process takes it first, so that the work runs beside all the others."""


ProgressHook = Callable[[str, int, int], None]
"""Called before each writer with its label, the number of writers done and the total."""


def _write_text(path: Path, content: str) -> list[Path]:
    path.write_text(content, encoding="utf-8")
    return [path]


def write_assessment_json(context: ReportContext) -> list[Path]:
    path = context.out_dir / "assessment.json"
    with path.open("wb") as handle:  # streamed: never the whole text (500 MB for 100k assets) at once
        json_out.write_assessment_json(context.assessment, handle)
    return [path]


def write_sarif(context: ReportContext) -> list[Path]:
    return _write_text(context.out_dir / "findings.sarif", sarif_json(context.assessment, context.loaded, context.lang))


def write_xlsx(context: ReportContext) -> list[Path]:
    from factorysec.report.xlsx import write_report_workbook

    path = context.out_dir / "report.xlsx"
    write_report_workbook(context.view, path)
    return [path]


def write_markdown(context: ReportContext) -> list[Path]:
    from factorysec.report.markdown import write_markdown_view

    path = context.out_dir / "report.md"
    write_markdown_view(context.view, path)
    return [path]


def write_html(context: ReportContext) -> list[Path]:
    from factorysec.report.html import write_html_report

    return write_html_report(
        context.loaded, context.assessment, context.out_dir, context.lang, context.catalog, data=context.view
    )


def write_zone_diagrams(context: ReportContext) -> list[Path]:
    """``zones/<zone id>.svg``: each zone with its neighbours, for plants the overview draws as a grid (see
    :func:`factorysec.report.diagram.plan_diagram`); their DOT text from :mod:`factorysec.report.diagram_prep` when a
    process worked it out while the model was analysed."""
    from factorysec.report.diagram import (
        ZONE_DIAGRAM_FOLDER,
        draw_neighbour_chunks,
        neighbour_diagram_documents,
        plan_diagram,
        prepared_diagrams,
    )
    from factorysec.report.html import zone_homes

    model = context.loaded.model
    if not plan_diagram(model).grid:
        return []
    folder = context.out_dir / ZONE_DIAGRAM_FOLDER
    folder.mkdir(exist_ok=True)  # the HTML writer puts the zone pages there first
    home = zone_homes(model.zones)
    prepared = prepared_diagrams(model)
    chunks = prepared.chunks(context.assessment, context.lang, home) if prepared is not None else None
    if chunks is not None:
        documents = draw_neighbour_chunks(chunks)
    else:
        documents = neighbour_diagram_documents(model, context.assessment, context.lang, home_link=home)
    written = []
    for zone_id, svg in documents:
        path = folder / f"{zone_id}.svg"
        path.write_bytes(svg)
        written.append(path)
    return written


def write_summary_pdf(context: ReportContext) -> list[Path]:
    """``summary.pdf``: the printable summary (top findings and risks, Step 3 status, the diagram), laid out by WeasyPrint."""
    from factorysec.report.pdf import SUMMARY_FILE, build_summary
    from factorysec.report.pdf import write_summary_pdf as write_pdf

    path = context.out_dir / SUMMARY_FILE
    summary = build_summary(context.loaded.model, context.assessment, context.catalog, context.lang)
    if context.pdf_process is not None:
        from factorysec.report.pdf import render_summary_html

        context.pdf_process.send(render_summary_html(summary), path)  # write_reports waits for it at the end
    elif context.apart:
        from factorysec.report.pdf import write_summary_pdf_apart

        write_summary_pdf_apart(summary, path)
    else:
        write_pdf(summary, path)
    return [path]


WRITERS: list[ReportWriter] = [
    ReportWriter(Text(en="assessment.json", ja="assessment.json"), write_assessment_json, ("assessment.json",), 0.3),
    ReportWriter(Text(en="findings.sarif", ja="findings.sarif"), write_sarif, ("findings.sarif",), 0.3),
    ReportWriter(
        Text(en="report.xlsx", ja="report.xlsx"), write_xlsx, ("report.xlsx",), 1.05, beside=True, needs_view=True
    ),
    ReportWriter(Text(en="report.md", ja="report.md"), write_markdown, ("report.md",), 0.45, needs_view=True),
    ReportWriter(
        Text(en="report.html, its pages and zones.svg", ja="report.html と各ページ、zones.svg"),
        write_html,
        ("report.html", "zones.svg", "step-1.html", "step-2.html", "step-3.html", "purposes.html", "zones/*.html"),
        2.3,
        needs_view=True,
    ),
    ReportWriter(
        Text(en="zone diagrams", ja="ゾーンごとの図"),
        write_zone_diagrams,
        ("zones/*.svg",),
        1.8,
        beside=True,
    ),
    ReportWriter(
        Text(en="summary.pdf", ja="summary.pdf"), write_summary_pdf, ("summary.pdf",), 1.85, beside=True, hands_off=True
    ),
]
"""The report folder's outputs, in writing order."""


def write_reports(
    loaded: LoadedModel,
    assessment: Assessment,
    out_dir: Path,
    lang: str = "en",
    progress: ProgressHook | None = None,
    *,
    catalog: Catalog,
    writers: list[ReportWriter] | None = None,
    jobs: int = 1,
    pdf_process: PdfProcess | None = None,
) -> list[Path]:
    """Write every output into ``out_dir`` (created if missing); return the paths written, in the writers' order.

    ``jobs`` above 1 runs the writers in that many forked processes (see
    :func:`parallel_jobs`); a writer that fails raises its error here, the
    writers not started yet are cancelled, and the caller is left with a
    folder to throw away (:func:`write_report_folder` does).
    """
    from factorysec.perf import paused_gc
    from factorysec.report.diagram import shared_diagram_plan

    out_dir.mkdir(parents=True, exist_ok=True)
    chosen = WRITERS if writers is None else writers
    in_turn = jobs <= 1 or len(chosen) <= 1
    context = ReportContext(
        loaded,
        assessment,
        catalog,
        lang,
        out_dir,
        apart=in_turn and len(chosen) > 1 and usable_cpus() > 1,
        pdf_process=pdf_process,
    )
    # The writers build millions of short-lived acyclic objects (rows, cells, markup) beside long-lived ones (the view,
    # the row caches): with the collector on, each burst of allocations rescanned the survivors, 4.5 of the 100k plant's
    # ~45 writing CPU s (2.6-3.0 in the HTML pages, 1.0 in the PDF) for 12 MB more at the peak (1,819 against 1,807 MB).
    with (
        paused_gc(),
        shared_diagram_plan(loaded.model),
    ):  # the overview, zone pages, zone diagrams and PDF ask for the plan
        if not in_turn:
            written = _write_in_processes(context, chosen, progress, jobs)
        else:
            written = _write_in_turn(context, chosen, progress)
    if pdf_process is not None and pdf_process.sent:
        pdf_process.receive()  # the summary handed to it by its writer, here or in a fork (its error raised here)
    return written


def _write_in_turn(context: ReportContext, chosen: list[ReportWriter], progress: ProgressHook | None) -> list[Path]:
    """Run ``chosen`` one after the other in this process (those marked ``beside`` on a thread meanwhile)."""
    lang = context.lang
    results: dict[int, list[Path]] = {}
    with _writers_beside(context, chosen) as beside:
        done = 0
        for index, writer in enumerate(chosen):
            if index in beside:
                continue
            if progress is not None:
                progress(writer.label.get(lang), done, len(chosen))
            results[index] = writer.write(context)
            done += 1
        for index, future in beside.items():
            if progress is not None:
                progress(chosen[index].label.get(lang), done, len(chosen))
            results[index] = future.result()  # its error, if it failed, is raised here
            done += 1
    if progress is not None:
        progress("", len(chosen), len(chosen))
    return [path for index in range(len(chosen)) for path in results[index]]


@contextmanager
def _writers_beside(context: ReportContext, chosen: list[ReportWriter]) -> Iterator[dict[int, Future[list[Path]]]]:
    """Start the writers marked ``beside`` on a thread of their own (when there are others to run meanwhile); on leaving,
    wait for them whatever happened, so that none is still writing into the folder."""
    from concurrent.futures import ThreadPoolExecutor

    indexes = [index for index, writer in enumerate(chosen) if writer.beside] if len(chosen) > 1 else []
    if not indexes:
        yield {}
        return
    _ = context.view  # built once here, not by two threads at once
    with ThreadPoolExecutor(max_workers=len(indexes), thread_name_prefix="report-writer") as pool:
        yield {index: pool.submit(chosen[index].write, context) for index in indexes}


MEMORY_BUDGET_MB = 2048.0
"""The memory the whole process tree of ``report`` may take (issue #20 item 2: under 2 GB at 100k assets), read as the
sum of the processes' proportional set sizes (PSS): what the machine really spends. The sum of their resident sizes
(RSS) counts each page a forked writer still shares with its parent once per process."""
PARENT_GROWTH = 0.35
"""What the writers add to the resident memory of the process they run in, as a share of its memory before them: the
shared view and each writer's buffers (0.37 at 100k assets: 1,200 MB after the analysis, 1,650 MB at the peak of the
writers run one after the other)."""
CHILD_SHARE = 0.75
CHILD_EXTRA_MB = 60.0
"""What a forked writer process adds to the tree's PSS, estimated as ``CHILD_SHARE`` times the parent's resident memory
at the fork plus ``CHILD_EXTRA_MB``. The child shares its parent's pages until one of them writes to a page, and
reading a Python object writes to it (its reference count), so the child ends up with a copy of most pages holding
the objects it reads, and its own buffers besides: 0.45 to 0.72 times the parent's RSS at 100k assets
(``benchmarks/bench_report_fork.py``), about the same share at 10k. The pages the parent still shares are counted
once, not once per process as a sum of RSS would. Measured with this process and one fork writing: 2,457 MB summed
PSS at 100k (estimated 2,580), 356-481 MB at 10k (estimated 417)."""


def _resident_mb() -> float:
    """This process's resident memory now (Linux ``/proc``; elsewhere its peak so far)."""
    try:
        pages = int(Path("/proc/self/statm").read_text(encoding="ascii").split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def usable_cpus() -> int:
    """The CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def tree_estimate_mb(jobs: int, resident_mb: float) -> float:
    """The process tree's peak memory (summed PSS) estimated for ``jobs`` processes writing: this one, ``resident_mb``
    before the writers, and ``jobs - 1`` forks."""
    return resident_mb * (1 + PARENT_GROWTH) + (jobs - 1) * (resident_mb * CHILD_SHARE + CHILD_EXTRA_MB)


def parallel_jobs(writer_count: int, resident_mb: float | None = None, budget_mb: float = MEMORY_BUDGET_MB) -> int:
    """How many processes write at once, this one included: one per usable CPU, as many as fit the memory budget; 1 (no fork) when no second one fits.

    The writers are independent once the assessment exists, so on a machine
    with two or more cores they run side by side (wall time): this process
    writes too, beside ``jobs - 1`` forked ones. A large model makes each
    forked copy large too (:data:`CHILD_SHARE`): past the budget the writers
    run one after the other in this process.
    """
    if sys.platform == "win32" or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    resident = _resident_mb() if resident_mb is None else resident_mb
    jobs = min(usable_cpus(), writer_count)
    while jobs > 1 and tree_estimate_mb(jobs, resident) > budget_mb:
        jobs -= 1
    return jobs


CLAIMS_WAIT_SECONDS = 1.0
"""How long a process waits for the claims' lock before asking whether its holder has died (see :class:`_Claims`)."""


class _Claims:
    """Which process writes which writer, shared by this process and its forks (created before the fork).

    Each writer's slot holds 0 while nobody has claimed it, the claiming process's id while it writes, and minus that
    id once written. The forked processes claim the costliest writer still free, this process the cheapest: a process
    takes its next writer only when it is free to write it, so that the two ends meet wherever the writers' real
    costs make them meet (a queue filled in advance would hand a fork the next costly writer while this process,
    done with the cheap ones, waits idle).

    The slots are read and changed under one lock, held for microseconds. A process killed while holding it would
    leave it locked for good: past :data:`CLAIMS_WAIT_SECONDS` of waiting, ``on_stuck`` (set by this process) is
    called, and raises once a fork has died.
    """

    def __init__(self, writers: int, context: multiprocessing.context.BaseContext) -> None:
        self.owners = context.Array("q", writers)
        self.stopped = context.Value("b", 0, lock=False)  # read and written under the owners' lock
        self.on_stuck: Callable[[], None] | None = None

    @contextmanager
    def _locked(self) -> Iterator[None]:
        lock = self.owners.get_lock()
        while not lock.acquire(timeout=CLAIMS_WAIT_SECONDS):
            if self.on_stuck is not None:
                self.on_stuck()
        try:
            yield
        finally:
            lock.release()

    def claim(self, order: list[int]) -> int | None:
        """Claim the first writer of ``order`` nobody has claimed yet; None when none is left or a writer has failed."""
        with self._locked():
            if self.stopped.value:
                return None
            index = next((index for index in order if self.owners[index] == 0), None)
            if index is not None:
                self.owners[index] = os.getpid()
            return index

    def done(self, index: int) -> None:
        with self._locked():
            self.owners[index] = -os.getpid()

    def stop(self) -> None:
        """No process claims another writer: one has failed, and the folder will be thrown away."""
        with self._locked():
            self.stopped.value = 1

    def written(self) -> int:
        with self._locked():
            owners: list[int] = self.owners[:]
        return sum(1 for owner in owners if owner < 0)

    def writing(self) -> list[int]:
        """The writers claimed and not written yet."""
        with self._locked():
            owners: list[int] = self.owners[:]
        return [index for index, owner in enumerate(owners) if owner > 0]


_FORKED: tuple[ReportContext, list[ReportWriter], list[int], _Claims] | None = None
"""What the forked writer processes inherit: the context, the writers (closures need no pickling this way), the order
in which forks claim them (costliest first) and the claims."""


def _run_claimed() -> dict[int, list[Path]]:
    """In a forked process: write the costliest writer nobody has claimed, again and again; the paths by writer."""
    assert _FORKED is not None, "set before the processes are forked"
    context, writers, order, claims = _FORKED
    results: dict[int, list[Path]] = {}
    while (index := claims.claim(order)) is not None:
        try:
            results[index] = writers[index].write(context)
        except BaseException:
            claims.stop()
            raise
        claims.done(index)
    return results


class WriterProcessError(OutputError):
    """A writer's process ended without an answer (killed, most often for memory); one line naming the output, shown as an output error."""


PROGRESS_POLL_SECONDS = 0.2
"""How often the progress hook hears, while this process waits for the forked ones, which writer they are on."""


def _write_in_processes(
    context: ReportContext, chosen: list[ReportWriter], progress: ProgressHook | None, jobs: int
) -> list[Path]:
    """Run ``chosen`` in this process and ``jobs - 1`` forked ones; the paths come back in the writers' order.

    The forked processes claim the writers costliest first; this one meanwhile claims the cheapest writer nobody has
    claimed yet, again and again, so that the two ends meet in the middle (see :class:`_Claims`). The ``jobs - 1``
    costliest are left to the forks even while these are still starting.
    """
    from concurrent.futures import ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    from factorysec.report.diagram import plan_diagram, prepared_diagrams

    global _FORKED
    handing_off = context.pdf_process is not None
    # costliest first, but a writer that only hands its work off last: this process, claiming from the end, takes it
    # first
    order = sorted(range(len(chosen)), key=lambda index: (handing_off and chosen[index].hands_off, -chosen[index].cost))
    mine = list(reversed(order[jobs - 1 :]))
    results: dict[int, list[Path]] = {}
    if any(writer.needs_view for writer in chosen):
        _ = context.view  # built once, before the fork: the forked writers share it instead of each building its own
    if prepared_diagrams(context.loaded.model) is not None:
        plan_diagram(
            context.loaded.model
        )  # the forks inherit the plan and the prepared zone diagrams (never waited for there)
    fork = multiprocessing.get_context("fork")
    claims = _Claims(len(chosen), fork)
    _FORKED = (context, chosen, order, claims)
    executor = ProcessPoolExecutor(max_workers=jobs - 1, mp_context=fork)
    try:
        forks = [executor.submit(_run_claimed) for _ in range(jobs - 1)]

        def died() -> None:
            """A fork died, perhaps holding the claims' lock: end with the error instead of waiting for it."""
            if any(future.done() and isinstance(future.exception(), BrokenProcessPool) for future in forks):
                raise WriterProcessError(
                    "a writer process ended without finishing (killed, most often for lack of memory); nothing was written"
                )

        claims.on_stuck = died
        try:
            while (index := claims.claim(mine)) is not None:
                if progress is not None:
                    progress(chosen[index].label.get(context.lang), claims.written(), len(chosen))
                results[index] = chosen[index].write(context)
                claims.done(index)
        except WriterProcessError:
            raise
        except BaseException:
            claims.stop()
            raise
        while not all(future.done() for future in forks):
            if progress is not None:
                running = claims.writing()
                label = chosen[min(running, key=order.index)].label.get(context.lang) if running else ""
                progress(label, claims.written(), len(chosen))
            wait(forks, timeout=PROGRESS_POLL_SECONDS if progress is not None else None)
        for future in forks:
            try:
                results.update(future.result())
            except BrokenProcessPool:
                unfinished = claims.writing() or [index for index in order if index not in results]
                raise WriterProcessError(
                    "a writer process ended without finishing (killed, most often for lack of memory) while writing "
                    + ", ".join(chosen[i].label.get(context.lang) for i in unfinished)
                    + "; nothing was written"
                ) from None
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        _FORKED = None
    if progress is not None:
        progress("", len(chosen), len(chosen))
    return [path for index in range(len(chosen)) for path in results[index]]


def write_report_folder(
    loaded: LoadedModel,
    assessment: Assessment,
    out_dir: Path,
    lang: str = "en",
    progress: ProgressHook | None = None,
    *,
    catalog: Catalog,
    writers: list[ReportWriter] | None = None,
    jobs: int | None = None,
    pdf_process: PdfProcess | None = None,
) -> list[Path]:
    """Write every output into ``out_dir`` whole or not at all; return the paths written.

    The outputs are written into a temporary sibling folder that takes the
    place of ``out_dir`` once every writer has succeeded (see
    :func:`factorysec.outputs.atomic_folder`): a writer that fails leaves
    ``out_dir`` as it was. ``out_dir`` may be missing, empty, or an earlier
    report (only the writers' own files); anything else in it is refused with
    :class:`factorysec.outputs.OutputError` before any writer runs.
    The writers run in parallel processes when the machine has the cores and
    the memory (``jobs`` None: :func:`parallel_jobs`; 1: one after the other).
    """
    from factorysec.outputs import atomic_folder

    chosen = WRITERS if writers is None else writers
    owned = {name for writer in chosen for name in writer.files}
    with atomic_folder(out_dir, owned) as staging:
        written = write_reports(
            loaded,
            assessment,
            staging,
            lang,
            progress,
            catalog=catalog,
            writers=chosen,
            jobs=parallel_jobs(len(chosen)) if jobs is None else jobs,
            pdf_process=pdf_process,
        )
    return [out_dir / path.relative_to(staging) for path in written]


@contextmanager
def terminal_progress(console: Console | None = None) -> Iterator[ProgressHook | None]:
    """A rich progress bar for :func:`write_reports` on a terminal; ``None`` when standard output is not a TTY."""
    if not sys.stdout.isatty():
        yield None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        console=console or Console(),
        transient=True,
    ) as bar:
        task = bar.add_task("", total=None)

        def hook(label: str, done: int, total: int) -> None:
            bar.update(task, description=label, completed=done, total=total)
            bar.refresh()

        yield hook
