"""``factorysec catalog [SECTION]``: every catalog id with its label and the guideline text it is cited from.

The error hints of ``check`` point here ("see 'factorysec catalog measures'"),
and every id listed is one ``factorysec explain`` accepts.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from factorysec.catalog.vocabulary import reference
from factorysec.explain import CatalogRow, catalog_rows, find_section

EXIT_INVALID = 2
FORMATS = ("text", "json")
LANGS = ("en", "ja")


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_INVALID)


def _text(sections: dict[str, tuple[CatalogRow, ...]], lang: str) -> str:
    lines: list[str] = []
    for name, rows in sections.items():
        if lines:
            lines.append("")
        lines.append(f"{name} ({len(rows)})")
        width = max((len(row.id) for row in rows), default=0)
        lines.extend(
            f"  {row.id.ljust(width)}  {row.label.get(lang)}  [{reference(row.citation, lang)}]" for row in rows
        )
    return "\n".join(lines) + "\n"


def _json(sections: dict[str, tuple[CatalogRow, ...]], lang: str) -> str:
    document = {
        name: [{"id": row.id, "label": row.label.get(lang), "citation": reference(row.citation, lang)} for row in rows]
        for name, rows in sections.items()
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def catalog(
    section: Annotated[
        str | None,
        typer.Argument(help="One section (e.g. measures, checklist-items, components, traits); all when left out."),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the labels: en or ja.")] = "en",
    output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """List every catalog id (components, asset types, kinds, purposes, tasks, traits, measures, checklist items, standards, rules ...) with its label and citation."""
    if lang not in LANGS:
        raise _fail(f"--lang must be 'en' or 'ja', not '{lang}'")
    if output_format not in FORMATS:
        raise _fail(f"--format must be 'text' or 'json', not '{output_format}'")
    from factorysec.cli import default_catalog

    catalog = default_catalog()
    every = catalog_rows(catalog)
    if section is None:
        chosen = every
    else:
        name = find_section(section, catalog)
        if name is None:
            raise _fail(f"unknown catalog section '{section}'; sections: {', '.join(every)}")
        chosen = {name: every[name]}
    typer.echo(_json(chosen, lang) if output_format == "json" else _text(chosen, lang), nl=False)
