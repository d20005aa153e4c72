"""glibc's malloc thresholds while captures are read: freed chunk buffers kept for the next chunk.

The reader allocates its column arrays afresh for every 8 MB chunk and frees
them after it. With glibc's default thresholds, the heap's free top is given
back to the system (trimmed) after a chunk and asked for again by the next, and
each page asked for again is a page fault: 8,000 of the 27,000 faults of a run
over the 2M-packet benchmark capture, 33,000 over the 16 rotated captures, at
several microseconds each on a virtual machine. Keeping freed buffers of up to
32 MB, and a free top of up to 64 MB, takes those faults away.
Where the C library is not glibc, nothing is changed.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_GLIBC_DEFAULT_THRESHOLD = 128 * 1024
READ_MMAP_THRESHOLD = 32 << 20
"""Arrays up to this size come from the heap (and are reused), not from a mapping of their own."""
READ_TRIM_THRESHOLD = 64 << 20
"""The heap's free top is given back to the system only past this size."""
_FIXED_BY_ENVIRONMENT = ("MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_")
"""Set by Dask's nanny (the first), each turns glibc's adaptive mmap threshold off for the process."""


def glibc() -> Any:
    """The C library when it is glibc (it has ``mallopt`` and ``malloc_trim``), else None."""
    try:
        libc = ctypes.CDLL(None)
        return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


def keep_freed_buffers() -> bool:
    """Keep freed buffers for reuse from now on in this process (and the workers it forks); whether it could.

    For a process that ends once its captures are read and written (the command line): freed memory stays with it
    until it exits. A process that lives on uses `buffers_kept_while_reading`.
    """
    return _keep_freed_buffers(glibc()) is not None


def _keep_freed_buffers(libc: Any) -> Any:
    """`keep_freed_buffers` with the C library given; the library, or None when it is not glibc."""
    if libc is not None:
        libc.mallopt(_M_MMAP_THRESHOLD, READ_MMAP_THRESHOLD)
        libc.mallopt(_M_TRIM_THRESHOLD, READ_TRIM_THRESHOLD)
    return libc


@contextmanager
def buffers_kept_while_reading() -> Iterator[None]:
    """Let glibc keep freed buffers while a Dask worker reads, then give memory back.

    Dask's nanny starts workers with `MALLOC_TRIM_THRESHOLD_=65536` (so they
    return freed memory to the system), which also turns off glibc's
    adjustable mmap threshold: every array over 128 KB the reader allocates
    per chunk is then mapped and unmapped afresh, which took 1.7 to 2 times
    the CPU of the same read in a plain process. The read keeps its buffers
    instead; afterwards the worker's thresholds are set back (from its
    environment, else glibc's defaults) and freed memory is returned. A
    process started without these variables (a worker thread in this
    process, say) keeps glibc's own adaptive thresholds untouched.
    """
    libc = _keep_freed_buffers(glibc()) if any(os.environ.get(v) for v in _FIXED_BY_ENVIRONMENT) else None
    if libc is None:
        yield  # glibc adjusts its thresholds itself (or is not there): nothing to undo
        return
    try:
        yield
    finally:
        for option, variable in (
            (_M_MMAP_THRESHOLD, "MALLOC_MMAP_THRESHOLD_"),
            (_M_TRIM_THRESHOLD, "MALLOC_TRIM_THRESHOLD_"),
        ):
            text = os.environ.get(variable, "")
            libc.mallopt(option, int(text) if text.isdigit() else _GLIBC_DEFAULT_THRESHOLD)
        libc.malloc_trim(0)
