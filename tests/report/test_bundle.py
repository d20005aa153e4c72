"""The report command: every output into one folder from one analysis; writers are a list to extend."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import openpyxl
import pytest
from rich.console import Console
from typer.testing import CliRunner

import factorysec.analysis
from factorysec.analysis import Assessment, analyze
from factorysec.catalog import Catalog, Text
from factorysec.cli import app
from factorysec.model import load_model_with_sources
from factorysec.report.bundle import WRITERS, ReportContext, ReportWriter, terminal_progress, write_reports
from factorysec.report.json_out import assessment_json
from tests.conftest import EXAMPLES, FIXTURES

PAGES = ("step-1.html", "step-2.html", "step-3.html", "purposes.html")
EXPECTED = {
    "assessment.json",
    "findings.sarif",
    "report.xlsx",
    "report.md",
    "report.html",
    "zones.svg",
    *PAGES,
    "zones",
    "summary.pdf",
}


def test_report_command_writes_every_output_from_one_analysis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []
    real = factorysec.analysis.analyze

    def counting(*args: Any, **kwargs: Any) -> Assessment:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(factorysec.analysis, "analyze", counting)
    out = tmp_path / "new-folder"  # created: its parent exists
    result = CliRunner().invoke(app, ["report", str(EXAMPLES / "case-1-first-added.yaml"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len(calls) == 1
    assert {p.name for p in out.iterdir()} == EXPECTED
    assert result.output.splitlines() == [
        f"wrote {out / name}"
        for name in (
            "assessment.json",
            "findings.sarif",
            "report.xlsx",
            "report.md",
            "report.html",
            "zones.svg",
            *PAGES,
        )
    ] + [
        f"wrote {out / 'summary.pdf'}",
        f"wrote {out / 'zones'}/ ({len(load_model_with_sources(EXAMPLES / 'case-1-first-added.yaml').model.zones)} zone pages, 0 zone diagrams)",
    ]
    assessment = json.loads((out / "assessment.json").read_text(encoding="utf-8"))
    sarif = json.loads((out / "findings.sarif").read_text(encoding="utf-8"))
    fingerprints = [r["partialFingerprints"]["factorysecFindingId/v1"] for r in sarif["runs"][0]["results"]]
    assert fingerprints == [f["id"] for f in (*assessment["findings"], *assessment["lifecycle"]["findings"])]
    schema = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(sarif)
    findings = openpyxl.load_workbook(out / "report.xlsx")["Findings"]
    assert [row[0] for row in findings.iter_rows(min_row=2, values_only=True)] == [
        f["id"] for f in (*assessment["findings"], *assessment["lifecycle"]["findings"])
    ]
    assert "ZONE-MIXED-CONTROL@oa" in (out / "report.md").read_text(encoding="utf-8")


def test_report_in_japanese(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["report", str(EXAMPLES / "case-2-first-added.yaml"), "--out", str(tmp_path), "--lang", "ja"]
    )
    assert result.exit_code == 0, result.output
    assert "エグゼクティブサマリー" in (tmp_path / "report.md").read_text(encoding="utf-8")
    assert json.loads((tmp_path / "findings.sarif").read_text(encoding="utf-8"))["runs"][0]["language"] == "ja-JP"


def test_report_on_invalid_input_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("factory: {id: x, name: X}\nzones:\n  - {id: z, name: Z, kind: nowhere}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["report", str(bad), "--out", str(out)])
    assert result.exit_code == 2
    assert "bad.yaml:3:" in result.output and "kind" in result.output
    assert not out.exists()


def test_report_rejects_bad_language_and_a_file_as_folder(tmp_path: Path) -> None:
    runner = CliRunner()
    assert (
        runner.invoke(app, ["report", str(EXAMPLES / "current"), "--out", str(tmp_path), "--lang", "fr"]).exit_code == 2
    )
    file = tmp_path / "file"
    file.write_text("", encoding="utf-8")
    result = runner.invoke(app, ["report", str(EXAMPLES / "current"), "--out", str(file)])
    assert result.exit_code == 2 and "not a folder" in result.output


def test_write_reports_calls_progress_and_accepts_extra_writers(tmp_path: Path, catalog: Catalog) -> None:
    loaded = load_model_with_sources(EXAMPLES / "current")
    assessment = analyze(loaded.model, catalog)

    def extra(context: ReportContext) -> list[Path]:
        path = context.out_dir / "extra.txt"
        path.write_text(context.assessment.factory_id, encoding="utf-8")
        return [path]

    seen: list[tuple[str, int, int]] = []
    writers = [*WRITERS, ReportWriter(Text(en="extra", ja="追加"), extra)]
    written = write_reports(
        loaded, assessment, tmp_path, "ja", lambda *event: seen.append(event), catalog=catalog, writers=writers
    )
    assert [p.name for p in written] == [
        "assessment.json",
        "findings.sarif",
        "report.xlsx",
        "report.md",
        "report.html",
        "zones.svg",
        *PAGES,
        *(f"{zone.id}.html" for zone in loaded.model.zones),
        "summary.pdf",
        "extra.txt",
    ]
    total = len(WRITERS) + 1
    assert sorted(label for label, _, _ in seen[:-1]) == sorted(w.label.ja for w in writers)
    assert [done for _, done, _ in seen] == list(range(total + 1)) and seen[-1] == ("", total, total)
    # the workbook, the zone diagrams and the summary (work in processes of their own) run on threads beside the others:
    # their ends are waited for last, in the writers' order
    assert [label for label, _, _ in seen[-4:-1]] == ["report.xlsx", "ゾーンごとの図", "summary.pdf"]
    assert (tmp_path / "assessment.json").read_text(encoding="utf-8") == assessment_json(assessment)


def test_progress_is_off_when_stdout_is_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdout.isatty", lambda: False)
    with terminal_progress() as hook:
        assert hook is None


def test_progress_bar_on_a_terminal_follows_the_writers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=80)
    with terminal_progress(console) as hook:
        assert hook is not None
        hook("report.xlsx", 2, 4)
        shown = buffer.getvalue()
    assert "report.xlsx" in shown and "2/4" in shown


def test_a_writer_marked_beside_runs_on_a_thread_while_the_others_write(tmp_path: Path, catalog: Catalog) -> None:
    """In a run one writer after the other (jobs=1, as for a large plant), a writer marked ``beside`` starts first on a
    thread of its own: it sees the writer after it start; the paths still come back in the writers' order, and its
    error is raised once the others have finished."""
    import threading

    loaded = load_model_with_sources(EXAMPLES / "current")
    assessment = analyze(loaded.model, catalog)
    other_started = threading.Event()
    saw_other: list[bool] = []
    threads: dict[str, str] = {}

    def beside(context: ReportContext) -> list[Path]:
        threads["beside"] = threading.current_thread().name
        saw_other.append(other_started.wait(timeout=30))
        path = context.out_dir / "beside.txt"
        path.write_text("beside", encoding="utf-8")
        return [path]

    def other(context: ReportContext) -> list[Path]:
        threads["other"] = threading.current_thread().name
        other_started.set()
        path = context.out_dir / "other.txt"
        path.write_text("other", encoding="utf-8")
        return [path]

    writers = [
        ReportWriter(Text(en="beside", ja="beside"), beside, beside=True),
        ReportWriter(Text(en="other", ja="other"), other),
    ]
    written = write_reports(loaded, assessment, tmp_path, catalog=catalog, writers=writers, jobs=1)
    assert [p.name for p in written] == ["beside.txt", "other.txt"]
    assert saw_other == [True] and threads["beside"] != threads["other"]

    def failing(context: ReportContext) -> list[Path]:
        raise OSError("Graphviz stopped")

    finished: list[str] = []

    def last(context: ReportContext) -> list[Path]:
        finished.append("last")
        return []

    with pytest.raises(OSError, match="Graphviz stopped"):
        write_reports(
            loaded,
            assessment,
            tmp_path / "failing",
            catalog=catalog,
            writers=[
                ReportWriter(Text(en="f", ja="f"), failing, beside=True),
                ReportWriter(Text(en="l", ja="l"), last),
            ],
            jobs=1,
        )
    assert finished == ["last"]
