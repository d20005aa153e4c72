#!/usr/bin/env bash
# Check that `report` writes the same folder before and after a change: the sources of REVISION (default: the branch
# point from main) against the working tree, in English and Japanese, on the four examples and any MODEL folders given
# (e.g. the 10k plant bench_report.py generates). Every file is compared with cmp, except summary.pdf (its own bytes
# differ per run) and report.xlsx, compared part by part without docProps/core.xml (its creation time).
# Usage: bash scripts/report_same_output.sh [--base REVISION] [MODEL...]
# Exit 0 when every folder is the same, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
base=$(git merge-base HEAD main 2>/dev/null || git rev-parse HEAD)
if [ "${1:-}" = "--base" ]; then base=$2; shift 2; fi
repo=$(pwd)
models=("$repo/examples/annex-a/current" "$repo/examples/automotive-parts" "$repo/examples/food-batch"
  "$repo/examples/pharma-data-integrity")
for extra in "$@"; do models+=("$(cd "$extra" && pwd)"); done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/base" "$work/before" "$work/after"
git archive "$base" src | tar -x -C "$work/base"
cp src/factorysec/discovery/*.so "$work/base/src/factorysec/discovery/" 2>/dev/null || true
py=$repo/.venv/bin/python
status=0
for model in "${models[@]}"; do
  for lang in en ja; do
    name=$(basename "$model")-$lang
    PYTHONPATH=$work/base/src "$py" -m factorysec report "$model" --lang "$lang" --out "$work/before/$name" >/dev/null
    PYTHONPATH=$repo/src "$py" -m factorysec report "$model" --lang "$lang" --out "$work/after/$name" >/dev/null
    for side in before after; do
      mkdir "$work/$side/$name/report.xlsx.d"
      (cd "$work/$side/$name/report.xlsx.d" && unzip -q ../report.xlsx && rm -f docProps/core.xml)
      rm "$work/$side/$name/report.xlsx" "$work/$side/$name/summary.pdf"
    done
    if diff -r -q "$work/before/$name" "$work/after/$name" >"$work/diff.txt"; then
      echo "same: $name ($(find "$work/after/$name" -type f | wc -l) files)"
    else
      echo "DIFFERENT: $name"
      head -20 "$work/diff.txt"
      status=1
    fi
  done
done
exit $status
