"""Where the benchmarks find the team's shared folder (the real captures, advisories, KEV and yardsticks)."""

from __future__ import annotations

import os
from pathlib import Path

WORKSPACE_SHARED = Path("/work/shared")
"""Where the shared folder lives on our machines, for a clone made elsewhere (such as /tmp)."""


def shared_root(holding: str = "data") -> Path:
    """``FACTORYSEC_SHARED`` if set, else the first ``shared/`` above the repository, else the workspace's, that holds ``holding``.

    When none holds it, the folder beside the repository: what is missing is then named by the path the
    benchmark reports, as before.
    """
    configured = os.environ.get("FACTORYSEC_SHARED")
    here = Path(__file__).resolve()
    roots = [Path(configured)] if configured else [*(parent / "shared" for parent in here.parents), WORKSPACE_SHARED]
    for root in roots:
        if (root / holding).exists():
            return root
    return here.parents[2] / "shared"
