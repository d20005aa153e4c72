#!/usr/bin/env bash
# Check that `factorysec discover` writes byte-identical JSON before and after a change: the sources of
# REVISION (default: the branch point from main) against the working tree, with the same compiled extensions
# (those whose C source differs built from REVISION's),
# on every capture and log in ../shared/data/ics-captures and on any CAPTURES given, each with --jobs 1 and 2.
# Usage: bash scripts/discover_same_output.sh [--base REVISION] [CAPTURE...]
#   e.g. bash scripts/discover_same_output.sh /tmp/b/mixed.pcap   (the 2M-packet capture bench_discovery.py makes)
# Exit 0 when every output (and message) is the same, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
base=$(git merge-base HEAD main 2>/dev/null || git rev-parse HEAD)
if [ "${1:-}" = "--base" ]; then base=$2; shift 2; fi
inputs=("$(cd .. && pwd)/shared/data/ics-captures" "$@")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/base"
git archive "$base" src | tar -x -C "$work/base"
cp src/factorysec/discovery/*.so "$work/base/src/factorysec/discovery/" 2>/dev/null || true
py=$(pwd)/.venv/bin/python
# An extension whose C source changed since REVISION is built from REVISION's source (its Python calls it).
for c in "$work"/base/src/factorysec/discovery/_*.c; do
  if ! cmp -s "$c" "src/factorysec/discovery/$(basename "$c")"; then
    name=$(basename "$c" .c)
    rm -f "$work/base/src/factorysec/discovery/$name".*.so
    (cd "$work/base" && "$py" -c 'import sys; from setuptools import Extension, setup; setup(name="base", package_dir={"": "src"}, ext_modules=[Extension("factorysec.discovery." + sys.argv[1], ["src/factorysec/discovery/" + sys.argv[1] + ".c"])], script_args=["-q", "build_ext", "--inplace"])' "$name" >/dev/null)
    echo "built $name from $base's source"
  fi
done
run() { # label source-folder input jobs
  local code=0
  (cd "$work" && PYTHONPATH=$2 "$py" -m factorysec discover "$3" --format json --jobs "$4" >"$work/$1.json" 2>"$work/$1.err") || code=$?
  echo "exit $code" >>"$work/$1.err"
}
status=0
for input in "${inputs[@]}"; do
  for jobs in 1 2; do
    name=$(basename "$input")-j$jobs
    run "before-$name" "$work/base/src" "$input" "$jobs"
    run "after-$name" "$(pwd)/src" "$input" "$jobs"
    if cmp -s "$work/before-$name.json" "$work/after-$name.json" && cmp -s "$work/before-$name.err" "$work/after-$name.err"; then
      echo "same: $name ($(wc -c <"$work/after-$name.json") bytes of JSON)"
    else
      echo "DIFFERENT: $name"
      status=1
    fi
  done
done
exit $status
