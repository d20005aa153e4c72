"""Identity drift: what devices said about themselves on the wire against the identity the model declares (pure, no I/O).

Vulnerability intake (``factorysec vulns``) matches advisories to an asset by
the identity the model declares. A declared firmware version that the PLC
itself contradicts makes that match wrong in both directions (a fixed unit
reported affected, an affected unit reported fixed), and an asset with no
identity at all is not matched. Both are inventory problems of Appendix
3.1.4 Step 1-4, where the guideline asks for the component list to be kept
current with automated tools, and they feed the vulnerability handling of
Tables 3-11 and 3-12.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from factorysec.catalog.vulnerability import normalise_name
from factorysec.discovery.drift_rules import HARD_WIRED_SEEN, IDENTITY_MISMATCH, IDENTITY_UNDECLARED
from factorysec.discovery.types import DeviceIdentity, Host
from factorysec.model.entities import Asset, AssetIdentity, FactoryModel, Trait
from factorysec.report.inert import printable

MISMATCH = IDENTITY_MISMATCH.id
UNDECLARED = IDENTITY_UNDECLARED.id
HARD_WIRED = HARD_WIRED_SEEN.id


@dataclass(frozen=True, slots=True)
class ObservedIdentity:
    """The identity facts of one host, merged over every protocol that reported them (first report wins per field)."""

    vendor: str | None
    product: str | None
    model: str | None
    version: str | None
    serial: str | None
    evidence: tuple[str, ...]
    protocols: tuple[str, ...]

    @classmethod
    def merge(cls, identities: Iterable[DeviceIdentity]) -> ObservedIdentity | None:
        ordered = sorted(identities, key=lambda d: (d.seen, d.protocol, d.evidence))
        if not ordered:
            return None

        def first(field: str) -> str | None:
            for identity in ordered:
                value = getattr(identity, field)
                if isinstance(value, str) and value.strip():
                    return value.strip()
            return None

        merged = cls(
            vendor=first("vendor"),
            product=first("product"),
            model=first("model"),
            version=first("firmware"),
            serial=first("serial"),
            evidence=tuple(dict.fromkeys(d.evidence for d in ordered)),
            protocols=tuple(dict.fromkeys(d.protocol for d in ordered)),
        )
        return merged if merged.facts() else None

    def facts(self) -> dict[str, str]:
        """The fields the wire gave, named as :class:`AssetIdentity` names them."""
        values = {
            "vendor": self.vendor,
            "product": self.product,
            "model": self.model,
            "version": self.version,
            "serial": self.serial,
        }
        return {name: value for name, value in values.items() if value}

    def as_model_identity(self) -> dict[str, str]:
        """What to write under the asset's ``identity:`` (with ``source: observed``), for a starter model or a change
        file: each value one printable line (:func:`model_text`), since the wire is not to be trusted."""
        values = {**self.facts(), "source": "observed", "evidence": "; ".join(self.evidence)}
        return {key: model_text(value) for key, value in values.items()}


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def model_text(text: str) -> str:
    """Text from the wire as a model may hold it: one line (line feeds, tabs and runs of spaces made one space),
    the other control and bidirectional characters spelled out (``\\x1b``), and a lone surrogate, which a Zeek JSON
    log's escape can give and no file can hold, spelled out too (``\\ud800``)."""
    line = " ".join(printable(text).split())
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", line)


def _plain(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", unicodedata.normalize("NFKC", text).casefold())


def _version_key(text: str) -> str:
    """A version as compared here: case, spaces and a leading V/firmware word do not matter (``V2.9.4`` = ``2.9.4``)."""
    plain = _plain(text)
    return re.sub(r"^(firmware|fw|version|ver|v)\.?", "", plain)


def _differs(field: str, declared: str, observed: str) -> bool:
    if field == "vendor":
        left, right = normalise_name(declared), normalise_name(observed)
        return not (left == right or left.startswith(right + " ") or right.startswith(left + " "))
    if field == "version":
        return _version_key(declared) != _version_key(observed)
    return _plain(declared) != _plain(observed)


def differences(declared: AssetIdentity, observed: ObservedIdentity) -> list[tuple[str, str, str]]:
    """``(field, declared, observed)`` for every field both sides give and that disagree.

    The product family is not compared: devices and catalogs spell it in too many
    ways ("SIMATIC S7 CPU-1200" against "S7-1200"); vendor, model number,
    version and serial are what advisories are matched on.
    """
    found: list[tuple[str, str, str]] = []
    for field, seen in observed.facts().items():
        if field == "product":
            continue
        stated = getattr(declared, field)
        if isinstance(stated, str) and stated.strip() and _differs(field, stated, seen):
            found.append((field, stated, seen))
    return found


@dataclass(frozen=True, slots=True)
class IdentityDrift:
    """One asset whose observed identity the model lacks (``differences`` empty) or contradicts."""

    rule: str
    asset: Asset
    host: Host
    observed: ObservedIdentity
    differences: tuple[tuple[str, str, str], ...]

    def message(self) -> str:
        said = ", ".join(f"{name} {value}" for name, value in self.observed.facts().items())
        if self.rule == UNDECLARED:
            return (
                f"asset '{self.asset.id}' ({self.host.ip}) declares no identity, but its traffic "
                f"({', '.join(self.observed.protocols)}) says {said}; record it under 'identity:' "
                f"with source: observed so vendor advisories can be matched to it (factorysec vulns); "
                f"discover --change FILE writes it as a change file to review"
            )
        wrong = "; ".join(
            f"{name}: model says '{stated}', the device says '{seen}'" for name, stated, seen in self.differences
        )
        return (
            f"asset '{self.asset.id}' ({self.host.ip}): the declared identity disagrees with what the device "
            f"reported ({', '.join(self.observed.protocols)}): {wrong}; advisories are matched on the "
            f"declared identity, so correct it (or the asset's address) before trusting vulnerability results"
        )


def addressed_assets(model: FactoryModel) -> dict[str, Asset]:
    """Each address the model gives an asset (in its canonical spelling, as discovery writes hosts) to that asset."""
    return {str(ipaddress.ip_address(address)): asset for asset in model.assets for address in asset.addresses}


def identity_drift(hosts: Iterable[Host], asset_of: dict[str, Asset]) -> Iterator[IdentityDrift]:
    """Per host mapped to an asset and carrying identity facts: a missing or contradicted declared identity."""
    for host in hosts:
        asset = asset_of.get(host.ip)
        if asset is None:
            continue
        observed = ObservedIdentity.merge(host.identities)
        if observed is None:
            continue
        declared = asset.identity
        if declared is None or not any((declared.vendor, declared.product, declared.model, declared.version)):
            yield IdentityDrift(UNDECLARED, asset, host, observed, ())
            continue
        found = differences(declared, observed)
        if found:
            yield IdentityDrift(MISMATCH, asset, host, observed, tuple(found))


def same_device(declared: AssetIdentity, observed: ObservedIdentity) -> bool:
    """Whether the device that stated ``observed`` is the one ``declared`` names: the same serial when both give one,
    else the same vendor and model number (both sides giving both); a version or product family alone says nothing."""
    if declared.serial and declared.serial.strip() and observed.serial:
        return not _differs("serial", declared.serial, observed.serial)
    fields = ("vendor", "model")
    stated = [getattr(declared, field) for field in fields]
    seen = [getattr(observed, field) for field in fields]
    if not all(isinstance(value, str) and value.strip() for value in stated) or not all(seen):
        return False
    return not any(_differs(field, str(a), str(b)) for field, a, b in zip(fields, stated, seen))


@dataclass(frozen=True, slots=True)
class HardWiredSeen:
    """An asset the model marks hard-wired (no network interface) whose identity a host on the network stated."""

    asset: Asset
    host: Host
    observed: ObservedIdentity

    def message(self) -> str:
        said = ", ".join(f"{name} {value}" for name, value in self.observed.facts().items())
        return (
            f"asset '{self.asset.id}' is declared hard-wired (no network interface), but {self.host.ip} states its "
            f"identity on the network ({', '.join(self.observed.protocols)}: {said}); if it is that device, remove "
            f"'hard-wired' and give the asset this address, since the rules that left it aside as unreachable "
            f"(ZONE-SAFETY-WITH-CONTROL) apply to it"
        )


def hard_wired_seen(hosts: Iterable[Host], model: FactoryModel, asset_of: dict[str, Asset]) -> Iterator[HardWiredSeen]:
    """Per host that no address maps to an asset and that states the identity of an asset marked hard-wired: that asset
    (each asset once, at the first such host in address order as given)."""
    declared = [
        (asset, asset.identity)
        for asset in model.assets
        if Trait.HARD_WIRED in asset.traits and asset.identity is not None
    ]
    if not declared:
        return
    told: set[str] = set()
    for host in hosts:
        if host.ip in asset_of:
            continue
        observed = ObservedIdentity.merge(host.identities)
        if observed is None:
            continue
        for asset, identity in declared:
            if asset.id not in told and same_device(identity, observed):
                told.add(asset.id)
                yield HardWiredSeen(asset, host, observed)
