#!/usr/bin/env bash
# Refresh the lock files from pyproject.toml (run after changing a dependency; commit the result).
# requirements/main.lock: what `scripts/example.sh` installs; requirements/test.lock: what `scripts/test.sh` installs.
# Both pin every package, its dependencies and the build backend, with hashes (pip --require-hashes checks them).
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=0.13.9
[ -x .venv-lock/bin/uv ] || { python3 -m venv .venv-lock && .venv-lock/bin/python -m pip install -q "uv==$UV_VERSION"; }
uv=.venv-lock/bin/uv
common=(--quiet --generate-hashes --python-version 3.11 --universal --no-header --custom-compile-command "bash scripts/lock.sh")
"$uv" pip compile "${common[@]}" pyproject.toml requirements/build.in -o requirements/main.lock
"$uv" pip compile "${common[@]}" --all-extras pyproject.toml requirements/build.in -o requirements/test.lock
echo "lock: wrote requirements/main.lock and requirements/test.lock" >&2
