"""A bounded fuzz run over the whole CLI (the long run is scripts/fuzz.sh): every input ends with 0, 1 or 2, no traceback,
and nothing written outside the output path; for the vulnerability intake's and the importers' files, nothing a terminal
acts on printed raw, and an import that ends 0 writes a model that 'check' accepts. See tests/fuzz_harness.py for the
input kinds."""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace

import pytest
import typer
from hypothesis import HealthCheck, given, settings

from tests import fuzz_harness
from tests.fuzz_harness import (
    MODEL,
    TEMP_FOLDER,
    Case,
    advisory_cases,
    argument_cases,
    capture_cases,
    decisions_cases,
    folder_seed,
    import_cases,
    intake_file_cases,
    report_advisory_cases,
    run_case,
    string_cases,
    workbook_cases,
    yaml_cases,
)

BOUNDED = settings(
    max_examples=20, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)


def _assert_clean(case: Case) -> None:
    outcome = run_case(case)
    assert outcome.clean, f"{outcome.problem()}\n  input: {case.describe()}"


@BOUNDED
@given(yaml_cases(with_report=False))
def test_mutated_yaml(case: Case) -> None:
    _assert_clean(case)


@BOUNDED
@given(workbook_cases())
def test_mutated_workbook_bytes(case: Case) -> None:
    _assert_clean(case)


@BOUNDED
@given(capture_cases())
def test_mutated_capture_bytes(case: Case) -> None:
    _assert_clean(case)


@BOUNDED
@given(string_cases())
def test_nasty_strings_in_string_fields(case: Case) -> None:
    _assert_clean(case)


@settings(BOUNDED, max_examples=4)
@given(
    yaml_cases(with_report=False).map(
        lambda case: replace(case, argv=("report", MODEL, "--out", "report"), outputs=frozenset({"report"}))
    )
)
def test_report_folder_from_mutated_models(case: Case) -> None:
    _assert_clean(case)


@settings(BOUNDED, max_examples=6)
@given(decisions_cases())
def test_mutated_decisions_file(case: Case) -> None:
    _assert_clean(case)


@BOUNDED
@given(argument_cases())
def test_random_arguments(case: Case) -> None:
    _assert_clean(case)


@settings(BOUNDED, max_examples=12)
@given(advisory_cases())
def test_broken_advisories(case: Case) -> None:
    _assert_clean(case)


@settings(BOUNDED, max_examples=2)
@given(report_advisory_cases())
def test_report_folder_with_a_broken_advisory(case: Case) -> None:
    _assert_clean(case)


@settings(BOUNDED, max_examples=18)
@given(intake_file_cases())
def test_broken_kev_sbom_vex_decisions_previous_and_cache_files(case: Case) -> None:
    _assert_clean(case)


@settings(BOUNDED, max_examples=18)
@given(import_cases())
def test_broken_otm_threagile_and_mapping_files(case: Case) -> None:
    _assert_clean(case)


def test_the_harness_sees_a_raw_control_character_printed_and_an_import_that_does_not_read_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    loud = typer.Typer()

    @loud.command()
    def say(text: str, exit_code: int = 0) -> None:
        typer.echo(text)
        raise typer.Exit(exit_code)

    @loud.command()
    def quiet() -> None:  # a second command, so that 'say' is a command name, not the only command
        pass

    monkeypatch.setattr(fuzz_harness, "app", loud)
    assert run_case(Case("probe", ("say", "plain"), (), terminal=True)).clean
    assert not run_case(Case("probe", ("say", "red \x1b[31m"), (), terminal=True)).clean
    assert not run_case(Case("probe", ("say", "mirrored \u202e"), (), terminal=True)).clean
    assert run_case(Case("probe", ("say", "red \x1b[31m"), ())).clean  # judged only where asked
    assert run_case(Case("probe", ("say", "x"), (), then=("say", "y"))).clean
    failed_after = run_case(Case("probe", ("say", "x"), (), then=("say", "y", "--exit-code", "2")))
    assert not failed_after.clean and "after it ended with 2" in failed_after.problem()


def test_the_harness_sees_a_write_outside_the_output_path() -> None:
    seed = next(data for name, data in folder_seed() if name.endswith("factory.yaml"))
    outcome = run_case(Case("probe", ("workbook", "export", "current"), folder_seed()))
    assert outcome.exit_code == 0 and outcome.strays == [
        "current.xlsx"
    ]  # no --out: the default file, which this case did not allow
    assert not outcome.clean
    assert run_case(Case("probe", ("check", MODEL), ((MODEL, seed),))).exit_code in (0, 2)


def test_the_harness_sees_a_temporary_file_left_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    leaky = typer.Typer()

    @leaky.command()
    def leak(name: str) -> None:
        handle, _ = tempfile.mkstemp(prefix=name)
        os.close(handle)

    @leaky.command()
    def tidy(name: str) -> None:
        with tempfile.NamedTemporaryFile(prefix=name):
            pass

    monkeypatch.setattr(fuzz_harness, "app", leaky)
    leaked = run_case(Case("probe", ("leak", "left-"), ()))
    assert leaked.exit_code == 0 and len(leaked.strays) == 1 and leaked.strays[0].startswith(f"{TEMP_FOLDER}/left-")
    assert not leaked.clean
    assert run_case(Case("probe", ("tidy", "gone-"), ())).clean
