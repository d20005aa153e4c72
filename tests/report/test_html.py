"""report.html and its pages: a bounded summary (actions, charts, top zones and risks, Step 3 status) linking to a page per
zone, the step pages and the purposes page; every page self-contained, every link resolving, every text escaped."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

import pytest
from markupsafe import escape

from factorysec.analysis import Assessment, analyze
from factorysec.analysis.importance import all_ratings
from factorysec.analysis.risk import LEVEL_RANK
from factorysec.catalog import Catalog
from factorysec.model import LoadedModel, load_model_with_sources
from factorysec.report.glossary import labels, reference
from factorysec.report.html import (
    DIAGRAM_FILE,
    PAGE_FILES,
    REPORT_FILE,
    TOP_RISKS,
    TOP_ZONES,
    build_view,
    render_html,
    write_html_report,
)

Annex = Callable[[str], tuple[LoadedModel, Assessment]]
Synthetic = Callable[..., tuple[LoadedModel, Assessment]]
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def write_pages(
    loaded: LoadedModel, assessment: Assessment, catalog: Catalog, out: Path, lang: str = "en"
) -> dict[str, str]:
    """Every page written, by its path in the report folder (``report.html``, ``zones/oa.html`` ...)."""
    written = write_html_report(loaded, assessment, out, lang, catalog)
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in written if p.suffix == ".html"}


def _section(page: str, section_id: str) -> str:
    """The markup of one top-level section, up to the next one."""
    start = page.index(f'<section id="{section_id}"')
    following = page.find("\n<section id=", start + 1)
    return page[start : following if following != -1 else len(page)]


def broken_links(out: Path, pages: dict[str, str]) -> list[str]:
    """Links of the pages that lead to no file of the folder, or to an id the page they lead to does not have."""
    ids: dict[str, set[str]] = {}
    broken = []
    for name, page in pages.items():
        for href in re.findall(r'href="([^"]+)"', page):
            href = html.unescape(href)
            target, _, fragment = href.partition("#")
            resolved = (out / name).parent / unquote(target) if target else out / name
            try:
                key = resolved.resolve().relative_to(out.resolve()).as_posix()
            except ValueError:
                broken.append(f"{name}: {href} leaves the folder")
                continue
            if not resolved.is_file():
                broken.append(f"{name}: {href}")
            elif fragment and key.endswith(".html"):
                if key not in ids:
                    ids[key] = set(re.findall(r'\bid="([^"]+)"', resolved.read_text(encoding="utf-8")))
                if fragment not in {html.unescape(i) for i in ids[key]}:
                    broken.append(f"{name}: {href} (no such id)")
    return broken


@pytest.fixture
def pages(annex: Annex, catalog: Catalog, tmp_path: Path) -> Callable[..., dict[str, str]]:
    def write(example: str, lang: str = "en") -> dict[str, str]:
        return write_pages(*annex(example), catalog, tmp_path / f"{example}-{lang}", lang)

    return write


def test_writes_the_summary_its_pages_and_a_page_per_zone(annex: Annex, catalog: Catalog, tmp_path: Path) -> None:
    loaded, assessment = annex("current")
    written = write_html_report(loaded, assessment, tmp_path / "out", "en", catalog)
    names = [p.relative_to(tmp_path / "out").as_posix() for p in written]
    assert names[:2] == [REPORT_FILE, DIAGRAM_FILE]
    assert set(names) == {*PAGE_FILES, DIAGRAM_FILE, *(f"zones/{z.id}.html" for z in loaded.model.zones)}
    assert written[1].read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_every_page_is_self_contained_and_every_link_resolves(
    pages: Callable[..., dict[str, str]], tmp_path: Path
) -> None:
    written = pages("case-2-after-review.yaml")
    for name, page in written.items():
        assert re.search(r"<(link|img|iframe|object|embed)\b", page) is None, name
        assert re.search(r"<script[^>]*\bsrc=", page) is None, name
        assert "@import" not in page and "url(" not in page, name
        assert "Content-Security-Policy" in page and "default-src 'none'" in html.unescape(page), name
        assert re.search(r'href="(https?:|//|javascript:)', page) is None, name
    assert broken_links(tmp_path / "case-2-after-review.yaml-en", written) == []
    summary = written[REPORT_FILE]
    assert summary.count('<div class="diagram"><svg') == 1 and 'id="risk-matrix"' in summary


def test_the_link_check_finds_a_broken_link(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text('<p id="x"></p>', encoding="utf-8")
    pages = {"a.html": '<a href="a.html#x">ok</a><a href="b.html">gone</a><a href="a.html#y">no id</a>'}
    assert broken_links(tmp_path, pages) == ["a.html: b.html", "a.html: a.html#y (no such id)"]


def test_summary_counts_and_top_items(pages: Callable[..., dict[str, str]], annex: Annex) -> None:
    loaded, assessment = annex("case-2-first-added.yaml")
    summary = _section(pages("case-2-first-added.yaml")[REPORT_FILE], "summary")
    assert f'data-count="zones"><span class="num">{len(loaded.model.zones)}<' in summary
    assert f'data-count="findings"><span class="num">{len(assessment.findings)}<' in summary


def test_the_action_list_comes_first_with_what_each_action_resolves(
    pages: Callable[..., dict[str, str]], annex: Annex, catalog: Catalog
) -> None:
    loaded, assessment = annex("case-2-after-review.yaml")
    summary = pages("case-2-after-review.yaml")[REPORT_FILE]
    assert assessment.actions
    main = summary[summary.index("<main>") :]
    assert main.index('id="actions"') < main.index('id="charts"') < main.index('id="top"')
    actions = _section(summary, "actions")
    assert re.findall(r'data-action="([^"]+)"', actions) == [a.id for a in assessment.actions]
    names = {d.id: d.name for d in loaded.model.departments}
    for action in assessment.actions:
        item = actions[actions.index(f'data-action="{action.id}"') :]
        item = item[: item.index("</li>\n")]
        assert str(escape(action.title.en)) in item and str(escape(action.summary.en)) in item
        for finding in action.findings[:8]:
            assert f"<code>{escape(finding)}</code>" in item
        for department in action.departments:
            shown = names.get(department) or catalog.department_kinds[department].title.en
            assert f'data-department="{department}"><bdi>{escape(shown)}</bdi><' in item
        for removed in action.removes[:8]:
            assert f'<code>{escape(removed.finding)}</code></a> <span class="level level-{removed.before}">' in item
        for requirement in action.requirements[:8]:
            assert f"<code>{escape(requirement)}</code>" in item
        if len(action.findings) > 8:
            assert f"and {len(action.findings) - 8} more" in item


def test_action_findings_link_to_the_page_that_shows_them(pages: Callable[..., dict[str, str]], annex: Annex) -> None:
    _, assessment = annex("case-2-after-review.yaml")
    written = pages("case-2-after-review.yaml")
    actions = _section(written[REPORT_FILE], "actions")
    links = re.findall(r'<a href="([^"#]+)#findings"><code>([^<]+)</code></a>', actions)
    assert links
    for target, finding in links:
        assert f'data-finding="{html.unescape(finding)}"' in written[target].replace("&#39;", "'")


def test_risk_matrix_counts_every_risk_in_its_cell(pages: Callable[..., dict[str, str]], annex: Annex) -> None:
    _, assessment = annex("case-2-after-review.yaml")
    chart = _section(pages("case-2-after-review.yaml")[REPORT_FILE], "charts")
    cells = re.findall(r'data-likelihood="(\d)" data-impact="(\d)" data-count="(\d+)"', chart)
    assert len(cells) == 16
    counted = {(int(lk), int(im)): int(n) for lk, im, n in cells}
    expected: dict[tuple[int, int], int] = {}
    for risk in assessment.risks:
        cell = (risk.likelihood, min(max(-int(-risk.impact // 1), 1), 4))
        expected[cell] = expected.get(cell, 0) + 1
    assert {cell: n for cell, n in counted.items() if n} == expected
    assert sum(counted.values()) == len(assessment.risks) > 0


def test_zone_importance_chart_shows_each_axis_of_the_top_zones(
    pages: Callable[..., dict[str, str]], annex: Annex
) -> None:
    _, assessment = annex("current")
    chart = _section(pages("current")[REPORT_FILE], "charts")
    cells = re.findall(r'data-zone="([^"]+)" data-axis="([a-z_]+)" data-level="([a-z]+)"', chart)
    zones = list(dict.fromkeys(zone for zone, _, _ in cells))
    assert zones and len(zones) <= TOP_ZONES
    for zone, axis, level in cells:
        rating = all_ratings(assessment.importance.zones[zone]).get(axis)
        assert level == (rating.level.value if rating and rating.level else "none")
    ranks = [assessment.importance.zones[z].overall.level.rank for z in zones]  # type: ignore[union-attr]
    assert ranks == sorted(ranks, reverse=True)


def test_step_three_progress_chart(pages: Callable[..., dict[str, str]], annex: Annex) -> None:
    _, assessment = annex("all-cases-reviewed.yaml")
    chart = _section(pages("all-cases-reviewed.yaml")[REPORT_FILE], "charts")
    bars = dict(
        (key, (int(done), int(total)))
        for key, done, total in re.findall(r'data-progress="([a-z]+)" data-done="(\d+)" data-total="(\d+)"', chart)
    )
    lifecycle = assessment.lifecycle
    entries = [e for c in lifecycle.checklists.checklists for e in c.entries]
    assert bars["checklists"] == (sum(1 for e in entries if e.answer is not None), len(entries))
    assert bars["ooda"] == (sum(1 for c in lifecycle.ooda if c.source == "declared"), len(lifecycle.ooda))
    assert len(re.findall(r"data-maturity=", chart)) == len(lifecycle.maturity)


def test_the_summary_stays_small_on_a_large_plant(synthetic: Synthetic, catalog: Catalog, tmp_path: Path) -> None:
    loaded, assessment = synthetic(400)
    written = write_pages(loaded, assessment, catalog, tmp_path / "big")
    summary = written[REPORT_FILE]
    assert len(re.findall(r"data-top-zone=", summary)) == TOP_ZONES
    assert len(re.findall(r"data-top-risk=", summary)) == min(TOP_RISKS, len(assessment.risks))
    assert "data-finding=" not in summary and "<table" not in summary
    assert len(summary.encode("utf-8")) < 200_000
    zone_pages = [page for name, page in written.items() if name.startswith("zones/")]
    assert len(zone_pages) == 8  # past 200 zones, a page per group of at most 50 zones of one kind
    assert sum(page.count('<article class="zone') for page in zone_pages) == 400
    small = write_pages(*synthetic(8), catalog, tmp_path / "small")[REPORT_FILE]
    assert len(summary) < 3 * len(small)


def test_every_finding_shows_rule_id_and_reference_on_some_page(
    pages: Callable[..., dict[str, str]], annex: Annex
) -> None:
    loaded, assessment = annex("case-2-first-added.yaml")
    written = pages("case-2-first-added.yaml")
    for finding in [*assessment.findings, *assessment.lifecycle.findings]:
        items = [
            item
            for page in written.values()
            for item in re.findall(
                rf'<li class="finding[^"]*" data-finding="{re.escape(str(escape(finding.id)))}">(.*?)</li>',
                page,
                re.DOTALL,
            )
        ]
        assert items, f"{finding.id} not shown"
        for item in items:
            text = html.unescape(re.sub(r"<[^>]*>", "", item))  # the text, without its words' and names' markup
            assert finding.rule in text and finding.reference in text and finding.rationale.en in text


def test_zone_pages_hold_assets_conduits_findings_requirements_risks_and_gaps(
    pages: Callable[..., dict[str, str]], annex: Annex
) -> None:
    loaded, assessment = annex("case-2-after-review.yaml")
    written = pages("case-2-after-review.yaml")
    risk_zone = {r.finding: r for r in assessment.risks}
    for zone in loaded.model.zones:
        page = written[f"zones/{zone.id}.html"]
        assert f"<h1><bdi>{escape(zone.name)}</bdi>" in page
        for asset in loaded.model.assets:
            if asset.zone == zone.id:
                assert f'id="asset-{asset.id}"' in page
        for conduit in loaded.model.conduits:
            if zone.id in (conduit.from_zone, conduit.to_zone):
                assert f"<code>{conduit.id}</code>" in page
        shown = set(re.findall(r'data-finding="([^"]+)"', page))
        for finding in assessment.findings:
            if finding.subject.kind == "zone" and finding.subject.id == zone.id:
                assert finding.id in shown
        risks = re.findall(r'data-zone-risk="([^"]+)"', page)
        assert risks == sorted((f for f in shown if f in risk_zone), key=lambda f: risk_zone[f].rank)
        for requirement in assessment.requirements:
            if requirement.subject.id == zone.id:
                assert f"<code>{escape(requirement.id)}</code>" in page
    production = written["zones/production-control.html"]
    gaps = re.findall(r'data-zone-gap="([^"]+)"', production)
    assert gaps and all(g in re.findall(r'data-finding="([^"]+)"', production) for g in gaps)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_zone_pages_give_importance_per_axis_with_reasons_and_the_location(
    catalog: Catalog, tmp_path: Path, lang: str
) -> None:
    loaded = load_model_with_sources(EXAMPLES / "food-batch" / "factory.yaml")
    assessment = analyze(loaded.model, catalog)
    written = write_pages(loaded, assessment, catalog, tmp_path / lang, lang)
    zone = next(z for z in loaded.model.zones if z.location is not None and z.recovery_target_hours is not None)
    page = written[f"zones/{zone.id}.html"]
    parts = (zone.location.site, zone.location.building, zone.location.area)  # type: ignore[union-attr]
    place = " / ".join(f"<bdi>{escape(p)}</bdi>" for p in parts if p)
    assert f'<span class="location">{place}</span>' in page
    assert labels("html", lang)["hours"].format(h=f"{zone.recovery_target_hours:g}") in page
    importance = page[page.index('id="importance"') : page.index('id="assets"')]
    for axis, rating in all_ratings(assessment.importance.zones[zone.id]).items():
        row = importance[importance.index(axis) :]
        assert str(escape(rating.reason.get(lang))) in row[: row.index("</tr>")]
    for asset in (a for a in loaded.model.assets if a.zone == zone.id):
        row = page[page.index(f'id="asset-{asset.id}"') :]
        row = row[: row.index("</tr>")]
        for rating in all_ratings(assessment.importance.assets[asset.id]).values():
            if rating.level is not None:
                assert str(escape(rating.reason.get(lang))) in row


def test_steps_address_their_departments_and_references(pages: Callable[..., dict[str, str]], catalog: Catalog) -> None:
    written = pages("current")
    for step_id in ("step-1", "step-2", "step-3"):
        step = catalog.steps[step_id]
        section = _section(written[f"{step_id}.html"], step_id)
        assert set(re.findall(r'data-audience="([a-z0-9-]+)"', section)) == set(step.audiences)
        assert set(re.findall(r'data-reference="([a-z0-9-]+)"', section)) == {r.id for r in step.references}
        assert f'href="{step_id}.html"' in written[REPORT_FILE]
    assert 'data-audience="audit"' in written["step-1.html"] and 'data-audience="audit"' not in written["step-2.html"]
    assert 'data-audience="vendors"' in written["step-3.html"]


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


def test_steps_without_results_say_so(annex: Annex, catalog: Catalog, tmp_path: Path) -> None:
    loaded, assessment = annex("current")
    assert "not-assessed" not in write_pages(loaded, assessment, catalog, tmp_path / "a")["step-2.html"]
    empty = assessment.model_copy(update={**dict.fromkeys(STEP_2_FIELDS, ()), "exposure": {}, "scoring": None})
    written = write_pages(loaded, empty, catalog, tmp_path / "b")
    assert "not-assessed" in written["step-2.html"]
    assert "No ranked risk yet." in written[REPORT_FILE]


def test_step_one_page_lists_operations_every_zone_and_what_no_zone_page_shows(
    pages: Callable[..., dict[str, str]], annex: Annex
) -> None:
    loaded, assessment = annex("current")
    page = pages("current")["step-1.html"]
    for operation in loaded.model.operations:
        assert f'id="operation-{operation.id}"' in page
    for zone in loaded.model.zones:
        row = page[page.index(f'<tr data-zone="{zone.id}">') :]
        assert f'href="zones/{zone.id}.html"' in row[: row.index("</tr>")]
    other = _section(page, "step-1")
    zone_kinds = {"zone", "asset", "conduit"}
    for finding in assessment.findings:
        if finding.subject.kind not in zone_kinds:
            assert f'data-finding="{escape(finding.id)}"' in other


def test_user_text_is_escaped(synthetic: Synthetic, catalog: Catalog, tmp_path: Path) -> None:
    loaded, assessment = synthetic(3, name="<script>alert(1)</script>")
    written = write_pages(loaded, assessment, catalog, tmp_path / "out")
    for name in (REPORT_FILE, "step-1.html", "zones/z0.html"):
        page = written[name]
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert page.count("<script") == 1


def test_japanese_pages(pages: Callable[..., dict[str, str]], annex: Annex, catalog: Catalog) -> None:
    _, assessment = annex("current")
    written = pages("current", "ja")
    summary = written[REPORT_FILE]
    japanese = labels("html", "ja")
    assert '<html lang="ja">' in summary and "Noto Sans CJK JP" in summary
    for key in ("actions", "charts", "ch_matrix", "ch_zone_axes", "ch_progress", "top_risks", "step3_status", "pages"):
        assert japanese[key] in summary, key
    assert catalog.steps["step-2"].title.ja in summary
    assert catalog.audience_groups["dx"].title.ja in written["step-1.html"]
    assert str(escape(assessment.importance.zones["oa"].overall.reason.ja)) in written["zones/oa.html"]
    for action in assessment.actions:
        assert str(escape(action.summary.ja)) in summary
    assert "Executive summary" not in summary and "Actions first" not in summary
    assert '<html lang="en">' in pages("current", "en")[REPORT_FILE]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_purposes_page_shows_what_each_purpose_brings(
    pages: Callable[..., dict[str, str]], annex: Annex, lang: str
) -> None:
    """Table 3-1's purposes: one row each, with its title, operations, zones, flows and measures, in the page's language."""
    _, assessment = annex("current")
    assert assessment.purposes
    written = pages("current", lang)
    page = written["purposes.html"]
    assert 'data-field="purposes"' in page and 'class="generic"' not in page
    for purpose in assessment.purposes:
        row = page[page.index(f'<tr data-purpose="{purpose.purpose}"') :]
        row = row[: row.index("</tr>")]
        assert purpose.title.get(lang) in row
        for operation in purpose.operations:
            assert f'href="step-1.html#operation-{operation}"' in row
        for zone in purpose.zones:
            assert f'href="zones/{zone}.html"' in row
        for conduit in purpose.conduits:
            assert f"<code>{conduit}</code>" in row
        card = page[page.index(f'data-purpose-card="{purpose.purpose}"') :]
        counts = labels("html", lang)["pu_count"].format(
            o=len(purpose.operations), z=len(purpose.zones), c=len(purpose.conduits), m=len(purpose.measures)
        )
        assert counts in card[: card.index("</li>")]
    assert 'href="purposes.html"' in written[REPORT_FILE]


def test_element_ids_are_unique_on_every_page(pages: Callable[..., dict[str, str]]) -> None:
    for name, page in pages("all-cases-reviewed.yaml").items():
        ids = re.findall(r'\bid="([^"]+)"', page)
        assert sorted({i for i in ids if ids.count(i) > 1}) == [], name


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_step_three_page_shows_the_lifecycle_results(
    pages: Callable[..., dict[str, str]], annex: Annex, lang: str
) -> None:
    _, assessment = annex("all-cases-reviewed.yaml")
    section = _section(pages("all-cases-reviewed.yaml", lang)["step-3.html"], "step-3")
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
def test_step_two_page_for_case_two(
    pages: Callable[..., dict[str, str]], annex: Annex, catalog: Catalog, lang: str
) -> None:
    loaded, assessment = annex("case-2-after-review.yaml")
    step2 = _section(pages("case-2-after-review.yaml", lang)["step-2.html"], "step-2")
    assert step2.count('class="extra"') == 1, "Step 2 fields are grouped into one section"
    plan = _plan_section(step2)
    rows = re.findall(r'<tr id="risk-([^"]+)" data-risk="[^"]+" data-level="([a-z]+)"', plan)
    assert rows == [(r.finding, r.level) for r in assessment.risks]
    first = plan[plan.index('id="risk-THREAT-EXTERNAL-NETWORK@warehouse-to-remote-maintenance"') :]
    first = first[: first.index("</tr>")]
    assert 'data-level="high"' in first and ("Appendix" if lang == "en" else "別冊") in first
    assert 'href="zones/warehouse-zone.html#conduit-warehouse-to-remote-maintenance"' in first
    order = [(-LEVEL_RANK[r.level], not r.interrupts_business) for r in assessment.risks]
    assert order == sorted(order), "level first, business interruption first within a level"
    path = plan[plan.index('data-zones="warehouse-zone production-control production"') :]
    hops = path[path.index('<div class="hops">') : path.index("</li>")]
    zone_name = {z.id: z.name for z in loaded.model.zones}
    positions = [
        hops.index(f"><bdi>{zone_name[z]}</bdi></a>") for z in ("warehouse-zone", "production-control", "production")
    ]
    assert positions == sorted(positions)
    assert 'href="zones/production-control.html"' in hops
    for gap in (g for g in assessment.gaps if g.missing):
        row = plan[plan.index(f'data-gap="{gap.finding}"') :]
        row = row[: row.index("</tr>")]
        for measure_id in gap.missing:
            assert str(escape(catalog.measures[measure_id].title.get(lang))) in row
    cards = re.findall(r'data-policy="([^"]+)" data-priority="(\d+)"', plan)
    assert cards == [(p.zone, str(p.priority)) for p in assessment.policies]
    top = assessment.policies[0]
    card = plan[plan.index(f'data-policy="{top.zone}"') :]
    card = card[: card.index("</article>")]
    assert all(f'href="step-2.html#risk-{f}"' in card for f in top.top_threats)


def test_summary_first_findings_and_top_risks_follow_the_risk_ranking(
    pages: Callable[..., dict[str, str]], annex: Annex, catalog: Catalog
) -> None:
    loaded, assessment = annex("case-2-after-review.yaml")
    summary = pages("case-2-after-review.yaml")[REPORT_FILE]
    shown = re.findall(r'data-top-risk="([^"]+)"', summary)
    assert shown == [r.finding for r in assessment.risks[:TOP_RISKS]]
    ranked = {r.finding: r.rank for r in assessment.risks}
    view = build_view(loaded.model, assessment, catalog, lang="en", diagram_svg="")
    risk_order = [ranked[f.id] for f in view.top_findings if f.id in ranked]
    assert risk_order == sorted(risk_order) and risk_order[0] == 1
    assert render_html(view).count('data-top-risk="') == len(shown)


def test_decisions_and_stale_decisions_are_shown(annex: Annex, catalog: Catalog, tmp_path: Path) -> None:
    from factorysec.analysis.decisions import AppliedDecision, StaleDecision

    loaded, assessment = annex("case-2-after-review.yaml")
    risk = assessment.risks[0]
    decided = assessment.model_copy(
        update={
            "decisions": (
                AppliedDecision(
                    finding=risk.finding,
                    status="accepted",
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
    written = write_pages(loaded, decided, catalog, tmp_path / "out")
    plan = _plan_section(written["step-2.html"])
    row = plan[plan.index(f'data-decision="{risk.finding}"') :]
    assert "VPN &lt;MFA&gt; ordered" in row[: row.index("</tr>")] and "IT &amp; security" in row
    assert 'data-stale="THREAT-GONE@nowhere"' in plan
    top = written[REPORT_FILE][written[REPORT_FILE].index(f'data-top-risk="{risk.finding}"') :]
    assert '<span class="tag">accepted</span>' in top[: top.index("</li>")]
    zone_page = written[f"zones/{risk.zone}.html"]
    zone_row = zone_page[zone_page.index(f'data-zone-risk="{risk.finding}"') :]
    assert '<span class="tag">accepted</span>' in zone_row[: zone_row.index("</p>")]


def test_japanese_pages_hold_no_english_label(pages: Callable[..., dict[str, str]]) -> None:
    """Every label on every page comes from the glossary in the page's language: no English wording of a label is left."""
    english, japanese = labels("html", "en"), labels("html", "ja")
    wordings = {
        re.sub(r"\{[^}]*\}", "", english[key]).strip(" :()")
        for key in english
        if english[key] != japanese[key] and len(english[key]) > 8
    }
    for name, page in pages("case-2-after-review.yaml", "ja").items():
        # identifiers, and guideline references with their notes as the analysis wrote them (glossary.reference), are not labels
        page = re.sub(r'<(span|p|td|div) class="ref">.*?</\1>|<code\b.*?</code>', " ", page, flags=re.DOTALL)
        text = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.DOTALL)))
        left = sorted(w for w in wordings if w and w in text)
        assert left == [], (name, left)


def test_entry_routes_on_the_step_two_page_the_zone_pages_and_the_summary(
    pages: Callable[..., dict[str, str]], annex: Annex
) -> None:
    _, assessment = annex("case-2-after-review.yaml")
    routes = assessment.entry_routes
    assert len(routes) == 2
    written = pages("case-2-after-review.yaml")
    step2 = written["step-2.html"]
    table = step2[step2.index('id="plan-routes"') : step2.index('id="plan-entries"')]
    rows = re.findall(r'<tr data-route="([^"]+)">(.*?)</tr>', table, flags=re.DOTALL)
    assert [zone for zone, _ in rows] == [r.zone for r in routes]
    for (_, row), route in zip(rows, routes, strict=True):
        assert f"<td>{len(route.entries)}</td>" in row
        for entry in route.entries:
            assert f"<code>{entry}</code>" in row
        assert "EXPOSURE-ENTRY" in row
    warehouse = written["zones/warehouse-zone.html"]
    assert 'id="entry-routes"' in warehouse and 'data-route="warehouse-zone"' in warehouse
    assert 'data-route="transport-zone"' not in warehouse
    assert 'id="entry-routes"' not in written["zones/production.html"]
    assert (
        f"entry points: {len(assessment.entry_points)}, opening routes into the factory: {len(routes)}"
        in written[REPORT_FILE]
    )
    japanese = pages("case-2-after-review.yaml", "ja")["step-2.html"]
    assert labels("html", "ja")["entry_routes"] in japanese
    assert "<td>外部ゾーン, 外部ネットワーク, リモートアクセス, クラウド, ベンダー管理</td>" in japanese


def test_step_pages_show_a_bounded_number_of_rows_and_link_the_rest_to_zone_pages(
    annex: Annex, catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from factorysec.report import html as html_module

    monkeypatch.setattr(html_module, "STEP_ROWS", 2)
    loaded, assessment = annex("case-2-after-review.yaml")
    assert len(assessment.risks) > 2 and len(assessment.entry_points) > 2
    out = tmp_path / "out"
    written = write_pages(loaded, assessment, catalog, out)
    plan = _plan_section(written["step-2.html"])
    assert re.findall(r'<tr id="risk-([^"]+)"', plan) == [r.finding for r in assessment.risks[:2]]
    assert len(re.findall(r"<tr data-entry=", plan)) == 2
    more = re.findall(r'<p class="meta rows-more">(\d+) more', plan)
    assert str(len(assessment.risks) - 2) in more and str(len(assessment.entry_points) - 2) in more
    third = assessment.risks[2]
    zone_page = written[f"zones/{third.zone}.html"]
    line = zone_page[zone_page.index(f'data-zone-risk="{third.finding}"') :]
    assert f"#{third.rank}:" in line[: line.index("</p>")], (
        "a risk past the Step 2 rows keeps its rank on its zone page"
    )
    assert f"step-2.html#risk-{third.finding}" not in "".join(written.values())
    assert broken_links(out, written) == []


def test_a_large_plant_gets_a_page_per_group_of_zones(synthetic: Synthetic, catalog: Catalog, tmp_path: Path) -> None:
    from factorysec.report.html import GROUP_ZONES_ABOVE, ZONES_PER_GROUP

    loaded, assessment = synthetic(2000)
    out = tmp_path / "out"
    written = write_pages(loaded, assessment, catalog, out)
    zone_pages = [name for name in written if name.startswith("zones/")]
    assert all(re.fullmatch(r"zones/group-[a-z-]+-\d+\.html", name) for name in zone_pages)
    assert len(zone_pages) <= 2000 // ZONES_PER_GROUP + 4  # four kinds: at most one part more each
    shown: dict[str, str] = {}
    for name in zone_pages:
        articles = re.findall(r'<article class="zone[^"]*" id="zone-([^"]+)"', written[name])
        assert 0 < len(articles) <= ZONES_PER_GROUP
        kinds = {next(z.kind for z in loaded.model.zones if z.id == a) for a in articles}
        assert len(kinds) == 1, f"{name} mixes kinds {kinds}"
        for zone_id in articles:
            assert zone_id not in shown, f"{zone_id} on {shown.get(zone_id)} and {name}"
            shown[zone_id] = name
            assert f'id="{zone_id}-findings"' in written[name]
        assert len(re.findall(r'<tr data-group-zone="', written[name])) == len(articles)
        assert written[name].count('id="finding-filter"') == 1
    assert set(shown) == {z.id for z in loaded.model.zones}
    step1 = written["step-1.html"]
    groups = re.findall(r'<tr data-group="([^"]+)">', step1)
    assert sorted(f"zones/{g}.html" for g in groups) == sorted(zone_pages)
    assert "<tr data-zone=" not in step1, "the index lists groups, not every zone"
    summary = written[REPORT_FILE]
    top = re.findall(r'data-top-zone="([^"]+)"><a href="([^"]+)"', summary)
    assert top and all(href == f"{shown[zone_id]}#zone-{zone_id}" for zone_id, href in top)
    # the zones' own diagrams (zones/<zone id>.svg) come from the report folder's zone-diagram writer, not this one
    assert [link for link in broken_links(out, written) if not link.endswith(".svg")] == []
    small, small_assessment = synthetic(GROUP_ZONES_ABOVE)
    small_pages = write_pages(small, small_assessment, catalog, tmp_path / "small")
    assert len([n for n in small_pages if n.startswith("zones/")]) == GROUP_ZONES_ABOVE


def test_zones_under_a_top_level_zone_are_grouped_with_it(catalog: Catalog) -> None:
    from factorysec.model import FactoryModel
    from factorysec.report.html import zone_groups
    from factorysec.report.view import AssessmentView
    from tests.report.conftest import synthetic_model

    base = synthetic_model(300)
    zones = [z.model_copy(update={"parent": "z0"}) if z.id in {"z5", "z250"} else z for z in base.zones]
    zones = [z.model_copy(update={"parent": "z5"}) if z.id == "z6" else z for z in zones]
    model = FactoryModel.model_validate(
        {**base.model_dump(by_alias=True), "zones": [z.model_dump(by_alias=True) for z in zones]}
    )
    groups = zone_groups(AssessmentView(analyze(model, catalog), model, catalog, "en"))
    under = [g for g in groups if not g.by_kind]
    assert [(g.id, [v.zone.id for v in g.zones]) for g in under] == [("group-zone-z0-1", ["z0", "z5", "z6", "z250"])]
    assert sum(len(g.zones) for g in groups) == 300
    assert all(len(g.zones) <= 50 for g in groups)


@pytest.mark.parametrize(
    "text", ["plain", "", "a & b", "<script>", "'Zone 3' → \"Zone 0\"", "&amp; already", "ゾーン <1> & '2'"]
)
def test_row_escaping_is_markupsafes(text: str) -> None:
    """The zone pages' row filters escape with MarkupSafe's compiled function, or the replace chain where it is missing:
    both must give what Jinja's autoescape (``markupsafe.escape``) gives, byte for byte."""
    from factorysec.report.html_text import _replace_entities
    from factorysec.report.html_text import escape_text as _escape_text

    assert _escape_text(text) == str(escape(text))
    assert _replace_entities(text) == str(escape(text))


def _conduit_row(page: str, conduit_id: str) -> str:
    """The table row of a conduit on a zone page."""
    start = page.rindex("<tr", 0, page.index(f"<td><code>{conduit_id}</code>"))
    return page[start : page.index("</tr>", start) + len("</tr>")]


def test_a_conduit_has_a_row_on_both_its_zones_pages_each_naming_the_other_zone(
    pages: Callable[..., dict[str, str]], annex: Annex
) -> None:
    loaded, _ = annex("case-2-after-review.yaml")
    written = pages("case-2-after-review.yaml")
    zones = {zone.id: zone for zone in loaded.model.zones}
    between = [
        c for c in loaded.model.conduits if c.from_zone in zones and c.to_zone in zones and c.from_zone != c.to_zone
    ]
    assert between
    for conduit in between:
        sent = _conduit_row(written[f"zones/{conduit.from_zone}.html"], conduit.id)
        received = _conduit_row(written[f"zones/{conduit.to_zone}.html"], conduit.id)
        assert f'id="conduit-{conduit.id}"' in sent and "id=" not in received  # the link target is the sender's row
        assert f'<a href="../zones/{conduit.to_zone}.html"><bdi>{escape(zones[conduit.to_zone].name)}</bdi></a>' in sent
        assert (
            f'<a href="../zones/{conduit.from_zone}.html"><bdi>{escape(zones[conduit.from_zone].name)}</bdi></a>'
            in received
        )
        after_peer = sent[sent.index("</a>") :]
        assert after_peer == received[received.index("</a>") :]  # what it carries, protocols, network
        assert escape(", ".join(conduit.protocols)) in after_peer


def test_an_element_is_linked_relative_to_the_page_it_is_on(pages: Callable[..., dict[str, str]], annex: Annex) -> None:
    loaded, assessment = annex("case-2-after-review.yaml")
    written = pages("case-2-after-review.yaml")
    zone_ids = {zone.id for zone in loaded.model.zones}
    requirement = next(r for r in assessment.requirements if r.subject.kind == "zone" and r.subject.id in zone_ids)
    on_zone_page = written[f"zones/{requirement.subject.id}.html"]
    assert f'<a href="../zones/{requirement.subject.id}.html">' in on_zone_page
    step = next(page for name, page in written.items() if "/" not in name and f"<code>{requirement.id}</code>" in page)
    assert f'<a href="zones/{requirement.subject.id}.html">' in step


def test_a_filters_safe_text_is_written_as_it_is_and_once_copied() -> None:
    """The zone pages' tables reach the template as SafeText: escape takes the text as already HTML."""
    from factorysec.report.html import SafeText

    text = '<tr id="conduit-c1"><td>&amp; a</td></tr>'
    escaped = escape(SafeText(text))
    assert str(escaped) == text and escaped is not text
    assert str(escape("<tr>")) != "<tr>"
