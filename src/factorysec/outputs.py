"""Where every command writes: one policy for files and folders, checked before anything is written.

Rules (the "Output files" section of docs/commands.md says the same):

- **Never replace an existing file without ``--force``.** factorysec cannot
  tell a file it wrote from one a person edited afterwards (a starter model
  filled in by hand, a workbook completed by a supplier), so any existing file
  counts as hand-written. The one exception is a report folder that holds
  nothing but the files ``factorysec report`` writes: it is a previous report
  and is replaced whole.
- **Never write through a symbolic link.** A link where a file is meant is
  refused (with ``--force`` the link itself is replaced, never its target);
  a link inside a report folder is refused.
- **Never create a tree of folders from a typo.** The folder that holds the
  output must exist (an output folder itself, ``report --out DIR`` or
  ``init DIR``, is created when its parent exists).
- **Whole or nothing.** A file is written to a temporary file beside it and
  moved into place (:func:`os.replace`); a report folder is written into a
  temporary sibling folder and moved into place, so a renderer that fails
  leaves neither a partial file nor a partial folder.

Every refusal is an :class:`OutputError` whose text is one line naming the path
and what to do; the command line prints it and exits with code 2.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from fnmatch import fnmatchcase
from pathlib import Path
from typing import IO

from factorysec.report.inert import printable


class OutputError(Exception):
    """An output that cannot or may not be written; the message is one line naming the path and what to do."""


def _shown(path: Path) -> str:
    return printable(str(path))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_parent(path: Path) -> Path:
    """The folder that will hold ``path``; refuse when it does not exist or is not a folder."""
    parent = path.parent
    if not parent.exists():
        raise OutputError(
            f"{_shown(path)}: the folder {_shown(parent)} does not exist; create it first or give another path"
        )
    if not parent.is_dir():
        raise OutputError(f"{_shown(path)}: {_shown(parent)} is a file, not a folder; give a path inside a folder")
    return parent


def check_file_target(path: Path, *, force: bool, example_name: str = "output") -> None:
    """Refuse a file output that may not be written: a folder, a missing parent, a link, or an existing file without ``force``."""
    if path.is_symlink():
        if not force:
            raise OutputError(
                f"{_shown(path)} is a symbolic link; factorysec does not write through links: remove it, give another path, "
                "or use --force to replace the link itself"
            )
    elif path.is_dir():
        raise OutputError(f"{_shown(path)} is a folder; give a file name, e.g. {_shown(path / example_name)}")
    elif path.exists():
        if not path.is_file():
            raise OutputError(f"{_shown(path)} exists and is not a regular file; give another path")
        if not force:
            raise OutputError(f"{_shown(path)} already exists; use --force to replace it, or give another path")
    check_parent(path)


def input_files(inputs: Iterable[Path | None]) -> set[Path]:
    """The files a command reads, resolved: a folder model counts as itself and every model file inside it."""
    from factorysec.model.sources import model_files

    files: set[Path] = set()
    for given in inputs:
        if given is None:
            continue
        files.add(Path(os.path.abspath(given)).resolve())
        if given.is_dir():
            files.update(file.resolve() for file in model_files(given))
    return files


def check_file_targets(
    targets: Iterable[tuple[str, Path | None]], *, force: bool, inputs: Collection[Path] = ()
) -> None:
    """:func:`check_file_target` for every output a command names (``(option, path)``), and, even with ``force``,
    refuse one that is a file the command reads (``inputs``, resolved: see :func:`input_files`) or that another
    output of the same run names too. The message starts with the option.
    """
    seen: dict[Path, str] = {}
    for option, target in targets:
        if target is None:
            continue
        resolved = Path(os.path.abspath(target)).resolve()
        if resolved in inputs:
            raise OutputError(f"{option}: {_shown(target)} is an input of this command; give another path")
        if resolved in seen:
            raise OutputError(
                f"{option}: {_shown(target)} is also given as {seen[resolved]}; give each output its own path"
            )
        seen[resolved] = option
        try:
            check_file_target(target, force=force)
        except OutputError as error:
            raise OutputError(f"{option}: {error}") from None


def check_outside_model_folder(option: str, target: Path | None, model: Path | None) -> None:
    """Refuse a YAML output inside a folder model: every YAML file under the folder is read as part of the model,
    so the next command given the folder would read the output (a change file, a model) as one of its files."""
    if target is None or model is None or not model.is_dir():
        return
    from factorysec.model.sources import YAML_SUFFIXES

    if target.suffix.lower() not in YAML_SUFFIXES:
        return
    folder = model.resolve()
    if Path(os.path.abspath(target)).resolve().is_relative_to(folder):
        raise OutputError(
            f"{option}: {_shown(target)} is inside the model folder {_shown(model)}, whose every YAML file is read as "
            "part of the model; write it outside that folder"
        )


def _cannot_write(path: Path, error: OSError) -> OutputError:
    reason = error.strerror or str(error)
    return OutputError(f"cannot write {_shown(path)}: {printable(reason)}; choose a place you can write to")


def _is_write_error(error: OSError, place: Path) -> bool:
    """Whether ``error`` came from writing into ``place`` (a full disk, no permission), not from reading elsewhere or a closed pipe."""
    if isinstance(error, BrokenPipeError):
        return False
    if error.filename is None:
        return True
    written = Path(os.path.abspath(error.filename))
    return written == place or place in written.parents


@contextmanager
def atomic_path(path: Path, *, force: bool, example_name: str = "output") -> Iterator[Path]:
    """A temporary path beside ``path`` to write the whole output to; moved onto ``path`` when the block ends without error.

    The checks of :func:`check_file_target` run first. On error the temporary
    file is removed and ``path`` is left as it was.
    """
    check_file_target(path, force=force, example_name=example_name)
    try:
        handle, temporary_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as error:
        raise _cannot_write(path, error) from None
    os.close(handle)
    temporary = Path(temporary_name)
    try:
        yield temporary
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; an output gets the usual permissions
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        if not _is_write_error(error, Path(os.path.abspath(path.parent))):
            raise
        raise _cannot_write(path, error) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_text(path: Path, *, force: bool, example_name: str = "output") -> Iterator[IO[str]]:
    """Open a temporary file beside ``path`` for UTF-8 text; it replaces ``path`` once closed without error."""
    with (
        atomic_path(path, force=force, example_name=example_name) as temporary,
        temporary.open("w", encoding="utf-8", newline="") as handle,
    ):
        yield handle


@contextmanager
def atomic_binary(path: Path, *, force: bool, example_name: str = "output") -> Iterator[IO[bytes]]:
    """Open a temporary file beside ``path`` for bytes; it replaces ``path`` once closed without error."""
    with atomic_path(path, force=force, example_name=example_name) as temporary, temporary.open("wb") as handle:
        yield handle


def write_output(path: Path, content: str | bytes, *, force: bool, example_name: str = "output") -> Path:
    """Write ``content`` to ``path`` whole or not at all; return ``path``."""
    if isinstance(content, str):
        with atomic_text(path, force=force, example_name=example_name) as text:
            text.write(content)
    else:
        with atomic_binary(path, force=force, example_name=example_name) as binary:
            binary.write(content)
    return path


def prepare_folder(directory: Path, *, create: bool = True) -> Path:
    """Make sure ``directory`` (that will hold an output file) exists: created when its parent exists, refused otherwise.

    With ``create=False`` only the checks run: nothing is created.
    """
    if directory.is_symlink() and not directory.is_dir():
        raise OutputError(f"{_shown(directory)} is a symbolic link to nothing; remove it or give another folder")
    if directory.exists():
        if not directory.is_dir():
            raise OutputError(f"{_shown(directory)} exists and is not a folder; give a folder")
        return directory
    check_parent(directory)
    if not create:
        return directory
    try:
        directory.mkdir()
    except OSError as error:
        raise _cannot_write(directory, error) from None
    return directory


@contextmanager
def atomic_folder(directory: Path, owned_names: Collection[str]) -> Iterator[Path]:
    """A temporary sibling folder to write a whole output folder into; it takes the place of ``directory`` when the block ends without error.

    ``directory`` may be missing, empty, or hold only files named in
    ``owned_names`` (an earlier run's output, replaced whole); a name of the
    form ``NAME/PATTERN`` (``zones/*.html``) is a sub-folder of plain files the
    output writes, matched by a shell pattern. Anything else in it is refused
    before anything is written: a symbolic link, a folder, or a file this
    output does not write (in a sub-folder too: a user's notes kept there
    would be lost with the folder). On error the temporary folder is
    removed and ``directory`` is left as it was.
    """
    directory = check_folder_target(directory, owned_names)
    parent = directory.parent
    try:
        temporary = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", suffix=".part", dir=parent))
    except OSError as error:
        raise _cannot_write(directory, error) from None
    try:
        yield temporary
        os.chmod(temporary, 0o777 & ~_umask())
        _swap_in(temporary, directory)
    except OSError as error:
        shutil.rmtree(temporary, ignore_errors=True)
        if not _is_write_error(error, parent):
            raise
        raise _cannot_write(directory, error) from None
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


def check_folder_target(directory: Path, owned_names: Collection[str]) -> Path:
    """Refuse an output folder :func:`atomic_folder` may not replace; return it as an absolute path. Nothing is written."""
    directory = Path(os.path.abspath(directory))
    if directory.is_symlink():
        raise OutputError(
            f"{_shown(directory)} is a symbolic link; factorysec does not write through links: give the folder itself"
        )
    if directory.exists():
        if not directory.is_dir():
            raise OutputError(
                f"{_shown(directory)} exists and is not a folder; give a folder (it is created if missing)"
            )
        _check_previous_output(directory, owned_names)
    check_parent(directory)
    return directory


def _check_previous_output(directory: Path, owned_names: Collection[str]) -> None:
    foreign: list[str] = []
    for entry in sorted(os.scandir(directory), key=lambda e: e.name):
        if entry.is_symlink():
            raise OutputError(
                f"{_shown(Path(entry.path))} is a symbolic link; factorysec does not write through links: remove it or give another folder"
            )
        patterns = [name.removeprefix(f"{entry.name}/") for name in owned_names if name.startswith(f"{entry.name}/")]
        if patterns and entry.is_dir(follow_symlinks=False):
            _check_owned_subfolder(Path(entry.path), patterns)
        elif entry.name not in owned_names or not entry.is_file(follow_symlinks=False):
            foreign.append(entry.name)
    if foreign:
        shown = ", ".join(printable(name) for name in foreign[:3]) + (
            f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
        )
        raise OutputError(
            f"{_shown(directory)} holds {shown}, which this command does not write; give a new or empty folder, or move them away"
        )


def _check_owned_subfolder(folder: Path, patterns: Collection[str]) -> None:
    """A sub-folder an output owns (``NAME/PATTERN`` in the owned names) may hold only plain files matching one of
    `patterns`: it was written whole by an earlier run, and is replaced whole."""
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.is_symlink():
            raise OutputError(
                f"{_shown(Path(entry.path))} is a symbolic link; factorysec does not write through links: remove it or give another folder"
            )
        if not entry.is_file(follow_symlinks=False) or not any(fnmatchcase(entry.name, p) for p in patterns):
            raise OutputError(
                f"{_shown(folder)} holds {printable(entry.name)}, which this command does not write; give a new or empty folder, or move it away"
            )


def _swap_in(temporary: Path, directory: Path) -> None:
    """Move ``temporary`` to ``directory``; an earlier ``directory`` is moved aside first and removed once the new one is in place."""
    if not directory.exists():
        os.rename(temporary, directory)
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", suffix=".old", dir=directory.parent))
    os.rename(directory, aside / "previous")
    try:
        os.rename(temporary, directory)
    except OSError:
        os.rename(aside / "previous", directory)
        aside.rmdir()
        raise
    shutil.rmtree(aside, ignore_errors=True)
