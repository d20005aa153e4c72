"""`PdfProcess`: WeasyPrint imported in a process of its own before the model is loaded, then handed the summary."""

from __future__ import annotations

import io
import multiprocessing
import os
import signal
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factorysec.analysis import Assessment
from factorysec.catalog import Catalog
from factorysec.cli import app
from factorysec.model import LoadedModel
from factorysec.outputs import OutputError
from factorysec.report import pdf_layout
from factorysec.report.bundle import write_report_folder
from factorysec.report.pdf import SummaryView, build_summary, render_summary_html, write_summary_pdf
from factorysec.report.pdf_layout import PDF_ERROR_STATUS, PdfError, PdfProcess, serve, started_pdf_process
from tests.report.conftest import EXAMPLES
from tests.report.test_pdf import _pages

Annex = Callable[[str], tuple[LoadedModel, Assessment]]


@pytest.fixture
def summary(annex: Annex, catalog: Catalog) -> SummaryView:
    loaded, assessment = annex("all-cases-reviewed.yaml")
    return build_summary(loaded.model, assessment, catalog, "ja", today=date(2026, 12, 3))


def _same_pages(one: Path, other: Path) -> None:
    pages_one, pages_other = _pages(one), _pages(other)
    assert len(pages_other) == len(pages_one) >= 2
    for (image_one, text_one), (image_other, text_other) in zip(pages_one, pages_other, strict=True):
        assert text_other == text_one
        assert image_other.tobytes() == image_one.tobytes()


def test_it_lays_out_the_pages_this_process_lays_out_and_ends_by_itself(summary: SummaryView, tmp_path: Path) -> None:
    here, there = tmp_path / "here.pdf", tmp_path / "there.pdf"
    write_summary_pdf(summary, here)
    process = PdfProcess()
    process.send(render_summary_html(summary), there)
    process.receive()
    process.close()
    _same_pages(here, there)
    assert process.answered and process.returncode == 0  # it answered and ended; killed, it would be -SIGKILL


def test_a_forked_writer_hands_it_the_page_and_this_process_waits_for_it(summary: SummaryView, tmp_path: Path) -> None:
    """As ``report``'s forked writers do: the fork sends and is done; this process sees that a page was sent,
    receives the answer and ends the process."""
    here, there = tmp_path / "here.pdf", tmp_path / "there.pdf"
    write_summary_pdf(summary, here)
    html = render_summary_html(summary)
    with started_pdf_process() as process:
        assert process is not None and not process.sent
        child = multiprocessing.get_context("fork").Process(target=process.send, args=(html, there))
        child.start()
        child.join(60)
        assert child.exitcode == 0 and process.sent
        process.receive()
    assert process.answered and process.returncode == 0
    _same_pages(here, there)


def test_a_path_it_cannot_write_is_an_output_error_naming_the_cause(summary: SummaryView, tmp_path: Path) -> None:
    with started_pdf_process() as process:
        assert process is not None
        process.send(render_summary_html(summary), tmp_path / "missing" / "summary.pdf")
        with pytest.raises(OutputError, match="summary.pdf could not be written: FileNotFoundError: .*No such file"):
            process.receive()


def test_a_process_that_died_is_an_output_error(summary: SummaryView, tmp_path: Path) -> None:
    process = PdfProcess()
    os.kill(process.pid, signal.SIGKILL)
    process.send(render_summary_html(summary), tmp_path / "summary.pdf")
    with pytest.raises(OutputError, match="summary.pdf could not be written: the PDF process ended without an answer"):
        process.receive()
    process.close()
    assert not (tmp_path / "summary.pdf").exists()


def test_one_not_asked_is_ended_when_the_block_ends(tmp_path: Path) -> None:
    with started_pdf_process() as process:
        assert process is not None
    assert process.returncode in (0, -signal.SIGKILL)  # killed, or ended on its own if its import was done
    assert not process.answered


def test_where_it_cannot_start_the_block_gets_none(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_process(*args: object, **kwargs: object) -> None:
        raise OSError("no more processes")

    monkeypatch.setattr("factorysec.report.pdf_layout.subprocess.Popen", no_process)
    with started_pdf_process() as process:
        assert process is None


def _request(target: bytes, html: bytes) -> io.BytesIO:
    return io.BytesIO(pdf_layout._HEADER.pack(len(target), len(html)) + target + html)


def test_serving_answers_one_line_per_outcome(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """0 for a PDF written, PDF_ERROR_STATUS and the message for a PdfError (a line break in it kept on the line),
    nothing when there is no whole request (the process asking is done or gone)."""
    answers = io.BytesIO()
    serve(_request(os.fsencode(tmp_path / "a.pdf"), b"<p>summary</p>"), answers)
    assert answers.getvalue() == b"0\n" and (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF-")

    def no_pango(html: str, path: Path) -> None:
        raise PdfError("WeasyPrint cannot load its libraries\n(install Pango)")

    monkeypatch.setattr(pdf_layout, "write_html_pdf", no_pango)
    answers = io.BytesIO()
    serve(_request(b"b.pdf", b"<p>summary</p>"), answers)
    assert answers.getvalue() == f"{PDF_ERROR_STATUS} WeasyPrint cannot load its libraries (install Pango)\n".encode()
    for cut in (b"", _request(b"c.pdf", b"<p>summary</p>").getvalue()[:-3]):
        answers = io.BytesIO()
        serve(io.BytesIO(cut), answers)
        assert answers.getvalue() == b""


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_report_folder_has_its_summary_laid_out_there(
    annex: Annex, catalog: Catalog, tmp_path: Path, jobs: int
) -> None:
    """The summary's writer (here, or in a fork with two jobs) hands the page over; the folder is written once the
    answer has come."""
    loaded, assessment = annex("all-cases-reviewed.yaml")
    with started_pdf_process() as process:
        assert process is not None
        out = tmp_path / "out"
        written = write_report_folder(loaded, assessment, out, catalog=catalog, jobs=jobs, pdf_process=process)
        assert process.sent and process.answered
    assert out / "summary.pdf" in written
    assert _pages(out / "summary.pdf")[0][1].startswith("Security summary")


def test_a_summary_that_fails_there_leaves_no_folder(annex: Annex, catalog: Catalog, tmp_path: Path) -> None:
    """Its error comes once the other writers are done, and the folder is not written (the run fails whole)."""
    loaded, assessment = annex("all-cases-reviewed.yaml")
    out = tmp_path / "out"
    with started_pdf_process() as process:
        assert process is not None
        os.kill(process.pid, signal.SIGKILL)
        with pytest.raises(OutputError, match="summary.pdf could not be written: the PDF process ended"):
            write_report_folder(loaded, assessment, out, catalog=catalog, jobs=2, pdf_process=process)
    assert not out.exists()


def test_the_report_command_starts_one_before_loading(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """``report`` hands the summary to the process it started, waits for its answer and ends it."""
    started: list[PdfProcess] = []
    start = PdfProcess.__init__

    def spy(self: PdfProcess) -> None:
        start(self)
        started.append(self)

    monkeypatch.setattr(PdfProcess, "__init__", spy)
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["report", str(EXAMPLES / "current"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    [process] = started
    assert process.answered and process.returncode == 0
    assert _pages(out / "summary.pdf")[0][1].startswith("Security summary")
