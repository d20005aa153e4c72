"""Dense ids for flow, host and connection keys, and per-flow counters, without sorting each chunk.

The flow table used to sort every chunk's keys (``argsort``, ``np.unique``)
and look each distinct key up in a dict: over half of a capture's read time.
`KeyIndex` instead keeps an open-addressing hash table in two numpy arrays
and, when the C extension was built (``intern`` and ``accumulate`` in
``_walk.c``), probes it once per packet in C. Without a compiler the numpy
versions below give exactly the same ids (new keys numbered in order of first
appearance) and counters; the tests compare the two.

Memory: the table holds at most twice as many slots as keys, so it grows with
the number of flows (or hosts, or connections with direction evidence),
never with packets.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import numpy.typing as npt

I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]
F64 = npt.NDArray[np.float64]


class _CompiledIntern(Protocol):
    def intern(
        self, slot_keys: U64, slot_ids: I64, keys: U64, width: int, next_id: int, insert: bool, out: I64, /
    ) -> int: ...

    def accumulate(
        self,
        flow: I64,
        wire_len: I64,
        ts: F64,
        rank: I64,
        packets: I64,
        nbytes: I64,
        first: F64,
        last: F64,
        direction: I64,
        /,
    ) -> None: ...


def _load_compiled() -> _CompiledIntern | None:
    try:
        from factorysec.discovery import _walk
    except ImportError:  # installed where no C compiler was found: the numpy versions below do the work
        return None
    return _walk if hasattr(_walk, "intern") else None


_compiled = _load_compiled()


class KeyIndex:
    """Dense ids 0, 1, 2, ... for keys of `width` 64-bit words, in order of first appearance."""

    def __init__(self, width: int = 1) -> None:
        self.width = width
        self.count = 0
        self.keys: U64 = np.zeros((16, width), dtype=np.uint64)
        """Key of each id (rows 0 .. count-1)."""
        self._slot_keys: U64 = np.zeros((32, width), dtype=np.uint64)
        self._slot_ids: I64 = np.full(32, -1, dtype=np.int64)
        self._ids: dict[int | tuple[int, int], int] = {}
        """The numpy version's table (key -> id); empty when the C table is used."""

    def ids(self, keys: U64, insert: bool = True) -> I64:
        """The id of every key (rows of `keys`); new keys get new ids, or -1 when not `insert`."""
        keys = np.ascontiguousarray(keys, dtype=np.uint64).reshape(-1, self.width)
        n = keys.shape[0]
        out = np.empty(n, dtype=np.int64)
        if n == 0:
            return out
        if _compiled is None:
            return self._ids_numpy(keys, insert)
        if insert:
            self._reserve(self.count + n)
        before = self.count
        self.count = _compiled.intern(self._slot_keys, self._slot_ids, keys, self.width, self.count, insert, out)
        if self.count > before:
            self._store(keys, out, before)
        return out

    def make_room(self, extra: int) -> None:
        """Room for `extra` more keys in the slot table and the key rows (before a C pass adds keys itself)."""
        need = self.count + extra
        self._reserve(need)
        if need > self.keys.shape[0]:
            grown = np.zeros((max(need, 2 * self.keys.shape[0]), self.width), dtype=np.uint64)
            grown[: self.count] = self.keys[: self.count]
            self.keys = grown

    def _store(self, keys: U64, out: I64, before: int) -> None:
        if self.count > self.keys.shape[0]:
            grown = np.zeros((max(self.count, 2 * self.keys.shape[0]), self.width), dtype=np.uint64)
            grown[:before] = self.keys[:before]
            self.keys = grown
        fresh = np.flatnonzero(out >= before)
        self.keys[out[fresh]] = keys[fresh]

    def _reserve(self, need: int) -> None:
        """Keep the slot table at least twice the number of ids; rebuilding gives every key its id again."""
        cap = self._slot_ids.size
        if 2 * need <= cap:
            return
        while 2 * need > cap:
            cap *= 2
        self._slot_keys = np.zeros((cap, self.width), dtype=np.uint64)
        self._slot_ids = np.full(cap, -1, dtype=np.int64)
        if self.count and _compiled is not None:
            again = np.empty(self.count, dtype=np.int64)
            _compiled.intern(self._slot_keys, self._slot_ids, self.keys[: self.count], self.width, 0, True, again)

    def _ids_numpy(self, keys: U64, insert: bool) -> I64:
        n = keys.shape[0]
        distinct: list[int] | list[tuple[int, int]]
        if self.width == 1:
            uniq, first, inverse = np.unique(keys[:, 0], return_index=True, return_inverse=True)
            distinct = uniq.tolist()
        else:
            order = np.lexsort((keys[:, 1], keys[:, 0]))
            ordered = keys[order]
            starts_mask = np.ones(n, dtype=np.bool_)
            starts_mask[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
            starts = np.flatnonzero(starts_mask)
            inverse = np.empty(n, dtype=np.int64)
            inverse[order] = np.cumsum(starts_mask) - 1
            first = np.minimum.reduceat(order, starts)
            distinct = list(zip(ordered[starts, 0].tolist(), ordered[starts, 1].tolist()))
        uniq_ids = np.empty(len(distinct), dtype=np.int64)
        table = self._ids
        before = self.count
        for u in np.argsort(first, kind="stable").tolist():
            k = distinct[u]
            got = table.get(k)
            if got is None:
                if not insert:
                    uniq_ids[u] = -1
                    continue
                got = table[k] = self.count
                self.count += 1
            uniq_ids[u] = got
        out: I64 = uniq_ids[inverse.reshape(-1)]
        if self.count > before:
            self._store(keys, out, before)
        return out


def accumulate(
    flow: I64, wire_len: I64, ts: F64, rank: I64, packets: I64, nbytes: I64, first: F64, last: F64, direction: I64
) -> None:
    """Add packets to per-flow counters in place: count, bytes, first/last time, strongest direction rank."""
    if _compiled is not None:
        _compiled.accumulate(
            np.ascontiguousarray(flow, dtype=np.int64),
            np.ascontiguousarray(wire_len, dtype=np.int64),
            np.ascontiguousarray(ts, dtype=np.float64),
            np.ascontiguousarray(rank, dtype=np.int64),
            packets,
            nbytes,
            first,
            last,
            direction,
        )
        return
    np.add.at(packets, flow, 1)
    np.add.at(nbytes, flow, wire_len)
    np.minimum.at(first, flow, ts)
    np.maximum.at(last, flow, ts)
    np.maximum.at(direction, flow, rank)
