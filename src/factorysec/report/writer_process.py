"""A writer's work in a Python process of its own: ``python -m MODULE ARGS``, started afresh and fed on its input.

Where ``report`` writes everything in one process (a large plant), the workbook's XML and the summary's layout run
this way on a core the Python writers leave idle, without a copy of the model (see ``report.xlsx`` and
``report.pdf``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from typing import IO


def last_error_line(errors: IO[bytes]) -> str:
    """The last line a process wrote into ``errors`` (its standard error, a file), or "" when it wrote none.

    Read from the start whatever the file's position (which a forked process shares), without moving it.
    """
    size = os.fstat(errors.fileno()).st_size
    lines = os.pread(errors.fileno(), size, 0).decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else ""


def run_module(module: str, args: Sequence[str], feed: Callable[[IO[bytes]], object]) -> tuple[int, str]:
    """Run ``python -m module args``, let ``feed`` write its standard input (closed after), and wait for it to end.

    Returns its exit status and, for a status other than 0, the last line it wrote on standard error (or the status
    itself when it wrote nothing).
    """
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", module, *args], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors
        )
        assert process.stdin is not None
        try:
            with process.stdin as pipe:
                feed(pipe)
        except BrokenPipeError:
            pass  # it ended early: its status and error follow
        finally:
            status = process.wait()
        if status == 0:
            return 0, ""
        return status, last_error_line(errors) or f"exit status {status}"
