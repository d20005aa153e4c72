"""``factorysec compare OLD NEW``: what changed between two assessments (or two model versions), the evidence of Step 3's PDCA check."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated

import typer
from pydantic import ValidationError

from factorysec.cli import Lang, check_lang, console, fail_input, output_errors, read_plan_inputs, usage_error
from factorysec.model import ModelInputError, load_model_with_sources
from factorysec.outputs import atomic_text, check_file_target, write_output
from factorysec.perf import paused_gc
from factorysec.report.inert import printable
from factorysec.report.listing import DEFAULT_LIMIT

if TYPE_CHECKING:
    from factorysec.analysis.assessment import Assessment
    from factorysec.analysis.compare import Comparison
    from factorysec.catalog import Catalog

Side = Annotated[
    Path,
    typer.Argument(
        help="An assessment.json (from 'report' or 'analyze --format json'), or a model (YAML file, folder or .xlsx) to analyse."
    ),
]


def _read_assessment(path: Path) -> Assessment:
    """Read an ``assessment.json``; anything else is one line naming the file and what is wrong, exit 2."""
    from factorysec.analysis.assessment import Assessment

    try:
        with paused_gc():
            document = json.loads(path.read_bytes())
    except OSError as error:
        raise usage_error(f"{path}: cannot be read ({error.strerror or error})") from None
    except UnicodeDecodeError as error:
        raise usage_error(f"{path}: not JSON: not UTF-8 text (byte {error.start})") from None
    except json.JSONDecodeError as error:
        raise usage_error(f"{path}:{error.lineno}:{error.colno}: not JSON: {error.msg}") from None
    except RecursionError:
        raise usage_error(f"{path}: not an assessment.json: its values nest too deeply to be read") from None
    if not isinstance(document, dict) or "findings" not in document or "factory_id" not in document:
        raise usage_error(
            f"{path}: not an assessment.json: expected an object with 'factory_id' and 'findings' (write one with 'factorysec analyze MODEL --format json --out FILE')"
        )
    try:
        with paused_gc():
            return Assessment.model_validate(document)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        more = f" (and {error.error_count() - 1} more problems)" if error.error_count() > 1 else ""
        raise usage_error(f"{path}: not an assessment.json: field {where}: {first['msg']}{more}") from None


def _assess(path: Path, catalog: Catalog, lang: str = "en") -> Assessment:
    """An assessment file read as it is, or a model loaded and analysed with the decisions beside it, as 'analyze' does."""
    from factorysec.analysis import analyze

    if not path.exists():
        raise usage_error(f"{path}: no such file or folder")
    if path.is_file() and path.suffix.lower() == ".json":
        return _read_assessment(path)
    try:
        with paused_gc():
            loaded = load_model_with_sources(path)
        scoring, decisions = read_plan_inputs(path, None, None, catalog.section_ids("threat_types"))
    except ModelInputError as error:
        raise fail_input(error, lang) from None
    return analyze(loaded.model, catalog, today=date.today(), scoring=scoring, decisions=decisions)


def compare(
    old: Side,
    new: Side,
    output_format: Annotated[str, typer.Option("--format", help="text, json or html.")] = "text",
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the output to this file instead of standard output.")
    ] = None,
    lang: Lang = "en",
    limit: Annotated[
        int,
        typer.Option(
            "--limit", min=0, help="Text output: items printed per list (0 prints all); JSON and HTML hold every item."
        ),
    ] = DEFAULT_LIMIT,
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace an existing output file (never one behind a symbolic link)."),
    ] = False,
    any_factory: Annotated[
        bool,
        typer.Option(
            "--any-factory",
            help="Compare assessments of two different factories (different factory ids) anyway; refused without it.",
        ),
    ] = False,
) -> None:
    """What changed since the last assessment: findings resolved, new and changed in level, risks up and down, Step 3 progress (the PDCA check)."""
    from factorysec.analysis.compare import compare_assessments
    from factorysec.cli import default_catalog

    check_lang(lang)
    if output_format not in ("text", "json", "html"):
        raise usage_error(f"--format must be 'text', 'json' or 'html', not '{output_format}'")
    if out is not None:
        with output_errors():
            check_file_target(
                out, force=force, example_name=f"compare.{'txt' if output_format == 'text' else output_format}"
            )
    catalog = default_catalog()
    before, after = _assess(old, catalog, lang), _assess(new, catalog, lang)
    if before.factory_id != after.factory_id and not any_factory:
        raise usage_error(
            f"OLD is factory '{before.factory_id}' and NEW is factory '{after.factory_id}': a comparison follows one factory over time (use --any-factory to compare them anyway)"
        )
    comparison = compare_assessments(before, after, catalog.maturity_levels)
    if output_format == "text":
        if out is None:
            render_text(comparison, lang, limit)
        else:
            with output_errors(), atomic_text(out, force=force) as handle:
                render_text(comparison, lang, limit, handle)
            typer.echo(f"wrote {printable(str(out))}")
        return
    if output_format == "json":
        from factorysec.report.compare_json import comparison_json

        payload = comparison_json(comparison)
    else:
        from factorysec.report.compare_html import render_comparison_html

        payload = render_comparison_html(comparison, lang)
    if out is None:
        typer.echo(payload, nl=False)
        return
    with output_errors():
        write_output(out, payload, force=force)
    typer.echo(f"wrote {printable(str(out))}")


def render_text(comparison: Comparison, lang: str, limit: int, handle: IO[str] | None = None) -> None:
    """Print the comparison on the terminal, or plain into ``handle``."""
    from factorysec.report.compare_terminal import render_comparison

    render_comparison(comparison, console(handle), lang, limit)
