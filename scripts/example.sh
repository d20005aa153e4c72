#!/usr/bin/env bash
# Install factorysec, then analyse the bundled Annex A example factory and write its full report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/factorysec check examples/annex-a/current
.venv/bin/factorysec analyze examples/annex-a/current
.venv/bin/factorysec report examples/annex-a/current --out reports/annex-a
echo "Open reports/annex-a/report.html in a browser (report.xlsx, report.md, assessment.json and findings.sarif are beside it)."
