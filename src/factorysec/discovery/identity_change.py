"""Observed device identities written as a change file against the model, so they go through review (pure, no I/O).

`discover --model M --change OUT` turns what the devices stated on the wire
into a change file for M: each asset that declares no identity (the
`DISC-IDENTITY-UNDECLARED` finding) gets the observed one, marked
``source: observed`` with its evidence. `factorysec review OUT` then shows
the change as any other, and the workspace takes it as a change request.
A declared identity the device contradicts (`DISC-IDENTITY-MISMATCH`) is not
overwritten: the file's header names both values and leaves it to a person,
since either the model or the asset's address may be the wrong one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from factorysec.discovery.identity_drift import MISMATCH, addressed_assets, identity_drift, model_text
from factorysec.discovery.types import Inventory
from factorysec.model.entities import FactoryModel


@dataclass(frozen=True, slots=True)
class IdentityChange:
    """The change file's document, its header comment lines, and how many assets each part concerns."""

    document: dict[str, Any]
    header: tuple[str, ...]
    recorded: int
    contradicted: int


def identity_change(inventory: Inventory, model: FactoryModel, base_reference: str, title: str) -> IdentityChange:
    """The change recording observed identities on the assets of ``model`` that declare none.

    An asset whose identity holds only fields the wire never gives (an SBOM path, a CPE) keeps them: the
    observed facts are added beside them.
    """
    recorded: list[dict[str, Any]] = []
    contradicted: list[str] = []
    for found in identity_drift(inventory.hosts, addressed_assets(model)):
        if found.rule == MISMATCH:
            disagreements = "; ".join(
                f"{name}: model says '{model_text(stated)}', the device says '{model_text(seen)}'"
                for name, stated, seen in found.differences
            )
            contradicted.append(f"asset '{found.asset.id}' ({found.host.ip}): {disagreements}")
            continue
        kept = found.asset.identity.model_dump(mode="json", exclude_none=True) if found.asset.identity else {}
        kept.pop("source", None)
        recorded.append({"id": found.asset.id, "identity": {**kept, **found.observed.as_model_identity()}})
    recorded.sort(key=lambda entry: str(entry["id"]))
    header = [
        "Device identities observed by 'factorysec discover', for the assets that declare none",
        "(DISC-IDENTITY-UNDECLARED); each is marked 'source: observed' with the packets or log lines that gave it.",
        "Review it with 'factorysec review' on this file, or upload it to the workspace as a change request.",
    ]
    if not recorded:
        header.append("No asset without an identity was seen stating one: this change changes nothing.")
    if contradicted:
        header.append(
            "Declared identities the devices contradict (DISC-IDENTITY-MISMATCH), left as they are for a person to decide:"
        )
        header.extend(f"  - {line}" for line in sorted(contradicted))
    document: dict[str, Any] = {"change": {"base": base_reference, "title": title}}
    if recorded:
        document["modify"] = {"assets": recorded}
    return IdentityChange(document, tuple(header), len(recorded), len(contradicted))
