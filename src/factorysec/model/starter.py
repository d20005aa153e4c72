"""The commented starter model written by ``factorysec init``."""

from __future__ import annotations

from pathlib import Path

STARTER = """\
# factorysec starter model. Check it with:  factorysec check factory.yaml
# Editors validate and complete this file with the schema from:  factorysec schema > factorysec.schema.json
# Sections follow the guideline's Step 1 (requirements, operations, protected objects, zones, conduits).

factory:
  id: my-factory
  name: My factory
  industry: processing-assembly      # processing-assembly | material-process | other
  purposes: [increase-productivity]  # smartification purposes, Table 3-1
  review_interval_days: 365          # PDCA review interval (Step 3)

bcp:                                 # Step 1-1 (1)
  exists: true
  covers: [new-service-impact]       # BCP review viewpoints already reflected

departments:                         # Step 1-1 (3)
  - id: production-site
    name: Production site
    kind: production-site
  - id: it-security
    name: IT and security department
    kind: security
    location: head-office

parties:                             # external stakeholders, Step 1-1 (3)
  - id: line-vendor
    name: Line equipment vendor
    kind: equipment-vendor

operations:                          # Steps 1-2 and 1-3
  - id: assembly
    name: Product assembly
    importance: high                 # low | medium | high | critical
    importance_reason: Stopping it stops all shipments.

zones:                               # Step 1-6
  - id: production
    name: Production zone
    kind: production                 # production | logistics | production-control | monitoring | engineering | office | external | dmz | other
    operations: [assembly]
    subnets: [192.168.10.0/24]
  - id: office
    name: OA zone
    kind: office
    subnets: [192.168.1.0/24]

assets:                              # protected objects, Steps 1-4 and 1-5
  - id: line-plc
    name: Assembly line PLC
    type: equipment                  # external-service | equipment | software | data (Table 3-3)
    component: controller
    zone: production
    operations: [assembly]
    supplier: line-vendor
    maintainer: line-vendor
    traits: [built-in-computer]
    importance: {safety: high, delivery: high}
  - id: production-plan
    name: Production plan
    type: data
    zone: office
    operations: [assembly]
    data: {category: production, disclosure: internal}

conduits:                            # Step 1-7: what crosses between zones
  - id: plan-to-line
    from: office
    to: production
    data: [production-plan]
    carries_control_instructions: false
    protocols: [https]
"""


def write_starter(path: Path, *, force: bool = False) -> None:
    """Write the starter model to ``path`` (an existing file is replaced only with ``force``, see :mod:`factorysec.outputs`)."""
    from factorysec.outputs import write_output

    write_output(path, STARTER, force=force)
