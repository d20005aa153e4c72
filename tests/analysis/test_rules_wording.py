"""The conduit rules' wording (labels and data worded once per zone name, rationales built unchecked) equals wording every text plainly."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from factorysec.analysis import build_context
from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, text
from factorysec.analysis.rules import RULES
from factorysec.analysis.rules._common import (
    carried,
    conduit_label_texts,
    conduit_subject,
    conduit_threat_rule,
    conduit_wording,
    plain_conduit_template,
    zone_impact,
)
from factorysec.catalog import load_catalog
from factorysec.model.entities import AssetType, FactoryModel
from tests.analysis.test_rules_shortcuts import mixed_models

CATALOG = load_catalog()

TEMPLATES = [
    ("{conduit} hands {data} out", "{conduit}は{data}を渡す"),
    ("Over {conduit}: {data}.", "{conduit}で{data}。"),
    ("{data}", "{data}"),
    ("{conduit}", "「{data}」"),
    ("{conduit} ends with {data}", "{conduit}は{data}"),
    (" {conduit} padded ", "{conduit}"),
]


def _rule(en: str, ja: str) -> Rule:
    return conduit_threat_rule(
        rule_id="TEST-WORDING",
        reference="test",
        title=text("t", "t"),
        summary=text("s", "s"),
        predicate=lambda context, conduit, source, target: True,
        rationale_en=en,
        rationale_ja=ja,
        threat_type="data-theft-leakage",
        viewpoint="protected-object/confidentiality",
        risk_matter=None,
        measures=(),
        why=text("w", "w"),
        false_positives=text("f", "f"),
    )


def _plain_carried(context: AnalysisContext, conduit: Any) -> str:
    data = [context.asset_name(d) for d in conduit.data]
    return ", ".join(data) if data else (conduit.carries or "data")


def _plain_findings(rule: Rule, en: str, ja: str, context: AnalysisContext) -> Iterator[Finding]:
    for conduit, _, _ in context.linked_sides:
        label_en, label_ja = conduit_label_texts(context, conduit)
        data = _plain_carried(context, conduit)
        yield rule.finding(
            conduit_subject(conduit),
            text(en.format(conduit=label_en, data=data), ja.format(conduit=label_ja, data=data)),
            related=[conduit.from_zone, conduit.to_zone, *conduit.data],
            impact=zone_impact(context, conduit.to_zone),
        )


def _outcome(findings: Iterator[Finding]) -> list[str] | type[Exception]:
    try:
        return [f.model_dump_json() for f in findings]
    except ValidationError:
        return ValidationError


@st.composite
def models_with_lone_surrogates(draw: Any) -> FactoryModel:
    """Mixed models where a zone name, an asset name or a conduit's ``carries`` may hold a lone surrogate (only code can build such a model)."""
    model: FactoryModel = draw(mixed_models())
    bad = "x \ud800"
    if model.zones and draw(st.booleans()):
        index = draw(st.integers(0, len(model.zones) - 1))
        model = model.model_copy(
            update={
                "zones": [z.model_copy(update={"name": bad}) if i == index else z for i, z in enumerate(model.zones)]
            }
        )
    devices = [i for i, a in enumerate(model.assets) if a.type is not AssetType.DATA]
    if devices and draw(st.booleans()):
        index = draw(st.sampled_from(devices))
        # Out of every zone, so that no zone's importance names it (building the context would fail first); not a
        # data asset, whose name the importance of every device it is carried to would give.
        model = model.model_copy(
            update={
                "assets": [
                    a.model_copy(update={"name": bad, "zone": None}) if i == index else a
                    for i, a in enumerate(model.assets)
                ]
            }
        )
    if model.conduits and draw(st.booleans()):
        index = draw(st.integers(0, len(model.conduits) - 1))
        model = model.model_copy(
            update={
                "conduits": [
                    c.model_copy(update={"carries": bad}) if i == index else c for i, c in enumerate(model.conduits)
                ]
            }
        )
    return model


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_models() | models_with_lone_surrogates(), st.sampled_from(TEMPLATES))
def test_conduit_rationales_equal_plain_wording(model: FactoryModel, templates: tuple[str, str]) -> None:
    context = build_context(model, CATALOG)
    en, ja = templates
    rule = _rule(en, ja)
    assert _outcome(iter(rule.check(context))) == _outcome(_plain_findings(rule, en, ja, context))
    wording = conduit_wording(context)
    for conduit, _, _ in context.linked_sides:
        label_en, label_ja, data, valid = wording.describe(conduit)
        assert (label_en, label_ja) == conduit_label_texts(context, conduit)
        assert data == carried(context, conduit) == _plain_carried(context, conduit)
        parts = (label_en, label_ja, data)
        assert valid == all(_encodes(part) for part in parts)


def _encodes(part: str) -> bool:
    try:
        part.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.parametrize(
    ("template", "plain"),
    [
        ("{conduit} hands {data} out", True),
        ("Over {conduit}: {data}.", True),
        ("{conduit}は{data}", False),
        ("{data} leaks", False),
        (" {conduit} x", False),
        ("{conduit} x ", False),
        ("x {data}", False),
        ("x \ud800", False),
        ("{{conduit}} x", False),
    ],
)
def test_plain_conduit_template(template: str, plain: bool) -> None:
    assert plain_conduit_template(template) is plain


def _checks(check: Any) -> Iterator[Any]:
    """A rule's check and the checks of the rules it wraps (THREAT-EXTERNAL-DATA adds data assets to its conduit kind)."""
    yield check
    for cell in check.__closure__ or ():
        try:
            content = cell.cell_contents
        except ValueError:  # a cell not filled yet
            continue
        if isinstance(content, Rule) and content.check is not check:
            yield from _checks(content.check)


def test_the_conduit_rules_word_their_rationales_unchecked() -> None:
    """The conduit rules whose templates begin with the label qualify for the fast path (else they would silently check every text again)."""
    fast = set()
    for rule in RULES:
        for check in _checks(rule.check):
            cells = dict(zip(check.__code__.co_freevars, check.__closure__ or ()))
            if "plain_templates" in cells and cells["plain_templates"].cell_contents:
                fast.add(rule.id)
    assert (
        fast
        == {
            "THREAT-FA-OA-CONNECTION",
            "THREAT-EXTERNAL-NETWORK",
            "THREAT-EXTERNAL-DATA",
            "THREAT-CONTROL-FROM-OUTSIDE",
        }
    )  # THREAT-INTER-COMPANY words its rationale itself: it names the customer or partner whose system a conduit reaches
