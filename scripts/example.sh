#!/usr/bin/env bash
# Install factorysec, then analyse the bundled Annex A example factory and write its full report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/factorysec check examples/annex-a/current
.venv/bin/factorysec analyze examples/annex-a/current
mkdir -p reports  # report writes only into a folder whose parent exists; it creates no parents itself
.venv/bin/factorysec report examples/annex-a/current --out reports/annex-a
echo "Open reports/annex-a/report.html in a browser (its step, purpose and zone pages, zones.svg, report.xlsx, report.md, assessment.json, findings.sarif and summary.pdf are beside it)."
# Then the shared web workspace on the same example, with the embedded database (SQLite, reports/workspace.sqlite3):
# the first start prints the administrator's password once; Ctrl+C stops it, running this again reuses the database.
exec .venv/bin/factorysec serve examples/annex-a/current --db reports/workspace.sqlite3 --host 127.0.0.1 --port "${FACTORYSEC_PORT:-8000}"
