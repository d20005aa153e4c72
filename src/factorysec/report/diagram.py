"""Zone-and-conduit diagrams as SVG, in the spirit of the appendix's Figure C-1.

Zones are boxes (Graphviz clusters, sub-zones nested in their parent) listing
their protected objects; conduits are arrows labelled with the data they carry.
Control-instruction flows are thick and red, flows over an external network are
dashed, external zones are shaded, and zones are coloured by the importance the
analysis gave them. Layout is done by Graphviz ``dot``; this module only
describes the picture.
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import graphviz  # type: ignore[import-untyped]

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
"""From this many zones on, every zone shows counts, the conduits between two zones are drawn as one arrow, and the layout is packed tighter."""
DIAGRAM_ZONE_LIMIT = 300
"""More zones than this are not drawn: Graphviz took 49 s for 2,000 zones with no arrow at all."""
DIAGRAM_LINK_LIMIT = 200
"""More arrows between zones than this are not drawn: past about 200, Graphviz's layout of zones as clusters went from 0.1 s to minutes (400 arrows among 200 zones: 18 s; 500: 35 s)."""

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


class DiagramError(Exception):
    """The diagram could not be drawn (most often: Graphviz is not installed)."""


class DiagramTooLarge(DiagramError):
    """The model has too many zones or links between zones to lay out; ``reason`` says which, in both languages."""

    def __init__(self, reason: Text) -> None:
        super().__init__(reason.en)
        self.reason = reason


def zone_links(model: FactoryModel) -> dict[tuple[str, str], list[Conduit]]:
    """The conduits between two different zones of the model, by (from, to) zone pair, pairs and conduits in model order."""
    zones = {zone.id for zone in model.zones}
    links: dict[tuple[str, str], list[Conduit]] = {}
    for conduit in model.conduits:
        if conduit.from_zone != conduit.to_zone and conduit.from_zone in zones and conduit.to_zone in zones:
            links.setdefault((conduit.from_zone, conduit.to_zone), []).append(conduit)
    return links


def too_large_to_draw(model: FactoryModel) -> Text | None:
    """Why the diagram of ``model`` is not drawn (see :data:`DIAGRAM_ZONE_LIMIT`, :data:`DIAGRAM_LINK_LIMIT`), or None when it is."""
    zones = len(model.zones)
    if zones > DIAGRAM_ZONE_LIMIT:
        return Text(
            en=f"The diagram is not drawn: {zones:,} zones are more than the {DIAGRAM_ZONE_LIMIT} Graphviz lays out in reasonable time. Each zone's section lists its assets and conduits.",
            ja=f"図は描画していません：ゾーン数 {zones:,} が、Graphviz が妥当な時間で配置できる {DIAGRAM_ZONE_LIMIT} を超えています。各ゾーンの節に保護対象とコンジットを記載しています。",
        )
    if zones >= LARGE_ZONE_COUNT:
        links = len(zone_links(model))
        unit_en, unit_ja = "pairs of zones joined by conduits", "コンジットでつながるゾーンの組"
    else:
        zone_ids = {zone.id for zone in model.zones}
        links = sum(1 for c in model.conduits if c.from_zone in zone_ids and c.to_zone in zone_ids)
        unit_en, unit_ja = "conduits", "コンジット"
    if links > DIAGRAM_LINK_LIMIT:
        return Text(
            en=f"The diagram is not drawn: {links:,} {unit_en} are more than the {DIAGRAM_LINK_LIMIT} Graphviz lays out in reasonable time. Each zone's section lists its assets and conduits.",
            ja=f"図は描画していません：{unit_ja}の数 {links:,} が、Graphviz が妥当な時間で配置できる {DIAGRAM_LINK_LIMIT} を超えています。各ゾーンの節に保護対象とコンジットを記載しています。",
        )
    return None


@dataclass(frozen=True)
class DiagramOptions:
    """How to draw: language, elements to highlight (zone, asset or conduit ids) and where zones link to."""

    lang: str = "en"
    highlight: frozenset[str] = field(default_factory=frozenset)
    zone_link: str | None = None
    """A format string with ``{id}`` (e.g. ``#zone-{id}``) that makes each zone a link; None for no links."""
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


def _node_id(zone_id: str) -> str:
    return f"members-{zone_id}"


def _cluster_id(zone_id: str) -> str:
    return f"cluster_{zone_id}"


def _status_tag(status: Lifecycle, lang: str) -> str:
    if status is Lifecycle.EXISTING:
        return ""
    return f" ({LABELS[status.value].get(lang)})"


class _Builder:
    """Describes one model as a Graphviz digraph."""

    def __init__(self, model: FactoryModel, assessment: Assessment, options: DiagramOptions) -> None:
        self.model = model
        self.assessment = assessment
        self.options = options
        self.lang = options.lang
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
        self.large = len(model.zones) >= LARGE_ZONE_COUNT
        self.inside: Counter[str] = Counter(c.from_zone for c in model.conduits if c.from_zone == c.to_zone) if self.large else Counter()

    def build(self) -> graphviz.Digraph:
        graph = graphviz.Digraph(name="zones", engine="dot")
        graph.attr(
            compound="true",
            rankdir="TB",
            newrank="true",
            fontname=FONT,
            ranksep="0.5" if self.large else "0.8",
            nodesep="0.25" if self.large else "0.5",
            pad="0.3",
            bgcolor="white",
            id=f"{self.options.id_prefix}dg",
        )
        graph.attr("node", fontname=FONT, fontsize="10", shape="plain")
        graph.attr("edge", fontname=FONT, fontsize="9")
        for zone in self.children[None]:
            graph.subgraph(self._zone(zone, set()))
        if self.large:
            for conduits in zone_links(self.model).values():
                self._link(graph, conduits)
        else:
            for conduit in self.model.conduits:
                if conduit.from_zone in self.zones and conduit.to_zone in self.zones:
                    self._conduit(graph, conduit)
        graph.node("legend", label=self._legend(), id=f"{self.options.id_prefix}legend")
        return graph

    def _zone(self, zone: Zone, seen: set[str]) -> graphviz.Digraph:
        seen.add(zone.id)
        level = self.assessment.importance.zone_level(zone.id)
        external = zone.kind.side == "external"
        highlighted = zone.id in self.options.highlight
        cluster = graphviz.Digraph(name=_cluster_id(zone.id))
        attrs = {
            "id": zone_element_id(zone.id, self.options.id_prefix),
            "label": f"<<b>{_h(zone.name)}</b>{_h(_status_tag(zone.status, self.lang))}>",
            "labeljust": "l",
            "style": "filled,rounded,dashed" if external else "filled,rounded",
            "fillcolor": EXTERNAL_FILL if external else IMPORTANCE_FILL[level],
            "color": HIGHLIGHT_COLOUR if highlighted else IMPORTANCE_BORDER[level],
            "penwidth": "4" if highlighted else "2",
            "fontsize": "12",
            "tooltip": graphviz.escape(f"{zone.name} ({zone.id})"),
        }
        if self.options.zone_link:
            attrs["href"] = self.options.zone_link.format(id=zone.id)
            attrs["target"] = "_top"
        cluster.attr(**attrs)
        cluster.node(_node_id(zone.id), label=self._members_label(zone), id=members_element_id(zone.id, self.options.id_prefix))
        for child in self.children.get(zone.id, []):
            if child.id not in seen:
                cluster.subgraph(self._zone(child, seen))
        return cluster

    def _members_label(self, zone: Zone) -> str:
        assets = self.members.get(zone.id, [])
        if not assets:
            rows = [f'<tr><td align="left"><i>{_h(LABELS["no_assets"].get(self.lang))}</i></td></tr>']
        elif self.large or len(assets) > self.options.asset_list_limit:
            counts = Counter(asset.type for asset in assets)
            rows = [
                f'<tr><td align="left">{count} {_h(TYPE_LABELS[kind].get(self.lang))}</td></tr>'
                for kind, count in sorted(counts.items(), key=lambda item: list(AssetType).index(item[0]))
            ]
        else:
            rows = [self._asset_row(asset) for asset in assets]
        if self.inside.get(zone.id):
            rows.append(f'<tr><td align="left"><i>{self.inside[zone.id]} {_h(LABELS["flows_inside"].get(self.lang))}</i></td></tr>')
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

    def _conduit(self, graph: graphviz.Digraph, conduit: Conduit) -> None:
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
        if conduit.from_zone != conduit.to_zone:
            attrs["ltail"] = _cluster_id(conduit.from_zone)
            attrs["lhead"] = _cluster_id(conduit.to_zone)
        graph.edge(_node_id(conduit.from_zone), _node_id(conduit.to_zone), **attrs)

    def _link(self, graph: graphviz.Digraph, conduits: list[Conduit]) -> None:
        """One arrow for every conduit from one zone to another (large diagrams), styled as the strongest of them and labelled with their number."""
        first = conduits[0]
        control = any(c.carries_control_instructions for c in conduits)
        networks = list(dict.fromkeys(c.external_network.value for c in conduits if c.external_network is not ExternalNetwork.NONE))
        highlighted = any(c.id in self.options.highlight for c in conduits)
        colour = CONTROL_COLOUR if control else FLOW_COLOUR
        lines = [f"{len(conduits)} {_h(LABELS['flows'].get(self.lang))}"]
        if control:
            lines.insert(0, f'<font color="{CONTROL_COLOUR}"><b>{_h(LABELS["control"].get(self.lang))}</b></font>')
        if networks:
            lines.append(f"<i>{_h(', '.join(networks))}</i>")
        shown = ", ".join(c.name or c.id for c in conduits[:ASSET_LIST_LIMIT]) + (" ..." if len(conduits) > ASSET_LIST_LIMIT else "")
        graph.edge(
            _node_id(first.from_zone),
            _node_id(first.to_zone),
            id=conduit_element_id(first.id, self.options.id_prefix),
            label=f"<{'<br/>'.join(lines)}>",
            color=f"{colour}:{HIGHLIGHT_COLOUR}" if highlighted else colour,
            penwidth="3" if control or highlighted else "1.2",
            style="dashed" if networks else "solid",
            dir="both" if all(c.direction == "two-way" for c in conduits) else "forward",
            tooltip=graphviz.escape(f"{len(conduits)}: {shown}"),
            ltail=_cluster_id(first.from_zone),
            lhead=_cluster_id(first.to_zone),
        )

    def _legend(self) -> str:
        lang = self.lang
        rows = [f'<tr><td colspan="2"><b>{_h(LABELS["legend"].get(lang))}</b></td></tr>']
        levels: Iterable[Importance | None] = (Importance.CRITICAL, Importance.HIGH, Importance.MEDIUM, Importance.LOW, None)
        for level in levels:
            name = LABELS[level.value if level else "unrated"].get(lang)
            rows.append(
                f'<tr><td bgcolor="{IMPORTANCE_FILL[level]}" border="1" color="{IMPORTANCE_BORDER[level]}">  </td>'
                f'<td align="left">{_h(LABELS["importance"].get(lang))}: {_h(name)}</td></tr>'
            )
        rows.append(f'<tr><td bgcolor="{EXTERNAL_FILL}" border="1" style="dashed">  </td><td align="left">{_h(LABELS["external_zone"].get(lang))}</td></tr>')
        rows.append(f'<tr><td><font color="{CONTROL_COLOUR}"><b>━━</b></font></td><td align="left">{_h(LABELS["control_flow"].get(lang))}</td></tr>')
        rows.append(f'<tr><td>╌╌</td><td align="left">{_h(LABELS["external_flow"].get(lang))}</td></tr>')
        if self.options.highlight:
            meaning = self.options.highlight_label or LABELS["highlighted"]
            rows.append(f'<tr><td><font color="{HIGHLIGHT_COLOUR}"><b>━━</b></font></td><td align="left">{_h(meaning.get(lang))}</td></tr>')
        return f'<<table border="1" cellborder="0" cellspacing="2" cellpadding="2" color="#9e9e9e">{"".join(rows)}</table>>'


def zone_diagram(model: FactoryModel, assessment: Assessment, options: DiagramOptions | None = None) -> graphviz.Digraph:
    """The Graphviz description of the zone-and-conduit diagram (not yet laid out)."""
    return _Builder(model, assessment, options or DiagramOptions()).build()


_XML_PROLOGUE = re.compile(r"\A(?:<\?xml[^>]*\?>\s*)?(?:<!DOCTYPE[^>]*>\s*)?(?:<!--.*?-->\s*)*", re.DOTALL)


def render_svg(model: FactoryModel, assessment: Assessment, options: DiagramOptions | None = None) -> str:
    """The diagram as a standalone SVG document.

    Raises :class:`DiagramTooLarge` for a model too large to lay out (see
    :func:`too_large_to_draw`) and :class:`DiagramError` when Graphviz is
    missing or fails.
    """
    reason = too_large_to_draw(model)
    if reason is not None:
        raise DiagramTooLarge(reason)
    graph = zone_diagram(model, assessment, options)
    try:
        svg: str = graph.pipe(format="svg", encoding="utf-8")
        return svg
    except graphviz.ExecutableNotFound:
        raise DiagramError("Graphviz 'dot' was not found: install graphviz (bash scripts/setup.sh, or apt-get install graphviz)") from None
    except graphviz.CalledProcessError as exc:
        stderr = exc.stderr or ""  # text when the pipe was asked for text, bytes otherwise
        detail = (stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr).strip().splitlines()
        raise DiagramError(f"Graphviz failed to draw the diagram: {detail[-1] if detail else exc}") from None


def inline_svg(svg: str) -> str:
    """An SVG document without its XML prologue, doctype and comments, for embedding in HTML."""
    return _XML_PROLOGUE.sub("", svg, count=1)


__all__ = [
    "DIAGRAM_LINK_LIMIT",
    "DIAGRAM_ZONE_LIMIT",
    "DiagramError",
    "DiagramTooLarge",
    "DiagramOptions",
    "conduit_element_id",
    "inline_svg",
    "members_element_id",
    "render_svg",
    "too_large_to_draw",
    "zone_diagram",
    "zone_element_id",
    "zone_links",
]
