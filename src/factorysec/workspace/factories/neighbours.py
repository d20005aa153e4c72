"""Check one edit without rebuilding the whole model: gather the entries its checks read, then run ``check`` on them.

The stored model is always valid (every change went through the check), so a
problem after an edit involves the edited element. Which other entries a check
of the element reads follows from the model's own check tables
(:data:`~factorysec.model.references.REFERENCES` and the placement, cycle,
natural-key and checklist-scope checks): the entries it names, the entries
naming it (when its id goes away or a field they read changes), the entry that
holds the same id or natural key. Those entries, the ``factory`` section and
the whole model's ids of each section they may refer to form an
:class:`~factorysec.model.loader.Excerpt`, which
:func:`~factorysec.model.loader.check_excerpt` checks with the very code of
``factorysec check``. Its problems name the places of the whole model, so the
messages are those a whole-model check gives (tests/workspace/test_neighbours.py
compares them on a set of bad edits).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from factorysec.catalog import load_catalog
from factorysec.model.entities import IDENTIFIED_COLLECTIONS, SINGLETONS
from factorysec.model.loader import Excerpt, check_excerpt
from factorysec.model.references import PLACEMENT_READS, REFERENCES, SINGLE_REFERENCES
from factorysec.workspace.factories.models import Element, Factory

CYCLE_FIELDS = {"zones": "parent", "parties": "subcontractor_of"}
"""The field each section's cycle check follows (``_cycles`` in the model's reference checks)."""
PARTY_LINKS = ("managed_by", "supplier", "maintainer")
"""The asset fields through which a party gets the asset's checklists (the checklist-scope check)."""
KEYED_BY_SUBJECT = "checklist_answers"
"""The natural-key section large enough to be read by subject rather than whole."""
SMALL_KEYED = ("ooda_roles", "maturity", "responsibilities")
"""Sections without ids whose entries must differ by a natural key; read whole when one of theirs is edited."""
_MANY = 20
"""Above this many entries of one section in an excerpt, their indices come from one ordered read of the section."""


@dataclass
class _Row:
    section: str
    key: str
    position: int
    pk: int
    payload: Any


@dataclass
class _Gathered:
    rows: dict[tuple[str, str], _Row] = field(default_factory=dict)

    def add(self, rows: Iterable[_Row]) -> None:
        for row in rows:
            self.rows.setdefault((row.section, row.key), row)


@dataclass(frozen=True)
class Edit:
    """One change to check: ``old`` the stored payload (None: a new element), ``new`` the candidate (None: deleted)."""

    section: str
    key: str
    old: dict[str, Any] | None
    new: dict[str, Any] | None

    @property
    def old_id(self) -> str | None:
        return self.key if self.old is not None and self.section in IDENTIFIED_COLLECTIONS else None

    @property
    def new_id(self) -> str | None:
        value = self.new.get("id") if isinstance(self.new, dict) else None
        return value if isinstance(value, str) else None

    def values(self, name: str) -> set[str]:
        """The text values of field ``name`` in the old and the new payload."""
        found: set[str] = set()
        for payload in (self.old, self.new):
            value = payload.get(name) if isinstance(payload, dict) else None
            if isinstance(value, str):
                found.add(value)
            elif isinstance(value, list):
                found.update(item for item in value if isinstance(item, str))
        return found


@dataclass
class Reads:
    """The statements an edit's check ran, each with the rows it returned (as the database sent them).

    The check is a function of the edit and of these rows alone, and which
    statement it runs next depends only on the rows before. So when every
    statement, run again later, returns the same rows, the check would come to
    the same result then: :meth:`still_hold` lets a save check its edit before
    it takes the factory's write lock and, under the lock, only confirm it
    (plain statements, nothing compiled, no model check).
    """

    statements: list[tuple[str, tuple[Any, ...], list[tuple[Any, ...]]]] = field(default_factory=list)

    def still_hold(self) -> bool:
        """Run every statement again; True when each returns the rows it returned the first time."""
        with connection.cursor() as cursor:
            for sql, params, rows in self.statements:
                cursor.execute(sql, params)
                if [tuple(row) for row in cursor.fetchall()] != rows:
                    return False
        return True


_recording = threading.local()


@contextmanager
def recording() -> Iterator[Reads]:
    """Keep the statements (and their rows) of the checks run in this thread inside the block."""
    reads, outer = Reads(), getattr(_recording, "reads", None)
    _recording.reads = reads
    try:
        yield reads
    finally:
        _recording.reads = outer


def _fetch(query: QuerySet[Any, Any], count: bool = False) -> list[tuple[Any, ...]]:
    """The rows of a ``values_list`` query as the database returns them (``count``: one row, how many rows it has),
    kept by :func:`recording` when it is on."""
    sql, params = query.query.sql_with_params()
    if count:
        sql = f"SELECT COUNT(*) FROM ({sql}) counted"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [tuple(row) for row in cursor.fetchall()]
    reads: Reads | None = getattr(_recording, "reads", None)
    if reads is not None:
        reads.statements.append((sql, tuple(params), rows))
    return rows


def _payload(value: Any) -> Any:
    """A payload column as Django's JSON field reads it (the driver hands the text over on both databases)."""
    return json.loads(value) if isinstance(value, str | bytes) else value


def _live(factory: Factory) -> Any:
    return Element.objects.filter(factory=factory, payload__isnull=False)


def _rows(query: Any) -> list[_Row]:
    return [
        _Row(section, key, position, pk, _payload(payload))
        for section, key, position, pk, payload in _fetch(
            query.values_list("section", "key", "position", "pk", "payload")
        )
    ]


def _by_keys(factory: Factory, section: str | Iterable[str], keys: Iterable[str]) -> list[_Row]:
    wanted = sorted(set(keys))
    if not wanted:
        return []
    sections = [section] if isinstance(section, str) else list(section)
    return _rows(_live(factory).filter(section__in=sections, key__in=wanted))


def _naming(factory: Factory, sections: Iterable[str], element_id: str) -> list[_Row]:
    """Entries of ``sections`` whose stored text holds ``element_id`` as a JSON string (a superset of those naming it)."""
    chosen = sorted(set(sections))
    if not chosen:
        return []
    return _rows(_live(factory).filter(section__in=chosen, payload__icontains=json.dumps(element_id)))


def _referring_sections(section: str) -> set[str]:
    """Sections with a reference that may point into ``section`` (from the model's reference table)."""
    return {source for source, _, targets in (*REFERENCES, *SINGLE_REFERENCES) if section in targets}


def _gather(factory: Factory, edit: Edit) -> _Gathered:
    gathered = _Gathered()
    section = edit.section
    gathered.add(_by_keys(factory, "factory", ["factory"]))
    if edit.old is not None and edit.new is not None and section not in SINGLETONS:
        gathered.add(_by_keys(factory, section, [edit.key]))
    if edit.new_id is not None and edit.new_id != edit.old_id:  # a new id: whoever holds it already
        gathered.add(_by_keys(factory, IDENTIFIED_COLLECTIONS, [edit.new_id]))
    if edit.old_id is not None and edit.new_id != edit.old_id:  # the id goes away: whoever names it
        gathered.add(_naming(factory, _referring_sections(section), edit.old_id))
    if section == "assets" and edit.old is not None:
        if any((edit.old or {}).get(name) != (edit.new or {}).get(name) for name in PLACEMENT_READS):
            gathered.add(_naming(factory, ["conduits"], edit.key))
        if (edit.old or {}).get("type") != (edit.new or {}).get("type"):  # a lineage naming it reads its type
            gathered.add(_naming(factory, ["assets"], edit.key))
    if section == "conduits":
        gathered.add(_by_keys(factory, "assets", edit.values("from_assets") | edit.values("to_assets")))
        gathered.add(_by_keys(factory, "assets", edit.values("data")))
    if section in CYCLE_FIELDS:
        _follow_chain(factory, gathered, edit, CYCLE_FIELDS[section])
    if section in SMALL_KEYED:
        gathered.add(_rows(_live(factory).filter(section=section)))
    if section == KEYED_BY_SUBJECT:
        gathered.add(_answers_about(factory, edit.values("subject")))
    if section == "assets":
        linked = {edit.key} | set().union(*(edit.values(name) for name in PARTY_LINKS))
        gathered.add(_answers_about(factory, linked))
        gathered.add(_by_keys(factory, "assets", {*_lineage(edit.old), *_lineage(edit.new)} - {edit.key}))
    _close_checklist_scope(factory, gathered, edit)
    return gathered


def _answers_about(factory: Factory, subjects: set[str]) -> list[_Row]:
    if not subjects:
        return []
    return _rows(_live(factory).filter(section=KEYED_BY_SUBJECT, payload__subject__in=sorted(subjects)))


def _follow_chain(factory: Factory, gathered: _Gathered, edit: Edit, link: str) -> None:
    """The entries up the ``link`` chain from the edited one (a cycle through it is then seen whole)."""
    seen = {edit.key}
    current = (edit.new or {}).get(link)
    while isinstance(current, str) and current not in seen:
        seen.add(current)
        found = _by_keys(factory, edit.section, [current])
        if not found:
            return
        gathered.add(found)
        current = found[0].payload.get(link) if isinstance(found[0].payload, dict) else None


def _close_checklist_scope(factory: Factory, gathered: _Gathered, edit: Edit) -> None:
    """With checklist answers in the excerpt: their subjects, every party, and every asset linked to a party subject."""
    answers = [row.payload for row in gathered.rows.values() if row.section == KEYED_BY_SUBJECT]
    if edit.section == KEYED_BY_SUBJECT and edit.new is not None:
        answers.append(edit.new)
    if not answers:
        return
    subjects: set[str] = {a["subject"] for a in answers if isinstance(a, dict) and isinstance(a.get("subject"), str)}
    gathered.add(_rows(_live(factory).filter(section="parties")))
    gathered.add(_by_keys(factory, "assets", subjects))
    parties = {key for (section, key) in gathered.rows if section == "parties"}
    for party in sorted(subjects & parties):
        gathered.add(
            _rows(
                _live(factory).filter(
                    Q(section="assets"), Q(*(Q(**{f"payload__{name}": party}) for name in PARTY_LINKS), _connector="OR")
                )
            )
        )


def _indices(factory: Factory, section: str, rows: list[_Row], edit: Edit) -> dict[tuple[str, str], int]:
    """The index each row has in the whole model's section (the edited element deleted or appended as the edit says)."""
    live = _live(factory).filter(section=section)
    if edit.section == section and edit.new is None:
        live = live.exclude(key=edit.key)
    if len(rows) > _MANY:
        order = {pk: index for index, (pk,) in enumerate(_fetch(live.order_by("position", "pk").values_list("pk")))}
        return {(section, row.key): order[row.pk] for row in rows}
    return {
        (section, row.key): _count(live.filter(Q(position__lt=row.position) | Q(position=row.position, pk__lt=row.pk)))
        for row in rows
    }


def _count(query: Any) -> int:
    return int(_fetch(query.order_by().values_list("pk"), count=True)[0][0])


def _ids(factory: Factory, sections: set[str], edit: Edit) -> dict[str, set[str]]:
    """The whole model's ids in each of ``sections``, the edit applied."""
    wanted = sorted(sections & set(IDENTIFIED_COLLECTIONS))
    ids: dict[str, set[str]] = {name: set() for name in wanted}
    for section, key in _fetch(_live(factory).filter(section__in=wanted).values_list("section", "key")):
        ids[section].add(key)
    if edit.section in ids:
        if edit.old_id is not None:
            ids[edit.section].discard(edit.old_id)
        if edit.new_id is not None:
            ids[edit.section].add(edit.new_id)
    return ids


@dataclass(frozen=True)
class ExcerptPlaces:
    """The excerpt and, for each place ``(section, index)`` in the whole model it covers, the element's stored key."""

    excerpt: Excerpt
    keys: dict[tuple[str, int], str]


def build_excerpt(factory: Factory, edit: Edit) -> ExcerptPlaces:
    """The excerpt of the factory's model that the checks of ``edit`` read, the edit applied."""
    gathered = _gather(factory, edit)
    edited = (
        (edit.section, edit.key) if edit.old is not None else None
    )  # a new element: a live row with its key is another
    rows = [row for identity, row in gathered.rows.items() if identity != edited]
    data: dict[str, Any] = {}
    indices: dict[str, list[int]] = {}
    keys: dict[tuple[str, int], str] = {}
    by_section: dict[str, list[tuple[int, str, Any]]] = {}
    for section in {row.section for row in rows} | {edit.section}:
        if section in SINGLETONS:
            continue
        mine = [row for row in rows if row.section == section]
        stored = gathered.rows.get(edited) if edited is not None and section == edit.section else None
        placed = _indices(
            factory, section, mine + ([stored] if stored is not None and edit.new is not None else []), edit
        )
        entries = [(placed[(section, row.key)], row.key, row.payload) for row in mine]
        if section == edit.section and edit.new is not None:
            index = (
                placed[(section, edit.key)]
                if stored is not None
                else _count(_live(factory).filter(section=section))  # a new element goes last
            )
            entries.append((index, edit.key, edit.new))
        by_section[section] = sorted(entries, key=lambda entry: entry[0])
    for row in rows:
        if row.section in SINGLETONS:
            data[row.section] = row.payload
    if edit.section in SINGLETONS:
        if edit.new is not None:
            data[edit.section] = edit.new
        else:
            data.pop(edit.section, None)
    for section, entries in by_section.items():
        if not entries:
            continue
        data[section] = [payload for _, _, payload in entries]
        indices[section] = [index for index, _, _ in entries]
        keys.update({(section, index): key for index, key, _ in entries})
    targets = {
        target
        for source, path, names in (*REFERENCES, *SINGLE_REFERENCES)
        if source in data and (path != LINEAGE_PATH or any(_lineage(entry) for entry in data[source]))
        for target in names
    }
    return ExcerptPlaces(Excerpt(data, indices, _ids(factory, targets, edit)), keys)


LINEAGE_PATH = ("data", "derived_from", "*")
"""The one reference from an asset to other assets: only an excerpt holding a lineage needs every asset's id (for the
unknown ones' 'did you mean'); the assets a lineage names are gathered themselves (their type is checked)."""


def _lineage(payload: object) -> list[str]:
    """The ids an asset's ``data.derived_from`` names."""
    attributes = payload.get("data") if isinstance(payload, dict) else None
    named = attributes.get("derived_from") if isinstance(attributes, dict) else None
    return [item for item in named if isinstance(item, str)] if isinstance(named, list) else []


def edit_problems(factory: Factory, edit: Edit) -> list[tuple[str, str | None, str, str, str]]:
    """``(section, key, field, message, hint)`` of each problem ``factorysec check`` would find in the model with ``edit``."""
    places = build_excerpt(factory, edit)
    found = []
    for problem in check_excerpt(places.excerpt, load_catalog()):
        section, index, rest = _split(problem.field)
        key = section if section in SINGLETONS else places.keys.get((section, index)) if index is not None else None
        found.append((section, key, rest, problem.message, problem.hint))
    return found


def _split(field_text: str) -> tuple[str, int | None, str]:
    head, _, rest = field_text.partition(".")
    if "[" in head:
        section, _, index = head.partition("[")
        return section, int(index.rstrip("]")), rest
    return head, None, rest
