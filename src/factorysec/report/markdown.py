"""``report.md``: the action list, an executive summary and the guideline's three steps, each addressed to the departments Table 1-1 names.

It is read, not filtered: the actions come first, then the importance of the
zones and operations per axis with the reasons, what each purpose brings and
where things physically are; every finding and ranked risk is listed, while
long element lists (protected objects, conduits, requirements) show their
first :data:`LIST_LIMIT` rows and say how many more ``report.xlsx`` holds.
Open checklist items are grouped per item.

Every value printed by the template is escaped for Markdown (``finalize``), so
user text with ``|``, ``*``, ``_``, ``[`` or line breaks cannot break a table
or the layout. Texts are picked in the report language before rendering.

The lists printed in full (findings, ranked risks, the measures to plan, the
zone policies, lifecycle findings and responsibility gaps: 360k lines at 100k
assets) are written line by line in Python instead (:class:`_RowWriter`), each
value escaped with :func:`escape_markdown` exactly where the template would
have escaped it, and handed to the template in pieces of many lines as
:class:`Markdown`, which ``finalize`` prints as it is: the template's loop cost
a generator step per literal and per value (1.9M at 100k assets) and an
attribute lookup on a dict per value.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from itertools import islice
from operator import attrgetter
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, Template

from factorysec.analysis.assessment import Assessment
from factorysec.analysis.exposure import AttackPath
from factorysec.analysis.findings import Finding
from factorysec.analysis.importance import ALL_AXES, AXIS_LABELS, Derived, all_ratings
from factorysec.analysis.lifecycle import AREA_LABELS, OodaCell
from factorysec.analysis.lifecycle.checklists import OpenItem
from factorysec.analysis.lifecycle.responsibility import ResponsibilityMatrix
from factorysec.analysis.policy import ZonePolicy
from factorysec.analysis.risk import Risk
from factorysec.catalog import Catalog
from factorysec.catalog.models import Step
from factorysec.model.entities import Asset, ExternalNetwork, FactoryModel, Zone
from factorysec.report.inert import printable
from factorysec.report.template_cache import use_installed_templates
from factorysec.report.view import AssessmentView, entry_routes

STEP_IDS = ("step-1", "step-2", "step-3")
LIST_LIMIT = 200
"""Rows of a long element list (protected objects, conduits, requirements, zones per axis) printed; the rest are in report.xlsx."""
_SPECIAL = "\\`*_{}[]<>#|!~&"
"""The characters Markdown reads as syntax, the backslash first: it is escaped before the others add theirs. ``&``
starts an entity reference: unescaped, a name written ``&lt;b&gt;`` would be shown as ``<b>``."""
_SPECIAL_CHARACTER = re.compile("[" + re.escape(_SPECIAL) + "]")
"""Any special character: most text holds none and is left as it is."""


def _backslashed(text: str) -> str:
    """Each special character of ``text`` with a backslash before it.

    One ``str.replace`` per special character the text holds (a C scan each): at
    100k assets about 2 µs a text, where ``str.translate`` (a mapping to two
    characters leaves its fast path, 6-28 µs) or a regular expression's
    substitution template (9-19 µs) cost several times that.
    """
    for special in _SPECIAL:
        if special in text:
            text = text.replace(special, "\\" + special)
    return text


class Url(str):
    """A URL for an autolink ``<...>``: printed as is, since backslash escapes do not work inside autolinks."""


class Markdown(str):
    """Text already written as Markdown, every value in it escaped where it was put in (:class:`_RowWriter`): printed
    as is."""


def autolink_url(url: str) -> Url:
    """A URL safe inside ``<...>``: spaces and angle brackets percent-encoded."""
    return Url(url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E"))


def escape_markdown(value: Any) -> str:
    """Escape a value for Markdown text and table cells: special characters get a backslash, line breaks become <br>.

    A carriage return alone ends a line in Markdown too, so it becomes <br>;
    other control characters and bidirectional overrides are spelled out
    (``\\x7f``), as in the terminal (:func:`factorysec.report.inert.printable`).
    """
    if value.__class__ is str and value.isprintable():
        # the usual text: no line break, control character or bidirectional mark (none is printable), so nothing but
        # the special characters to do; about 1 µs less a call, 827k calls at 100k assets
        return _backslashed(value) if _SPECIAL_CHARACTER.search(value) else value
    if value is None:
        return ""
    if isinstance(value, Markdown):
        return value
    if isinstance(value, Url):
        return str(value)
    text = printable(str(value).replace("\r\n", "\n").replace("\r", "\n"))
    if _SPECIAL_CHARACTER.search(text):
        text = _backslashed(text)
    return text.replace("\n", "<br>")


@dataclass(frozen=True)
class StepView:
    """A step section's header: its title, the departments it addresses and its Annex B references."""

    id: str
    section: str
    title: str
    audiences: list[str]
    references: list[dict[str, Any]]


def _step_view(step: Step, catalog: Catalog, lang: str) -> StepView:
    audiences = [
        catalog.audience_groups[a].title.get(lang) if a in catalog.audience_groups else a for a in step.audiences
    ]
    references = [
        {"title": r.title.get(lang), "publisher": r.publisher.get(lang), "url": autolink_url(r.url)}
        for r in step.references
    ]
    return StepView(step.id, step.section, step.title.get(lang), audiences, references)


def _environment() -> Environment:
    """report.md's environment, reading the templates compiled at install (:mod:`factorysec.report.template_cache`)."""
    environment = Environment(
        loader=PackageLoader("factorysec.report", "templates"),
        autoescape=False,
        finalize=escape_markdown,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return use_installed_templates(environment)


def render_markdown(
    assessment: Assessment,
    model: FactoryModel,
    catalog: Catalog,
    lang: str = "en",
    *,
    view: AssessmentView | None = None,
) -> str:
    """The Markdown report; ``view``: the assessment's view when the caller has one already (the report folder shares one)."""
    return render_markdown_view(view if view is not None else AssessmentView(assessment, model, catalog, lang))


def render_markdown_view(view: AssessmentView) -> str:
    """The Markdown report of an :class:`AssessmentView` (its catalog gives the steps and measure titles)."""
    template, context = _markdown_template(view)
    return template.render(context)


CHARACTERS_PER_WRITE = 1 << 20
"""Rendered text gathered for one write to the file (one write per piece would cost more than the joining); the
pieces differ in size, from a literal of the template to :data:`ROWS_PER_PIECE` rows of a long list, so they are
counted in characters."""


def write_markdown_view(view: AssessmentView, path: Path) -> None:
    """Write the Markdown report of ``view`` into ``path`` (UTF-8) as it is rendered: the same bytes as
    :func:`render_markdown_view`, without the whole text in memory at once (64 MB at 100k assets, and the pieces it
    is joined from)."""
    template, context = _markdown_template(view)
    gathered: list[str] = []
    size = 0
    with path.open("w", encoding="utf-8") as handle:
        for piece in template.generate(context):
            gathered.append(piece)
            size += len(piece)
            if size >= CHARACTERS_PER_WRITE:
                handle.write("".join(gathered))
                gathered.clear()
                size = 0
        handle.write("".join(gathered))


def _markdown_template(view: AssessmentView) -> tuple[Template, dict[str, Any]]:
    """The report's template and what it is rendered with."""
    assessment, model, lang, label = view.assessment, view.model, view.lang, view.labels("markdown")
    catalog = view.catalog
    rows = _RowWriter(view, label)
    summary = label["summary_counts"].format(
        f=len(assessment.findings),
        z=view.count("zoning"),
        t=view.count("threat"),
        h=view.count("hygiene"),
        o=view.other_count,
        r=len(assessment.requirements),
    )
    zones = [
        {
            "id": z.id,
            "name": z.name,
            "kind": view.value("zone_kind", z.kind.value),
            "raw_level": view.zone_level(z.id),
            "level": view.value("level", view.zone_level(z.id)),
            "why": assessment.importance.zones[z.id].overall.reason.get(lang)
            if z.id in assessment.importance.zones
            else "",
        }
        for z in model.zones
    ]
    return _environment().get_template("report.md.j2"), dict(
        t=label,
        v=view,
        lang=lang,
        a=assessment,
        model=model,
        summary=summary,
        steps={
            sid: _step_view(catalog.steps[sid], catalog, lang)
            for sid in STEP_IDS
            if catalog is not None and sid in catalog.steps
        },
        findings=_Lines(bool(assessment.findings), lambda: map(rows.finding, assessment.findings)),
        zones=zones,
        top_zones=[z for z in zones if z["raw_level"] in ("critical", "high")],
        operations=[{"op": op, "derived": assessment.importance.operations.get(op.id)} for op in model.operations],
        assets=_MappedRows(model.assets, lambda asset: _asset_row(view, asset)),
        externals={network.value: view.value("external_network", network.value) for network in ExternalNetwork},
        scopes={scope: view.value("scope", scope) for scope in ("within-zone", "between-zones")},
        kinds=_KindWords(view),
        top_risks=_risk_rows(view, assessment.risks[:5]),
        risks=_Lines(bool(assessment.risks), lambda: map(rows.risk, assessment.risks)),
        plan=_Lines(bool(assessment.findings), lambda: map(rows.plan, assessment.findings)),
        policies=_Lines(bool(assessment.policies), lambda: map(rows.policy, assessment.policies), POLICIES_PER_PIECE),
        paths=[_path_line(view, path, label) for path in assessment.paths],
        responsibility_gaps=_Lines(
            any(cell.source == "missing" for matrix in assessment.lifecycle.responsibilities for cell in matrix.cells),
            lambda: rows.responsibility_gaps(assessment.lifecycle.responsibilities),
        ),
        ooda=[_ooda_row(view, cell, label) for cell in assessment.lifecycle.ooda],
        lifecycle=assessment.lifecycle,
        lifecycle_findings=_Lines(
            bool(assessment.lifecycle.findings), lambda: map(rows.finding, assessment.lifecycle.findings)
        ),
        pdca=_pdca_line(assessment, label),
        limit=LIST_LIMIT,
        actions=_action_rows(view),
        axes=_axis_rows(view),
        purposes=_purpose_rows(view, label),
        locations=_location_rows(view),
        open_groups=_open_item_groups(view, label),
        routes=entry_routes(view),
    )


def _action_rows(view: AssessmentView) -> list[dict[str, Any]]:
    """The ranked actions: what to do, what it resolves, who owns it (Table 1-1), what it lowers."""
    kinds = view.catalog.department_kinds if view.catalog is not None else {}
    rows = []
    for action in view.assessment.actions:
        owners = [view.names.get(d) or (kinds[d].title.get(view.lang) if d in kinds else d) for d in action.departments]
        rows.append(
            {
                "rank": action.rank,
                "title": view.measure_title(action.measure),
                "level": view.value("level", action.level),
                "summary": action.summary.get(view.lang),
                "owners": ", ".join(owners),
                "zones": ", ".join(action.zones[:20]) + (" …" if len(action.zones) > 20 else ""),
                "lowers": ", ".join(
                    f"{r.finding} {view.value('level', r.before)} → {view.value('level', r.after)}"
                    for r in action.removes[:20]
                )
                + (" …" if len(action.removes) > 20 else ""),
            }
        )
    return rows


def _axis_lines(view: AssessmentView, ratings: dict[str, Derived]) -> list[dict[str, str]]:
    return [
        {
            "axis": AXIS_LABELS[axis].get(view.lang),
            "level": view.value("level", r.level.value),
            "why": r.reason.get(view.lang),
        }
        for axis in ALL_AXES
        if (r := ratings.get(axis)) is not None and r.level is not None
    ]


def _axis_rows(view: AssessmentView) -> list[dict[str, Any]]:
    """Operations, then the most important zones (at most :data:`LIST_LIMIT`), each with its level and reason per axis."""
    importance = view.assessment.importance
    rows: list[dict[str, Any]] = []
    for operation in view.model.operations:
        rated = importance.operations.get(operation.id)
        if rated is not None:
            rows.append(
                {
                    "what": f"{view.value('subject_kind', 'operation')} {operation.name} ({operation.id})",
                    "lines": _axis_lines(view, all_ratings(rated)),
                }
            )
    order = {"critical": 0, "high": 1, "medium": 2, "low": 3, "": 4}
    zones = sorted(view.model.zones, key=lambda z: order.get(view.zone_level(z.id), 4))
    for zone in zones[:LIST_LIMIT]:
        rated_zone = importance.zones.get(zone.id)
        if rated_zone is not None:
            rows.append(
                {
                    "what": f"{view.value('subject_kind', 'zone')} {zone.name} ({zone.id})",
                    "lines": _axis_lines(view, all_ratings(rated_zone)),
                }
            )
    return [row for row in rows if row["lines"]]


def _purpose_rows(view: AssessmentView, label: Mapping[str, str]) -> list[dict[str, str]]:
    return [
        {
            "title": f"{p.title.get(view.lang)} ({p.purpose})",
            "facts": label["purpose_line"].format(
                o=len(p.operations), a=len(p.assets), z=len(p.zones), c=len(p.conduits), f=len(p.findings)
            ),
            "zones": ", ".join(p.zones[:20]) + (" …" if len(p.zones) > 20 else ""),
            "measures": "; ".join(view.measure_title(m) for m in p.measures),
        }
        for p in view.assessment.purposes
    ]


def _location_rows(view: AssessmentView) -> list[dict[str, Any]]:
    """Zones and protected objects that state where they are (site / building / area) or a recovery target."""
    rows: list[dict[str, Any]] = []
    placed: tuple[tuple[str, Sequence[Zone | Asset]], ...] = (("zone", view.model.zones), ("asset", view.model.assets))
    for kind, elements in placed:
        for element in elements:  # most state neither: no pair made per element (100k assets)
            location, hours = element.location, element.recovery_target_hours
            if location is None and hours is None:
                continue
            where = " / ".join(p for p in (location.site, location.building, location.area) if p) if location else ""
            rows.append({"what": view.subject(kind, element.id), "name": element.name, "where": where, "hours": hours})
    return rows


GROUP_ASSETS = 10
"""Assets named per group of open checklist items; the rest are counted."""

_OPEN_ITEM_KEY = attrgetter("kind", "item", "answer")


def _open_item_groups(view: AssessmentView, label: Mapping[str, str]) -> list[dict[str, str]]:
    """Open checklist items grouped per checklist, item and answer (in the order each group first appears), with the
    number of assets they are open on and the first :data:`GROUP_ASSETS` of them (most important first).

    At 100k assets 178k open items fall into a few dozen groups: the groups' sizes are counted in C
    (:class:`~collections.Counter` over the items' keys), and the items are walked only until every group has its
    first item and the assets it names.
    """
    items = view.assessment.lifecycle.checklists.open_items
    sizes: dict[tuple[str, str, str], int] = {}
    for (kind, item_id, answer), count in Counter(map(_OPEN_ITEM_KEY, items)).items():
        key = (kind, item_id, answer or "")
        sizes[key] = sizes.get(key, 0) + count
    to_name = sum(min(size, GROUP_ASSETS) for size in sizes.values())
    groups: dict[tuple[str, str, str], tuple[OpenItem, list[str]]] = {}
    for item in items:
        if not to_name:
            break
        key = (item.kind, item.item, item.answer or "")
        group = groups.get(key)
        if group is None:
            group = groups[key] = (item, [])
        if len(group[1]) < GROUP_ASSETS:
            group[1].append(item.asset)
            to_name -= 1
    return [
        {
            "checklist": view.value("checklist_kind", first.kind),
            "item": first.title.get(view.lang),
            "answer": view.value("answer", first.answer),
            "assets": label["grouped_items"].format(n=sizes[key])
            + ": "
            + ", ".join(assets)
            + (" …" if sizes[key] > GROUP_ASSETS else ""),
        }
        for key, (first, assets) in groups.items()
    ]


class _MappedRows:
    """Rows made from a model list only where the template reads them: its length, and the first :data:`LIST_LIMIT`
    (at 100k assets, making every asset's row for the 200 printed was half a CPU second)."""

    def __init__(self, items: Sequence[Any], row: Callable[[Any], dict[str, Any]]) -> None:
        self.items = items
        self.row = row

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [self.row(item) for item in self.items[index]]


def _asset_row(view: AssessmentView, asset: Asset) -> dict[str, Any]:
    derived = view.assessment.importance.assets.get(asset.id)
    level = derived.overall.level.value if derived is not None and derived.overall.level is not None else ""
    return {
        "asset": asset,
        "derived": derived,
        "type": view.value("asset_type", asset.type.value),
        "level": view.value("level", level),
    }


class _KindWords(dict[str, str]):
    """Subject kind → its word, looked up once per kind (the template reads it for every requirement)."""

    def __init__(self, view: AssessmentView) -> None:
        super().__init__()
        self._view = view

    def __missing__(self, kind: str) -> str:
        word = self[kind] = self._view.value("subject_kind", kind)
        return word


def _pdca_line(assessment: Assessment, label: Mapping[str, str]) -> str:
    pdca = assessment.lifecycle.pdca
    if pdca.last_review is None:
        return label["pdca_none"].format(n=pdca.interval_days)
    line = label["pdca_last_overdue"] if pdca.overdue else label["pdca_last"]
    line = line.format(id=pdca.last_review, date=pdca.last_review_date or "", due=pdca.due or "")
    if pdca.earlier_scheme_reviews:
        earlier = label["digest_earlier"].format(ids=", ".join(pdca.earlier_scheme_reviews), digest=pdca.digest_current)
        sentence = earlier.lstrip(";。 ")
        english = sentence.isascii()
        line += " " + sentence[:1].upper() + sentence[1:] + "." if english else sentence + "。"
    return line


def _risk_rows(view: AssessmentView, risks: Sequence[Risk]) -> list[dict[str, Any]]:
    """The summary's rows of ``risks`` (its top five; the ranked list's lines are :meth:`_RowWriter.risk`'s)."""
    rows = []
    for risk in risks:
        gap, decision = view.gap_of(risk.finding), view.decision_of(risk.finding)
        rows.append(
            {
                "rank": risk.rank,
                "level": view.value("level", risk.level),
                "residual": view.value("level", gap.residual_level if gap else None),
                "interrupts": risk.interrupts_business,
                "decision": view.value("decision", decision.status) if decision else "",
                "finding": risk.finding,
                "rule": risk.finding_rule,
                "reference": view.ref(risk.finding_reference),
                "subject": view.subject(risk.subject.kind, risk.subject.id),
                "why": risk.reason.get(view.lang),
            }
        )
    return rows


def _path_line(view: AssessmentView, path: AttackPath, label: Mapping[str, str]) -> str:
    facts = label["hops"].format(n=len(path.hops), c=path.control_weight)
    parts = [f"{label[path.kind]}, {path.target} ({facts}):", f"{path.entry} ⇒ {path.entry_zone}"]
    for hop in path.hops:
        controls = ", ".join(
            [*(view.measure_title(c) for c in hop.controls), *(f"{view.measure_title(c)}~" for c in hop.partial)]
        )
        parts.append(f"→ {hop.conduit} [{controls or label['no_controls']}] → {hop.to_zone}")
    return " ".join(parts)


def _ooda_row(view: AssessmentView, cell: OodaCell, label: Mapping[str, str]) -> dict[str, str]:
    return {
        "stage": view.value("ooda_stage", cell.stage),
        "phase": view.value("ooda_phase", cell.phase),
        "lead": ", ".join(cell.lead) or label["nobody"],
        "deciders": ", ".join(cell.decision_makers) or label["nobody"],
        "source": view.value("source", cell.source),
    }


ROWS_PER_PIECE = 256
"""Lines of a long list joined into one piece handed to the template (one generator step for them all)."""


POLICIES_PER_PIECE = 16
"""Zone policies joined into one piece (a policy runs to 200 lines at 100k assets)."""


def _list_items(texts: Sequence[str]) -> str:
    """A line ``  - text`` per text, each text escaped as :func:`escape_markdown` escapes it.

    Printable texts (the usual: no line break, control character or bidirectional mark) are escaped together, in one
    pass over their lines joined: :func:`_backslashed` puts a backslash before each special character wherever it
    stands, and the text between the items holds none (at 100k assets the zone policies list 230k requirements).
    """
    if not texts:
        return ""
    if all(map(str.isprintable, texts)):
        return "  - " + _backslashed("\n  - ".join(texts)) + "\n"
    return "".join([f"  - {escape_markdown(text)}\n" for text in texts])


class _Lines:
    """A long list's Markdown lines, made only as the template prints them, and handed over :data:`ROWS_PER_PIECE`
    at a time as :class:`Markdown` (so the whole list is never in memory at once: the policies alone are 31 MB of text
    at 100k assets); true when the list has a row, as the template asks before its heading."""

    def __init__(self, any_row: bool, lines: Callable[[], Iterator[str]], per_piece: int | None = None) -> None:
        self.any_row = any_row
        self.lines = lines
        self.per_piece = per_piece
        """Lines per piece; :data:`ROWS_PER_PIECE` when not given."""

    def __bool__(self) -> bool:
        return self.any_row

    def __iter__(self) -> Iterator[Markdown]:
        lines, per_piece = self.lines(), self.per_piece or ROWS_PER_PIECE
        while piece := "".join(islice(lines, per_piece)):
            yield Markdown(piece)


class _Memo(dict[Hashable, str]):
    """``make(key)`` kept per key: the values the rows repeat (levels, rules, references, titles, measure lists) are
    looked up and escaped once each, not once per row."""

    def __init__(self, make: Callable[[Any], str]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: Hashable) -> str:
        made = self[key] = self.make(key)
        return made


class _RowWriter:
    """The lines of report.md's long lists, each written as report.md.j2 used to print it: every value the template
    printed with ``{{ }}`` goes through :func:`escape_markdown` whole, here too (a policy's requirement lines through
    :func:`_list_items`, which escapes them the same), so the bytes are the same; the tests compare them with the
    template's own rows on hostile text (tests/report/test_markdown_rows.py)."""

    def __init__(self, view: AssessmentView, label: Mapping[str, str]) -> None:
        self.view = view
        self.lang = lang = view.lang
        self.escaped = _Memo(escape_markdown)
        """Escaped text of the values that repeat (titles, rules)."""
        self.references = _Memo(lambda reference: escape_markdown(view.ref(reference)))
        self.kinds = _KindWords(view)
        self.measures = _Memo(lambda missing: escape_markdown("; ".join(view.measure_text(m) for m in missing)))
        """Escaped measure list of a finding's missing measures (a tuple of measure ids)."""
        self.areas = _Memo(lambda area: escape_markdown(AREA_LABELS[area].get(lang)))
        interrupts = label["interrupts"]
        self.interrupts_in_brackets = escape_markdown(f" ({interrupts})")
        self.interrupts_after_comma = escape_markdown(f", {interrupts}")
        self.top_threats = escape_markdown(label["top_threats"])
        self.measures_first = escape_markdown(label["measures_first"])
        self.zone_requirements = escape_markdown(label["zone_requirements"])
        self.none = escape_markdown(label["none"])
        # functions of the view and words, not bound methods: a memo holding a method of this writer would make a
        # cycle, which kept its requirement texts (23 MB at 100k assets) until the next full collection
        self.risk_levels = _Memo(partial(_risk_level, view, self.interrupts_in_brackets))
        self.policy_measures = _Memo(partial(_policy_measure, view, escape_markdown(label["cost"])))

    def finding(self, finding: Finding) -> str:
        """A row of the findings table (Step 1) or of the lifecycle gaps (Step 3)."""
        lang, subject = self.lang, finding.subject
        return (
            f"| {self.escaped[finding.title.get(lang)]}: {escape_markdown(finding.rationale.get(lang))}"
            f" | {escape_markdown(f'{self.kinds[subject.kind]} {subject.id}')} | {self.escaped[finding.rule]}"
            f" | {self.references[finding.reference]} |\n"
        )

    def plan(self, finding: Finding) -> str:
        """A row of the measures to plan: the finding and its missing measures."""
        return f"| {escape_markdown(finding.id)} | {self.measures[self.view.missing_measures(finding)]} |  |  |\n"

    def risk(self, risk: Risk) -> str:
        """A row of the ranked risks: rank, level (residual, interruption, decision), finding, subject, reason."""
        view, subject = self.view, risk.subject
        gap, decision = view.gap_of(risk.finding), view.decision_of(risk.finding)
        level = self.risk_levels[
            risk.level,
            gap.residual_level if gap else None,
            risk.interrupts_business,
            decision.status if decision else None,
        ]
        return (
            f"| {risk.rank} | {level} | {escape_markdown(risk.finding)} ({self.escaped[risk.finding_rule]};"
            f" {self.references[risk.finding_reference]}) | {escape_markdown(f'{self.kinds[subject.kind]} {subject.id}')}"
            f" | {escape_markdown(risk.reason.get(self.lang))} |\n"
        )

    def policy(self, policy: ZonePolicy) -> str:
        """A zone's policy: its heading and statement, top threats, measures first and requirements."""
        view, lang = self.view, self.lang
        level = view.value("level", policy.top_level)
        requirements = self.requirement_texts.get
        return (
            f"#### {policy.priority}. {escape_markdown(view.zone_names.get(policy.zone, policy.zone))}"
            f" ({escape_markdown(policy.zone)})"
            + (escape_markdown(f": {level}") if level else "")
            + (self.interrupts_after_comma if policy.interrupts_business else "")
            + f"\n\n{escape_markdown(policy.statement.get(lang))}\n\n"
            f"- {self.top_threats}: "
            + (escape_markdown(", ".join(policy.top_threats)) if policy.top_threats else self.none)
            + f"\n- {self.measures_first}:"
            + ("\n" if policy.measures_first else f" {self.none}\n")
            + "".join([self.policy_measures[measure.measure, measure.cost] for measure in policy.measures_first])
            + f"- {self.zone_requirements}:"
            + ("\n" if policy.requirements else f" {self.none}\n")
            + _list_items([requirements(rid, rid) for rid in policy.requirements])
            + "\n"
        )

    @cached_property
    def requirement_texts(self) -> dict[str, str]:
        """Requirement id → ``id: text`` as the policies list it (a zone's requirements within it and with the zones
        it talks to: each between-zones requirement is listed twice), made in one pass over the requirements in
        their order, which at 114k requirements costs about half of looking each up from the policies."""
        lang = self.lang
        return {r.id: f"{r.id}: {r.text.get(lang)}" for r in self.view.assessment.requirements}

    def responsibility_gaps(self, matrices: Iterable[ResponsibilityMatrix]) -> Iterator[str]:
        """Every area of an outsourced asset or operation that nobody is responsible for."""
        for matrix in matrices:
            subject = party = ""
            for cell in matrix.cells:
                if cell.source == "missing":
                    if not subject:
                        subject = escape_markdown(f"{matrix.subject_name} ({matrix.subject})")
                        party = escape_markdown(matrix.party or "")
                    yield f"| {subject} | {self.areas[cell.area]} | {party} |\n"


def _risk_level(view: AssessmentView, interrupts: str, key: tuple[str, str | None, bool, str | None]) -> str:
    """The level cell of a ranked risk: its level, then its residual level, business interruption (``interrupts``,
    escaped) and decision."""
    level, residual, interrupting, status = key
    residual_word = view.value("level", residual)
    decision = view.value("decision", status) if status is not None else ""
    return (
        escape_markdown(view.value("level", level))
        + (escape_markdown(f" → {residual_word}") if residual_word else "")
        + (interrupts if interrupting else "")
        + (escape_markdown(f" [{decision}]") if decision else "")
    )


def _policy_measure(view: AssessmentView, cost_word: str, key: tuple[str, str | None]) -> str:
    """A zone policy's line for one of its measures to take first: the measure and its cost (``cost_word``, escaped)."""
    measure, cost = key
    return (
        f"  - {escape_markdown(view.measure_text(measure))}"
        f" ({cost_word}: {escape_markdown(view.value('level', cost) or '-')})\n"
    )
