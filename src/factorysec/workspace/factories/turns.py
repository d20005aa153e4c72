"""Saves of one element take turns in the process, and a writer refused for a stale version gets the next turn.

Fifty people saving the same zone at nearly the same moment, each retrying a
refusal at once on the version it reports, made a burst of up to 1,450
refusals in one run (instead of 49): every retry of a round found that one of
the others had saved first. Each refusal took the factory's write lock in
turn (SQLite's write lock, PostgreSQL's element set row), so the saves of
every other element, and the reads behind the pool's busy threads, queued
behind the burst, and p99 rose from about 0.3 s to 1.1-1.4 s.

Here the version-checked saves of one element (:func:`~factorysec.workspace.changes.drafts.save_live_checked`)
first queue for the element's turn in the process, in the order they came.
Holding it, a save whose version is already older than the stored one is
refused from a plain read, without the database lock: no save of that element
is half-done in this process, so the version the refusal reports is the one
the next attempt must name (a refusal before any turn, measured in session
10, reported versions a save in progress was about to replace and made 44 %
more refusals). The refused writer then keeps the element's next turn for
:data:`RETRY_HOLD_SECONDS`: its retry, on the version just reported, is served
before the others who queued meanwhile, so each of the fifty is refused at
most once instead of once per save ahead of it. A writer that does not come
back (a person reading what changed) delays the next save of that element by
at most the hold.

The turns are one process's; the database lock still keeps writers of
several processes (gunicorn workers) apart, only without this order.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

RETRY_HOLD_SECONDS = 0.25
"""How long the next turn of an element waits for the retry of the writer it just refused."""


@dataclass(eq=False)
class _Ticket:
    writer: Hashable | None
    wake: threading.Condition


@dataclass
class _Line:
    waiting: deque[_Ticket] = field(default_factory=deque)
    busy: bool = False
    kept_for: Hashable | None = None
    kept_until: float = 0.0


class Turn:
    """The element's turn, held inside ``with turns.turn(...)``; :meth:`refused` keeps the next one for the same writer."""

    def __init__(self) -> None:
        self.refused_writer = False

    def refused(self) -> None:
        """This writer's save was refused as stale: its retry gets the element's next turn (for a moment)."""
        self.refused_writer = True


class ElementTurns:
    """Per-element queues of one process (``element`` any hashable name, ``writer`` who saves: a user's id).

    Each waiting save sleeps on a condition of its own and only the save whose turn it is next is woken: waking every
    waiter at every turn made fifty threads compete for the interpreter lock with the one doing the work.
    """

    def __init__(
        self, hold: float = RETRY_HOLD_SECONDS, clock: Callable[[], float] = time.monotonic, waiting_limit: int = 0
    ) -> None:
        self.hold = hold
        self.waiting_limit = waiting_limit
        """When this many saves (of any element) wait for a turn, none is kept for a refused writer (0: no limit): a
        server's threads all waiting leave none to bring the retry in, and every turn would wait out the hold."""
        self._clock = clock
        self._lock = threading.Lock()
        self._waiting_total = 0
        self._lines: dict[Hashable, _Line] = {}

    @contextmanager
    def turn(
        self, element: Hashable, writer: Hashable | None, on_wait: Callable[[], None] = lambda: None
    ) -> Iterator[Turn]:
        """Wait for ``element``'s turn (calling ``on_wait`` once before the first wait), hold it for the block."""
        with self._lock:
            line = self._lines.setdefault(element, _Line())
            ticket = _Ticket(writer, threading.Condition(self._lock))
            line.waiting.append(ticket)
            self._waiting_total += 1
            waited = False
            while True:
                delay = self._delay(line, ticket)
                if delay == 0.0:
                    break
                if not waited:
                    waited = True
                    on_wait()
                ticket.wake.wait(delay)
            line.waiting.remove(ticket)
            self._waiting_total -= 1
            line.busy, line.kept_for = True, None
        held = Turn()
        try:
            yield held
        finally:
            with self._lock:
                line.busy = False
                if held.refused_writer and writer is not None:
                    line.kept_for, line.kept_until = writer, self._clock() + self.hold
                elif not line.waiting:
                    del self._lines[element]
                self._wake_next(line)

    def _kept_ticket(self, line: _Line) -> _Ticket | None:
        return next((t for t in line.waiting if t.writer == line.kept_for), None)

    def _wake_next(self, line: _Line) -> None:
        """Wake the save whose turn comes next (the kept writer's retry when it waits, else the first in line)."""
        if line.waiting:
            kept = self._kept_ticket(line) if line.kept_for is not None else None
            (kept or line.waiting[0]).wake.notify()

    def _delay(self, line: _Line, ticket: _Ticket) -> float | None:
        """0 when ``ticket`` may take the turn now; otherwise how long to wait at most before looking again (None: until
        woken)."""
        if line.busy:
            return None
        if line.kept_for is not None:
            left = line.kept_until - self._clock()
            if self.waiting_limit and self._waiting_total >= self.waiting_limit:
                left = 0.0
            if left > 0:
                kept = self._kept_ticket(line)
                if kept is not None:
                    return 0.0 if kept is ticket else None
                return left if line.waiting[0] is ticket else None
            line.kept_for = None
            if line.waiting[0] is not ticket:
                line.waiting[0].wake.notify()
        return 0.0 if line.waiting[0] is ticket else None

    def waiting(self, element: Hashable) -> int:
        """How many saves of ``element`` wait for its turn now (for tests)."""
        with self._lock:
            line = self._lines.get(element)
            return len(line.waiting) if line is not None else 0


ELEMENT_TURNS = ElementTurns()
"""The process's turns of version-checked saves, by (factory id, section, key)."""
