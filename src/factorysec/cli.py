"""The ``factorysec`` command: parse arguments, call the library, render, set the exit code.

Exit codes: 0 success, 1 a ``--fail-on`` threshold was met, 2 invalid input.
"""

from __future__ import annotations

import json
import sys
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


def main() -> None:
    """Console entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
