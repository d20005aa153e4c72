"""The hash chain of the audit log, without Django: how an entry is hashed and how a chain is checked.

Each entry's hash is SHA-256 over a canonical JSON of its fields and the hash of
the entry before it, so changing, removing or reordering any entry breaks every
hash from there on; :func:`verify_chain` names the first entry that no longer
fits.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
"""The ``previous`` hash of the first entry."""

HASHED_FIELDS = ("seq", "created_at", "actor", "factory", "action", "subject", "detail", "model_digest", "previous")
"""The fields an entry's hash covers, in this order."""


def canonical(entry: Mapping[str, Any]) -> bytes:
    """The bytes hashed for ``entry``: its hashed fields as sorted-key, compact, UTF-8 JSON."""
    return json.dumps(
        {name: entry[name] for name in HASHED_FIELDS}, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


def entry_hash(entry: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()


@dataclass(frozen=True)
class Broken:
    """The first entry that does not fit the chain, and why."""

    seq: int
    reason: str

    def __str__(self) -> str:
        return f"entry {self.seq}: {self.reason}"


@dataclass(frozen=True)
class Verified:
    """The outcome of checking a chain: how many entries were read, the last hash, and the first break (None when intact)."""

    count: int
    head: str
    broken: Broken | None

    @property
    def intact(self) -> bool:
        return self.broken is None


def verify_chain(entries: Iterable[Mapping[str, Any]]) -> Verified:
    """Check entries in sequence order: numbers without gaps, each linked to the previous hash, each hash recomputed."""
    previous, expected_seq, count = GENESIS, 1, 0
    for entry in entries:
        count += 1
        seq = int(entry["seq"])
        if seq != expected_seq:
            return Verified(
                count,
                previous,
                Broken(expected_seq, f"missing: the next entry found is {seq} (entries removed or renumbered)"),
            )
        if entry["previous"] != previous:
            return Verified(
                count,
                previous,
                Broken(seq, "does not link to the entry before it (an entry before it was removed or replaced)"),
            )
        recomputed = entry_hash(entry)
        if recomputed != entry["hash"]:
            return Verified(
                count, previous, Broken(seq, "its content was altered after it was written (hash does not match)")
            )
        previous, expected_seq = entry["hash"], seq + 1
    return Verified(count, previous, None)
