#!/usr/bin/env bash
# Install everything the tests need, then run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/ruff check src tests benchmarks scripts
.venv/bin/ruff format --check src tests benchmarks scripts
.venv/bin/python -m mypy  # strict, on the files [tool.mypy] lists: src/factorysec, tests, benchmarks, scripts
exec .venv/bin/python -m pytest "$@"
