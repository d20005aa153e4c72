"""Workspace response times on the plant models of bench_analysis (10k and 100k assets), on SQLite, one process.

For each size: generate the plant model, import it into a fresh SQLite database (timed), run the analysis job
(timed: from "analyse" to results stored and shown), then request each page and API call ``--repeat`` times
through Django's test client (the whole middleware stack, no network) and print p50 and p95 in milliseconds
beside the target (p95 under 300 ms at 100k assets), wall time and the CPU time this process spent (what one
free core would take; on a shared machine the wall time is mostly waiting for a core). Each size runs in its
own process.

    .venv/bin/python benchmarks/bench_workspace.py             # 10k and 100k
    .venv/bin/python benchmarks/bench_workspace.py 10000 --repeat 20
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SIZES = (10_000, 100_000)
TARGET_MS = 300.0
HERE = Path(__file__).resolve().parent


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run_size(assets: int, repeat: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="factorysec-bench-ws-"))
    try:
        _run_size(folder, assets, repeat)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run_size(folder: Path, assets: int, repeat: int) -> None:
    os.environ["FACTORYSEC_DB_PATH"] = str(folder / "bench.sqlite3")
    # the real queue, with no worker: what a save queues (its audit entry, with the model digest) is timed apart below
    os.environ["FACTORYSEC_TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    os.environ["DJANGO_SETTINGS_MODULE"] = "factorysec.workspace.settings"
    sys.path.insert(0, str(HERE))
    import django

    django.setup()
    from bench_analysis import generate
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client

    from factorysec.model import load_model
    from factorysec.workspace.factories.jobs import run_job
    from factorysec.workspace.factories.models import Factory, Job
    from factorysec.workspace.factories.store import import_model
    from factorysec.workspace.results.analysis import run_analysis
    from factorysec.workspace.results.models import StoredFinding

    generate(folder / "model", assets, topology="plant")
    model = load_model(folder / "model")
    call_command("migrate", verbosity=0)
    factory = Factory.objects.create(slug="bench", name="Benchmark company")
    started = time.perf_counter()
    import_model(factory, model, None, "bench")
    imported = time.perf_counter() - started
    admin = User.objects.create_superuser("bench", "", "bench-password-123")
    client = Client()
    client.force_login(admin)
    job = Job.objects.create(factory=factory, kind=Job.Kind.ANALYSIS, lang="en")
    started = time.perf_counter()
    run_job(job.pk, run_analysis)
    analysed = time.perf_counter() - started
    findings = StoredFinding.objects.filter(job=job).count()
    zone = StoredFinding.objects.filter(job=job).exclude(zone="").values_list("zone", flat=True).first() or ""
    asset = model.assets[assets // 2]
    edit_url = f"/f/bench/s/assets/e/{asset.id}/"
    form = {
        "id": asset.id,
        "name": asset.name,
        "type": "equipment",
        "zone": asset.zone or "",
        "operations": ", ".join(asset.operations),
        "traits": ", ".join(asset.traits),
    }
    counter = iter(range(10**9))
    read_at = iter(range(1, 10**9))  # the version each form save names: 1 after the import, one more per save before

    def post_edit() -> Any:
        return client.post(edit_url, form | {"description": f"edit {next(counter)}", "version": str(next(read_at))})

    def api_put() -> Any:
        body = asset.model_dump(mode="json", by_alias=True, exclude_defaults=True) | {
            "description": f"api {next(counter)}"
        }
        import json

        return client.put(
            f"/api/factories/bench/assets/{asset.id}", data=json.dumps(body), content_type="application/json"
        )

    cases: list[tuple[str, Callable[[], Any]]] = [
        ("overview", lambda: client.get("/f/bench/")),
        ("assets list, page 1", lambda: client.get("/f/bench/s/assets/")),
        ("assets list, page 500", lambda: client.get("/f/bench/s/assets/?page=500")),
        ("assets list, search", lambda: client.get("/f/bench/s/assets/?q=Asset 4242")),
        ("conduits list, page 1", lambda: client.get("/f/bench/s/conduits/")),
        ("asset form (GET)", lambda: client.get(edit_url)),
        ("API GET zones", lambda: client.get("/api/factories/bench/sections/zones")),
        ("results by zone", lambda: client.get("/f/bench/results/by/zone/")),
        ("findings of one zone", lambda: client.get(f"/f/bench/results/?zone={zone}")),
        ("findings, page 100", lambda: client.get("/f/bench/results/?page=100")),
        ("results by department", lambda: client.get("/f/bench/results/by/department/")),
        ("action list", lambda: client.get("/f/bench/results/by/action/")),
        ("API GET findings (stored, 100)", lambda: client.get("/api/factories/bench/findings")),
        ("asset edit (POST, checked)", post_edit),
        ("API PUT asset (checked)", api_put),
    ]
    print(
        f"\n{assets:,} assets, {len(model.zones):,} zones, {len(model.conduits):,} conduits; {findings:,} findings stored"
    )
    print(
        f"  import into the store: {imported:.1f} s; analysis job (analyse, store findings, draw diagram): {analysed:.1f} s"
    )
    from factorysec.workspace.audit.signals import write_pending

    print(
        f"  {'request':32} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8} {'CPU p95':>8}  target p95 < {TARGET_MS:.0f} ms"
    )
    for name, call in cases:
        call()  # not timed: the first request of a process loads the URLconf, the templates and the catalog
        times, cpu = [], []
        for _ in range(repeat):
            started, cpu_started = time.perf_counter(), time.process_time()
            response = call()
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
            assert response.status_code in (200, 302), (name, response.status_code, response.content[:300])
        p95 = _p(times, 0.95)
        print(
            f"  {name:32} {statistics.median(times):8.1f} {p95:8.1f} {statistics.median(cpu):8.1f} {_p(cpu, 0.95):8.1f}"
            f"  {'met' if p95 < TARGET_MS else 'NOT met'}",
            flush=True,
        )
    started = time.perf_counter()
    logged = write_pending(factory.pk)
    print(
        f"  task worker: audit entries of the {logged} saves above, one model digest: {time.perf_counter() - started:.1f} s",
        flush=True,
    )


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("sizes", nargs="*", type=int)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        run_size(args.one, args.repeat)
        return
    for size in args.sizes or SIZES:
        subprocess.run([sys.executable, __file__, "--one", str(size), "--repeat", str(args.repeat)], check=True)


if __name__ == "__main__":
    main(sys.argv[1:])
