"""The zone diagrams' DOT text and the diagram plan, worked out in a forked process while this one analyses the model.

Where ``report`` writes in this one process (the 100k-asset plant, see :func:`factorysec.report.bundle.parallel_jobs`)
every writer's Python shares one interpreter lock, and the zone diagrams' DOT text (4.5 CPU s at 100k assets), the
diagram plan and the map of conduits by pair of zones (1.5 CPU s) were part of it. None of them needs the analysis
but the zones' colours: a process forked right after the model is loaded works them out on another core while this
one analyses, hands them back and ends. The DOT text holds a mark for each colour (a nonce and
the zone's index, which no model text holds), filled in here from the zones' importance; the plan and the map come
back as indexes into the model's conduits. The fork copies the pages of the model it reads (its objects' reference
counts): it counts in the memory only while the analysis runs, when this process is smaller than while writing.
It hands its work back in two unnamed temporary files opened before the fork (no path: nothing is left behind, even
when the command is killed).
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import re
import secrets
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from multiprocessing.process import BaseProcess
from typing import IO, Any

from factorysec.analysis.assessment import Assessment
from factorysec.model.entities import Conduit, FactoryModel, Zone
from factorysec.report.diagram import (
    IMPORTANCE_BORDER,
    IMPORTANCE_FILL,
    LARGE_ZONE_COUNT,
    NEIGHBOUR_BATCH,
    NEIGHBOUR_LINK,
    DiagramOptions,
    DiagramPlan,
    _Builder,
    neighbour_sources,
    plan_diagram,
    shared_diagram_plan,
    zone_links,
)

_MARK = "\x02"


class _MarkedBuilder(_Builder):
    """A :class:`factorysec.report.diagram._Builder` without the assessment: each zone's colours are marks."""

    def __init__(self, model: FactoryModel, options: DiagramOptions, plan: DiagramPlan, nonce: str) -> None:
        super().__init__(model, None, options, plan)
        self._index = {zone.id: index for index, zone in enumerate(model.zones)}
        self._nonce = nonce

    def _zone_colours(self, zone: Zone) -> tuple[str, str]:
        index = self._index[zone.id]
        return f"{_MARK}{self._nonce}{index}f{_MARK}", f"{_MARK}{self._nonce}{index}b{_MARK}"


def _indexes(conduits: Sequence[Conduit], index: dict[int, int]) -> list[int]:
    return [index[id(conduit)] for conduit in conduits]


def _prepare(model: FactoryModel, lang: str, dot: IO[bytes], answer: IO[bytes], nonce: str) -> None:
    """In the forked process: write the zone diagrams' DOT text (with marks) into ``dot``, and the plan, the map and
    where each chunk of DOT text ends into ``answer``."""
    from factorysec.report.html import zone_homes

    with shared_diagram_plan(model):
        plan = plan_diagram(model)
        links = zone_links(model)
        index = {id(conduit): position for position, conduit in enumerate(model.conduits)}
        result: dict[str, Any] = {
            "plan": (
                plan.grid,
                _indexes(plan.singles, index),
                [_indexes(group, index) for group in plan.groups],
                [_indexes(group, index) for group in plan.left_out],
                plan.inside,
                plan.drawable,
            ),
            "links": [(source, target, _indexes(conduits, index)) for (source, target), conduits in links.items()],
            "lang": lang,
            "chunks": None,
        }
        if plan.grid:
            home = zone_homes(model.zones)
            builder = _MarkedBuilder(model, DiagramOptions(lang=lang), plan, nonce)
            chunks = []
            for zone_ids, make in neighbour_sources(builder, NEIGHBOUR_LINK, home, NEIGHBOUR_BATCH):
                chunks.append((zone_ids, dot.write(make())))
            dot.flush()
            result["chunks"], result["home"] = chunks, home
    pickle.dump(result, answer, protocol=pickle.HIGHEST_PROTOCOL)
    answer.flush()


class PreparedDiagrams:
    """The forked process of :func:`prepare_zone_diagrams` and what it left; waited for at the first question."""

    def __init__(
        self, model: FactoryModel, process: BaseProcess, dot: IO[bytes], answer: IO[bytes], nonce: str
    ) -> None:
        self.model = model
        self._process = process
        self._dot = dot
        self._answer = answer
        self._nonce = nonce
        self._starter = os.getpid()
        self._lock = threading.Lock()
        self._waited = False
        self._result: dict[str, Any] | None = None

    def result(self) -> dict[str, Any] | None:
        """What the process left; None when it failed, or when asked in another process before this one waited."""
        with self._lock:
            if not self._waited and os.getpid() == self._starter:
                self._process.join()
                self._waited = True
                if self._process.exitcode == 0:
                    self._result = pickle.loads(_whole(self._answer))
            return self._result

    def shared(self, key: str) -> Any | None:
        """The diagram plan (``"plan"``) or the map of conduits by pair of zones (``"links"``), the model's own conduits."""
        result = self.result()
        if result is None:
            return None
        conduits = self.model.conduits
        if key == "links":
            return {(source, target): [conduits[i] for i in indexes] for source, target, indexes in result["links"]}
        if key == "plan":
            grid, singles, groups, left_out, inside, drawable = result["plan"]
            return DiagramPlan(
                grid=grid,
                singles=tuple(conduits[i] for i in singles),
                groups=tuple(tuple(conduits[i] for i in group) for group in groups),
                left_out=tuple(tuple(conduits[i] for i in group) for group in left_out),
                inside=inside,
                drawable=drawable,
            )
        return None

    def chunks(
        self, assessment: Assessment, lang: str, home: str | dict[str, str]
    ) -> list[tuple[list[str], Callable[[], bytes]]] | None:
        """The zone diagrams' DOT text in chunks, as :func:`factorysec.report.diagram.neighbour_sources` makes it, the
        colours filled in from ``assessment``; None when the process made none for this language and these links."""
        result = self.result()
        if result is None or result["chunks"] is None or result["lang"] != lang or result["home"] != home:
            return None
        zones = self.model.zones
        colours: dict[bytes, bytes] = {}
        for index, zone in enumerate(zones):
            level = assessment.importance.zone_level(zone.id)
            colours[f"{_MARK}{self._nonce}{index}f{_MARK}".encode()] = IMPORTANCE_FILL[level].encode()
            colours[f"{_MARK}{self._nonce}{index}b{_MARK}".encode()] = IMPORTANCE_BORDER[level].encode()
        mark = re.compile(re.escape(f"{_MARK}{self._nonce}".encode()) + rb"\d+[fb]" + re.escape(_MARK.encode()))
        made: list[tuple[list[str], Callable[[], bytes]]] = []
        offset = 0
        for zone_ids, size in result["chunks"]:
            made.append((zone_ids, partial(self._chunk, offset, size, mark, colours)))
            offset += size
        return made

    def _chunk(self, offset: int, size: int, mark: re.Pattern[bytes], colours: dict[bytes, bytes]) -> bytes:
        text = os.pread(self._dot.fileno(), size, offset)
        return mark.sub(lambda found: colours[found[0]], text)

    def close(self) -> None:
        if os.getpid() != self._starter:
            return
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._dot.close()
        self._answer.close()


def _whole(file: IO[bytes]) -> bytes:
    """All that the forked process wrote into ``file`` (read at offset 0: the offset the two processes share moved)."""
    return os.pread(file.fileno(), os.fstat(file.fileno()).st_size, 0)


def worth_preparing(model: FactoryModel) -> bool:
    """A plant drawn as a grid with a diagram per zone (from :data:`LARGE_ZONE_COUNT` zones on), on a machine with a
    second core and ``fork``."""
    from factorysec.report.bundle import usable_cpus

    return (
        len(model.zones) >= LARGE_ZONE_COUNT
        and sys.platform != "win32"
        and "fork" in multiprocessing.get_all_start_methods()
        and usable_cpus() > 1
    )


@contextmanager
def prepare_zone_diagrams(model: FactoryModel, lang: str) -> Iterator[PreparedDiagrams | None]:
    """Fork the process that works out the diagram plan and the zone diagrams' DOT text of ``model`` (see the
    module); None when not :func:`worth_preparing`, or when no temporary file or process could be had (the writers
    then work it all out themselves). On leaving, the process is ended if still running and its files closed."""
    if not worth_preparing(model):
        yield None
        return
    import gc

    try:
        dot = tempfile.TemporaryFile(prefix="factorysec-diagrams-")
    except OSError:
        yield None
        return
    try:
        answer = tempfile.TemporaryFile(prefix="factorysec-diagrams-")
    except OSError:
        dot.close()
        yield None
        return
    nonce = secrets.token_hex(8)
    process = multiprocessing.get_context("fork").Process(
        target=_prepare, args=(model, lang, dot, answer, nonce), name="factorysec-diagrams", daemon=True
    )
    enabled = gc.isenabled()
    gc.disable()  # a full collection in the fork would write to every object's page: a copy of the whole model
    try:
        process.start()
        started = True
    except OSError:
        started = False
    finally:
        if enabled:
            gc.enable()
    if not started:
        dot.close()
        answer.close()
        yield None
        return
    prepared = PreparedDiagrams(model, process, dot, answer, nonce)
    try:
        yield prepared
    finally:
        prepared.close()
