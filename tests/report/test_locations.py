"""A subject's model path: the indexed look-up gives what a walk through the subject's section gives."""

from __future__ import annotations

import pytest

from factorysec.analysis.findings import Subject
from factorysec.model.entities import FactoryModel
from factorysec.report.locations import SECTION_OF_KIND, SubjectPaths
from factorysec.yamlio import Path_


def walked_path(model: FactoryModel, subject: Subject) -> Path_:
    """The plain way: the first element of the subject's section with its id."""
    section = SECTION_OF_KIND.get(subject.kind)
    if section is None:
        return ("factory",)
    for index, element in enumerate(getattr(model, section)):
        if element.id == subject.id:
            return (section, index)
    return ("factory",)


@pytest.fixture
def model() -> FactoryModel:
    """Repeated ids (within a section and across sections) and an id that is both a zone and an asset."""
    return FactoryModel.model_validate(
        {
            "factory": {"id": "f", "name": "F"},
            "zones": [
                {"id": "z1", "name": "Z1", "kind": "production"},
                {"id": "z2", "name": "Z2", "kind": "office"},
                {"id": "z1", "name": "again", "kind": "office"},
            ],
            "assets": [
                {"id": "a1", "name": "A1", "type": "equipment", "zone": "z1"},
                {"id": "z2", "name": "named like a zone", "type": "equipment", "zone": "z2"},
                {"id": "a1", "name": "A1 again", "type": "equipment", "zone": "z2"},
                {"id": "a3", "name": "A3", "type": "equipment", "zone": "z2"},
            ],
            "conduits": [{"id": "c1", "from": "z1", "to": "z2"}],
        }
    )


SUBJECTS = [
    Subject(kind="zone", id="z1"),
    Subject(kind="zone", id="z2"),
    Subject(kind="asset", id="z2"),
    Subject(kind="asset", id="a1"),
    Subject(kind="asset", id="a3"),
    Subject(kind="asset", id="missing"),
    Subject(kind="conduit", id="c1"),
    Subject(kind="operation", id="nothing"),
    Subject(kind="factory", id="f"),
]


def test_indexed_paths_match_a_walk_through_each_section(model: FactoryModel) -> None:
    paths = SubjectPaths(model)
    assert [paths(subject) for subject in SUBJECTS] == [walked_path(model, subject) for subject in SUBJECTS]


def test_first_element_of_a_repeated_id_wins_and_kinds_are_kept_apart(model: FactoryModel) -> None:
    paths = SubjectPaths(model)
    assert paths(Subject(kind="zone", id="z1")) == ("zones", 0)
    assert paths(Subject(kind="asset", id="a1")) == ("assets", 0)
    assert paths(Subject(kind="asset", id="z2")) == ("assets", 1)
    assert paths(Subject(kind="zone", id="z2")) == ("zones", 1)
    assert paths(Subject(kind="asset", id="missing")) == ("factory",)
