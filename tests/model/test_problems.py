"""A problem always prints as exactly one line, whatever the user's values contain."""

from __future__ import annotations

import pytest

from factorysec.model.problems import Problem
from tests.model.conftest import PROBLEM_LINE


@pytest.mark.parametrize(
    "value", ["\r", "\n", "a\r\nb", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029", "\x00", "\x1b[2J"]
)
def test_problem_with_line_breaking_value_prints_on_one_line(value: str) -> None:
    problem = Problem("m.yaml", 2, 3, f"zones[0].{value}", f"'{value}' is not a valid identifier", f"hint {value}")
    text = str(problem)
    assert text.splitlines() == [text]
    assert PROBLEM_LINE.match(text)
    assert text.isprintable() or all(ch.isprintable() or ch == " " for ch in text)


def test_problem_escapes_carriage_return_visibly() -> None:
    assert (
        str(Problem("m.yaml", 2, 3, "factory.id", "'\r' is not a valid identifier"))
        == "m.yaml:2:3: factory.id: '\\r' is not a valid identifier"
    )


def test_plain_text_and_japanese_are_unchanged() -> None:
    problem = Problem("工場.yaml", 1, 1, "zones[0].name", "名前 'yes'", "quote it")
    assert str(problem) == "工場.yaml:1:1: zones[0].name: 名前 'yes' (quote it)"
