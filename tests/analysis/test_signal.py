"""One finding per gap (#23 item 6): per-party and per-part findings merged under a stable id, Step 3 responsibility gaps counted once."""

from __future__ import annotations

import datetime as dt

from factorysec.analysis import analyze
from factorysec.analysis.findings import Finding, Subject, text
from factorysec.analysis.signal import MERGED_RULES, fold_responsibility_gaps, merge_gaps
from factorysec.catalog import load_catalog
from factorysec.model import load_model
from tests.conftest import ROOT


def _finding(rule: str, subject: Subject, why: str, key: str = "", related: tuple[str, ...] = ()) -> Finding:
    suffix = f"#{key}" if key else ""
    return Finding(
        id=f"{rule}@{subject.id}{suffix}",
        rule=rule,
        category="lifecycle",
        reference="Appendix 3.3",
        title=text("t", "t"),
        rationale=text(why, why),
        subject=subject,
        related=related,
    )


def test_per_party_findings_become_one_gap_listing_the_parties_under_the_factory() -> None:
    one = _finding(
        "S3-OODA-NO-VENDOR-CHANNEL", Subject(kind="party", id="maker"), "maker has no contact", related=("a1",)
    )
    two = _finding("S3-OODA-NO-VENDOR-CHANNEL", Subject(kind="party", id="vendor"), "vendor has no contact")
    other = _finding("S3-PDCA-NO-REVIEW", Subject(kind="factory", id="f"), "no review")
    merged = merge_gaps([one, other, two], "f")
    assert [f.id for f in merged] == ["S3-OODA-NO-VENDOR-CHANNEL@f", "S3-PDCA-NO-REVIEW@f"]
    gap = merged[0]
    assert gap.subject == Subject(kind="factory", id="f")
    assert gap.rationale.en == "Concerns 2 parties (maker, vendor): maker has no contact; vendor has no contact"
    assert gap.related == ("maker", "vendor", "a1")
    assert merged[1] is other


def test_the_merged_id_does_not_depend_on_how_many_parties_share_the_gap() -> None:
    alone = merge_gaps([_finding("S1-INCIDENT-IMPACT", Subject(kind="party", id="p"), "p: no perspectives")], "f")
    assert [f.id for f in alone] == ["S1-INCIDENT-IMPACT@f"]
    assert alone[0].rationale.en == "Concerns p: p: no perspectives"


def test_per_part_findings_on_the_factory_become_one_listing_the_parts() -> None:
    factory = Subject(kind="factory", id="f")
    parts = [_finding("S3-PDCA-STRUCTURE", factory, f"no {k}", key=k) for k in ("owner", "training")]
    (gap,) = merge_gaps(parts, "f")
    assert gap.id == "S3-PDCA-STRUCTURE@f" and gap.rationale.en.startswith("Concerns 2 parts (owner, training): ")


def test_rules_left_apart_keep_their_findings() -> None:
    factory = Subject(kind="factory", id="f")
    areas = [_finding("S3-MATURITY-UNASSESSED", factory, "none", key=k) for k in ("a", "b")]
    assert "S3-MATURITY-UNASSESSED" not in MERGED_RULES
    assert merge_gaps(areas, "f") == areas


def test_a_step_3_responsibility_gap_on_a_party_the_step_1_threat_names_is_counted_once() -> None:
    threat = _finding("THREAT-INCIDENT-COORDINATION", Subject(kind="party", id="host"), "host: nobody named")
    gap = _finding("S3-RESP-GAP", Subject(kind="asset", id="lims"), "lims: no incident response", related=("host",))
    elsewhere = _finding("S3-RESP-GAP", Subject(kind="asset", id="mes"), "mes: no maintenance", related=("other",))
    step1, step3 = fold_responsibility_gaps([threat], [gap, elsewhere])
    assert step3 == [elsewhere]
    assert step1[0].id == threat.id and "S3-RESP-GAP@lims: lims: no incident response" in step1[0].rationale.en
    assert "lims" in step1[0].related


def test_on_an_example_each_gap_is_listed_once() -> None:
    assessment = analyze(load_model(ROOT / "examples" / "food-batch"), load_catalog(), today=dt.date(2026, 12, 3))
    ids = [f.id for f in (*assessment.findings, *assessment.lifecycle.findings)]
    assert len(ids) == len(set(ids))
    for rule in MERGED_RULES:
        assert sum(1 for i in ids if i.startswith(f"{rule}@")) <= 1, rule
    assert not any(i.startswith("S3-RESP-GAP@recipe-service") for i in ids)  # folded into the threat on recipe-cloud
    threat = next(f for f in assessment.findings if f.id == "THREAT-INCIDENT-COORDINATION@recipe-cloud")
    assert "S3-RESP-GAP@recipe-service" in threat.rationale.en
