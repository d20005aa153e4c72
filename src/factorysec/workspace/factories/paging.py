"""Pagination over a query whose total is already known (kept counts), so a page never counts a large section again."""

from __future__ import annotations

from typing import Any


class KnownCount:
    """A query for :class:`~django.core.paginator.Paginator` that answers ``count()`` with a total kept elsewhere.

    ``Paginator`` asks for the count (to number the pages) and then slices;
    counting 300,000 live conduits costs more than reading the page itself.
    """

    def __init__(self, query: Any, total: int) -> None:
        self.query = query
        self.total = total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: Any) -> Any:
        return self.query[index]
