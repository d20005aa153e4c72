"""Mutated models never crash ``factorysec check`` (issue #2 item 9): exit 0, or exit 2 with well-formed problem lines."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from factorysec.cli import app
from factorysec.model import FactoryModel, dump_model
from tests.model.conftest import EXAMPLES, PROBLEM_LINE
from tests.model.strategies import YAML_HOSTILE, models

JUNK_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.sampled_from(YAML_HOSTILE),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=10),
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            out.extend(_paths(value, (*prefix, key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            out.extend(_paths(value, (*prefix, index)))
    return out


def _container(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


@st.composite
def mutated_texts(draw: Any) -> bytes:
    """YAML bytes of a valid model after one to three structural or byte-level mutations."""
    model: FactoryModel = draw(models())
    data = yaml.safe_load(dump_model(model))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(data)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _container(data, path)
        action = draw(st.sampled_from(["drop", "retype", "dangle", "rename"]))
        if action == "drop":
            del parent[path[-1]]
        elif action == "retype":
            parent[path[-1]] = draw(JUNK_VALUES)
        elif action == "dangle":
            parent[path[-1]] = draw(st.sampled_from(["no-such-zone", "ghost", "z0", "a"]))
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["zoen", "nmae", "tpye", "<<", "change", "id "]))] = parent.pop(path[-1])
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")
    byte_action = draw(st.sampled_from(["none", "insert", "truncate", "unicode"]))
    if byte_action == "insert":
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.binary(min_size=1, max_size=8)) + text[at:]
    elif byte_action == "truncate":
        text = text[: draw(st.integers(0, len(text)))]
    elif byte_action == "unicode":
        at = draw(st.integers(0, len(text)))
        text = (
            text[:at]
            + draw(st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=4)).encode("utf-8")
            + text[at:]
        )
    return text


def _assert_clean(path: Path) -> None:
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        lines = result.stderr.splitlines()
        assert lines, "exit 2 without any problem"
        problems = lines[:-1]
        assert problems, result.stderr
        assert all(PROBLEM_LINE.match(line) for line in problems), result.stderr
        assert lines[-1].endswith("found")
    assert "Traceback" not in result.output


@pytest.mark.slow
@settings(
    max_examples=int(os.environ.get("MUTATION_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated_texts())
def test_check_never_crashes_on_a_mutated_model(text: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.yaml"
        path.write_bytes(text)
        _assert_clean(path)


@pytest.mark.slow
@settings(max_examples=int(os.environ.get("MUTATION_EXAMPLES", "100")), deadline=None)
@given(st.sampled_from(sorted(EXAMPLES.glob("*.yaml"))), st.data())
def test_check_never_crashes_on_a_mutated_change_file(example: Path, data: st.DataObject) -> None:
    text = example.read_bytes()
    at = data.draw(st.integers(0, len(text)))
    action = data.draw(st.sampled_from(["insert", "truncate", "delete-line"]))
    if action == "insert":
        text = text[:at] + data.draw(st.binary(min_size=1, max_size=6)) + text[at:]
    elif action == "truncate":
        text = text[:at]
    else:
        lines = text.splitlines(keepends=True)
        del lines[data.draw(st.integers(0, len(lines) - 1))]
        text = b"".join(lines)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / example.name
        path.write_bytes(text.replace(b"base: ", f"base: {EXAMPLES}/".encode(), 1))
        _assert_clean(path)
