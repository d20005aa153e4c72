"""The report templates compiled once, at install time, instead of on every run.

Jinja compiles a template's source to Python code the first time an environment
loads it. The HTML pages' 13 templates took about 0.6 CPU seconds to compile,
a fifth of the HTML writer's time on the 10k-asset plant, paid again by every
``report`` run (and by each writer process). ``python -m
factorysec.report.template_cache`` (run by ``scripts/setup.sh`` after
installing) compiles them into :data:`CACHE_FOLDER` inside the package, through
Jinja's own bytecode-cache interface; at run time the environments read from
that folder and never write to it (a run writes only into its output folder).

Nothing there can make a page differ from a freshly compiled one: Jinja keeps
each compiled template with the checksum of the source it was compiled from and
the Python and cache format versions, and compiles anew when any of them
differ (an edited template, another Python); the file name holds a digest of
the environment's compile options and Jinja's version, so the HTML and PDF
environments (different whitespace options) never share a template's code. A
missing, stale or unreadable file only costs the compile it would have saved.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

import jinja2
from jinja2 import Environment, TemplateAssertionError
from jinja2.bccache import Bucket, BytecodeCache

CACHE_FOLDER = Path(__file__).resolve().parent / "_compiled_templates"
"""Where the install step puts the compiled templates (ignored by git; absent until the step runs)."""

_COMPILE_OPTIONS = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "optimized",
)
"""The settings of an :class:`~jinja2.Environment` that change the code a template compiles to."""


def environment_flavour(environment: Environment) -> str:
    """A short digest of what, besides the source, decides a template's compiled code: the compile options, the
    autoescape setting, the extensions and Jinja's version."""
    autoescape = environment.autoescape
    described = [repr(getattr(environment, option)) for option in _COMPILE_OPTIONS]
    described.append(
        repr(autoescape) if isinstance(autoescape, bool) else f"{autoescape.__module__}.{autoescape.__qualname__}"
    )
    described.extend(sorted(environment.extensions))
    described.append(jinja2.__version__)
    if environment.finalize is not None:  # compiled in as calls around every printed value (report.md's escaping)
        described.append(f"finalize {getattr(environment.finalize, 'jinja_pass_arg', None)}")
    return hashlib.sha256("\0".join(described).encode("utf-8")).hexdigest()[:16]


class InstalledBytecodeCache(BytecodeCache):
    """Compiled templates read from a folder (:data:`CACHE_FOLDER`), written there only when ``writable``
    (the install step); the key is the template's name and the environment's :func:`environment_flavour`."""

    def __init__(self, flavour: str, folder: Path = CACHE_FOLDER, *, writable: bool = False) -> None:
        self.flavour = flavour
        self.folder = folder
        self.writable = writable

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        """The template's name only, not its absolute path, so the folder survives the package being moved."""
        return hashlib.sha256(f"{self.flavour}\0{name}".encode()).hexdigest()[:32]

    def _path(self, bucket: Bucket) -> Path:
        return self.folder / f"{self.flavour}-{bucket.key}.cache"

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            data = self._path(bucket).read_bytes()
        except OSError:
            return
        try:
            bucket.bytecode_from_string(data)  # resets the bucket itself on another version or a changed source
        except Exception:  # a truncated or foreign file: compile as if it were absent
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        if not self.writable:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(bucket.bytecode_to_string())
            os.replace(temporary, self._path(bucket))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def use_installed_templates(
    environment: Environment, folder: Path = CACHE_FOLDER, *, writable: bool = False
) -> Environment:
    """Give ``environment`` the compiled templates of ``folder`` (set its bytecode cache); return it."""
    environment.bytecode_cache = InstalledBytecodeCache(environment_flavour(environment), folder, writable=writable)
    return environment


def _report_environments() -> list[tuple[Environment, str]]:
    """Every environment of the report folder's writers whose templates this module compiles, with the end of the
    names of the templates it renders."""
    from factorysec.report.html import template_environment
    from factorysec.report.markdown import _environment as markdown_environment
    from factorysec.report.pdf import summary_environment

    return [(template_environment("en"), ""), (summary_environment(), ".html.j2"), (markdown_environment(), ".md.j2")]


def compile_templates(folder: Path = CACHE_FOLDER) -> list[Path]:
    """Compile the templates of the report's environments into ``folder``; return the files written.

    A template that names a filter its environment lacks belongs to another
    environment (the comparison page's, the PDF's) and is left out of that one.
    ``report.md.j2`` is compiled for report.md's environment (its ``finalize`` escaping is part of the code, and of
    :func:`environment_flavour`); that environment reads it once it calls :func:`use_installed_templates`.
    """
    written: set[Path] = set()
    for environment, ending in _report_environments():
        use_installed_templates(environment, folder, writable=True)
        assert environment.loader is not None
        for name in environment.loader.list_templates():
            if not name.endswith(ending):
                continue
            try:
                environment.get_template(name)  # compiled, then stored through the cache's dump_bytecode
            except TemplateAssertionError:
                continue
        written.update(folder.glob(f"{environment_flavour(environment)}-*.cache"))
    return sorted(written)


def main(argv: list[str] | None = None) -> int:
    """``python -m factorysec.report.template_cache [FOLDER]``: compile the report templates (default: into the package)."""
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else CACHE_FOLDER
    written = compile_templates(folder)
    print(f"compiled {len(written)} report templates into {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
