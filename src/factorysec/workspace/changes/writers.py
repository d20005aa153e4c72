"""Which elements this process is saving right now, so that a save bound to be refused is refused without the write lock.

A version-checked save (:func:`factorysec.workspace.changes.drafts.save_live_checked`)
named the version it was made on. When the stored version is already newer,
the save will be refused whatever happens; until now it still queued for the
factory's write lock (SQLite's, or the element set's row on PostgreSQL) behind
every other writer of the factory, only to compare two numbers there, so that
its refusal could report the version of a save still in progress (refusing at
once reported a version about to be replaced, and the client's retry was
stale again: session 10 measured 44 % more refusals). With 50 people on one
element, those refusals were half the requests and most of the lock's queue.

Here a save that has passed its first (plain) version check *claims* its
element for the time from that check to its commit. A save whose version is
already stale waits only for the claims on its own element in this process
(not for the factory's lock), then reads the element once and is refused with
the version the last of them wrote. A save whose version is current but whose
element is claimed by another save waits for that save too and looks again: when
the other landed, it is refused the same way; when the other was refused or
failed, it claims the element and goes on to the locked save. So no refusal
queues for the write lock, and no line forms: every waiter is woken together
when the claim ends. Waits are bounded (:data:`WAIT_LIMIT`); past it a save
goes on to the locked path, whose own check under the lock is what guarantees
that no edit is lost. Other processes (gunicorn's workers) do not see these
claims: their saves are still refused correctly under the lock.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from factorysec.workspace.concurrency import give_up_place, note_wait

WAIT_LIMIT = 2.0
"""Seconds a save waits, in all, for other saves of its element before it goes on to the locked path regardless."""


@dataclass
class _Claims:
    condition: threading.Condition = field(default_factory=threading.Condition)
    held: int = 0
    """Saves of the element between their first version check and their commit (0 or 1 unless a wait timed out)."""
    users: int = 0
    """Threads holding or waiting for this entry; the entry is forgotten when none is left."""


_GUARD = threading.Lock()
_CLAIMS: dict[int, _Claims] = {}


@contextmanager
def _entry(element_id: int) -> Iterator[_Claims]:
    with _GUARD:
        claims = _CLAIMS.setdefault(element_id, _Claims())
        claims.users += 1
    try:
        yield claims
    finally:
        with _GUARD:
            claims.users -= 1
            if claims.users == 0:
                del _CLAIMS[element_id]


def _wait_until_free(claims: _Claims, deadline: float) -> bool:
    """With ``claims.condition`` held: sleep (without a running place) until no save holds the element or the deadline
    passes; True when it is free."""
    if claims.held:
        started = time.perf_counter()
        give_up_place()
        while claims.held and (left := deadline - time.monotonic()) > 0:
            claims.condition.wait(left)
        note_wait("element", started)
    return not claims.held


def wait_until_free(element_id: int, deadline: float) -> bool:
    """Wait until no save of this process holds the element (or ``deadline``, a ``time.monotonic`` time); True if it did
    not have to wait."""
    with _entry(element_id) as claims, claims.condition:
        idle = not claims.held
        _wait_until_free(claims, deadline)
        return idle


@contextmanager
def claim(element_id: int, deadline: float) -> Iterator[bool]:
    """Claim the element for a save, yielding True while the block holds it; the claim ends, waking every waiter, when
    the block does. When another save holds it, wait for that save first and yield False without claiming (the caller
    reads the element again and decides anew); past ``deadline`` (a ``time.monotonic`` time) claim it regardless."""
    with _entry(element_id) as claims:
        with claims.condition:
            taken = not (claims.held and _wait_until_free(claims, deadline))
            if taken:
                claims.held += 1
        try:
            yield taken
        finally:
            if taken:
                with claims.condition:
                    claims.held -= 1
                    claims.condition.notify_all()


def holders(element_id: int) -> int:
    """Saves of this process holding the element now (for tests)."""
    with _GUARD:
        claims = _CLAIMS.get(element_id)
        return claims.held if claims is not None else 0
