"""One set of YAML scalar rules (YAML 1.2, read by ``yaml_rs``), whichever reading path runs."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factorysec.model import ModelInputError, dump_model, load_model
from factorysec.yamlio import YamlReadError, _may_nest_deep, _needs_walker, may_escape_uncarriable, parse_yaml_text
from tests.model.conftest import EXAMPLES, run_check
from tests.model.strategies import YAML_HOSTILE

SCALARS: list[tuple[str, Any]] = [
    ("yes", "yes"),
    ("no", "no"),
    ("on", "on"),
    ("off", "off"),
    ("Yes", "Yes"),
    ("true", True),
    ("False", False),
    ("TRUE", True),
    ("null", None),
    ("~", None),
    ("", None),
    ("12", 12),
    ("-3", -3),
    ("0755", 755),
    ("0o17", 15),
    ("0x1F", 31),
    ("1_000", 1000),
    ("1e3", 1000.0),
    ("1.5", 1.5),
    (".inf", math.inf),
    ("2024-04-01", "2024-04-01"),
    ("2024-04-01T10:00:00Z", "2024-04-01T10:00:00Z"),
    ("12:30:00", "12:30:00"),
    ("1:30", "1:30"),
    ("'12'", "12"),
    ('"true"', "true"),
    ('"2024-04-01"', "2024-04-01"),
]


def _both(text: str) -> tuple[Any, Any]:
    """The data read without positions (``yaml_rs`` alone when the text allows) and with them (the walker runs too)."""
    return parse_yaml_text(text, "t.yaml", record_locations=False).data, parse_yaml_text(
        text, "t.yaml", record_locations=True
    ).data


@pytest.mark.parametrize(("written", "expected"), SCALARS)
def test_scalar_rules_are_yaml_1_2(written: str, expected: Any) -> None:
    fast, walked = _both(f"k: {written}\n")
    assert fast == walked == {"k": expected}


@pytest.mark.parametrize(("written", "expected"), SCALARS)
def test_scalar_rules_hold_when_the_walker_must_run(written: str, expected: Any) -> None:
    text = f"# R&D, *important*!\nk: {written}\nother: &a x\n"
    assert _needs_walker(text)
    assert parse_yaml_text(text, "t.yaml", record_locations=False).data == {"k": expected, "other": "x"}


def test_text_without_node_properties_skips_the_walker() -> None:
    assert not _needs_walker("name: R&D lab, Warning! 5*3\nlist: [a, b]\n")
    for text in (
        "k: !foo x\n",
        "k: &a x\nj: *a\n",
        "<<: {a: 1}\n",
        "%YAML 1.2\n---\nk: 1\n",
        "a: 1\n---\nb: 2\n",
        "k: \x07\n",
    ):
        assert _needs_walker(text), text


def test_deep_indentation_has_its_nesting_counted_before_any_parser() -> None:
    assert not _may_nest_deep("a:\n  - b: [1, [2]]\n")
    for text in (
        "a:\n" + " " * 300 + "b: 1\n",
        "- " * 16 + "x\n",
        "a: 1\r" + " " * 32 + "b\n",
        "a: 1\u2028" + " " * 32 + "b\n",
        "\ufeff" + "- " * 16,
    ):
        assert _may_nest_deep(text), text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("k: !foo x\n", "unsupported YAML tag '!foo'"),
        ("<<: {a: 1}\n", "YAML merge keys ('<<') are not supported"),
        ("a: 1\na: 2\n", "duplicate key 'a'"),
        ("a: 1\n---\nb: 2\n", "YAML syntax error"),
        ("k: [1,\n", "YAML syntax error"),
        ("k: \x07\n", "U+0007"),
        ("k: !!timestamp 2024-04-01\n", "'!!timestamp' is not supported"),
    ],
)
def test_unsafe_or_invalid_text_is_refused_on_both_paths(text: str, message: str) -> None:
    for record in (False, True):
        with pytest.raises(YamlReadError) as caught:
            parse_yaml_text(text, "t.yaml", record_locations=record)
        assert message in str(caught.value)
        assert "\n" not in str(caught.value)


def test_very_deep_block_nesting_gives_the_depth_error_and_no_crash(tmp_path: Path) -> None:
    (tmp_path / "deep.yaml").write_text("".join(" " * i + "a:\n" for i in range(5000)), encoding="utf-8")
    (tmp_path / "dashes.yaml").write_text("- " * 2_000 + "x\n", encoding="utf-8")
    for name in ("deep.yaml", "dashes.yaml"):
        with pytest.raises(ModelInputError) as caught:
            load_model(tmp_path / name)
        assert "nesting deeper than 64 levels" in str(caught.value)


def test_deep_flow_nesting_gives_the_depth_error(tmp_path: Path) -> None:
    (tmp_path / "flow.yaml").write_text("factory: " + "[" * 100 + "]" * 100 + "\n", encoding="utf-8")
    result = run_check(tmp_path / "flow.yaml")
    assert result.exit_code == 2
    assert len(result.problems) == 1 and "nesting deeper than 64 levels" in result.problems[0]


def test_typed_keys_give_a_problem_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "keys.yaml").write_text(
        "factory: {id: f, name: n}\nzones:\n  - {id: z, name: n, kind: office, 1: x, true: y}\n", encoding="utf-8"
    )
    result = run_check(tmp_path / "keys.yaml")
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.problems


scalars = st.one_of(
    st.sampled_from(YAML_HOSTILE),
    st.text(alphabet="0123456789+-._eExXoObB:tTzZ~ nulaf", max_size=12),
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(alphabet="abc_-", min_size=1, max_size=4), inner, max_size=4),
    ),
    max_leaves=20,
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    document=documents,
    flow=st.booleans(),
    plain=st.text(alphabet="0123456789+-._eExXoObB:tTzZ~ nulaf", min_size=1, max_size=12),
)
def test_fast_and_walked_paths_read_the_same_data(document: Any, flow: bool, plain: str) -> None:
    """Documents as a person or PyYAML writes them, plus an unquoted scalar: both paths agree, on data or on refusing."""
    text = yaml.safe_dump({"doc": document}, default_flow_style=flow, allow_unicode=True) + f"plain: {plain}\n"
    outcomes = []
    for record in (False, True):
        try:
            outcomes.append(("data", parse_yaml_text(text, "t.yaml", record_locations=record).data))
        except YamlReadError as exc:
            outcomes.append(("refused", len(exc.problems)))
    assert outcomes[0] == outcomes[1]


REFUSED_TEXTS = [chr(code) for code in (*range(0x00, 0x09), *range(0x0B, 0x20))] + [
    "\ud800",
    "\udbff",
    "\udc00",
    "\udfff",
]


@pytest.mark.parametrize("refused", REFUSED_TEXTS, ids=lambda text: f"U+{ord(text):04X}")
def test_every_text_the_reader_refuses_is_written_as_an_escape_the_writer_side_finds(refused: str) -> None:
    """The workspace's YAML export looks for such an escape to refuse text an earlier version stored; a lone surrogate
    is written ``\\uD800``, which the search for control-character escapes missed."""
    model = load_model(EXAMPLES / "current")
    written = dump_model(
        model.model_copy(update={"factory": model.factory.model_copy(update={"name": f"A{refused}B"})})
    )
    with pytest.raises(YamlReadError):
        parse_yaml_text(written, "t.yaml", record_locations=False)
    assert may_escape_uncarriable(written)
    assert not may_escape_uncarriable(dump_model(model)), "a model without such text needs no closer look"
