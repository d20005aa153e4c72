"""A flow time no calendar can hold is shown as such, not raised (found by the CLI fuzzer: a mutated Zeek timestamp)."""

from __future__ import annotations

from factorysec.discovery.command import _time


def test_a_timestamp_past_year_9999_is_shown_out_of_range() -> None:
    assert _time(1.22e12) == "(time 1.22e+12 out of range)"


def test_an_ordinary_timestamp_is_a_date() -> None:
    assert _time(0.0) == "1970-01-01 00:00:00"
    assert _time(None) == "-"
