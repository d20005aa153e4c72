#!/usr/bin/env bash
# Install factorysec, then analyse the bundled Annex A example factory.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/factorysec check examples/annex-a/current
.venv/bin/factorysec analyze examples/annex-a/current
