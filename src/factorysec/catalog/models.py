"""Typed entries of the guideline catalog.

Every model is frozen and forbids unknown fields, so a typo in a data file is an
error rather than a silently ignored key.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)*$"
"""Lowercase kebab-case; composite ids (checklist items, OODA roles, maturity
cells) join kebab-case parts with dots."""

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
NonEmptyStr = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Lang = Literal["en", "ja"]

IEC62443_SR_PATTERN = r"^SR [1-7]\.[0-9]{1,2}$"
NIST_CSF_PATTERN = r"^(GV|ID|PR|DE|RS|RC)\.[A-Z]{2}$"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Frozen):
    """A text in both catalog languages."""

    en: NonEmptyStr
    ja: NonEmptyStr

    def get(self, lang: str) -> str:
        """Return the text in ``lang`` (``en`` or ``ja``).

        An unknown language is a caller bug, so it raises instead of silently
        falling back to English.
        """
        if lang == "en":
            return self.en
        if lang == "ja":
            return self.ja
        raise ValueError(f"unknown language {lang!r}; expected 'en' or 'ja'")

    def __str__(self) -> str:
        return self.en


class Entry(_Frozen):
    """Fields every catalog entry carries."""

    id: Id
    title: Text
    description: Text | None = None
    ref: NonEmptyStr


# --- steps (Table 1-1, Annex B) -------------------------------------------------


class ReferenceGuideline(_Frozen):
    """An Annex B reference guideline for a step."""

    id: Id
    title: Text
    publisher: Text
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]


class Step(Entry):
    section: Annotated[str, StringConstraints(pattern=r"^3\.[1-3](?:\.[1-7])?$")]
    parent: Id | None = None
    audiences: tuple[Id, ...] = ()
    references: tuple[ReferenceGuideline, ...] = ()


# --- Step 1-1: purposes, BCP, requirements, stakeholders -------------------------


class Purpose(Entry):
    examples: tuple[Text, ...] = Field(min_length=1)


class BcpViewpointGroup(Entry):
    pass


class BcpViewpoint(Entry):
    group: Id


class AudienceGroup(Entry):
    """A Table 1-1 department group (the readers a step addresses)."""


class DepartmentKind(Entry):
    group: Id


class PartyKind(Entry):
    """An external party kind; ``checklists`` and ``measure_categories`` say what may be asked of such a party.

    ``checklists``: the Step 3 checklists (Tables 3-10 to 3-12) for which a party of this kind is the counterpart
    (it provides the cloud service, supplies the product or the software); ``procured_from``: whether the factory
    procures from such a party at all; ``measure_categories``: the categories of
    the measures tied to one kind of counterpart (cloud services, hardware, software, Appendix 3.2.2 (1)(i)-(ii)) that
    fit it. Measures of the other categories (network, data, physical, operation) are the factory's own and fit any party.
    """

    group: Id | None = None
    checklists: tuple[Literal["cloud-service", "general-purpose-product", "software"], ...] = (
        "cloud-service",
        "general-purpose-product",
        "software",
    )
    measure_categories: tuple[Literal["cloud", "hardware", "software"], ...] = ("cloud", "hardware", "software")
    procured_from: bool = True
    """False for a party the factory procures nothing from (a public authority it must report to): what such a party
    runs or lends (``managed_by`` or ``supplier``) gets no Step 3 checklist, as an asset marked ``procured: false``."""


class IncidentImpactViewpoint(Entry):
    pass


class RequirementKind(Entry):
    pass


class StandardConsequence(_Frozen):
    """One concrete thing a standard or law asks of a factory that declares it, with the text it rests on.

    ``parts``: the parts of the standard it belongs to (ids of the standard's ``parts``); empty, whichever apply.
    """

    id: Id
    applies: Literal["suppliers", "new-products", "products", "factory"]
    """What it is checked on: each supplying party, each new procured product, each procured product, or the factory."""
    title: Text
    ref: NonEmptyStr
    parts: tuple[Id, ...] = ()


class StandardPart(Entry):
    """One part of a law or standard that applies to some factories and not to others (a closed vocabulary per
    standard, which a requirement's ``parts`` names).

    ``assumed``: the part taken to apply when a requirement names the standard without saying which parts apply (the
    one the guideline speaks of); a finding resting on that assumption says so.
    """

    assumed: bool = False


class Standard(Entry):
    kind: Id
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    consequences: tuple[StandardConsequence, ...] = ()
    parts: tuple[StandardPart, ...] = ()

    @property
    def part_ids(self) -> tuple[str, ...]:
        """The ids of its parts, in catalog order (none for a standard not split into parts)."""
        return tuple(part.id for part in self.parts)

    @property
    def assumed_parts(self) -> tuple[str, ...]:
        """The parts taken to apply when a requirement names none."""
        return tuple(part.id for part in self.parts if part.assumed)


class UnexpectedEventPractice(Entry):
    """A practice for events the previous system could not anticipate (Appendix 3.3 (1)(ii)).

    ``example_only``: the guideline names it as one example of a means (a tool), not as a practice every factory needs.
    """

    example_only: bool = False


# --- Steps 1-2 to 1-5: tasks, protected objects -----------------------------------


class Task(Entry):
    category: Literal["function", "component"]
    details: tuple[Text, ...] = Field(min_length=1)


class Component(Entry):
    """A protected-object component; ``object_type`` is filled in from the enclosing type."""

    object_type: Id
    origin: Literal["smartification", "existing"]


class ObjectType(Entry):
    components: tuple[Component, ...]


# --- Step 1-7: threats and viewpoints --------------------------------------------


class ThreatType(Entry):
    pass


class ViewpointDetail(_Frozen):
    id: Id
    title: Text
    description: Text | None = None


class Viewpoint(Entry):
    scope: Literal["within-zone", "between-zones"]
    details: tuple[ViewpointDetail, ...] = Field(min_length=1)


class RiskArea(Entry):
    pass


class RiskMatter(Entry):
    area: Id
    risk: Text
    viewpoint: Id
    example_threat: Text
    threat_types: tuple[Id, ...] = Field(min_length=1)


# --- Step 2-2: measures ---------------------------------------------------------

MeasureCategory = Literal["network", "cloud", "hardware", "software", "data", "physical", "operation"]
MeasureArea = Literal["network", "equipment", "programs-services"]


class Measure(Entry):
    category: MeasureCategory
    description: Text
    threat_types: tuple[Id, ...] = Field(min_length=1)
    iec62443_sr: tuple[Annotated[str, StringConstraints(pattern=IEC62443_SR_PATTERN)], ...] = ()
    nist_csf: tuple[Annotated[str, StringConstraints(pattern=NIST_CSF_PATTERN)], ...] = ()
    cost: Literal["low", "medium", "high"] | None = None


class ThreatExample(_Frozen):
    """A Table 3-6 row: a threat in smartification and the measures that answer it.

    ``measure_area`` is the first (primary) type of measure the guideline names;
    ``measure_areas`` lists all of them, since row 4 names two.
    """

    id: Id
    threat_type: Id
    content: Text
    measure_area: MeasureArea
    measure_areas: tuple[MeasureArea, ...] = Field(min_length=1)
    measures: tuple[Id, ...] = Field(min_length=1)
    ref: NonEmptyStr


# --- Step 3: checklists, OODA, maturity --------------------------------------------

ChecklistKind = Literal["cloud-service", "general-purpose-product", "software"]
ChecklistStage = Literal["procurement", "contract", "development", "operation-maintenance"]


class ChecklistKindEntry(Entry):
    id: ChecklistKind


class ChecklistStageEntry(Entry):
    id: ChecklistStage


class ChecklistItem(Entry):
    kind: ChecklistKind
    stage: ChecklistStage


class ChecklistNote(_Frozen):
    """A remark attached to a checklist stage, such as why a stage has no items."""

    id: Id
    kind: ChecklistKind
    stage: ChecklistStage
    text: Text
    ref: NonEmptyStr


class OodaStage(Entry):
    pass


class OodaPhase(Entry):
    pass


class OodaRole(_Frozen):
    """Who leads, who decides and what is done in one OODA phase of one stage."""

    id: Id
    stage: Id
    phase: Id
    lead: Id
    decision_makers: tuple[Id, ...] = Field(min_length=1)
    decision_note: Text | None = None
    activities: tuple[Text, ...] = Field(min_length=1)
    ref: NonEmptyStr


class MaturityArea(Entry):
    pass


class MaturityLevel(Entry):
    rank: int = Field(ge=1)


class MaturityCell(_Frozen):
    """One cell of Table 3-9: an example at one level and how to climb to the next."""

    id: Id
    area: Id
    level: Id
    example: Text
    next_step: Text
    ref: NonEmptyStr


class MaturityDefinition(Entry):
    description: Text
