"""Two versions of one model path taken from git revisions, for ``factorysec review PATH --git REV1[..REV2]``.

Each revision's whole tree is exported with ``git archive`` into a folder, so
that change files whose ``base`` points elsewhere in the repository resolve as
they did at that revision.
"""

from __future__ import annotations

import dataclasses
import io
import subprocess
import tarfile
from pathlib import Path

from factorysec.model.problems import ModelInputError, Problem


class GitVersionError(Exception):
    """The path is not in a git repository, a revision is unknown, or the path does not exist at a revision."""


def _git(repo: Path, *args: str) -> bytes:
    try:
        result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise GitVersionError("git is not installed or not on PATH") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitVersionError(message[-1] if message else f"git {' '.join(args)} failed")
    return result.stdout


def repository_root(path: Path) -> Path:
    """The top folder of the git work tree that holds ``path``."""
    folder = path if path.is_dir() else path.parent
    if not folder.exists():
        raise GitVersionError(f"{path}: no such file or folder")
    try:
        top = _git(folder, "rev-parse", "--show-toplevel")
    except GitVersionError:
        raise GitVersionError(f"{path}: not inside a git repository (--git needs a path in a git work tree)") from None
    return Path(top.decode().strip()).resolve()


def parse_range(spec: str) -> tuple[str, str | None]:
    """``REV1..REV2`` -> (REV1, REV2); ``REV`` -> (REV, None), the second side being the working tree."""
    if ".." in spec:
        first, _, second = spec.partition("..")
        if not first or not second or ".." in second:
            raise GitVersionError(f"--git '{spec}': expected REV or REV1..REV2")
        return first, second
    if not spec:
        raise GitVersionError("--git needs a revision, e.g. HEAD~1 or main..HEAD")
    return spec, None


def export_revision(path: Path, revision: str, destination: Path) -> Path:
    """Export the repository at ``revision`` into ``destination``; return where ``path`` lies in it."""
    root = repository_root(path)
    relative = path.resolve().relative_to(root)
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except GitVersionError:
        raise GitVersionError(f"unknown git revision '{revision}' in {root}") from None
    archive = _git(root, "archive", "--format=tar", revision)
    destination.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(destination, filter="data")
    exported = destination / relative
    if not exported.exists():
        raise GitVersionError(f"{relative} does not exist at revision '{revision}'")
    return exported


def git_versions(path: Path, spec: str, workdir: Path) -> tuple[Path, Path]:
    """The BEFORE and AFTER paths for ``--git spec``: exported revisions under ``workdir``, or the working tree for AFTER."""
    first, second = parse_range(spec)
    before = export_revision(path, first, workdir / "before")
    after = export_revision(path, second, workdir / "after") if second is not None else path
    return before, after


def relabel_problems(error: ModelInputError, exports: dict[Path, str]) -> ModelInputError:
    """The same problems with exported temporary paths shown as ``REV:path/in/repo``."""

    def relabel(problem: Problem) -> Problem:
        for folder, revision in exports.items():
            prefix = str(folder.resolve())
            if problem.file.startswith(prefix):
                return dataclasses.replace(problem, file=f"{revision}:{problem.file[len(prefix) :].lstrip('/')}")
        return problem

    return ModelInputError([relabel(p) for p in error.problems])
