"""What a partial result's JSON must hold, checked with pydantic: imported only where a partial is read.

The records and statistics are discovery's own dataclasses (`types`), validated through a `TypeAdapter` (which
honours their `__pydantic_config__`: an unknown field is an error); a capture part's body has models of its own.
Every error is one line naming where it is (`records.3.port: ...`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from factorysec.discovery.types import DeviceIdentity, DiscoveryInputError

_Item = TypeVar("_Item")


_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def checked(kind: type[_Item], path: Path | str, section: str, index: int, value: Any) -> _Item:
    """`value` validated as `kind`, or a `DiscoveryInputError` naming `path` and where in it the first error is."""
    try:
        adapter = _ADAPTERS.get(kind) or _ADAPTERS.setdefault(kind, TypeAdapter(kind))
        made: _Item = adapter.validate_python(value)
    except ValidationError as e:
        error: ErrorDetails = e.errors()[0]
        where = ".".join([f"{section}.{index}", *(str(x) for x in error["loc"])])
        raise DiscoveryInputError(str(path), f"invalid partial result at {where}: {_message(error)}") from e
    return made


def _message(error: ErrorDetails) -> str:
    """The error's message in the words pydantic uses for a model (as when these types were models): a partial's
    errors read the same whether the value checked is a dataclass or a model."""
    if error["type"] == "dataclass_type":
        return f"Input should be a valid dictionary or instance of {error.get('ctx', {}).get('class_name')}"
    if error["type"] == "unexpected_keyword_argument":
        return "Extra inputs are not permitted"
    return error["msg"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _SkipJson(_Strict):
    reason: str
    unit: str
    count: int = Field(ge=0)
    positions: list[int] = []


class _StatsJson(_Strict):
    packets: int = Field(ge=0)
    bytes_read: int = Field(ge=0)
    non_ip: dict[str, int] = {}
    skipped: list[_SkipJson] = []


class _IdentityJson(_Strict):
    side: int = Field(ge=0)
    orientations: int = Field(ge=1, le=3)
    position: int = Field(ge=0)
    identity: DeviceIdentity


class _FlowsJson(_Strict):
    sides: int = Field(ge=0)
    operations: int = Field(ge=0)
    hosts: list[str]
    columns: dict[str, str]
    identities: list[_IdentityJson] = []


class PartJson(_Strict):
    """A capture part as `partial` writes it."""

    path: str
    kind: Literal["pcap", "pcapng"]
    size: int = Field(ge=0)
    ranges: list[tuple[int, int]]
    stats: _StatsJson
    flows: _FlowsJson
