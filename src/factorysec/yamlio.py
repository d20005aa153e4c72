"""Safe YAML reading that remembers where each value came from.

One set of scalar rules, YAML 1.2's core schema as the Rust parser ``yaml_rs``
reads it: ``yes``, ``no``, ``on`` and ``off`` are text, ``true``/``false`` are
booleans, ``0755`` is the number 755, ``1e3`` is a float, ``2024-04-01`` is a
date and ``12:30:00`` a time of day. The data of every file always comes from
``yaml_rs``, so that a file reads the same whichever of the paths below ran.

``yaml_rs`` alone is not safe enough for a security tool's input: it silently
drops unknown tags, keeps ``<<`` as a plain key, expands aliases and can run
out of stack on very deep block nesting. So our own walker over libyaml's node
graph stays the authority on safety and positions: it refuses duplicate keys,
unknown tags, merge keys, excessive alias expansion and nesting deeper than
:data:`MAX_DEPTH`, and records the line and column of every value. It runs

* whenever positions are asked for (problems and reports re-read files lazily);
* whenever the text holds anything that could carry a tag, an anchor, an
  alias, a merge key, a directive, a second document or a character YAML
  refuses (cheap checks on the text, see :func:`_needs_walker`);
* when ``yaml_rs`` refuses the text, so that syntax errors are located and worded as libyaml words them.

Both parsers recurse once per level of nesting and crash the process (a C
stack overflow, not an exception) some thousands of levels deep: 100,000
``- `` on one line, or ``[`` repeated. So before either sees a text that
could nest that deep, libyaml's event parser (which does not recurse) counts
the real depth and anything deeper than :data:`MAX_DEPTH` is refused at its
place (see :func:`_check_nesting`).

A text that passes none of these checks has no tags, anchors, aliases or merge
keys, so the walker's remaining rules (depth and mapping keys that are not
plain scalars) can only matter for documents that do not fit the model's
schema; :func:`safety_problems` re-checks every file with the walker before
such a model's problems are reported.
"""

from __future__ import annotations

import contextlib
import os
import re
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
import yaml_rs

from factorysec.problems import Problem, Said, field_path

try:
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml is in every PyYAML wheel we install
    _BaseLoader = yaml.SafeLoader


class _Loader(_BaseLoader):  # type: ignore[misc]
    """libyaml's composer without PyYAML's YAML 1.1 resolver: every untagged scalar is text to the walker.

    The walker only checks and locates; the values come from ``yaml_rs``
    (YAML 1.2), so it must not refuse or type a plain scalar by YAML 1.1 rules
    (``2024-13-01`` is text in YAML 1.2, an invalid date in 1.1). Skipping the
    resolver's regular expressions also makes the walker much faster.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP


_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"
_ScalarNode = yaml.ScalarNode


MAX_FILE_BYTES = 128 * 1024 * 1024
"""Files larger than this are refused before parsing, unless ``FACTORYSEC_MAX_FILE_BYTES`` says otherwise."""


def max_file_bytes() -> int:
    """The size limit in force now: ``FACTORYSEC_MAX_FILE_BYTES`` when it is a positive integer, else the default."""
    value = os.environ.get("FACTORYSEC_MAX_FILE_BYTES", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else MAX_FILE_BYTES


MAX_NODES_PER_BYTE = 4
"""Expanded node budget per byte of input; an alias bomb blows through it quickly."""
MIN_NODE_BUDGET = 100_000
MAX_DEPTH = 64

Path_ = tuple[str | int, ...]
Location = tuple[int, int]

MAYBE_NOT_TEXT = frozenset(["", *"0123456789+-._~nNtTfF"])
"""First characters of the plain scalars YAML 1.2 may read as something other than text (null, booleans, numbers, dates)."""

_SCALAR_TAGS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:timestamp",
}


class YamlReadError(Exception):
    """Raised with the problems that stop a file from being read at all."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass
class ReadFile:
    """A YAML file read into plain data, with the positions of its values when asked for."""

    path: str
    data: Any
    locations: dict[Path_, Location] | None = field(default=None)
    scalar_texts: dict[Path_, str] | None = field(default=None)
    """As written in the file, for the plain scalars YAML may read as something other than text (``true``, ``1e3``, dates), when positions are recorded."""
    entries: EntryIndex | None = field(default=None)
    """Where the top-level sections and the entries of their lists start, noted while the file was first read (see :class:`EntryIndex`)."""


@dataclass(frozen=True)
class EntryIndex:
    """Positions of a file's top-level keys and of the entries of its top-level lists, noted from the text read once.

    Reports cite a finding at its element: a list entry of a section
    (``zones[3]``). Those positions come from the first read of the file, by
    a scan of its lines (block layout: a key at column 1, each entry a
    ``- `` line at the list's own indentation), not from a second parse with
    the positioning walker (44 times slower than the data parse at 100k
    assets). A section is indexed only when the scan finds exactly as many
    entries as the parsed list holds; otherwise (flow style, an entry whose
    first line holds only ``-``) its positions come from the walker, as for
    any deeper path. The positions are the walker's: a key's line and column,
    an entry's first value.
    """

    keys: dict[str, Location]
    lines: dict[str, array[int]]
    columns: dict[str, array[int]]

    def locate(self, path: Path_) -> Location | None:
        """The position of a top-level key (``(key,)``) or list entry (``(key, index)``); ``None`` for anything else or a section not indexed."""
        if len(path) == 1:
            return self.keys.get(str(path[0]))
        if len(path) != 2 or type(path[1]) is not int:
            return None
        key, index = str(path[0]), path[1]
        lines = self.lines.get(key)
        if lines is None or not 0 <= index < len(lines):
            return None
        return lines[index], self.columns[key][index]


_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:(?=[ \t\r\n]|$)", re.MULTILINE)
_ENTRY = re.compile(r"\n( *)-[ \t]+(?=[^\s#])")


def index_entries(text: str, data: Any) -> EntryIndex | None:
    """Scan ``text`` (already parsed into ``data``) for the positions of its top-level keys and list entries; see :class:`EntryIndex`."""
    if not isinstance(data, dict) or "\r" in text:
        return None
    keys: dict[str, Location] = {}
    lines: dict[str, array[int]] = {}
    columns: dict[str, array[int]] = {}
    starts = [(m.start(), m.end(), m.group(1)) for m in _TOP_KEY.finditer(text)]
    if [key for _, _, key in starts] != list(data):  # a key the scan missed (quoted, flow style) or found in a text
        return None
    line, counted = 1, 0
    for number, (start, end, key) in enumerate(starts):
        line += text.count("\n", counted, start)
        counted = start
        keys[key] = (line, 1)
        entries = data.get(key)
        if not isinstance(entries, list) or not entries:
            continue
        stop = starts[number + 1][0] if number + 1 < len(starts) else len(text)
        found_lines, found_columns = array("I"), array("I")
        indent = -1
        entry_line, at = line, start
        for match in _ENTRY.finditer(text, end, stop):
            width = match.end(1) - match.start(1)
            if indent < 0:
                indent = width
            elif width != indent:
                continue
            entry_line += text.count("\n", at, match.start() + 1)
            at = match.start() + 1
            found_lines.append(entry_line)
            found_columns.append(match.end() - match.start())
        if len(found_lines) == len(entries):
            lines[key], columns[key] = found_lines, found_columns
    return EntryIndex(keys, lines, columns)


class _Builder:
    def __init__(self, loader: Any, display: str, budget: int, record: bool) -> None:
        self.loader = loader
        self.display = display
        self.budget = budget
        self.record = record
        self.locations: dict[Path_, Location] = {}
        self.scalar_texts: dict[Path_, str] = {}
        self.stack: set[int] = set()

    def fail(self, node: yaml.Node, message: str, hint: str = "") -> YamlReadError:
        mark = node.start_mark
        return YamlReadError([Problem(self.display, mark.line + 1, mark.column + 1, "", message, hint)])

    def uncarriable(self, node: yaml.Node, path: Path_, value: str) -> YamlReadError:
        """The problem of a text holding a control character no workbook can carry, at the text's place and field."""
        message, hint = uncarriable_text(value) or ("", "")
        mark = node.start_mark
        return YamlReadError([Problem(self.display, mark.line + 1, mark.column + 1, field_path(path), message, hint)])

    def scalar(self, node: yaml.ScalarNode) -> Any:
        """The scalar's text, after checking that its tag (when one is written) is a plain YAML type."""
        if node.tag not in _SCALAR_TAGS:
            raise self.fail(node, Said("yaml.tag", tag=repr(node.tag)), Said("yaml.tag.hint"))
        if node.tag == "tag:yaml.org,2002:timestamp":
            raise self.fail(node, Said("yaml.timestamp"), Said("yaml.timestamp.hint"))
        if node.tag != _STR:
            try:
                self.loader.yaml_constructors[node.tag](self.loader, node)
            except (ValueError, yaml.constructor.ConstructorError) as exc:
                raise self.fail(
                    node,
                    Said("yaml.tag_value", tag=node.tag.rsplit(":", 1)[-1], value=repr(node.value), error=str(exc)),
                ) from None
        value: str = node.value
        return value

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise self.fail(node, Said("yaml.too_many_values"), Said("yaml.too_many_values.hint"))
        if depth > MAX_DEPTH:
            raise self.fail(node, Said("yaml.too_deep", levels=MAX_DEPTH), Said("yaml.too_deep.hint"))
        if self.record:
            self.locations.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.ScalarNode):
            value = self.scalar(node)
            if node.style == '"' and UNCARRIABLE_CHARACTER.search(value):
                raise self.uncarriable(node, path, value)
            if self.record and not node.style and value[:1] in MAYBE_NOT_TEXT:
                self.scalar_texts[path] = value
            return value
        if id(node) in self.stack:
            raise self.fail(node, Said("yaml.recursive_alias"), Said("yaml.recursive_alias.hint"))
        self.stack.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                if node.tag != _SEQ:
                    raise self.fail(node, Said("yaml.tag", tag=repr(node.tag)), Said("yaml.tag.hint"))
                return self._sequence(node, path, depth + 1)
            if node.tag != _MAP:
                raise self.fail(node, Said("yaml.tag", tag=repr(node.tag)), Said("yaml.tag.hint"))
            assert isinstance(node, yaml.MappingNode)
            return self._mapping(node, path, depth + 1)
        finally:
            self.stack.discard(id(node))

    def _text(self, node: yaml.Node, depth: int) -> str | None:
        """A plain text child taken without :meth:`build`: the same budget and depth checks, no dispatch.

        Returns ``None`` when ``node`` needs the general path (not text, or
        positions are recorded).
        """
        if (
            self.record
            or node.__class__ is not _ScalarNode
            or node.tag != _STR
            or depth > MAX_DEPTH
            or node.style == '"'
        ):
            return None
        self.budget -= 1
        if self.budget < 0:
            raise self.fail(node, Said("yaml.too_many_values"), Said("yaml.too_many_values.hint"))
        value: str = node.value
        return value

    def _sequence(self, node: yaml.SequenceNode, path: Path_, depth: int) -> list[Any]:
        result: list[Any] = []
        append, text, build = result.append, self._text, self.build
        for i, item in enumerate(node.value):
            value = text(item, depth)
            append(build(item, (*path, i), depth) if value is None else value)
        return result

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        text, build, record = self._text, self.build, self.record
        for key_node, value_node in node.value:
            tag = key_node.tag
            if tag == _MERGE or (tag == _STR and key_node.value == "<<" and not key_node.style):
                raise self.fail(key_node, Said("yaml.merge_key"), Said("yaml.merge_key.hint"))
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, Said("yaml.complex_key"))
            key = key_node.value if tag == _STR else str(self.scalar(key_node))
            if key in result:
                raise self.fail(key_node, Said("yaml.duplicate_key", key=repr(key)), Said("yaml.duplicate_key.hint"))
            if record:
                self.locations[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            value = text(value_node, depth)
            result[key] = build(value_node, (*path, key), depth) if value is None else value
        return result


def read_yaml(path: Path, display: str, *, record_locations: bool, note_entries: bool = False) -> ReadFile:
    """Read one YAML file safely; raise :class:`YamlReadError` when it cannot be read; ``note_entries``: see :func:`parse_yaml_text`."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise YamlReadError([Problem(display, 1, 1, "", Said("cannot_read", reason=str(exc.strerror)))]) from None
    limit = max_file_bytes()
    if size > limit:
        raise YamlReadError(
            [
                Problem(
                    display,
                    1,
                    1,
                    "",
                    Said("file_too_big", size=size, limit=limit),
                    Said("file_too_big.hint"),
                )
            ]
        )
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        spreadsheet = _spreadsheet_kind(raw)
        if spreadsheet:
            raise YamlReadError(
                [
                    Problem(
                        display,
                        1,
                        1,
                        "",
                        Said("file_is_spreadsheet", kind=spreadsheet),
                        Said("file_is_spreadsheet.hint"),
                    )
                ]
            ) from None
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlReadError([Problem(display, line, 1, "", Said("not_utf8"), Said("not_utf8.hint"))]) from None
    except OSError as exc:
        raise YamlReadError([Problem(display, 1, 1, "", Said("cannot_read", reason=str(exc.strerror)))]) from None
    return parse_yaml_text(text, display, record_locations=record_locations, note_entries=note_entries)


ZIP_MAGIC = b"PK\x03\x04"
"""How a zip archive starts: an .xlsx, .xlsm or .ods workbook is one."""
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""How an OLE compound file starts: an Excel 97-2003 workbook (.xls) is one."""


def _spreadsheet_kind(raw: bytes) -> str | Said:
    """What a file that is not UTF-8 text is, when it is a spreadsheet's container (a workbook saved as .xlsm, .ods or
    .xls, or an .xlsx renamed), so that its reader is told that rather than to save it as UTF-8; else empty."""
    if raw.startswith(ZIP_MAGIC):
        return Said("file_is_spreadsheet.zip")
    if raw.startswith(OLE_MAGIC):
        return Said("file_is_spreadsheet.ole")
    return ""


_WALKER_MARKS = ("!", "&", "*", "<<", "\n%", "\n---", "\n...")
"""Substrings without which a text has no tag, anchor, alias, merge key, directive or second document."""
_NODE_PROPERTY = re.compile(r"(?<!\w)[!&*]")
"""A tag, anchor or alias starts a node, so it never follows a letter or digit (``R&D`` and ``Warning!`` are plain text)."""
_REFUSED_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
"""Characters libyaml refuses and ``yaml_rs`` may not: the walker reports them with their position."""
UNCARRIABLE_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f]")
"""Control characters no workbook can hold (XML 1.0 refuses them): refused in any text, so that a model ``check`` accepts can be written to every output.

YAML refuses them written as they are, so they only come in as escapes in
double quotes (``"\\f"``, ``"\\x1b"``, ``"\\u0000"``); tab and line feed are
kept. A carriage return is refused too: a workbook reads it back as a line
feed (XML normalises line ends), so it would not survive a round trip.
"""
_UNCARRIABLE_ESCAPE = re.compile(
    r"\\(?:[0abvfer]|x[01][0-9a-fA-F]|u00[01][0-9a-fA-F]|U0000000[0-9a-fA-F]|U0000001[0-9a-fA-F])"
)
"""A double-quoted escape that may stand for an :data:`UNCARRIABLE_CHARACTER` (conservative: ``\\\\f`` matches too)."""
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
"""Half of a UTF-16 pair, which JSON escapes (``"\\ud800"``) can write but no UTF-8 file, so no model, can hold."""
_SURROGATE_ESCAPE = re.compile(r"\\[uU](?:0000)?[dD][89a-fA-F][0-9a-fA-F]{2}")
"""A double-quoted escape of half a UTF-16 pair, which the reader refuses (conservative as :data:`_UNCARRIABLE_ESCAPE`)."""


def may_escape_uncarriable(text: str) -> bool:
    """Whether the YAML ``text`` may hold a double-quoted escape of text the reader refuses as model text (an
    :data:`UNCARRIABLE_CHARACTER` or half a surrogate pair), as a dumper writes such text. Conservative: a ``True``
    (``C:\\folder`` gives one) only calls for a closer look at the texts themselves."""
    return "\\" in text and (_UNCARRIABLE_ESCAPE.search(text) is not None or _SURROGATE_ESCAPE.search(text) is not None)


def uncarriable_text(value: str) -> tuple[str, str] | None:
    """The message and hint (each a :class:`~factorysec.problems.Said`) refusing ``value`` as model text, or ``None``
    when a model may hold it.

    The one rule for text read from elsewhere (an interchange file) as for text
    read from a model file: an :data:`UNCARRIABLE_CHARACTER` or a lone surrogate.
    """
    found = UNCARRIABLE_CHARACTER.search(value)
    if found is not None:
        code = ord(found.group())
        name = Said(f"control.{_CONTROL_NAMES.get(code, 'control character').replace(' ', '_')}")
        return Said("control_character", code=f"{code:04X}", name=name), Said("control_character.hint")
    if not value.isascii() and (found := _LONE_SURROGATE.search(value)) is not None:
        return Said("lone_surrogate", code=f"{ord(found.group()):04X}"), Said("lone_surrogate.hint")
    return None


_CONTROL_NAMES = {
    0x00: "NUL",
    0x07: "bell",
    0x08: "backspace",
    0x0B: "vertical tab",
    0x0C: "form feed",
    0x0D: "carriage return",
    0x1B: "escape",
}
_LINE_START = "\n\r\x85\u2028\u2029"
"""Where libyaml starts a new line (YAML 1.1 counts NEL, LS and PS as line breaks; ``yaml_rs`` only the first two)."""
_BLOCK_RUN = 32
"""Columns of indentation and block indicators (``- ``, ``? ``, ``: ``) that a line may open with before its depth is counted.

A block collection nested in another starts further right, but for a
sequence written level with its parent mapping's keys; so a text whose lines
all open with fewer than 32 such columns nests at most 2 x 32 = 64 block
levels.
"""
_DEEP_LINE = re.compile(f"[{_LINE_START}]\ufeff?[ \t?:-]{{{_BLOCK_RUN}}}")
_DEEP_FIRST_LINE = re.compile(f"\ufeff?[ \t?:-]{{{_BLOCK_RUN}}}")
_DEEP_LF_LINE = re.compile(f"\n[ \t?:-]{{{_BLOCK_RUN}}}")
"""The same search when ``\\n`` is the only line break in the text: a literal first character is much faster to find."""
COMPOSER_SAFE_DEPTH = 1000
"""Nesting libyaml's composer and ``yaml_rs`` survive with a wide margin (both crash somewhere between 5,000 and 50,000 levels)."""


def _needs_walker(text: str) -> bool:
    """Whether ``text`` may hold anything that ``yaml_rs`` reads differently from, or less safely than, the walker.

    Conservative: a ``True`` only costs the walker's time, never a different result.
    """
    if text.startswith(("%", "...")):
        return True
    if "\\" in text and _UNCARRIABLE_ESCAPE.search(text):
        return True
    for mark in _WALKER_MARKS:
        # the last character first: a one-character search is a memchr, ten times faster on a large file
        if mark[-1] in text and mark in text and (mark not in "!&*" or _NODE_PROPERTY.search(text)):
            return True
    if (
        text.isascii()
    ):  # the usual case, known without a scan; deleting the allowed bytes is faster than the regular expression
        return bool(text.encode("ascii").translate(None, _ALLOWED_ASCII))
    return _REFUSED_CHARACTER.search(text) is not None


_ALLOWED_ASCII = bytes(code for code in range(128) if not _REFUSED_CHARACTER.match(chr(code)))


def _may_nest_deep(text: str) -> bool:
    """Whether some line of ``text`` opens with :data:`_BLOCK_RUN` columns of indentation or block indicators: the only way block nesting gets past 64 levels."""
    if _DEEP_FIRST_LINE.match(text):
        return True
    if any(mark in text for mark in _LINE_START[1:]):
        return _DEEP_LINE.search(text) is not None
    return _DEEP_LF_LINE.search(text) is not None


def _flow_openers(text: str) -> int:
    """How many ``[`` and ``{`` the text holds: more than the flow nesting any parser can see there, wherever they stand (in quotes or comments too)."""
    return text.count("[") + text.count("{")


def _check_nesting(text: str, display: str) -> None:
    """Count the real nesting with libyaml's event parser; raise :class:`YamlReadError` at the first value nested deeper than :data:`MAX_DEPTH`.

    The event parser keeps its state on the heap, so unlike the composers it
    cannot overflow the stack. Syntax errors are raised as the walker words
    them. It costs about a tenth of the walker, and runs only when a
    cheap count says the text could nest that deep.

    libyaml's scanner reads ahead of the events, and some releases stop at a
    nesting limit of their own far ahead of ours (PyYAML 6.0.4 at about 1,000
    flow levels). When the scanner stops, the text before the place it stopped
    is counted again: a value nested too deep there is the first problem of
    the document, at the same place whatever the parser's own limit.
    """
    try:
        with _libyaml_errors(text, display):
            _count_nesting(text, display)
    except YamlReadError:
        stop = _scanner_stop(text)
        if stop:
            with contextlib.suppress(yaml.YAMLError):
                _count_nesting(text[:stop], display)
        raise


def _scanner_stop(text: str) -> int:
    """Where libyaml stops reading ``text`` (0 when it reads it to the end)."""
    loader = _Loader(text)
    try:
        while loader.check_event():
            loader.get_event()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return mark.index if mark else 0
    except yaml.YAMLError:
        return 0
    finally:
        loader.dispose()
    return 0


def _count_nesting(text: str, display: str) -> None:
    """Raise :class:`YamlReadError` at the first value of ``text`` nested deeper than :data:`MAX_DEPTH`; libyaml's own errors pass through."""
    loader = _Loader(text)
    try:
        depth = 0
        check_event, get_event = loader.check_event, loader.get_event
        while check_event():
            event = get_event()
            kind = event.__class__
            if kind is yaml.SequenceEndEvent or kind is yaml.MappingEndEvent:
                depth -= 1
                continue
            if depth > MAX_DEPTH and kind in _NODE_EVENTS:
                mark = event.start_mark
                raise YamlReadError(
                    [
                        Problem(
                            display,
                            mark.line + 1,
                            mark.column + 1,
                            "",
                            Said("yaml.too_deep", levels=MAX_DEPTH),
                            Said("yaml.too_deep.hint"),
                        )
                    ]
                )
            if kind is yaml.SequenceStartEvent or kind is yaml.MappingStartEvent:
                depth += 1
    finally:
        loader.dispose()


BOM = "\ufeff"
"""The byte order mark: valid at the start of a YAML stream, and dropped there."""
_NODE_EVENTS = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent, yaml.AliasEvent)


def parse_yaml_text(text: str, display: str, *, record_locations: bool, note_entries: bool = False) -> ReadFile:
    """Parse YAML text (one document) into plain data, with positions when asked for.

    ``note_entries``: when positions are not recorded, note where the sections
    and list entries start (:class:`EntryIndex`), for a caller that will cite
    elements by line (``report``); it costs about a third of the parse.

    The data always comes from ``yaml_rs``; the safe walker runs first
    whenever :func:`_needs_walker` says so or positions are asked for, and
    when ``yaml_rs`` refuses the text, to report the problem at its place.
    Text that could nest deeper than :data:`MAX_DEPTH` has its nesting
    counted first (:func:`_check_nesting`): ``yaml_rs`` stops at 256 levels of
    flow nesting by itself, but not at any depth of block nesting.

    One byte order mark opening the text (Windows Notepad saves UTF-8 so) is
    dropped first: YAML allows it there, and the positions of problems stay
    those an editor shows, which does not count it.
    """
    text = text.removeprefix(BOM)
    checked = _may_nest_deep(text)
    if checked:  # before any parser: yaml_rs has no limit on block nesting
        _check_nesting(text, display)
    walked = (
        _walk(text, display, record_locations, nesting_checked=checked)
        if record_locations or _needs_walker(text)
        else None
    )
    try:
        data = yaml_rs.loads(text, parse_datetime=False, duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error)
    except yaml_rs.YAMLDecodeError as exc:
        if walked is None:
            _walk(text, display, False, nesting_checked=checked)
        raise YamlReadError([_rs_problem(display, exc)]) from None
    if walked is None or not record_locations:
        return ReadFile(display, data, entries=index_entries(text, data) if note_entries else None)
    return ReadFile(display, data, walked.locations, walked.scalar_texts)


_RS_POSITION = re.compile(r"at line (\d+), column (\d+)")


def _rs_problem(display: str, exc: Exception) -> Problem:
    """A problem ``yaml_rs`` found and the walker did not (a tag value YAML 1.2 refuses, keys equal as values): its message on one line."""
    lines = [line for line in str(exc).splitlines() if line.strip()]
    found = _RS_POSITION.search(lines[0]) if lines else None
    line, column = (int(found.group(1)), int(found.group(2))) if found else (1, 1)
    message = lines[-1].strip() if len(lines) > 1 else _RS_POSITION.sub("", lines[0]).strip() if lines else ""
    return Problem(
        display, line, column, "", Said("yaml.error", detail=_phrase(message) if message else Said("yaml.unreadable"))
    )


def _walk(text: str, display: str, record_locations: bool, *, nesting_checked: bool = False) -> ReadFile:
    """Check ``text`` with the safe walker; raise :class:`YamlReadError` when it refuses it.

    libyaml's composer recurses once per level: unless the nesting was
    counted already, text with enough ``[`` and ``{`` to nest past
    :data:`COMPOSER_SAFE_DEPTH` is counted first (the block part is at most
    64 levels when it was not counted, see :data:`_BLOCK_RUN`).
    """
    if not nesting_checked and _flow_openers(text) > COMPOSER_SAFE_DEPTH - 2 * _BLOCK_RUN:
        _check_nesting(text, display)
    loader = _Loader(text)
    try:
        with _libyaml_errors(text, display):
            node = loader.get_single_node()
        if node is None:
            return ReadFile(display, None, {} if record_locations else None, {} if record_locations else None)
        budget = max(MIN_NODE_BUDGET, MAX_NODES_PER_BYTE * len(text))
        builder = _Builder(loader, display, budget, record_locations)
        data = builder.build(node, (), 0)
        if not record_locations:
            return ReadFile(display, data)
        return ReadFile(display, data, builder.locations, builder.scalar_texts)
    finally:
        loader.dispose()


@contextmanager
def _libyaml_errors(text: str, display: str) -> Iterator[None]:
    """Turn what libyaml raises while parsing ``text`` into a located :class:`YamlReadError`."""
    try:
        yield
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        parts = [_phrase(part) for part in (exc.context, exc.problem) if part]
        message = (
            Said("yaml.syntax_error")
            if not parts
            else parts[0]
            if len(parts) == 1
            else Said("yaml.context_problem", context=parts[0], problem=parts[1])
        )
        hint = Said("yaml.tabs") if mark and _char_at(text, mark.index) == "\t" else ""
        raise YamlReadError([Problem(display, line, col, "", Said("yaml.syntax", detail=message), hint)]) from None
    except yaml.reader.ReaderError as exc:
        raise YamlReadError([_reader_problem(text, display, exc)]) from None
    except yaml.YAMLError as exc:
        said = " ".join(str(exc).split())
        raise YamlReadError([Problem(display, 1, 1, "", Said("yaml.error", detail=_phrase(said)))]) from None


def _reader_problem(text: str, display: str, exc: yaml.reader.ReaderError) -> Problem:
    """A character YAML refuses, located by line and column instead of a character offset."""
    before = text[: exc.position]
    line = before.count("\n") + 1
    column = exc.position - (before.rfind("\n") + 1) + 1
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
    return Problem(
        display,
        line,
        column,
        "",
        Said("yaml.refused_character", code=f"{code:04X}"),
        Said("yaml.refused_character.hint"),
    )


_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), code)
    for pattern, code in (
        (r"^while parsing a flow sequence$", "yaml.phrase.flow_sequence"),
        (r"^while parsing a flow mapping$", "yaml.phrase.flow_mapping"),
        (r"^while parsing a block mapping$", "yaml.phrase.block_mapping"),
        (r"^while parsing a block collection$", "yaml.phrase.block_collection"),
        (r"^while scanning a (?:quoted|plain|block) scalar$", "yaml.phrase.scalar"),
        (r"^while scanning a simple key$", "yaml.phrase.simple_key"),
        (r"^while scanning for the next token$", "yaml.phrase.next_token"),
        (r"^while (?:parsing|scanning|constructing) ", "yaml.phrase.reading"),
        (r"^(?:did not find expected|expected) ',' or '\]'", "yaml.phrase.sequence_end"),
        (r"^(?:did not find expected|expected) ',' or '\}'", "yaml.phrase.mapping_end"),
        (r"^mapping values are not allowed", "yaml.phrase.mapping_values"),
        (r"^found character .*that cannot start any token", "yaml.phrase.bad_start"),
        (r"^found undefined alias", "yaml.phrase.undefined_alias"),
        (r"^found unexpected end of stream", "yaml.phrase.end_of_stream"),
        (r"^could not find expected ':'", "yaml.phrase.colon"),
        (r"^(?:did not find expected|expected) key", "yaml.phrase.key"),
        (r"^(?:did not find expected|expected) <block end>", "yaml.phrase.block_end"),
        (r"^(?:did not find expected|expected) '?<document start>'?", "yaml.phrase.document_start"),
        (r"^(?:did not find expected|expected) node content", "yaml.phrase.node_content"),
        (r"^(?:did not find expected|expected) '-' indicator", "yaml.phrase.dash"),
        (r"^found unknown escape character", "yaml.phrase.escape"),
        (r"^found a tab character", "yaml.phrase.tab"),
        (r"^found duplicate anchor", "yaml.phrase.duplicate_anchor"),
        (r"^did not find expected alphabetic or numeric character", "yaml.phrase.alphanumeric"),
        (r"^found (?:invalid|unknown) Unicode character escape code", "yaml.phrase.unicode_escape"),
        (r"^did not find expected hexdecimal number", "yaml.phrase.hex"),
        (r"^(?:did not find expected|expected) a comment or a line break", "yaml.phrase.line_break"),
        (r"^did not find expected whitespace or line break", "yaml.phrase.whitespace"),
        (r"^found incompatible YAML document", "yaml.phrase.version"),
        (r"^expected a single document", "yaml.phrase.single_document"),
        (r"^but found another document", "yaml.phrase.another_document"),
    )
)


def _phrase(text: str) -> Said:
    """A phrase libyaml or ``yaml_rs`` wrote, its English kept as it is, said in Japanese when it is one they often
    write (the rest is quoted in the Japanese text as written)."""
    for pattern, code in _PHRASES:
        if pattern.search(text):
            return Said(code, text=text)
    return Said("yaml.phrase", text=text)


def _char_at(text: str, index: int) -> str:
    return text[index] if 0 <= index < len(text) else ""
