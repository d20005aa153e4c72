"""Zone-and-conduit diagrams as SVG, in the spirit of the appendix's Figure C-1.

Zones are boxes (Graphviz clusters, sub-zones nested in their parent) listing
their protected objects; conduits are arrows labelled with the data they carry.
Control-instruction flows are thick and red, flows over an external network are
dashed, external zones are shaded, and zones are coloured by the importance the
analysis gave them. Layout is done by Graphviz ``dot``; this module only
describes the picture.
"""

from __future__ import annotations

import functools
import html
import math
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import graphviz  # type: ignore[import-untyped]
from graphviz.backend import dot_command  # type: ignore[import-untyped]

from factorysec.analysis.assessment import Assessment
from factorysec.catalog.models import Text
from factorysec.model.entities import (
    Asset,
    AssetType,
    Conduit,
    ExternalNetwork,
    FactoryModel,
    Importance,
    Lifecycle,
    Zone,
)

FONT = "Noto Sans CJK JP"
ASSET_LIST_LIMIT = 8
"""A zone with more assets than this shows counts by type instead of names."""
LARGE_ZONE_COUNT = 30
"""From this many zones on, the overview is a grid of zone boxes (no nested boxes, no asset names) and each zone gets a diagram of its neighbours."""
NESTED_LINK_LIMIT = 120
"""More arrows than this (after grouping) also switch a plant of fewer zones to the grid: Graphviz's layout of nested zones with labelled arrows went from 0.1 s to minutes past about 200 arrows."""
SINGLE_CONDUIT_TOTAL = 40
"""A plant with at most this many conduits between and inside its zones may draw them one arrow each; with more, every pair of zones gets one arrow."""
SINGLE_CONDUIT_PAIR = 3
"""A pair of zones joined by more conduits than this gets one arrow with their number, however few conduits the plant has."""
OVERVIEW_LINK_LIMIT = 1500
"""At most this many arrows in the grid overview, those with control instructions, over an external network and with most conduits first; the rest are drawn in the zones' own diagrams."""
NEIGHBOUR_LIMIT = 24
"""A zone's diagram draws at most this many neighbours (those with most conduits first) and names the count of the others."""
GRID_CELL_WIDTH = 210
GRID_CELL_HEIGHT = 120
GRID_NAME_LENGTH = 32
"""Zone names longer than this are shortened in the grid (the tooltip holds the whole name)."""
ZONE_DIAGRAM_FOLDER = "zones"
"""The report folder's sub-folder holding one diagram per zone (``zones/<zone id>.svg``) for large plants."""

CONTROL_COLOUR = "#c62828"
FLOW_COLOUR = "#37474f"
HIGHLIGHT_COLOUR = "#1565c0"
EXTERNAL_FILL = "#cfd8dc"
IMPORTANCE_FILL: dict[Importance | None, str] = {
    Importance.CRITICAL: "#f8bbd0",
    Importance.HIGH: "#ffe0b2",
    Importance.MEDIUM: "#fff9c4",
    Importance.LOW: "#dcedc8",
    None: "#f5f5f5",
}
IMPORTANCE_BORDER: dict[Importance | None, str] = {
    Importance.CRITICAL: "#ad1457",
    Importance.HIGH: "#ef6c00",
    Importance.MEDIUM: "#f9a825",
    Importance.LOW: "#558b2f",
    None: "#9e9e9e",
}

LABELS: dict[str, Text] = {
    "control": Text(en="control", ja="制御指示"),
    "legend": Text(en="Legend", ja="凡例"),
    "importance": Text(en="zone importance", ja="ゾーンの重要度"),
    "unrated": Text(en="not rated", ja="未評価"),
    "external_zone": Text(en="external zone (shaded)", ja="外部ゾーン（網掛け）"),
    "control_flow": Text(en="red, thick: control instructions", ja="赤・太線：制御指示"),
    "external_flow": Text(en="dashed: over an external network", ja="破線：外部ネットワーク経由"),
    "highlighted": Text(en="blue: added or changed", ja="青：追加・変更"),
    "new": Text(en="new", ja="新規"),
    "changed": Text(en="changed", ja="変更"),
    "no_assets": Text(en="no protected objects", ja="保護対象なし"),
    "unspecified": Text(en="unspecified data", ja="未記載のデータ"),
    "flows": Text(en="flows", ja="フロー"),
    "flows_inside": Text(en="flows inside", ja="ゾーン内のフロー"),
    "in_zone": Text(en="in", ja="所属"),
    "more_zones": Text(en="more zones", ja="ゾーン（ほか）"),
    "neighbours": Text(en="neighbours", ja="隣接ゾーン"),
    "critical": Text(en="critical", ja="最重要"),
    "high": Text(en="high", ja="高"),
    "medium": Text(en="medium", ja="中"),
    "low": Text(en="low", ja="低"),
}
TYPE_LABELS: dict[AssetType, Text] = {
    AssetType.EQUIPMENT: Text(en="equipment", ja="機器"),
    AssetType.SOFTWARE: Text(en="software", ja="ソフトウェア"),
    AssetType.DATA: Text(en="data", ja="データ"),
    AssetType.EXTERNAL_SERVICE: Text(en="external services", ja="外部サービス"),
}


_quote = functools.lru_cache(maxsize=1 << 16, typed=True)(graphviz.quoting.quote)
"""Graphviz's own quoting of a DOT identifier, remembered: a zone diagram repeats the same attribute names and values
(colours, styles, link targets) for every box and arrow, and quoting them anew was a third of the zone diagrams' Python
time on the 10k-asset plant. ``typed``: a :func:`graphviz.nohtml` string is quoted unlike the equal plain string."""


_POS_MARK = "\x01"
"""Stands for a box's position while its statement is made once for many diagrams (see :meth:`_Builder._neighbour_node`)."""


def _quote_edge(identifier: str) -> str:
    """:func:`graphviz.quoting.quote_edge` through :func:`_quote` (a node name, with no port: the builder names none)."""
    quoted: str = _quote(identifier) if ":" not in identifier else graphviz.quoting.quote_edge(identifier)
    return quoted


def _a_list(label: str | None = None, kwargs: Mapping[str, Any] | None = None, attributes: Any = None) -> str:
    """:func:`graphviz.quoting.a_list` through :func:`_quote`: ``label=...`` then the attributes (a plain dict's sorted by
    name, as Graphviz's ``mapping_items`` does), those set to None left out; the same text."""
    if attributes is not None:
        return str(graphviz.quoting.a_list(label, kwargs=kwargs, attributes=attributes))
    result: list[str] = [f"label={_quote(label)}"] if label is not None else []
    if kwargs:
        items = sorted(kwargs.items()) if type(kwargs) is dict else kwargs.items()
        result += [f"{_quote(key)}={_quote(value)}" for key, value in items if value is not None]
    return " ".join(result)


def _attr_list(label: str | None = None, kwargs: Mapping[str, Any] | None = None, attributes: Any = None) -> str:
    """:func:`graphviz.quoting.attr_list` through :func:`_a_list`: `` [...]``, or nothing for no attributes."""
    content = _a_list(label, kwargs=kwargs, attributes=attributes)
    return f" [{content}]" if content else ""


class _Digraph(graphviz.Digraph):  # type: ignore[misc]
    """A :class:`graphviz.Digraph` whose statements quote through :func:`_quote` (the same DOT text, see
    ``tests/report/test_diagram.py``)."""

    _quote = staticmethod(_quote)
    _quote_edge = staticmethod(_quote_edge)
    _a_list = staticmethod(_a_list)
    _attr_list = staticmethod(_attr_list)


class DiagramError(Exception):
    """The diagram could not be drawn (most often: Graphviz is not installed)."""


_Made = TypeVar("_Made")
_SHARED: dict[int, tuple[FactoryModel, dict[str, Any]]] = {}
"""Per model id (the model kept beside, so that an id is never taken for another model's): what
:func:`shared_diagram_plan` keeps while it is open."""


class PreparedPlan(Protocol):
    """What was worked out for a model elsewhere (see :mod:`factorysec.report.diagram_prep`)."""

    def shared(self, key: str) -> Any | None:
        """The plan (``"plan"``) or the zone-pair map (``"links"``), or None when it has to be worked out here."""


@contextmanager
def shared_diagram_plan(model: FactoryModel, prepared: PreparedPlan | None = None) -> Iterator[None]:
    """While open, :func:`plan_diagram` and :func:`zone_links` of ``model`` are worked out once and reused.

    The report folder's writers each ask for them (the overview, the zone pages, the zone diagrams, the PDF: six
    plans and seven walks over every conduit, several seconds at 100k assets); they read the model, which nothing
    changes while the report is written. Writers forked inside it inherit what was worked out before the fork.
    ``prepared``: where they are being worked out meanwhile (a process forked for it while this one analyses).
    """
    entry = _SHARED.get(id(model))
    if entry is not None and entry[0] is model:  # already open (the command keeps it open for its closing note)
        yield
        return
    _SHARED[id(model)] = (model, {"prepared": prepared})
    try:
        yield
    finally:
        _SHARED.pop(id(model), None)


def _shared(model: FactoryModel, key: str, make: Callable[[], _Made]) -> _Made:
    entry = _SHARED.get(id(model))
    if entry is None or entry[0] is not model:
        return make()
    kept = entry[1]
    if key not in kept:
        prepared: PreparedPlan | None = kept["prepared"]
        found = prepared.shared(key) if prepared is not None else None
        kept[key] = make() if found is None else found
    made: _Made = kept[key]
    return made


def prepared_diagrams(model: FactoryModel) -> Any | None:
    """What :func:`shared_diagram_plan` was opened with for ``model`` (None outside it, or when opened without)."""
    entry = _SHARED.get(id(model))
    return entry[1]["prepared"] if entry is not None and entry[0] is model else None


def zone_links(model: FactoryModel) -> dict[tuple[str, str], list[Conduit]]:
    """The conduits between two different zones of the model, by (from, to) zone pair, pairs and conduits in model order.

    Inside :func:`shared_diagram_plan` the same mapping is handed to every caller: read it, never change it.
    """
    return _shared(model, "links", lambda: _zone_links(model))


def _zone_links(model: FactoryModel) -> dict[tuple[str, str], list[Conduit]]:
    zones = {zone.id for zone in model.zones}
    links: dict[tuple[str, str], list[Conduit]] = {}
    for conduit in model.conduits:
        if conduit.from_zone != conduit.to_zone and conduit.from_zone in zones and conduit.to_zone in zones:
            links.setdefault((conduit.from_zone, conduit.to_zone), []).append(conduit)
    return links


def _link_weight(conduits: list[Conduit]) -> tuple[bool, bool, int]:
    """How much an arrow matters, for choosing which to draw: control instructions, then an external network, then the number of conduits."""
    return (
        any(c.carries_control_instructions for c in conduits),
        any(c.external_network is not ExternalNetwork.NONE for c in conduits),
        len(conduits),
    )


@dataclass(frozen=True)
class DiagramPlan:
    """What the overview draws and how: decided from the numbers of zones and conduits alone (see :func:`plan_diagram`)."""

    grid: bool
    """True: zones as a grid of boxes with counts, and a diagram of its neighbours per zone. False: zones as nested boxes listing their protected objects."""
    singles: tuple[Conduit, ...]
    """Conduits drawn one arrow each (between zones, or inside one as a loop)."""
    groups: tuple[tuple[Conduit, ...], ...]
    """Conduits drawn as one arrow per (from, to) pair of zones, labelled with their number."""
    left_out: tuple[tuple[Conduit, ...], ...]
    """Pairs of zones the grid overview leaves to the zones' own diagrams (past :data:`OVERVIEW_LINK_LIMIT`)."""
    inside: dict[str, int]
    """Conduits inside a zone that are counted in its box instead of drawn."""
    drawable: int
    """Conduits between or inside the model's zones (conduits naming an unknown zone are not drawable)."""

    @property
    def grouped(self) -> int:
        """How many conduits are drawn as part of a group arrow."""
        return sum(len(group) for group in self.groups)

    def note(self) -> Text | None:
        """What was grouped or left to the zones' own diagrams, and why, for the page, the command and the diagram's caption; None when every conduit is drawn."""
        en: list[str] = []
        ja: list[str] = []
        if self.groups:
            arrows, grouped = len(self.groups), self.grouped
            if self.grid:
                why_en = f"the plant has {LARGE_ZONE_COUNT} zones or more, or more than {NESTED_LINK_LIMIT} arrows"
                why_ja = f"ゾーンが {LARGE_ZONE_COUNT} 以上、または矢印が {NESTED_LINK_LIMIT} を超えるため"
            elif self.drawable > SINGLE_CONDUIT_TOTAL:
                why_en = (
                    f"the plant has {self.drawable:,} conduits, more than the {SINGLE_CONDUIT_TOTAL} drawn one by one"
                )
                why_ja = f"コンジットが {self.drawable:,} 本あり、個別に描く上限 {SINGLE_CONDUIT_TOTAL} を超えるため"
            else:
                why_en = f"these pairs of zones are joined by more than {SINGLE_CONDUIT_PAIR} conduits each"
                why_ja = f"これらのゾーンの組はそれぞれ {SINGLE_CONDUIT_PAIR} 本を超えるコンジットで結ばれているため"
            en.append(
                f"{grouped:,} conduits between zones are drawn as {arrows:,} arrows, one per pair of zones and direction, labelled with their number ({why_en})."
            )
            ja.append(
                f"ゾーン間のコンジット {grouped:,} 本を、ゾーンの組と向きごとに 1 本の矢印（本数付き）として {arrows:,} 本で描いています（{why_ja}）。"
            )
        inside = sum(self.inside.values())
        if inside:
            en.append(f"{inside:,} conduits inside zones are counted in each zone's box.")
            ja.append(f"ゾーン内のコンジット {inside:,} 本は各ゾーンの枠内に本数で示しています。")
        if self.left_out:
            drawn = len(self.groups)
            total = drawn + len(self.left_out)
            en.append(
                f"{drawn:,} of the {total:,} linked pairs of zones are drawn (control instructions, external networks and most conduits first); "
                f"every zone's own diagram ({ZONE_DIAGRAM_FOLDER}/<zone id>.svg) draws all of its links."
            )
            ja.append(
                f"つながりのあるゾーンの組 {total:,} のうち {drawn:,} を描いています（制御指示、外部ネットワーク、本数の多いものを優先）。"
                f"各ゾーンの図（{ZONE_DIAGRAM_FOLDER}/<ゾーンID>.svg）にはそのゾーンのすべてのつながりを描いています。"
            )
        elif self.grid:
            en.append(
                f"Each zone has a diagram of its neighbours ({ZONE_DIAGRAM_FOLDER}/<zone id>.svg); click a zone to open it."
            )
            ja.append(
                f"各ゾーンに隣接ゾーンとの図（{ZONE_DIAGRAM_FOLDER}/<ゾーンID>.svg）があります。ゾーンをクリックすると開きます。"
            )
        if not en:
            return None
        return Text(en=" ".join(en), ja="".join(ja))


def plan_diagram(model: FactoryModel) -> DiagramPlan:
    """Decide how to draw the overview of ``model`` (worked out once inside :func:`shared_diagram_plan`).

    Conduits are drawn one arrow each while the plant has at most
    :data:`SINGLE_CONDUIT_TOTAL` of them between and inside its zones, except
    for a pair of zones joined by more than :data:`SINGLE_CONDUIT_PAIR`;
    otherwise every pair of zones (per direction) gets one arrow with the
    number of its conduits, and conduits inside a zone are counted in its box.
    Zones are nested boxes listing their protected objects below
    :data:`LARGE_ZONE_COUNT` zones and :data:`NESTED_LINK_LIMIT` arrows, a grid
    of boxes otherwise, where at most :data:`OVERVIEW_LINK_LIMIT` arrows are
    drawn and every zone gets a diagram of its neighbours.
    """
    return _shared(model, "plan", lambda: _plan_diagram(model))


def _plan_diagram(model: FactoryModel) -> DiagramPlan:
    zone_ids = {zone.id for zone in model.zones}
    pairs = zone_links(model)
    insides: dict[str, list[Conduit]] = {}
    for conduit in model.conduits:
        if conduit.from_zone == conduit.to_zone and conduit.from_zone in zone_ids:
            insides.setdefault(conduit.from_zone, []).append(conduit)
    drawable = sum(len(c) for c in pairs.values()) + sum(len(c) for c in insides.values())
    one_by_one = drawable <= SINGLE_CONDUIT_TOTAL and len(model.zones) < LARGE_ZONE_COUNT
    singles: list[Conduit] = []
    groups: list[tuple[Conduit, ...]] = []
    inside: dict[str, int] = {}
    for conduits in pairs.values():
        if one_by_one and len(conduits) <= SINGLE_CONDUIT_PAIR:
            singles.extend(conduits)
        else:
            groups.append(tuple(conduits))
    for zone_id, conduits in insides.items():
        if one_by_one and len(conduits) <= SINGLE_CONDUIT_PAIR:
            singles.extend(conduits)
        else:
            inside[zone_id] = len(conduits)
    grid = len(model.zones) >= LARGE_ZONE_COUNT or len(singles) + len(groups) > NESTED_LINK_LIMIT
    left_out: list[tuple[Conduit, ...]] = []
    if grid:
        groups.extend((c,) for c in singles)
        singles = []
        if len(groups) > OVERVIEW_LINK_LIMIT:
            ranked = sorted(range(len(groups)), key=lambda i: _link_weight(list(groups[i])), reverse=True)
            kept = set(ranked[:OVERVIEW_LINK_LIMIT])
            left_out = [g for i, g in enumerate(groups) if i not in kept]
            groups = [g for i, g in enumerate(groups) if i in kept]
        for zone_id, conduits in insides.items():
            inside[zone_id] = len(conduits)
    order = {c.id: i for i, c in enumerate(model.conduits)}
    singles.sort(key=lambda c: order[c.id])
    return DiagramPlan(
        grid=grid,
        singles=tuple(singles),
        groups=tuple(groups),
        left_out=tuple(left_out),
        inside=inside,
        drawable=drawable,
    )


@dataclass(frozen=True)
class DiagramOptions:
    """How to draw: language, elements to highlight (zone, asset or conduit ids) and where zones link to."""

    lang: str = "en"
    highlight: frozenset[str] = field(default_factory=frozenset)
    zone_link: str | None = None
    """A format string with ``{id}`` (e.g. ``#zone-{id}``) that makes each zone a link; None for no links."""
    zone_diagram_link: str | None = None
    """Where zones link to instead when the plant is drawn as a grid and each zone has its own diagram (e.g. ``zones/{id}.svg``)."""
    asset_list_limit: int = ASSET_LIST_LIMIT
    highlight_label: Text | None = None
    """What the highlight means, for the legend; None for "added or changed"."""
    id_prefix: str = ""
    """Prefixed to every SVG element id, so that several diagrams can share one HTML page."""


def zone_element_id(zone_id: str, prefix: str = "") -> str:
    """The SVG element id of a zone's box."""
    return f"{prefix}dz-{zone_id}"


def members_element_id(zone_id: str, prefix: str = "") -> str:
    """The SVG element id of the list of a zone's protected objects (drawn inside the zone's box)."""
    return f"{prefix}dz-{zone_id}-members"


def conduit_element_id(conduit_id: str, prefix: str = "") -> str:
    """The SVG element id of a conduit's arrow."""
    return f"{prefix}dc-{conduit_id}"


def _h(value: str) -> str:
    """Escape user text for a Graphviz HTML-like label."""
    return html.escape(value, quote=False)


def _short(value: str, length: int = GRID_NAME_LENGTH) -> str:
    return value if len(value) <= length else value[: length - 1] + "…"


def _node_id(zone_id: str) -> str:
    return f"members-{zone_id}"


def _cluster_id(zone_id: str) -> str:
    return f"cluster_{zone_id}"


def _status_tag(status: Lifecycle, lang: str) -> str:
    if status is Lifecycle.EXISTING:
        return ""
    return f" ({LABELS[status.value].get(lang)})"


class _Builder:
    """Describes one model as a Graphviz digraph, following its :class:`DiagramPlan`."""

    def __init__(
        self,
        model: FactoryModel,
        assessment: Assessment | None,
        options: DiagramOptions,
        plan: DiagramPlan | None = None,
    ) -> None:
        self.model = model
        self.assessment = assessment
        self.options = options
        self.lang = options.lang
        self.plan = plan or plan_diagram(model)
        self.zones = {zone.id: zone for zone in model.zones}
        self.assets = {asset.id: asset for asset in model.assets}
        self.children: dict[str | None, list[Zone]] = defaultdict(list)
        for zone in model.zones:
            parent = zone.parent if zone.parent in self.zones else None
            self.children[parent].append(zone)
        self.members: dict[str, list[Asset]] = defaultdict(list)
        for asset in model.assets:
            if asset.zone in self.zones:
                self.members[asset.zone].append(asset)
        self.large = self.plan.grid
        self._statements: dict[tuple[Any, ...], tuple[Any, str | tuple[str, str] | None]] = {}
        """The DOT statements of :meth:`neighbour_graph` that recur from one zone's diagram to the next (see there)."""

    def _graph(self, engine: str) -> graphviz.Digraph:
        graph = _Digraph(name="zones", engine=engine)
        graph.attr(fontname=FONT, pad="0.3", bgcolor="white", id=f"{self.options.id_prefix}dg")
        graph.attr("node", fontname=FONT, fontsize="10")
        graph.attr("edge", fontname=FONT, fontsize="9")
        note = self.plan.note()
        if note is not None:
            graph.attr(label=f"<{_h(note.get(self.lang))}>", labelloc="t", labeljust="l", fontsize="11")
        return graph

    def build(self) -> graphviz.Digraph:
        if self.plan.grid:
            return self._build_grid()
        graph = self._graph("dot")
        graph.attr(compound="true", rankdir="TB", newrank="true", ranksep="0.8", nodesep="0.5")
        graph.attr("node", shape="plain")
        for zone in self.children[None]:
            graph.subgraph(self._zone(zone, set()))
        for conduit in self.plan.singles:
            self._conduit(graph, conduit)
        for group in self.plan.groups:
            self._link(graph, list(group))
        graph.node("legend", label=self._legend(), id=f"{self.options.id_prefix}legend")
        return graph

    def _zone_href(self, zone_id: str) -> str | None:
        if self.plan.grid and self.options.zone_diagram_link:
            return self.options.zone_diagram_link.format(id=zone_id)
        return self.options.zone_link.format(id=zone_id) if self.options.zone_link else None

    def _tree_order(self) -> list[Zone]:
        """Zones with each sub-zone right after its parent, so that a zone and its sub-zones sit side by side in the grid."""
        ordered: list[Zone] = []
        seen: set[str] = set()
        stack = list(reversed(self.children[None]))
        while stack:
            zone = stack.pop()
            if zone.id in seen:
                continue
            seen.add(zone.id)
            ordered.append(zone)
            stack.extend(reversed(self.children.get(zone.id, [])))
        ordered.extend(zone for zone in self.model.zones if zone.id not in seen)  # sub-zones in a parent cycle
        return ordered

    def _build_grid(self) -> graphviz.Digraph:
        """Zones as boxes on a grid placed here (Graphviz only draws: ``neato -n2``), arrows as straight lines: fast at thousands of zones."""
        graph = self._graph("neato")
        graph.attr(splines="false", outputorder="edgesfirst")
        graph.attr("node", shape="box", style="filled,rounded", margin="0.08,0.04")
        zones = self._tree_order()
        columns = max(1, math.ceil(math.sqrt(len(zones) * GRID_CELL_HEIGHT / GRID_CELL_WIDTH)))
        for index, zone in enumerate(zones):
            row, column = divmod(index, columns)
            self._grid_zone(graph, zone, column * GRID_CELL_WIDTH, -row * GRID_CELL_HEIGHT)
        for group in self.plan.groups:
            self._link(graph, list(group))
        rows = math.ceil(len(zones) / columns) if zones else 0
        graph.node(
            "legend",
            label=self._legend(),
            id=f"{self.options.id_prefix}legend",
            shape="plain",
            style="",
            pos=f"0,{-rows * GRID_CELL_HEIGHT - 40}",
        )
        return graph

    def _zone_colours(self, zone: Zone) -> tuple[str, str]:
        """A zone's fill and border colours, by its importance."""
        assert self.assessment is not None, "a builder without the assessment marks the colours instead"
        level = self.assessment.importance.zone_level(zone.id)
        return IMPORTANCE_FILL[level], IMPORTANCE_BORDER[level]

    def _box_attrs(self, zone: Zone) -> dict[str, str]:
        fill, border = self._zone_colours(zone)
        external = zone.kind.side == "external"
        highlighted = zone.id in self.options.highlight
        attrs = {
            "id": zone_element_id(zone.id, self.options.id_prefix),
            "style": "filled,rounded,dashed" if external else "filled,rounded",
            "fillcolor": EXTERNAL_FILL if external else fill,
            "color": HIGHLIGHT_COLOUR if highlighted else border,
            "penwidth": "4" if highlighted else "2",
            "tooltip": graphviz.escape(f"{zone.name} ({zone.id})"),
        }
        href = self._zone_href(zone.id)
        if href:
            attrs["href"] = href
            attrs["target"] = "_top"
        return attrs

    def _count_rows(self, zone_id: str) -> list[str]:
        counts = Counter(asset.type for asset in self.members.get(zone_id, []))
        rows = [
            f"{count} {_h(TYPE_LABELS[kind].get(self.lang))}"
            for kind, count in sorted(counts.items(), key=lambda item: list(AssetType).index(item[0]))
        ]
        if not rows:
            rows.append(f"<i>{_h(LABELS['no_assets'].get(self.lang))}</i>")
        if self.plan.inside.get(zone_id):
            rows.append(f"<i>{self.plan.inside[zone_id]} {_h(LABELS['flows_inside'].get(self.lang))}</i>")
        return rows

    def _grid_zone(self, graph: graphviz.Digraph, zone: Zone, x: int, y: int) -> None:
        lines = [f"<b>{_h(_short(zone.name))}</b>{_h(_status_tag(zone.status, self.lang))}"]
        parent = self.zones.get(zone.parent or "")
        if parent is not None:
            lines.append(
                f"<i>{_h(LABELS['in_zone'].get(self.lang))}: {_h(_short(parent.name, GRID_NAME_LENGTH - 4))}</i>"
            )
        lines.extend(self._count_rows(zone.id))
        graph.node(_node_id(zone.id), label=f"<{'<br/>'.join(lines)}>", pos=f"{x},{y}", **self._box_attrs(zone))

    def _zone(self, zone: Zone, seen: set[str]) -> graphviz.Digraph:
        seen.add(zone.id)
        fill, border = self._zone_colours(zone)
        external = zone.kind.side == "external"
        highlighted = zone.id in self.options.highlight
        cluster = _Digraph(name=_cluster_id(zone.id))
        attrs = {
            "id": zone_element_id(zone.id, self.options.id_prefix),
            "label": f"<<b>{_h(zone.name)}</b>{_h(_status_tag(zone.status, self.lang))}>",
            "labeljust": "l",
            "style": "filled,rounded,dashed" if external else "filled,rounded",
            "fillcolor": EXTERNAL_FILL if external else fill,
            "color": HIGHLIGHT_COLOUR if highlighted else border,
            "penwidth": "4" if highlighted else "2",
            "fontsize": "12",
            "tooltip": graphviz.escape(f"{zone.name} ({zone.id})"),
        }
        href = self._zone_href(zone.id)
        if href:
            attrs["href"] = href
            attrs["target"] = "_top"
        cluster.attr(**attrs)
        cluster.node(
            _node_id(zone.id), label=self._members_label(zone), id=members_element_id(zone.id, self.options.id_prefix)
        )
        for child in self.children.get(zone.id, []):
            if child.id not in seen:
                cluster.subgraph(self._zone(child, seen))
        return cluster

    def _member_rows(self, zone: Zone) -> list[str]:
        """Table rows naming the zone's protected objects, or counting them by type when there are many, and its flows inside when counted."""
        assets = self.members.get(zone.id, [])
        if assets and len(assets) <= self.options.asset_list_limit:
            rows = [self._asset_row(asset) for asset in assets]
            if self.plan.inside.get(zone.id):
                rows.append(
                    f'<tr><td align="left"><i>{self.plan.inside[zone.id]} {_h(LABELS["flows_inside"].get(self.lang))}</i></td></tr>'
                )
            return rows
        return [f'<tr><td align="left">{row}</td></tr>' for row in self._count_rows(zone.id)]

    def _members_label(self, zone: Zone, title: str = "") -> str:
        rows = self._member_rows(zone)
        if title:
            rows.insert(0, f'<tr><td align="left">{title}</td></tr>')
        return f'<<table border="0" cellborder="0" cellspacing="0" cellpadding="1">{"".join(rows)}</table>>'

    def _asset_row(self, asset: Asset) -> str:
        marker = "◆" if asset.type is AssetType.DATA else "■"
        text = f"{marker} {_h(asset.name)}{_h(_status_tag(asset.status, self.lang))}"
        if asset.id in self.options.highlight:
            return f'<tr><td align="left" bgcolor="#bbdefb"><font color="{HIGHLIGHT_COLOUR}"><b>{text}</b></font></td></tr>'
        return f'<tr><td align="left">{text}</td></tr>'

    def _carried(self, conduit: Conduit) -> str:
        names = [self.assets[d].name for d in conduit.data if d in self.assets]
        if names:
            return ", ".join(names)
        return conduit.carries or LABELS["unspecified"].get(self.lang)

    def _conduit(self, graph: graphviz.Digraph, conduit: Conduit, clusters: bool = True) -> None:
        control = conduit.carries_control_instructions
        external = conduit.external_network is not ExternalNetwork.NONE
        highlighted = conduit.id in self.options.highlight
        colour = CONTROL_COLOUR if control else FLOW_COLOUR
        lines = [_h(self._carried(conduit))]
        if control:
            lines.insert(0, f'<font color="{CONTROL_COLOUR}"><b>{_h(LABELS["control"].get(self.lang))}</b></font>')
        if external:
            lines.append(f"<i>{_h(conduit.external_network.value)}</i>")
        if conduit.status is not Lifecycle.EXISTING:
            lines.append(_h(_status_tag(conduit.status, self.lang).strip()))
        attrs = {
            "id": conduit_element_id(conduit.id, self.options.id_prefix),
            "label": f"<{'<br/>'.join(lines)}>",
            "color": f"{colour}:{HIGHLIGHT_COLOUR}" if highlighted else colour,
            "penwidth": "3" if control or highlighted else "1.2",
            "style": "dashed" if external else "solid",
            "dir": "both" if conduit.direction == "two-way" else "forward",
            "tooltip": graphviz.escape(f"{conduit.name or conduit.id}: {self._carried(conduit)}"),
        }
        if clusters and conduit.from_zone != conduit.to_zone:
            attrs["ltail"] = _cluster_id(conduit.from_zone)
            attrs["lhead"] = _cluster_id(conduit.to_zone)
        graph.edge(_node_id(conduit.from_zone), _node_id(conduit.to_zone), **attrs)

    def _link(self, graph: graphviz.Digraph, conduits: list[Conduit], both_ways: tuple[int, int] | None = None) -> None:
        """One arrow for every conduit from one zone to another, styled as the strongest of them and labelled with their number.

        ``both_ways``: the conduits go both ways, this many from the first conduit's sending zone and this many back; the arrow has two heads.
        """
        first = conduits[0]
        control = any(c.carries_control_instructions for c in conduits)
        networks = list(
            dict.fromkeys(c.external_network.value for c in conduits if c.external_network is not ExternalNetwork.NONE)
        )
        highlighted = any(c.id in self.options.highlight for c in conduits)
        colour = CONTROL_COLOUR if control else FLOW_COLOUR
        lines = [f"{len(conduits)} {_h(LABELS['flows'].get(self.lang))}"]
        if both_ways is not None:
            lines = [f"→ {both_ways[0]} / ← {both_ways[1]} {_h(LABELS['flows'].get(self.lang))}"]
        if control:
            lines.insert(0, f'<font color="{CONTROL_COLOUR}"><b>{_h(LABELS["control"].get(self.lang))}</b></font>')
        if networks:
            lines.append(f"<i>{_h(', '.join(networks))}</i>")
        shown = ", ".join(c.name or c.id for c in conduits[:ASSET_LIST_LIMIT]) + (
            " ..." if len(conduits) > ASSET_LIST_LIMIT else ""
        )
        attrs = {
            "id": conduit_element_id(first.id, self.options.id_prefix),
            "label": f"<{'<br/>'.join(lines)}>",
            "color": f"{colour}:{HIGHLIGHT_COLOUR}" if highlighted else colour,
            "penwidth": "3" if control or highlighted else "1.2",
            "style": "dashed" if networks else "solid",
            "dir": "both" if both_ways is not None or all(c.direction == "two-way" for c in conduits) else "forward",
            "tooltip": graphviz.escape(f"{len(conduits)}: {shown}"),
        }
        if not self.plan.grid:
            attrs["ltail"] = _cluster_id(first.from_zone)
            attrs["lhead"] = _cluster_id(first.to_zone)
        graph.edge(_node_id(first.from_zone), _node_id(first.to_zone), **attrs)

    def _legend(self) -> str:
        lang = self.lang
        rows = [f'<tr><td colspan="2"><b>{_h(LABELS["legend"].get(lang))}</b></td></tr>']
        levels: Iterable[Importance | None] = (
            Importance.CRITICAL,
            Importance.HIGH,
            Importance.MEDIUM,
            Importance.LOW,
            None,
        )
        for level in levels:
            name = LABELS[level.value if level else "unrated"].get(lang)
            rows.append(
                f'<tr><td bgcolor="{IMPORTANCE_FILL[level]}" border="1" color="{IMPORTANCE_BORDER[level]}">  </td>'
                f'<td align="left">{_h(LABELS["importance"].get(lang))}: {_h(name)}</td></tr>'
            )
        rows.append(
            f'<tr><td bgcolor="{EXTERNAL_FILL}" border="1" style="dashed">  </td><td align="left">{_h(LABELS["external_zone"].get(lang))}</td></tr>'
        )
        rows.append(
            f'<tr><td><font color="{CONTROL_COLOUR}"><b>━━</b></font></td><td align="left">{_h(LABELS["control_flow"].get(lang))}</td></tr>'
        )
        rows.append(f'<tr><td>╌╌</td><td align="left">{_h(LABELS["external_flow"].get(lang))}</td></tr>')
        if self.options.highlight:
            meaning = self.options.highlight_label or LABELS["highlighted"]
            rows.append(
                f'<tr><td><font color="{HIGHLIGHT_COLOUR}"><b>━━</b></font></td><td align="left">{_h(meaning.get(lang))}</td></tr>'
            )
        return f'<<table border="1" cellborder="0" cellspacing="2" cellpadding="2" color="#9e9e9e">{"".join(rows)}</table>>'

    def _neighbour_node(self, graph: graphviz.Digraph, zone_id: str, zone_link: str, pos: str) -> None:
        """A neighbour's box at ``pos`` in a zone's diagram of its neighbours, linking to its own diagram.

        A zone is the neighbour of many zones (about 47 each on the 100k-asset plant) and its box differs only in
        ``pos``: the first time, its statement is also made with a mark for the position and cut there, and later
        put back together around each position (the text ``graph.node`` makes).
        """
        key = ("node", zone_id, zone_link)
        kept = self._statements.get(key)
        cut = kept[1] if kept is not None else None
        if isinstance(cut, tuple):
            graph.body.append(f"{cut[0]}pos={_quote(pos)}{cut[1]}")
            return
        self._neighbour_box(graph, zone_id, zone_link, pos)
        if kept is None:
            scratch = _Digraph()
            self._neighbour_box(scratch, zone_id, zone_link, _POS_MARK)
            parts = scratch.body[0].split(f"pos={_quote(_POS_MARK)}")
            # a zone whose own text holds the mark is drawn in full each time
            self._statements[key] = (zone_id, (parts[0], parts[1]) if len(parts) == 2 else None)

    def _neighbour_box(self, graph: graphviz.Digraph, zone_id: str, zone_link: str, pos: str) -> None:
        neighbour = self.zones[zone_id]
        attrs = self._box_attrs(neighbour)
        attrs["href"], attrs["target"] = zone_link.format(id=zone_id), "_top"
        graph.node(_node_id(zone_id), label=f"<<b>{_h(_short(neighbour.name))}</b>>", pos=pos, **attrs)

    def _neighbour_link(self, graph: graphviz.Digraph, sent: list[Conduit], received: list[Conduit]) -> None:
        """The arrow between a zone and one neighbour, made once per pair of zones where it reads the same in both
        zones' diagrams (one way: the same list of :func:`zone_links` from either side), once per side where it goes
        both ways. The lists are kept with the statement, so that an id is never taken for another list's."""
        lists = (sent, received) if sent and received else (sent or received,)
        key = ("link", *map(id, lists))
        kept = self._statements.get(key)
        if kept is not None and all(a is b for a, b in zip(kept[0], lists, strict=True)) and isinstance(kept[1], str):
            graph.body.append(kept[1])
            return
        before = len(graph.body)
        if (
            sent and received
        ):  # one line both ways: two straight arrows between the same boxes would lie on top of each other
            self._link(graph, [*sent, *received], both_ways=(len(sent), len(received)))
        elif len(sent) + len(received) == 1:
            self._conduit(graph, (sent or received)[0], clusters=False)
        else:
            self._link(graph, sent or received)
        if len(graph.body) == before + 1:
            self._statements[key] = (lists, graph.body[-1])

    def neighbour_graph(
        self,
        zone: Zone,
        outgoing: dict[str, list[Conduit]],
        incoming: dict[str, list[Conduit]],
        zone_link: str,
        home_link: str | Mapping[str, str] | None,
    ) -> graphviz.Digraph:
        """One zone in the middle, listing its protected objects, with its neighbours on a circle and every conduit between them.

        No legend: the overview's applies, and leaving it out cuts Graphviz's time per diagram by a third.
        """
        graph = _Digraph(name=f"zone_{zone.id}", engine="neato")
        graph.attr(
            fontname=FONT,
            pad="0.3",
            bgcolor="white",
            id=f"{self.options.id_prefix}dg",
            splines="false",
            outputorder="edgesfirst",
        )
        graph.attr("node", fontname=FONT, fontsize="10", shape="box", style="filled,rounded", margin="0.08,0.04")
        graph.attr("edge", fontname=FONT, fontsize="9")
        neighbours = list(dict.fromkeys([*outgoing, *incoming]))
        neighbours.sort(key=lambda n: _link_weight([*outgoing.get(n, []), *incoming.get(n, [])]), reverse=True)
        shown, others = neighbours[:NEIGHBOUR_LIMIT], neighbours[NEIGHBOUR_LIMIT:]
        caption = Text(
            en=f"{zone.name} and its {len(neighbours)} neighbouring zones"
            + (f" ({len(shown)} with most conduits drawn)" if others else ""),
            ja=f"{zone.name} と隣接ゾーン {len(neighbours)}"
            + (f"（コンジットの多い {len(shown)} を描画）" if others else ""),
        )
        graph.attr(label=f"<<b>{_h(caption.get(self.lang))}</b>>", labelloc="t", labeljust="l", fontsize="12")
        centre = self._box_attrs(zone)
        centre.pop("href", None)
        centre.pop("target", None)
        home = home_link.format(id=zone.id) if isinstance(home_link, str) else (home_link or {}).get(zone.id)
        if home:
            centre.update(href=home, target="_top")
        title = f"<b>{_h(zone.name)}</b>{_h(_status_tag(zone.status, self.lang))}"
        graph.node(_node_id(zone.id), label=self._members_label(zone, title), pos="0,0", **centre)
        radius = max(260.0, len(shown) * GRID_CELL_WIDTH / (2 * math.pi))
        for index, neighbour_id in enumerate(shown):
            angle = math.pi / 2 - 2 * math.pi * index / max(1, len(shown))
            self._neighbour_node(
                graph, neighbour_id, zone_link, f"{radius * math.cos(angle):.0f},{radius * math.sin(angle):.0f}"
            )
            sent, received = outgoing.get(neighbour_id, []), incoming.get(neighbour_id, [])
            self._neighbour_link(graph, sent, received)
        if others:
            count = sum(len(outgoing.get(n, [])) + len(incoming.get(n, [])) for n in others)
            names = ", ".join(_short(self.zones[n].name, 20) for n in others[:5]) + (" …" if len(others) > 5 else "")
            text = f"{len(others)} {LABELS['more_zones'].get(self.lang)}: {count} {LABELS['flows'].get(self.lang)}"
            graph.node(
                "more",
                label=f"<{_h(text)}<br/><i>{_h(names)}</i>>",
                pos=f"0,{-radius - 90:.0f}",
                style="dashed",
                color="#9e9e9e",
                fillcolor="white",
            )
        return graph


def zone_diagram(
    model: FactoryModel, assessment: Assessment, options: DiagramOptions | None = None
) -> graphviz.Digraph:
    """The Graphviz description of the zone-and-conduit diagram (not yet laid out)."""
    return _Builder(model, assessment, options or DiagramOptions()).build()


_XML_PROLOGUE = re.compile(r"\A(?:<\?xml[^>]*\?>\s*)?(?:<!DOCTYPE[^>]*>\s*)?(?:<!--.*?-->\s*)*", re.DOTALL)


def _pipe(source: str, engine: str) -> str:
    """Lay out and draw DOT text with Graphviz as SVG text."""
    return _pipe_bytes(source, engine, "svg").decode("utf-8")


def _pipe_bytes(source: str | bytes, engine: str, fmt: str) -> bytes:
    """Lay out and draw DOT text (or its UTF-8 bytes) with Graphviz into ``fmt`` (``svg``, ``png`` ...); positions
    given in the text are kept for ``neato``.

    The command is :func:`graphviz.pipe`'s, and so are its warnings (passed on to standard error), but Graphviz reads
    the text from a temporary file, not a pipe: feeding a pipe, :func:`subprocess.run` writes 512 bytes at a time, a
    system call and a turn of the interpreter lock each (0.65 CPU s for the 19 MB of the 100k-asset plant's zone
    diagrams), while Graphviz's output is read whole in one call.
    """
    cmd = dot_command.command(engine, fmt, neato_no_op=2 if engine == "neato" else None)
    with tempfile.TemporaryFile() as given, tempfile.TemporaryFile() as complaints:
        given.write(source.encode("utf-8") if isinstance(source, str) else source)
        given.seek(0)
        try:
            done = subprocess.run(cmd, stdin=given, stdout=subprocess.PIPE, stderr=complaints, check=False)
        except FileNotFoundError:
            raise DiagramError(
                "Graphviz 'dot' was not found: install graphviz (bash scripts/setup.sh, or apt-get install graphviz)"
            ) from None
        complaints.seek(0)
        stderr = complaints.read()
    if stderr:
        sys.stderr.write(stderr.decode(sys.stderr.encoding or "utf-8", "backslashreplace"))
        sys.stderr.flush()
    if done.returncode:
        detail = stderr.decode("utf-8", "replace").strip().splitlines()
        raise DiagramError(
            f"Graphviz failed to draw the diagram: {detail[-1] if detail else f'exit status {done.returncode}'}"
        )
    output: bytes = done.stdout
    return output


def render_svg(model: FactoryModel, assessment: Assessment, options: DiagramOptions | None = None) -> str:
    """The diagram as a standalone SVG document; every zone is drawn, conduits as :func:`plan_diagram` decides.

    Raises :class:`DiagramError` when Graphviz is missing or fails.
    """
    graph = zone_diagram(model, assessment, options)
    return _pipe(graph.source, graph.engine)


def render_png(
    model: FactoryModel,
    assessment: Assessment,
    options: DiagramOptions | None = None,
    *,
    zone_id: str | None = None,
    dpi: int = 150,
    fit_inches: tuple[float, float] | None = None,
) -> bytes:
    """The overview (or, with ``zone_id``, that zone's diagram of its neighbours) as a PNG image, for print.

    ``fit_inches`` (width, height) scales a larger drawing down to fit (Graphviz ``size``): the image then has at
    most that many inches times ``dpi`` pixels a side, however large the plant.
    """
    options = options or DiagramOptions()
    builder = _Builder(model, assessment, options)
    if zone_id is None:
        graph = builder.build()
    else:
        outgoing: dict[str, list[Conduit]] = {}
        incoming: dict[str, list[Conduit]] = {}
        for (source, target), conduits in zone_links(model).items():
            if source == zone_id:
                outgoing[target] = conduits
            if target == zone_id:
                incoming[source] = conduits
        graph = builder.neighbour_graph(builder.zones[zone_id], outgoing, incoming, "{id}.svg", None)
    graph.attr(dpi=str(dpi))
    if fit_inches is not None:
        graph.attr(size=f"{fit_inches[0]:g},{fit_inches[1]:g}")
    return _pipe_bytes(graph.source, graph.engine, "png")


NEIGHBOUR_LINK = "{id}.svg"
"""Where a neighbouring zone links to in a zone's diagram of its neighbours: its own diagram, beside this one."""
NEIGHBOUR_BATCH = 250
"""Zone diagrams of neighbours laid out per Graphviz run."""


def neighbour_diagrams(
    model: FactoryModel,
    assessment: Assessment,
    lang: str = "en",
    *,
    zone_link: str = NEIGHBOUR_LINK,
    home_link: str | Mapping[str, str] | None = "{id}.html",
    batch: int = NEIGHBOUR_BATCH,
    only: Collection[str] | None = None,
) -> Iterator[tuple[str, str]]:
    """Each zone's diagram of its neighbours, as (zone id, SVG document) in model order.

    Neighbouring zones link to their own diagram (``zone_link``), the zone in
    the middle to its section of the report (``home_link``: a pattern, or the
    link per zone id where zones are shown on pages of zone groups). Graphviz draws
    ``batch`` diagrams per run (one process for many small layouts, instead of
    one per zone). ``only`` limits the diagrams to those zones.
    """
    documents = neighbour_diagram_documents(
        model, assessment, lang, zone_link=zone_link, home_link=home_link, batch=batch, only=only
    )
    for zone_id, document in documents:
        yield zone_id, document.decode("utf-8")


def neighbour_diagram_documents(
    model: FactoryModel,
    assessment: Assessment,
    lang: str = "en",
    *,
    zone_link: str = NEIGHBOUR_LINK,
    home_link: str | Mapping[str, str] | None = "{id}.html",
    batch: int = NEIGHBOUR_BATCH,
    only: Collection[str] | None = None,
) -> Iterator[tuple[str, bytes]]:
    """:func:`neighbour_diagrams` with each SVG document as Graphviz wrote it (UTF-8), for a file: never decoded."""
    builder = _Builder(model, assessment, DiagramOptions(lang=lang), plan_diagram(model))
    return draw_neighbour_chunks(neighbour_sources(builder, zone_link, home_link, batch, only))


def neighbour_sources(
    builder: _Builder,
    zone_link: str,
    home_link: str | Mapping[str, str] | None,
    batch: int,
    only: Collection[str] | None = None,
) -> list[tuple[list[str], Callable[[], bytes]]]:
    """The zone diagrams in chunks of ``batch`` zones: each chunk's zone ids and a function making their DOT text."""
    model = builder.model
    outgoing: dict[str, dict[str, list[Conduit]]] = defaultdict(dict)
    incoming: dict[str, dict[str, list[Conduit]]] = defaultdict(dict)
    for (source, target), conduits in zone_links(model).items():
        outgoing[source][target] = conduits
        incoming[target][source] = conduits
    zones = [zone for zone in model.zones if only is None or zone.id in only]
    chunks = [zones[start : start + batch] for start in range(0, len(zones), batch)]

    def dot_text(chunk: list[Zone]) -> bytes:
        return "\n".join(
            builder.neighbour_graph(zone, outgoing[zone.id], incoming[zone.id], zone_link, home_link).source
            for zone in chunk
        ).encode("utf-8")

    return [([zone.id for zone in chunk], functools.partial(dot_text, chunk)) for chunk in chunks]


def draw_neighbour_chunks(chunks: list[tuple[list[str], Callable[[], bytes]]]) -> Iterator[tuple[str, bytes]]:
    """Lay out chunks of zone diagrams, each (its zones' ids, a function making their DOT text, one graph per zone, in
    that order), two Graphviz processes at once; (zone id, SVG document) in the chunks' order."""

    def draw(chunk: tuple[list[str], Callable[[], bytes]]) -> list[bytes]:
        zone_ids, source = chunk
        documents = _documents(_pipe_bytes(source(), "neato", "svg"))
        if len(documents) != len(zone_ids):
            raise DiagramError(f"Graphviz drew {len(documents)} zone diagrams for {len(zone_ids)} zones")
        return documents

    with ThreadPoolExecutor(
        max_workers=min(2, os.cpu_count() or 1)
    ) as pool:  # Graphviz runs in its own process: two lay out at once
        for (zone_ids, _), documents in zip(chunks, pool.map(draw, chunks), strict=True):
            yield from zip(zone_ids, documents, strict=True)


_DOCUMENT_START = b"<?xml "


def _documents(output: bytes) -> list[bytes]:
    """The SVG documents of one Graphviz run over many graphs, each cut off before the next one's XML declaration
    (in bytes: decoding and cutting the text with a pattern was 1.3 CPU s for the 100k-asset plant's 71 MB)."""
    parts = output.split(_DOCUMENT_START)
    documents = [parts[0], *(_DOCUMENT_START + part for part in parts[1:])]
    return [document for document in documents if document.strip()]


def inline_svg(svg: str) -> str:
    """An SVG document without its XML prologue, doctype and comments, for embedding in HTML."""
    return _XML_PROLOGUE.sub("", svg, count=1)


__all__ = [
    "LARGE_ZONE_COUNT",
    "NESTED_LINK_LIMIT",
    "OVERVIEW_LINK_LIMIT",
    "SINGLE_CONDUIT_PAIR",
    "SINGLE_CONDUIT_TOTAL",
    "ZONE_DIAGRAM_FOLDER",
    "DiagramError",
    "DiagramOptions",
    "DiagramPlan",
    "conduit_element_id",
    "inline_svg",
    "members_element_id",
    "NEIGHBOUR_BATCH",
    "NEIGHBOUR_LINK",
    "neighbour_diagram_documents",
    "neighbour_diagrams",
    "plan_diagram",
    "render_png",
    "shared_diagram_plan",
    "render_svg",
    "zone_diagram",
    "zone_element_id",
    "zone_links",
]
