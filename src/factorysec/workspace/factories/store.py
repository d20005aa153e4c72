"""Between the element rows and a :class:`FactoryModel`: build, validate, import, export, save one element.

Validation is the model's own: a candidate document is built from the stored
elements with the change applied and handed to
:func:`factorysec.model.loader.validate_document`, the function behind
``factorysec check``. Its problems are then tied back to the element and the
field they name, so a form shows the check's own message on the field.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Max
from pydantic import BaseModel

from factorysec.catalog import load_catalog
from factorysec.model import ModelInputError, dump_model, model_digest
from factorysec.model.entities import COLLECTIONS, IDENTIFIED_COLLECTIONS, SINGLETONS, FactoryModel
from factorysec.model.introspect import unwrap_annotation
from factorysec.model.loader import validate_document
from factorysec.model.sources import SourcedDocument, SourceMap
from factorysec.problems import Said, say
from factorysec.workspace.factories.digests import element_digest, model_label
from factorysec.workspace.factories.models import (
    Element,
    ElementSet,
    ElementVersion,
    Factory,
    SectionCount,
    Snapshot,
    search_text,
)
from factorysec.workspace.factories.neighbours import Edit, edit_problems
from factorysec.workspace.factories.signals import elements_imported
from factorysec.workspace.factories.validators import uncarriable_in
from factorysec.yamlio import may_escape_uncarriable

SECTIONS: tuple[str, ...] = tuple(FactoryModel.model_fields)
"""Every section of the model, in the schema's order (singletons first)."""

KEYLESS_PREFIX = "item-"
"""Stored keys of entries in sections without ids (OODA roles, maturity, checklist answers, responsibilities)."""

_FIELD = re.compile(r"^(?P<section>[a-z_]+)(?:\[(?P<index>\d+)\])?(?:\.(?P<rest>.*))?$")

User = AbstractBaseUser | AnonymousUser | None


@dataclass(frozen=True)
class ElementProblem:
    """A problem the model's check found, tied to an element (``key`` None: the model as a whole) and a field inside it."""

    section: str
    key: str | None
    field: str
    message: str
    hint: str = ""

    @property
    def top_field(self) -> str:
        """The element's own field the problem sits in (``importance`` for ``importance.safety``)."""
        return re.split(r"[.\[]", self.field, maxsplit=1)[0] if self.field else ""

    def __str__(self) -> str:
        return self.render("en")

    def said(self, lang: str) -> str:
        """The message and its hint in ``lang`` (as ``check --lang`` says them), without the element and field."""
        hint = f" ({say(self.hint, lang)})" if self.hint else ""
        return f"{say(self.message, lang)}{hint}"

    def render(self, lang: str) -> str:
        """The problem's line, ``section/key: field: message (hint)``, the message and hint in ``lang``."""
        where = f"{self.section}/{self.key}" if self.key else self.section
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.said(lang)}"


class StoreError(Exception):
    """The change was refused: the model's check found ``problems``; ``target`` is the element being changed, when one is."""

    def __init__(self, problems: list[ElementProblem], target: tuple[str, str] | None = None) -> None:
        self.problems = problems
        self.target = target
        super().__init__("; ".join(map(str, problems)))

    def on_target(self) -> list[ElementProblem]:
        """Problems inside the element being changed (shown on its fields)."""
        return [p for p in self.problems if self.target is not None and (p.section, p.key) == self.target]

    def elsewhere(self) -> list[ElementProblem]:
        """Problems the change causes in other elements or the model as a whole (e.g. references left dangling)."""
        return [p for p in self.problems if self.target is None or (p.section, p.key) != self.target]


class StoredModelError(Exception):
    """The factory's stored model does not pass this version's check: a workspace database written by an older version,
    whose check was less strict, holds what this one refuses (a value listed twice, a non-finite number ...).

    Not a :class:`StoreError`: that is a change refused for its own content, which the page or call making it answers
    itself (422, the problems on the form); this is the state of the factory, whatever the request, so a handler of
    refused changes never takes it for one. Raised by :func:`factory_model` (and by a change request's draft actions,
    which review against the stored model); an element edit never raises it (it is checked on the element and the
    entries its checks read), so the problems are corrected in the workspace. Escaping a page, it is shown by
    :class:`~factorysec.workspace.factories.stale.StoredModelMiddleware`; escaping the API, by its exception handler;
    escaping a job, the job fails with the problems (:func:`~factorysec.workspace.factories.jobs.run_job`).
    """

    def __init__(self, problems: list[ElementProblem], factory: Factory) -> None:
        self.problems = problems
        self.factory = factory
        super().__init__(f"factory '{factory.slug}': " + "; ".join(map(str, problems)))


def stored_text_problems(factory: Factory) -> list[ElementProblem]:
    """The texts of the factory's stored elements that a model may not hold (a control character, half a surrogate
    pair), with the check's message: what an earlier version of the workspace could store (see
    :mod:`~factorysec.workspace.factories.validators`) and a workbook cannot. Looked for only once an output has
    failed on such a text: reading every text of a large model at each load would cost about a second per 100,000
    assets."""
    return [
        problem for row in live_rows(factory) for problem in uncarriable_problems(row.section, row.key, row.payload)
    ]


def text_refused(factory: Factory, reason: str) -> StoredModelError:
    """The error to raise when writing ``factory``'s model to a workbook or a model file failed on a text (the writer
    or reader says why in ``reason``): the elements and fields holding such text, or ``reason`` when none is found."""
    return StoredModelError(stored_text_problems(factory) or [ElementProblem("", None, "", reason)], factory)


def refusal_summary(problems: Sequence[object]) -> str:
    """The words every warning about a stored model that does not pass uses: how many problems, and the first."""
    count = len(problems)
    first = f"; first: {problems[0]}" if problems else ""
    return f"its stored model does not pass this version's check ({count} problem{'s' if count != 1 else ''}{first})"


def item_class(section: str) -> type[BaseModel]:
    """The pydantic class of one element of ``section`` (the entry class of a list section)."""
    if section not in SECTIONS:
        raise KeyError(section)
    annotation = unwrap_annotation(FactoryModel.model_fields[section].annotation)
    if section in COLLECTIONS:
        annotation = typing.get_args(annotation)[0]
    if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        raise TypeError(f"section {section} does not hold pydantic models")
    return annotation


def element_payload(entity: BaseModel) -> dict[str, Any]:
    """How an element is stored: as the model writes it (JSON types, aliases, defaults left out)."""
    payload: dict[str, Any] = entity.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    return payload


def live_elements(factory: Factory) -> list[Element]:
    """The factory's live elements in model order: sections in schema order, then position."""
    order = {name: index for index, name in enumerate(SECTIONS)}
    rows = list(Element.objects.filter(factory=factory, payload__isnull=False).order_by("position", "pk"))
    rows.sort(key=lambda row: order.get(row.section, len(order)))
    return rows


class LiveRow(typing.NamedTuple):
    """What a candidate model needs of a stored element (no model instance: a 100,000-asset factory loads fast)."""

    section: str
    key: str
    payload: Any


def live_rows(factory: Factory) -> list[LiveRow]:
    """Section, key and payload of the factory's live elements, in model order (as :func:`live_elements`)."""
    order = {name: index for index, name in enumerate(SECTIONS)}
    rows = [
        LiveRow(*values)
        for values in Element.objects.filter(factory=factory, payload__isnull=False)
        .order_by("position", "pk")
        .values_list("section", "key", "payload")
    ]
    rows.sort(key=lambda row: order.get(row.section, len(order)))
    return rows


@dataclass
class _Candidate:
    data: dict[str, Any]
    keys: dict[str, list[str]]


def _candidate(
    elements: Iterable[LiveRow],
    changes: Mapping[tuple[str, str], dict[str, Any] | None],
    added: tuple[str, str, dict[str, Any]] | None,
) -> _Candidate:
    """The raw document of the stored elements with ``changes`` (None: deleted) and one ``added`` element applied."""
    data: dict[str, Any] = {}
    keys: dict[str, list[str]] = {}
    for row in elements:
        payload = changes.get((row.section, row.key), row.payload)
        if payload is None:
            continue
        if row.section in SINGLETONS:
            data[row.section] = payload
        else:
            data.setdefault(row.section, []).append(payload)
            keys.setdefault(row.section, []).append(row.key)
    if added is not None:
        section, key, payload = added
        if section in SINGLETONS:
            data[section] = payload
        else:
            data.setdefault(section, []).append(payload)
            keys.setdefault(section, []).append(key)
    return _Candidate(data, keys)


def validate_candidate(candidate: _Candidate) -> FactoryModel:
    """Validate a raw document with ``factorysec check``'s own function; raise :class:`StoreError` with its problems per element."""
    try:
        return validate_document(SourcedDocument(candidate.data, SourceMap({}, {}, {})), load_catalog()).model
    except ModelInputError as error:
        raise StoreError(
            [_tie(problem.field, problem.message, problem.hint, candidate.keys) for problem in error.problems]
        ) from None


def _tie(field: str, message: str, hint: str, keys: dict[str, list[str]]) -> ElementProblem:
    match = _FIELD.match(field)
    if match is None:
        return ElementProblem("", None, field, message, hint)
    section, index, rest = match["section"], match["index"], match["rest"] or ""
    if section in SINGLETONS:
        return ElementProblem(section, section, rest, message, hint)
    if index is None:
        return ElementProblem(section, None, rest, message, hint)
    section_keys = keys.get(section, [])
    position = int(index)
    key = section_keys[position] if position < len(section_keys) else None
    return ElementProblem(section, key, rest, message, hint)


def factory_model(factory: Factory) -> FactoryModel:
    """The factory's model, validated as ``check`` does.

    Every change is checked before it is stored, but a later version's check may refuse what an earlier one stored:
    then :class:`StoredModelError` names the factory and the check's problems per element.
    """
    try:
        return validate_candidate(_candidate(live_rows(factory), {}, None))
    except StoreError as error:
        raise StoredModelError(error.problems, factory) from None


def element_set_label(model: FactoryModel) -> str:
    """The element-set digest of ``model`` computed from scratch (:mod:`~factorysec.workspace.factories.digests`): what the
    store keeps for a factory holding exactly this model, and what an auditor can recompute from an export."""
    pairs: list[tuple[str, Any]] = []
    for section in SECTIONS:
        value = getattr(model, section)
        entries: list[BaseModel] = list(value) if section in COLLECTIONS else ([value] if value is not None else [])
        pairs += [(section, element_payload(entry)) for entry in entries]
    return model_label(pairs)


def export_yaml(factory: Factory) -> str:
    """The factory's model as one YAML file that ``factorysec check`` and ``analyze`` read.

    Text an earlier version stored that a model file may not hold (a control character) is written escaped, and the
    reader refuses the escape: :class:`StoredModelError` is raised instead, naming the elements and fields
    (:func:`stored_text_problems`, read only when the written YAML holds what may be such an escape)."""
    text = dump_model(factory_model(factory))
    if may_escape_uncarriable(text) and (problems := stored_text_problems(factory)):
        raise StoredModelError(problems, factory)
    return text


def _record(row: Element, user: User, comment: str) -> ElementVersion:
    return ElementVersion.objects.create(
        element=row,
        version=row.version,
        position=row.position,
        payload=row.payload,
        author=_author(user),
        comment=comment[:500],
    )


def _author(user: User) -> Any:
    return user if user is not None and user.is_authenticated else None


def _keys_for(section: str, entries: list[BaseModel]) -> list[str]:
    if section in SINGLETONS:
        return [section] * len(entries)
    if section in IDENTIFIED_COLLECTIONS:
        return [str(getattr(entry, "id")) for entry in entries]  # noqa: B009 -- identified sections have an id
    return [f"{KEYLESS_PREFIX}{index + 1}" for index in range(len(entries))]


_BULK = 2000


@transaction.atomic
def import_model(factory: Factory, model: FactoryModel, user: User = None, comment: str = "import") -> int:
    """Make the factory's live elements exactly ``model``'s; return how many elements changed (new versions written).

    Elements whose payload and position are unchanged keep their version;
    elements missing from ``model`` are deleted (a version with no payload).
    """
    ElementSet.changes_of(factory.pk, lock=True)  # the element set before any element: the order every writer keeps
    existing = {(row.section, row.key): row for row in Element.objects.select_for_update().filter(factory=factory)}
    seen: set[tuple[str, str]] = set()
    changed = 0
    created: list[Element] = []
    for section in SECTIONS:
        value = getattr(model, section)
        entries: list[BaseModel] = list(value) if section in COLLECTIONS else ([value] if value is not None else [])
        for position, (key, entry) in enumerate(zip(_keys_for(section, entries), entries, strict=True)):
            payload = element_payload(entry)
            seen.add((section, key))
            row = existing.get((section, key))
            if row is None:
                created.append(
                    Element(
                        factory=factory,
                        section=section,
                        key=key,
                        position=position,
                        payload=payload,
                        updated_by=_author(user),
                        search=search_text(key, payload),
                        digest=element_digest(section, payload),
                    )
                )
                continue
            if row.payload == payload and row.position == position:
                continue
            row.version += 1
            row.payload, row.position, row.updated_by = payload, position, _author(user)
            row.save()
            _record(row, user, comment)
            changed += 1
    for start in range(
        0, len(created), _BULK
    ):  # new elements in bulk: a 100,000-asset import is a few hundred statements
        batch = Element.objects.bulk_create(created[start : start + _BULK])
        ElementVersion.objects.bulk_create(
            [
                ElementVersion(
                    element=row,
                    version=row.version,
                    position=row.position,
                    payload=row.payload,
                    author=_author(user),
                    comment=comment[:500],
                )
                for row in batch
            ]
        )
    changed += len(created)
    for identity, row in existing.items():
        if identity not in seen and row.payload is not None:
            row.version += 1
            row.payload, row.updated_by = None, _author(user)
            row.save()
            _record(row, user, comment)
            changed += 1
    SectionCount.recount(factory.pk)
    if created:
        ElementSet.recount(factory.pk)
        per_section: dict[str, int] = {}
        for row in created:
            per_section[row.section] = per_section.get(row.section, 0) + 1
        elements_imported.send(sender=Factory, factory=factory, user=user, comment=comment, created=per_section)
    return changed


@transaction.atomic
def save_element(
    factory: Factory,
    section: str,
    key: str | None,
    payload: dict[str, Any],
    user: User = None,
    comment: str = "",
    locked: Element | None = None,
    checked: bool = False,
) -> Element:
    """Create (``key`` None) or replace one element after the whole model passes the check; raise :class:`StoreError` otherwise.

    The stored form is the validated element's own dump, so what is kept is
    exactly what the model holds. ``locked`` is the element's row when the
    caller already locked the factory's element set and then read this row
    ``select_for_update`` in this transaction (neither is read again).
    ``checked``: with ``locked``, the caller has already checked this very edit
    and confirmed under the lock that what the check read is unchanged
    (:func:`factorysec.workspace.changes.drafts.save_live_checked`).
    """
    if locked is None:
        # the element set's row first: every writer of the factory's elements locks it before any element's row, so
        # writers never wait for each other in a circle, and the check below sees no other writer's change half-done
        ElementSet.changes_of(factory.pk, lock=True)
    stored = stored_form(section, payload)
    if key is None:
        new_key = _new_key(factory, section, stored)
        old = None
    else:
        current = locked or Element.objects.select_for_update().get(factory=factory, section=section, key=key)
        old = current.payload
    target = (section, new_key if key is None else key)
    if not (checked and locked is not None):
        check_edit(factory, Edit(section, target[1], old, stored), target)
    if key is None:
        position = (
            Element.objects.filter(factory=factory, section=section).aggregate(top=Max("position"))["top"] or -1
        ) + 1
        row = Element.objects.filter(factory=factory, section=section, key=new_key).first()
        if row is None:
            row = Element.objects.create(
                factory=factory,
                section=section,
                key=new_key,
                position=position,
                payload=stored,
                updated_by=_author(user),
            )
        else:
            row.version += 1
            row.payload, row.position, row.updated_by = stored, position, _author(user)
            row.save()
    else:
        row = current
        row.factory = factory
        row.version += 1
        row.payload, row.updated_by = stored, _author(user)
        renamed = _identified_key(section, stored)
        if renamed is not None and renamed != row.key:
            _free_key(factory, section, renamed)
            row.key = renamed
        row.save()
    _record(row, user, comment or ("create" if key is None else "edit"))
    return row


class DeleteConflict(Exception):
    """The element was saved by someone else after the version the deleting page showed: nothing was deleted."""

    def __init__(self, section: str, key: str, expected: int, current_version: int, by: str) -> None:
        self.section, self.key, self.expected, self.current_version, self.by = (
            section,
            key,
            expected,
            current_version,
            by,
        )
        super().__init__(
            f"{section}/{key} was saved as version {current_version} by {by} after you read version {expected}"
        )


@transaction.atomic
def delete_element(
    factory: Factory,
    section: str,
    key: str,
    user: User = None,
    comment: str = "delete",
    expected_version: int | None = None,
) -> Element:
    """Delete one element if the model without it still passes the check (nothing refers to it); raise :class:`StoreError` otherwise.

    ``expected_version``: the version the deleting page showed; when the element has been saved since, nothing is
    deleted and :class:`DeleteConflict` says who saved which version, so that a delete never drops an edit unseen.
    """
    if section == "factory":
        raise StoreError(
            [ElementProblem(section, key, "", Said("store.factory_delete"), Said("store.factory_delete.hint"))]
        )
    ElementSet.changes_of(factory.pk, lock=True)  # the element set before the element: the order every writer keeps
    row = Element.objects.select_for_update().get(factory=factory, section=section, key=key, payload__isnull=False)
    if expected_version is not None and row.version != expected_version:
        by = row.updated_by.get_username() if row.updated_by is not None else "system"
        raise DeleteConflict(section, key, expected_version, row.version, str(by))
    check_edit(factory, Edit(section, key, row.payload, None), (section, key))
    row = Element.objects.select_for_update().get(factory=factory, section=section, key=key, payload__isnull=False)
    row.version += 1
    row.payload, row.updated_by = None, _author(user)
    row.save()
    _record(row, user, comment)
    return row


def check_edit(factory: Factory, edit: Edit, target: tuple[str, str]) -> None:
    """Raise :class:`StoreError` with ``factorysec check``'s problems if the model with ``edit`` would not pass it.

    Only the edited element and the entries its checks read are checked
    (:mod:`factorysec.workspace.factories.neighbours`), so an edit costs the
    same in a 100,000-asset factory as in a small one.
    """
    problems = uncarriable_problems(edit.section, target[1], edit.new)
    problems += [ElementProblem(*found) for found in edit_problems(factory, edit)]
    if problems:
        raise StoreError(problems, target)


def uncarriable_problems(section: str, key: str | None, payload: dict[str, Any] | None) -> list[ElementProblem]:
    """The texts of an element's ``payload`` that a model may not hold (control characters, lone surrogates), as
    ``factorysec check`` refuses them in a file (:mod:`factorysec.workspace.factories.validators`)."""
    return [ElementProblem(section, key, *problem) for problem in uncarriable_in(payload)]


def stored_form(section: str, payload: dict[str, Any]) -> dict[str, Any]:
    """What is stored for ``payload``: the validated element's own dump, or the payload as sent when it is not valid alone
    (the model's check then says why)."""
    try:
        entity = item_class(section).model_validate(payload)
    except Exception:
        return payload
    return element_payload(entity)


def _identified_key(section: str, payload: dict[str, Any]) -> str | None:
    if section in IDENTIFIED_COLLECTIONS and isinstance(payload.get("id"), str):
        return str(payload["id"])
    return None


def _new_key(factory: Factory, section: str, payload: dict[str, Any]) -> str:
    if section in SINGLETONS:
        return section
    identified = _identified_key(section, payload)
    if identified is not None:
        _free_key(factory, section, identified)
        return identified
    count = Element.objects.filter(factory=factory, section=section).count()
    taken = set(Element.objects.filter(factory=factory, section=section).values_list("key", flat=True))
    number = count + 1
    while f"{KEYLESS_PREFIX}{number}" in taken:
        number += 1
    return f"{KEYLESS_PREFIX}{number}"


def _free_key(factory: Factory, section: str, key: str) -> None:
    """Move a deleted element that held ``key`` aside, so that a new or renamed element can take the key (its history stays)."""
    old = Element.objects.filter(factory=factory, section=section, key=key, payload__isnull=True).first()
    if old is not None:
        old.key = f"{key}~deleted-{old.pk}"
        old.save(update_fields=["key"])


@transaction.atomic
def create_snapshot(factory: Factory, label: str, user: User = None) -> Snapshot:
    """Record the versions live now as a named snapshot, with the model's digest."""
    model = factory_model(factory)
    snapshot = Snapshot.objects.create(
        factory=factory, label=label, digest=model_digest(model), created_by=_author(user)
    )
    live = live_elements(factory)
    versions = ElementVersion.objects.filter(element__in=live)
    current = {(row.pk, row.version) for row in live}
    snapshot.versions.set([v for v in versions if (v.element_id, v.version) in current])
    return snapshot


def snapshot_model(snapshot: Snapshot) -> FactoryModel:
    """The model as it was when ``snapshot`` was taken."""
    order = {name: index for index, name in enumerate(SECTIONS)}
    versions = sorted(
        snapshot.versions.select_related("element"), key=lambda v: (order[v.element.section], v.position, v.element_id)
    )
    data: dict[str, Any] = {}
    keys: dict[str, list[str]] = {}
    for version in versions:
        section = version.element.section
        if section in SINGLETONS:
            data[section] = version.payload
        else:
            data.setdefault(section, []).append(version.payload)
            keys.setdefault(section, []).append(version.element.key)
    return validate_candidate(_Candidate(data, keys))
