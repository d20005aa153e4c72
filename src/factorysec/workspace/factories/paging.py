"""Pagination over a query whose total is already known (kept counts), so a page never counts a large section again;
the API's ``offset`` parameter."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Query

MAX_OFFSET = 2**63 - 1
"""The largest offset a database takes (SQLite's INTEGER and PostgreSQL's bigint are signed 64-bit integers)."""

Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description=f"Elements to skip: 0 to {MAX_OFFSET} (else 422).")]
"""The ``offset`` query parameter of the API's paginated lists: a negative one, or one larger than :data:`MAX_OFFSET`
(the database could not take it), is refused with 422 by the query's schema, naming ``offset``."""

Limit = Annotated[
    int,
    Query(
        ge=0, description="Elements per response: 0 or more (a negative one is 422); above the maximum, the maximum."
    ),
]
"""The ``limit`` query parameter of the API's paginated lists: a negative one is refused with 422 by the query's schema,
naming ``limit``; one above the operation's maximum is read as that maximum."""


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
