"""Catalog-wide checks on the packaged data: contract ids, table sizes, languages, references."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from factorysec.catalog import REPORTING_DEPARTMENT, Catalog, Text, default_data_dir
from factorysec.catalog.models import ID_PATTERN
from factorysec.yamlio import parse_yaml_text

DATA_FILES = sorted(p.name for p in default_data_dir().iterdir() if p.name.endswith(".yaml"))

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")


def _models(catalog: Catalog) -> Iterator[BaseModel]:
    for name in Catalog.section_names():
        yield from getattr(catalog, name).values()


def _texts(value: Any, path: str) -> Iterator[tuple[str, Text]]:
    if isinstance(value, Text):
        yield path, value
    elif isinstance(value, BaseModel):
        for field in type(value).model_fields:
            yield from _texts(getattr(value, field), f"{path}.{field}")
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _texts(item, f"{path}[{index}]")


def _all_texts(catalog: Catalog) -> list[tuple[str, Text]]:
    found: list[tuple[str, Text]] = []
    for name in Catalog.section_names():
        for entry_id, entry in getattr(catalog, name).items():
            found.extend(_texts(entry, f"{name}:{entry_id}"))
    return found


# --- ids the rest of factorysec codes against ------------------------------------

EXPECTED_IDS: dict[str, set[str]] = {
    "steps": {"step-1", *(f"step-1-{i}" for i in range(1, 8)), "step-2", "step-2-1", "step-2-2", "step-3"},
    "purposes": {
        "improve-quality",
        "reduce-costs",
        "increase-productivity",
        "shorten-time-to-market",
        "address-workforce",
        "add-value",
        "strengthen-risk-management",
    },
    "tasks": {
        "visualization",
        "traceability",
        "work-instruction",
        "production-issues",
        "forecast-optimization",
        "data-integration",
        "business-continuity",
        "workplace-diversification",
        "general-purpose-products",
    },
    "object_types": {"external-service", "equipment", "software", "data"},
    "threat_types": {
        "theft-destruction-unauthorized-operation",
        "abnormal-control-shutdown",
        "data-theft-leakage",
        "data-falsification-destruction",
        "reduced-availability",
        "stepping-stone",
        "system-failure",
        "negligence",
        "facility-environment",
        "natural-environment",
    },
    "risk_areas": {"line-flexibility", "control-it-integration", "remote-access", "third-party-integration"},
    "risk_matters": {
        "built-in-computer",
        "wireless-ict",
        "fa-oa-connection",
        "fa-data-in-oa",
        "external-network-connection",
        "external-equipment",
        "different-security-policy",
        "expanded-attack-effects",
        "external-system-operation",
        "external-system-information",
    },
    "viewpoints": {"sqdc", "business-continuity", "protected-object", "information-transfer", "control-instructions"},
    "bcp_viewpoints": {
        "partner-incident-impact",
        "undetermined-cause-impact",
        "impact-on-partners",
        "new-service-impact",
        "new-service-attack-suspension",
        "new-service-failure",
        "suspend-continue-criteria",
        "decision-structure",
    },
    "department_kinds": {
        "it",
        "security",
        "production-engineering",
        "production-control",
        "production-site",
        "strategic-management",
        "audit",
        "risk-management",
        "dx",
        "factory-management",
        "business-owner",
        "bcp",
        "safety",
        "quality",
    },
    "party_kinds": {
        "equipment-supplier",
        "cloud-provider",
        "outsourced-vendor",
        "subcontractor",
        "equipment-vendor",
        "software-supplier",
        "business-partner",
        "system-integrator",
        "customer",
        "authority",
        "security-vendor",
        "other",
    },
    "incident_impact_viewpoints": {"impact-on-others", "impact-from-others", "procured-product-vulnerability"},
    "requirement_kinds": {
        "law-regulation",
        "standard",
        "guideline",
        "government",
        "industry",
        "market-customer",
        "business-partner",
        "investor",
        "internal",
    },
    "standards": {
        "iec-62443",
        "eu-cra",
        "jp-economic-security-act",
        "semi-e187",
        "nist-csf",
        "meti-factory-guidelines",
        "jp-iot-conformity-assessment",
    },
    "table_3_6": {f"t36-{i}" for i in range(1, 10)},
    "ooda_stages": {"preventive-maintenance", "damage-occurrence"},
    "ooda_phases": {"observe", "orient", "decide", "act"},
    "maturity_areas": {"external-cooperation", "between-departments", "within-department"},
    "maturity_levels": {"basic", "practice", "application"},
    "maturity_definitions": {"process", "capability", "skills"},
}

EXPECTED_COMPONENTS: dict[str, set[str]] = {
    "external-service": {"cloud-system", "ai-analysis-system"},
    "equipment": {
        "network-equipment",
        "production-facility",
        "iot-device",
        "controller",
        "hmi",
        "server",
        "terminal",
        "engineering-workstation",
        "router",
        "firewall",
        "vpn-gateway",
        "data-diode",
        "wireless-ap",
        "agv",
        "automated-warehouse",
        "robot",
        "safety-system",
        "office-terminal",
        "printer",
    },
    "software": {"new-software", "packaged-software", "control-model", "scada", "mes", "cad", "equipment-program"},
    "data": {
        "partner-data",
        "sensor-data",
        "production-instructions",
        "process-data",
        "design-data",
        "inventory-data",
        "recipe",
        "equipment-status",
    },
}


@pytest.mark.parametrize("section", sorted(EXPECTED_IDS))
def test_contract_ids(catalog: Catalog, section: str) -> None:
    assert catalog.section_ids(section) == EXPECTED_IDS[section]


def test_components_by_type(catalog: Catalog) -> None:
    for type_id, expected in EXPECTED_COMPONENTS.items():
        assert {c.id for c in catalog.object_types[type_id].components} == expected
        assert all(catalog.components[c].object_type == type_id for c in expected)
    assert set(catalog.components) == set().union(*EXPECTED_COMPONENTS.values())


def test_table_3_3_components_are_smartification_additions(catalog: Catalog) -> None:
    table_3_3 = {c.id for c in catalog.components.values() if c.origin == "smartification"}
    assert len(table_3_3) == 12
    for comp in catalog.components.values():
        assert ("Table 3-3" in comp.ref) == (comp.origin == "smartification")


def test_viewpoint_details(catalog: Catalog) -> None:
    details = {v: [d.id for d in catalog.viewpoints[v].details] for v in catalog.viewpoints}
    assert details == {
        "sqdc": ["safety", "quality", "delivery", "cost"],
        "business-continuity": ["stoppage", "leakage", "malfunction", "ripple", "recovery", "extent"],
        "protected-object": ["availability", "integrity", "confidentiality"],
        "information-transfer": ["transfer-confidentiality", "transfer-availability", "transfer-integrity"],
        "control-instructions": ["external-control-instructions"],
    }
    scopes = {v.id: v.scope for v in catalog.viewpoints.values()}
    assert {k for k, s in scopes.items() if s == "between-zones"} == {"information-transfer", "control-instructions"}


# --- table sizes ------------------------------------------------------------------


def test_table_sizes(catalog: Catalog) -> None:
    assert len(catalog.purposes) == 7  # Table 3-1
    assert sum(len(p.examples) for p in catalog.purposes.values()) == 3 + 3 + 2 + 3 + 2 + 4 + 1
    assert len(catalog.tasks) == 9  # Table 3-2
    assert [t.category for t in catalog.tasks.values()].count("component") == 2
    assert len(catalog.threat_types) == 10  # Step 1-7
    assert len(catalog.risk_matters) == 10  # Table 3-5
    assert sum("Table 2-1" in m.ref for m in catalog.risk_matters.values()) == 8  # Table 2-1
    assert len(catalog.viewpoints) == 5  # Table 3-4
    assert len(catalog.table_3_6) == 9  # Table 3-6
    assert len(catalog.ooda) == 2 * 4  # Tables 3-7 and 3-8
    assert len(catalog.maturity) == 3 * 3  # Table 3-9
    assert 25 <= len(catalog.measures) <= 45  # 34 from Step 2 and Step 3, 6 for the Step 1-1 and PDCA rules


@pytest.mark.parametrize(
    ("kind", "per_stage"),
    [
        ("cloud-service", {"procurement": 4, "contract": 2, "operation-maintenance": 6}),  # Table 3-10
        ("general-purpose-product", {"procurement": 8, "operation-maintenance": 5}),  # Table 3-11
        ("software", {"procurement": 7, "contract": 4, "development": 3, "operation-maintenance": 5}),  # Table 3-12
    ],
)
def test_checklist_sizes(catalog: Catalog, kind: str, per_stage: dict[str, int]) -> None:
    counts = Counter(item.stage for item in catalog.checklist(kind))
    assert dict(counts) == per_stage


def test_checklist_totals_and_ids(catalog: Catalog) -> None:
    totals = Counter(item.kind for item in catalog.checklist_items.values())
    assert totals == {"cloud-service": 12, "general-purpose-product": 13, "software": 19}
    prefix = {"cloud-service": "cloud", "general-purpose-product": "product", "software": "software"}
    for item in catalog.checklist_items.values():
        assert item.id.startswith(f"{prefix[item.kind]}.{item.stage}.")


def test_general_purpose_product_contract_note(catalog: Catalog) -> None:
    notes = [n for n in catalog.checklist_notes.values() if n.kind == "general-purpose-product"]
    assert [n.stage for n in notes] == ["contract"]


def test_ooda_grid_complete(catalog: Catalog) -> None:
    pairs = {(r.stage, r.phase) for r in catalog.ooda.values()}
    assert pairs == {(s, p) for s in catalog.ooda_stages for p in catalog.ooda_phases}
    assert catalog.ooda_role("preventive-maintenance", "observe").lead == "equipment-vendor"
    assert catalog.ooda_role("damage-occurrence", "orient").decision_makers == ("bcp", "security")


def test_maturity_grid_complete_and_ordered(catalog: Catalog) -> None:
    pairs = {(c.area, c.level) for c in catalog.maturity.values()}
    assert pairs == {(a, lv) for a in catalog.maturity_areas for lv in catalog.maturity_levels}
    assert list(catalog.maturity_levels) == ["basic", "practice", "application"]
    ranks = [lv.rank for lv in catalog.maturity_levels.values()]
    assert ranks == sorted(ranks)


def test_steps(catalog: Catalog) -> None:
    audiences = {s.id: set(s.audiences) for s in catalog.steps.values() if s.parent is None}
    assert audiences == {
        "step-1": {"it", "production", "strategic-management", "audit", "risk-management", "dx"},
        "step-2": {"it", "dx", "vendors"},
        "step-3": {"it", "production", "vendors"},
    }
    for step in catalog.steps.values():
        if step.parent is None:
            assert step.references, step.id
            assert all(r.url.startswith("https://") for r in step.references)
        else:
            assert step.id.startswith(step.parent + "-")
            assert step.section.startswith(catalog.steps[step.parent].section + ".")
    assert catalog.steps["step-1-7"].section == "3.1.7"
    assert [len(catalog.steps[s].references) for s in ("step-1", "step-2", "step-3")] == [5, 3, 4]


def test_department_and_party_groups(catalog: Catalog) -> None:
    table_1_1 = {"it", "production", "strategic-management", "audit", "risk-management", "dx"}
    assert {d.group for d in catalog.department_kinds.values()} == table_1_1
    vendors = {p.id for p in catalog.party_kinds.values() if p.group == "vendors"}
    assert {"equipment-vendor", "equipment-supplier", "outsourced-vendor"} <= vendors
    assert "cloud-provider" not in vendors


def test_bcp_groups(catalog: Catalog) -> None:
    groups = Counter(v.group for v in catalog.bcp_viewpoints.values())
    assert groups == {"supply-chain": 3, "new-services": 3, "decision-making": 2}


# --- ids, languages, refs -------------------------------------------------------


@pytest.mark.parametrize("name", DATA_FILES)
def test_raw_ids_unique_and_well_formed(name: str) -> None:
    """Checked on the raw YAML, independently of the loader's own duplicate check."""
    doc = yaml.safe_load((default_data_dir() / name).read_text(encoding="utf-8"))
    for key, entries in doc.items():
        ids = [e["id"] for e in entries]
        assert len(ids) == len(set(ids)), f"{name}:{key} has duplicate ids"
        assert all(re.match(ID_PATTERN, i) for i in ids), f"{name}:{key}"


@pytest.mark.parametrize("name", DATA_FILES)
def test_every_value_reads_the_same_under_yaml_1_1_and_1_2(name: str) -> None:
    """The loader reads YAML 1.2; an unquoted ``yes``, ``0755`` or date would silently change type against YAML 1.1 (PyYAML)."""
    text = (default_data_dir() / name).read_text(encoding="utf-8")
    read = parse_yaml_text(text, name, record_locations=False).data
    assert read == yaml.safe_load(text)
    assert _types(read) == _types(yaml.safe_load(text))


def _types(value: object) -> object:
    """The value with every leaf replaced by its type, so that ``1 == True`` or ``1 == 1.0`` cannot hide a change."""
    if isinstance(value, dict):
        return {key: _types(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_types(item) for item in value]
    return type(value)


def test_component_ids_globally_unique() -> None:
    doc = yaml.safe_load((default_data_dir() / "object_types.yaml").read_text(encoding="utf-8"))
    ids = [c["id"] for t in doc["object_types"] for c in t["components"]]
    assert len(ids) == len(set(ids))


def test_every_text_bilingual(catalog: Catalog) -> None:
    texts = _all_texts(catalog)
    assert len(texts) > 300
    for where, text in texts:
        assert text.en.strip() and text.ja.strip(), where
        assert JAPANESE.search(text.ja), f"{where}: ja has no Japanese characters: {text.ja!r}"
        assert not HANGUL.search(text.ja), f"{where}: ja contains Hangul: {text.ja!r}"
        assert not JAPANESE.search(text.en), f"{where}: en contains Japanese: {text.en!r}"


def test_every_entry_has_ref(catalog: Catalog) -> None:
    for model in _models(catalog):
        ref = getattr(model, "ref", None)
        assert isinstance(ref, str) and ref.strip(), repr(model)[:80]


# --- cross-references (independent of the loader) ---------------------------------


def test_cross_references_resolve(catalog: Catalog) -> None:
    threats = set(catalog.threat_types)
    for matter in catalog.risk_matters.values():
        assert set(matter.threat_types) <= threats
        assert matter.viewpoint in catalog.viewpoints
        assert matter.area in catalog.risk_areas
    for measure in catalog.measures.values():
        assert set(measure.threat_types) <= threats
    for row in catalog.table_3_6.values():
        assert row.threat_type in threats
        assert set(row.measures) <= set(catalog.measures)
        assert all(row.threat_type in catalog.measures[m].threat_types for m in row.measures)
    kinds = set(catalog.department_kinds) | set(catalog.party_kinds) | {REPORTING_DEPARTMENT}
    for role in catalog.ooda.values():
        assert role.lead in kinds
        assert set(role.decision_makers) <= set(catalog.department_kinds)
    for standard in catalog.standards.values():
        assert standard.kind in catalog.requirement_kinds


def test_table_3_6_rows(catalog: Catalog) -> None:
    rows = catalog.table_3_6
    assert [r.threat_type for r in rows.values()] == [
        "theft-destruction-unauthorized-operation",
        "theft-destruction-unauthorized-operation",
        "abnormal-control-shutdown",
        "data-theft-leakage",
        "data-falsification-destruction",
        "data-falsification-destruction",
        "reduced-availability",
        "negligence",
        "negligence",
    ]
    assert rows["t36-4"].measure_areas == ("equipment", "programs-services")
    assert [r.measure_area for r in rows.values()] == [
        "network",
        "equipment",
        "equipment",
        "equipment",
        "equipment",
        "network",
        "programs-services",
        "equipment",
        "programs-services",
    ]


# --- measures -------------------------------------------------------------------

REQUIRED_MEASURES = {
    "net-zone-boundary-filtering",
    "net-unidirectional-control-instructions",
    "net-encrypted-authenticated-conduit",
    "net-input-validation-fa-oa",
    "net-transfer-integrity-check",
    "net-transfer-backup",
    "net-transfer-data-allowlist",
    "net-remote-access-vpn-mfa",
    "net-vendor-remote-session-management",
    "net-external-zone-supply-chain-requirements",
    "net-unified-user-management",
    "net-wireless-security",
    "cloud-terms-environment-fit",
    "cloud-purpose-fit",
    "cloud-provider-incident-responsibility",
    "cloud-data-migration-reliability",
    "cloud-service-resumption",
    "hw-security-functions",
    "hw-supplier-vulnerability-response",
    "hw-incident-maintenance-policy",
    "sw-oss-component-management",
    "sw-daily-vulnerability-management",
    "sw-license-management",
    "data-quality-assurance",
    "data-loss-prevention",
    "data-acquisition-scope",
    "data-utilisation-scope",
    "data-db-capacity-monitoring",
    "data-handling-rules",
    "phys-access-control",
    "phys-natural-disaster-protection",
    "phys-secure-disposal",
}

CATEGORY_PREFIX = {
    "network": "net-",
    "cloud": "cloud-",
    "hardware": "hw-",
    "software": "sw-",
    "data": "data-",
    "physical": "phys-",
    "operation": "op-",
}


def test_required_measures_present(catalog: Catalog) -> None:
    assert REQUIRED_MEASURES <= set(catalog.measures)


def test_measure_shape(catalog: Catalog) -> None:
    assert {m.category for m in catalog.measures.values()} == set(CATEGORY_PREFIX)
    for measure in catalog.measures.values():
        assert measure.id.startswith(CATEGORY_PREFIX[measure.category]), measure.id
        assert measure.nist_csf, measure.id
        assert len(set(measure.iec62443_sr)) == len(measure.iec62443_sr)
        assert measure.cost in {"low", "medium", "high"}


def test_every_threat_type_has_a_measure(catalog: Catalog) -> None:
    for threat in catalog.threat_types:
        assert catalog.measures_for_threat(threat), threat
