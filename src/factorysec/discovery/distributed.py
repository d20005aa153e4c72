"""Discovery over a Dask cluster: the same map (read files into partial results) and merge.

Each worker reads the files it is given where they are (shared storage, or
the site's own disk for a worker running at that site) and sends back only
the partial result, a few megabytes, never the capture. The merge is the one
`discover` always does, so the inventory equals a single run over the same
files. Needs the optional extra: `pip install factorysec[distributed]`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from factorysec.discovery.partial import Partial, load_partial_text
from factorysec.discovery.types import DiscoveryInputError


def _read_to_partial(path: str) -> str:
    """Run on a worker: read one file and return its partial result as JSON text."""
    from factorysec.discovery.command import read_one
    from factorysec.discovery.partial import dump_partial

    partial = read_one(Path(path))
    return dump_partial(partial.records, partial.sources, partial.parts)


def read_on_cluster(paths: Sequence[Path], scheduler: str | Any) -> Partial:
    """Map `paths` over a Dask cluster and gather the partial results, not yet merged.

    `scheduler` is a scheduler address (`tcp://host:8786`) or an existing
    `distributed.Client`. The paths must be readable where the workers run.
    """
    try:
        import distributed
    except ImportError as e:
        raise DiscoveryInputError("--dask", "Dask is not installed: pip install 'factorysec[distributed]'") from e
    client_type: Any = distributed.Client  # the library has no type annotations
    own = not isinstance(scheduler, client_type)
    try:
        client: Any = client_type(scheduler, timeout=30) if own else scheduler
    except OSError as e:
        raise DiscoveryInputError("--dask", f"cannot reach the Dask scheduler {scheduler}: {e}") from e
    try:
        futures = client.map(_read_to_partial, [str(p) for p in paths], pure=False)
        texts = client.gather(futures)
    finally:
        if own:
            client.close()
    out = Partial()
    for path, text in zip(paths, texts, strict=True):
        got = load_partial_text(text, str(path))
        out.records.extend(got.records)
        out.sources.extend(got.sources)
        out.parts.extend(got.parts)
    return out
