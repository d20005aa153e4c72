"""The tracker exports keep hostile text as text: the CSV with a leading quote, the xlsx exact and marked as text."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from factorysec.workspace.audit.exports import as_csv, as_xlsx

HOSTILE = ('=HYPERLINK("http://evil.example/","open")', "+1", "-2", "@SUM(A1)", "\uff1dcmd", "plain")


def test_xlsx_keeps_formula_like_text_exact_and_as_text() -> None:
    book = load_workbook(io.BytesIO(as_xlsx("findings", ["name"], [[text] for text in HOSTILE])))
    cells = [row[0] for row in book["findings"].iter_rows(min_row=2)]
    assert [c.value for c in cells] == list(HOSTILE)
    assert all(c.data_type == "s" for c in cells)
    assert [c.quotePrefix for c in cells] == [True, True, True, True, True, False]


def test_csv_quotes_formula_like_text() -> None:
    rows = list(csv.reader(io.StringIO(as_csv(["name"], [[text] for text in HOSTILE[:4]]))))
    assert [r[0] for r in rows[1:]] == ["'" + text for text in HOSTILE[:4]]
