"""The Annex A example and an edited copy of it, for the comparison tests: one finding resolved, one new, one risk up, one decision taken and Step 3 progress."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import EXAMPLES

ADDED_ASSET = (
    "  - {id: vendor-laptop, name: Vendor laptop, type: equipment, component: terminal, zone: production,"
    " operations: [parts-manufacturing], traits: [general-purpose, remote-access]}\n"
)
STEP3 = """
ooda_roles:
  - {stage: damage-occurrence, phase: observe, lead: production-site, decision_makers: [production-site]}

maturity:
  - {area: between-departments, level: practice, evidence: 2026 exercise, assessed: 2026-06-01}

checklist_answers:
  - {subject: parts-line, item: product.procurement.security-policy-disclosed, answer: "yes", evidence: vendor PSIRT page}
"""
DECISIONS = """decisions:
  - {finding: THREAT-WIRELESS@transport-zone, status: accepted, owner: it-security, justification: AGV network on its own VLAN}
"""


def edited_copy(folder: Path) -> Path:
    """A copy of examples/annex-a/current in ``folder``/plant with a remote-access laptop, Step 3 answers and a decision beside it."""
    plant = folder / "plant"
    shutil.copytree(EXAMPLES / "current", plant)
    with (plant / "assets.yaml").open("a", encoding="utf-8") as assets:
        assets.write(ADDED_ASSET)
    with (plant / "factory.yaml").open("a", encoding="utf-8") as factory:
        factory.write(STEP3)
    (folder / "decisions.yaml").write_text(DECISIONS, encoding="utf-8")
    return plant
