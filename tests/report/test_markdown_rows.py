"""report.md's long lists written in Python (:class:`factorysec.report.markdown._RowWriter`): the same bytes as the
template's rows they replace, user text escaped in each of them.

The reference rows below are the template's own (report.md.j2 before the lists moved to Python), rendered with
report.md's environment, whose ``finalize`` escapes every printed value: a row written in Python that skipped or
doubled an escape, or escaped a joined text differently from its parts, differs from them on the hostile names.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factorysec.analysis import Assessment, analyze
from factorysec.analysis.findings import Finding
from factorysec.analysis.lifecycle import AREA_LABELS
from factorysec.catalog import Catalog
from factorysec.catalog.models import Text
from factorysec.model import load_model
from factorysec.model.entities import FactoryModel
from factorysec.model.planfiles import Decision
from factorysec.report import markdown
from factorysec.report.markdown import Markdown, escape_markdown, render_markdown_view, write_markdown_view
from factorysec.report.view import AssessmentView
from tests.report.conftest import EXAMPLES

HOSTILE = " x|y *b* _i_ [l](u) `c` <h> #!~{}\\ line\nbreak\rcr\x1bctl\u202ebidi ->"
"""Everything Markdown reads as syntax, a line break, a carriage return, a control character and a bidi override."""

FINDINGS = """{% for f in rows %}
| {{ f.title }}: {{ f.rationale }} | {{ f.subject }} | {{ f.rule }} | {{ f.reference }} | {{ f.source }} |
{% endfor %}"""
RISKS = """{% for risk in rows %}
| {{ risk.rank }} | {{ risk.level }}{{ " → " ~ risk.residual if risk.residual else "" }}{{ " (" ~ t.interrupts ~ ")" if risk.interrupts else "" }}{{ " [" ~ risk.decision ~ "]" if risk.decision else "" }} | {{ risk.finding }} ({{ risk.rule }}; {{ risk.reference }}) | {{ risk.subject }} | {{ risk.why }} |
{% endfor %}"""
PLAN = """{% for row in rows %}
| {{ row.id }} | {{ row.measures }} |  |  |
{% endfor %}"""
POLICIES = """{% for p in rows %}
#### {{ p.priority }}. {{ p.name }} ({{ p.zone }}){{ ": " ~ p.level if p.level else "" }}{{ ", " ~ t.interrupts if p.interrupts else "" }}

{{ p.statement }}

- {{ t.top_threats }}: {{ p.threats | join(", ") if p.threats else t.none }}
- {{ t.measures_first }}:{% if not p.measures %} {{ t.none }}{% endif %}

{% for m in p.measures %}
  - {{ m.text }} ({{ t.cost }}: {{ m.cost }})
{% endfor %}
- {{ t.zone_requirements }}:{% if not p.requirements %} {{ t.none }}{% endif %}

{% for r in p.requirements %}
  - {{ r }}
{% endfor %}

{% endfor %}"""
GAPS = """{% for gap in rows %}
| {{ gap.subject }} | {{ gap.area }} | {{ gap.party }} |
{% endfor %}"""


def _hostile_model() -> FactoryModel:
    """case 2 of Annex A with every zone, asset, operation and party name ending in :data:`HOSTILE`."""
    model = load_model(EXAMPLES / "case-2-after-review.yaml")

    def renamed(elements: Any) -> list[Any]:
        return [element.model_copy(update={"name": element.name + HOSTILE}) for element in elements]

    return model.model_copy(
        update={
            "zones": renamed(model.zones),
            "assets": renamed(model.assets),
            "operations": renamed(model.operations),
            "parties": renamed(model.parties),
        }
    )


@pytest.fixture(scope="module")
def hostile(catalog: Catalog) -> tuple[FactoryModel, Assessment]:
    model = _hostile_model()
    first = analyze(model, catalog)
    decisions = [
        Decision(finding=first.risks[0].finding, status="in-progress", justification="j", owner="o"),
        Decision(finding=first.risks[1].finding, status="accepted", justification="j", owner="o"),
    ]
    assessment = analyze(model, catalog, decisions=decisions)
    return model, _with_hostile_texts(assessment)


def _hostile(text: Text) -> Text:
    return Text(en=text.en + HOSTILE, ja=text.ja + HOSTILE)


def _with_hostile_texts(assessment: Assessment) -> Assessment:
    """The assessment with :data:`HOSTILE` after the texts the names do not reach: the findings' titles and rules
    (both lists) and the risks' reasons and rules."""

    def findings(found: tuple[Finding, ...]) -> tuple[Finding, ...]:
        return tuple(f.model_copy(update={"title": _hostile(f.title), "rule": f.rule + HOSTILE}) for f in found)

    risks = tuple(
        r.model_copy(update={"reason": _hostile(r.reason), "finding_rule": r.finding_rule + HOSTILE})
        for r in assessment.risks
    )
    lifecycle = assessment.lifecycle.model_copy(update={"findings": findings(assessment.lifecycle.findings)})
    return assessment.model_copy(
        update={"findings": findings(assessment.findings), "risks": risks, "lifecycle": lifecycle}
    )


def _finding_rows(view: AssessmentView, findings: tuple[Finding, ...]) -> list[dict[str, str]]:
    return [
        {
            "title": f.title.get(view.lang),
            "rationale": f.rationale.get(view.lang),
            "subject": view.subject(f.subject.kind, f.subject.id),
            "rule": f.rule,
            "reference": view.ref(f.reference),
            "source": view.source(f.subject),
        }
        for f in findings
    ]


def _reference_rows(view: AssessmentView) -> dict[str, tuple[str, list[Any]]]:
    """Each long list's rows as the template read them, with the template's row."""
    assessment, lang = view.assessment, view.lang
    risks = markdown._risk_rows(view, assessment.risks)  # the row dicts the template read, kept for the top five
    policies = [
        {
            "priority": policy.priority,
            "zone": policy.zone,
            "name": view.zone_names.get(policy.zone, policy.zone),
            "level": view.value("level", policy.top_level),
            "interrupts": policy.interrupts_business,
            "statement": policy.statement.get(lang),
            "threats": list(policy.top_threats),
            "measures": [
                {"text": view.measure_text(m.measure), "cost": view.value("level", m.cost) or "-"}
                for m in policy.measures_first
            ],
            "requirements": [
                f"{rid}: {view.requirements[rid].text.get(lang)}" if rid in view.requirements else rid
                for rid in policy.requirements
            ],
        }
        for policy in assessment.policies
    ]
    gaps = [
        {
            "subject": f"{matrix.subject_name} ({matrix.subject})",
            "area": AREA_LABELS[cell.area].get(lang),
            "party": matrix.party or "",
        }
        for matrix in assessment.lifecycle.responsibilities
        for cell in matrix.cells
        if cell.source == "missing"
    ]
    plan = [
        {"id": f.id, "measures": "; ".join(view.measure_text(m) for m in view.missing_measures(f))}
        for f in assessment.findings
    ]
    return {
        "findings": (FINDINGS, _finding_rows(view, assessment.findings)),
        "lifecycle": (FINDINGS, _finding_rows(view, assessment.lifecycle.findings)),
        "risks": (RISKS, risks),
        "plan": (PLAN, plan),
        "policies": (POLICIES, policies),
        "gaps": (GAPS, gaps),
    }


def _render(source: str, rows: list[Any], label: Mapping[str, str]) -> str:
    return markdown._environment().from_string(source).render(rows=rows, t=label)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_lists_written_in_python_hold_the_template_rows_on_hostile_text(
    hostile: tuple[FactoryModel, Assessment], catalog: Catalog, lang: str
) -> None:
    model, assessment = hostile
    view = AssessmentView(assessment, model, catalog, lang)
    report = render_markdown_view(view)
    label = view.labels("markdown")
    reference = _reference_rows(view)
    for name, (source, rows) in reference.items():
        assert rows, name  # the hostile plant has rows in every list
        expected = _render(source, rows, label)
        assert expected in report, name
    assert any(row["decision"] for row in reference["risks"][1])
    assert any(row["residual"] for row in reference["risks"][1])
    assert "[" + HOSTILE not in report and HOSTILE.strip() not in report
    assert escape_markdown(HOSTILE) in report


def test_every_hostile_row_keeps_its_cells(hostile: tuple[FactoryModel, Assessment], catalog: Catalog) -> None:
    """No line of the long lists is broken by the names: each table row has as many unescaped bars as its header."""
    model, assessment = hostile
    report = render_markdown_view(AssessmentView(assessment, model, catalog, "en"))
    header_bars = 0
    for line in report.splitlines():
        bars = line.count("|") - line.count("\\|")
        if line.startswith("|---"):
            continue
        if line.startswith("| ") and header_bars == 0:
            header_bars = bars
        elif line.startswith("| "):
            assert bars == header_bars, line
        else:
            header_bars = 0
        assert "\x1b" not in line and "\u202e" not in line and "\r" not in line


@given(st.lists(st.text(alphabet=st.sampled_from("ab _*\\`{}[]<>#|!~→ゾ\n\r\t\x1b\u202e"), max_size=12), max_size=6))
def test_list_items_escape_each_text_as_escape_markdown_does(texts: list[str]) -> None:
    """The zone policies' requirement lines, escaped together when printable, are each text escaped on its own."""
    expected = "".join(f"  - {escape_markdown(text)}\n" for text in texts)
    assert markdown._list_items(texts) == expected


def test_markdown_text_is_printed_as_is_and_plain_text_escaped() -> None:
    assert escape_markdown(Markdown("| a *b* |\n")) == "| a *b* |\n"
    assert escape_markdown("| a *b* |\n") == "\\| a \\*b\\* \\|<br>"


def _reference_groups(view: AssessmentView, label: Mapping[str, str]) -> list[dict[str, str]]:
    """The open checklist groups as report.md made them before: every item's asset appended to its group."""
    groups: dict[tuple[str, str, str], list[Any]] = {}
    for item in view.assessment.lifecycle.checklists.open_items:
        group = groups.setdefault((item.kind, item.item, item.answer or ""), [item, []])
        group[1].append(item.asset)
    return [
        {
            "checklist": view.value("checklist_kind", first.kind),
            "item": first.title.get(view.lang),
            "answer": view.value("answer", first.answer),
            "assets": label["grouped_items"].format(n=len(assets))
            + ": "
            + ", ".join(assets[:10])
            + (" …" if len(assets) > 10 else ""),
        }
        for first, assets in groups.values()
    ]


@pytest.mark.parametrize("rounds", [1, 3, 14])
def test_open_item_groups_count_every_item_and_name_the_first_ten(
    hostile: tuple[FactoryModel, Assessment], catalog: Catalog, rounds: int
) -> None:
    """Groups of 1 to 14 rounds of the plant's open items, answers unset, empty or given (unset and empty group
    together), one group first seen last: the same groups, sizes and first assets as appending every item gave."""
    model, assessment = hostile
    items = assessment.lifecycle.checklists.open_items
    answers = (None, "", "no")
    many = tuple(
        item.model_copy(update={"asset": f"{item.asset}-{n}", "answer": answers[(n + i) % 3]})
        for n in range(rounds)
        for i, item in enumerate(items)
    )
    late = items[0].model_copy(update={"item": "late-item", "asset": "last-asset"})
    checklists = assessment.lifecycle.checklists.model_copy(update={"open_items": (*many, late)})
    lifecycle = assessment.lifecycle.model_copy(update={"checklists": checklists})
    view = AssessmentView(assessment.model_copy(update={"lifecycle": lifecycle}), model, catalog, "en")
    label = view.labels("markdown")
    groups = markdown._open_item_groups(view, label)
    assert groups == _reference_groups(view, label)
    assert groups[-1]["assets"].endswith(": last-asset")
    assert rounds < 11 or any(group["assets"].endswith(" …") for group in groups)


def test_the_row_writer_is_freed_as_soon_as_the_file_is_written(
    hostile: tuple[FactoryModel, Assessment], catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No reference cycle keeps the row writer (and the requirement texts it holds) alive until a full collection."""
    model, assessment = hostile
    made: list[weakref.ref[markdown._RowWriter]] = []

    class Recorded(markdown._RowWriter):
        def __init__(self, view: AssessmentView, label: Mapping[str, str]) -> None:
            super().__init__(view, label)
            made.append(weakref.ref(self))

    monkeypatch.setattr(markdown, "_RowWriter", Recorded)
    view = AssessmentView(assessment, model, catalog, "en")
    gc.collect()
    gc.disable()
    try:
        write_markdown_view(view, tmp_path / "report.md")
        assert len(made) == 1
        assert made[0]() is None
    finally:
        gc.enable()
