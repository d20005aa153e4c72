"""factorysec's bytecode written before a benchmark times anything, as an install writes it.

An editable install writes none, and where PYTHONDONTWRITEBYTECODE is set (as on our machines) no run writes it
either: every timed command would compile the project's modules from source again (0.04 s of a 0.43 s
`discover`). `scripts/setup.sh` runs the same compileall.
"""

from __future__ import annotations

import subprocess

_COMPILE = (
    "import compileall, factorysec, pathlib; compileall.compile_dir(pathlib.Path(factorysec.__file__).parent, quiet=1)"
)


def compile_bytecode(python: str) -> None:
    """Compile factorysec's modules with `python` (only those changed since their bytecode was written)."""
    subprocess.run([python, "-c", _COMPILE], check=True)
    print("bytecode: factorysec's modules compiled before timing (compileall), as an install does", flush=True)
