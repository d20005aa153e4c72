"""The PDCA review: overdue, missing, stale, and smartification changes left unreviewed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from factorysec.model import FactoryModel, load_model, model_digest

from .conftest import ANNEX_A, Assess, Ids, Load, WriteVariant


def test_no_review(bare_model: FactoryModel, assess: Assess, ids: Ids) -> None:
    report = assess(bare_model)
    assert ids(report, "S3-PDCA-NO-REVIEW") == ["S3-PDCA-NO-REVIEW@bare-factory"]
    assert ids(report, "S3-PDCA-OVERDUE") == []


def test_overdue_relative_to_today(factory_model: FactoryModel, assess: Assess, ids: Ids) -> None:
    assert ids(assess(factory_model, dt.date(2026, 5, 30)), "S3-PDCA-OVERDUE") == []
    late = assess(factory_model, dt.date(2026, 5, 31))
    assert ids(late, "S3-PDCA-OVERDUE") == ["S3-PDCA-OVERDUE@lc-factory"]
    assert late.pdca.days_since == 181 and late.pdca.due == dt.date(2026, 5, 30)


def test_without_today_the_age_is_not_judged(factory_model: FactoryModel, assess: Assess, ids: Ids) -> None:
    report = assess(factory_model, None)
    assert ids(report, "S3-PDCA-OVERDUE") == [] and report.pdca.days_since is None


def test_stale_when_the_model_changed_after_the_review(
    factory_model: FactoryModel, write_variant: WriteVariant, assess: Assess, ids: Ids
) -> None:
    assert ids(assess(factory_model), "S3-PDCA-STALE") == ["S3-PDCA-STALE@lc-factory"]
    digest = model_digest(factory_model)
    current = write_variant(
        "factory.yaml",
        {"reviews": [{"id": "r1", "date": "2026-11-01", "trigger": "scheduled", "model_digest": digest}]},
    )
    assert ids(assess(current), "S3-PDCA-STALE") == []
    assert assess(current).pdca.changed_since_review is False


def test_smartification_change_without_a_change_review(load: Load, assess: Assess, ids: Ids) -> None:
    report = assess(load("smartified.yaml"))
    assert ids(report, "S3-PDCA-CHANGE-UNREVIEWED") == ["S3-PDCA-CHANGE-UNREVIEWED@lc-factory"]
    assert report.pdca.changed_elements == ("predictive-service",)


def test_smartification_change_reviewed_on_the_current_model(
    load: Load, fixtures_dir: Path, tmp_path: Path, assess: Assess, ids: Ids
) -> None:
    digest = model_digest(load("smartified.yaml"))
    change = tmp_path / "reviewed.yaml"
    change.write_text(
        f"change: {{base: {fixtures_dir / 'smartified.yaml'}}}\n"
        f"add:\n  reviews:\n    - {{id: change-review, date: 2026-11-20, trigger: smartification-change, model_digest: '{digest}'}}\n",
        encoding="utf-8",
    )
    report = assess(load_model(change))
    assert ids(report, "S3-PDCA-CHANGE-UNREVIEWED") == []
    assert ids(report, "S3-PDCA-STALE") == []


def test_no_change_finding_without_new_elements(factory_model: FactoryModel, assess: Assess, ids: Ids) -> None:
    assert ids(assess(factory_model), "S3-PDCA-CHANGE-UNREVIEWED") == []


ANNEX_A_REVIEWED_EARLIER = "add717a02ad8d883"
"""What 'factorysec check examples/annex-a/all-cases-reviewed.yaml' printed before the digest left out defaults."""


def _with_review(tmp_path: Path, base: Path, digest: str, modify: str = "") -> FactoryModel:
    """``base`` with a change review naming ``digest``, and with ``modify`` (a change file's modify: section) applied."""
    change = tmp_path / "reviewed.yaml"
    change.write_text(
        f"change: {{base: {base}}}\n{modify}"
        f"add:\n  reviews:\n    - {{id: change-review, date: 2026-11-20, trigger: smartification-change, model_digest: '{digest}'}}\n",
        encoding="utf-8",
    )
    return load_model(change)


def test_a_review_naming_the_earlier_scheme_digest_of_this_model_counts(
    tmp_path: Path, assess: Assess, ids: Ids
) -> None:
    """A review recorded before the upgrade names the digest the earlier build printed; the model has not changed.

    Before, the digest hashed every field, defaults and nulls included; leaving them out changed every model's digest,
    and without the earlier scheme every such review would have stopped counting (S3-PDCA-CHANGE-UNREVIEWED and
    S3-PDCA-STALE back on the Annex A factory).
    """
    base = ANNEX_A / "all-cases-reviewed.yaml"
    assert model_digest(load_model(base)) != ANNEX_A_REVIEWED_EARLIER
    report = assess(_with_review(tmp_path, base, ANNEX_A_REVIEWED_EARLIER))
    assert report.pdca.changed_elements
    assert ids(report, "S3-PDCA-CHANGE-UNREVIEWED") == [] and report.pdca.change_reviewed
    assert ids(report, "S3-PDCA-STALE") == [] and report.pdca.changed_since_review is False
    assert report.pdca.earlier_scheme_reviews == ("change-review",)
    assert report.pdca.digest_reviewed == ANNEX_A_REVIEWED_EARLIER


def test_a_review_naming_the_earlier_scheme_digest_of_another_model_does_not_count(
    tmp_path: Path, assess: Assess, ids: Ids
) -> None:
    """The model changed after the review (an asset renamed): its earlier-scheme digest is not the one recorded."""
    base = ANNEX_A / "all-cases-reviewed.yaml"
    changed = _with_review(
        tmp_path, base, ANNEX_A_REVIEWED_EARLIER, "modify:\n  assets:\n    - {id: scada, name: SCADA server}\n"
    )
    report = assess(changed)
    assert ids(report, "S3-PDCA-CHANGE-UNREVIEWED") == ["S3-PDCA-CHANGE-UNREVIEWED@annex-a-factory"]
    assert ids(report, "S3-PDCA-STALE") == ["S3-PDCA-STALE@annex-a-factory"]
    assert report.pdca.earlier_scheme_reviews == ()


def test_a_review_naming_the_current_digest_is_not_of_the_earlier_scheme(
    tmp_path: Path, assess: Assess, ids: Ids
) -> None:
    base = ANNEX_A / "all-cases-reviewed.yaml"
    report = assess(_with_review(tmp_path, base, model_digest(load_model(base))))
    assert ids(report, "S3-PDCA-CHANGE-UNREVIEWED") == [] and ids(report, "S3-PDCA-STALE") == []
    assert report.pdca.earlier_scheme_reviews == ()
