"""The organisation's maturity per area of Table 3-9 (Appendix 3.3 (1)(ii), Figure 3-5), and the next step for each."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from factorysec.analysis.findings import Finding, Subject, text
from factorysec.analysis.lifecycle.rules import MATURITY_UNASSESSED
from factorysec.catalog import Catalog, Text
from factorysec.model.entities import FactoryModel, MaturityRating

NONE_LEVEL = "none"


class MaturityStatus(BaseModel):
    """One area: the level reached (None when unassessed) and how to climb from it."""

    model_config = ConfigDict(frozen=True)
    area: str
    title: Text
    level: str | None
    evidence: str | None = None
    assessed: dt.date | None = None
    next_step: Text
    reference: str


def _next_step(catalog: Catalog, area: str, level: str | None) -> Text:
    lowest = min(catalog.maturity_levels.values(), key=lambda lv: lv.rank)
    if level is None or level == NONE_LEVEL:
        goal = catalog.maturity_cell(area, lowest.id).example
        prefix = Text(
            en="Assess this area" if level is None else "Reach the basic level",
            ja="この領域を評価する" if level is None else "基礎の水準に到達する",
        )
        return Text(en=f"{prefix.en}: {goal.en}", ja=f"{prefix.ja}：{goal.ja}")
    return catalog.maturity_cell(area, level).next_step


def build_maturity(model: FactoryModel, catalog: Catalog) -> tuple[MaturityStatus, ...]:
    """One status per catalog area, in catalog order (the model loader allows one rating per area)."""
    ratings: dict[str, MaturityRating] = {rating.area: rating for rating in model.maturity}
    statuses = []
    for area in catalog.maturity_areas.values():
        found = ratings.get(area.id)
        level = found.level if found else None
        statuses.append(
            MaturityStatus(
                area=area.id,
                title=area.title,
                level=level,
                evidence=found.evidence if found else None,
                assessed=found.assessed if found else None,
                next_step=_next_step(catalog, area.id, level),
                reference=area.ref,
            )
        )
    return tuple(statuses)


def maturity_findings(model: FactoryModel, statuses: tuple[MaturityStatus, ...]) -> list[Finding]:
    """S3-MATURITY-UNASSESSED per area with no recorded level."""
    return [
        MATURITY_UNASSESSED.finding(
            Subject(kind="factory", id=model.factory.id),
            text(
                f"{status.title.en}: no maturity level recorded (none, basic, practice or application)",
                f"{status.title.ja}：成熟度の水準（なし・基礎・実践・応用）が記録されていない",
            ),
            key=status.area,
        )
        for status in statuses
        if status.level is None
    ]
