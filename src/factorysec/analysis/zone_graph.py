"""The zones of a model joined by its conduits: the one index that exposure, the security levels and the rules read the conduits through.

:class:`ZoneGraph` is built in one pass over the conduits (while each is in the
CPU cache, the same pass fills the index of conduits by id) and owns what that
pass notes: the few kinds of conduit the rules and requirements walk, the hops
between zones that exposure searches, and the declared controls the security
levels read. Its storage is its own business; readers go through its typed
attributes and methods.

Most conduits of a plant stay inside one zone, on one side, inside the factory:
the rules, requirements and exposure walk these short lists rather than every
conduit again (at 300k conduits each walk cost about a tenth of a second).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, KeysView, Mapping, Set

from factorysec.model.entities import Conduit, ExternalNetwork

Link = tuple[Conduit, str, str]
"""A conduit whose both zones are in the model, with the sides of its sending and receiving zones."""

FA_OA = frozenset({("fa", "oa"), ("oa", "fa")})
"""The pairs of sides, either way round, that join a control (FA) and an office (OA) zone."""

Hop = tuple[str, int, str]
"""A hop out of a zone: target zone, doubled control weight (see :func:`hop_weight`), conduit id."""


def hop_weight(in_place: int, partial: int) -> int:
    """The control weight of a hop over a conduit with ``in_place`` controls in place and ``partial`` partial ones, doubled.

    A control in place counts 1 and a partial one 0.5 (the weakest attack path
    has the fewest controls along it); doubled, the weight is a whole number:
    whole numbers up to 256 are shared objects, and halved again they give
    exactly the same floats as adding up halves would.
    """
    return 2 * in_place + partial


class _Out:
    """The hops out of one zone, in model order, as three lists of equal length (no object per hop: at 400k hops those cost as much as both searches)."""

    __slots__ = ("targets", "weights", "conduits")

    def __init__(self) -> None:
        self.targets: list[str] = []
        self.weights: list[int] = []
        self.conduits: list[str] = []


class Hops:
    """Per zone, the hops out of it over the conduits between two zones of the model, in model order (what the attack-path searches walk)."""

    __slots__ = ("_out",)

    def __init__(self, out: dict[str, _Out]) -> None:
        self._out = out

    @classmethod
    def from_hops(cls, hops: Mapping[str, Iterable[Hop]]) -> Hops:
        """Hops given zone by zone (tests, and any caller that builds a graph by hand)."""
        out: dict[str, _Out] = {}
        for zone, listed in hops.items():
            found = out[zone] = _Out()
            for target, weight, conduit in listed:
                found.targets.append(target)
                found.weights.append(weight)
                found.conduits.append(conduit)
        return cls(out)

    def out_of(self, zone: str) -> Iterator[Hop]:
        """The hops out of ``zone``: (target, doubled weight, conduit id); none for a zone the graph does not hold."""
        out = self._out.get(zone)
        if out is None:
            return iter(())
        return zip(out.targets, out.weights, out.conduits)

    @property
    def zones(self) -> KeysView[str]:
        """Every zone of the graph (the model's zones), with hops out of it or not."""
        return self._out.keys()

    def as_dict(self) -> dict[str, list[Hop]]:
        """Every zone's hops as a list (to compare graphs; the searches read :meth:`out_of`)."""
        return {zone: list(self.out_of(zone)) for zone in self._out}


class ZoneGraph:
    """The model's conduits classified in one pass, and the zone graph they make. Built by :func:`build_zone_graph`; readers must not change its lists.

    The kinds of conduit, each in model order:

    * ``external``: linked conduits (both zones in the model) that cross an external network or have an external zone at either end;
    * ``fa_oa``: linked conduits that join an FA and an OA zone, either way round; ``fa_oa_with_data``: those of them that name data assets;
    * ``control``: linked conduits that carry control instructions;
    * ``internal``: linked conduits between two different zones, neither of them external, that do not join FA and OA (the
      links between zones whose requirements may differ that no FA–OA or external rule covers);
    * ``carrying_between``: linked conduits between two different zones that carry something (data assets, a ``carries``
      wording or control instructions): the ways data, and where it came from, travel between zones;
    * ``inside_with_ends``: conduits inside one zone of the model that name their sending or receiving assets (the flows
      inside a zone whose end may be run by an outside party);
    * ``between_zones``: conduits whose ``from`` and ``to`` differ (either may be missing from the model); ``control_between_zones``: those that carry control instructions;
    * ``over_external_networks``: conduits that cross an external network;
    * ``with_measures``: conduits whose id some measure applies to.
    """

    __slots__ = (
        "external",
        "fa_oa",
        "fa_oa_with_data",
        "control",
        "internal",
        "carrying_between",
        "inside_with_ends",
        "between_zones",
        "control_between_zones",
        "over_external_networks",
        "with_measures",
        "_out",
        "_measured_hops",
        "_controlled_from",
        "_controlled_to",
        "_controls",
        "one_way",
    )

    def __init__(self) -> None:
        self.external: list[Link] = []
        self.fa_oa: list[Link] = []
        self.fa_oa_with_data: list[Link] = []
        self.control: list[Link] = []
        self.internal: list[Link] = []
        self.carrying_between: list[Conduit] = []
        self.inside_with_ends: list[Conduit] = []
        self.between_zones: list[Conduit] = []
        self.control_between_zones: list[Conduit] = []
        self.over_external_networks: list[Conduit] = []
        self.with_measures: list[Conduit] = []
        self._out: dict[str, _Out] = {}
        self._measured_hops: list[tuple[str, int, Conduit]] = []
        """Each hop over a conduit some measure applies to: (zone, position in the zone's hops, conduit)."""
        self._controlled_from: list[str] = []
        self._controlled_to: list[str] = []
        self._controls: list[list[str]] = []
        """The conduits that declare controls, in model order: their zones and controls (zone ids of the model as the zone index holds them)."""
        self.one_way: set[str] = set()
        """The ids of the conduits between two zones of the model that let traffic through from ``from`` to ``to`` only (see :func:`enforces_one_way`)."""

    def hops(self, controls_of: Callable[[Conduit], tuple[int, int]]) -> Hops:
        """The hops between zones, each weighed by its conduit's controls (:func:`hop_weight`).

        The graph weighs every hop by its conduit's declared controls while it
        is built; ``controls_of`` gives the number of controls in place and of
        partial ones of a conduit that measures apply to, whose hops alone are
        weighed again here, in copies of their zones' weights.
        """
        if not self._measured_hops:
            return Hops(self._out)
        out = dict(self._out)
        copied: set[str] = set()
        for zone, position, conduit in self._measured_hops:
            found = out[zone]
            if zone not in copied:
                found = out[zone] = _Out()
                original = self._out[zone]
                found.targets, found.conduits, found.weights = (
                    original.targets,
                    original.conduits,
                    original.weights.copy(),
                )
                copied.add(zone)
            found.weights[position] = hop_weight(*controls_of(conduit))
        return Hops(out)

    def declared_controls_touching(self, zone_ids: Collection[str]) -> dict[str, set[str]]:
        """Per zone in ``zone_ids``: the declared controls of every conduit that sends or receives there (conduits between zones or inside one)."""
        found: dict[str, set[str]] = {zone_id: set() for zone_id in zone_ids}
        for from_zone, to_zone, controls in zip(self._controlled_from, self._controlled_to, self._controls):
            if from_zone in found or to_zone in found:
                for zone_id in (from_zone, to_zone):
                    ids = found.get(zone_id)
                    if ids is not None:
                        ids.update(controls)
        return found


def enforces_one_way(conduit: Conduit, one_way_gateways: Set[str]) -> bool:
    """Whether ``conduit`` lets traffic through from ``from`` to ``to`` only: it says ``one_way: true``, or its ``via`` passes a data diode (an id in ``one_way_gateways``).

    Data direction is not reachability: a conduit whose data go one way still
    carries the replies and sessions its protocol needs, and an attacker who
    holds the receiving end can answer, or attack, the sender over them. Only a
    device or control that enforces one direction removes the way back
    (Appendix 3.2.2 (1)(i); Table 3-4, control instructions accepted in one
    direction).
    """
    if conduit.one_way:
        return True
    via = conduit.via
    return bool(via) and bool(one_way_gateways) and not one_way_gateways.isdisjoint(via)


def build_zone_graph(
    conduits: Iterable[Conduit],
    zone_sides: Mapping[str, str],
    by_id: dict[str, Conduit],
    measured: Set[str] = frozenset(),
    one_way_gateways: Set[str] = frozenset(),
) -> ZoneGraph:
    """Classify ``conduits`` and note the zone graph they make, in one pass that also fills ``by_id`` (the conduits by id).

    ``zone_sides``: each zone of the model with its side (``fa``, ``oa``,
    ``external`` ...); ``measured``: the ids some measure applies to. The
    graph's zone ids are ``zone_sides``' own strings (later lookups find them
    by identity). The pass also notes what exposure and the security levels
    read of every conduit: their own walks over the conduits between zones
    (scattered in memory) cost more than reading a few more fields here.

    Every conduit between two zones is a hop both ways, whichever way its data
    go, but for one that enforces one direction (:func:`enforces_one_way`;
    ``one_way_gateways`` are the ids of the data diodes): that one is a hop from
    ``from`` to ``to`` only.
    """
    none = ExternalNetwork.NONE
    fa_oa_pairs = FA_OA
    graph = ZoneGraph()
    external, fa_oa, fa_oa_with_data, control = graph.external, graph.fa_oa, graph.fa_oa_with_data, graph.control
    internal, carrying_between = graph.internal, graph.carrying_between
    between, control_between, over_external = (
        graph.between_zones,
        graph.control_between_zones,
        graph.over_external_networks,
    )
    measured_hops, with_measures = graph._measured_hops, graph.with_measures
    controlled_from, controlled_to, controls_of = graph._controlled_from, graph._controlled_to, graph._controls
    # Per zone: its id as the model's zone index holds it, its side and the hops out of it.
    zone_entries: dict[str, tuple[str, str, _Out]] = {
        zone_id: (zone_id, side, _Out()) for zone_id, side in zone_sides.items()
    }
    graph._out = {zone_id: entry[2] for zone_id, entry in zone_entries.items()}
    zone_of = zone_entries.get
    # The ways back over the conduits that do not enforce one direction, added once every conduit's own hop is.
    backwards: list[tuple[_Out, str, str, int, str, Conduit | None]] = []
    for conduit in conduits:
        conduit_id = conduit.id
        by_id[conduit_id] = conduit
        has_measures = conduit_id in measured
        if has_measures:
            with_measures.append(conduit)
        from_zone, to_zone = conduit.from_zone, conduit.to_zone
        carries_control = conduit.carries_control_instructions
        controls = conduit.controls
        crosses_network = conduit.external_network is not none
        if crosses_network:
            over_external.append(conduit)
        if from_zone == to_zone:
            found = zone_of(from_zone)
            if found is None:
                if controls:
                    controlled_from.append(from_zone)
                    controlled_to.append(to_zone)
                    controls_of.append(controls)
                continue
            from_zone = to_zone = found[0]
            source = target = found[1]
            if controls:
                controlled_from.append(from_zone)
                controlled_to.append(to_zone)
                controls_of.append(controls)
            if crosses_network or source == "external":
                external.append((conduit, source, target))
            if conduit.to_assets or conduit.from_assets:
                graph.inside_with_ends.append(conduit)
        else:
            between.append(conduit)
            if carries_control:
                control_between.append(conduit)
            start, end = zone_of(from_zone), zone_of(to_zone)
            if start is None or end is None:
                if controls:
                    controlled_from.append(from_zone)
                    controlled_to.append(to_zone)
                    controls_of.append(controls)
                continue
            from_zone, source, out_of_start = start
            to_zone, target, out_of_end = end
            if controls:
                controlled_from.append(from_zone)
                controlled_to.append(to_zone)
                controls_of.append(controls)
                weight = hop_weight(len(set(controls)) if len(controls) > 1 else 1, 0)
            else:
                weight = 0
            if has_measures:
                measured_hops.append((from_zone, len(out_of_start.targets), conduit))
            out_of_start.targets.append(to_zone)
            out_of_start.weights.append(weight)
            out_of_start.conduits.append(conduit_id)
            if not enforces_one_way(conduit, one_way_gateways):
                backwards.append(
                    (out_of_end, to_zone, from_zone, weight, conduit_id, conduit if has_measures else None)
                )
            else:
                graph.one_way.add(conduit_id)
            if crosses_network or source == "external" or target == "external":
                external.append((conduit, source, target))
            if (source, target) in fa_oa_pairs:
                fa_oa.append((conduit, source, target))
                if conduit.data:
                    fa_oa_with_data.append((conduit, source, target))
            elif source != "external" and target != "external":
                internal.append((conduit, source, target))
            if carries_control or conduit.data or conduit.carries:
                carrying_between.append(conduit)
        if carries_control:
            control.append((conduit, source, target))
    # The ways back come after every zone's own hops, so that of two equally short paths the searches take the one that
    # follows the conduits' drawn direction (what a reader expects to see), and only then one crossing a conduit backwards.
    for out, zone, target, weight, conduit_id, measured_conduit in backwards:
        if measured_conduit is not None:
            measured_hops.append((zone, len(out.targets), measured_conduit))
        out.targets.append(target)
        out.weights.append(weight)
        out.conduits.append(conduit_id)
    return graph
