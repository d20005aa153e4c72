"""report.md: steps addressed to Table 1-1 departments with Annex B references, user text escaped so tables hold."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from factorysec.analysis import Assessment, analyze
from factorysec.catalog import Catalog
from factorysec.model import load_model
from factorysec.report import markdown
from factorysec.report.markdown import escape_markdown, render_markdown, render_markdown_view, write_markdown_view
from factorysec.report.view import AssessmentView
from tests.conftest import FIXTURES
from tests.report.conftest import EXAMPLES

SMALL = FIXTURES / "report" / "small-factory.yaml"


@pytest.fixture(scope="module")
def report_en(catalog: Catalog) -> str:
    model = load_model(SMALL)
    return render_markdown(analyze(model, catalog), model, catalog, "en")


def _sections(text: str) -> dict[str, str]:
    parts = re.split(r"^## ", text, flags=re.M)
    return {part.splitlines()[0]: part for part in parts[1:]}


def test_each_step_addresses_its_table_1_1_departments_and_annex_b_references(report_en: str, catalog: Catalog) -> None:
    sections = _sections(report_en)
    for step_id in ("step-1", "step-2", "step-3"):
        step = catalog.steps[step_id]
        body = sections[f"{step.section} {step.title.en}"]
        for audience in step.audiences:
            assert escape_markdown(catalog.audience_groups[audience].title.en) in body
        for reference in step.references:
            assert f"<{reference.url}>" in body
    assert "Executive summary" in sections
    # other: no BCP, no purpose, and one gap for the missing PDCA owner, manuals and training (issue #17 rules, merged by #23 item 6)
    assert (
        "8 findings (0 zoning, 4 threats, 0 hygiene, 4 other)" in sections["Executive summary"]
    )  # issue #23: PHYS-MEASURES, SUPPLY-SBOM-VULNERABILITY


def test_user_text_cannot_break_tables(report_en: str) -> None:
    tokens = MarkdownIt("commonmark").enable("table").parse(report_en)
    cells: list[list[str]] = []
    widths: list[int] = []
    row: list[str] = []
    for i, token in enumerate(tokens):
        if token.type == "tr_open":
            row = []
        elif token.type in ("td_open", "th_open"):
            row.append(tokens[i + 1].content)
        elif token.type == "tr_close":
            cells.append(row)
        elif token.type == "thead_close":
            widths.append(len(row))
    operations = next(r for r in cells if r and r[0] == "machining")
    assert operations[1] == "Machining \\[line A\\]"
    assert len(operations) == 4
    assert "Stops | delay<br>shipments" in operations[3]
    assert all(len(r) in {3, 4, 5, 6} for r in cells)
    assert report_en.splitlines()[0] == "# Security assessment: Small \\| works \\*plant\\* (small)"


def test_findings_and_plan_list_every_finding(report_en: str) -> None:
    for finding_id in ("THREAT-CONTROL-FROM-OUTSIDE@office-to-floor", "THREAT-BUILT-IN-COMPUTER@floor"):
        assert escape_markdown(finding_id) in _sections(report_en)["3.2 Plan security measures"]


def test_japanese_report(catalog: Catalog) -> None:
    model = load_model(SMALL)
    text = render_markdown(analyze(model, catalog), model, catalog, "ja")
    assert "## エグゼクティブサマリー" in text
    assert f"## 3.1 {catalog.steps['step-1'].title.ja}" in text
    assert catalog.audience_groups["vendors"].title.ja in text


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a|b", "a\\|b"),
        ("*x*", "\\*x\\*"),
        ("line1\nline2", "line1<br>line2"),
        ("<script>", "\\<script\\>"),
        (None, ""),
        # text that is not ASCII takes the regular-expression path: the same backslashes
        ("ゾーン_1 → *重要* [a]|b", "ゾーン\\_1 → \\*重要\\* \\[a\\]\\|b"),
        ("`x` {y} #z !w ~v \\u — 2行\n目", "\\`x\\` \\{y\\} \\#z \\!w \\~v \\\\u — 2行<br>目"),
        ("→ nothing special", "→ nothing special"),
        # an entity reference is shown as written, not as the character it names
        ("&lt;b&gt; &#60; R&D", "\\&lt;b\\&gt; \\&\\#60; R\\&D"),
    ],
)
def test_escape_markdown(raw: str | None, escaped: str) -> None:
    assert escape_markdown(raw) == escaped


@pytest.fixture(scope="module")
def case2(catalog: Catalog) -> tuple[Assessment, dict[str, str]]:
    model = load_model(EXAMPLES / "case-2-after-review.yaml")
    assessment = analyze(model, catalog)
    return assessment, {lang: render_markdown(assessment, model, catalog, lang) for lang in ("en", "ja")}


def _table_rows(section: str, header_start: str) -> list[list[str]]:
    lines = section[section.index(header_start) :].splitlines()
    rows = []
    for line in lines[2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]])
    return rows


def test_step_two_ranks_risks_and_lists_zone_policies_and_missing_measures(
    case2: tuple[Assessment, dict[str, str]], catalog: Catalog
) -> None:
    assessment, reports = case2
    step2 = _sections(reports["en"])["3.2 Plan security measures"]
    for audience in catalog.steps["step-2"].audiences:
        assert escape_markdown(catalog.audience_groups[audience].title.en) in step2
    rows = _table_rows(step2, "| Rank | Level → residual |")
    assert [row[0] for row in rows] == [str(r.rank) for r in assessment.risks]
    external = next(
        r for r in assessment.risks if r.finding == "THREAT-EXTERNAL-NETWORK@warehouse-to-remote-maintenance"
    )
    first = rows[external.rank - 1]
    assert first[1] == "high → high (business interruption)"
    assert first[2].startswith(
        escape_markdown("THREAT-EXTERNAL-NETWORK@warehouse-to-remote-maintenance (THREAT-EXTERNAL-NETWORK; Appendix")
    )
    assert first[3] == "conduit warehouse-to-remote-maintenance" and first[4] == escape_markdown(external.reason.en)
    policies = step2[step2.index("### Security policy per zone (Step 2-1)") :]
    headings = re.findall(r"^#### (\d+)\. .* \(([a-z0-9-]+)\)", policies, flags=re.M)
    assert headings == [(str(p.priority), p.zone) for p in assessment.policies]
    top = assessment.policies[0]
    card = policies[: policies.index("#### 2.")]
    for measure in top.measures_first:
        assert escape_markdown(catalog.measures[measure.measure].title.en) in card
    for requirement in top.requirements:
        assert escape_markdown(requirement) in card
    assert (
        "- shortest, production (2 hop(s), 0 control(s)): warehouse-to-remote-maintenance ⇒ warehouse-zone → warehouse-to-control \\[no controls\\] → production-control → control-to-production"
        in step2
    )
    gap = next(g for g in assessment.gaps if g.finding == "THREAT-EXTERNAL-NETWORK@warehouse-to-remote-maintenance")
    plan_row = next(
        row
        for row in _table_rows(step2, "| Finding | Measures to consider |")
        if row[0] == escape_markdown(gap.finding)
    )
    for measure_id in gap.missing:
        catalog_measure = catalog.measures[measure_id]
        assert (
            escape_markdown(
                f"{catalog_measure.title.en} ({', '.join([*catalog_measure.iec62443_sr, *catalog_measure.nist_csf])})"
            )
            in plan_row[1]
        )
    summary = _sections(reports["en"])["Executive summary"]
    assert re.findall(r"^\d\. (\S+) \(", summary, flags=re.M) == [
        escape_markdown(r.finding) for r in assessment.risks[:5]
    ]


def test_step_three_shows_responsibility_gaps_ooda_maturity_and_pdca(
    case2: tuple[Assessment, dict[str, str]], catalog: Catalog
) -> None:
    assessment, reports = case2
    lifecycle = assessment.lifecycle
    step3 = _sections(reports["en"])["3.3 " + catalog.steps["step-3"].title.en]
    for audience in catalog.steps["step-3"].audiences:
        assert escape_markdown(catalog.audience_groups[audience].title.en) in step3
    gaps = _table_rows(step3, "| Subject | Area | Party |")
    expected = [(m.subject, c.area) for m in lifecycle.responsibilities for c in m.cells if c.source == "missing"]
    assert len(gaps) == len(expected) == 7
    assert gaps[0] == [
        escape_markdown("External remote maintenance service (remote-maintenance-service)"),
        "incident response",
        escape_markdown("remote-maintenance-provider"),
    ]
    ooda = _table_rows(step3, "| Stage | Phase | Lead |")
    assert [(r[0], r[1]) for r in ooda] == [(escape_markdown(c.stage), c.phase) for c in lifecycle.ooda]
    assert ooda[0][2:] == [
        escape_markdown("line-vendor, agv-vendor, warehouse-vendor"),
        escape_markdown("it-security"),
        "proposed",
    ]
    maturity = _table_rows(step3, "| Area | Level | Next step |")
    assert [r[0] for r in maturity] == [escape_markdown(m.title.en) for m in lifecycle.maturity]
    assert {r[1] for r in maturity} == {"unassessed"}
    open_items = _table_rows(step3, "| Checklist | Item | Answer | Open on |")
    groups: dict[tuple[str, str, str], list[str]] = {}
    for item in lifecycle.checklists.open_items:
        groups.setdefault((item.kind, item.item, item.answer or ""), []).append(item.asset)
    assert len(open_items) == len(groups) and groups
    assert sum(_open_on(row[3]) for row in open_items) == len(lifecycle.checklists.open_items)
    assert "No review recorded; review every 365 days." in step3
    step3_ja = _sections(reports["ja"])["3.3 " + catalog.steps["step-3"].title.ja]
    assert (
        "### 責任分界の不足（ステップ3 (2)）" in step3_ja and "インシデント対応" in step3_ja and "| 提案 |" in step3_ja
    )


def test_actions_come_first_then_importance_per_axis_and_purposes(
    case2: tuple[Assessment, dict[str, str]], catalog: Catalog
) -> None:
    assessment, reports = case2
    text = reports["en"]
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    assert headings[0].startswith("Actions first") and headings[1] == "Executive summary"
    actions = re.findall(r"^(\d+)\. \*\*(.+?)\*\*", text, flags=re.M)
    assert assessment.actions and [(int(rank), title) for rank, title in actions] == [
        (a.rank, escape_markdown(catalog.measures[a.measure].title.en)) for a in assessment.actions
    ]
    first = assessment.actions[0]
    block = text[text.index(f"{first.rank}. **") : text.index("## Executive summary")]
    assert escape_markdown(first.summary.en) in block
    named = {d.id: d.name for d in load_model(EXAMPLES / "case-2-after-review.yaml").departments}
    owner = first.departments[0]
    assert escape_markdown(named.get(owner) or catalog.department_kinds[owner].title.en) in block
    for removed in first.removes:
        assert escape_markdown(f"{removed.finding} {removed.before} → {removed.after}") in block
    axes = text[text.index("### Importance per axis") :]
    operation = assessment.importance.operations[next(iter(assessment.importance.operations))]
    for axis, rating in operation.ratings.items():
        assert rating.level is not None
        from factorysec.analysis.importance import AXIS_LABELS

        line = (
            f"  - {escape_markdown(AXIS_LABELS[axis].en)}: {rating.level.value} — {escape_markdown(rating.reason.en)}"
        )
        assert line in axes
    assert assessment.purposes
    purposes = text[text.index("### What each purpose of smartification brings") :]
    for purpose in assessment.purposes:
        assert escape_markdown(f"{purpose.title.en} ({purpose.purpose})") in purposes


def test_physical_locations_are_listed_where_the_model_has_them(catalog: Catalog) -> None:
    model = load_model(EXAMPLES.parent / "food-batch" / "factory.yaml")
    text = render_markdown(analyze(model, catalog), model, catalog, "en")
    section = text[text.index("### Physical locations (Step 1-6)") :]
    rows = _table_rows(section, "| Subject | Name | Location |")
    placed = [z for z in model.zones if z.location or z.recovery_target_hours] + [
        a for a in model.assets if a.location or a.recovery_target_hours
    ]
    assert placed and len(rows) == len(placed)
    zone = next(z for z in model.zones if z.location is not None)
    assert zone.location is not None
    row = next(r for r in rows if r[0] == escape_markdown(f"zone {zone.id}"))
    assert row[2] == escape_markdown(
        " / ".join(p for p in (zone.location.site, zone.location.building, zone.location.area) if p)
    )


def _open_on(cell: str) -> int:
    """The count in an 'open on N asset(s)' cell of the open checklist items table."""
    found = re.match(r"open on (\d+)", cell)
    assert found is not None, cell
    return int(found.group(1))


def test_step_two_lists_the_entry_routes(case2: tuple[Assessment, dict[str, str]]) -> None:
    assessment, reports = case2
    step2 = _sections(reports["en"])["3.2 Plan security measures"]
    rows = _table_rows(step2, "| Route into zone |")
    assert [row[0] for row in rows] == [
        "Automated warehouse zone (warehouse-zone)",
        "Automatic transport zone (transport-zone)",
    ]
    assert [row[1] for row in rows] == [str(len(r.entries)) for r in assessment.entry_routes]
    assert rows[1][2] == "Wireless LAN access point (wireless-ap), AGV (agv)"
    assert rows[0][3] == "external-zone, external-network, remote-access, cloud, vendor-managed"
    assert rows[0][4].startswith("EXPOSURE-ENTRY; Appendix 3.2.1 Step 2-1")
    japanese = _table_rows(reports["ja"], "| 侵入先のゾーン |")
    assert japanese[1][3] == "無線"
    assert japanese[0][4].startswith("EXPOSURE-ENTRY; 別冊 3.2.1 ステップ2-1")


@given(st.text(alphabet=st.sampled_from("ab _*\\`{}[]<>#|!~&→ゾ\n\r\t\x1b"), max_size=40))
def test_escape_markdown_backslashes_each_special_character_once(raw: str) -> None:
    """Every special character gets exactly one backslash, whatever its neighbours (a backslash is escaped before
    the others add theirs), as a walk over the characters would write it."""
    from factorysec.report.inert import printable

    text = printable(raw.replace("\r\n", "\n").replace("\r", "\n"))
    expected = "".join("\\" + ch if ch in "\\`*_{}[]<>#|!~&" else ch for ch in text).replace("\n", "<br>")
    assert escape_markdown(raw) == expected


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30))
def test_escape_markdown_is_the_same_on_any_text(raw: str) -> None:
    """Any text, printable or not (the short way for printable text), escapes as the long way writes it: control
    characters and bidirectional marks spelled out, line breaks as <br>, special characters backslashed."""
    from factorysec.report.inert import printable

    text = printable(raw.replace("\r\n", "\n").replace("\r", "\n"))
    expected = "".join("\\" + ch if ch in "\\`*_{}[]<>#|!~&" else ch for ch in text).replace("\n", "<br>")
    assert escape_markdown(raw) == expected


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_file_written_as_rendered_holds_the_same_bytes_as_the_whole_text(
    catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    model = load_model(EXAMPLES / "case-2-after-review.yaml")
    view = AssessmentView(analyze(model, catalog), model, catalog, lang)
    whole = render_markdown_view(view).encode("utf-8")
    monkeypatch.setattr(markdown, "CHARACTERS_PER_WRITE", 7)  # many writes, pieces split at odd places
    monkeypatch.setattr(markdown, "ROWS_PER_PIECE", 3)  # the long lists in several pieces each
    write_markdown_view(view, tmp_path / "report.md")
    assert (tmp_path / "report.md").read_bytes() == whole
    assert len(whole) > 7 * 100
