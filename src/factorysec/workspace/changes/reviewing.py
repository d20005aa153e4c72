"""The one place this app reaches the CLI's smartification review (``factorysec review``, in ``factorysec.analysis.review``) and its HTML page."""

from __future__ import annotations

from factorysec.analysis.review import ChangeReview, ReviewedChange, review_versions
from factorysec.report.review_html import build_review_view, render_review_html

__all__ = ["ChangeReview", "ReviewedChange", "build_review_view", "render_review_html", "review_versions"]
