"""Smartification review: what a planned change does to the factory, in the order of the appendix's procedure.

``review(before, after, catalog)`` compares two model versions. It analyses
both with :func:`factorysec.analysis.analyze` and diffs models and assessments
by stable ids, so every rule that lands in the registry is picked up without
a change here. The result follows Annex A's three steps and the appendix:

1. elements added, removed or changed (Step 1-2 new operations, Step 1-4
   protected objects, Step 1-6 zones, Step 1-7 conduits, Step 1-1 parties);
2. new data flows and the zones they connect (Annex A step 2);
3. zoning: new and split zones, zones whose requirements must be reviewed,
   zoning findings new or resolved (Annex A step 3, Step 1-6);
4. requirements within and between zones new or changed (Table 3-4);
5. threats new, gone or with a changed risk level or text, and measures newly
   required (Step 1-7, 2-1, 2-2);
6. new stakeholders, the checklists they bring (Tables 3-10 to 3-12) and the
   responsibility boundaries to settle (Step 3, Annex A case (ii));
7. BCP review viewpoints triggered (Appendix 3.1.1 (1)).

One module per job: :mod:`.model` (what a review holds), :mod:`.elements`
(1, 2 and zone splits), :mod:`.findings` (findings, requirements, measures),
:mod:`.zones` (zones to review), :mod:`.supply_chain` (6 and 7),
:mod:`.highlights` (what the diagrams mark); this module puts them together.
Pure: no file is read, nothing is printed.
"""

from __future__ import annotations

from factorysec.analysis import analyze
from factorysec.analysis.review.elements import data_flows, diff_elements, splits
from factorysec.analysis.review.findings import (
    FindingIndex,
    all_findings,
    diff_findings,
    diff_requirements,
    required_measures,
)
from factorysec.analysis.review.highlights import before_highlight_ids, highlight_ids
from factorysec.analysis.review.model import (
    BcpItem,
    ChangeReview,
    ChecklistDue,
    DataFlow,
    ElementChange,
    FieldChange,
    FindingChange,
    MeasureRequired,
    NewStakeholder,
    RequirementChange,
    ResponsibilityBoundary,
    ReviewedChange,
    ZoneReason,
    ZoneSplit,
    ZoneToReview,
    ZoningReview,
)
from factorysec.analysis.review.supply_chain import bcp, checklists, responsibilities, stakeholders
from factorysec.analysis.review.zones import zones_to_review
from factorysec.catalog import Catalog
from factorysec.model.entities import FactoryModel
from factorysec.model.loader import LoadedModel


def _as_model(version: LoadedModel | FactoryModel) -> FactoryModel:
    return version.model if isinstance(version, LoadedModel) else version


def review(before: LoadedModel | FactoryModel, after: LoadedModel | FactoryModel, catalog: Catalog) -> ChangeReview:
    """The smartification review of going from BEFORE to AFTER (Annex A steps 1-3 and the appendix's Steps 1-3)."""
    return review_versions(before, after, catalog).review


def review_versions(
    before: LoadedModel | FactoryModel, after: LoadedModel | FactoryModel, catalog: Catalog
) -> ReviewedChange:
    """Analyse both versions once and review the change; keeps the models and assessments the review was made from."""
    old_model, new_model = _as_model(before), _as_model(after)
    old, new = analyze(old_model, catalog), analyze(new_model, catalog)
    index = FindingIndex(new)
    elements = diff_elements(old_model, new_model, index)
    findings = diff_findings(old, new)
    zoning_findings = tuple(f for f in findings if f.category == "zoning")
    requirements = diff_requirements(old, new)
    added_zones = {e.id for e in elements if e.kind == "zone" and e.change == "added"}
    zone_splits = splits(old_model, new_model, added_zones, index)
    due = checklists(old, new, elements, index)
    zoning = ZoningReview(
        new_zones=tuple(e.id for e in elements if e.kind == "zone" and e.change == "added"),
        removed_zones=tuple(e.id for e in elements if e.kind == "zone" and e.change == "removed"),
        splits=zone_splits,
        zones_to_review=zones_to_review(
            old_model, new_model, elements, zone_splits, zoning_findings, requirements, index
        ),
        findings=zoning_findings,
    )
    change_review = ChangeReview(
        factory_id=new_model.factory.id,
        title=after.change_title if isinstance(after, LoadedModel) else None,
        before_digest=old.model_digest,
        after_digest=new.model_digest,
        elements=elements,
        data_flows=data_flows(new_model, elements, index),
        zoning=zoning,
        requirements=requirements,
        threats=tuple(f for f in findings if f.category != "zoning"),
        measures=required_measures(old, new, new_model, catalog),
        stakeholders=stakeholders(new_model, elements, due, catalog, index),
        checklists=due,
        responsibilities=responsibilities(new_model, elements, index),
        bcp=bcp(old_model, new_model, elements, catalog, index),
    )
    return ReviewedChange(
        before=old_model, after=new_model, before_assessment=old, after_assessment=new, review=change_review
    )


def review_change_file(loaded: LoadedModel, catalog: Catalog) -> ChangeReview:
    """Review a change file on its own: BEFORE is its base, AFTER the base with the change applied."""
    if loaded.base is None:
        raise ValueError("not a change file: it has no 'change: {base: ...}' header")
    return review(loaded.base, loaded, catalog)


__all__ = [
    "BcpItem",
    "ChangeReview",
    "ChecklistDue",
    "DataFlow",
    "ElementChange",
    "FieldChange",
    "FindingChange",
    "MeasureRequired",
    "NewStakeholder",
    "RequirementChange",
    "ResponsibilityBoundary",
    "ReviewedChange",
    "ZoneReason",
    "ZoneSplit",
    "ZoneToReview",
    "ZoningReview",
    "all_findings",
    "before_highlight_ids",
    "diff_elements",
    "diff_findings",
    "diff_requirements",
    "highlight_ids",
    "review",
    "review_change_file",
    "review_versions",
]
