"""Partial results: what reading some inputs gave, before merging, as a small file.

A partial holds the flow records and per-file statistics (with device
identities) that readers produce. Merging is `build_inventory` over the
records and statistics of any number of partials: it does not depend on
their order or on how files were grouped, so captures can be read where they
are (other processes, other machines, other sites) and only partials moved.
The format is JSON: `{"factorysec_partial": 1, "sources": [...], "records": [...]}`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from factorysec.discovery.types import DiscoveryInputError, FlowRecord, SourceStats

PARTIAL_VERSION = 1
PARTIAL_MAGIC = b'{"factorysec_partial"'


def dump_partial(records: Sequence[FlowRecord], sources: Sequence[SourceStats]) -> str:
    """The partial as JSON text (defaults left out to keep it small)."""
    body: dict[str, Any] = {
        "factorysec_partial": PARTIAL_VERSION,
        "sources": [s.model_dump(mode="json", exclude_defaults=True) for s in sources],
        "records": [r.model_dump(mode="json", exclude_defaults=True) for r in records],
    }
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


def is_partial(head: bytes) -> bool:
    return head.startswith(PARTIAL_MAGIC)


def load_partial(path: Path) -> tuple[list[FlowRecord], list[SourceStats]]:
    """Read a partial written by `discover --partial`; a damaged one is a `DiscoveryInputError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise DiscoveryInputError(str(path), f"unreadable partial result: {e}") from e
    return load_partial_text(text, path)


def load_partial_text(text: str, path: Path | str) -> tuple[list[FlowRecord], list[SourceStats]]:
    """Parse partial-result text; `path` names it in errors."""
    try:
        body = json.loads(text)
    except ValueError as e:
        raise DiscoveryInputError(str(path), f"unreadable partial result: {e}") from e
    if not isinstance(body, dict) or body.get("factorysec_partial") != PARTIAL_VERSION:
        raise DiscoveryInputError(str(path), f"not a version {PARTIAL_VERSION} partial result")
    sources = [_item(SourceStats, path, "sources", i, s) for i, s in enumerate(body.get("sources", []))]
    records = [_item(FlowRecord, path, "records", i, r) for i, r in enumerate(body.get("records", []))]
    return records, sources


_Item = TypeVar("_Item", FlowRecord, SourceStats)


def _item(kind: type[_Item], path: Path | str, section: str, index: int, value: Any) -> _Item:
    try:
        return kind.model_validate(value)
    except ValidationError as e:
        error: ErrorDetails = e.errors()[0]
        where = ".".join([f"{section}.{index}", *(str(x) for x in error["loc"])])
        raise DiscoveryInputError(str(path), f"invalid partial result at {where}: {error['msg']}") from e
