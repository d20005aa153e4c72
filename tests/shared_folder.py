"""Where the tests find the team's shared folder (real captures, advisories, KEV catalog, interchange schemas).

The data are read where they are, never copied into the repository. The benchmarks have their own locator
(``benchmarks/shared_data.py``), which looks in the same places in the same order.
"""

from __future__ import annotations

import os
from pathlib import Path

WORKSPACE_SHARED = Path("/work/shared")
"""Where the shared folder lives on our machines, for a clone made elsewhere (such as /tmp)."""


def shared_data(holding: str) -> Path | None:
    """The folder ``data/<holding>`` of the shared folder, or None when no candidate holds it.

    Candidates in order: ``FACTORYSEC_SHARED`` alone when it is set; otherwise a ``shared/`` beside the
    repository or above it, then the workspace's.
    """
    configured = os.environ.get("FACTORYSEC_SHARED")
    here = Path(__file__).resolve()
    roots = [Path(configured)] if configured else [*(parent / "shared" for parent in here.parents), WORKSPACE_SHARED]
    for root in roots:
        candidate = root / "data" / holding
        if candidate.is_dir():
            return candidate
    return None
