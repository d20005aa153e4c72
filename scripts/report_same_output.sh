#!/usr/bin/env bash
# Check that `factorysec report` writes the same folder as another copy of the sources (e.g. main's) on one model,
# in English and Japanese: every file byte for byte but summary.pdf (not compared) and report.xlsx, compared part by
# part, all but docProps/core.xml (its creation time); the zips' compression may differ.
# Usage: bash scripts/report_same_output.sh OTHER_SRC MODEL [SCRATCH]   (OTHER_SRC: a folder holding factorysec/)
set -euo pipefail
cd "$(dirname "$0")/.."
other_src=$1 model=$2 scratch=${3:-$(mktemp -d)}
mkdir -p "$scratch"
status=0
for lang in en ja; do
  rm -rf "$scratch/before-$lang" "$scratch/after-$lang"
  PYTHONPATH="$other_src" .venv/bin/python -m factorysec report "$model" --out "$scratch/before-$lang" --lang "$lang" >/dev/null 2>&1
  .venv/bin/python -m factorysec report "$model" --out "$scratch/after-$lang" --lang "$lang" >/dev/null 2>&1
  .venv/bin/python - "$scratch/before-$lang" "$scratch/after-$lang" <<'PY' || status=1
import sys, zipfile
from pathlib import Path

before, after = Path(sys.argv[1]), Path(sys.argv[2])
names = sorted(p.relative_to(before).as_posix() for p in before.rglob("*") if p.is_file())
if names != sorted(p.relative_to(after).as_posix() for p in after.rglob("*") if p.is_file()):
    sys.exit(f"{after}: other files than {before}")
differ = []
for name in names:
    if name == "summary.pdf":
        continue
    if name.endswith(".xlsx"):
        with zipfile.ZipFile(before / name) as one, zipfile.ZipFile(after / name) as two:
            parts = [n for n in one.namelist() if n != "docProps/core.xml"]
            if parts != [n for n in two.namelist() if n != "docProps/core.xml"] or any(one.read(n) != two.read(n) for n in parts):
                differ.append(name)
    elif (before / name).read_bytes() != (after / name).read_bytes():
        differ.append(name)
print(f"{after.name}: {len(names)} files, {len(names) - len(differ) - 1} identical (summary.pdf not compared)" + (f"; DIFFER: {differ}" if differ else ""))
sys.exit(1 if differ else 0)
PY
done
exit $status
