#!/usr/bin/env bash
# Install factorysec and what it needs into ./.venv on a fresh Debian machine.
# Usage: bash scripts/setup.sh [--test]   (--test also installs what the test suite needs)
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

# System packages: Graphviz renders diagrams; CJK fonts render Japanese; Pango lets WeasyPrint print summary.pdf; Chromium, tshark and PostgreSQL serve tests and benchmarks.
packages=()
command -v dot >/dev/null 2>&1 || packages+=(graphviz)
fc-list 2>/dev/null | grep -qi "noto sans cjk" || packages+=(fonts-noto-cjk)
command -v cc >/dev/null 2>&1 || packages+=(gcc)  # builds the capture reader's C walks (optional: without it, plain Python)
ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so" || packages+=(libpango-1.0-0 libpangoft2-1.0-0)  # WeasyPrint lays out summary.pdf with Pango
if [ "$want_test" = 1 ]; then
  command -v chromium >/dev/null 2>&1 || packages+=(chromium)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || packages+=(postgresql)  # the workspace tests run on PostgreSQL too
  command -v chromedriver >/dev/null 2>&1 || packages+=(chromium-driver)  # the workspace's browser tests drive Chromium through Selenium
  [ -e /usr/include/ldap.h ] || packages+=(libldap-dev libsasl2-dev)  # python-ldap (the 'ldap' extra) builds from source
fi
if [ "${#packages[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "setup: installing ${packages[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  else
    echo "setup: please install these Debian packages: ${packages[*]}" >&2
  fi
fi

# Python packages: exactly the versions in the lock, hash-checked (refresh it with `bash scripts/lock.sh`).
lock=requirements/main.lock
[ "$want_test" = 1 ] && lock=requirements/test.lock
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes -r "$lock"
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
# The report's templates compiled once into the package (src/factorysec/report/_compiled_templates), not on every run.
.venv/bin/python -m factorysec.report.template_cache >/dev/null
# The project's bytecode, written once: an editable install writes none, and where PYTHONDONTWRITEBYTECODE is set
# (as on some CI machines) no run writes it either, so every command compiled its modules again (0.04 s of a
# `discover` that takes 0.43). Python checks each file's timestamp, so an edited module is still read from source.
.venv/bin/python -m compileall -q src/factorysec >/dev/null
