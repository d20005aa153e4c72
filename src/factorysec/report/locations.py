"""Where a finding's subject was written: the model path of a subject, and its place in the source files."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from factorysec.analysis.findings import Subject
from factorysec.model.entities import FactoryModel
from factorysec.model.loader import LoadedModel
from factorysec.yamlio import Path_

SECTION_OF_KIND: dict[str, str] = {
    "zone": "zones",
    "asset": "assets",
    "conduit": "conduits",
    "operation": "operations",
    "party": "parties",
    "department": "departments",
    "requirement": "requirements",
}


@dataclass(frozen=True)
class SourcePlace:
    """A file (relative, forward slashes when below the working folder), line and column, and a place name for files without lines."""

    uri: str
    line: int
    column: int
    place: str = ""


class SubjectPaths:
    """The model path of the element each subject names, for many subjects of one model.

    Each section's ids are indexed once, when a subject of that kind is first
    asked for (the first element of an id wins, as a walk through the section
    would find it): looking every subject up by walking its section cost
    findings x elements, hours for a SARIF log of a 100k-asset model.
    """

    def __init__(self, model: FactoryModel) -> None:
        self._model = model
        self._positions: dict[str, dict[str, int]] = {}

    def __call__(self, subject: Subject) -> Path_:
        """The path of the subject's element, e.g. ``("zones", 3)``; ``("factory",)`` when not found."""
        section = SECTION_OF_KIND.get(subject.kind)
        if section is None:
            return ("factory",)
        positions = self._positions.get(section)
        if positions is None:
            positions = self._positions[section] = {}
            for index, element in enumerate(getattr(self._model, section)):
                positions.setdefault(element.id, index)
        position = positions.get(subject.id)
        return ("factory",) if position is None else (section, position)


@lru_cache(maxsize=256)
def file_uri(display: str) -> str:
    """A SARIF-friendly URI: relative paths with forward slashes, absolute ones as file: URIs (remembered: a model has
    a few files and a SARIF log one location per finding, 39k at 100k assets)."""
    path = Path(display)
    return path.as_uri() if path.is_absolute() else path.as_posix()


def place_of(loaded: LoadedModel, subject: Subject, paths: SubjectPaths | None = None) -> SourcePlace:
    """Where the subject's element was written in the model's files; ``paths``: the model's :class:`SubjectPaths`, when placing many subjects."""
    path = (paths or SubjectPaths(loaded.model))(subject)
    file, line, column = loaded.sources.locate(path)
    return SourcePlace(file_uri(file), line, column, loaded.sources.place(path))


def model_folder(loaded: LoadedModel) -> Path:
    """The folder of the model's own files (a change file's, not its base's): the one folder a report names files from.

    The folder holding them all: a file's parent, or the folder a folder model was read from (or the sub-folder
    holding every file of it)."""
    base = set(loaded.base.sources.files) if loaded.base is not None else set()
    files = loaded.sources.files
    own = [path for display, path in files.items() if display not in base] or list(files.values())
    if not own:
        return Path.cwd().resolve()
    return Path(os.path.commonpath([path.resolve().parent for path in own]))


class SourceTexts:
    """Where each subject's element is written, as a report shows it: ``zones/plant.yaml:12`` or
    ``model.xlsx: sheet 'Assets' row 5``, the file named relative to :func:`model_folder` (a file outside it, such
    as a change file's base elsewhere, by its name alone: a report never shows an absolute path or one outside).

    It places each element as :func:`place_of` does, from the lines noted while the model was first read (or each file
    read once with its positions), and names each file and subject once: a report of 100k assets places 39k findings.
    """

    def __init__(self, loaded: LoadedModel) -> None:
        self._sources = loaded.sources
        self._paths = SubjectPaths(loaded.model)
        self._folder = model_folder(loaded)
        self._files: dict[str, str] = {}
        self._texts: dict[tuple[str, str], str] = {}

    def _file(self, display: str) -> str:
        shown = self._files.get(display)
        if shown is None:
            path = self._sources.files.get(display)
            if path is None:
                shown = Path(display).name
            else:
                resolved = path.resolve()
                try:
                    shown = resolved.relative_to(self._folder).as_posix()
                except ValueError:
                    shown = resolved.name
            self._files[display] = shown
        return shown

    def __call__(self, subject: Subject) -> str:
        key = (subject.kind, subject.id)
        text = self._texts.get(key)
        if text is None:
            path = self._paths(subject)
            display, line, _ = self._sources.locate(path)
            place = self._sources.place(path)
            if place.startswith(display):
                text = self._file(display) + place[len(display) :]
            else:
                text = f"{self._file(display)}:{line}"
            self._texts[key] = text
        return text
