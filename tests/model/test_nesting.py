"""Very deep nesting is refused with one located problem instead of crashing the process.

Both YAML parsers recurse once per level and overflow the C stack some
thousands of levels deep; these texts reach 100,000 levels. Each runs
``factorysec check`` in-process, so a crash would take the test run down.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from factorysec.yamlio import MAX_DEPTH, YamlReadError, parse_yaml_text
from tests.model.conftest import run_check

LEVELS = 100_000
HEAD = "factory: {id: f, name: F}\n"

DEEP_TEXTS = {
    "block sequences on one line": (HEAD + "zones:\n" + "- " * LEVELS + "x\n", 3, 129),
    "a document of nested sequences": ("- " * LEVELS + "x\n", 1, 131),
    "flow sequences left open": (HEAD + "zones: " + "[" * LEVELS + "\n", 2, 72),
    "flow mappings": ("zones: " + "{a: " * LEVELS + "\n", 1, 261),
    "flow sequences on lines of their own": ("zones: [\n" + "[\n" * LEVELS, 65, 1),
    "closing brackets hidden in quotes": (HEAD + "zones: " + '[ "]", ' * LEVELS + "\n", 2, 451),
    "closing brackets hidden in comments": ("zones: " + "[ # ]\n" * LEVELS, 65, 1),
    "a byte order mark first": ("\ufeff" + "- " * LEVELS + "x\n", 1, 131),
    "carriage returns as line breaks": (HEAD.replace("\n", "\r") + "zones:\r" + "- " * LEVELS + "x\r", 3, 129),
    "an anchor, so that the walker reads it": ("a: &x 1\nzones: " + "[ " * LEVELS + "\n", 2, 136),
}


@pytest.mark.parametrize("name", list(DEEP_TEXTS))
def test_check_refuses_100000_levels_with_one_located_problem(name: str, in_fixtures: Path, tmp_path: Path) -> None:
    text, line, column = DEEP_TEXTS[name]
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8", newline="")
    result = run_check(path)
    assert result.exit_code == 2, result.exception
    assert len(result.problems) == 1
    assert result.problems[0].endswith(
        f"deep.yaml:{line}:{column}: nesting deeper than {MAX_DEPTH} levels (flatten the document)"
    )


@pytest.mark.parametrize(
    ("shape", "record_locations"),
    [("flow", True), ("block", False), ("block", True), ("indented", False), ("indented", True)],
)
def test_the_limit_is_exact(shape: str, record_locations: bool) -> None:
    """Exactly :data:`MAX_DEPTH` levels read, one more is refused, whether the walker or the nesting count finds it.

    Without positions, flow nesting up to ``yaml_rs``'s own limit (256) is
    read as it is: such a document never fits the model, and the walker
    reports it with the model's problems.
    """

    def text(levels: int) -> str:
        if shape == "flow":
            return "[" * levels + "x" + "]" * levels
        if shape == "block":
            return "- " * levels + "x\n"
        return "".join(" " * i + "-\n" for i in range(levels)) + " " * levels + "x\n"

    assert parse_yaml_text(text(MAX_DEPTH), "t", record_locations=record_locations).data is not None
    with pytest.raises(YamlReadError, match=f"nesting deeper than {MAX_DEPTH} levels"):
        parse_yaml_text(text(MAX_DEPTH + 1), "t", record_locations=record_locations)


def test_deep_indentation_that_does_not_nest_still_reads() -> None:
    text = "a: |\n" + "".join(" " * 300 + f"line {i}\n" for i in range(3)) + "b:\n" + " " * 40 + "- [x, {y: [z]}]\n"
    assert parse_yaml_text(text, "t", record_locations=False).data == {
        "a": "".join(f"line {i}\n" for i in range(3)),
        "b": [["x", {"y": ["z"]}]],
    }


def test_many_balanced_brackets_are_not_nesting() -> None:
    text = "conduits:\n" + "".join(
        f"  - {{id: c{i}, from: a, to: b, controls: [m], data: [x, y]}}\n" for i in range(2000)
    )
    read = parse_yaml_text(text, "t", record_locations=True)
    assert len(read.data["conduits"]) == 2000
    assert read.locations is not None and read.locations[("conduits", 1999, "controls")] == (2001, 33)
