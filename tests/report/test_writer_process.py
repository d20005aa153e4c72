"""`run_module`: a writer's process started afresh, fed on its input, its status and last error line returned."""

from __future__ import annotations

from typing import IO

from factorysec.report.writer_process import run_module


def test_a_process_that_reads_its_input_ends_with_status_zero() -> None:
    fed: list[int] = []

    def feed(pipe: IO[bytes]) -> None:
        fed.append(pipe.write(b'{"a": 1}'))

    assert run_module("json.tool", [], feed) == (0, "")
    assert fed == [8]


def test_a_process_that_ends_before_reading_gives_its_status_and_last_error_line() -> None:
    """It fails on its arguments and never reads: feeding it 16 MB is not an error here (the broken pipe), its own
    error is what comes back."""

    def feed(pipe: IO[bytes]) -> None:
        for _ in range(16):
            pipe.write(bytes(1 << 20))

    status, message = run_module("factorysec.report.pdf_process", [], feed)
    assert status == 1
    assert message.startswith("ValueError: not enough values to unpack")
