"""Checks that need the whole model: unique ids, references, catalog ids, cycles, placement.

Each check yields ``(path, message, hint)``; the loader turns paths into file
and line. Checks read a model that may be partial (only the entries that were
valid on their own), so they never assume an entry exists.

The catalog is passed in by the caller (:class:`CatalogIds`: the guideline's
own catalog, a company's, or a newer guideline's); this package never loads one.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from itertools import chain, compress, count, repeat
from operator import attrgetter, is_
from typing import Any, Protocol

from factorysec.model.entities import IDENTIFIED_COLLECTIONS, AssetType, FactoryModel, Trait
from factorysec.problems import Said, joined
from factorysec.yamlio import Path_

Finding = tuple[Path_, str, str]
"""Where, what and the hint: each a :class:`~factorysec.problems.Said` (or an empty hint), said in English or Japanese."""


class ChecklistItemKind(Protocol):
    """What the checks read of a catalog checklist item: the checklist it is on."""

    @property
    def kind(self) -> str: ...


class PartyKindChecklists(Protocol):
    """What the checks read of a catalog party kind: the checklists such a party is the counterpart for."""

    @property
    def checklists(self) -> tuple[str, ...]: ...

    @property
    def procured_from(self) -> bool: ...


class StandardParts(Protocol):
    """What the checks read of a catalog standard: the ids of the parts it is split into (none when it is not)."""

    @property
    def part_ids(self) -> tuple[str, ...]: ...


class CatalogIds(Protocol):
    """What model validation reads of a catalog: the ids of each section, each checklist item's checklist, each
    party kind's checklists and each standard's parts.

    :class:`factorysec.catalog.Catalog` is one; the model package never imports it.
    """

    def section_ids(self, name: str) -> frozenset[str]: ...

    @property
    def checklist_items(self) -> Mapping[str, ChecklistItemKind]: ...

    @property
    def party_kinds(self) -> Mapping[str, PartyKindChecklists]: ...

    @property
    def standards(self) -> Mapping[str, StandardParts]: ...


# (section, field path inside an entry, sections the id may point to). A field
# path element "*" walks a list.
REFERENCES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("assets", ("zone",), ("zones",)),
    ("assets", ("operations", "*"), ("operations",)),
    ("assets", ("supplier",), ("parties",)),
    ("assets", ("maintainer",), ("parties",)),
    ("assets", ("managed_by",), ("parties",)),
    ("assets", ("data", "controller"), ("departments", "parties")),
    ("assets", ("data", "rights_holder"), ("departments", "parties")),
    ("assets", ("data", "lifecycle", "*", "zone"), ("zones",)),
    ("assets", ("data", "derived_from", "*"), ("assets",)),
    ("zones", ("parent",), ("zones",)),
    ("zones", ("operations", "*"), ("operations",)),
    ("zones", ("managed_by",), ("parties",)),
    ("conduits", ("from_zone",), ("zones",)),
    ("conduits", ("to_zone",), ("zones",)),
    ("conduits", ("from_assets", "*"), ("assets",)),
    ("conduits", ("to_assets", "*"), ("assets",)),
    ("conduits", ("data", "*"), ("assets",)),
    ("conduits", ("via", "*"), ("assets",)),
    ("parties", ("subcontractor_of",), ("parties",)),
    ("operations", ("performed_by",), ("parties",)),
    ("requirements", ("source",), ("parties",)),
    ("requirements", ("applies_to", "*"), ("zones", "assets", "operations", "conduits")),
    ("measures", ("applies_to", "*"), ("zones", "assets", "conduits")),
    ("measures", ("owner",), ("departments",)),
    ("ooda_roles", ("lead",), ("departments", "parties")),
    ("ooda_roles", ("decision_makers", "*"), ("departments",)),
    ("reviews", ("participants", "*"), ("departments", "parties")),
    ("checklist_answers", ("subject",), ("assets", "parties")),
    ("responsibilities", ("subject",), ("assets", "operations", "parties")),
    ("responsibilities", ("responsible",), ("departments", "parties")),
)

SINGLE_REFERENCES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("bcp", ("owner",), ("departments",)),
    ("factory", ("pdca_owner",), ("departments",)),
)

# (section, field path, catalog section)
CATALOG_REFERENCES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("operations", ("task",), "tasks"),
    ("operations", ("purposes", "*"), "purposes"),
    ("assets", ("component",), "components"),
    ("departments", ("kind",), "department_kinds"),
    ("parties", ("kind",), "party_kinds"),
    ("parties", ("incident_impact", "*"), "incident_impact_viewpoints"),
    ("requirements", ("kind",), "requirement_kinds"),
    ("requirements", ("standard",), "standards"),
    ("conduits", ("controls", "*"), "measures"),
    ("measures", ("measure",), "measures"),
    ("checklist_answers", ("item",), "checklist_items"),
    ("reviews", ("scope", "*"), "steps"),
)
SINGLE_CATALOG_REFERENCES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("factory", ("purposes", "*"), "purposes"),
    ("bcp", ("covers", "*"), "bcp_viewpoints"),
    ("factory", ("unexpected_event_practices", "*"), "unexpected_event_practices"),
)

# Pydantic attribute names that are written differently in YAML.
_ALIASES = {"from_zone": "from", "to_zone": "to"}


def check_model(model: FactoryModel, raw_ids: dict[str, set[str]], catalog: CatalogIds | None) -> list[Finding]:
    """Every whole-model problem, in a stable order; catalog ids against ``catalog`` (none checked without one, see :func:`check_catalog_ids`)."""
    findings: list[Finding] = []
    findings.extend(_duplicate_ids(model))
    findings.extend(_dangling_references(model, raw_ids))
    if catalog is not None:
        findings.extend(_catalog_references(model, catalog.section_ids))
    findings.extend(_placement(model))
    findings.extend(_separation_exceptions(model))
    findings.extend(_data_separation_on_data(model))
    findings.extend(_hard_wired_on_a_network(model))
    findings.extend(_not_procured_without_owner(model))
    findings.extend(_diodes_on_two_way_conduits(model))
    findings.extend(_instructions_from_without_its_link(model))
    findings.extend(_cycles(model, "zones", "parent", "sub-zone"))
    findings.extend(_cycles(model, "parties", "subcontractor_of", "subcontracting"))
    findings.extend(_duplicate_keys(model))
    if catalog is not None:
        findings.extend(_checklist_scope(model, catalog))
        findings.extend(_standard_parts(model, catalog))
    return findings


def check_catalog_ids(model: FactoryModel, catalog: CatalogIds) -> list[Finding]:
    """The problems of a valid model against ``catalog`` alone: unknown catalog ids, checklist answers outside their
    subject's checklists, and parts that are not its standard's."""
    return [
        *_catalog_references(model, catalog.section_ids),
        *_checklist_scope(model, catalog),
        *_standard_parts(model, catalog),
    ]


def check_references_only(
    model: FactoryModel, raw_ids: dict[str, set[str]], catalog: CatalogIds | None
) -> list[Finding]:
    """Dangling references and unknown catalog ids (with a catalog) only, for entries that are invalid on their own."""
    found = list(_dangling_references(model, raw_ids))
    if catalog is not None:
        found.extend(_catalog_references(model, catalog.section_ids))
    return found


def _unknown(model: FactoryModel, section: str, field: tuple[str, ...], known: Any) -> Iterator[tuple[Path_, Any]]:
    """Path and value of each reference under ``field`` in the entries of ``section`` that is not in ``known``.

    A plain field and a list field (the commonest shapes, checked for every
    entry of a model) are first read as a whole: when every value is known,
    which is the usual case, no entry is visited again and no path is built.
    """
    if len(field) == 1 and field[0] != "*":
        name = field[0]
        values = _field_values(model, section, name)
        if not _has_unknown(values, known):
            return
        for index, value in enumerate(values):
            if value is not None and value not in known:
                yield (section, index, _ALIASES.get(name, name)), value
        return
    if len(field) == 2 and field[0] != "*" and field[1] == "*":
        name, key = field[0], _ALIASES.get(field[0], field[0])
        lists = _field_values(model, section, name)
        if not _has_unknown(chain.from_iterable(filter(None, lists)), known):
            return
        for index, items in enumerate(lists):
            for position, item in enumerate(items or ()):
                if item is not None and item not in known:
                    yield (section, index, key, position), item
        return
    entries = getattr(model, section, None) or []
    # nothing below an absent or empty field (an asset without data attributes): only the others are walked
    walked = (
        compress(count(), _field_values(model, section, field[0]))
        if field[0] != "*"
        else (i for i, e in enumerate(entries) if e is not None)
    )
    for index in walked:
        for path, value in _values(entries[index], field, (section, index)):
            if value not in known:
                yield path, value


def _field_values(model: FactoryModel, section: str, name: str) -> list[Any]:
    """The value of field ``name`` in each entry of ``section``, ``None`` for an invalid entry or an absent field; indices match the entries."""
    entries = getattr(model, section, None) or []
    try:
        return list(map(attrgetter(name), entries))
    except AttributeError:  # a partial model: invalid entries are None, constructed ones may lack the field
        return [getattr(entry, name, None) for entry in entries]


def _has_unknown(values: Iterable[Any], known: Any) -> bool:
    """Whether any value other than ``None`` is not in ``known``."""
    distinct = set(values)
    distinct.discard(None)
    return not distinct.issubset(known)


def _values(entry: Any, field: tuple[str, ...], path: Path_) -> Iterator[tuple[Path_, Any]]:
    """Walk ``field`` inside ``entry``, yielding the YAML path and value of each reference."""
    if not field:
        if entry is not None:
            yield path, entry
        return
    head, rest = field[0], field[1:]
    if head == "*":
        for index, item in enumerate(entry or []):
            yield from _values(item, rest, (*path, index))
        return
    value = getattr(entry, head, None)
    yield from _values(value, rest, (*path, _ALIASES.get(head, head)))


def _has_gaps(entries: list[Any]) -> bool:
    """Whether a partial model's section holds ``None`` for an invalid entry (compared by identity, without calling ``__eq__``)."""
    return any(map(is_, entries, repeat(None)))


def _entries(model: FactoryModel, section: str) -> Iterable[tuple[int, Any]]:
    """Index and entry of each valid entry; a partial model holds ``None`` for the invalid ones."""
    return ((index, entry) for index, entry in enumerate(getattr(model, section, None) or []) if entry is not None)


def _did_you_mean(word: str, candidates: Iterable[str]) -> str:
    match = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return Said("did_you_mean", suggestion=match[0]) if match else ""


_KIND_OF_SECTION = {"zones": "zone", "assets": "asset", "operations": "operation", "conduits": "conduit"}
_KIND_OF_SECTION |= {"parties": "party", "departments": "department"}


def _duplicate_ids(model: FactoryModel) -> Iterator[Finding]:
    ids = list(chain.from_iterable(_field_values(model, section, "id") for section in IDENTIFIED_COLLECTIONS))
    distinct = set(ids)
    distinct.discard(None)
    if len(distinct) == len(ids) - ids.count(None):
        return  # the usual case: no entry needs to be named
    seen: dict[str, tuple[str, int]] = {}
    for section in IDENTIFIED_COLLECTIONS:
        for index, entry in _entries(model, section):
            first = seen.setdefault(entry.id, (section, index))
            if first != (section, index):
                yield (
                    (section, index, "id"),
                    Said("duplicate_id", id=entry.id, first=f"{first[0]}[{first[1]}]"),
                    Said("duplicate_id.hint"),
                )


def _dangling_references(model: FactoryModel, raw_ids: dict[str, set[str]]) -> Iterator[Finding]:
    known_for: dict[tuple[str, ...], set[str]] = {}
    for section, field, targets in REFERENCES:
        if targets not in known_for:  # a union of 100k ids costs; many references share their targets
            known_for[targets] = (
                raw_ids.get(targets[0], set())
                if len(targets) == 1
                else set().union(*(raw_ids.get(t, set()) for t in targets))
            )
        known = known_for[targets]
        for path, value in _unknown(model, section, field, known):
            kinds = joined([Said(f"kind.{_KIND_OF_SECTION[t]}") for t in targets])
            hint = _did_you_mean(value, known) or Said("define_under", sections=joined(targets, "or_names"))
            yield path, Said("unknown_reference", kinds=kinds, value=value), hint
    for section, field, targets in SINGLE_REFERENCES:
        known = set().union(*(raw_ids.get(t, set()) for t in targets))
        for path, value in _values(getattr(model, section, None), field, (section,)):
            if value not in known:
                yield (
                    path,
                    Said("unknown_reference.single", sections=joined(targets, "or_names"), value=value),
                    _did_you_mean(value, known) or Said("define_under", sections=targets[0]),
                )


def _catalog_references(model: FactoryModel, section_ids: Any) -> Iterator[Finding]:
    def unknown(value_path: Path_, value: Any, known: frozenset[str], catalog_section: str) -> Finding:
        hint = _did_you_mean(value, known) or Said("see_catalog", section=catalog_section)
        what = catalog_section.replace("_", " ").rstrip("s")
        return value_path, Said("unknown_catalog_id", value=value, what=what, section=catalog_section), hint

    for section, field, catalog_section in CATALOG_REFERENCES:
        known = section_ids(catalog_section)
        for value_path, value in _unknown(model, section, field, known):
            yield unknown(value_path, value, known, catalog_section)
    for section, field, catalog_section in SINGLE_CATALOG_REFERENCES:
        known = section_ids(catalog_section)
        for value_path, value in _values(getattr(model, section, None), field, (section,)):
            if value not in known:
                yield unknown(value_path, value, known, catalog_section)


PLACEMENT_READS: tuple[str, ...] = ("zone", "type")
"""The fields of an asset that :func:`_placement` reads when it checks the conduits naming the asset.

Whoever checks one edited asset alone (the workspace) must also check those
conduits when one of these fields changes.
"""


def _placement(model: FactoryModel) -> Iterator[Finding]:
    """Assets in no zone or with misplaced data attributes, and conduit ends that name assets of other zones.

    Each column is read at once (``map`` over ``attrgetter``); only the assets
    and conduits that may be wrong are then visited one by one.
    """
    assets = [asset for _, asset in _entries(model, "assets")] if _has_gaps(model.assets) else model.assets
    ids, zones, types, with_data = (list(map(attrgetter(name), assets)) for name in ("id", "zone", "type", "data"))
    zone_of = dict(zip(ids, zones))
    data_type = AssetType.DATA
    type_of = dict(zip(ids, types))
    if None in zones or not all(map(is_, with_data, repeat(None))):
        for index, asset in _entries(model, "assets"):
            if asset.zone is None:
                yield ("assets", index), Said("no_zone", id=asset.id), Said("no_zone.hint")
            if asset.data is not None and asset.type is not data_type:
                yield ("assets", index, "data"), Said("data_attributes"), Said("data_attributes.hint")
            if asset.data is not None and asset.data.derived_from:
                yield from _lineage(index, asset.id, asset.data.derived_from, type_of)
    conduits = model.conduits
    if _has_gaps(conduits):
        linked: Iterable[int] = (index for index, _ in _entries(model, "conduits"))
    else:  # only conduits that name assets
        linked = compress(count(), map(any, map(attrgetter("from_assets", "to_assets", "data"), conduits)))
    for index in linked:
        conduit = conduits[index]
        if conduit.from_assets or conduit.to_assets:
            for field, zone in (("from_assets", conduit.from_zone), ("to_assets", conduit.to_zone)):
                for position, asset_id in enumerate(getattr(conduit, field)):
                    actual = zone_of.get(asset_id)
                    if asset_id in zone_of and actual != zone:
                        yield (
                            ("conduits", index, field, position),
                            Said("end_in_other_zone", asset=asset_id, actual=str(actual), zone=zone),
                            Said("end_in_other_zone.hint", zone=zone, field=field),
                        )
        for position, asset_id in enumerate(conduit.data):
            if asset_id in type_of and type_of[asset_id] is not data_type:
                yield (
                    ("conduits", index, "data", position),
                    Said("not_data_asset", asset=asset_id),
                    Said("not_data_asset.hint"),
                )


def _lineage(index: int, asset_id: str, derived_from: list[str], type_of: dict[str, AssetType]) -> Iterator[Finding]:
    """An asset's ``data.derived_from`` naming the asset itself or an asset that is not data (unknown ids are
    :func:`_dangling_references`')."""
    for position, source in enumerate(derived_from):
        path = ("assets", index, "data", "derived_from", position)
        if source == asset_id:
            yield path, Said("derived_from_itself", asset=asset_id), Said("derived_from_itself.hint", asset=asset_id)
        elif source in type_of and type_of[source] is not AssetType.DATA:
            yield path, Said("not_data_asset", asset=source), Said("derived_from_not_data.hint")


def _cycles(model: FactoryModel, section: str, field: str, what: str) -> Iterator[Finding]:
    parent = {entry.id: getattr(entry, field) for _, entry in _entries(model, section)}
    index_of = {entry.id: index for index, entry in _entries(model, section)}
    reported: set[str] = set()
    for start in parent:
        chain: list[str] = []
        current: str | None = start
        while current is not None and current in parent and current not in chain:
            chain.append(current)
            current = parent[current]
        if current is not None and current in chain:
            cycle = chain[chain.index(current) :]
            if not reported.intersection(cycle):
                reported.update(cycle)
                first = min(cycle)
                loop = " -> ".join([*cycle[cycle.index(first) :], *cycle[: cycle.index(first)], first])
                yield (
                    (section, index_of[first], field),
                    Said(f"cycle.{what}", loop=loop),
                    Said("cycle.hint", field=field),
                )


def _duplicate_keys(model: FactoryModel) -> Iterator[Finding]:
    """Entries without ids that must still be unique by their natural key."""
    keyed = (
        ("ooda_roles", lambda e: (e.stage, e.phase), Said("key.stage_phase")),
        ("maturity", lambda e: (e.area,), Said("key.area")),
        ("checklist_answers", lambda e: (e.subject, e.item), Said("key.subject_item")),
        ("responsibilities", lambda e: (e.subject, e.area), Said("key.subject_area")),
    )
    for section, key, label in keyed:
        seen: set[Any] = set()
        for index, entry in _entries(model, section):
            k = key(entry)
            if k in seen:
                yield (
                    (section, index),
                    Said("duplicate_key", label=label, key="/".join(map(str, k))),
                    Said("duplicate_key.hint", label=label),
                )
            seen.add(k)


def _checklist_scope(model: FactoryModel, catalog: CatalogIds) -> Iterator[Finding]:
    """Checklist answers for an item whose checklist does not apply to their subject.

    An asset gets the checklists the analysis gives it (its type and traits,
    Tables 3-10 to 3-12); a party gets those of the assets it manages, supplies
    or maintains. An answer outside them would be recorded and never shown, so
    it is refused. The analysis's own function decides, so the two never disagree.
    """
    answers = list(_entries(model, "checklist_answers"))
    if not answers:
        return
    from factorysec.analysis.lifecycle.checklists import (
        PartyFit,
        checklist_kinds,
        external_zone_ids,
        rented_cloud_zone_ids,
    )

    assets = {asset.id: asset for _, asset in _entries(model, "assets")}
    party_ids = {party.id for _, party in _entries(model, "parties")}
    fit = PartyFit.of((party for _, party in _entries(model, "parties")), catalog.party_kinds)
    external_zones = external_zone_ids(zone for _, zone in _entries(model, "zones"))
    rented_clouds = rented_cloud_zone_ids(assets.values(), fit)
    kinds_of: dict[str, set[str]] = {}
    subjects = {answer.subject for _, answer in answers}
    for asset in assets.values():
        kinds = {kind for kind, _ in checklist_kinds(asset, fit, external_zones, rented_clouds)}
        if asset.id in subjects:
            kinds_of.setdefault(asset.id, set()).update(kinds)
        for party in {asset.managed_by, asset.supplier, asset.maintainer} & subjects:
            if party is not None and party in party_ids:
                kinds_of.setdefault(party, set()).update(kinds)
    for index, answer in answers:
        item = catalog.checklist_items.get(answer.item)
        if item is None or (answer.subject not in assets and answer.subject not in party_ids):
            continue  # an unknown item or subject is reported by the reference checks
        applicable = kinds_of.get(answer.subject, set())
        if item.kind in applicable:
            continue
        what = "asset" if answer.subject in assets else "party"
        gets = ", ".join(sorted(applicable)) or Said("checklist_scope.none")
        yield (
            ("checklist_answers", index, "item"),
            Said(f"checklist_scope.{what}", item=answer.item, kind=item.kind, subject=answer.subject, gets=gets),
            Said("checklist_scope.hint"),
        )


def _standard_parts(model: FactoryModel, catalog: CatalogIds) -> Iterator[Finding]:
    """A requirement's ``parts`` must be parts of its standard: named without a standard, on a standard the catalog
    does not split, or an id that is not one of its standard's parts, it is refused (an unknown standard is reported
    by the catalog references)."""
    for index, requirement in _entries(model, "requirements"):
        if not requirement.parts:
            continue
        path = ("requirements", index, "parts")
        if requirement.standard is None:
            yield path, Said("parts.no_standard", id=requirement.id), Said("parts.no_standard.hint")
            continue
        standard = catalog.standards.get(requirement.standard)
        if standard is None:
            continue
        known = standard.part_ids
        if not known:
            yield (
                path,
                Said("parts.not_split", id=requirement.id, standard=requirement.standard),
                Said("parts.not_split.hint"),
            )
            continue
        for position, part in enumerate(requirement.parts):
            if part not in known:
                yield (
                    (*path, position),
                    Said("parts.unknown", value=part, standard=requirement.standard, known=", ".join(known)),
                    _did_you_mean(part, known) or Said("see_catalog", section="standard-parts"),
                )


def _separation_exceptions(model: FactoryModel) -> Iterator[Finding]:
    """Annex A case (ii) exceptions on assets they cannot apply to, or a contract exception whose contract is not named.

    The exception lets an external service share the zone it serves (a private cloud, or a contract that includes the
    needed measures); on an in-house asset it means nothing, and a contract the model does not name cannot be checked.
    """
    if not any(asset.separation_exception for _, asset in _entries(model, "assets")):
        return
    parties = {party.id: party for _, party in _entries(model, "parties")}
    for index, asset in _entries(model, "assets"):
        exception = asset.separation_exception
        if exception is None:
            continue
        if asset.type is not AssetType.EXTERNAL_SERVICE and asset.managed_by is None:
            yield (
                ("assets", index, "separation_exception"),
                Said("separation.needless", id=asset.id),
                Said("separation.needless.hint"),
            )
        elif exception == "contract-measures":
            party = parties.get(asset.managed_by) if asset.managed_by else None
            if party is None or not party.contract:
                yield (
                    ("assets", index, "separation_exception"),
                    Said("separation.no_contract", id=asset.id),
                    Said("separation.no_contract.hint"),
                )


def _not_procured_without_owner(model: FactoryModel) -> Iterator[Finding]:
    """Assets said not to be procured (``procured: false``) that name no outside party owning them (``supplier`` or
    ``managed_by``): an asset the factory neither bought nor specified is some party's, and the model must say whose."""
    for index, asset in _entries(model, "assets"):
        if not asset.procured and asset.supplier is None and asset.managed_by is None:
            yield (
                ("assets", index, "procured"),
                Said("not_procured.no_owner", id=asset.id),
                Said("not_procured.no_owner.hint"),
            )


def _data_separation_on_data(model: FactoryModel) -> Iterator[Finding]:
    """``data_separation`` on a data asset: a data asset holds no other data, so how data is kept apart is said on the
    asset that stores or processes it (a server, a station, a portal)."""
    for index, asset in _entries(model, "assets"):
        if asset.data_separation is not None and asset.type is AssetType.DATA:
            yield (
                ("assets", index, "data_separation"),
                Said("data_separation.on_data", id=asset.id),
                Said("data_separation.on_data.hint"),
            )


NETWORKED_TRAITS: dict[Trait, str] = {
    Trait.WIRELESS: "wireless",
    Trait.REMOTE_ACCESS: "remote_access",
    Trait.CLOUD: "cloud",
    Trait.BOUNDARY_DEVICE: "boundary_device",
}
"""The traits that say a network reaches the asset (each a code's last word), which a hard-wired asset cannot have.

The others can: a hard-wired device may have a built-in computer, general-purpose parts or OSS, take removable media,
be brought in from outside, or issue control instructions to the machine it is wired to.
"""


def _hard_wired_on_a_network(model: FactoryModel) -> Iterator[Finding]:
    """Hard-wired assets (no network interface) that are external services, have IP addresses or a trait that says a
    network reaches them."""
    hard_wired = Trait.HARD_WIRED
    for index, asset in _entries(model, "assets"):
        if hard_wired not in asset.traits:
            continue
        if asset.type is AssetType.EXTERNAL_SERVICE:
            yield (
                ("assets", index, "traits", asset.traits.index(hard_wired)),
                Said("hard_wired.external_service", id=asset.id),
                Said("hard_wired.external_service.hint"),
            )
        if asset.addresses:
            yield (
                ("assets", index, "addresses"),
                Said("hard_wired.addresses", id=asset.id),
                Said("hard_wired.addresses.hint"),
            )
        for position, trait in enumerate(asset.traits):
            word = NETWORKED_TRAITS.get(trait)
            if word is not None:
                yield (
                    ("assets", index, "traits", position),
                    Said("hard_wired.trait", id=asset.id, trait=trait.value, what=Said(f"hard_wired.what.{word}")),
                    Said("hard_wired.trait.hint", trait=trait.value),
                )


DATA_DIODE = "data-diode"
"""The catalog component of a device that lets traffic through one way only (see ``Conduit.one_way``)."""


def _instructions_from_without_its_link(model: FactoryModel) -> Iterator[Finding]:
    """Conduits that say which end issues their control instructions (``instructions_from``) but carry none, or that
    put the issuer at the ``to`` end of a one-way conduit, whose data go from ``from`` only."""
    for index, conduit in _entries(model, "conduits"):
        issuing_end = conduit.instructions_from
        if issuing_end is None:
            continue
        path = ("conduits", index, "instructions_from")
        if not conduit.carries_control_instructions:
            yield (
                path,
                Said("instructions_from.no_control", id=conduit.id, end=issuing_end),
                Said("instructions_from.no_control.hint"),
            )
        elif issuing_end == "to" and conduit.direction != "two-way":
            yield path, Said("instructions_from.one_way", id=conduit.id), Said("instructions_from.one_way.hint")


def _diodes_on_two_way_conduits(model: FactoryModel) -> Iterator[Finding]:
    """Two-way conduits whose ``via`` passes a data diode: a diode lets nothing come back, so the data cannot go both ways."""
    diodes = {asset.id for _, asset in _entries(model, "assets") if asset.component == DATA_DIODE}
    if not diodes:
        return
    for index, conduit in _entries(model, "conduits"):
        if conduit.direction != "two-way":
            continue
        for position, asset_id in enumerate(conduit.via):
            if asset_id in diodes:
                yield (
                    ("conduits", index, "via", position),
                    Said("diode_two_way", asset=asset_id),
                    Said("diode_two_way.hint"),
                )
