"""glibc's thresholds while captures are read: set where glibc is, left alone elsewhere, given back by a Dask worker."""

from __future__ import annotations

import subprocess
import sys

import pytest

from factorysec.discovery import heap


class _RecordingLibc:
    """Stands in for glibc: records the allocator settings a read makes."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int, int]] = []

    def mallopt(self, option: int, value: int) -> int:
        self.calls.append(("mallopt", option, value))
        return 1

    def malloc_trim(self, pad: int) -> int:
        self.calls.append(("malloc_trim", pad, 0))
        return 1


def test_a_worker_started_by_the_nanny_keeps_buffers_while_reading_then_restores(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    libc = _RecordingLibc()
    monkeypatch.setattr(heap, "glibc", lambda: libc)
    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_", raising=False)
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    with heap.buffers_kept_while_reading():
        pass
    assert libc.calls == []  # glibc's adaptive thresholds are left alone where nothing fixed them
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "65536")  # what Dask's nanny sets
    with pytest.raises(RuntimeError), heap.buffers_kept_while_reading():
        assert libc.calls == [("mallopt", -3, 32 << 20), ("mallopt", -1, 64 << 20)]
        raise RuntimeError("the read failed")
    assert libc.calls[2:] == [("mallopt", -3, 128 * 1024), ("mallopt", -1, 65536), ("malloc_trim", 0, 0)]


def test_the_command_line_keeps_freed_buffers(monkeypatch: pytest.MonkeyPatch) -> None:
    libc = _RecordingLibc()
    monkeypatch.setattr(heap, "glibc", lambda: libc)
    assert heap.keep_freed_buffers()
    assert libc.calls == [("mallopt", -3, 32 << 20), ("mallopt", -1, 64 << 20)]


def test_nothing_is_changed_without_glibc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(heap, "glibc", lambda: None)
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "65536")
    assert not heap.keep_freed_buffers()
    with heap.buffers_kept_while_reading():
        pass


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc is the C library of the Linux machines")
def test_glibc_takes_the_settings() -> None:
    """In a process of its own (the settings last until it ends): glibc is found and accepts both values."""
    code = (
        "from factorysec.discovery import heap; libc = heap.glibc(); "
        "print(libc.mallopt(-3, heap.READ_MMAP_THRESHOLD), libc.mallopt(-1, heap.READ_TRIM_THRESHOLD))"
    )
    answer = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert answer.stdout.split() == ["1", "1"]
