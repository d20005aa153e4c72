"""The one place this app reaches the CLI's smartification review (``factorysec review``) and its HTML page.

The review analysis is moving from ``factorysec.analysis.change`` to
``factorysec.analysis.review``: after that move, only the import below changes.
"""

from __future__ import annotations

from factorysec.analysis.change import ChangeReview, ReviewedChange, review_versions
from factorysec.report.review_html import build_review_view, render_review_html

__all__ = ["ChangeReview", "ReviewedChange", "build_review_view", "render_review_html", "review_versions"]
