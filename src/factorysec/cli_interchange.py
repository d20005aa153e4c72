"""``factorysec export otm|threagile`` and ``factorysec import otm|threagile``: interchange with general threat-modelling tools."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from factorysec.model.problems import ModelInputError
from factorysec.model.writer import dump_data
from factorysec.outputs import OutputError, check_file_targets, check_outside_model_folder, input_files, write_output

export_app = typer.Typer(
    help="Write the model for a general threat-modelling tool: OTM (Threat Dragon, IriusRisk) or Threagile.",
    no_args_is_help=True,
)
import_app = typer.Typer(
    help="Read an OTM or Threagile model into a factorysec model (or a change file against one).", no_args_is_help=True
)

ModelPath = Annotated[
    Path, typer.Argument(help="Model: a YAML file, a folder of YAML files, a change file, or an .xlsx workbook.")
]
Force = Annotated[bool, typer.Option("--force", help="Overwrite the output file if it exists.")]
ReportOut = Annotated[Path | None, typer.Option("--report", help="Also write the mapping report as JSON to this file.")]


def _check_targets(
    targets: Sequence[tuple[str, Path | None]],
    force: bool,
    inputs: Sequence[Path | None],
    examples: Mapping[str, str] | None = None,
) -> None:
    """Refuse, before anything is read or written, an output that may not be written (:func:`factorysec.outputs.check_file_targets`).

    ``examples``: per option, the file name suggested inside a folder given where a file goes (``--out plans`` →
    ``plans/model.otm.json``), one whose suffix the command takes.
    """
    from factorysec.cli import usage_error

    for option, target in targets:
        example = (examples or {}).get(option)
        if example and target is not None and target.is_dir() and not target.is_symlink():
            raise usage_error(f"{option}: {target} is a folder; give a file name, e.g. {target / example}")
    try:
        check_file_targets(targets, force=force, inputs=input_files(inputs))
    except OutputError as error:
        raise usage_error(str(error)) from None


OTM_SUFFIXES = (".json", ".yaml", ".yml")
"""What ``export otm --out`` may end with: JSON, or YAML."""
YAML_OUT_SUFFIXES = (".yaml", ".yml")
"""What ``export threagile --out`` and ``import --out`` may end with: both write YAML."""
REPORT_SUFFIXES = (".json",)
"""What ``--report`` may end with: the mapping report is written as JSON."""


def _check_suffix(
    option: str, path: Path | None, suffixes: tuple[str, ...], written_as: str, alternative: str = ""
) -> None:
    """Refuse an output whose name ends in a suffix other than ``suffixes`` (in any case): its content follows the
    command, not the name, so ``--out x.txt`` or a Threagile ``--out x.json`` would hold another format than named."""
    from factorysec.cli import usage_error

    if path is None or path.suffix.lower() in suffixes:
        return
    ending = " or ".join(", ".join(suffixes).rsplit(", ", 1))
    raise usage_error(f"{option} {path}: {written_as}; give a file name ending in {ending}{alternative}")


def _write(option: str, out: Path, text: str, force: bool) -> None:
    """Write ``text`` to ``out`` whole or not at all (:func:`factorysec.outputs.write_output`); exit 2 with one line if it may not be."""
    from factorysec.cli import usage_error

    try:
        write_output(out, text, force=force)
    except OutputError as error:
        raise usage_error(f"{option}: {error}") from None


def _analysed(path: Path, decisions: Path | None) -> tuple[Any, Any, Any]:
    """Load and analyse the model as ``factorysec analyze`` does (same decisions file beside the model)."""
    from factorysec.analysis import analyze as run_analysis
    from factorysec.cli import default_catalog, fail_input, load_or_exit, read_plan_inputs

    catalog = default_catalog()
    loaded = load_or_exit(path)
    try:
        scoring, decided = read_plan_inputs(path, None, decisions, catalog.section_ids("threat_types"))
    except ModelInputError as error:
        raise fail_input(error) from None
    assessment = run_analysis(loaded.model, catalog, today=date.today(), scoring=scoring, decisions=decided)
    return loaded.model, assessment, catalog


def _finish_export(report: Any, out: Path, text: str, report_out: Path | None, force: bool) -> None:
    from factorysec.interchange.mapping import printable

    _write("--out", out, text, force)
    if report_out is not None:
        _write("--report", report_out, json.dumps(report.as_json(), indent=2, ensure_ascii=False) + "\n", force)
    typer.echo(report.render(), nl=False)
    typer.echo(f"wrote {printable(str(out))}")


def _export_inputs(path: Path, decisions: Path | None) -> list[Path | None]:
    """What an export reads: the model (every file of a folder model) and the decisions file, given or beside the model."""
    return [path, decisions, path.resolve().parent / "decisions.yaml"]


Decisions = Annotated[
    Path | None, typer.Option("--decisions", help="Decisions file; default: decisions.yaml beside the model.")
]


@export_app.command("otm")
def export_otm_command(
    path: ModelPath,
    out: Annotated[Path, typer.Option("--out", help="OTM file to write: .json, or .yaml/.yml for YAML.")],
    force: Force = False,
    decisions: Decisions = None,
    report_out: ReportOut = None,
) -> None:
    """Write the model and its analysis as an Open Threat Model (OTM 0.2.0) file; print the mapping report."""
    from factorysec.interchange.otm import export_otm

    _check_targets(
        (("--out", out), ("--report", report_out)),
        force,
        _export_inputs(path, decisions),
        {"--out": "model.otm.json", "--report": "mapping.json"},
    )
    _check_suffix("--out", out, OTM_SUFFIXES, "an OTM file is written as JSON (.json) or YAML (.yaml, .yml)")
    _check_suffix("--report", report_out, REPORT_SUFFIXES, "the mapping report is written as JSON")
    model, assessment, catalog = _analysed(path, decisions)
    document, report = export_otm(model, assessment, catalog)
    if out.suffix.lower() in (".yaml", ".yml"):
        text = dump_data(document)
    else:
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    _finish_export(report, out, text, report_out, force)


@export_app.command("threagile")
def export_threagile_command(
    path: ModelPath,
    out: Annotated[Path, typer.Option("--out", help="Threagile YAML file to write.")],
    force: Force = False,
    decisions: Decisions = None,
    report_out: ReportOut = None,
) -> None:
    """Write the model as a Threagile model (YAML); print the mapping report."""
    from factorysec.interchange.threagile import export_threagile

    _check_targets(
        (("--out", out), ("--report", report_out)),
        force,
        _export_inputs(path, decisions),
        {"--out": "model.threagile.yaml", "--report": "mapping.json"},
    )
    _check_suffix("--out", out, YAML_OUT_SUFFIXES, "a Threagile model is written as YAML")
    _check_suffix("--report", report_out, REPORT_SUFFIXES, "the mapping report is written as JSON")
    model, assessment, catalog = _analysed(path, decisions)
    document, report = export_threagile(model, assessment, catalog)
    _finish_export(report, out, dump_data(document), report_out, force)


MappingFile = Annotated[
    Path | None,
    typer.Option(
        "--mapping",
        help="YAML file mapping the other tool's zone and component types (zone_kinds, component_types) over the defaults.",
    ),
]
Base = Annotated[
    Path | None,
    typer.Option(
        "--base",
        help="Write a change file against this model instead of a whole model (review it with 'factorysec review OUT').",
    ),
]


def _check_folder_holds_no_model(folder: Path, out: Path) -> None:
    """Refuse an ``--out`` folder holding YAML files besides ``out``: the folder read as a model would merge the
    imported model (or the change file) with them, and ``check`` would then refuse the folder (a second ``factory``)."""
    from factorysec.cli import usage_error
    from factorysec.model.sources import model_files

    others = [file for file in model_files(folder) if file.resolve() != out.resolve()]
    if others:
        shown = ", ".join(str(file.relative_to(folder)) for file in others[:3]) + (", ..." if len(others) > 3 else "")
        raise usage_error(
            f"--out {folder}: the folder holds YAML files ({shown}) that would be read with {out.name} as one model; "
            "give an empty folder or a file name ending in .yaml"
        )


def _import(
    fmt: str, file: Path, out: Path, mapping: Path | None, base: Path | None, force: bool, report_out: Path | None
) -> None:
    from factorysec.cli import check_input_file, default_catalog, fail_input, load_or_exit, usage_error
    from factorysec.interchange.mapping import printable, read_mapping
    from factorysec.interchange.source import read_document
    from factorysec.model.writer import dump_model

    if out.is_dir():
        folder, out = out, out / ("change.yaml" if base is not None else "model.yaml")
        _check_folder_holds_no_model(folder, out)
    _check_targets(
        (("--out", out), ("--report", report_out)), force, (file, mapping, base), {"--report": "mapping.json"}
    )
    written = "a change file" if base is not None else "the model"
    _check_suffix("--out", out, YAML_OUT_SUFFIXES, f"{written} is written as YAML", ", or an existing folder")
    _check_suffix("--report", report_out, REPORT_SUFFIXES, "the mapping report is written as JSON")
    try:
        check_outside_model_folder("--out", out, base)
    except OutputError as error:
        raise usage_error(str(error)) from None
    check_input_file("--mapping", mapping)
    catalog = default_catalog()
    try:
        user_mapping = read_mapping(mapping)
        raw = read_document(file)
        if fmt == "otm":
            from factorysec.interchange.otm import import_otm

            result = import_otm(raw, str(file), user_mapping, catalog)
        else:
            from factorysec.interchange.threagile import import_threagile

            result = import_threagile(raw, str(file), user_mapping, catalog)
    except ModelInputError as error:
        raise fail_input(error) from None
    header = [f"# Imported from {printable(file.name)} ({fmt}) by 'factorysec import {fmt}'."]
    if result.notes:
        header.append(
            "# Threats and mitigations of the other tool, kept as notes (factorysec derives its own findings with 'analyze'):"
        )
        header.extend(f"#   - {printable(' '.join(note.split()))}" for note in result.notes)
    if base is not None:
        from factorysec.interchange.change import change_document

        base_model = load_or_exit(base).model
        reference = os.path.relpath(base.resolve(), out.resolve().parent)
        document, not_carried = change_document(
            base_model, result.model, reference, f"Import from {printable(file.name)}"
        )
        for line in not_carried:
            result.report.dropped("change file", line)
        body = dump_data(document)
    else:
        body = dump_model(result.model)
    _write("--out", out, "\n".join(header) + "\n" + body, force)
    if report_out is not None:
        _write("--report", report_out, json.dumps(result.report.as_json(), indent=2, ensure_ascii=False) + "\n", force)
    typer.echo(result.report.render(), nl=False)
    shown = printable(str(out))
    follow = f"factorysec review {shown}" if base is not None else f"factorysec check {shown}"
    typer.echo(f"wrote {shown}; next: {follow}")


@import_app.command("otm")
def import_otm_command(
    file: Annotated[Path, typer.Argument(help="OTM file (JSON or YAML).")],
    out: Annotated[
        Path,
        typer.Option(
            "--out", help="Model YAML file to write (an existing folder gets model.yaml, or change.yaml with --base)."
        ),
    ],
    mapping: MappingFile = None,
    base: Base = None,
    force: Force = False,
    report_out: ReportOut = None,
) -> None:
    """Read an Open Threat Model file into a factorysec model; its threats and mitigations are kept as notes, never as findings."""
    _import("otm", file, out, mapping, base, force, report_out)


@import_app.command("threagile")
def import_threagile_command(
    file: Annotated[Path, typer.Argument(help="Threagile model (YAML).")],
    out: Annotated[
        Path,
        typer.Option(
            "--out", help="Model YAML file to write (an existing folder gets model.yaml, or change.yaml with --base)."
        ),
    ],
    mapping: MappingFile = None,
    base: Base = None,
    force: Force = False,
    report_out: ReportOut = None,
) -> None:
    """Read a Threagile model into a factorysec model; its risk tracking and individual risks are kept as notes, never as findings."""
    _import("threagile", file, out, mapping, base, force, report_out)
