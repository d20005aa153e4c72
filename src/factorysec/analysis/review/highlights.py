"""The element ids a review's diagrams highlight: added or changed in AFTER, removed or changed in BEFORE."""

from __future__ import annotations

from typing import Literal

from factorysec.analysis.review.model import ChangeReview


def _marks(change_review: ChangeReview, shown: Literal["added", "removed"]) -> dict[str, str]:
    """Ids of the elements ``shown`` (added or removed) or changed, plus split zones, in review order."""
    marks: dict[str, str] = {}
    for element in change_review.elements:
        if element.kind in ("factory", "bcp"):
            continue
        if element.change == shown:
            marks[element.id] = shown
        elif element.change == "changed":
            marks.setdefault(element.id, "changed")
    for split in change_review.zoning.splits:
        marks.setdefault(split.zone, "changed")
    return marks


def highlight_ids(change_review: ChangeReview) -> dict[str, Literal["added", "changed"]]:
    """Element ids added or changed by the change, for the AFTER diagram to highlight (removed elements are not drawn)."""
    return _marks(change_review, "added")  # type: ignore[return-value]


def before_highlight_ids(change_review: ChangeReview) -> dict[str, Literal["removed", "changed"]]:
    """Element ids the change removes or changes, for the BEFORE diagram to highlight (added elements exist only in AFTER)."""
    return _marks(change_review, "removed")  # type: ignore[return-value]
