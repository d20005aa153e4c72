"""report.html: one self-contained file with the summary, the steps and their departments, every zone, and escaped text."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from markupsafe import escape

from factorysec.analysis import Assessment
from factorysec.analysis.risk import LEVEL_RANK
from factorysec.catalog import Catalog
from factorysec.model import LoadedModel
from factorysec.report.diagram import render_svg
from factorysec.report.glossary import reference
from factorysec.report.html import (
    DIAGRAM_FILE,
    REPORT_FILE,
    build_view,
    render_html,
    write_html_report,
)

Annex = Callable[[str], tuple[LoadedModel, Assessment]]


def _html(loaded: LoadedModel, assessment: Assessment, catalog: Catalog, lang: str = "en") -> str:
    view = build_view(
        loaded.model,
        assessment,
        catalog,
        lang=lang,
        diagram_svg=render_svg(loaded.model, assessment),
        change_title=loaded.change_title,
    )
    return render_html(view)


def _section(page: str, section_id: str) -> str:
    """The markup of one top-level section, up to the next one."""
    start = page.index(f'<section id="{section_id}"')
    following = page.find("\n<section id=", start + 1)
    return page[start : following if following != -1 else len(page)]


def test_writes_report_and_diagram(annex: Annex, catalog: Catalog, tmp_path: Path) -> None:
    loaded, assessment = annex("current")
    written = write_html_report(loaded, assessment, tmp_path / "out", "en", catalog)
    assert [p.name for p in written] == [REPORT_FILE, DIAGRAM_FILE]
    assert written[1].read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert "<svg" in written[0].read_text(encoding="utf-8")


def test_page_is_self_contained(annex: Annex, catalog: Catalog) -> None:
    page = _html(*annex("case-2-after-review.yaml"), catalog)
    assert re.search(r"<(link|img|iframe|object|embed)\b", page) is None
    assert re.search(r"<script[^>]*\bsrc=", page) is None
    assert "@import" not in page and "url(" not in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in html.unescape(page)
    assert page.count("<svg") == 1


def test_summary_counts_and_top_items(annex: Annex, catalog: Catalog) -> None:
    loaded, assessment = annex("case-2-first-added.yaml")
    summary = _section(_html(loaded, assessment, catalog), "summary")
    assert f'data-count="zones"><span class="num">{len(loaded.model.zones)}<' in summary
    assert f'data-count="findings"><span class="num">{len(assessment.findings)}<' in summary
    assert assessment.findings, "case (ii) first added should produce a finding"
    first = next(f for f in assessment.findings if not f.advisory)
    assert first.rule in summary and first.reference.replace("'", "&#39;") in summary


def test_every_finding_shows_rule_id_and_reference(annex: Annex, catalog: Catalog) -> None:
    loaded, assessment = annex("case-2-first-added.yaml")
    page = _html(loaded, assessment, catalog)
    for finding in assessment.findings:
        items = re.findall(
            rf'<li class="finding[^"]*" data-finding="{re.escape(finding.id)}">(.*?)</li>', page, re.DOTALL
        )
        assert items, f"{finding.id} not shown"
        for item in items:
            assert (
                finding.rule in item
                and finding.reference in item
                and finding.rationale.en in item.replace("&#39;", "'")
            )


def test_steps_address_their_departments_and_references(annex: Annex, catalog: Catalog) -> None:
    page = _html(*annex("current"), catalog)
    for step_id in ("step-1", "step-2", "step-3"):
        step = catalog.steps[step_id]
        section = _section(page, step_id)
        shown = set(re.findall(r'data-audience="([a-z0-9-]+)"', section))
        assert shown == set(step.audiences)
        assert set(re.findall(r'data-reference="([a-z0-9-]+)"', section)) == {r.id for r in step.references}
    assert 'data-audience="audit"' in _section(page, "step-1") and 'data-audience="audit"' not in _section(
        page, "step-2"
    )
    assert 'data-audience="vendors"' in _section(page, "step-3")


STEP_2_FIELDS = (
    "entry_points",
    "paths",
    "risks",
    "gaps",
    "security_levels",
    "policies",
    "decisions",
    "stale_decisions",
)


def test_steps_without_results_say_so(annex: Annex, catalog: Catalog) -> None:
    loaded, assessment = annex("current")
    assert "not-assessed" not in _section(_html(loaded, assessment, catalog), "step-2")
    empty = assessment.model_copy(update={**dict.fromkeys(STEP_2_FIELDS, ()), "exposure": {}, "scoring": None})
    assert "not-assessed" in _section(_html(loaded, empty, catalog), "step-2")


def test_step_one_tables_show_importance_with_reasons(annex: Annex, catalog: Catalog) -> None:
    loaded, assessment = annex("current")
    section = _section(_html(loaded, assessment, catalog), "step-1")
    for operation in loaded.model.operations:
        assert f'id="operation-{operation.id}"' in section
    for asset in loaded.model.assets:
        assert f'id="asset-{asset.id}"' in section
    reason = assessment.importance.zones["production-control"].overall.reason.en
    assert reason.replace("'", "&#39;") in section
    for requirement in assessment.requirements:
        assert f"<code>{escape(requirement.id)}</code>" in section


def test_zone_sections_hold_assets_operations_conduits_findings_requirements(annex: Annex, catalog: Catalog) -> None:
    loaded, assessment = annex("case-2-first-added.yaml")
    page = _html(loaded, assessment, catalog)
    zone_finding = next(f for f in assessment.findings if f.subject.kind == "zone")
    zone_id = zone_finding.subject.id
    article = page[page.index(f'id="zone-{zone_id}"') :]
    article = article[: article.index("</article>")]
    for asset in loaded.model.assets:
        if asset.zone == zone_id:
            assert asset.name in article
    for conduit in loaded.model.conduits:
        if zone_id in (conduit.from_zone, conduit.to_zone):
            assert f"<code>{conduit.id}</code>" in article
    assert zone_finding.rule in article
    assert any(f"<code>{escape(r.id)}</code>" in article for r in assessment.requirements if r.subject.id == zone_id)


def test_user_text_is_escaped(synthetic: Callable[..., tuple[LoadedModel, Assessment]], catalog: Catalog) -> None:
    loaded, assessment = synthetic(3, name="<script>alert(1)</script>")
    page = _html(loaded, assessment, catalog)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<script") == 1


def test_japanese_page(annex: Annex, catalog: Catalog) -> None:
    loaded, assessment = annex("current")
    page = _html(loaded, assessment, catalog, "ja")
    assert '<html lang="ja">' in page
    assert "Noto Sans CJK JP" in page
    assert catalog.steps["step-2"].title.ja in page
    assert catalog.audience_groups["dx"].title.ja in page
    assert assessment.importance.zones["oa"].overall.reason.ja in page
    assert "Executive summary" not in page
    assert '<html lang="en">' in _html(loaded, assessment, catalog, "en")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_purposes_of_smartification_have_their_own_table(annex: Annex, catalog: Catalog, lang: str) -> None:
    """Table 3-1's purposes: one row each, with its title, operations and zones named, in the page's language."""
    loaded, assessment = annex("current")
    assert assessment.purposes
    further = _section(_html(loaded, assessment, catalog, lang), "further")
    assert 'data-field="purposes"' in further and 'class="generic"' not in further
    for purpose in assessment.purposes:
        assert f'data-purpose="{purpose.purpose}"' in further
        assert purpose.title.get(lang) in further
        for operation in purpose.operations:
            assert f'href="#operation-{operation}"' in further


def test_large_factories_scroll_the_diagram_at_natural_size(
    synthetic: Callable[..., tuple[LoadedModel, Assessment]], catalog: Catalog
) -> None:
    assert "diagram-large" in _section(_html(*synthetic(80), catalog), "diagram")
    assert "diagram-large" not in _section(_html(*synthetic(8), catalog), "diagram")


def test_element_ids_are_unique(annex: Annex, catalog: Catalog) -> None:
    page = _html(*annex("all-cases-reviewed.yaml"), catalog)
    ids = re.findall(r'\bid="([^"]+)"', page)
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert duplicates == []


def test_every_step_one_finding_appears_in_the_step_one_section(annex: Annex, catalog: Catalog) -> None:
    loaded, assessment = annex("case-1-first-added.yaml")
    section = _section(_html(loaded, assessment, catalog), "step-1")
    assert len({f.category for f in assessment.findings}) > 1
    for finding in assessment.findings:
        if finding.category not in ("lifecycle", "supply-chain"):
            assert f'data-finding="{finding.id}"' in section


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_step_three_shows_the_lifecycle_results(annex: Annex, catalog: Catalog, lang: str) -> None:
    loaded, assessment = annex("all-cases-reviewed.yaml")
    section = _section(_html(loaded, assessment, catalog, lang), "step-3")
    assert "not-assessed" not in section and 'data-field="lifecycle"' in section
    assert assessment.lifecycle.findings
    for finding in assessment.lifecycle.findings:
        item = section[section.index(f'data-finding="{finding.id}"') :]
        item = item[: item.index("</li>")]
        assert finding.rule in item and reference(finding.reference, lang) in item
    for checklist in assessment.lifecycle.checklists.checklists:
        assert checklist.asset_name in section
    assert ("incident response" if lang == "en" else "インシデント対応") in section
    assert ("Maturity (Table 3-9)" if lang == "en" else "成熟度（表3-9）") in section


def _plan_section(page: str) -> str:
    start = page.index('data-field="security_plan"')
    return page[start : page.index("</section>", start)]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_step_two_plan_section_for_case_two(annex: Annex, catalog: Catalog, lang: str) -> None:
    loaded, assessment = annex("case-2-after-review.yaml")
    page = _html(loaded, assessment, catalog, lang)
    step2 = _section(page, "step-2")
    assert step2.count('class="extra"') == 1, "Step 2 fields are grouped into one section"
    plan = _plan_section(step2)
    rows = re.findall(r'<tr id="risk-([^"]+)" data-risk="[^"]+" data-level="([a-z]+)"', plan)
    assert rows == [(r.finding, r.level) for r in assessment.risks]
    first = plan[plan.index('id="risk-THREAT-EXTERNAL-NETWORK@warehouse-to-remote-maintenance"') :]
    first = first[: first.index("</tr>")]
    assert (
        'data-level="high"' in first
        and "THREAT-EXTERNAL-NETWORK" in first
        and ("Appendix" if lang == "en" else "別冊") in first
    )
    assert 'href="#conduit-warehouse-to-remote-maintenance"' in first
    external = next(
        r for r in assessment.risks if r.finding == "THREAT-EXTERNAL-NETWORK@warehouse-to-remote-maintenance"
    )
    assert external.reason.get(lang).replace("'", "&#39;") in first
    order = [(-LEVEL_RANK[r.level], not r.interrupts_business) for r in assessment.risks]
    assert order == sorted(order), "level first, business interruption first within a level"
    assert 'data-zones="warehouse-zone production-control production"' in plan
    path = plan[plan.index('data-zones="warehouse-zone production-control production"') :]
    hops = path[path.index('<div class="hops">') : path.index("</li>")]
    zone_name = {z.id: z.name for z in loaded.model.zones}
    positions = [hops.index(f">{zone_name[z]}</a>") for z in ("warehouse-zone", "production-control", "production")]
    assert positions == sorted(positions)
    assert "<code>warehouse-to-control</code>" in path and "<code>control-to-production</code>" in path
    for gap in (g for g in assessment.gaps if g.missing):
        row = plan[plan.index(f'data-gap="{gap.finding}"') :]
        row = row[: row.index("</tr>")]
        for measure_id in gap.missing:
            measure = catalog.measures[measure_id]
            assert str(escape(measure.title.get(lang))) in row
            assert all(sr in row for sr in measure.iec62443_sr) and all(csf in row for csf in measure.nist_csf)
    cards = re.findall(r'data-policy="([^"]+)" data-priority="(\d+)"', plan)
    assert cards == [(p.zone, str(p.priority)) for p in assessment.policies]
    top = assessment.policies[0]
    card = plan[plan.index(f'data-policy="{top.zone}"') :]
    card = card[: card.index("</article>")]
    assert all(f"<code>{f}</code>" in card for f in top.top_threats)
    assert all(str(escape(catalog.measures[m.measure].title.get(lang))) in card for m in top.measures_first)
    assert all(f"<code>{escape(r)}</code>" in card for r in top.requirements)
    for entry in assessment.entry_points:
        assert f'data-entry="{entry.element}"' in plan


def test_summary_first_findings_follow_the_risk_ranking(annex: Annex, catalog: Catalog) -> None:
    loaded, assessment = annex("case-2-after-review.yaml")
    summary = _section(_html(loaded, assessment, catalog), "summary")
    shown = re.findall(r'data-top-risk="([^"]+)"', summary)
    assert shown == [r.finding for r in assessment.risks[:5]]
    ranked = {r.finding: r.rank for r in assessment.risks}
    view = build_view(loaded.model, assessment, catalog, lang="en", diagram_svg="")
    risk_order = [ranked[f.id] for f in view.top_findings if f.id in ranked]
    assert risk_order == sorted(risk_order) and risk_order[0] == 1


def test_decisions_and_stale_decisions_are_shown(annex: Annex, catalog: Catalog) -> None:
    from factorysec.analysis.decisions import AppliedDecision, StaleDecision

    loaded, assessment = annex("case-2-after-review.yaml")
    risk = assessment.risks[0]
    decided = assessment.model_copy(
        update={
            "decisions": (
                AppliedDecision(
                    finding=risk.finding,
                    status="in-progress",
                    justification="VPN <MFA> ordered",
                    owner="IT & security",
                    source="decisions.yaml:3",
                ),
            ),
            "stale_decisions": (
                StaleDecision(
                    finding="THREAT-GONE@nowhere", status="accepted", owner="Plant", source="decisions.yaml:9"
                ),
            ),
        }
    )
    plan = _plan_section(_html(loaded, decided, catalog))
    row = plan[plan.index(f'data-decision="{risk.finding}"') :]
    assert "VPN &lt;MFA&gt; ordered" in row[: row.index("</tr>")] and "IT &amp; security" in row
    assert 'data-stale="THREAT-GONE@nowhere"' in plan
