"""Where a finding's subject was written: the model path of a subject, and its place in the source files."""

from __future__ import annotations

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
