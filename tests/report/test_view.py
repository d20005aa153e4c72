"""The one view renderers read: lookups by finding, zones with their findings and requirements, catalog titles and words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from factorysec.analysis import Assessment, analyze
from factorysec.catalog import Catalog
from factorysec.model import LoadedModel
from factorysec.model.planfiles import Decision
from factorysec.report import view as view_module
from factorysec.report.view import AssessmentView

Annex = Callable[[str], tuple[LoadedModel, Assessment]]


def test_lookups_by_finding_follow_the_assessment(annex: Annex, catalog: Catalog) -> None:
    loaded, assessment = annex("case-2-first-added.yaml")
    view = AssessmentView(assessment, loaded.model, catalog, "en")
    assert assessment.risks and assessment.gaps
    for risk in assessment.risks:
        assert view.risk_of(risk.finding) is risk
    for gap in assessment.gaps:
        assert view.gap_of(gap.finding) is gap
    for finding in assessment.findings:
        found_gap = view.gap_of(finding.id)
        assert view.missing_measures(finding) == (found_gap.missing if found_gap is not None else finding.measures)
    ranks = [risk.rank for risk in (view.risk_of(g.finding) for g in view.open_gaps) if risk is not None]
    assert ranks == sorted(ranks) and all(g.missing for g in view.open_gaps)


def test_decisions_close_findings_as_fail_on_counts_them(annex: Annex, catalog: Catalog) -> None:
    loaded, _ = annex("case-2-first-added.yaml")
    first = analyze(loaded.model, catalog)
    accepted, in_progress, expired = (r.finding for r in first.risks[:3])
    decisions = (
        Decision(finding=accepted, status="accepted", justification="vendor contract", owner="Plant"),
        Decision(finding=in_progress, status="in-progress", justification="VPN ordered", owner="IT"),
        Decision(finding=expired, status="mitigated", justification="old", owner="IT", review_by=dt.date(2000, 1, 1)),
    )
    assessment = analyze(loaded.model, catalog, today=dt.date(2026, 1, 1), decisions=decisions)
    view = AssessmentView(assessment, loaded.model, catalog, "ja")
    assert view.decision_of(accepted) is not None and view.closed(accepted)
    assert view.decision_of(in_progress) is not None and not view.closed(in_progress)
    assert view.decision_of(expired) is not None and not view.closed(expired)
    assert not view.closed(first.risks[3].finding)
    assert view.value("decision", "accepted") == "受容"


def test_a_zone_holds_its_members_and_the_findings_and_requirements_about_them(annex: Annex, catalog: Catalog) -> None:
    loaded, assessment = annex("current")
    view = AssessmentView(assessment, loaded.model, catalog, "en")
    assert [z.zone.id for z in view.zones] == [z.id for z in loaded.model.zones]
    for zone in view.zones:
        member_ids = {
            zone.zone.id,
            *(a.id for a in zone.assets),
            *(c.conduit.id for c in (*zone.inbound, *zone.outbound)),
        }
        assert {f.subject.id for f in zone.findings} <= member_ids
        assert all(
            f in zone.findings
            for f in assessment.findings
            if f.subject.id in {zone.zone.id, *(a.id for a in zone.assets)}
        )
        for requirement in assessment.requirements:
            if requirement.subject.id == zone.zone.id or requirement.to_zone == zone.zone.id:
                assert requirement in zone.requirements
        assert zone.importance == assessment.importance.zones[zone.zone.id].overall
        assert all(a.zone == zone.zone.id for a in zone.assets)


def test_catalog_titles_and_words_in_the_view_language(annex: Annex, catalog: Catalog) -> None:
    loaded, assessment = annex("current")
    en = AssessmentView(assessment, loaded.model, catalog, "en")
    ja = AssessmentView(assessment, loaded.model, catalog, "ja")
    measure = next(iter(catalog.measures.values()))
    assert en.measure_title(measure.id) == measure.title.en and ja.measure_title(measure.id) == measure.title.ja
    assert en.measure_title("no-such-measure") == "no-such-measure"
    requirement = assessment.requirements[0]
    assert en.viewpoint(requirement.viewpoint) == requirement.viewpoint
    group, _, detail = requirement.viewpoint.partition("/")
    assert ja.viewpoint(requirement.viewpoint) == next(
        d.title.ja for d in catalog.viewpoints[group].details if d.id == detail
    )
    assert en.subject("zone", "oa") == "zone oa" and ja.subject("zone", "oa") == "ゾーン oa"
    assert ja.ref("Appendix 3.1.7 Table 3-4") == "別冊 3.1.7 表3-4"
    assert en.labels("xlsx")["conduits"] == "1-7 Conduits" and ja.labels("xlsx")["conduits"] == "1-7 コンジット"


def test_the_view_imports_no_web_framework() -> None:
    source = Path(view_module.__file__).read_text(encoding="utf-8")
    assert "django" not in source and "ninja" not in source and "flask" not in source


def test_entry_routes_carry_names_and_kind_words_in_the_view_language(annex: Annex, catalog: Catalog) -> None:
    loaded, assessment = annex("case-2-after-review.yaml")
    assert [r.zone for r in assessment.entry_routes] == ["warehouse-zone", "transport-zone"]
    english = view_module.entry_routes(AssessmentView(assessment, loaded.model, catalog, "en"))
    japanese = view_module.entry_routes(AssessmentView(assessment, loaded.model, catalog, "ja"))
    assert [r.zone for r in english] == [r.zone for r in japanese] == ["warehouse-zone", "transport-zone"]
    warehouse = english[0]
    assert warehouse.zone_name == "Automated warehouse zone"
    assert warehouse.entries[:1] == (("external-services", "External services zone"),)
    assert [entry_id for entry_id, _ in warehouse.entries] == list(assessment.entry_routes[0].entries)
    assert warehouse.kinds == ("external-zone", "external-network", "remote-access", "cloud", "vendor-managed")
    assert japanese[0].kinds == ("外部ゾーン", "外部ネットワーク", "リモートアクセス", "クラウド", "ベンダー管理")
    assert japanese[1].kinds == ("無線",)
    assert warehouse.reason == assessment.entry_routes[0].reason.en
    assert japanese[0].reason == assessment.entry_routes[0].reason.ja
    assert warehouse.rule == "EXPOSURE-ENTRY"
    assert japanese[0].reference.startswith("別冊 3.2.1 ステップ2-1")


def test_a_zone_lists_its_conduits_in_and_out_in_model_order_with_the_zone_at_the_other_end(
    annex: Annex, catalog: Catalog
) -> None:
    loaded, assessment = annex("current")
    view = AssessmentView(assessment, loaded.model, catalog, "en")
    zones = {zone.id: zone for zone in loaded.model.zones}
    conduits = {conduit.id: conduit for conduit in loaded.model.conduits}
    about_conduits = [f for f in assessment.findings if f.subject.kind == "conduit"]
    assert about_conduits
    for zone in view.zones:
        assert list(zone.conduits_out) == [c for c in loaded.model.conduits if c.from_zone == zone.zone.id]
        assert list(zone.conduits_in) == [c for c in loaded.model.conduits if c.to_zone == zone.zone.id]
        assert [(v.conduit, v.peer) for v in zone.outbound] == [(c, zones.get(c.to_zone)) for c in zone.conduits_out]
        assert [(v.conduit, v.peer) for v in zone.inbound] == [(c, zones.get(c.from_zone)) for c in zone.conduits_in]
        for finding in about_conduits:
            conduit = conduits[finding.subject.id]
            assert (finding in zone.findings) == (zone.zone.id in (conduit.from_zone, conduit.to_zone))
