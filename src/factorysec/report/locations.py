"""Where a finding's subject was written: the model path of a subject, and its place in the source files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from factorysec.analysis.findings import Subject
from factorysec.model.entities import FactoryModel
from factorysec.model.loader import LoadedModel
from factorysec.model.yamlio import Path_

SECTION_OF_KIND: dict[str, str] = {
    "zone": "zones",
    "asset": "assets",
    "conduit": "conduits",
    "operation": "operations",
    "party": "parties",
    "department": "departments",
}


@dataclass(frozen=True)
class SourcePlace:
    """A file (relative, forward slashes when below the working folder), line and column, and a place name for files without lines."""

    uri: str
    line: int
    column: int
    place: str = ""


def subject_path(model: FactoryModel, subject: Subject) -> Path_:
    """The model path of the element a subject names, e.g. ``("zones", 3)``; ``("factory",)`` when not found."""
    section = SECTION_OF_KIND.get(subject.kind)
    if section is None:
        return ("factory",)
    for index, element in enumerate(getattr(model, section)):
        if element.id == subject.id:
            return (section, index)
    return ("factory",)


def file_uri(display: str) -> str:
    """A SARIF-friendly URI: relative paths with forward slashes, absolute ones as file: URIs."""
    path = Path(display)
    return path.as_uri() if path.is_absolute() else path.as_posix()


def place_of(loaded: LoadedModel, subject: Subject) -> SourcePlace:
    """Where the subject's element was written in the model's files."""
    path = subject_path(loaded.model, subject)
    file, line, column = loaded.sources.locate(path)
    return SourcePlace(file_uri(file), line, column, loaded.sources.place(path))
