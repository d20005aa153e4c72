"""What both interchange formats share: the mapping report, the import mapping (defaults plus a user file), scales.

The report says, for one export or import, what was mapped, what was
synthesised (an element the other format needs and the factorysec model does
not have), what was approximated (a value on another scale or a guessed kind)
and what was dropped, each with the reason.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from factorysec.model.entities import AssetType, Importance, ZoneKind
from factorysec.model.problems import ModelInputError, Problem

Outcome = Literal["synthesised", "approximated", "dropped"]

FACTORYSEC_KEY = "factorysec"
"""Key of the attribute (OTM) that carries the factorysec facts the other format has no field for."""


_OUTCOMES: tuple[Outcome, ...] = ("synthesised", "approximated", "dropped")


_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """``text`` on one line, with every character that is not printable (a control character, a lone surrogate from
    a JSON escape) written as an escape, so that a report line or a comment of the written model can always be
    written and read back."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _NAMED_ESCAPES.get(ch, f"\\u{ord(ch):04x}") for ch in text)


@dataclass(frozen=True)
class ReportLine:
    outcome: Outcome
    subject: str
    detail: str


@dataclass
class MappingReport:
    """What one export or import did with each element."""

    title: str
    mapped: Counter[str] = field(default_factory=Counter)
    lines: list[ReportLine] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.title = printable(self.title)  # it names the file read, whose name may hold what a terminal acts on

    def map(self, kind: str, count: int = 1) -> None:
        self.mapped[kind] += count

    def synthesised(self, subject: str, detail: str) -> None:
        self.lines.append(ReportLine("synthesised", printable(subject), printable(detail)))

    def approximated(self, subject: str, detail: str) -> None:
        self.lines.append(ReportLine("approximated", printable(subject), printable(detail)))

    def dropped(self, subject: str, detail: str) -> None:
        self.lines.append(ReportLine("dropped", printable(subject), printable(detail)))

    def of(self, outcome: Outcome) -> list[ReportLine]:
        return [line for line in self.lines if line.outcome == outcome]

    def render(self) -> str:
        """The report as text: mapped counts, then each synthesised, approximated and dropped element."""
        out = [f"mapping report: {self.title}"]
        out.append("  mapped: " + (", ".join(f"{count} {kind}" for kind, count in self.mapped.items()) or "nothing"))
        for outcome in _OUTCOMES:
            lines = self.of(outcome)
            out.append(f"  {outcome}: {len(lines)}")
            out.extend(f"    {line.subject}: {line.detail}" for line in lines)
        return "\n".join(out) + "\n"

    def as_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "mapped": dict(self.mapped),
            **{
                outcome: [{"subject": l.subject, "detail": l.detail} for l in self.of(outcome)] for outcome in _OUTCOMES
            },
        }


def _holds(value: Any) -> bool:
    """Whether a field's value says anything: not absent, empty, or false (a format's own default)."""
    return not (value is None or value is False or value == "" or value == [] or value == {})


def _some(elements: list[str]) -> str:
    named = ", ".join(elements[:5])
    return f"{len(elements)}: {named}" + (f" and {len(elements) - 5} more" if len(elements) > 5 else "")


@dataclass
class Unread:
    """What an import found in the file and has no factorysec field for: each field per kind of element, and the tags.

    :meth:`report` names each as a ``dropped`` line of the mapping report, with the elements that hold it,
    so that nothing the other tool wrote is lost without a word.
    """

    fields: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    tags: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def check(self, kind: str, element: str, raw: Any, read: Iterable[str], prefix: str = "") -> None:
        """Note every field of ``raw`` (an element of the file) that holds a value and is not in ``read``."""
        if not isinstance(raw, Mapping):
            return
        known = set(read)
        for key, value in raw.items():
            if key not in known and _holds(value):
                self.fields.setdefault((kind, f"{prefix}{key}"), []).append(element)

    def attributes(self, kind: str, element: str, raw: Any, read: Iterable[str] = ()) -> None:
        """Note the keys of an element's ``attributes`` (OTM's free key-value pairs) outside ``read``."""
        if isinstance(raw, Mapping):
            self.check(kind, element, raw.get("attributes"), (FACTORYSEC_KEY, *read), "attributes.")

    def tag(self, kind: str, element: str, tags: Iterable[str]) -> None:
        """Note tags of an element that no factorysec field takes."""
        for tag in tags:
            self.tags.setdefault(kind, {}).setdefault(tag, []).append(element)

    def report(self, report: MappingReport) -> None:
        for (kind, name), elements in self.fields.items():
            report.dropped(f"{kind} field '{name}'", f"no factorysec field for it (on {_some(elements)})")
        for kind, tags in self.tags.items():
            holders = list(dict.fromkeys(element for elements in tags.values() for element in elements))
            report.dropped(
                f"{kind} tags",
                f"{', '.join(repr(t) for t in tags)}: no factorysec field for them (on {_some(holders)})",
            )


# --- scales ----------------------------------------------------------------------

IMPORTANCE_PERCENT: dict[Importance, int] = {
    Importance.LOW: 25,
    Importance.MEDIUM: 50,
    Importance.HIGH: 75,
    Importance.CRITICAL: 100,
}
"""Importance on OTM's 0-100 scales (asset risk, threat impact)."""

DISCLOSURE_PERCENT: dict[str, int] = {"public": 0, "partners": 25, "internal": 50, "restricted": 75, "secret": 100}
"""A data asset's scope of disclosure as OTM confidentiality (0-100)."""


def disclosure_from_percent(value: float) -> str:
    """The narrowest disclosure scope whose OTM confidentiality is at least ``value``."""
    for scope, percent in DISCLOSURE_PERCENT.items():
        if value <= percent:
            return scope
    return "secret"


def importance_from_percent(value: float) -> Importance:
    for level, percent in IMPORTANCE_PERCENT.items():
        if value <= percent:
            return level
    return Importance.CRITICAL


_TRUST_BY_SIDE = {"external": 10, "boundary": 40, "oa": 50, "other": 50, "fa": 70}


def trust_rating(kind: ZoneKind, entry_point: bool, target_security_level: int | None) -> int:
    """A zone's OTM trust rating (0 untrusted to 100 trusted).

    The zone kind gives the side (Step 1-6: FA, OA, boundary, external); a zone that is itself an
    entry point of the factory (Step 2-1, 3.2.2 (1)(i)) is trusted 10 less, and each IEC 62443
    target security level adds 5 (a zone built to SL-T 4 is trusted 20 more).
    """
    rating = _TRUST_BY_SIDE[kind.side] - (10 if entry_point else 0) + 5 * (target_security_level or 0)
    return max(0, min(100, rating))


ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def element_id(raw: str) -> str:
    """``raw`` as a factorysec id: characters other than letters, digits, '.', '_' and '-' become '-'."""
    if ID_PATTERN.match(raw) and len(raw) <= 128:
        return raw
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", raw).strip("-._") or "element"
    if not cleaned[0].isalnum():
        cleaned = "x" + cleaned
    return cleaned[:128]


# --- the import mapping: other tools' words to zone kinds and component types -------------

DEFAULT_ZONE_KINDS: dict[str, ZoneKind] = {
    "internet": ZoneKind.EXTERNAL,
    "public": ZoneKind.EXTERNAL,
    "external": ZoneKind.EXTERNAL,
    "untrusted": ZoneKind.EXTERNAL,
    "cloud": ZoneKind.EXTERNAL,
    "network-cloud-provider": ZoneKind.EXTERNAL,
    "network-dedicated-hoster": ZoneKind.EXTERNAL,
    "dmz": ZoneKind.DMZ,
    "network-cloud-security-group": ZoneKind.DMZ,
    "private": ZoneKind.OFFICE,
    "internal": ZoneKind.OFFICE,
    "corporate": ZoneKind.OFFICE,
    "office": ZoneKind.OFFICE,
    "it": ZoneKind.OFFICE,
    "network-on-prem": ZoneKind.OFFICE,
    "ot": ZoneKind.PRODUCTION,
    "ics": ZoneKind.PRODUCTION,
    "plant": ZoneKind.PRODUCTION,
    "production": ZoneKind.PRODUCTION,
    "control": ZoneKind.PRODUCTION_CONTROL,
    "production-control": ZoneKind.PRODUCTION_CONTROL,
    "scada": ZoneKind.MONITORING,
    "monitoring": ZoneKind.MONITORING,
    "engineering": ZoneKind.ENGINEERING,
    "logistics": ZoneKind.LOGISTICS,
}
"""Trust-zone types (OTM) and trust-boundary types (Threagile) to zone kinds; a factorysec zone kind maps to itself."""


class ComponentType(BaseModel):
    """What an imported component becomes: a Table 3-3 protected-object type and, optionally, a catalog component."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    type: AssetType
    component: str | None = None


def _ct(asset_type: AssetType, component: str | None = None) -> ComponentType:
    return ComponentType(type=asset_type, component=component)


DEFAULT_COMPONENT_TYPES: dict[str, ComponentType] = {
    "web-client": _ct(AssetType.EQUIPMENT, "terminal"),
    "browser": _ct(AssetType.EQUIPMENT, "terminal"),
    "client-system": _ct(AssetType.EQUIPMENT, "terminal"),
    "desktop": _ct(AssetType.EQUIPMENT, "terminal"),
    "mobile-app": _ct(AssetType.SOFTWARE, "packaged-software"),
    "devops-client": _ct(AssetType.EQUIPMENT, "engineering-workstation"),
    "web-service": _ct(AssetType.SOFTWARE, "packaged-software"),
    "web-server": _ct(AssetType.SOFTWARE, "packaged-software"),
    "web-application": _ct(AssetType.SOFTWARE, "new-software"),
    "application-server": _ct(AssetType.EQUIPMENT, "server"),
    "database": _ct(AssetType.SOFTWARE, "packaged-software"),
    "file-server": _ct(AssetType.EQUIPMENT, "server"),
    "erp": _ct(AssetType.SOFTWARE, "packaged-software"),
    "monitoring": _ct(AssetType.SOFTWARE, "scada"),
    "gateway": _ct(AssetType.EQUIPMENT, "router"),
    "reverse-proxy": _ct(AssetType.EQUIPMENT, "network-equipment"),
    "load-balancer": _ct(AssetType.EQUIPMENT, "network-equipment"),
    "waf": _ct(AssetType.EQUIPMENT, "firewall"),
    "ids": _ct(AssetType.EQUIPMENT, "network-equipment"),
    "ips": _ct(AssetType.EQUIPMENT, "firewall"),
    "iot-device": _ct(AssetType.EQUIPMENT, "iot-device"),
    "plc": _ct(AssetType.EQUIPMENT, "controller"),
    "ai": _ct(AssetType.EXTERNAL_SERVICE, "ai-analysis-system"),
    "identity-provider": _ct(AssetType.SOFTWARE, "packaged-software"),
    "ldap-server": _ct(AssetType.SOFTWARE, "packaged-software"),
    "build-pipeline": _ct(AssetType.SOFTWARE, "packaged-software"),
    "sourcecode-repository": _ct(AssetType.SOFTWARE, "packaged-software"),
    "cms": _ct(AssetType.SOFTWARE, "packaged-software"),
    "code-class": _ct(AssetType.SOFTWARE, "new-software"),
}
"""Component types (OTM) and technologies (Threagile) to protected objects; a catalog component id maps to itself."""

FALLBACK_COMPONENT = _ct(AssetType.EQUIPMENT)


class ImportMapping(BaseModel):
    """A user's mapping file: their words to zone kinds and component types, over the defaults."""

    model_config = ConfigDict(extra="forbid")
    zone_kinds: dict[str, ZoneKind] = Field(
        default_factory=dict, description="Trust-zone or trust-boundary type (or name) to zone kind."
    )
    component_types: dict[str, ComponentType] = Field(
        default_factory=dict, description="Component type or technology to {type, component}."
    )

    def zone_kind(self, *words: str | None) -> ZoneKind | None:
        """The zone kind the first of ``words`` names (type, then name), user mapping first."""
        for word in words:
            if not word:
                continue
            key = word.strip().lower()
            for table in (self.zone_kinds, DEFAULT_ZONE_KINDS):
                if key in table:
                    return table[key]
            if key in ZoneKind._value2member_map_:
                return ZoneKind(key)
        return None

    def component_type(self, word: str | None, catalog_components: dict[str, AssetType]) -> ComponentType | None:
        if not word:
            return None
        key = word.strip().lower()
        if key in self.component_types:
            return self.component_types[key]
        if key in catalog_components:
            return _ct(catalog_components[key], key)
        return DEFAULT_COMPONENT_TYPES.get(key)


def read_mapping(path: Path | None) -> ImportMapping:
    """The import mapping: the defaults, with the user's file (YAML) over them."""
    if path is None:
        return ImportMapping()
    from factorysec.interchange.source import pointer, read_document

    data = read_document(path)
    if data is None:  # nothing but comments or blank lines: the user named a file that says nothing
        raise ModelInputError(
            [
                Problem(
                    str(path),
                    1,
                    1,
                    "",
                    "the mapping file is empty",
                    "give zone_kinds: and component_types:, or leave --mapping out for the default mapping",
                )
            ]
        )
    try:
        return ImportMapping.model_validate(data)
    except ValidationError as error:
        display = str(path)
        raise ModelInputError(
            [
                Problem(display, 0, 0, "", e["msg"], place=f"{display}:{pointer(tuple(e['loc']))}")
                for e in error.errors(include_url=False)
            ]
        ) from None
