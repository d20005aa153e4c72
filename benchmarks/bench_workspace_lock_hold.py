"""How long one version-checked save holds the factory's write lock, with nothing else saving (issue #18 item 6).

Saves of the load benchmark's shared zone queue for the factory's write lock (SQLite's, or on PostgreSQL the element
set's row); what each save does while holding it decides how long that queue is. This times, in one process, the part
of ``drafts.save_live_checked`` from the first statement inside the save's transaction (the lock has just been taken) to
its commit: wall time, the thread's CPU time and the statements run, over saves of the shared zone and of two assets in
turn (the first 10 left out). ``--reread`` makes every save find the element set moved, as under load, so that the
check's statements are run again under the lock.

    .venv/bin/python benchmarks/bench_workspace_lock_hold.py [--saves 150] [--reread]
    FACTORYSEC_DB=postgresql FACTORYSEC_PG_HOST=... FACTORYSEC_PG_NAME=<an empty database> .venv/bin/python benchmarks/bench_workspace_lock_hold.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--saves", type=int, default=150)
    parser.add_argument("--reread", action="store_true", help="Every save finds the element set moved (as under load).")
    arguments = parser.parse_args()
    database = Path(tempfile.mkdtemp(prefix="factorysec-bench-hold-")) / "workspace.sqlite3"
    os.environ["FACTORYSEC_DB_PATH"] = str(database)
    os.environ.setdefault("FACTORYSEC_SECRET_KEY", "benchmark-only-secret-key-" + "x" * 30)
    from factorysec.workspace.bootstrap import BUNDLED_EXAMPLE, configure, prepare

    configure(None if os.environ.get("FACTORYSEC_DB") == "postgresql" else database)
    prepare(BUNDLED_EXAMPLE)
    from django.contrib.auth.models import User
    from django.db import connection, transaction

    from factorysec.workspace.changes import drafts
    from factorysec.workspace.factories.models import Element, Factory

    factory = Factory.objects.get(slug="annex-a-factory")
    user, _ = User.objects.get_or_create(username="bench-hold")
    state: dict[str, Any] = {}

    def timed(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        if connection.in_atomic_block and "start" not in state:
            state.update(start=time.perf_counter(), cpu=time.thread_time(), statements=0)
            transaction.on_commit(lambda: state.update(end=time.perf_counter(), cpu_end=time.thread_time()))
        if "start" in state and not sql.upper().startswith(("SAVEPOINT", "RELEASE")):
            state["statements"] += 1
        return execute(sql, params, many, context)

    targets = [("zones", "warehouse-zone"), ("assets", "mes-server"), ("assets", "plc-1")]
    targets = [(s, k) for s, k in targets if Element.objects.filter(factory=factory, section=s, key=k).exists()]
    walls: list[float] = []
    cpus: list[float] = []
    statements: list[int] = []
    with connection.execute_wrapper(timed):
        for number in range(arguments.saves):
            section, key = targets[number % len(targets)]
            row = Element.current(factory.pk, section, key)
            assert row is not None and row.payload is not None
            if arguments.reread:
                setattr(row, "set_changes", None)  # noqa: B010 -- as if another save had moved the element set meanwhile
            state.clear()
            payload = row.payload | {"description": f"hold {number}"}
            drafts.save_live_checked(factory, section, key, payload, row.version, user, seen=row)
            if number >= 10:
                walls.append(state["end"] - state["start"])
                cpus.append(state["cpu_end"] - state["cpu"])
                statements.append(state["statements"])
    print(
        f"{connection.vendor}{' (re-read)' if arguments.reread else ''}, {drafts.__file__}: {len(walls)} saves held the "
        f"write lock: wall median {1000 * statistics.median(walls):.2f} ms (mean {1000 * statistics.mean(walls):.2f}), "
        f"CPU median {1000 * statistics.median(cpus):.2f} ms (mean {1000 * statistics.mean(cpus):.2f}), "
        f"{statistics.mean(statements):.1f} statements; load average {' '.join(f'{v:.1f}' for v in os.getloadavg())}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
