"""Assembling one model document from files, folders and change files, remembering where each part came from.

A model path is one of:

* a YAML file holding a model (or part of one);
* a folder: every ``*.yaml``/``*.yml`` below it, in sorted order, merged by
  concatenating the list sections and taking each single section (``factory``,
  ``bcp``) from the one file that has it;
* a change file: a YAML file with a ``change:`` header naming a ``base`` model
  path (any of these, or a model workbook), and ``add``, ``modify`` and
  ``remove`` sections applied to it.

Positions are only needed when something is wrong or a report cites a line, so
files are parsed without recording positions and re-read on demand.
"""

from __future__ import annotations

import bisect
import difflib
from dataclasses import dataclass, field
from itertools import accumulate, chain
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from factorysec.model.entities import COLLECTIONS, SINGLETONS, section_adapter
from factorysec.model.problems import ModelInputError, Problem
from factorysec.problems import Said
from factorysec.yamlio import EntryIndex, Location, Path_, ReadFile, YamlReadError, read_yaml

YAML_SUFFIXES = (".yaml", ".yml")
CHANGE_SECTIONS = ("change", "add", "modify", "remove")
MAX_BASE_DEPTH = 16


@dataclass(frozen=True)
class Origin:
    """Where a part of the merged document lives: a file and the path inside that file."""

    file: str
    prefix: Path_


@dataclass(frozen=True)
class Runs:
    """A list section concatenated from several files: the ``i``-th file's entries start at index ``starts[i]``.

    ``starts`` has one more element than ``files``: the section's length.
    One origin per entry cost about 0.8 s and 100 MB at 100k assets, and is
    only needed to report a problem.
    """

    starts: list[int]
    files: list[str]


@dataclass
class _Item:
    data: Any
    origin: Origin
    field_origins: dict[Path_, Origin] = field(default_factory=dict)
    """Origins of fields changed by a change file, keyed by their path inside the item."""


@dataclass
class _Doc:
    singles: dict[str, _Item] = field(default_factory=dict)
    lists: dict[str, list[_Item]] = field(default_factory=dict)
    section_origins: dict[str, Origin] = field(default_factory=dict)
    change_title: str | None = None
    base_document: SourcedDocument | None = None


class SourceMap:
    """Resolves a path in the merged document to a file, line and column."""

    def __init__(
        self,
        files: dict[str, Path],
        item_origins: dict[Path_, Origin],
        field_origins: dict[Path_, Origin],
        preloaded: dict[str, dict[Path_, Location]] | None = None,
        runs: dict[str, Runs] | None = None,
        entries: dict[str, EntryIndex] | None = None,
        workbooks: dict[str, SourceMap] | None = None,
    ) -> None:
        self.files = files
        self.workbooks: dict[str, SourceMap] = workbooks or {}
        """Per workbook among ``files`` (the base of a change file): its own map, which places a path in it by sheet, row and column."""
        self.entries: dict[str, EntryIndex] = entries or {}
        """Per file: where its sections and list entries start, noted when it was first read; reports place findings by it without parsing again."""
        self.item_origins = item_origins
        self.field_origins = field_origins
        self.runs: dict[str, Runs] = runs or {}
        """Per list section merged from several files without an origin per entry: where each file's entries start."""
        self._locations: dict[str, dict[Path_, Location]] = dict(preloaded or {})
        self._scalar_texts: dict[str, dict[Path_, str]] = {}
        self._refusals: dict[str, list[Problem]] = {}

    def _file_locations(self, display: str) -> dict[Path_, Location]:
        if display in self.workbooks:
            return {}  # not YAML: its own map places paths in it
        if display not in self._locations:
            try:
                read = read_yaml(self.files[display], display, record_locations=True)
                self._locations[display] = read.locations or {}
                self._scalar_texts[display] = read.scalar_texts or {}
            except YamlReadError as exc:
                self._locations[display] = {}
                self._refusals[display] = exc.problems
            except KeyError:
                self._locations[display] = {}
        return self._locations[display]

    def safety_problems(self) -> list[Problem]:
        """What the safe walker refuses in any of the files (nesting too deep, a mapping as a key), read with positions.

        Files that need no walker are read without it (see :mod:`factorysec.yamlio`);
        a document the walker would refuse never fits the model, so this runs
        only before problems are reported, and its problems replace them.
        """
        problems: list[Problem] = []
        for display in self.files:
            self._file_locations(display)
            problems.extend(self._refusals.get(display, ()))
        return problems

    def written_text(self, path: Path_) -> str | None:
        """The value at ``path`` exactly as written, when YAML may have read it as something other than text (``true``, ``1e3``, ``0o17``)."""
        found = self.origin_of(path)
        if found is None:
            return None
        origin, rest = found
        self._file_locations(origin.file)
        return self._scalar_texts.get(origin.file, {}).get((*origin.prefix, *rest))

    def origin_of(self, path: Path_) -> tuple[Origin, Path_] | None:
        """The origin covering ``path`` and the rest of the path below it."""
        for length in range(len(path), 0, -1):
            prefix = path[:length]
            origin = self.field_origins.get(prefix) or self.item_origin(prefix)
            if origin is not None:
                return origin, path[length:]
        return None

    def item_origin(self, path: Path_) -> Origin | None:
        """Where the section or list entry at ``path`` was written: recorded as such, or found in the section's runs."""
        origin = self.item_origins.get(path)
        if origin is not None or len(path) != 2:
            return origin
        key, index = path
        runs = self.runs.get(str(key))
        if runs is None or type(index) is not int:
            return None
        run = bisect.bisect_right(runs.starts, index) - 1
        if not 0 <= run < len(runs.files):
            return None
        return Origin(runs.files[run], (key, index - runs.starts[run]))

    def place(self, path: Path_) -> str:
        """How to name the place of ``path`` when file:line:column does not fit (workbooks); empty for text files."""
        if not self.workbooks:
            return ""
        found = self.origin_of(path)
        if found is None or found[0].file not in self.workbooks:
            return ""
        origin, rest = found
        return self.workbooks[origin.file].place((*origin.prefix, *rest))

    def locate(self, path: Path_) -> tuple[str, int, int]:
        """File, line and column of the value at ``path`` (or of its nearest located parent)."""
        found = self.origin_of(path)
        if found is None:
            first = next(iter(self.files), "<model>")
            return first, 1, 1
        origin, rest = found
        in_file = (*origin.prefix, *rest)
        if origin.file in self.workbooks:
            return self.workbooks[origin.file].locate(in_file)
        if origin.file not in self._locations:
            index = self.entries.get(origin.file)
            noted = index.locate(in_file) if index is not None else None
            if noted is not None:
                return origin.file, noted[0], noted[1]
        locations = self._file_locations(origin.file)
        for length in range(len(in_file), -1, -1):
            location = locations.get(in_file[:length])
            if location is not None:
                return origin.file, location[0], location[1]
        return origin.file, 1, 1


@dataclass
class SourcedDocument:
    """The merged raw document, where its parts came from, and its base when it is a change."""

    data: dict[str, Any]
    sources: SourceMap
    change_title: str | None = None
    base: SourcedDocument | None = None
    problems: list[Problem] = field(default_factory=list)
    """Problems applying a change file that did not stop the document from being built; reported with the model's."""


def display_name(path: Path) -> str:
    """How a file is named in messages: relative to the working directory when below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def model_files(path: Path) -> list[Path]:
    """The YAML files that make up a model path, in merge order."""
    if path.is_dir():
        return sorted(
            p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file() and not p.name.startswith(".")
        )
    return [path]


def assemble(
    path: Path, *, validate_entries: bool = False, note_entries: bool = False, _depth: int = 0
) -> SourcedDocument:
    """Read and merge the model at ``path``; raise :class:`YamlReadError` listing every problem that stops it.

    ``note_entries``: note where each file's entries start as it is read (see
    :class:`factorysec.yamlio.EntryIndex`), for outputs that cite them by line.
    With ``validate_entries`` the valid entries of list sections are models,
    validated as each file is read (see :func:`_validate_sections`), and the
    others raw mappings; without it the document is all raw data.
    """
    if not path.exists():
        raise YamlReadError([Problem(display_name(path), 1, 1, "", Said("no_such_path"), Said("no_such_path.hint"))])
    files = model_files(path)
    if not files:
        raise YamlReadError([Problem(display_name(path), 1, 1, "", Said("empty_folder"), Said("empty_folder.hint"))])
    problems: list[Problem] = []
    reads: list[ReadFile] = []
    displays: dict[str, Path] = {}
    for file in files:
        display = display_name(file)
        displays[display] = file
        try:
            read = read_yaml(file, display, record_locations=False, note_entries=note_entries)
        except YamlReadError as exc:
            problems.extend(exc.problems)
            continue
        if validate_entries and _depth == 0 and not problems:
            _validate_sections(read)
        reads.append(read)
    if problems:
        raise YamlReadError(problems)
    try:
        return _assemble_reads(path, reads, displays, _depth, note_entries)
    except YamlReadError as exc:
        raise YamlReadError(SourceMap(displays, {}, {}).safety_problems() or exc.problems) from None


VALIDATION_CHUNK = 4096
"""Entries validated at once when a file is read."""


def _validate_sections(read: ReadFile) -> None:
    """Replace the entries of each list section of a model file by the validated entries, in place, a chunk at a time.

    The raw entries (their dicts and lists take some 25 times the file's
    size: 0.5 GB for 100k assets and their conduits) are then freed as the
    entries are built, instead of living until the whole document is
    validated. Validating the document takes the validated entries as they
    are (pydantic does not validate a model instance again), so the result
    and its cost do not change. A chunk with an invalid entry stays raw, for
    the loader to report; change files and their bases stay raw, as changes
    apply to raw entries.
    """
    data = read.data
    if not isinstance(data, dict) or "change" in data:
        return
    for key, entries in data.items():
        if key not in COLLECTIONS or not isinstance(entries, list):
            continue
        adapter = section_adapter(key)
        for start in range(0, len(entries), VALIDATION_CHUNK):
            end = start + VALIDATION_CHUNK
            try:
                entries[start:end] = adapter.validate_python(entries[start:end])
            except ValidationError:
                continue


def _assemble_reads(
    path: Path, reads: list[ReadFile], displays: dict[str, Path], _depth: int, note_entries: bool = False
) -> SourcedDocument:
    change_reads = [r for r in reads if isinstance(r.data, dict) and "change" in r.data]
    if change_reads and (len(reads) > 1 or path.is_dir()):
        raise YamlReadError(
            [
                _problem_at(
                    r,
                    ("change",),
                    Said("change_in_folder"),
                    Said("change_in_folder.hint"),
                )
                for r in change_reads
            ]
        )
    if change_reads:
        return _assemble_change(change_reads[0], displays, _depth, note_entries)

    return _merge_files(reads, displays)


def _problem_at(read: ReadFile, path: Path_, message: str, hint: str = "", *, field_name: str | None = None) -> Problem:
    """A problem located in a file that was read without positions: re-read it with them."""
    try:
        located = read_yaml(Path(read.path), read.path, record_locations=True).locations or {}
    except YamlReadError:
        located = {}
    for length in range(len(path), -1, -1):
        if path[:length] in located:
            line, col = located[path[:length]]
            break
    else:
        line, col = 1, 1
    from factorysec.model.problems import field_path

    return Problem(read.path, line, col, field_name if field_name is not None else field_path(path), message, hint)


def _merge_files(reads: list[ReadFile], displays: dict[str, Path]) -> SourcedDocument:
    """Merge plain model files: list sections concatenated in file order, each other section from the first file that has it.

    No object is built per entry; the source map finds an entry's file from
    the section's :class:`Runs`.
    """
    problems: list[Problem] = []
    data: dict[str, Any] = {}
    parts: dict[str, list[list[Any]]] = {}
    part_files: dict[str, list[str]] = {}
    item_origins: dict[Path_, Origin] = {}
    for read in reads:
        content = read.data
        if content is None:
            continue
        if not isinstance(content, dict):
            problems.append(_problem_at(read, (), Said("file_not_mapping")))
            continue
        for key, value in content.items():
            if key in COLLECTIONS:
                if value is None:
                    continue
                if not isinstance(value, list):
                    problems.append(
                        _problem_at(read, (key,), Said("section_not_list", section=key), Said("section_not_list.hint"))
                    )
                    continue
                parts.setdefault(key, []).append(value)
                part_files.setdefault(key, []).append(read.path)
            elif key in data:
                if key in SINGLETONS:
                    first = item_origins[(key,)].file
                    problems.append(
                        _problem_at(
                            read, (key,), Said("section_twice", section=key, first=first), Said("section_twice.hint")
                        )
                    )
            else:
                data[key] = value
                item_origins[(key,)] = Origin(read.path, (key,))
    if problems:
        raise YamlReadError(problems)
    runs: dict[str, Runs] = {}
    for key, lists in parts.items():
        data[key] = lists[0] if len(lists) == 1 else list(chain.from_iterable(lists))
        item_origins[(key,)] = Origin(part_files[key][0], (key,))
        runs[key] = Runs(list(accumulate(map(len, lists), initial=0)), part_files[key])
    entries = {read.path: read.entries for read in reads if read.entries is not None}
    return SourcedDocument(data, SourceMap(displays, item_origins, {}, runs=runs, entries=entries))


def _finalize(
    doc: _Doc,
    displays: dict[str, Path],
    entries: dict[str, EntryIndex] | None = None,
    workbooks: dict[str, SourceMap] | None = None,
) -> SourcedDocument:
    data: dict[str, Any] = {}
    item_origins: dict[Path_, Origin] = {}
    field_origins: dict[Path_, Origin] = {}
    for key, item in doc.singles.items():
        data[key] = item.data
        item_origins[(key,)] = item.origin
        for sub_path, origin in item.field_origins.items():
            field_origins[(key, *sub_path)] = origin
    for key, items in doc.lists.items():
        data[key] = [item.data for item in items]
        item_origins[(key,)] = doc.section_origins.get(
            key, items[0].origin if items else Origin(next(iter(displays)), (key,))
        )
        for index, item in enumerate(items):
            item_origins[(key, index)] = item.origin
            for sub_path, origin in item.field_origins.items():
                field_origins[(key, index, *sub_path)] = origin
    return SourcedDocument(
        data,
        SourceMap(displays, item_origins, field_origins, entries=entries, workbooks=workbooks),
        doc.change_title,
        doc.base_document,
    )


def _assemble_change(
    read: ReadFile, displays: dict[str, Path], depth: int, note_entries: bool = False
) -> SourcedDocument:
    data = read.data
    assert isinstance(data, dict)
    problems: list[Problem] = []
    header = data.get("change")
    if not isinstance(header, dict) or not isinstance(header.get("base"), str):
        problems.append(
            _problem_at(
                read,
                ("change",),
                Said("change_header"),
                Said("change_header.hint"),
            )
        )
    elif unknown := set(header) - {"base", "title", "description"}:
        problems.append(
            _problem_at(
                read,
                ("change", sorted(unknown)[0]),
                Said("change_header.unknown_field", name=str(sorted(unknown)[0])),
                Said("unknown_field.allowed", allowed="base, title, description"),
            )
        )
    if problems:
        raise YamlReadError(problems)
    assert isinstance(header, dict)
    if depth >= MAX_BASE_DEPTH:
        raise YamlReadError(
            [
                _problem_at(
                    read,
                    ("change", "base"),
                    Said("change_too_deep"),
                    Said("change_too_deep.hint"),
                )
            ]
        )
    base_path = (
        (Path(read.path).parent / header["base"]) if not Path(header["base"]).is_absolute() else Path(header["base"])
    )
    if not base_path.exists():
        raise YamlReadError(
            [
                _problem_at(
                    read,
                    ("change", "base"),
                    Said("no_base", base=header["base"]),
                    Said("no_base.hint"),
                )
            ]
        )
    base = _assemble_base(base_path, note_entries, depth + 1)
    if base.problems:
        raise YamlReadError(base.problems)
    doc = _doc_from(base)
    doc.change_title = header.get("title") if isinstance(header.get("title"), str) else None
    doc.base_document = base
    for key in data:
        if key not in CHANGE_SECTIONS:
            hint = _did_you_mean(str(key), CHANGE_SECTIONS) or Said("change_unknown_section.hint")
            problems.append(_problem_at(read, (key,), Said("change_unknown_section", section=str(key)), hint))
    problems.extend(_apply_remove(doc, read))
    problems.extend(_apply_modify(doc, read))
    problems.extend(_apply_add(doc, read))
    all_files = {**base.sources.files, **displays}
    document = _finalize(
        doc,
        all_files,
        {**base.sources.entries, **({read.path: read.entries} if read.entries else {})},
        base.sources.workbooks,
    )
    document.problems = problems
    return document


def _assemble_base(path: Path, note_entries: bool, depth: int) -> SourcedDocument:
    """The model a change file is based on: YAML files, a folder, another change file, or a model workbook."""
    if path.suffix.lower() != ".xlsx" or not path.is_file():
        return assemble(path, note_entries=note_entries, _depth=depth)
    from factorysec.model.workbook import read_workbook  # the workbook module builds on this one

    try:
        return read_workbook(path)
    except ModelInputError as exc:
        raise YamlReadError(exc.problems) from None


def _doc_from(base: SourcedDocument) -> _Doc:
    """Rebuild an editable document from an assembled one, keeping every origin."""
    doc = _Doc()
    sources = base.sources
    entry_fields: dict[Path_, dict[Path_, Origin]] = {}
    for path, origin in sources.field_origins.items():
        if len(path) >= 3 and path[0] in COLLECTIONS:
            entry_fields.setdefault(path[:2], {})[path[2:]] = origin
    for key, value in base.data.items():
        if key in COLLECTIONS:
            items = []
            for index, item in enumerate(value):
                entry_origin = sources.item_origin((key, index))
                assert entry_origin is not None, (key, index)
                items.append(_Item(item, entry_origin, entry_fields.get((key, index), {})))
            doc.lists[key] = items
            doc.section_origins[key] = sources.item_origins[(key,)]
        else:
            fields = {path[1:]: o for path, o in sources.field_origins.items() if len(path) >= 2 and path[0] == key}
            doc.singles[key] = _Item(value, sources.item_origins[(key,)], fields)
    return doc


def _item_key(item: Any) -> Any:
    if isinstance(item, dict):
        return item.get("id")
    return None


def _section_entries(read: ReadFile, section: str) -> tuple[dict[str, Any], list[Problem]]:
    value = read.data.get(section)
    if value is None:
        return {}, []
    if not isinstance(value, dict):
        return {}, [
            _problem_at(
                read,
                (section,),
                Said("change_part_not_mapping", section=section),
                Said("change_part_not_mapping.hint", section=section),
            )
        ]
    problems = []
    for key in value:
        if key not in COLLECTIONS and key not in SINGLETONS:
            hint = _did_you_mean(str(key), (*COLLECTIONS, *SINGLETONS)) or Said("unknown_model_section.hint")
            problems.append(_problem_at(read, (section, key), Said("unknown_model_section", section=str(key)), hint))
    return {k: v for k, v in value.items() if k in COLLECTIONS or k in SINGLETONS}, problems


def _apply_remove(doc: _Doc, read: ReadFile) -> list[Problem]:
    entries, problems = _section_entries(read, "remove")
    for key, ids in entries.items():
        if key in SINGLETONS:
            if key == "factory":
                problems.append(_problem_at(read, ("remove", key), Said("remove_factory")))
            else:
                doc.singles.pop(key, None)
            continue
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            problems.append(_problem_at(read, ("remove", key), Said("remove_not_ids", section=key)))
            continue
        items = doc.lists.get(key, [])
        present = {_item_key(item.data) for item in items}
        for index, element_id in enumerate(ids):
            if element_id not in present:
                hint = _did_you_mean(element_id, [str(i) for i in present if i]) or Said(
                    "remove_absent.hint", section=key
                )
                problems.append(_problem_at(read, ("remove", key, index), Said("remove_absent", id=element_id), hint))
        doc.lists[key] = [item for item in items if _item_key(item.data) not in set(ids)]
    return problems


def _apply_modify(doc: _Doc, read: ReadFile) -> list[Problem]:
    entries, problems = _section_entries(read, "modify")
    for key, changes in entries.items():
        if key in SINGLETONS:
            if not isinstance(changes, dict):
                problems.append(_problem_at(read, ("modify", key), Said("modify_not_mapping", section=key)))
                continue
            item = doc.singles.get(key)
            if item is None or not isinstance(item.data, dict):
                doc.singles[key] = _Item(dict(changes), Origin(read.path, ("modify", key)))
                continue
            item.data = _merge_fields(item, item.data, changes, (), ("modify", key), read.path)
            continue
        if not isinstance(changes, list):
            problems.append(_problem_at(read, ("modify", key), Said("modify_not_list", section=key)))
            continue
        by_id = {_item_key(item.data): item for item in doc.lists.get(key, [])}
        for index, change in enumerate(changes):
            if not isinstance(change, dict) or not isinstance(change.get("id"), str):
                problems.append(_problem_at(read, ("modify", key, index), Said("modify_no_id")))
                continue
            target = by_id.get(change["id"])
            if target is None or not isinstance(target.data, dict):
                hint = _did_you_mean(change["id"], [str(i) for i in by_id if i]) or Said(
                    "modify_absent.hint", section=key
                )
                problems.append(
                    _problem_at(
                        read,
                        ("modify", key, index, "id"),
                        Said("modify_absent", id=change["id"]),
                        hint,
                    )
                )
                continue
            changed = {name: value for name, value in change.items() if name != "id"}
            target.data = _merge_fields(target, target.data, changed, (), ("modify", key, index), read.path)
    return problems


def _merge_fields(
    item: _Item, current: dict[str, Any], changes: dict[str, Any], at: Path_, written_at: Path_, file: str
) -> dict[str, Any]:
    """``current`` with ``changes`` applied: mappings are merged field by field, anything else is replaced.

    Each replaced value records where the change file wrote it, so that problems in it point into the change file.
    """
    merged = dict(current)
    for name, value in changes.items():
        before = merged.get(name)
        if isinstance(value, dict) and isinstance(before, dict):
            merged[name] = _merge_fields(item, before, value, (*at, name), (*written_at, name), file)
            continue
        merged[name] = value
        stale = [path for path in item.field_origins if path[: len(at) + 1] == (*at, name)]
        for path in stale:
            del item.field_origins[path]
        item.field_origins[(*at, name)] = Origin(file, (*written_at, name))
    return merged


def _apply_add(doc: _Doc, read: ReadFile) -> list[Problem]:
    entries, problems = _section_entries(read, "add")
    for key, value in entries.items():
        if key in SINGLETONS:
            if key in doc.singles:
                problems.append(
                    _problem_at(
                        read, ("add", key), Said("add_existing", section=key), Said("add_existing.hint", section=key)
                    )
                )
            else:
                doc.singles[key] = _Item(value, Origin(read.path, ("add", key)))
            continue
        if not isinstance(value, list):
            problems.append(_problem_at(read, ("add", key), Said("add_not_list", section=key)))
            continue
        items = doc.lists.setdefault(key, [])
        doc.section_origins.setdefault(key, Origin(read.path, ("add", key)))
        items.extend(_Item(item, Origin(read.path, ("add", key, i))) for i, item in enumerate(value))
    return problems


def _did_you_mean(word: str, candidates: Any) -> str:
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return Said("did_you_mean", suggestion=match[0]) if match else ""
