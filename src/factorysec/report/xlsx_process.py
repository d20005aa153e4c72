"""``python -m factorysec.report.xlsx_process PATH LANG``: write ``report.xlsx`` from sheets read off standard input.

:func:`factorysec.report.xlsx.write_report_workbook` starts it for a large workbook and pickles to it, per sheet, its
unique title, its spec with the first rows and its row count, then the further rows in parts
(:data:`~factorysec.report.xlsx.PART_ROWS` at a time). The pickles come from the ``report`` process that started it:
nothing else writes to this pipe.
"""

from __future__ import annotations

import pickle
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from factorysec.report.xlsx import SheetParts, write_sheets


def _parts(stream: IO[bytes], rows_left: int) -> Iterator[Sequence[Sequence[Any]]]:
    while rows_left > 0:
        part: Sequence[Sequence[Any]] = pickle.load(stream)  # noqa: S301 -- from the parent process, see above
        rows_left -= len(part)
        yield part


def _sheets(stream: IO[bytes]) -> Iterator[SheetParts]:
    while True:
        try:
            title, head, row_count = pickle.load(stream)  # noqa: S301 -- from the parent process, see above
        except EOFError:
            return
        more = _parts(stream, row_count - len(head.rows))
        yield title, head, more, row_count
        for _ in more:  # the writer reads every part; this only keeps the stream in step should it not
            pass


def main(argv: list[str]) -> int:
    path, lang = argv
    write_sheets(Path(path), lang, _sheets(sys.stdin.buffer))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
