"""``python -m factorysec.report.pdf_process PATH``: lay out the summary's HTML, read from standard input, into a PDF;
``python -m factorysec.report.pdf_process --serve``: import WeasyPrint first, then serve one request
(:class:`~factorysec.report.pdf_layout.PdfProcess`).

:func:`factorysec.report.pdf.write_summary_pdf_apart` starts the first where ``report`` writes in one process on a
machine with cores to spare. A :class:`~factorysec.report.pdf_layout.PdfError` ends it with
:data:`~factorysec.report.pdf_layout.PDF_ERROR_STATUS` and its message on standard error. Only
:mod:`factorysec.report.pdf_layout` is imported: nothing of the analysis.
"""

from __future__ import annotations

import sys
from pathlib import Path

from factorysec.report.pdf_layout import PDF_ERROR_STATUS, PdfError, serve, write_html_pdf


def main(argv: list[str]) -> int:
    if argv == ["--serve"]:
        serve(sys.stdin.buffer, sys.stdout.buffer)
        return 0
    (path,) = argv
    try:
        write_html_pdf(sys.stdin.buffer.read().decode("utf-8"), Path(path))
    except PdfError as error:
        print(error, file=sys.stderr)
        return PDF_ERROR_STATUS
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
