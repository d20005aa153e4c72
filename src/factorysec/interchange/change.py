"""An imported model written as a change file against an existing model, so that it goes through ``factorysec review``."""

from __future__ import annotations

from typing import Any

from factorysec.model.entities import COLLECTIONS, IDENTIFIED_COLLECTIONS, FactoryModel


def _dump(entry: Any) -> dict[str, Any]:
    result: dict[str, Any] = entry.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    return result


def change_document(
    base: FactoryModel, imported: FactoryModel, base_reference: str, title: str
) -> tuple[dict[str, Any], list[str]]:
    """The change that turns ``base`` into ``imported``, and what a change file cannot say (to report).

    An entry with an id that changed is removed and added again (a change file's ``modify`` merges
    fields and could not clear one); entries of sections without ids can only be added.
    """
    add: dict[str, Any] = {}
    remove: dict[str, list[str]] = {}
    modify: dict[str, Any] = {}
    not_carried: list[str] = []
    for section in COLLECTIONS:
        before, after = getattr(base, section), getattr(imported, section)
        if section in IDENTIFIED_COLLECTIONS:
            old = {e.id: e for e in before}
            new = {e.id: e for e in after}
            gone = [e.id for e in before if e.id not in new or new[e.id] != e]
            added = [_dump(e) for e in after if e.id not in old or old[e.id] != e]
            if gone:
                remove[section] = gone
            if added:
                add[section] = added
            continue
        extra = [_dump(e) for e in after if e not in before]
        if extra:
            add[section] = extra
        lost = [e for e in before if e not in after]
        if lost:
            not_carried.append(
                f"{len(lost)} {section} entr{'y' if len(lost) == 1 else 'ies'} of the base not in the import (a change file cannot remove entries without ids)"
            )
    if base.factory != imported.factory:
        modify["factory"] = imported.factory.model_dump(mode="json", by_alias=True)
    if imported.bcp is not None and base.bcp != imported.bcp:
        (modify if base.bcp is not None else add)["bcp"] = imported.bcp.model_dump(mode="json", by_alias=True)
    elif imported.bcp is None and base.bcp is not None:
        remove["bcp"] = []
    document: dict[str, Any] = {"change": {"base": base_reference, "title": title}}
    for key, value in (("remove", remove), ("modify", modify), ("add", add)):
        if value:
            document[key] = value
    return document, not_carried
