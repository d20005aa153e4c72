"""The ``factorysec`` command: parse arguments, call the library, render, set the exit code.

Exit codes: 0 success, 1 a ``--fail-on`` threshold was met, 2 invalid input.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from factorysec.model import ModelInputError, load_model_with_sources
from factorysec.model.entities import FactoryModel
from factorysec.model.starter import write_starter

app = typer.Typer(
    name="factorysec",
    help="Carry a factory through METI's Cyber/Physical Security Guidelines for Factory Systems and its smartification appendix.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

ModelPath = Annotated[Path, typer.Argument(help="Model: a YAML file, a folder of YAML files, a change file, or an .xlsx workbook.")]
EXIT_INVALID = 2


def fail_input(error: ModelInputError) -> typer.Exit:
    """Print every input problem, one per line, and return the exit for invalid input."""
    for problem in error.problems:
        typer.echo(str(problem), err=True)
    count = len(error.problems)
    typer.echo(f"{count} problem{'s' if count != 1 else ''} found", err=True)
    return typer.Exit(EXIT_INVALID)


def usage_error(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_INVALID)


@app.command()
def check(path: ModelPath) -> None:
    """Validate a factory model and report every problem as file:line:column: field: message."""
    try:
        loaded = load_model_with_sources(path)
    except ModelInputError as error:
        raise fail_input(error) from None
    model = loaded.model
    typer.echo(
        f"{path}: valid — {len(model.zones)} zones, {len(model.assets)} assets, {len(model.conduits)} conduits, "
        f"{len(model.operations)} operations, {len(model.parties)} parties (digest {loaded.digest})"
    )


@app.command()
def schema() -> None:
    """Print the JSON Schema of the model, for editor completion and validation of YAML files."""
    document = FactoryModel.model_json_schema(by_alias=True)
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "factorysec factory model"
    typer.echo(json.dumps(document, indent=2, ensure_ascii=False))


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Folder to write the starter model into.")] = Path("."),
    force: Annotated[bool, typer.Option(help="Overwrite an existing factory.yaml.")] = False,
) -> None:
    """Write a commented starter model (factory.yaml) that passes 'check'."""
    target = directory / "factory.yaml"
    if target.exists() and not force:
        raise usage_error(f"{target} already exists (use --force to overwrite)")
    directory.mkdir(parents=True, exist_ok=True)
    write_starter(target)
    typer.echo(f"wrote {target}; next: factorysec check {target}")


Lang = Annotated[str, typer.Option("--lang", help="Language of the output: en or ja.")]


def check_lang(lang: str) -> str:
    if lang not in ("en", "ja"):
        raise usage_error(f"--lang must be 'en' or 'ja', not '{lang}'")
    return lang


@app.command()
def analyze(
    path: ModelPath,
    output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    out: Annotated[Path | None, typer.Option("--out", help="Write the output to this file instead of standard output.")] = None,
    lang: Lang = "en",
) -> None:
    """Analyse a factory model: importance, zoning review, threats and requirements (Step 1)."""
    from rich.console import Console

    from factorysec.analysis import analyze as run_analysis
    from factorysec.catalog import load_catalog
    from factorysec.report.json_out import assessment_json
    from factorysec.report.terminal import render_terminal

    check_lang(lang)
    if output_format not in ("text", "json"):
        raise usage_error(f"--format must be 'text' or 'json', not '{output_format}'")
    try:
        loaded = load_model_with_sources(path)
    except ModelInputError as error:
        raise fail_input(error) from None
    assessment = run_analysis(loaded.model, load_catalog(), today=date.today())
    if output_format == "json":
        payload = assessment_json(assessment)
        if out:
            out.write_text(payload, encoding="utf-8")
        else:
            typer.echo(payload, nl=False)
        return
    if out:
        with out.open("w", encoding="utf-8") as handle:
            render_terminal(assessment, loaded.model, Console(file=handle, width=120, no_color=True), lang)
    else:
        render_terminal(assessment, loaded.model, Console(), lang)


@app.command()
def checklist(
    path: ModelPath,
    output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    lang: Lang = "en",
    only_open: Annotated[bool, typer.Option("--only-open", help="Show only open items (unanswered, no or unknown).")] = False,
) -> None:
    """Checklists per cloud service, general-purpose product and software (Tables 3-10 to 3-12), open items ranked by importance."""
    from rich.console import Console

    from factorysec.analysis import analyze as run_analysis
    from factorysec.catalog import load_catalog
    from factorysec.report.json_out import checklists_json
    from factorysec.report.lifecycle_terminal import render_checklists

    check_lang(lang)
    if output_format not in ("text", "json"):
        raise usage_error(f"--format must be 'text' or 'json', not '{output_format}'")
    try:
        loaded = load_model_with_sources(path)
    except ModelInputError as error:
        raise fail_input(error) from None
    report = run_analysis(loaded.model, load_catalog(), today=date.today()).lifecycle.checklists
    if only_open:
        report = report.only_open()
    if output_format == "json":
        typer.echo(checklists_json(report), nl=False)
    else:
        render_checklists(report, Console(), lang)


@app.command()
def explain(rule_id: Annotated[str, typer.Argument(help="Rule id, e.g. ZONE-MIXED-MANAGEMENT.")], lang: Lang = "en") -> None:
    """Print a rule's metadata and the guideline text it rests on."""
    from factorysec.analysis.lifecycle import LIFECYCLE_RULES_BY_ID
    from factorysec.analysis.rules import RULES_BY_ID
    from factorysec.catalog import load_catalog

    check_lang(lang)
    known = {**RULES_BY_ID, **LIFECYCLE_RULES_BY_ID}
    rule = known.get(rule_id.upper())
    if rule is None:
        import difflib

        close = difflib.get_close_matches(rule_id.upper(), list(known), n=1)
        raise usage_error(f"unknown rule '{rule_id}'" + (f" (did you mean {close[0]}?)" if close else "; list rules with 'factorysec explain --help'"))
    catalog = load_catalog()
    typer.echo(f"{rule.id}: {rule.title.get(lang)}")
    typer.echo(f"  category:  {rule.category}{' (advisory)' if rule.advisory else ''}")
    typer.echo(f"  reference: {rule.reference}")
    if rule.threat_type:
        typer.echo(f"  threat:    {rule.threat_type} — {catalog.threat_types[rule.threat_type].title.get(lang)}")
    if rule.viewpoint:
        typer.echo(f"  viewpoint: {rule.viewpoint}")
    if rule.risk_matter:
        typer.echo(f"  matter:    {rule.risk_matter} — {catalog.risk_matters[rule.risk_matter].title.get(lang)}")
    for measure in rule.measures:
        typer.echo(f"  measure:   {measure} — {catalog.measures[measure].title.get(lang)}")
    typer.echo(f"  {rule.summary.get(lang)}")


@app.command()
def report(
    path: ModelPath,
    out: Annotated[Path, typer.Option("--out", help="Folder to write report.html and zones.svg into.")] = Path("reports"),
    lang: Lang = "en",
) -> None:
    """Write the HTML report (report.html) and the zone-and-conduit diagram (zones.svg)."""
    from factorysec.analysis import analyze as run_analysis
    from factorysec.catalog import load_catalog
    from factorysec.report.diagram import DiagramError
    from factorysec.report.html import write_html_report

    check_lang(lang)
    try:
        loaded = load_model_with_sources(path)
    except ModelInputError as error:
        raise fail_input(error) from None
    catalog = load_catalog()
    try:
        written = write_html_report(loaded, run_analysis(loaded.model, catalog), out, lang, catalog)
    except DiagramError as error:
        raise usage_error(str(error)) from None
    for file in written:
        typer.echo(f"wrote {file}")


def main() -> None:
    """Console entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
