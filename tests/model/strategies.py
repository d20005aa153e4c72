"""Hypothesis strategies that build consistent, valid factory models."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from factorysec.catalog import load_catalog
from factorysec.model.entities import AssetType, ExternalNetwork, FactoryModel, Importance, Lifecycle, Trait, ZoneKind
from factorysec.model.references import NETWORKED_TRAITS

YAML_HOSTILE = [
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "true",
    "False",
    "null",
    "~",
    "",
    " ",
    "1e3",
    "1.5e+3",
    "0x1F",
    "0o17",
    "012",
    "1_000",
    ".inf",
    "-.nan",
    "2024-04-01",
    "2001-12-14t21:59:43.10-05:00",
    ": ",
    "a: b",
    "#",
    "# not a comment",
    "  leading spaces",
    "trailing spaces  ",
    "- item",
    "[a, b]",
    "{a: 1}",
    "&anchor",
    "*alias",
    "!tag",
    "|",
    ">",
    "'quoted'",
    '"double"',
    "%YAML",
    "@",
    "`",
    "---",
    "...",
    "<<",
    "=",
    "\t",
    "line\nbreak",
    "\u2028",
    "\x85",
    "next\x85line",
    "\ufeff",
    "工場",
    "生産ゾーン",
    "ｙｅｓ",
    "🏭",
    "\x7f",
    "\x9b31m",
    "\u202e",
]
UNCARRIABLE_TEXT = ["\r\n", "\x00", "\x1b[31m", "\x0c", "\x0b"]
"""Text ``check`` refuses: control characters no workbook can carry (see ``factorysec.yamlio.UNCARRIABLE_CHARACTER``)."""
_CARRIABLE = st.characters(
    exclude_categories=["Cs"], exclude_characters="".join(map(chr, [*range(0x09), *range(0x0B, 0x20)]))
)

_catalog = load_catalog()
TASKS = sorted(_catalog.section_ids("tasks"))
PURPOSES = sorted(_catalog.section_ids("purposes"))
PARTY_KINDS = sorted(_catalog.section_ids("party_kinds"))
COMPONENTS = sorted(_catalog.section_ids("components"))

ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,11}", fullmatch=True)
free_text = st.one_of(
    st.sampled_from(YAML_HOSTILE),
    st.text(_CARRIABLE, max_size=20),
    st.text(alphabet="ぁあいうえおカタカナ漢字工場生産 :#-'\"", max_size=12),
)


def _consistent_traits(kind: AssetType, traits: list[Trait]) -> list[str]:
    """The drawn traits as values, without `hard-wired` where `check` refuses it beside them: an external service, or
    a trait that says a network reaches the asset (`references.NETWORKED_TRAITS`)."""
    if Trait.HARD_WIRED in traits and (
        kind is AssetType.EXTERNAL_SERVICE or any(t in NETWORKED_TRAITS for t in traits)
    ):
        traits = [t for t in traits if t is not Trait.HARD_WIRED]
    return [t.value for t in traits]


def _subset(draw: st.DrawFn, pool: list[str], max_size: int = 3) -> list[str]:
    if not pool:
        return []
    return draw(st.lists(st.sampled_from(pool), max_size=max_size, unique=True))


@st.composite
def models(draw: Any) -> FactoryModel:
    """A model whose every reference resolves: zones (with sub-zones), operations, parties, assets, conduits."""
    pool = draw(st.lists(ids, min_size=1, max_size=24, unique_by=str.lower))
    sizes = draw(st.lists(st.integers(0, 6), min_size=4, max_size=4))
    zone_ids, pool = pool[: max(1, sizes[0])], pool[max(1, sizes[0]) :]
    operation_ids, pool = pool[: sizes[1]], pool[sizes[1] :]
    party_ids, pool = pool[: sizes[2]], pool[sizes[2] :]
    asset_ids, pool = pool[: sizes[3]], pool[sizes[3] :]
    conduit_ids = pool

    zones = []
    for index, zone_id in enumerate(zone_ids):
        parent = draw(st.none() | st.sampled_from(zone_ids[:index])) if index else None
        zones.append(
            {
                "id": zone_id,
                "name": draw(free_text),
                "kind": draw(st.sampled_from(list(ZoneKind))).value,
                "parent": parent,
                "status": draw(st.sampled_from(list(Lifecycle))).value,
                "description": draw(st.none() | free_text),
            }
        )
    parties = []
    for index, party_id in enumerate(party_ids):
        boss = draw(st.none() | st.sampled_from(party_ids[:index])) if index else None
        parties.append(
            {
                "id": party_id,
                "name": draw(free_text),
                "kind": draw(st.sampled_from(PARTY_KINDS)),
                "subcontractor_of": boss,
                "notes": draw(st.none() | free_text),
            }
        )
    operations = [
        {
            "id": op_id,
            "name": draw(free_text),
            "importance": draw(st.sampled_from(list(Importance))).value,
            "task": draw(st.none() | st.sampled_from(TASKS)),
            "purposes": _subset(draw, PURPOSES),
            "performed_by": draw(st.none() | st.sampled_from(party_ids)) if party_ids else None,
        }
        for op_id in operation_ids
    ]
    assets = []
    for asset_id in asset_ids:
        kind = draw(st.sampled_from([t for t in AssetType if t is not AssetType.DATA]))
        assets.append(
            {
                "id": asset_id,
                "name": draw(free_text),
                "type": kind.value,
                "zone": draw(st.sampled_from(zone_ids)),
                "operations": _subset(draw, operation_ids),
                "component": draw(st.none() | st.sampled_from(COMPONENTS)),
                "traits": _consistent_traits(
                    kind, draw(st.lists(st.sampled_from(list(Trait)), max_size=3, unique=True))
                ),
                "supplier": draw(st.none() | st.sampled_from(party_ids)) if party_ids else None,
                "description": draw(st.none() | free_text),
            }
        )
    zone_of = {a["id"]: a["zone"] for a in assets}
    conduits = []
    for conduit_id in conduit_ids:
        source, target = draw(st.sampled_from(zone_ids)), draw(st.sampled_from(zone_ids))
        conduits.append(
            {
                "id": conduit_id,
                "name": draw(st.none() | free_text),
                "from": source,
                "to": target,
                "from_assets": _subset(draw, [a for a, z in zone_of.items() if z == source]),
                "to_assets": _subset(draw, [a for a, z in zone_of.items() if z == target]),
                "carries": draw(st.none() | free_text),
                "carries_control_instructions": draw(st.booleans()),
                "external_network": draw(st.sampled_from(list(ExternalNetwork))).value,
            }
        )
    factory = {
        "id": draw(ids),
        "name": draw(free_text),
        "purposes": _subset(draw, PURPOSES),
        "location": draw(st.none() | free_text),
        "review_interval_days": draw(st.integers(1, 10_000)),
    }
    return FactoryModel.model_validate(
        {
            "factory": factory,
            "zones": zones,
            "parties": parties,
            "operations": operations,
            "assets": assets,
            "conduits": conduits,
        }
    )
