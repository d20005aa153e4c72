"""Each finding names where its subject is written in the model (file and line, or workbook sheet and row) in the
workbook's findings sheet, the HTML findings lists and report.md's findings tables: relative to the model's folder,
never absolute, never outside it."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from factorysec.analysis import Assessment, analyze
from factorysec.analysis.findings import Subject
from factorysec.catalog import Catalog
from factorysec.model import LoadedModel, load_model_with_sources
from factorysec.model.workbook import write_workbook
from factorysec.report.bundle import WRITERS, write_reports
from factorysec.report.locations import SourceTexts
from tests.conftest import FIXTURES

SMALL = FIXTURES / "report" / "small-factory.yaml"
SPLIT = {
    "factory.yaml": "factory: {id: small, name: Small}\n"
    "operations:\n  - {id: machining, name: Machining, importance: high}\n",
    "zones/zones.yaml": "# the zones\n"
    "zones:\n"
    "  - {id: office, name: Office, kind: office}\n"
    "  - {id: floor, name: Shop floor, kind: production, operations: [machining]}\n",
    "zones/assets.yaml": "assets:\n"
    "  - {id: plc, name: PLC, type: equipment, component: controller, zone: floor, operations: [machining],"
    " traits: [built-in-computer]}\n"
    "  - {id: pc, name: PC, type: equipment, component: terminal, zone: office,"
    " traits: [general-purpose, issues-control-instructions]}\n"
    "conduits:\n"
    "  - {id: office-to-floor, from: office, to: floor, from_assets: [pc], to_assets: [plc], carries: recipes,"
    " carries_control_instructions: true}\n",
}
SOURCE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+)$")
WRITTEN = {"report.xlsx", "report.md", "report.html, its pages and zones.svg"}


def _folder_model(root: Path) -> Path:
    folder = root / "plant"
    for name, text in SPLIT.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _line_of(text: str, needle: str) -> int:
    """The 1-based line of ``text`` holding ``needle``."""
    return next(number for number, line in enumerate(text.splitlines(), start=1) if needle in line)


def _report(loaded: LoadedModel, catalog: Catalog, out: Path, lang: str = "en") -> Assessment:
    assessment = analyze(loaded.model, catalog)
    writers = [writer for writer in WRITERS if writer.label.en in WRITTEN]
    write_reports(loaded, assessment, out, lang, catalog=catalog, writers=writers, jobs=1)
    return assessment


def _findings_sheet(path: Path, title: str = "Findings") -> list[dict[str, object]]:
    sheet = openpyxl.load_workbook(path, read_only=True)[title]
    rows = list(sheet.iter_rows(values_only=True))
    headers = [str(header) for header in rows[0]]
    return [dict(zip(headers, row, strict=True)) for row in rows[1:]]


def test_every_format_names_the_line_of_each_finding_s_element_relative_to_the_model_folder(
    tmp_path: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder_model(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the files display as absolute paths: the report must not
    loaded = load_model_with_sources(folder)
    out = tmp_path / "out"
    assessment = _report(loaded, catalog, out)
    rows = _findings_sheet(out / "report.xlsx")
    assert len(rows) == len(assessment.findings) + len(assessment.lifecycle.findings)
    markdown = (out / "report.md").read_text(encoding="utf-8")
    placed = 0
    for row in rows:
        source = str(row["Model source"])
        found = SOURCE.match(source)
        assert found is not None, source
        file, line = found["file"], int(found["line"])
        assert not Path(file).is_absolute() and ".." not in Path(file).parts and str(tmp_path) not in file
        kind, _, element = str(row["Subject"]).partition(" ")
        if kind in ("zone", "asset", "conduit"):
            written = (folder / file).read_text(encoding="utf-8").splitlines()[line - 1]
            assert f"id: {element}," in written, (source, row["Finding"])
            placed += 1
        assert f"| {source} |" in markdown
    assert placed >= 3
    assert {str(row["Model source"]).split(":")[0] for row in rows} >= {"zones/zones.yaml", "zones/assets.yaml"}
    zone_page = (out / "zones" / "floor.html").read_text(encoding="utf-8")
    floor_line = _line_of(SPLIT["zones/zones.yaml"], "{id: floor,")
    assert f'<span class="source">Model source: <bdi>zones/zones.yaml:{floor_line}</bdi></span>' in zone_page
    for page in out.rglob("*.html"):
        assert str(tmp_path) not in page.read_text(encoding="utf-8"), page


def test_a_workbook_model_is_named_by_sheet_and_row_in_japanese_too(tmp_path: Path, catalog: Catalog) -> None:
    source_model = load_model_with_sources(SMALL).model
    workbook = tmp_path / "model" / "small.xlsx"
    workbook.parent.mkdir()
    write_workbook(source_model, workbook)
    loaded = load_model_with_sources(workbook)
    out = tmp_path / "out"
    _report(loaded, catalog, out, "ja")
    rows = _findings_sheet(out / "report.xlsx", "指摘")
    zone_rows = [row for row in rows if str(row["対象"]).startswith("ゾーン ")]
    assert zone_rows
    for row in zone_rows:
        found = re.fullmatch(r"small\.xlsx: sheet '(?P<sheet>[^']+)' row (?P<row>\d+)", str(row["モデルの記述箇所"]))
        assert found is not None, row["モデルの記述箇所"]
        sheet = openpyxl.load_workbook(workbook, read_only=True)[found["sheet"]]
        ids = [
            cells[0]
            for cells in sheet.iter_rows(min_row=int(found["row"]), max_row=int(found["row"]), values_only=True)
        ]
        assert ids == [str(row["対象"]).partition(" ")[2]]
    assert "| モデルの記述箇所 |" in (out / "report.md").read_text(encoding="utf-8")
    assert "モデルの記述箇所: <bdi>small.xlsx: sheet" in (out / "step-1.html").read_text(encoding="utf-8") + "".join(
        page.read_text(encoding="utf-8") for page in (out / "zones").glob("*.html")
    )


def test_a_base_outside_the_change_file_s_folder_is_named_by_its_file_name_alone(tmp_path: Path) -> None:
    base = tmp_path / "base" / "factory.yaml"
    base.parent.mkdir()
    base.write_text(SMALL.read_text(encoding="utf-8"), encoding="utf-8")
    change = tmp_path / "changes" / "add-zone.yaml"
    change.parent.mkdir()
    change.write_text(
        "change: {base: ../base/factory.yaml, title: add a zone}\n"
        "add:\n  zones:\n    - {id: new-zone, name: New zone, kind: office}\n",
        encoding="utf-8",
    )
    loaded = load_model_with_sources(change)
    texts = SourceTexts(loaded)
    floor_line = _line_of(SMALL.read_text(encoding="utf-8"), "{id: floor,")
    assert texts(Subject(kind="zone", id="floor")) == f"factory.yaml:{floor_line}"
    assert texts(Subject(kind="zone", id="new-zone")) == "add-zone.yaml:4"
