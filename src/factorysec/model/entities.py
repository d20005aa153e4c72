"""The factory model: every entity the guideline's Steps 1-1 to 3 organise.

Field names are what a factory engineer would write by hand in YAML. Catalog
references (purposes, tasks, component types, department and party kinds,
standards, measures, checklist items) are plain ids here; they are checked
against the catalog by :mod:`factorysec.model.references`, not by the schema,
so that the catalog stays data and can grow without a code change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Callable
from enum import StrEnum
from ipaddress import ip_address, ip_network
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StringConstraints,
    TypeAdapter,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from factorysec.problem_texts import TEMPLATES

ElementId = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=128),
    Field(description="Stable identifier: letters, digits, '.', '_' or '-'; unique in the whole model."),
]
CatalogId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9./-]*$", max_length=128)]
ProtocolId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9.+/_-]*$", max_length=64)]


OWN_ERRORS = frozenset(
    {"number_not_bool", "iso_date", "not_ip_address", "not_ip_network", "importance_differs", "one_way_two_way"}
)
"""The pydantic error types this module raises with a message of its own: each a code of
:mod:`factorysec.problem_texts`, whose parameters are the error's ``ctx``."""


def _own_error(code: str, **ctx: str) -> PydanticCustomError:
    """A pydantic error of ``code`` (one of :data:`OWN_ERRORS`), its message the code's English text."""
    return PydanticCustomError(code, TEMPLATES[code]["en"], ctx)


def _check_address(value: str) -> str:
    try:
        ip_address(value)
    except ValueError:
        raise _own_error("not_ip_address", value=repr(value)) from None
    return value


def _check_subnet(value: str) -> str:
    try:
        ip_network(value, strict=False)
    except ValueError:
        raise _own_error("not_ip_network", value=repr(value)) from None
    return value


IpAddress = Annotated[str, AfterValidator(_check_address)]


def _not_true_or_false(value: object) -> object:
    """YAML's ``true``/``false`` (or a workbook's TRUE) is not a number: taken as 1 or 0, it would change the model
    without a word (a review interval of one day)."""
    if isinstance(value, bool):
        raise _own_error("number_not_bool", got=repr(value))
    return value


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: object) -> object:
    """A date is written as an ISO date (``2026-04-01``): a number, or digits, would be read as seconds since 1970
    (``0`` becomes 1970-01-01) and a true/false as a number of them."""
    if isinstance(value, bool | int | float) or (isinstance(value, str) and not _ISO_DATE.fullmatch(value.strip())):
        raise _own_error("iso_date", got=repr(value))
    return value


LISTED_TWICE = "listed_twice"
"""The pydantic error type of a list that names one value more than once (see :class:`_ListedOnce`)."""


def _same_address(value: str) -> object:
    return ip_address(value)


def _same_subnet(value: str) -> object:
    return ip_network(value, strict=False)


@dataclasses.dataclass(frozen=True)
class _ListedOnce:
    """Marks a list (``Annotated[list[...], ListedOnce]``) that may name each of its values only once.

    A list of ids, enum values or addresses says nothing more by naming a value twice, and a repeat is most often a
    slip (a line copied, a value meant to be another): the first repeat is refused, at its index (``ctx['index']``),
    as ``'x' is listed twice``. ``key`` makes two spellings of one value the same (``::1`` and ``0::1``). The JSON
    Schema says ``uniqueItems``.
    """

    key: Callable[[Any], object] | None = None

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {**handler(schema), "uniqueItems": True}

    def check(self, values: list[Any]) -> list[Any]:
        if len(values) < 2:  # most lists: nothing to compare (a 100k-asset model has hundreds of thousands)
            return values
        keys = values if self.key is None else [self.key(value) for value in values]
        if len(set(keys)) == len(keys):  # the common case, in one pass in C
            return values
        first: dict[Any, int] = {}
        for index, key in enumerate(keys):
            at = first.setdefault(key, index)
            if at == index:
                continue
            times = keys.count(key)
            value, earlier = str(values[index]), str(values[at])
            raise PydanticCustomError(
                LISTED_TWICE,
                "'{value}' is listed {times}{spelled}",
                {
                    "value": value,
                    "index": index,
                    "times": "twice" if times == 2 else f"{times} times",
                    "count": times,
                    "earlier": earlier,
                    "spelled": "" if value == earlier else f", first as '{earlier}'",
                },
            )
        return values


ListedOnce = _ListedOnce()
"""A list whose values may each appear only once (see :class:`_ListedOnce`)."""


WholeNumber = Annotated[int, BeforeValidator(_not_true_or_false)]
Number = Annotated[float, BeforeValidator(_not_true_or_false)]
Date = Annotated[dt.date, BeforeValidator(_iso_date)]
IntervalDays = Annotated[WholeNumber, Field(ge=1, le=36_500)]
"""A review interval: a day to a hundred years (a longer one would put its due date past the calendar's end)."""
COUNTRY_PATTERN = r"^[A-Z]{2}$"
CountryCode = Annotated[str, StringConstraints(pattern=COUNTRY_PATTERN)]
Subnet = Annotated[str, AfterValidator(_check_subnet)]


class Importance(StrEnum):
    """Ordered importance scale used for operations, assets and zones."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _IMPORTANCE_RANK[self]


_IMPORTANCE_RANK = {Importance.LOW: 1, Importance.MEDIUM: 2, Importance.HIGH: 3, Importance.CRITICAL: 4}
_IMPORTANCE_BY_RANK = {rank: level for level, rank in _IMPORTANCE_RANK.items()}
_IMPORTANCE_VALUES = frozenset(level.value for level in Importance)


class Lifecycle(StrEnum):
    """Whether an element exists today or is added or changed by smartification (Step 1-2)."""

    EXISTING = "existing"
    NEW = "new"
    CHANGED = "changed"


class AssetType(StrEnum):
    """The protected-object types of Table 3-3."""

    EXTERNAL_SERVICE = "external-service"
    EQUIPMENT = "equipment"
    SOFTWARE = "software"
    DATA = "data"


class Trait(StrEnum):
    """Facts about an asset that drive threats (Table 2-1, Step 1-2 scope expansions)."""

    GENERAL_PURPOSE = "general-purpose"
    BUILT_IN_COMPUTER = "built-in-computer"
    WIRELESS = "wireless"
    REMOTE_ACCESS = "remote-access"
    OSS = "oss"
    CLOUD = "cloud"
    ISSUES_CONTROL_INSTRUCTIONS = "issues-control-instructions"
    EXTERNAL_EQUIPMENT = "external-equipment"
    BOUNDARY_DEVICE = "boundary-device"
    REMOVABLE_MEDIA = "removable-media"
    HARD_WIRED = "hard-wired"


class ZoneKind(StrEnum):
    """What a zone is for; decides whether it sits on the control (FA), office (OA) or external side."""

    PRODUCTION = "production"
    LOGISTICS = "logistics"
    PRODUCTION_CONTROL = "production-control"
    MONITORING = "monitoring"
    ENGINEERING = "engineering"
    OFFICE = "office"
    EXTERNAL = "external"
    DMZ = "dmz"
    OTHER = "other"

    @property
    def side(self) -> Literal["fa", "oa", "external", "boundary", "other"]:
        return _ZONE_SIDE[self]


_ZONE_SIDE: dict[ZoneKind, Literal["fa", "oa", "external", "boundary", "other"]] = {
    ZoneKind.PRODUCTION: "fa",
    ZoneKind.LOGISTICS: "fa",
    ZoneKind.PRODUCTION_CONTROL: "fa",
    ZoneKind.MONITORING: "fa",
    ZoneKind.ENGINEERING: "fa",
    ZoneKind.OFFICE: "oa",
    ZoneKind.EXTERNAL: "external",
    ZoneKind.DMZ: "boundary",
    ZoneKind.OTHER: "other",
}


class ExternalNetwork(StrEnum):
    """The network outside the factory that a conduit crosses, if any."""

    NONE = "none"
    INTERNET = "internet"
    VPN = "vpn"
    CLOSED_CARRIER = "closed-carrier"
    MOBILE = "mobile"
    PARTNER_NETWORK = "partner-network"


class _Entity(BaseModel):
    """The base of every model class. A number must be finite (``inf``, ``nan`` or ``1e309`` are refused): JSON, the
    report formats and the workspace's store hold none other."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, use_enum_values=False, allow_inf_nan=False)


class ImportanceRatings(_Entity):
    """Importance on each value axis of Step 1-5 (S, Q, D, C and business continuity), and of the data held.

    The value axes say what is at stake for the factory; ``confidentiality`` and
    ``integrity`` say how much the data an asset is or holds must be kept
    secret and unaltered (Step 1-7 data attributes). Every axis is optional.
    """

    safety: Importance | None = Field(None, description="Safety assurance (S).")
    quality: Importance | None = Field(None, description="Quality assurance (Q).")
    delivery: Importance | None = Field(None, description="On-time delivery and delay prevention (D).")
    cost: Importance | None = Field(None, description="Cost reduction (C).")
    business_continuity: Importance | None = Field(None, description="Business expansion and continuity (BC).")
    confidentiality: Importance | None = Field(
        None,
        description="How much the data must be kept secret; for data assets, empty means taken from the data's scope of disclosure.",
    )
    integrity: Importance | None = Field(
        None,
        description="How much the data must be kept unaltered; for data assets, empty means the highest of their safety and quality ratings.",
    )

    def highest(self) -> Importance | None:
        """The highest rating on any axis, None when no axis is rated."""
        levels = [level for level in self.__dict__.values() if isinstance(level, Importance)]
        return max(levels, key=_IMPORTANCE_RANK.__getitem__) if levels else None


class Factory(_Entity):
    """The factory and why it is being made smart (Step 1-1 (1), Table 3-1)."""

    id: ElementId
    name: str = Field(description="Display name of the factory.")
    industry: Literal["processing-assembly", "material-process", "other"] = Field(
        "other",
        description="Processing/assembly lines can usually be zoned by operation; material/process industries often cannot (Annex A note).",
    )
    purposes: Annotated[list[CatalogId], ListedOnce] = Field(
        default_factory=list, description="Smartification purposes, ids from Table 3-1 (catalog 'purposes')."
    )
    purpose_notes: str | None = Field(None, description="How the purposes follow from the management goals.")
    location: str | None = Field(None, description="Site or address.")
    review_interval_days: IntervalDays = Field(
        365, description="How often the PDCA review of Step 3 must happen, in days."
    )
    country: CountryCode | None = Field(
        None,
        description="ISO 3166-1 alpha-2 code of the factory's country; empty means JP. A party in another country is overseas (Step 1-1 (3)).",
    )
    pdca_owner: ElementId | None = Field(
        None, description="Department that owns the PDCA cycle of Step 3 (3.3 (1)(ii): an organisation able to run it)."
    )
    manuals: Annotated[list[Literal["security-measures", "incident-response"]], ListedOnce] = Field(
        default_factory=list,
        description="Manuals compiled for security measures and for incident response (3.3 (1)(ii)).",
    )
    last_training: Date | None = Field(
        None, description="When staff were last trained to respond to cybersecurity issues (3.3 (1)(ii))."
    )
    unexpected_event_practices: Annotated[list[CatalogId], ListedOnce] = Field(
        default_factory=list,
        description="Practices in place for unexpected events, ids from catalog 'unexpected_event_practices' (3.3 (1)(ii)).",
    )


class Bcp(_Entity):
    """Business continuity plan status and the review viewpoints it covers (Step 1-1 (1))."""

    exists: bool = Field(description="Whether a BCP has been formulated.")
    last_reviewed: Date | None = Field(None, description="When the BCP was last reviewed.")
    review_interval_days: IntervalDays | None = Field(
        None,
        description="How often the BCP must be reviewed, in days; empty means the factory's review interval.",
    )
    covers: Annotated[list[CatalogId], ListedOnce] = Field(
        default_factory=list, description="BCP review viewpoints already reflected, ids from catalog 'bcp_viewpoints'."
    )
    owner: ElementId | None = Field(None, description="Department in charge of the BCP.")
    notes: str | None = Field(None, description="Free text.")


class RequirementConsequence(_Entity):
    """One concrete thing a requirement asks of the factory, as the company states it."""

    applies: Literal["suppliers", "new-products", "products", "factory"] = Field(
        description="What it is checked on: every supplying party, each new procured product, every procured product, or the factory as a whole."
    )
    text: str = Field(description="What must be done or checked, in a line.")


class Requirement(_Entity):
    """An external or internal requirement on the factory's security (Step 1-1 (2) and (3))."""

    id: ElementId
    title: str = Field(description="What is required, in a line.")
    kind: CatalogId = Field(
        description="Kind of requirement, an id from catalog 'requirement_kinds' (law-regulation, standard, market-customer, internal ...)."
    )
    standard: CatalogId | None = Field(
        None,
        description="The standard or law it comes from, an id from catalog 'standards' (iec-62443, eu-cra, semi-e187 ...).",
    )
    parts: Annotated[list[CatalogId], ListedOnce] = Field(
        default_factory=list,
        description="The parts of its standard that apply to the factory, ids from catalog 'standard-parts' (jp-economic-security-act: core-infrastructure, critical-materials ...); empty means the part the catalog assumes (core-infrastructure).",
    )
    source: ElementId | None = Field(
        None, description="Party that imposes it (a customer, partner or authority), if modelled."
    )
    applies_to: Annotated[list[ElementId], ListedOnce] = Field(
        default_factory=list,
        description="Zones, assets, operations or conduits it applies to; empty means the whole factory.",
    )
    last_reviewed: Date | None = Field(
        None,
        description="When the factory last checked what this requirement asks of it (3.1.1 (2): review regularly).",
    )
    review_interval_days: IntervalDays | None = Field(
        None, description="How often it must be reviewed, in days; empty means the factory's review interval."
    )
    implies: list[RequirementConsequence] = Field(
        default_factory=list,
        description="The company's own consequences of this requirement, added to those the catalog knows for its standard.",
    )
    notes: str | None = Field(None, description="Free text, e.g. what smartification changes.")


class Department(_Entity):
    """An internal department or role holder (Step 1-1 (3))."""

    id: ElementId
    name: str = Field(description="Display name.")
    kind: CatalogId = Field(description="Department kind, an id from catalog 'department_kinds'.")
    location: Literal["factory", "head-office"] = Field("factory", description="Where the department sits.")
    head: str | None = Field(None, description="Role or name of the head of the department.")


class Party(_Entity):
    """An external stakeholder: supplier, cloud provider, outsourced vendor, subcontractor ... (Step 1-1 (3))."""

    id: ElementId
    name: str = Field(description="Display name.")
    kind: CatalogId = Field(description="Party kind, an id from catalog 'party_kinds'.")
    subcontractor_of: ElementId | None = Field(None, description="The party that subcontracts work to this one.")
    identified: bool = Field(
        True,
        description="False for a party known to exist (e.g. a vendor's subcontractor) but not yet identified (Step 1-1 (3)).",
    )
    country: CountryCode | None = Field(
        None,
        description="ISO 3166-1 alpha-2 code of where the party works from; another country than the factory's makes it overseas.",
    )
    remote_work: bool = Field(
        False,
        description="Whether the party works on the factory system remotely (also implied by maintaining a remote-access asset).",
    )
    status: Lifecycle = Field(Lifecycle.EXISTING, description="existing, or new through smartification.")
    incident_impact: Annotated[list[CatalogId], ListedOnce] = Field(
        default_factory=list,
        description="Incident-impact perspectives already studied for this party, ids from catalog 'incident_impact_viewpoints' (Step 1-1 (3)).",
    )
    vulnerability_contact: str | None = Field(
        None,
        description="Where this party takes and gives vulnerability information (needed for the OODA observe phase).",
    )
    contract: str | None = Field(None, description="Reference of the contract or terms of use.")
    notes: str | None = Field(None, description="Free text.")


class Operation(_Entity):
    """A series of tasks needed for production (Steps 1-2 and 1-3, Table 3-2)."""

    id: ElementId
    name: str = Field(description="Display name.")
    task: CatalogId | None = Field(None, description="The Table 3-2 task it achieves, an id from catalog 'tasks'.")
    purposes: Annotated[list[CatalogId], ListedOnce] = Field(
        default_factory=list, description="Smartification purposes it serves (Table 3-1)."
    )
    sourcing: Literal["in-house", "outsourced"] = Field(
        "in-house", description="Done in-house or outsourced to another company."
    )
    performed_by: ElementId | None = Field(None, description="Party that performs it when outsourced.")
    status: Lifecycle = Field(Lifecycle.EXISTING, description="existing, or new/changed through smartification.")
    importance_by_axis: ImportanceRatings | None = Field(
        None,
        description="Importance on each value axis (S, Q, D, C, BC); axes left empty do not apply to the operation (Steps 1-3, 1-5).",
    )
    importance: Importance = Field(
        description="Importance of the operation to the business (Step 1-3). Given alone, it is a single rating that every axis takes (and is reported as such);"
        " with importance_by_axis it must be the highest axis rating, and may be left out."
    )
    importance_reason: str | None = Field(None, description="Why the operation has that importance.")
    description: str | None = Field(None, description="Free text.")

    @model_validator(mode="before")
    @classmethod
    def _importance_from_axes(cls, data: Any) -> Any:
        """An operation rated per axis needs no separate overall rating: it is the highest axis rating."""
        if (
            isinstance(data, dict)
            and data.get("importance") is None
            and isinstance(data.get("importance_by_axis"), dict)
        ):
            ranks = [
                _IMPORTANCE_RANK[Importance(v)]
                for v in data["importance_by_axis"].values()
                if isinstance(v, str) and v in _IMPORTANCE_VALUES
            ]
            if ranks:
                data = {**data, "importance": _IMPORTANCE_BY_RANK[max(ranks)].value}
        return data

    @field_validator("importance_by_axis")
    @classmethod
    def _no_axes_is_absent(cls, value: ImportanceRatings | None) -> ImportanceRatings | None:
        """``importance_by_axis: {}`` rates no axis: the operation has a single rating, as if the field were left out."""
        return None if value is not None and value.highest() is None else value

    @field_validator("importance")
    @classmethod
    def _importance_is_highest_axis(cls, value: Importance, info: ValidationInfo) -> Importance:
        by_axis = info.data.get("importance_by_axis")
        highest = by_axis.highest() if isinstance(by_axis, ImportanceRatings) else None
        if highest is not None and highest is not value:
            raise _own_error("importance_differs", importance=value.value, highest=highest.value)
        return value


class DataLifecycleEvent(_Entity):
    """Where a data lifecycle event happens (METI data management framework: events)."""

    event: Literal["generation", "processing", "transfer", "storage", "disposal"] = Field(
        description="The lifecycle event."
    )
    zone: ElementId | None = Field(None, description="Zone where it happens.")
    note: str | None = Field(None, description="Free text.")


class DataAttributes(_Entity):
    """Attributes of a data asset from METI's data management framework cited in Step 1-7."""

    category: str | None = Field(
        None, description="Category of data, e.g. production, technical, personal, commercial."
    )
    disclosure: Literal["public", "partners", "internal", "restricted", "secret"] | None = Field(
        None, description="Scope of disclosure."
    )
    purpose_of_use: str | None = Field(None, description="Purpose for which the data may be used.")
    controller: ElementId | None = Field(None, description="Department or party that controls the data.")
    rights_holder: ElementId | None = Field(None, description="Department or party that holds rights in the data.")
    lifecycle: list[DataLifecycleEvent] = Field(
        default_factory=list, description="Generation, processing, transfer, storage and disposal, where it matters."
    )
    derived_from: Annotated[list[ElementId], ListedOnce] | None = Field(
        None,
        description="The data assets this data is made from (its lineage: a board program from the product master, a"
        " transport order from the work orders). Absent: not known; an empty list: made here from nothing else the model"
        " holds. THREAT-OUTSIDE-ORIGIN-CONTROL reads it to tell whether control instructions are built from data of"
        " outside origin.",
    )


class AssetIdentity(_Entity):
    """What an asset is, precisely enough to match vendor advisories and SBOMs to it (Tables 3-11, 3-12: vulnerability handling).

    Every field is optional: give what the nameplate, the engineering tool or
    the vendor's delivery note says. ``source`` records where the facts came
    from, so an observed identity (from discovery) is never mistaken for a
    declared one.
    """

    vendor: str | None = Field(
        None,
        description="Manufacturer as written on the product or in its advisories, e.g. 'Mitsubishi Electric', 'Siemens'. Spellings are matched through the catalog's vendor aliases.",
    )
    product: str | None = Field(
        None, description="Product family or line, e.g. 'SIMATIC S7-1500', 'MELSEC iQ-R', 'ControlLogix 5580'."
    )
    model: str | None = Field(
        None, description="Model or order number, e.g. '6ES7515-2AM01-0AB0', 'R04ENCPU'; the strongest match key."
    )
    hardware: str | None = Field(None, description="Hardware series or revision, when the vendor distinguishes them.")
    version: str | None = Field(
        None, description="Firmware or software version as the vendor writes it, e.g. 'V2.9.4', '1.260', 'R16A'."
    )
    serial: str | None = Field(None, description="Serial number; some advisories name affected units by serial range.")
    cpe: str | None = Field(None, description="CPE 2.3 name, when known (never guessed by the tool).")
    purl: str | None = Field(None, description="Package URL, for software assets.")
    sbom: str | None = Field(
        None, description="Path of the asset's CycloneDX or SPDX SBOM, relative to the model file."
    )
    source: Literal["declared", "observed"] = Field(
        "declared", description="declared by the factory, or observed by discovery in captures or Zeek logs."
    )
    evidence: str | None = Field(
        None,
        description="Where the facts come from: nameplate, engineering tool export, delivery note, capture file ...",
    )


class PhysicalLocation(_Entity):
    """Where something physically is: the facility environment Step 1-6 weighs when zoning."""

    site: str | None = Field(None, description="Site or plant.")
    building: str | None = Field(None, description="Building.")
    area: str | None = Field(None, description="Area, floor or room within the building.")


class Asset(_Entity):
    """A protected object: equipment, software, data or an external service (Steps 1-4 and 1-5, Table 3-3)."""

    id: ElementId
    name: str = Field(description="Display name.")
    type: AssetType = Field(description="Protected-object type of Table 3-3.")
    component: CatalogId | None = Field(
        None,
        description="What it is, an id from catalog 'components' (controller, scada, cloud-system, sensor-data ...).",
    )
    zone: ElementId | None = Field(None, description="The zone it belongs to. Every asset must be in a zone.")
    operations: Annotated[list[ElementId], ListedOnce] = Field(
        default_factory=list, description="Operations it serves; their importance flows to the asset."
    )
    status: Lifecycle = Field(Lifecycle.EXISTING, description="existing, or new/changed through smartification.")
    supplier: ElementId | None = Field(None, description="Party that supplied it.")
    maintainer: ElementId | None = Field(None, description="Party that maintains it; empty means in-house.")
    managed_by: ElementId | None = Field(None, description="Party that runs and manages it; empty means in-house.")
    procured: bool = Field(
        True,
        description="False when the factory neither bought nor specified it: an outside party owns it and put it in for its own service (a utility's demand monitor in the cubicle); it names that party in 'supplier' or 'managed_by'. No procurement checklist (Tables 3-10 to 3-12) is asked of it.",
    )
    traits: Annotated[list[Trait], ListedOnce] = Field(
        default_factory=list,
        description="Facts that drive threats: general-purpose, built-in-computer, wireless, remote-access, oss, cloud, issues-control-instructions, external-equipment, boundary-device, removable-media (USB sticks or other media carried in), hard-wired (no network interface: joined to its machine by wiring alone, so no network reaches it; no addresses, and not wireless, remote-access or cloud).",
    )
    importance: ImportanceRatings | None = Field(
        None,
        description="S/Q/D/C/BC ratings, any left empty derived per axis from the operations served; confidentiality and integrity, any left empty derived"
        " from the data (for a data asset) or from the data assets it stores or processes.",
    )
    addresses: Annotated[list[IpAddress], _ListedOnce(_same_address)] = Field(
        default_factory=list, description="IP addresses, for discovery."
    )
    location: PhysicalLocation | None = Field(
        None, description="Where it physically is (Step 1-6 procedure 3: zone by facility environment)."
    )
    recovery_target_hours: Number | None = Field(
        None, gt=0, description="Recovery time target from the BCP, in hours (Step 1-6 procedure 3: zone by BCP)."
    )
    data: DataAttributes | None = Field(None, description="Data management attributes; only for assets of type data.")
    identity: AssetIdentity | None = Field(
        None, description="Vendor, product, model number, version, serial and their source, for vulnerability intake."
    )
    description: str | None = Field(None, description="Free text.")
    separation_exception: Literal["private-cloud", "contract-measures"] | None = Field(
        None,
        description="Annex A case (ii): why this external service may stay in the zone it serves rather than a zone of its own:"
        " 'private-cloud' (run in-house or as a private cloud within the enterprise systems) or 'contract-measures' (the"
        " service contract includes the needed security measures; the party that runs it names the contract). Only for"
        " external services and assets run by a party.",
    )

    data_separation: Literal["per-holder-access", "separate-storage", "encryption", "none"] | None = Field(
        None,
        description="How this asset keeps apart the confidential data of different rights holders (several customers'"
        " designs on one server): 'per-holder-access' (each holder's data reachable only by the people of its project),"
        " 'separate-storage' (a store, volume or instance per holder), 'encryption' (each holder's data under its own"
        " key) or 'none' (stated: not kept apart). Absent: not stated. DATA-MIXED-RIGHTS-HOLDERS reads it; not for data"
        " assets, which hold no other data.",
    )

    @field_validator("importance", "data", "identity", "location")
    @classmethod
    def _empty_group_is_absent(cls, value: _Entity | None) -> _Entity | None:
        """``importance: {}`` says no more than leaving it out; one form keeps saved models equal."""
        if value is not None and value == type(value)():
            return None
        return value


class Zone(_Entity):
    """An area needing an equal level of security, tied to operations and assets (Step 1-6)."""

    id: ElementId
    name: str = Field(description="Display name.")
    kind: ZoneKind = Field(description="What the zone is for; decides FA, OA or external side.")
    parent: ElementId | None = Field(None, description="The zone this one is a sub-zone of.")
    status: Lifecycle = Field(Lifecycle.EXISTING, description="existing, or new/changed through smartification.")
    managed_by: ElementId | None = Field(None, description="Party that manages the zone; empty means in-house.")
    operations: Annotated[list[ElementId], ListedOnce] = Field(
        default_factory=list, description="Operations carried out in the zone (besides those of its assets)."
    )
    subnets: Annotated[list[Subnet], _ListedOnce(_same_subnet)] = Field(
        default_factory=list, description="Address ranges (CIDR), for discovery."
    )
    target_security_level: WholeNumber | None = Field(
        None, ge=1, le=4, description="Optional IEC 62443 target security level (SL-T 1 to 4)."
    )
    location: PhysicalLocation | None = Field(
        None, description="Where the zone physically is; assets without their own location are taken to be there."
    )
    recovery_target_hours: Number | None = Field(
        None, gt=0, description="Recovery time target from the BCP, in hours; assets without their own share it."
    )
    description: str | None = Field(None, description="Free text.")


class Conduit(_Entity):
    """A connection or data flow between two zones (Step 1-7, Table 3-4 between zones).

    ``from`` and ``to`` may name the same zone: that is a data flow inside a zone,
    as Annex A step 2 draws a new service's flows before the zoning review.
    """

    id: ElementId
    name: str | None = Field(None, description="Display name; the id is used when empty.")
    from_zone: ElementId = Field(alias="from", description="Zone that sends or initiates.")
    to_zone: ElementId = Field(alias="to", description="Zone that receives.")
    from_assets: Annotated[list[ElementId], ListedOnce] = Field(
        default_factory=list, description="Assets in the source zone that send."
    )
    to_assets: Annotated[list[ElementId], ListedOnce] = Field(
        default_factory=list, description="Assets in the target zone that receive."
    )
    direction: Literal["one-way", "two-way"] = Field(
        "one-way",
        description="Which way the data go: one-way, only from 'from' to 'to'; two-way, both ways. It says nothing of which way an attacker can move: see 'one_way'.",
    )
    one_way: bool = Field(
        False,
        description="Whether traffic can physically pass only from 'from' to 'to' (a data diode, a unidirectional gateway, or another control that enforces one direction):"
        " only then can an attacker in 'to' not reach 'from' over this conduit. A conduit whose 'via' names an asset of component 'data-diode' is one-way too.",
    )
    data: Annotated[list[ElementId], ListedOnce] = Field(default_factory=list, description="Data assets carried.")
    carries: str | None = Field(None, description="What is carried, in words, when no data asset is modelled.")
    carries_control_instructions: bool = Field(
        False,
        description="Whether control instructions (or data that drives control without a human) cross this conduit.",
    )
    instructions_from: Literal["from", "to"] | None = Field(
        None,
        description="Which end issues the control instructions: 'from' (the drawn way) or 'to' (a two-way link drawn from"
        " the end that receives them, such as a router that dials out to the maker's cloud that sends the sessions back)."
        " Only with carries_control_instructions: true, and 'to' only with direction: two-way. Empty: the drawn way, except"
        " a two-way link inside the factory whose 'to' end alone has an asset that issues control instructions.",
    )
    protocols: Annotated[list[ProtocolId], ListedOnce] = Field(
        default_factory=list, description="Protocols, e.g. modbus-tcp, s7comm, opc-ua, https, mqtt."
    )
    external_network: ExternalNetwork = Field(ExternalNetwork.NONE, description="External network crossed, if any.")
    via: Annotated[list[ElementId], ListedOnce] = Field(
        default_factory=list, description="Network assets it passes (router, firewall, VPN device, wireless AP)."
    )
    controls: Annotated[list[CatalogId], ListedOnce] = Field(
        default_factory=list, description="Measures in place on the conduit, ids from catalog 'measures'."
    )
    status: Lifecycle = Field(Lifecycle.EXISTING, description="existing, or new/changed through smartification.")

    @field_validator("one_way")
    @classmethod
    def _one_way_sends_one_way(cls, value: bool, info: ValidationInfo) -> bool:
        """A conduit that lets traffic through one way only cannot carry data both ways."""
        if value and info.data.get("direction") == "two-way":
            raise _own_error("one_way_two_way", got=repr(value))
        return value


class ImplementedMeasure(_Entity):
    """A security measure in place or planned (Step 2-2)."""

    id: ElementId
    measure: CatalogId = Field(description="The measure, an id from catalog 'measures'.")
    applies_to: Annotated[list[ElementId], ListedOnce] = Field(
        default_factory=list, description="Zones, assets or conduits it covers."
    )
    status: Literal["implemented", "partial", "planned"] = Field(
        "implemented", description="How far it is implemented."
    )
    owner: ElementId | None = Field(None, description="Department responsible.")
    note: str | None = Field(None, description="Free text, evidence.")


class OodaAssignment(_Entity):
    """Who leads and who decides in one OODA phase of one stage (Tables 3-7, 3-8)."""

    stage: Literal["preventive-maintenance", "damage-occurrence"] = Field(description="Stage of the OODA cycle.")
    phase: Literal["observe", "orient", "decide", "act"] = Field(description="Phase within the stage.")
    lead: ElementId = Field(description="Department or party in charge.")
    decision_makers: Annotated[list[ElementId], ListedOnce] = Field(
        default_factory=list, description="Departments whose heads decide."
    )
    note: str | None = Field(None, description="Free text.")


class MaturityRating(_Entity):
    """The organisation's maturity in one area of Table 3-9."""

    area: Literal["external-cooperation", "between-departments", "within-department"] = Field(
        description="Area of Table 3-9."
    )
    level: Literal["none", "basic", "practice", "application"] = Field(description="Level reached.")
    evidence: str | None = Field(None, description="What shows the level, e.g. last exercise.")
    assessed: Date | None = Field(None, description="When it was assessed.")


class ReviewRecord(_Entity):
    """A PDCA review of the plan (Step 3)."""

    id: ElementId
    date: Date = Field(description="When the review took place.")
    trigger: Literal["scheduled", "smartification-change", "incident", "audit", "other"] = Field(
        description="Why it took place."
    )
    scope: Annotated[list[CatalogId], ListedOnce] = Field(
        default_factory=list, description="Steps reviewed, ids from catalog 'steps' (step-1-6 ...)."
    )
    decisions: list[str] = Field(default_factory=list, description="What was decided.")
    participants: Annotated[list[ElementId], ListedOnce] = Field(
        default_factory=list, description="Departments and parties that took part."
    )
    model_digest: str | None = Field(
        None,
        description="Digest of the model reviewed (printed by 'factorysec check'), to tell when the model changed after the review.",
    )


class ChecklistAnswer(_Entity):
    """An answer to one checklist item for one service, product or software (Tables 3-10 to 3-12)."""

    subject: ElementId = Field(description="Asset or party the answer is about.")
    item: CatalogId = Field(description="Checklist item, an id from catalog 'checklists'.")
    answer: Literal["yes", "no", "not-applicable", "unknown"] = Field(description="The answer.")
    note: str | None = Field(None, description="Free text.")
    evidence: str | None = Field(None, description="Where the evidence is.")
    date: Date | None = Field(None, description="When it was answered.")


class Responsibility(_Entity):
    """Who is responsible for one area of an external service or outsourced operation (Step 3)."""

    subject: ElementId = Field(description="Asset, operation or party.")
    area: Literal["operation", "maintenance", "incident-response", "vulnerability-handling", "data-handling-at-end"] = (
        Field(description="Area of responsibility.")
    )
    responsible: ElementId = Field(description="Department or party responsible.")
    note: str | None = Field(None, description="Free text, e.g. the contract clause.")


class FactoryModel(_Entity):
    """One factory, described once, for all three steps of the guideline."""

    factory: Factory
    bcp: Bcp | None = Field(None, description="Business continuity plan status (Step 1-1 (1)).")
    requirements: list[Requirement] = Field(
        default_factory=list, description="External and internal requirements (Step 1-1 (2), (3))."
    )
    departments: list[Department] = Field(default_factory=list, description="Internal departments (Step 1-1 (3)).")
    parties: list[Party] = Field(default_factory=list, description="External stakeholders (Step 1-1 (3)).")
    operations: list[Operation] = Field(default_factory=list, description="Operations (Steps 1-2, 1-3).")
    assets: list[Asset] = Field(default_factory=list, description="Protected objects (Steps 1-4, 1-5).")
    zones: list[Zone] = Field(default_factory=list, description="Zones (Step 1-6).")
    conduits: list[Conduit] = Field(
        default_factory=list, description="Conduits and data flows between zones (Step 1-7)."
    )
    measures: list[ImplementedMeasure] = Field(
        default_factory=list, description="Measures in place or planned (Step 2-2)."
    )
    ooda_roles: list[OodaAssignment] = Field(
        default_factory=list, description="OODA role division (Step 3, Tables 3-7, 3-8)."
    )
    maturity: list[MaturityRating] = Field(
        default_factory=list, description="Organisation maturity (Step 3, Table 3-9)."
    )
    reviews: list[ReviewRecord] = Field(default_factory=list, description="PDCA review records (Step 3).")
    checklist_answers: list[ChecklistAnswer] = Field(
        default_factory=list, description="Checklist answers (Step 3, Tables 3-10 to 3-12)."
    )
    responsibilities: list[Responsibility] = Field(
        default_factory=list,
        description="Responsibility division for external services and outsourced operations (Step 3).",
    )


COLLECTIONS: tuple[str, ...] = (
    "requirements",
    "departments",
    "parties",
    "operations",
    "assets",
    "zones",
    "conduits",
    "measures",
    "ooda_roles",
    "maturity",
    "reviews",
    "checklist_answers",
    "responsibilities",
)
"""Top-level list sections; a folder's files are merged by concatenating these."""

SINGLETONS: tuple[str, ...] = ("factory", "bcp")
"""Top-level sections that may appear in only one file of a folder."""

IDENTIFIED_COLLECTIONS: tuple[str, ...] = (
    "requirements",
    "departments",
    "parties",
    "operations",
    "assets",
    "zones",
    "conduits",
    "measures",
    "reviews",
)
"""Sections whose entries carry an id that must be unique across the model."""


@functools.cache
def section_adapter(name: str) -> TypeAdapter[Any]:
    """Validates and serialises the value of the :class:`FactoryModel` field ``name`` (a section) on its own, as the model does."""
    annotation: Any = FactoryModel.model_fields[name].annotation
    return TypeAdapter(annotation)
