"""Files that steer Step 2 besides the model: the per-company scoring config and the decisions file.

Both are read with :func:`factorysec.yamlio.read_yaml` (safe, line
numbers kept) and validated with pydantic; every problem is reported as
``file:line:column: field: message`` through :class:`ModelInputError`, so the
CLI prints it and exits 2 like any other invalid input.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from factorysec.model.loader import pydantic_said
from factorysec.model.problems import ModelInputError, Problem, field_path
from factorysec.problems import Said
from factorysec.yamlio import Path_, YamlReadError, read_yaml

DecisionStatus = Literal["accepted", "mitigated", "false-positive", "in-progress"]
CLOSED_STATUSES: frozenset[str] = frozenset({"accepted", "mitigated", "false-positive"})
"""Statuses that close a finding for ``--fail-on``; ``in-progress`` keeps it open."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Decision(_Strict):
    """A decision on one finding, keyed on its stable id (``RULE@subject``)."""

    finding: Annotated[str, StringConstraints(min_length=1, max_length=300)] = Field(
        description="Finding id, as printed by 'analyze'."
    )
    status: DecisionStatus = Field(description="accepted, mitigated, false-positive or in-progress.")
    justification: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] = Field(
        description="Why; required."
    )
    owner: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] = Field(
        description="Who owns the decision; required."
    )
    date: dt.date | None = Field(None, description="When it was decided.")
    review_by: dt.date | None = Field(None, description="When it must be looked at again.")
    line: int = Field(default=0, exclude=True, description="Line in the decisions file, filled in by the reader.")
    file: str = Field(default="", exclude=True, description="Decisions file, filled in by the reader.")


class DecisionsFile(_Strict):
    decisions: list[Decision] = Field(default_factory=list)


Level = Literal["low", "medium", "high", "critical"]


class AxisWeights(_Strict):
    """How much each value axis of Step 1-5 counts in the impact; business continuity first by default."""

    safety: float = Field(default=0.9, ge=0, le=10)
    quality: float = Field(default=0.7, ge=0, le=10)
    delivery: float = Field(default=0.8, ge=0, le=10)
    cost: float = Field(default=0.5, ge=0, le=10)
    business_continuity: float = Field(default=1.0, ge=0, le=10)
    confidentiality: float = Field(
        default=0.9, ge=0, le=10, description="Counted only for data theft and leakage threats."
    )
    integrity: float = Field(
        default=0.9, ge=0, le=10, description="Counted only for data falsification and destruction threats."
    )


class LevelThresholds(_Strict):
    """Minimum score (likelihood × impact, 1 to 16 with default weights) for each level."""

    critical: float = Field(default=12, gt=0)
    high: float = Field(default=8, gt=0)
    medium: float = Field(default=4, gt=0)


class ScoringConfig(_Strict):
    """A company's risk scoring scheme (documented in docs/scoring.md)."""

    weights: AxisWeights = Field(default_factory=AxisWeights)
    levels: LevelThresholds = Field(default_factory=LevelThresholds)
    controls_per_step: float = Field(
        default=2, gt=0, description="Controls on the weakest path that lower likelihood by one step."
    )
    trait_steps: dict[str, int] = Field(
        default_factory=lambda: {
            "general-purpose": 1,
            "oss": 1,
            "remote-access": 1,
            "wireless": 1,
            "cloud": 1,
            "removable-media": 1,
        },
        description="Asset traits that raise likelihood, and by how many steps (the largest applies).",
    )
    business_interruption_threats: tuple[str, ...] = Field(
        default=(
            "theft-destruction-unauthorized-operation",
            "abnormal-control-shutdown",
            "reduced-availability",
            "system-failure",
            "facility-environment",
            "natural-environment",
        ),
        description="Threat types that can interrupt the business; they rank first (Step 2-1).",
    )
    business_interruption_first: bool = True
    partial_credit: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="How much a partially implemented measure lowers residual likelihood, in steps.",
    )


class ScoringFile(_Strict):
    scoring: ScoringConfig = Field(
        description="Required: a file without it says nothing (``scoring: {}`` is the defaults)."
    )


M = TypeVar("M", bound=BaseModel)


def _problem(
    display: str, locations: dict[Path_, tuple[int, int]], path: Path_, message: str, hint: str = ""
) -> Problem:
    """A problem at the nearest recorded position of ``path`` (walking up to its parent)."""
    probe = tuple(path)
    while probe and probe not in locations:
        probe = probe[:-1]
    line, column = locations.get(probe, (1, 1))
    return Problem(display, line, column, field_path(path), message, hint)


def _read(
    path: Path, root: type[M], display: str | None = None, *, if_empty: tuple[str, str] | None = None
) -> tuple[M, dict[Path_, tuple[int, int]]]:
    """Read and validate one file; ``if_empty``: the message and hint that refuse a file holding nothing (empty, or
    only comments and blank lines), else such a file reads as an empty mapping."""
    display = display or str(path)
    try:
        read = read_yaml(path, display, record_locations=True)
    except YamlReadError as exc:
        raise ModelInputError(exc.problems) from None
    if read.data is None and if_empty is not None:
        raise ModelInputError([Problem(display, 1, 1, "", *if_empty)])
    data: Any = read.data if read.data is not None else {}
    locations = read.locations or {}
    if not isinstance(data, dict):
        raise ModelInputError([Problem(display, 1, 1, "", Said("plan.top_not_mapping", kind=type(data).__name__))])
    try:
        return root.model_validate(data), locations
    except ValidationError as exc:
        problems = [
            _problem(display, locations, tuple(e["loc"]), pydantic_said(e, e["msg"]))
            for e in exc.errors(include_url=False)
        ]
        raise ModelInputError(problems) from None


def read_decisions(path: Path, display: str | None = None) -> tuple[Decision, ...]:
    """Read a decisions file; a missing file means no decisions. Duplicate finding ids are an error."""
    if not path.exists():
        return ()
    display = display or str(path)
    document, locations = _read(path, DecisionsFile, display)
    seen: dict[str, int] = {}
    result: list[Decision] = []
    problems: list[Problem] = []
    for index, decision in enumerate(document.decisions):
        line = locations.get(("decisions", index), (1, 1))[0]
        if decision.finding in seen:
            problems.append(
                _problem(
                    display,
                    locations,
                    ("decisions", index, "finding"),
                    Said("plan.decision_twice", finding=decision.finding, line=seen[decision.finding]),
                    Said("plan.keep_one"),
                )
            )
        seen.setdefault(decision.finding, line)
        result.append(decision.model_copy(update={"line": line, "file": display}))
    if problems:
        raise ModelInputError(problems)
    return tuple(result)


def read_scoring(
    path: Path, threat_types: frozenset[str], traits: frozenset[str], display: str | None = None
) -> ScoringConfig:
    """Read a scoring config; threat-type and trait names are checked against the catalog and the model."""
    display = display or str(path)
    document, locations = _read(
        path,
        ScoringFile,
        display,
        if_empty=(
            Said("plan.scoring_empty"),
            Said("plan.scoring_empty.hint"),
        ),
    )
    config = document.scoring
    problems: list[Problem] = []
    for index, threat in enumerate(config.business_interruption_threats):
        if threat not in threat_types:
            problems.append(
                _problem(
                    display,
                    locations,
                    ("scoring", "business_interruption_threats", index),
                    Said("plan.unknown_threat", threat=threat),
                    Said("plan.unknown_threat.hint"),
                )
            )
    for trait in config.trait_steps:
        if trait not in traits:
            problems.append(
                _problem(
                    display,
                    locations,
                    ("scoring", "trait_steps", trait),
                    Said("plan.unknown_trait", trait=trait),
                    Said("plan.unknown_trait.hint", traits=", ".join(sorted(traits))),
                )
            )
    levels = config.levels
    if not levels.critical > levels.high > levels.medium:
        problems.append(_problem(display, locations, ("scoring", "levels"), Said("plan.thresholds")))
    if problems:
        raise ModelInputError(problems)
    return config
