"""Every reason code the smartification review prints is declared once and explained by 'factorysec explain'."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import get_args

from typer.testing import CliRunner

from factorysec.analysis.review.model import ReasonCode
from factorysec.analysis.review.reasons import REVIEW_REASONS
from factorysec.cli import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "annex-a"
runner = CliRunner()


def test_each_reason_code_is_declared_once() -> None:
    ids = [rule.id for rule in REVIEW_REASONS]
    assert sorted(ids) == sorted(get_args(ReasonCode)) and len(ids) == len(set(ids))


def test_the_codes_annex_a_reviews_print_are_explained_in_both_languages() -> None:
    printed: set[str] = set()
    for case in (
        "case-1-first-added.yaml",
        "case-2-first-added.yaml",
        "case-3-first-added.yaml",
        "all-cases-reviewed.yaml",
    ):
        result = runner.invoke(app, ["review", str(EXAMPLES / case), "--format", "json"])
        assert result.exit_code == 0, result.output
        printed |= set(re.findall(r'"code": "([a-z-]+)"', json.dumps(json.loads(result.stdout))))
    assert {"new-zone", "new-inbound-flow"} <= printed
    for code in printed:
        for lang, word in (("en", "why:"), ("ja", "理由")):
            explained = runner.invoke(app, ["explain", code, "--lang", lang])
            assert explained.exit_code == 0 and explained.stdout.startswith(f"{code}:"), explained.output
            assert word in explained.stdout, explained.output
        assert "why:" in runner.invoke(app, ["explain", code]).stdout
