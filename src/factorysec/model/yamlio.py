"""Safe YAML reading that remembers where each value came from.

PyYAML's safe constructor silently keeps the last of two duplicate keys and
expands aliases without limit; both are wrong for a security tool's input. We
compose the node graph with libyaml (when available) and build plain Python
data ourselves, refusing duplicate keys, unknown tags, excessive expansion and
excessive depth, and optionally recording the line and column of every value.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from factorysec.model.problems import Problem

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml is in every PyYAML wheel we install
    _Loader = yaml.SafeLoader

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
    """As written in the file, for the scalars YAML did not read as text (``yes``, ``1e3``, dates), when positions are recorded."""


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

    def scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag not in _SCALAR_TAGS:
            raise self.fail(node, f"unsupported YAML tag {node.tag!r}", "only plain values, lists and mappings are allowed")
        try:
            return self.loader.yaml_constructors[node.tag](self.loader, node)
        except (ValueError, yaml.constructor.ConstructorError) as exc:
            raise self.fail(node, f"invalid {node.tag.rsplit(':', 1)[-1]} value {node.value!r}: {exc}") from None

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise self.fail(node, "document expands to too many values (a YAML alias bomb?)", "remove the nested aliases")
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nesting deeper than {MAX_DEPTH} levels", "flatten the document")
        if self.record:
            self.locations.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.ScalarNode):
            value = self.scalar(node)
            if self.record and not isinstance(value, str):
                self.scalar_texts[path] = node.value
            return value
        if id(node) in self.stack:
            raise self.fail(node, "recursive YAML alias", "an anchor may not contain an alias to itself")
        self.stack.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                if node.tag != _SEQ:
                    raise self.fail(node, f"unsupported YAML tag {node.tag!r}", "only plain values, lists and mappings are allowed")
                return self._sequence(node, path, depth + 1)
            if node.tag != _MAP:
                raise self.fail(node, f"unsupported YAML tag {node.tag!r}", "only plain values, lists and mappings are allowed")
            assert isinstance(node, yaml.MappingNode)
            return self._mapping(node, path, depth + 1)
        finally:
            self.stack.discard(id(node))

    def _text(self, node: yaml.Node, depth: int) -> str | None:
        """A plain text child taken without :meth:`build`: the same budget and depth checks, no dispatch.

        Returns ``None`` when ``node`` needs the general path (not text, or
        positions are recorded).
        """
        if self.record or node.__class__ is not _ScalarNode or node.tag != _STR or depth > MAX_DEPTH:
            return None
        self.budget -= 1
        if self.budget < 0:
            raise self.fail(node, "document expands to too many values (a YAML alias bomb?)", "remove the nested aliases")
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
            if tag == _MERGE:
                raise self.fail(key_node, "YAML merge keys ('<<') are not supported", "write the fields out")
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, "mapping keys must be plain text")
            key = key_node.value if tag == _STR else str(self.scalar(key_node))
            if key in result:
                raise self.fail(key_node, f"duplicate key {key!r}", "keep one of them")
            if record:
                self.locations[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            value = text(value_node, depth)
            result[key] = build(value_node, (*path, key), depth) if value is None else value
        return result


def read_yaml(path: Path, display: str, *, record_locations: bool) -> ReadFile:
    """Read one YAML file safely; raise :class:`YamlReadError` when it cannot be read."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise YamlReadError([Problem(display, 1, 1, "", f"cannot read file: {exc.strerror}")]) from None
    limit = max_file_bytes()
    if size > limit:
        raise YamlReadError(
            [Problem(display, 1, 1, "", f"file is {size} bytes, over the {limit}-byte limit", "split it into several files in a folder")]
        )
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlReadError([Problem(display, line, 1, "", "file is not valid UTF-8", "save it as UTF-8")]) from None
    except OSError as exc:
        raise YamlReadError([Problem(display, 1, 1, "", f"cannot read file: {exc.strerror}")]) from None
    return parse_yaml_text(text, display, record_locations=record_locations)


def parse_yaml_text(text: str, display: str, *, record_locations: bool) -> ReadFile:
    """Parse YAML text (one document) into plain data."""
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            message = " ".join(part for part in (exc.context, exc.problem) if part) or "YAML syntax error"
            hint = "indent with spaces, not tabs" if mark and _char_at(text, mark.index) == "\t" else ""
            raise YamlReadError([Problem(display, line, col, "", f"YAML syntax error: {message}", hint)]) from None
        except yaml.reader.ReaderError as exc:
            raise YamlReadError([_reader_problem(text, display, exc)]) from None
        except yaml.YAMLError as exc:
            message = " ".join(str(exc).split())
            raise YamlReadError([Problem(display, 1, 1, "", f"YAML error: {message}")]) from None
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


def _reader_problem(text: str, display: str, exc: yaml.reader.ReaderError) -> Problem:
    """A character YAML refuses, located by line and column instead of a character offset."""
    before = text[: exc.position]
    line = before.count("\n") + 1
    column = exc.position - (before.rfind("\n") + 1) + 1
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
    return Problem(
        display, line, column, "", f"file contains the character U+{code:04X}, which YAML does not allow", "remove it or write it as an escape in double quotes"
    )


def _char_at(text: str, index: int) -> str:
    return text[index] if 0 <= index < len(text) else ""
