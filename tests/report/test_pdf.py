"""summary.pdf: the printable summary laid out by WeasyPrint, checked by rendering its pages to images and reading their text."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
from PIL import Image
from typer.testing import CliRunner

from factorysec.analysis import Assessment
from factorysec.catalog import Catalog
from factorysec.cli import app
from factorysec.model import LoadedModel
from factorysec.report import pdf
from factorysec.report.pdf import build_summary, write_summary_pdf
from tests.report.conftest import EXAMPLES

Annex = Callable[[str], tuple[LoadedModel, Assessment]]


def _pages(path: Path, scale: float = 1.0) -> list[tuple[Image.Image, str]]:
    """Each page of the PDF as an image and its text."""
    document = pdfium.PdfDocument(str(path))
    pages = []
    for index in range(len(document)):
        page = document[index]
        pages.append((page.render(scale=scale).to_pil().convert("RGB"), page.get_textpage().get_text_range()))
    return pages


def _font_of(path: Path, character: str) -> str:
    """The name of the font the first ``character`` on the first page is drawn with, as the PDF records it."""
    import ctypes

    import pypdfium2.raw as raw  # type: ignore[import-untyped]

    textpage = pdfium.PdfDocument(str(path))[0].get_textpage()
    index = textpage.get_text_range().index(character)
    buffer = ctypes.create_string_buffer(256)
    raw.FPDFText_GetFontInfo(textpage.raw, index, buffer, 256, ctypes.byref(ctypes.c_int()))
    return buffer.value.decode("ascii", "replace")


def _inked(image: Image.Image) -> float:
    """The share of pixels that are not white."""
    grey = image.convert("L")
    histogram = grey.histogram()
    return 1 - sum(histogram[250:]) / (grey.width * grey.height)


def _colours(image: Image.Image) -> set[tuple[int, ...] | float]:
    """The colours the image uses: channel tuples for a multi-band image (RGB here), numbers for a single band."""
    return {colour for _, colour in image.getcolors(maxcolors=1_000_000) or []}


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "en",
            [
                "Security summary",
                "Findings to address first",
                "Top risks (Step 2-1)",
                "Step 3 status",
                "Checklist items answered",
                "Zones and conduits",
            ],
        ),
        (
            "ja",
            [
                "セキュリティ対策の要約",
                "優先して対応する指摘",
                "上位のリスク（ステップ2-1）",
                "ステップ3の状況",
                "回答済みのチェックリスト項目",
                "ゾーンとコンジット",
            ],
        ),
    ],
)
def test_the_summary_prints_in_both_languages(
    annex: Annex, catalog: Catalog, tmp_path: Path, lang: str, words: list[str]
) -> None:
    loaded, assessment = annex("all-cases-reviewed.yaml")
    path = tmp_path / f"summary-{lang}.pdf"
    write_summary_pdf(build_summary(loaded.model, assessment, catalog, lang, today=date(2026, 12, 3)), path)
    pages = _pages(path)
    assert len(pages) >= 2
    text = "".join(page_text for _, page_text in pages)
    flat = text.replace("\r", "").replace("\n", "").replace(" ", "").replace("\ufffe", "")
    for word in words:
        assert word.replace(" ", "") in flat, word
    assert assessment.risks[0].finding.replace("-", "") in flat.replace("-", ""), "the first ranked risk is listed"
    assert "Annex A example factory" in text
    first_image, _ = pages[0]
    assert _inked(first_image) > 0.02, "the first page is not blank"
    diagram_image, diagram_text = next(
        (image, page_text) for image, page_text in pages if words[-1] in page_text.replace("\r\n", "")
    )
    assert diagram_image.width > diagram_image.height, "the diagram is printed on a landscape page"
    assert (255, 224, 178) in _colours(diagram_image) or (248, 187, 208) in _colours(diagram_image), (
        "zones are filled with their importance colour"
    )
    if lang == "ja":
        assert "Noto-Sans-CJK-JP" in _font_of(path, "セ"), "Japanese is drawn with the CJK font the setup installs"


def test_japanese_text_is_drawn_with_glyphs_not_empty_boxes(annex: Annex, catalog: Catalog, tmp_path: Path) -> None:
    """Rendered at a larger scale, the Japanese title's area holds many more inked pixels than a box outline would (a missing font prints hollow boxes)."""
    loaded, assessment = annex("current")
    path = tmp_path / "ja.pdf"
    write_summary_pdf(build_summary(loaded.model, assessment, catalog, "ja"), path)
    image, text = _pages(path, scale=2.0)[0]
    assert "セキュリティ対策の要約" in text
    title = image.crop((0, 0, image.width, int(image.height * 0.08)))
    assert _inked(title) > 0.03


def test_a_large_plant_prints_its_most_important_zone_with_its_neighbours(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from factorysec.analysis import analyze
    from tests.report.test_diagram_scale import plant

    model = plant(12, 36, 80)
    assessment = analyze(model, catalog)
    monkeypatch.setattr(pdf, "PDF_DIAGRAM_ZONE_LIMIT", 10)
    view = build_summary(model, assessment, catalog, "en")
    assert view.diagram_note is not None and "12 zones, too many for one page" in view.diagram_note
    path = tmp_path / "large.pdf"
    write_summary_pdf(view, path)
    text = "".join(page_text for _, page_text in _pages(path))
    assert "its most important zone" in text.replace("\r\n", " ")


def test_report_writes_summary_pdf(tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["report", str(EXAMPLES / "current"), "--out", str(out), "--lang", "ja"])
    assert result.exit_code == 0, result.output
    assert f"wrote {out / 'summary.pdf'}" in result.output
    pages = _pages(out / "summary.pdf")
    assert "セキュリティ対策の要約" in pages[0][1] and _inked(pages[0][0]) > 0.02


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_summary_starts_with_the_action_list(annex: Annex, catalog: Catalog, tmp_path: Path, lang: str) -> None:
    """The action list comes first, each action with its title, the departments that own it and what it resolves."""
    loaded, assessment = annex("case-2-after-review.yaml")
    assert assessment.actions
    path = tmp_path / f"actions-{lang}.pdf"
    view = build_summary(loaded.model, assessment, catalog, lang, today=date(2026, 12, 3))
    write_summary_pdf(view, path)

    def flat(value: str) -> str:
        return "".join(value.split()).replace("\ufffe", "").replace("-", "")

    text = flat("".join(page_text for _, page_text in _pages(path)))
    labels = pdf.LABELS[lang]
    assert flat(labels["actions"]) in text
    assert text.index(flat(labels["actions"])) < text.index(flat(labels["top_findings"]))
    positions = [text.index(flat(action.title.get(lang))) for action in assessment.actions]
    assert positions == sorted(positions), "actions in their rank order"
    for action in assessment.actions:
        for department in action.departments:
            assert flat(view.department(department)) in text
    assert flat(assessment.actions[0].summary.get(lang)) in text
    assert view.department("security") == catalog.department_kinds["security"].title.get(lang)


def _overflowing_lines(box: Any, cell: Any = None) -> Iterator[tuple[float, str]]:
    """Each line of a table cell laid out wider than the cell (by how many CSS pixels, and its text): WeasyPrint draws
    such a line over the next column."""
    from weasyprint.formatting_structure import boxes  # type: ignore[import-untyped]

    if isinstance(box, boxes.TableCellBox):
        cell = box
    if isinstance(box, boxes.LineBox) and cell is not None:
        over = box.position_x + box.width - (cell.content_box_x() + cell.width)
        if over > 0.5:
            yield over, "".join(part.text for part in box.descendants() if isinstance(part, boxes.TextBox))
    for child in getattr(box, "children", ()):
        yield from _overflowing_lines(child, cell)


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("name", ["current", "case-2-after-review.yaml"])
def test_no_table_text_runs_over_the_next_column(annex: Annex, catalog: Catalog, name: str, lang: str) -> None:
    """Every line of every table cell fits its column: the action list's header "Departments (Table 1-1)" did not
    wrap (``white-space: nowrap`` on the headers, with the columns' widths fixed) and was printed into "Resolves"."""
    from factorysec.report.pdf_layout import weasyprint_html

    loaded, assessment = annex(name)
    view = build_summary(loaded.model, assessment, catalog, lang, today=date(2026, 12, 3))
    document = weasyprint_html()(string=pdf.render_summary_html(view)).render()
    overflowing = [
        (page_number, round(over, 1), text)
        for page_number, page in enumerate(document.pages, start=1)
        for over, text in _overflowing_lines(page._page_box)  # the laid-out boxes: WeasyPrint's own tests read them so
    ]
    assert overflowing == []


_COUNT_PROCESSES = """
import subprocess, sys
started = []
popen = subprocess.Popen.__init__
subprocess.Popen.__init__ = lambda self, *args, **kwargs: started.append(args[0]) or popen(self, *args, **kwargs)
{setup}
from factorysec.report import pdf_layout
html = pdf_layout.weasyprint_html() if {ours} else __import__("weasyprint").HTML
pdf_bytes = html(string="<p>summary</p>").write_pdf()
sys.stderr.write(f"{{len(started)}} {{pdf_bytes.startswith(b'%PDF-')}}")
"""


def _import_in_a_child(ours: bool, setup: str = "") -> tuple[int, bool, str]:
    """In a fresh interpreter, import WeasyPrint (through ``pdf_layout.weasyprint_html`` or plainly) and lay out a PDF: the
    number of processes started, whether a PDF came out, and the standard output."""
    child = subprocess.run(
        [sys.executable, "-c", _COUNT_PROCESSES.format(setup=setup, ours=ours)],
        capture_output=True,
        text=True,
        check=True,
    )
    started, made = child.stderr.strip().splitlines()[-1].split(" ")
    return int(started), made == "True", child.stdout


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="find_library starts processes on Linux")
def test_weasyprint_is_imported_without_find_library_processes() -> None:
    """``import weasyprint`` alone runs ldconfig, gcc and ld for each library name the loader does not take (cffi asks
    ctypes.util.find_library); the summary's import loads the same libraries by their usual names, starting none."""
    plain, plain_pdf, _ = _import_in_a_child(ours=False)
    ours, our_pdf, output = _import_in_a_child(ours=True)
    assert plain > 10 and ours == 0
    assert plain_pdf and our_pdf
    assert output == ""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="find_library starts processes on Linux")
def test_weasyprint_still_loads_libraries_only_find_library_knows() -> None:
    """Where none of WeasyPrint's direct file names loads (here: the loader refuses every name with ``.so``), the
    import is retried with ctypes.util.find_library, which finds them; WeasyPrint's hint of the failed first attempt is
    not printed."""
    refuse_sonames = (
        "import cffi.api\n"
        "load = cffi.api._load_backend_lib\n"
        "def refusing(backend, name, flags):\n"
        "    if isinstance(name, str) and '.so' in name:\n"
        "        raise OSError(f'cannot load library {name!r}')\n"
        "    return load(backend, name, flags)\n"
        "cffi.api._load_backend_lib = refusing\n"
    )
    started, made, output = _import_in_a_child(ours=True, setup=refuse_sonames)
    assert started > 0  # find_library searched
    assert made
    assert output == ""  # no "WeasyPrint could not import some external libraries"


def test_the_summary_laid_out_in_a_process_of_its_own_prints_the_same_pages(
    annex: Annex, catalog: Catalog, tmp_path: Path
) -> None:
    """``python -m factorysec.report.pdf_process`` lays out the HTML this process renders: the same pages, pixel for
    pixel, and the same text; a path it cannot write is an OutputError naming the cause."""
    from factorysec.outputs import OutputError

    loaded, assessment = annex("all-cases-reviewed.yaml")
    summary = build_summary(loaded.model, assessment, catalog, "ja", today=date(2026, 12, 3))
    here, apart = tmp_path / "here.pdf", tmp_path / "apart.pdf"
    write_summary_pdf(summary, here)
    pdf.write_summary_pdf_apart(summary, apart)
    pages_here, pages_apart = _pages(here), _pages(apart)
    assert len(pages_apart) == len(pages_here) >= 2
    for (image_here, text_here), (image_apart, text_apart) in zip(pages_here, pages_apart, strict=True):
        assert text_apart == text_here
        assert image_apart.tobytes() == image_here.tobytes()
    with pytest.raises(OutputError, match="summary.pdf could not be written: .*No such file or directory"):
        pdf.write_summary_pdf_apart(summary, tmp_path / "missing" / "summary.pdf")


def test_the_japanese_summary_cites_the_guideline_in_japanese(annex: Annex, catalog: Catalog) -> None:
    """Its findings and risks tables read 別冊 2.1.2 表2-1 and the reference's note in Japanese ('Appendix 2.1.2 Table 2-1 (use of ICT ...' before)."""
    loaded, assessment = annex("all-cases-reviewed.yaml")
    page = pdf.render_summary_html(build_summary(loaded.model, assessment, catalog, "ja", today=date(2026, 12, 3)))
    cited = re.findall(r'<td class="ref">([^<]*)</td>', page)
    assert cited and all("別冊" in ref or "付録" in ref for ref in cited), cited
    assert not [ref for ref in cited if re.search(r"\b(Appendix|Annex|Table|Step|row)\b", ref)], cited


def _cell_lines(box: Any) -> Iterator[list[str]]:
    """The laid-out lines of each table cell, as their text."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TableCellBox):
        yield [
            "".join(part.text for part in line.descendants() if isinstance(part, boxes.TextBox))
            for line in box.descendants()
            if isinstance(line, boxes.LineBox)
        ]
        return
    for child in getattr(box, "children", ()):
        yield from _cell_lines(child)


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize(
    "model",
    ["annex-a/case-2-after-review.yaml", "annex-a/case-3-first-added.yaml", "food-batch", "pharma-data-integrity"],
)
def test_no_word_of_a_name_is_broken_across_lines(catalog: Catalog, model: str, lang: str) -> None:
    """A subject's name wraps between its words: the top risks' subject column (11% of the page) was narrower than
    'maintenance', 'manufacturing' or 'optimisation', so the summary printed 'Remote maintenanc|e service provider',
    'Parts manufacturi|ng zone', 'Recipe optimisatio|n service provider' (in English too, one letter later)."""
    from factorysec.analysis import analyze
    from factorysec.model import load_model_with_sources
    from factorysec.report.pdf_layout import weasyprint_html

    loaded = load_model_with_sources(EXAMPLES.parent / model)
    view = build_summary(loaded.model, analyze(loaded.model, catalog), catalog, lang, today=date(2026, 12, 3))
    page = pdf.render_summary_html(view)
    words = set(re.findall(r"[A-Za-z]+", re.sub(r"<[^>]+>", " ", page)))
    broken = []
    for laid_out in weasyprint_html()(string=page).render().pages:
        for lines in _cell_lines(laid_out._page_box):
            for line, following in itertools.pairwise(lines):
                end, start = re.search(r"[A-Za-z]+$", line), re.match(r"[A-Za-z]+", following)
                if end and start and end[0] + start[0] in words and not {end[0], start[0]} <= words:
                    broken.append(f"{line}|{following}")
    assert broken == []


def test_the_japanese_summary_writes_table_and_step_numbers_as_its_references_do(
    annex: Annex, catalog: Catalog
) -> None:
    """Its own labels read 表3-8 and ステップ2-1 as the guideline references beside them do (別冊 3.2.2 表3-6,
    ステップ2-2): they read '担当部門（表 1-1）', 'ステップ 3 の状況', '成熟度（表 3-9）' next to '表3-5' on one page."""
    loaded, assessment = annex("current")
    page = pdf.render_summary_html(build_summary(loaded.model, assessment, catalog, "ja", today=date(2026, 12, 3)))
    text = re.sub(r"<[^>]+>", " ", page)
    assert re.findall(r"(?:表|図|ステップ)\d", text)
    assert re.findall(r"(?:表|図|ステップ)\s+\d[^<]{0,12}", text) == []


def test_the_summary_writes_large_counts_with_thousands_separators(annex: Annex, catalog: Catalog) -> None:
    """The Step 3 status of a plant with 1,430 open checklist items reads '0 / 1,430' and '1,430' as the counts at
    the top do ('0 / 1430' before)."""
    from factorysec.analysis import analyze

    model = annex("current")[0].model
    copies = [asset.model_copy(update={"id": f"{asset.id}-{n}"}) for n in range(9) for asset in model.assets]
    larger = model.model_copy(update={"assets": [*model.assets, *copies]})
    assessment = analyze(larger, catalog)
    assert len(assessment.lifecycle.checklists.open_items) == 1430
    page = pdf.render_summary_html(build_summary(larger, assessment, catalog, "en", today=date(2026, 12, 3)))
    step_3 = page[page.index('<table id="step-3">') :]
    assert "<td>0 / 1,430</td>" in step_3 and "<td>1,430</td>" in step_3
    assert not re.findall(r"\d{4}", re.sub(r"<[^>]+>", " ", step_3))
