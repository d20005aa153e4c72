"""load -> dump_model -> load gives an equal model (issue #2 item 7), for generated models."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from factorysec.model import FactoryModel, ModelInputError, dump_model, load_model
from tests.model.strategies import models


def _reload(text: str) -> FactoryModel:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.yaml"
        path.write_text(text, encoding="utf-8")
        return load_model(path)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models())
def test_generated_model_round_trips(model: FactoryModel) -> None:
    text = dump_model(model)
    again = _reload(text)
    assert again == model
    assert dump_model(again) == text


def test_yaml_hostile_names_survive_a_round_trip() -> None:
    from tests.model.strategies import YAML_HOSTILE

    zones = [{"id": f"z{i}", "name": name, "kind": "office"} for i, name in enumerate(YAML_HOSTILE)]
    model = FactoryModel.model_validate({"factory": {"id": "f", "name": "yes"}, "zones": zones})
    again = _reload(dump_model(model))
    assert [zone.name for zone in again.zones] == YAML_HOSTILE
    assert again == model


def test_text_no_workbook_can_carry_is_written_but_refused_on_reading() -> None:
    from tests.model.strategies import UNCARRIABLE_TEXT

    for text in UNCARRIABLE_TEXT:
        model = FactoryModel.model_validate({"factory": {"id": "f", "name": f"a{text}b"}})
        with pytest.raises(ModelInputError) as refused:
            _reload(dump_model(model))
        assert "factory.name: text holds U+" in str(refused.value.problems[0])
