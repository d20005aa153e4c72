"""A change file (what ``factorysec review CHANGE`` reads) uploaded into a change request: its edits against the live model or the draft.

The file's ``change: {base: ...}`` names a model beside it on disk. Here the
base is the factory as the workspace holds it (or the change's draft, when a
change file revises one): it is written under the name the header gives, in a
private temporary folder, so the CLI's own loader reads the file and reports
problems with the uploaded file's name, line and field. A base that climbs out of
the change file's folder (``../annex-a/current``, as the bundled examples name
theirs) is written as it names it: the change file goes as many folders deep in the
temporary folder as the base climbs, so nothing is written outside it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

from django.utils.translation import gettext as _

from factorysec.catalog import load_catalog
from factorysec.model import ModelInputError, dump_model, load_model_with_sources
from factorysec.model.entities import COLLECTIONS, IDENTIFIED_COLLECTIONS, SINGLETONS, FactoryModel
from factorysec.workspace.factories.sections import reader_language
from factorysec.workspace.factories.store import SECTIONS, element_payload
from factorysec.yamlio import YamlReadError, parse_yaml_text

MAX_CHANGE_FILE_BYTES = 2 * 1024 * 1024
MAX_NAME_BYTES = 255
"""What one part of a path may take in UTF-8 on the file systems the temporary folder lives on (NAME_MAX)."""
MAX_BASE_BYTES = 1024
"""What the whole ``base`` may take: well under PATH_MAX (4096) with the temporary folder before it."""


class UploadError(ValueError):
    """The upload is not a change file the CLI accepts; ``problems`` are one line each (file:line:column: field: message)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def _base_name(name: str, text: str) -> str:
    """The ``base`` the header names, if it is a relative path (not absolute, no backslash).

    The file is read by the CLI's own YAML reader, so a syntax error is said as ``check --lang`` says it, in the page's
    language; so are the workspace's own refusals (the messages of its catalog, ``django.po``).
    """
    try:
        document = parse_yaml_text(text, name, record_locations=False).data
    except YamlReadError as error:
        raise UploadError([p.render(reader_language()) for p in error.problems]) from None
    header = document.get("change") if isinstance(document, dict) else None
    base = header.get("base") if isinstance(header, dict) else None
    if not isinstance(base, str) or not base.strip():
        raise UploadError(
            [
                _(
                    "%(name)s:1:1: change: not a change file (it needs a 'change: {base: ...}' header, as"
                    " 'factorysec review' reads)"
                )
                % {"name": name}
            ]
        )
    pure = PurePosixPath(base)
    if pure.is_absolute() or "\\" in base:
        raise UploadError(
            [
                _(
                    "%(name)s: change.base: '%(base)s' must be a path relative to the change file, with '/' between"
                    " folders; the workspace puts the factory's model there"
                )
                % {"name": name, "base": _shown(base)}
            ]
        )
    unusable = _unusable_name(base, MAX_BASE_BYTES)
    if unusable:
        raise UploadError([f"{name}: change.base: '{_shown(base)}' {unusable}"])
    return base


def _unusable_name(name: str, limit: int) -> str:
    """Why ``name`` cannot be written as a relative path in the temporary folder ('' when it can)."""
    if "\0" in name:
        return _("holds a NUL character, which no file name may hold")
    try:
        encoded = name.encode("utf-8")
    except UnicodeEncodeError:
        return _("holds a character that cannot be written in a file name (a lone surrogate)")
    if len(encoded) > limit:
        return _("is longer than the %(limit)s bytes (UTF-8) a file name may have here") % {"limit": limit}
    for part in PurePosixPath(name).parts:
        if len(part.encode("utf-8")) > MAX_NAME_BYTES:
            return _("has a part longer than the %(limit)s bytes (UTF-8) a file name may have") % {
                "limit": MAX_NAME_BYTES
            }
    return ""


def _shown(text: str, limit: int = 60) -> str:
    """``text`` cut for a message line (a name of thousands of characters would bury the message)."""
    return text if len(text) <= limit else text[:limit] + "…"


def read_change_file(name: str, content: bytes, base: FactoryModel) -> FactoryModel:
    """The model the change file makes of ``base``, checked as ``factorysec review`` checks it; :class:`UploadError` otherwise."""
    safe_name = Path(name).name or "change.yaml"
    if len(content) > MAX_CHANGE_FILE_BYTES:
        raise UploadError(
            [
                _("%(name)s: larger than the %(limit)s bytes a change file may have")
                % {"name": safe_name, "limit": MAX_CHANGE_FILE_BYTES}
            ]
        )
    if Path(safe_name).suffix.lower() not in (".yaml", ".yml"):
        raise UploadError([_("%(name)s: not a .yaml or .yml change file") % {"name": _shown(safe_name)}])
    unusable = _unusable_name(safe_name, MAX_NAME_BYTES)
    if unusable:
        raise UploadError(
            [
                _("%(name)s: the file name %(why)s; rename the file and upload it again")
                % {"name": _shown(safe_name), "why": unusable}
            ]
        )
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UploadError(
            [_("%(name)s: byte %(byte)s: not UTF-8 text") % {"name": safe_name, "byte": error.start}]
        ) from None
    base_name = _base_name(safe_name, text)
    with tempfile.TemporaryDirectory(prefix="factorysec-change-") as folder:
        root = Path(folder)
        climbs = PurePosixPath(base_name).parts.count("..")
        target = root.joinpath(*(f"d{depth}" for depth in range(climbs)), safe_name)
        base_path = target.parent / base_name
        if not base_path.resolve().is_relative_to(root.resolve()):  # cannot be: the change file sits deep enough
            raise UploadError(
                [
                    _("%(name)s: change.base: '%(base)s' leads out of the change's folder")
                    % {"name": safe_name, "base": _shown(base_name)}
                ]
            )
        if base_path.resolve() == target.resolve():
            raise UploadError(
                [_("%(name)s: change.base: the change file cannot be its own base") % {"name": safe_name}]
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        try:
            base_path.parent.mkdir(parents=True, exist_ok=True)
            if base_path.suffix.lower() in (".yaml", ".yml"):
                base_path.write_text(dump_model(base), encoding="utf-8")
            else:
                base_path.mkdir(parents=True, exist_ok=True)
                (base_path / "model.yaml").write_text(dump_model(base), encoding="utf-8")
        except (OSError, ValueError) as error:  # a name the checks above let through that the file system still refuses
            reason = getattr(error, "strerror", None) or str(error)
            raise UploadError(
                [
                    _("%(name)s: change.base: '%(base)s' cannot be written as a file here (%(reason)s)")
                    % {"name": safe_name, "base": _shown(base_name), "reason": reason}
                ]
            ) from None
        try:
            loaded = load_model_with_sources(target, load_catalog())
        except ModelInputError as error:
            lang = reader_language()  # the problems are shown on the page that uploaded the file, in its language
            raise UploadError(
                [
                    p.render(lang).replace(str(target.parent) + "/", "").replace(str(root) + "/", "")
                    for p in error.problems
                ]
            ) from None
    return loaded.model


def element_changes(
    before: FactoryModel, after: FactoryModel, before_keys: dict[str, list[str]]
) -> list[tuple[str, str | None, dict[str, Any] | None]]:
    """(section, key or None for new, payload or None for deleted) for every element that differs; keyless entries are matched by position."""
    changes: list[tuple[str, str | None, dict[str, Any] | None]] = []
    for section in SECTIONS:
        if section in SINGLETONS:
            old, new = getattr(before, section), getattr(after, section)
            old_payload = element_payload(old) if old is not None else None
            new_payload = element_payload(new) if new is not None else None
            if old_payload != new_payload:
                changes.append((section, section if old is not None else None, new_payload))
            continue
        if section not in COLLECTIONS:
            continue
        olds = [element_payload(e) for e in getattr(before, section)]
        news = [element_payload(e) for e in getattr(after, section)]
        if section in IDENTIFIED_COLLECTIONS:
            old_by = {p["id"]: p for p in olds}
            new_by = {p["id"]: p for p in news}
            for ident, payload in new_by.items():
                if ident not in old_by:
                    changes.append((section, None, payload))
                elif old_by[ident] != payload:
                    changes.append((section, ident, payload))
            changes.extend((section, ident, None) for ident in old_by if ident not in new_by)
        else:
            keys = before_keys.get(section, [])
            for index, payload in enumerate(news):
                if index < len(olds):
                    if olds[index] != payload:
                        changes.append((section, keys[index], payload))
                else:
                    changes.append((section, None, payload))
            changes.extend((section, keys[index], None) for index in range(len(news), len(olds)))
    return changes
