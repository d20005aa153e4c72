"""The ``factorysec`` command: parse arguments, call the library, render, set the exit code.

Exit codes: 0 success, 1 a ``--fail-on`` threshold was met, 2 invalid input.
"""

from __future__ import annotations

import errno
import gc
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated

import typer

from factorysec.cli_lazy import LazyCommands
from factorysec.cli_vulnerability_inputs import AdvisoriesOption, CacheOption, KevOption, SbomOption
from factorysec.outputs import (
    OutputError,
    atomic_binary,
    atomic_text,
    check_file_target,
    check_file_targets,
    check_outside_model_folder,
    input_files,
    prepare_folder,
    write_output,
)
from factorysec.perf import paused_gc
from factorysec.plurals import counted
from factorysec.report.inert import printable
from factorysec.report.listing import DEFAULT_LIMIT

if TYPE_CHECKING:
    from rich.console import Console

    from factorysec.analysis.assessment import Assessment
    from factorysec.catalog import Catalog
    from factorysec.model import LoadedModel, ModelInputError
    from factorysec.model.planfiles import Decision, ScoringConfig

lazy_commands = LazyCommands()
"""Commands whose modules are imported only when they are used (see cli_lazy)."""

app = typer.Typer(
    cls=lazy_commands.group_class,
    name="factorysec",
    help="Carry a factory through METI's Cyber/Physical Security Guidelines for Factory Systems and its smartification appendix.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        from factorysec import __version__

        typer.echo(f"factorysec {__version__}")
        raise typer.Exit()


_chosen_catalog: list[Path] = []
"""The catalog folder given with ``--catalog`` (or ``FACTORYSEC_CATALOG``); empty for the guideline's own."""


@app.callback()
def _options(
    version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    catalog: Annotated[
        Path | None,
        typer.Option(
            "--catalog",
            envvar="FACTORYSEC_CATALOG",
            help="A catalog folder to check and analyse with instead of the guideline's own (a company's extended "
            "copy, or a newer guideline's): the same files as the packaged catalog data.",
        ),
    ] = None,
) -> None:
    """Options that come before the command."""
    _chosen_catalog.clear()
    if catalog is not None:
        _chosen_catalog.append(catalog)


ModelPath = Annotated[
    Path, typer.Argument(help="Model: a YAML file, a folder of YAML files, a change file, or an .xlsx workbook.")
]
EXIT_THRESHOLD = 1
EXIT_INVALID = 2
EXIT_BROKEN_PIPE = 141
"""128 + SIGPIPE: what a shell reports for a Unix tool whose reader went away (``factorysec analyze X | head -3``)."""
Force = Annotated[
    bool, typer.Option("--force", help="Replace an existing output file (never a file behind a symbolic link).")
]


Lang = Annotated[str, typer.Option("--lang", help="Language of the output: en or ja.")]


def fail_input(error: ModelInputError, lang: str = "en") -> typer.Exit:
    """Print every input problem, one per line, in ``lang`` (see :meth:`~factorysec.problems.Problem.render`), and
    return the exit for invalid input."""
    for problem in error.problems:
        typer.echo(printable(problem.render(lang)), err=True)
    count = len(error.problems)
    if lang == "ja":
        typer.echo(f"{count:,} 件の問題があります", err=True)
    else:
        typer.echo(f"{count} problem{'s' if count != 1 else ''} found", err=True)
    return typer.Exit(EXIT_INVALID)


def default_catalog() -> Catalog:
    """The catalog every command checks models against and analyses with: the guideline's own, or the folder given with
    ``--catalog``; loaded once, on first use. A catalog folder that is missing or broken ends the run with its problems and exit 2.
    """
    from factorysec.catalog import CatalogError, load_catalog

    chosen = _chosen_catalog[0] if _chosen_catalog else None
    if chosen is not None and not chosen.is_dir():
        typer.echo(
            printable(f"--catalog: {chosen}: not a folder (give a folder with the catalog's YAML files)"), err=True
        )
        raise typer.Exit(EXIT_INVALID)
    try:
        return load_catalog(chosen)
    except CatalogError as error:
        folder = str(chosen or "packaged catalog")
        for problem in error.problems:
            named = problem.startswith((f"{folder}:", f"{folder}{os.sep}"))  # the problem names the folder already
            typer.echo(printable(f"--catalog: {problem}" if named else f"--catalog: {folder}: {problem}"), err=True)
        raise typer.Exit(EXIT_INVALID) from None


def load_or_exit(path: Path, *, note_entries: bool = False, lang: str = "en") -> LoadedModel:
    """Load the model at ``path`` (the collector paused, as for every command), or print its problems in ``lang`` and
    exit 2; ``note_entries``: see :func:`load_model_with_sources`."""
    from factorysec.model import ModelInputError, load_model_with_sources

    try:
        loaded = load_model_with_sources(path, default_catalog(), note_entries=note_entries)
    except ModelInputError as error:
        raise fail_input(error, lang) from None
    if loaded.sources.workbooks:  # a workbook exported by an older factorysec says which fields take their defaults
        from factorysec.model.workbook import workbook_notes
        from factorysec.problems import say

        for note in workbook_notes(loaded.sources):
            typer.echo(printable(say(note, lang)), err=True)
    return loaded


def check_format(value: str, allowed: tuple[str, ...] = ("text", "json")) -> str:
    if value not in allowed:
        raise usage_error(f"--format must be {' or '.join(repr(a) for a in allowed)}, not '{value}'")
    return value


def usage_error(message: str) -> typer.Exit:
    typer.echo(f"error: {printable(message)}", err=True)
    return typer.Exit(EXIT_INVALID)


def check_input_file(option: str, path: Path | None, *, regular_only: bool = False) -> None:
    """Refuse, with one line naming the option, a file option given a folder or a path that does not exist
    (see :func:`factorysec.cli_coercion.input_file_problem`); None (not given) passes."""
    from factorysec.cli_coercion import input_file_problem

    problem = None if path is None else input_file_problem(path, regular_only=regular_only)
    if problem is not None:
        raise usage_error(f"{option}: {problem}")


@contextmanager
def output_errors() -> Iterator[None]:
    """Turn an output that may not be written (:class:`OutputError`) into its one line and exit code 2."""
    try:
        yield
    except OutputError as error:
        raise usage_error(str(error)) from None


def console(file: IO[str] | None = None) -> Console:
    """A rich console for the terminal renderers: no emoji codes (``:warning:`` in a name stays text); plain 120 columns into a file.

    When standard output's reader goes away (``| head``) the command ends
    quietly with :data:`EXIT_BROKEN_PIPE`, not rich's exit code 1 ("threshold met").
    """
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            try:
                super().on_broken_pipe()
            except SystemExit:
                raise SystemExit(EXIT_BROKEN_PIPE) from None

    if file is None:
        # Piped or redirected, a line is not broken at a guessed 80 columns (with a space left at each break): it
        # stays whole for grep and diff; tables keep their columns.
        return _Console(emoji=False, soft_wrap=not sys.stdout.isatty())
    return _Console(file=file, width=120, no_color=True, emoji=False, soft_wrap=True)


@app.command()
def check(path: ModelPath, lang: Lang = "en") -> None:
    """Validate a factory model and report every problem as file:line:column: field: message (--lang ja: in Japanese)."""
    check_lang(lang)
    loaded = load_or_exit(path, lang=lang)
    model = loaded.model
    if lang == "ja":
        listed = "、".join(
            f"{name} {count:,}"
            for name, count in (
                ("ゾーン", len(model.zones)),
                ("保護対象", len(model.assets)),
                ("コンジット", len(model.conduits)),
                ("業務", len(model.operations)),
                ("社外の関係者", len(model.parties)),
            )
        )
        typer.echo(f"{printable(str(path))}: 有効です — {listed}（ダイジェスト {loaded.digest}）")
        return
    listed = ", ".join(
        (
            counted(len(model.zones), "zone"),
            counted(len(model.assets), "asset"),
            counted(len(model.conduits), "conduit"),
            counted(len(model.operations), "operation"),
            counted(len(model.parties), "party", "parties"),
        )
    )
    typer.echo(f"{printable(str(path))}: valid — {listed} (digest {loaded.digest})")


@app.command()
def schema(
    assessment: Annotated[
        bool, typer.Option("--assessment", help="Print the schema of assessment.json instead of the model's.")
    ] = False,
) -> None:
    """Print the JSON Schema of the model (for editor completion and validation of YAML files), or of assessment.json."""
    if assessment:
        from factorysec.report.json_out import assessment_schema

        typer.echo(json.dumps(assessment_schema(), indent=2, ensure_ascii=False))
        return
    from factorysec.model.entities import FactoryModel

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
    from factorysec.model.starter import write_starter

    with output_errors():
        target = prepare_folder(directory) / "factory.yaml"
        write_starter(target, force=force)
    typer.echo(f"wrote {printable(str(target))}; next: factorysec check {printable(str(target))}")


def check_lang(lang: str) -> str:
    if lang not in ("en", "ja"):
        raise usage_error(f"--lang must be 'en' or 'ja', not '{lang}'")
    return lang


@app.command()
def analyze(
    path: ModelPath,
    output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the output to this file instead of standard output.")
    ] = None,
    lang: Lang = "en",
    scoring: Annotated[
        Path | None, typer.Option("--scoring", help="Risk scoring config (YAML, see docs/scoring.md).")
    ] = None,
    decisions: Annotated[
        Path | None, typer.Option("--decisions", help="Decisions file; default: decisions.yaml beside the model.")
    ] = None,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on", help="Exit 1 if an open risk at or above this level remains: low, medium, high or critical."
        ),
    ] = None,
    limit: Annotated[
        int,
        typer.Option(
            "--limit",
            min=0,
            help="Text output: items printed per list (0 prints all); JSON and reports always hold every item.",
        ),
    ] = DEFAULT_LIMIT,
    force: Force = False,
    advisories: AdvisoriesOption = None,
    sbom: SbomOption = None,
    kev: KevOption = None,
    cache: CacheOption = None,
) -> None:
    """Analyse a factory model: Step 1 (importance, zoning, threats, requirements), the Step 2 plan and Step 3 (lifecycle, supply chain)."""
    from factorysec.cli_vulnerability_inputs import check_vulnerability_options
    from factorysec.model import ModelInputError, load_model_with_sources
    from factorysec.report.actions_terminal import render_actions
    from factorysec.report.json_out import iter_assessment_json, write_assessment_json
    from factorysec.report.terminal import render_terminal

    check_lang(lang)
    check_format(output_format)
    if fail_on is not None and fail_on not in ("low", "medium", "high", "critical"):
        raise usage_error(f"--fail-on must be low, medium, high or critical, not '{fail_on}'")
    check_vulnerability_options(advisories, sbom, kev, cache, model=path, outputs=(("--out", out),))
    if out is not None:
        with output_errors():
            check_file_target(
                out, force=force, example_name="assessment.json" if output_format == "json" else "analysis.txt"
            )
    catalog = default_catalog()
    try:
        with paused_gc():
            loaded = load_model_with_sources(path, default_catalog())
    except ModelInputError as error:
        raise fail_input(error, lang) from None
    assessment = assess(loaded, path, catalog, scoring, decisions, advisories, sbom, kev, cache, lang)
    if output_format == "json":
        with paused_gc():
            if out:
                with output_errors(), atomic_binary(out, force=force) as handle:
                    write_assessment_json(assessment, handle)
            else:
                for piece in iter_assessment_json(assessment):
                    typer.echo(piece, nl=False)
    elif out:
        with output_errors(), atomic_text(out, force=force) as text:
            render_actions(assessment, console(text), lang, loaded.model, catalog)
            render_terminal(assessment, loaded.model, console(text), lang, limit, catalog=catalog)
    else:
        render_actions(assessment, console(), lang, loaded.model, catalog)
        render_terminal(assessment, loaded.model, console(), lang, limit, catalog=catalog)
    if fail_on is not None:
        risks = [(r.finding, r.level) for r in assessment.open_risks_at_or_above(fail_on)]
        vulnerabilities, first_vulnerability = assessment.count_open_vulnerabilities_at_or_above(fail_on)
        first = risks[0] if risks else first_vulnerability
        if first is not None:
            typer.echo(fail_on_line(fail_on, len(risks) + vulnerabilities, first, lang), err=True)
            raise typer.Exit(EXIT_THRESHOLD)


def fail_on_line(threshold: str, count: int, first: tuple[str, str], lang: str) -> str:
    """``--fail-on high: 7 open risks at or above high, first THREAT-...@zone (high)``, in ``lang``."""
    if lang == "ja":
        from factorysec.catalog.vocabulary import value

        return (
            f"--fail-on {threshold}：レベル{value('level', threshold, lang)}以上で未対応のリスク {count:,} 件、"
            f"最初は {first[0]}（{value('level', first[1], lang)}）"
        )
    return (
        f"--fail-on {threshold}: {counted(count, 'open risk')} at or above {threshold}, first {first[0]} ({first[1]})"
    )


def read_plan_inputs(
    model_path: Path, scoring: Path | None, decisions: Path | None, threat_types: frozenset[str]
) -> tuple[ScoringConfig | None, tuple[Decision, ...]]:
    """Read the scoring config and the decisions file; a missing default file means no decisions.

    The default is ``decisions.yaml`` in the directory that holds the model path
    (beside a model file, or beside a model folder: inside the folder it would be
    read as part of the model).
    """
    from factorysec.model.entities import Trait
    from factorysec.model.planfiles import read_decisions, read_scoring

    config = None
    if scoring is not None:
        check_input_file("--scoring", scoring, regular_only=True)
        config = read_scoring(scoring, threat_types, frozenset(t.value for t in Trait))
    check_input_file("--decisions", decisions, regular_only=True)
    default = model_path.resolve().parent / "decisions.yaml"
    return config, read_decisions(decisions or default)


def assess(
    loaded: LoadedModel,
    model_path: Path,
    catalog: Catalog,
    scoring: Path | None,
    decisions: Path | None,
    advisories: list[Path] | None,
    sbom: list[str] | None,
    kev: Path | None,
    cache: Path | None,
    lang: str = "en",
) -> Assessment:
    """The assessment of a loaded model as ``analyze`` and ``report`` both make it (issue #20 item 1: one assessment,
    every output): the scoring config and decisions read, the analysis, then the advisories matched when given."""
    from factorysec.analysis import analyze as run_analysis
    from factorysec.cli_vulnerability_inputs import add_vulnerabilities, read_vulnerability_inputs
    from factorysec.model import ModelInputError

    try:
        scoring_config, decided = read_plan_inputs(model_path, scoring, decisions, catalog.section_ids("threat_types"))
    except ModelInputError as error:
        raise fail_input(error, lang) from None
    vulnerability_inputs = (
        read_vulnerability_inputs(loaded.model, model_path, advisories, sbom, kev, cache) if advisories else None
    )
    assessment = run_analysis(loaded.model, catalog, today=date.today(), scoring=scoring_config, decisions=decided)
    if vulnerability_inputs is not None:
        assessment = add_vulnerabilities(loaded.model, assessment, vulnerability_inputs, decided, date.today())
    return assessment


@app.command()
def review(
    before: Annotated[
        Path,
        typer.Argument(
            help="BEFORE model (file or folder); alone, a change file reviewed against its base; with --git, the model path."
        ),
    ],
    after: Annotated[Path | None, typer.Argument(help="AFTER model (file, folder or change file).")] = None,
    git: Annotated[
        str | None,
        typer.Option("--git", help="REV1[..REV2]: review PATH at REV1 against REV2 (default: the working tree)."),
    ] = None,
    output_format: Annotated[str, typer.Option("--format", help="text, json or html (html needs --out).")] = "text",
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the output to this file instead of standard output.")
    ] = None,
    lang: Lang = "en",
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace an existing output file (never a file behind a symbolic link)."),
    ] = False,
    any_factory: Annotated[
        bool,
        typer.Option(
            "--any-factory",
            help="Review two models of different factories (different factory ids) anyway; refused without it.",
        ),
    ] = False,
) -> None:
    """Smartification review: what a change adds or alters, following Annex A's steps (data flows, zoning, requirements, threats, checklists, BCP)."""
    import tempfile

    from factorysec.analysis.review import review_versions
    from factorysec.model import ModelInputError, load_model_with_sources
    from factorysec.model.git_versions import GitVersionError, git_versions, parse_range, relabel_problems
    from factorysec.report.review_terminal import render_review, review_json

    check_lang(lang)
    if output_format not in ("text", "json", "html"):
        raise usage_error(f"--format must be 'text', 'json' or 'html', not '{output_format}'")
    if output_format == "html" and out is None:
        raise usage_error("--format html needs --out FILE (the page is written to a file, not to standard output)")
    if out is not None:
        with output_errors():
            check_file_target(
                out, force=force, example_name=f"review.{'txt' if output_format == 'text' else output_format}"
            )
    if git is not None and after is not None:
        raise usage_error("give either BEFORE AFTER or PATH --git REV1[..REV2], not both")
    with tempfile.TemporaryDirectory(prefix="factorysec-review-") as workdir:
        try:
            if git is not None:
                before_path, after_path = git_versions(before, git, Path(workdir))
                first, second = parse_range(git)
                exports = {Path(workdir) / "before": first, **({Path(workdir) / "after": second} if second else {})}
                try:
                    old, new = (
                        load_model_with_sources(before_path, default_catalog()),
                        load_model_with_sources(after_path, default_catalog()),
                    )
                except ModelInputError as error:
                    raise relabel_problems(error, exports) from None
            elif after is None:
                new = load_model_with_sources(before, default_catalog())
                if new.base is None:
                    raise usage_error(
                        f"{before} is not a change file (no 'change: {{base: ...}}' header); give BEFORE and AFTER, or PATH --git REV"
                    )
                old = new.base
            else:
                old, new = (
                    load_model_with_sources(before, default_catalog()),
                    load_model_with_sources(after, default_catalog()),
                )
        except GitVersionError as error:
            raise usage_error(str(error)) from None
        except ModelInputError as error:
            raise fail_input(error, lang) from None
    if old.model.factory.id != new.model.factory.id and not any_factory:
        raise usage_error(
            f"BEFORE is factory '{old.model.factory.id}' and AFTER is factory '{new.model.factory.id}': a review compares two versions of one factory (use --any-factory to compare them anyway)"
        )
    reviewed = review_versions(old, new, default_catalog())
    result = reviewed.review
    if output_format == "html" and out is not None:
        from factorysec.report.diagram import DiagramError
        from factorysec.report.review_html import write_review_html

        try:
            with output_errors():
                typer.echo(f"wrote {printable(str(write_review_html(reviewed, out, lang, force=force)))}")
        except DiagramError as error:
            raise usage_error(str(error)) from None
        return
    if output_format == "json":
        payload = review_json(result)
        if out:
            with output_errors():
                write_output(out, payload, force=force)
        else:
            typer.echo(payload, nl=False)
        return
    if out:
        with output_errors(), atomic_text(out, force=force) as text:
            render_review(result, console(text), lang)
    else:
        render_review(result, console(), lang)


@app.command()
def checklist(
    path: ModelPath,
    output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    lang: Lang = "en",
    only_open: Annotated[
        bool, typer.Option("--only-open", help="Show only open items (unanswered, no or unknown).")
    ] = False,
) -> None:
    """Checklists per cloud service, general-purpose product and software (Tables 3-10 to 3-12), open items ranked by importance."""
    from factorysec.analysis import analyze as run_analysis
    from factorysec.report.json_out import checklists_json
    from factorysec.report.lifecycle_terminal import render_checklists

    check_lang(lang)
    check_format(output_format)
    loaded = load_or_exit(path, lang=lang)
    report = run_analysis(loaded.model, default_catalog(), today=date.today()).lifecycle.checklists
    if only_open:
        report = report.only_open()
    if output_format == "json":
        typer.echo(checklists_json(report), nl=False)
    else:
        render_checklists(report, console(), lang)


@app.command()
def explain(
    rule_id: Annotated[
        str,
        typer.Argument(
            help="Any printed id: a rule or item id (ZONE-MIXED-MANAGEMENT, RISK, DISC-UNKNOWN-HOST), a finding id, or a catalog id (a measure, checklist item, threat type ...)."
        ),
    ],
    lang: Lang = "en",
) -> None:
    """Print what a rule, printed item or catalog id means and the guideline text it rests on."""
    from factorysec.explain import explain_any, explain_labels, suggestion
    from factorysec.report.glossary import reference as glossary_reference
    from factorysec.report.glossary import value as glossary_value

    check_lang(lang)
    catalog = default_catalog()
    item = explain_any(rule_id, catalog)
    if item is None:
        raise usage_error(f"unknown id '{printable(rule_id)}'{suggestion(rule_id, catalog)}")
    typer.echo(f"{printable(item.id)}: {item.title.get(lang)}")
    rule = item.rule
    say = explain_labels(lang)
    advisory = say["advisory"] if rule and rule.advisory else ""
    section = item.category.removeprefix("catalog ")
    category = (
        glossary_value("rule_category", item.category, lang)
        if section == item.category or lang == "en"
        else f"カタログ（{section}）"
    )
    typer.echo(f"  {say['category']}{category}{advisory}")
    typer.echo(f"  {say['reference']}{glossary_reference(item.reference, lang)}")
    if rule is not None:
        if rule.threat_type:
            typer.echo(
                f"  {say['threat']}{rule.threat_type} — {catalog.threat_types[rule.threat_type].title.get(lang)}"
            )
        if rule.viewpoint:
            typer.echo(f"  {say['viewpoint']}{rule.viewpoint}")
        if rule.risk_matter:
            typer.echo(
                f"  {say['matter']}{rule.risk_matter} — {catalog.risk_matters[rule.risk_matter].title.get(lang)}"
            )
        for measure in rule.measures:
            typer.echo(f"  {say['measure']}{measure} — {catalog.measures[measure].title.get(lang)}")
    typer.echo(f"  {item.summary.get(lang)}")
    if rule is not None:
        typer.echo(f"  {'why' if lang == 'en' else '理由'}: {rule.why.get(lang)}")
        typer.echo(f"  {'false positives' if lang == 'en' else '誤検知・適用外'}: {rule.false_positives.get(lang)}")


@app.command()
def discover(
    captures: Annotated[
        list[Path],
        typer.Argument(
            help="pcap/pcapng captures, Zeek logs (conn, modbus, dnp3, snmp, cip_identity; TSV or JSON, optionally gzipped), partial results (*.partial), or folders of them."
        ),
    ],
    model: Annotated[
        Path | None, typer.Option(help="Factory model to compare the observed hosts and flows with (drift report).")
    ] = None,
    init_dir: Annotated[
        Path | None,
        typer.Option(
            "--init", help="Write a starter model (zones by /24, conduits from observed flows) into this folder."
        ),
    ] = None,
    output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    out: Annotated[Path | None, typer.Option(help="Write the report to this file instead of standard output.")] = None,
    change: Annotated[
        Path | None,
        typer.Option(
            "--change",
            help="With --model: write a change file against the model recording the device identities the traffic stated for assets that declare none (review it with 'factorysec review'); a folder gets change.yaml.",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing --out or --change file or --init factory.yaml.")
    ] = False,
    limit: Annotated[
        int,
        typer.Option(
            "--limit",
            min=0,
            help="Text output: items printed per list, most important first (0 prints all); JSON always holds every item.",
        ),
    ] = DEFAULT_LIMIT,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            min=1,
            help="Read with this many processes: files at once, and a capture or plain conn.log of 64 MB or more split at record or line boundaries (inputs under 64 MB in all are read by one).",
        ),
    ] = 1,
    dask: Annotated[
        str | None,
        typer.Option(
            "--dask",
            help="Read the files on this Dask scheduler's workers (tcp://host:8786), a big capture split at record boundaries over all their threads; needs pip install 'factorysec\\[distributed]'.",
        ),
    ] = None,
    partial: Annotated[
        Path | None,
        typer.Option(
            "--partial",
            help="Only read the inputs and write their partial result here (name it *.partial); give partials as inputs later to merge them.",
        ),
    ] = None,
    byte_range: Annotated[
        str | None,
        typer.Option(
            "--byte-range",
            help="With --partial and one capture: read only the records that start in START:END (bytes) or in the K/N-th of N equal parts; merging the partials of all parts gives the whole capture.",
        ),
    ] = None,
) -> None:
    """Inventory hosts and flows from captures and Zeek logs; compare them with the model's zones and conduits.

    Exit code 0 when at least one input was read (files that could not be read, and skipped records, are listed in the output); 2 when no input could be read or an option is invalid.
    """
    from factorysec.discovery.command import render_json_bytes, render_text, run, write_partial, write_starter
    from factorysec.discovery.heap import keep_freed_buffers
    from factorysec.discovery.types import DiscoveryInputError

    check_format(output_format)
    keep_freed_buffers()  # this process (and its --jobs workers) ends once the captures are read and written
    if byte_range is not None and partial is None:
        raise usage_error("--byte-range reads one part of a capture: give --partial OUT to write its partial result")
    if change is not None and model is None:
        raise usage_error("--change writes a change file against a model: give --model PATH")
    if partial is not None:
        if model is not None or init_dir is not None or out is not None or change is not None:
            raise usage_error("--partial writes only the partial result: leave out --model, --init, --out and --change")
        with output_errors():
            check_file_target(partial, force=force)
        try:
            records, files, parts = write_partial(captures, partial, jobs, dask, byte_range)
        except DiscoveryInputError as error:
            raise usage_error(str(error)) from None
        typer.echo(
            f"wrote {partial}: {records} flow records from {files} file(s)"
            + (f", {parts} capture(s) read in part" if parts else "")
            + "; "
            f"merge with: factorysec discover {partial} OTHER.partial ...",
            err=True,
        )
        return
    if change is not None and change.is_dir():
        change = change / "change.yaml"
    with output_errors():
        if out is not None:
            check_file_target(
                out, force=force, example_name=f"discovery.{'json' if output_format == 'json' else 'txt'}"
            )
        starter = None
        if init_dir is not None and prepare_folder(init_dir, create=False).is_dir():
            starter = init_dir / "factory.yaml"
        check_file_targets(
            (("--out", out), ("--init", starter), ("--change", change)),
            force=force,
            inputs=input_files([model]) if model is not None else (),  # the model's modules only when it is given
        )
        check_outside_model_folder("--change", change, model)
    loaded = None
    if model is not None:
        from factorysec.model import ModelInputError, load_model_with_sources

        try:
            loaded = load_model_with_sources(model, default_catalog()).model
        except ModelInputError as error:
            raise fail_input(error) from None
    try:
        with paused_gc():  # reading and the inventory build many acyclic objects
            result = run(captures, loaded, jobs, dask)
    except DiscoveryInputError as error:
        raise usage_error(str(error)) from None
    if init_dir is not None:
        with output_errors():
            target = write_starter(result.inventory, init_dir, force=force)
        typer.echo(f"wrote {printable(str(target))}; next: factorysec check {printable(str(target))}", err=True)
    if change is not None and model is not None and loaded is not None:
        from factorysec.discovery.command import write_identity_change

        with output_errors():
            written = write_identity_change(result.inventory, loaded, model, change, force=force)
        typer.echo(
            f"wrote {printable(str(change))}: identities for {written.recorded} asset(s)"
            + (
                f", {written.contradicted} contradicted identity(ies) named in its header"
                if written.contradicted
                else ""
            )
            + f"; next: factorysec review {printable(str(change))}",
            err=True,
        )
    for source in result.inventory.sources:
        if source.not_read and source.kind == "not read":
            typer.echo(f"warning: {printable(source.path)}: not read: {printable(source.not_read)}", err=True)
    content = render_json_bytes(result) if output_format == "json" else render_text(result, limit)
    if out is not None:
        with output_errors():
            write_output(out, content, force=force)
    else:
        typer.echo(content, nl=False)  # render_text has spelled out what a terminal would act on


@app.command()
def report(
    path: ModelPath,
    out: Annotated[Path, typer.Option("--out", help="Folder to write the reports into (created if missing).")],
    lang: Lang = "en",
    scoring: Annotated[
        Path | None, typer.Option("--scoring", help="Risk scoring config (YAML, see docs/scoring.md), as for analyze.")
    ] = None,
    decisions: Annotated[
        Path | None,
        typer.Option("--decisions", help="Decisions file, as for analyze; default: decisions.yaml beside the model."),
    ] = None,
    advisories: AdvisoriesOption = None,
    sbom: SbomOption = None,
    kev: KevOption = None,
    cache: CacheOption = None,
) -> None:
    """Write report.html, zones.svg, report.xlsx, report.md, assessment.json, findings.sarif and summary.pdf into a folder, from one analysis."""
    from factorysec.cli_vulnerability_inputs import check_vulnerability_options
    from factorysec.outputs import check_folder_target
    from factorysec.report.bundle import WRITERS, terminal_progress, write_report_folder

    check_lang(lang)
    check_vulnerability_options(advisories, sbom, kev, cache, model=path)
    with output_errors():  # before the analysis: a folder that may not be replaced is refused at once
        check_folder_target(out, {name for writer in WRITERS for name in writer.files})
    from factorysec.report.pdf_layout import PdfError, started_pdf_process

    with started_pdf_process() as pdf_process:  # WeasyPrint is imported there while the model is loaded and analysed
        loaded = load_or_exit(
            path, note_entries=True, lang=lang
        )  # findings.sarif cites each element's line from this one read
        from factorysec.report.diagram import ZONE_DIAGRAM_FOLDER, DiagramError, plan_diagram, shared_diagram_plan
        from factorysec.report.diagram_prep import prepare_zone_diagrams

        # the zone diagrams' DOT text and the diagram plan are worked out in a forked process meanwhile (large plants)
        with prepare_zone_diagrams(loaded.model, lang) as prepared, shared_diagram_plan(loaded.model, prepared):
            catalog = default_catalog()
            assessment = assess(loaded, path, catalog, scoring, decisions, advisories, sbom, kev, cache, lang)
            gc.freeze()  # the model and its assessment outlive the writers: their collections need not rescan them
            try:
                with output_errors(), terminal_progress() as progress:
                    written = write_report_folder(
                        loaded, assessment, out, lang, progress, catalog=catalog, pdf_process=pdf_process
                    )
                    # the writers' plan, not a second one (a second at 100k assets)
                    grouped = plan_diagram(loaded.model).note()
            except (DiagramError, PdfError) as error:
                raise usage_error(str(error)) from None
            finally:
                gc.unfreeze()
    zone_files = {file for file in written if file.parent == out / ZONE_DIAGRAM_FOLDER}
    for file in written:
        if file not in zone_files:
            typer.echo(f"wrote {printable(str(file))}")
    if zone_files:
        pages = sum(1 for file in zone_files if file.suffix == ".html")
        typer.echo(
            f"wrote {printable(str(out / ZONE_DIAGRAM_FOLDER))}/ ({pages} zone pages, {len(zone_files) - pages} zone diagrams)"
        )
    if grouped is not None:
        typer.echo(f"zones.svg: {grouped.get(lang)}", err=True)


lazy_commands.command("catalog", "factorysec.cli_catalog", "catalog")


workbook_app = typer.Typer(
    help="The model as an Excel workbook: export it, fill or edit it, and use the .xlsx wherever a model path goes.",
    no_args_is_help=True,
)
app.add_typer(workbook_app, name="workbook")


WORKBOOK_SUFFIX = ".xlsx"
"""What ``workbook export --out`` must end with, and ``workbook import`` reads (its ``--out`` ends with ``.yaml`` or ``.yml``)."""


@workbook_app.command("export")
def workbook_export(
    path: ModelPath,
    out: Annotated[
        Path | None, typer.Option("--out", help="Workbook to write (default: <model name>.xlsx in the working folder).")
    ] = None,
    force: Force = False,
) -> None:
    """Write the model as a workbook: a sheet per section, drop-downs for enum and catalog-id columns."""
    from factorysec.model.workbook import write_workbook

    target = out or Path(f"{path.resolve().stem or 'model'}.xlsx")
    if target.resolve() == path.resolve():
        raise usage_error(f"--out {target} would overwrite the model being exported")
    with output_errors():
        check_file_target(target, force=force, example_name="model.xlsx")
    if target.suffix.lower() != WORKBOOK_SUFFIX:
        raise usage_error(f"--out {target}: a workbook is written as .xlsx; give a file name ending in .xlsx")
    loaded = load_or_exit(path)
    from factorysec.model.workbook import WorkbookExportError
    from factorysec.outputs import atomic_path

    try:
        with output_errors(), atomic_path(target, force=force) as temporary:
            write_workbook(loaded.model, temporary, default_catalog())
    except WorkbookExportError as error:
        if error.path is None:
            raise usage_error(str(error)) from None
        from factorysec.model import ModelInputError
        from factorysec.model.problems import Problem, field_path

        file, line, column = loaded.sources.locate(error.path)
        problem = Problem(
            file, line, column, field_path(error.path), error.reason, error.hint, loaded.sources.place(error.path)
        )
        raise fail_input(ModelInputError([problem])) from None
    typer.echo(f"wrote {printable(str(target))}")


@workbook_app.command("import")
def workbook_import(
    path: Annotated[Path, typer.Argument(help="A filled or edited model workbook (.xlsx).")],
    out: Annotated[Path, typer.Option("--out", help="YAML file to write.")],
    force: Force = False,
) -> None:
    """Check a model workbook and write it as one YAML model file."""
    from factorysec.model.sources import YAML_SUFFIXES
    from factorysec.model.writer import dump_model

    if path.suffix.lower() != WORKBOOK_SUFFIX:
        raise usage_error(f"{path} is not an .xlsx workbook")
    if out.resolve() == path.resolve():
        raise usage_error(f"--out {out} would overwrite the workbook being imported")
    with output_errors():
        check_file_target(out, force=force, example_name="factory.yaml")
    if out.suffix.lower() not in YAML_SUFFIXES:
        raise usage_error(f"--out {out}: the model is written as YAML; give a file name ending in .yaml or .yml")
    loaded = load_or_exit(path)
    with output_errors():
        write_output(out, dump_model(loaded.model), force=force)
    typer.echo(f"wrote {printable(str(out))}")


lazy_commands.group("export", "factorysec.cli_interchange", "export_app")
lazy_commands.group("import", "factorysec.cli_interchange", "import_app")


lazy_commands.command("vulns", "factorysec.cli_vulnerability", "vulns")


lazy_commands.command("serve", "factorysec.cli_workspace", "serve")

lazy_commands.group("audit", "factorysec.cli_audit", "audit_app")

lazy_commands.command("compare", "factorysec.cli_compare", "compare")
lazy_commands.defer_app_commands(app)  # after the last @app.command(): each is built when it runs


def main() -> None:
    """Console entry point: run the command, then leave without tearing the interpreter down.

    Freeing a large model's millions of objects one by one at exit took longer
    than writing its report (1.9 s of a 100k-asset run's 11 s). Every command
    has closed the files it wrote by the time it returns, so once standard
    output and error are flushed nothing is lost by ending the process at
    once, as mypy does; the exit code is the command's.
    """
    lazy_commands.defer_app_commands(app)  # any command registered after the call above
    one_blas_thread()
    try:
        app()
        code = 0
    except SystemExit as exit_:
        code = _exit_code(exit_.code)
        if code == 1 and _reader_went_away():  # typer's exit on a closed pipe, not a threshold met
            code = EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        code = 130
    except OSError as error:
        if not _is_output_error(error):
            raise
        code = _output_failed(error)
    _exit_now(code)


_OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EFBIG, errno.EPIPE, errno.EBADF})
"""What writing to standard output can fail with: a full disk (``> /dev/full``), a reader gone, a stream closed."""


def _is_output_error(error: OSError) -> bool:
    """Whether `error` came from writing to standard output or error: every file a command writes goes through
    :mod:`factorysec.outputs`, which names its path, so an error with no file name and a write errno is the stream's."""
    return error.filename is None and error.errno in _OUTPUT_ERRNOS


def _output_failed(error: OSError) -> int:
    """One line for output that could not be written (none for a reader that went away); the exit code to end with."""
    if error.errno == errno.EPIPE or _reader_went_away():
        return EXIT_BROKEN_PIPE
    try:
        print(f"error: cannot write to standard output: {error.strerror or error}", file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass
    return 2


def _reader_went_away() -> bool:
    """Whether standard output is a pipe whose reader has closed it (``| head``); the command then stops quietly.

    Typer ends a command that writes into such a pipe with exit code 1, the
    code of "threshold met"; the pipe itself tells the two apart.
    """
    import select

    if not hasattr(select, "poll"):
        return False
    try:
        poller = select.poll()
        poller.register(sys.__stdout__.fileno() if sys.__stdout__ else 1, select.POLLOUT)
        return any(events & select.POLLERR for _, events in poller.poll(0))
    except (OSError, ValueError):
        return False


def _exit_code(code: object) -> int:
    """The process exit code ``sys.exit(code)`` would give (a message is printed to standard error, as Python does)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def _exit_now(code: int) -> None:
    """Flush standard output and error, then end the process with ``code`` at once (no interpreter teardown)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except ValueError:  # a stream already closed
            continue
        except OSError as error:  # a reader that went away (e.g. '| head'), or a full disk
            if stream is sys.stdout and code == 0:
                code = _output_failed(error)
    os._exit(code)


def one_blas_thread() -> None:
    """Have numpy's OpenBLAS start no thread pool (unless the environment asks for one).

    No command does linear algebra, but importing numpy started one BLAS
    thread per core, which cost `discover` about 0.04 CPU-seconds, and on a
    busy machine more in waiting for the threads to start; worker processes
    inherit the setting.
    """
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


if __name__ == "__main__":
    main()
