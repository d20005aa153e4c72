#!/usr/bin/env bash
# Fuzz the whole CLI (tests/fuzz_harness.py): mutated YAML, workbook and capture bytes, nasty strings in every
# string field, random arguments; broken CSAF advisories, KEV catalogs, SBOMs, VEX, decisions, earlier outputs and
# caches for the vulnerability intake, and broken OTM, Threagile and mapping files for the importers. Prints a tally
# (inputs tried, clean exits, failures) and one line per distinct failure with the first input that showed it;
# exits 1 if any input failed.
#
#   bash scripts/fuzz.sh                 # 2000 inputs
#   bash scripts/fuzz.sh 20000           # more
#   FUZZ_SEED=7 bash scripts/fuzz.sh 500 # repeatable
#   FUZZ_SAVE=/tmp/fuzz bash scripts/fuzz.sh # keep the first input of each distinct failure there
#   FUZZ_INPUTS=documents bash scripts/fuzz.sh # only the intake's and the importers' files (or: models)
set -euo pipefail
cd "$(dirname "$0")/.."
examples="${1:-${FUZZ_EXAMPLES:-2000}}"
python="${PYTHON:-.venv/bin/python}"
args=(--examples "$examples")
if [[ -n "${FUZZ_SEED:-}" ]]; then args+=(--seed "$FUZZ_SEED"); fi
if [[ -n "${FUZZ_SAVE:-}" ]]; then args+=(--save "$FUZZ_SAVE"); fi
if [[ -n "${FUZZ_INPUTS:-}" ]]; then args+=(--inputs "$FUZZ_INPUTS"); fi
exec "$python" -m tests.fuzz_harness "${args[@]}"
