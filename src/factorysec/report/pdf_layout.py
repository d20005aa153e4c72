"""WeasyPrint's side of ``summary.pdf``: importing it, laying an HTML page out into a PDF, and doing so in a process
of its own (:class:`PdfProcess`).

Apart from :mod:`factorysec.report.pdf` (which builds the summary from the assessment), so that a process that only
lays out (``python -m factorysec.report.pdf_process``) imports WeasyPrint and nothing of the analysis: 0.26 CPU-s less
at its start.
"""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from pathlib import Path
from typing import IO, Any

from factorysec.outputs import OutputError
from factorysec.report.writer_process import last_error_line


class PdfError(Exception):
    """WeasyPrint could not make the PDF (most often: the Pango library is missing)."""


PDF_ERROR_STATUS = 3
"""The exit status of ``factorysec.report.pdf_process`` for a :class:`PdfError` (its message on standard error)."""


@contextmanager
def _libraries_by_their_own_names() -> Iterator[None]:
    """While WeasyPrint is imported, ``ctypes.util.find_library`` answers None and WeasyPrint's message goes nowhere.

    WeasyPrint's ``text/ffi.py`` tries several names for each library it loads (``libgobject-2.0-0``,
    ``gobject-2.0-0``, ``gobject-2.0``, then ``libgobject-2.0.so.0`` ...). cffi hands each name the dynamic loader
    does not take as it is to ``ctypes.util.find_library``, which on Linux runs ldconfig, then gcc and ld (and objdump
    on a hit) for every name it cannot place: about 200 processes and a third of a CPU second per import, before the
    usual file name, later in the list, loads directly. On Linux find_library only ever answers such a file name
    (the library's soname), which the loader then searches for as it does for the names in the list, so nothing is
    lost by skipping it where one of those names loads; where none does (a system naming its libraries otherwise),
    the import fails, and :func:`weasyprint_html` imports again with find_library as it is. WeasyPrint prints an
    installation hint before that failure: the first attempt's standard output is dropped.
    """
    import ctypes.util

    searching = ctypes.util.find_library

    def by_name_only(name: str) -> str | None:
        return None

    ctypes.util.find_library = by_name_only
    try:
        with redirect_stdout(io.StringIO()):
            yield
    finally:
        ctypes.util.find_library = searching


def weasyprint_html() -> Any:
    """WeasyPrint's ``HTML`` class, imported without ``ctypes.util.find_library``'s processes where the libraries load
    by their usual names (Linux; see :func:`_libraries_by_their_own_names`), with them elsewhere."""
    if sys.platform.startswith("linux") and "weasyprint" not in sys.modules:
        try:
            with _libraries_by_their_own_names():
                from weasyprint import HTML  # type: ignore[import-untyped]

            return HTML
        except OSError:
            pass  # named otherwise here: find_library may know them
    from weasyprint import HTML

    return HTML


def write_html_pdf(html: str, path: Path) -> None:
    """Lay the summary's ``html`` out on A4 with WeasyPrint and write it to ``path``."""
    try:
        html_class = weasyprint_html()
    except OSError as error:  # WeasyPrint loads Pango when imported
        raise PdfError(
            f"WeasyPrint cannot load its libraries ({error}); install Pango (bash scripts/setup.sh, or apt-get install libpango-1.0-0 libpangoft2-1.0-0)"
        ) from None
    html_class(string=html, base_url=None).write_pdf(path)


_HEADER = struct.Struct("<QQ")
"""A request to a serving process: the lengths of the target path's bytes and of the HTML's UTF-8, then both."""


class PdfProcess:
    """``python -m factorysec.report.pdf_process --serve``: a process that imports WeasyPrint as soon as it starts,
    then lays out the one page it is handed (:meth:`send`).

    ``report`` starts it before it loads the model, so that WeasyPrint's import (0.23 CPU-s, a quarter of the
    summary's cost at 10k assets) runs on another core during the loading and the analysis, not in the writers'
    time. The summary's writer, in this process or a forked one, hands it the page and goes on (:meth:`send`): the
    layout then runs beside the other writers, and the process that started it waits for the answer at the end
    (:meth:`receive`) and ends it (:meth:`close`). The request and the answer go through pipes the forks inherit
    (the request framed by lengths, the answer one line).
    """

    def __init__(self) -> None:
        self._errors = tempfile.TemporaryFile()
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "factorysec.report.pdf_process", "--serve"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._errors,
            )
        except BaseException:
            self._errors.close()
            raise
        import multiprocessing

        self._sent = multiprocessing.Value("b", 0, lock=False)  # in memory shared with the forks
        self.answered = False
        """Whether :meth:`receive` has had its answer."""

    @property
    def sent(self) -> bool:
        """Whether a page has been handed to it, from this process or a forked one."""
        return bool(self._sent.value)

    def send(self, html: str, path: Path) -> None:
        """Hand it ``html`` to lay out into ``path``, without waiting for it: from this process or a forked one, once.

        A forked writer goes on with its next writer meanwhile; the process that started it waits for the answer
        (:meth:`receive`) once every writer is done.
        """
        stdin, _ = self._pipes()
        target, body = os.fsencode(path), html.encode("utf-8")
        self._sent.value = 1
        try:
            stdin.write(_HEADER.pack(len(target), len(body)) + target + body)
            stdin.flush()
        except BrokenPipeError:
            pass  # it has ended: no answer comes, and its last error line says why

    def receive(self) -> None:
        """Wait for the answer to the page handed to it; a :class:`PdfError` from the process is raised as such, any
        other failure (the path cannot be written, the process ended) as an :class:`OutputError`."""
        _, stdout = self._pipes()
        answer = stdout.readline().decode("utf-8", "replace").rstrip("\n")
        self.answered = bool(answer)
        status, _, message = answer.partition(" ")
        if status == "0":
            return
        if status == str(PDF_ERROR_STATUS):
            raise PdfError(message)
        raise OutputError(f"summary.pdf could not be written: {message or self._ended()}")

    def close(self) -> None:
        """End the process and wait for it: one that has answered ends by itself; any other is killed at once (not
        asked, it is not needed; asked and not waited for, the run has failed)."""
        stdin, stdout = self._pipes()
        try:
            stdin.close()
        except BrokenPipeError:
            pass
        if not self.answered and self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        stdout.close()
        self._errors.close()

    @property
    def pid(self) -> int:
        return self._process.pid

    @property
    def returncode(self) -> int | None:
        return self._process.returncode

    def _pipes(self) -> tuple[IO[bytes], IO[bytes]]:
        assert self._process.stdin is not None and self._process.stdout is not None
        return self._process.stdin, self._process.stdout

    def _ended(self) -> str:
        """Why the process gave no answer: its last line on standard error, or that it ended without one."""
        return last_error_line(self._errors) or "the PDF process ended without an answer"


@contextmanager
def started_pdf_process() -> Iterator[PdfProcess | None]:
    """A :class:`PdfProcess` for the block (None where it cannot start: the summary is then laid out as before),
    ended when the block ends."""
    try:
        process = PdfProcess()
    except OSError:
        yield None
        return
    try:
        yield process
    finally:
        process.close()


def serve(requests: IO[bytes], answers: IO[bytes]) -> None:
    """The serving process's work (:class:`PdfProcess`): import WeasyPrint, read one request, lay it out, answer.

    Nothing to read (the process that started it is done without a summary) ends it quietly. A :class:`PdfError` is
    answered with :data:`PDF_ERROR_STATUS` and its message, anything else with 1 and the error.
    """
    try:
        weasyprint_html()
    except OSError:
        pass  # write_html_pdf words it when asked
    header = requests.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return
    target_size, body_size = _HEADER.unpack(header)
    target, body = requests.read(target_size), requests.read(body_size)
    if len(target) < target_size or len(body) < body_size:
        return  # the process asking has gone
    try:
        write_html_pdf(body.decode("utf-8"), Path(os.fsdecode(target)))
        answer = "0"
    except PdfError as error:
        answer = f"{PDF_ERROR_STATUS} {error}"
    except Exception as error:  # answered: the process asking raises it
        answer = f"1 {type(error).__name__}: {error}"
    answers.write((" ".join(answer.splitlines()) + "\n").encode("utf-8"))
    answers.flush()
