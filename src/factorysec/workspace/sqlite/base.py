"""Django's SQLite backend, with the write transactions of one process queued on a lock before they ask SQLite for its own.

SQLite lets one transaction write at a time; a transaction that finds the
write lock taken sleeps and polls (the busy timeout), and the pollers are
served in no order. With 50 people saving through one threaded server, some
waited out the 20 s timeout ("database is locked") while others went ahead
many times, and the holder of the lock competed for the interpreter with
every poller. Here every transaction of the process first takes one
``threading.Lock``: waiting threads sleep until it is released and are then
woken, so the SQLite lock is asked for by one thread of the process at a time
and only other processes (the task worker) still meet the busy timeout.
Every transaction of the workspace begins ``IMMEDIATE`` (it takes the write
lock at once), so read-only pages, which run without a transaction, are not
queued.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from django.db.backends.sqlite3 import base

from factorysec.workspace.concurrency import give_up_place, note_wait

WRITERS = threading.Lock()
"""Held by the thread whose transaction is open, from BEGIN to COMMIT or ROLLBACK."""


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._holds_writers = False

    def _start_transaction_under_autocommit(self) -> None:
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 20))
        self._holds_writers = WRITERS.acquire(blocking=False)
        if not self._holds_writers:
            started = time.perf_counter()
            give_up_place()  # saves queued here must not keep reads from running
            # past the busy timeout, go on without the queue: SQLite's own lock still keeps writes apart
            self._holds_writers = WRITERS.acquire(timeout=timeout)
            note_wait("lock", started)
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # private in Django, absent from its stubs
        except BaseException:
            self._release_writers()
            raise

    def _release_writers(self) -> None:
        if self._holds_writers:
            self._holds_writers = False
            WRITERS.release()

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]  # private in Django, absent from its stubs
        finally:
            self._release_writers()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]  # private in Django, absent from its stubs
        finally:
            self._release_writers()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]  # private in Django, absent from its stubs
        finally:
            self._release_writers()
