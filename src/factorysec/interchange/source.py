"""Reading an interchange file, locating its problems by JSON pointer, and checking the model built from it.

Problems read ``file:/json/pointer: message`` (a parse error ``file:line:column: message``),
one per line, as :class:`~factorysec.model.problems.Problem` so that the CLI prints them as it
prints ``check``'s.
"""

from __future__ import annotations

import datetime as dt
import json
import json.decoder
import json.scanner
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from factorysec.catalog import Catalog
from factorysec.model.entities import FactoryModel
from factorysec.model.loader import _model_ids
from factorysec.model.problems import ModelInputError, Problem
from factorysec.model.references import check_model
from factorysec.yamlio import max_file_bytes, uncarriable_text

SINGLE = -1
"""Index under which ``origins`` holds a section that is one entry (``factory``, ``bcp``), not a list."""
MAX_NODES = 2_000_000
"""Values a document may expand to once YAML aliases are followed (an alias bomb stops here)."""


def pointer(path: tuple[Any, ...]) -> str:
    """A JSON pointer (RFC 6901) to ``path``."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path) or "/"


def problem(file: str, path: tuple[Any, ...], message: str) -> Problem:
    """A problem at ``path`` in ``file``, printed ``file:/pointer: message``."""
    return Problem(file, 0, 0, pointer(path), message, place=f"{file}:{pointer(path)}")


def invalid(file: str, path: tuple[Any, ...], message: str) -> ModelInputError:
    return ModelInputError([problem(file, path, message)])


_BaseSafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _SafeLoader(_BaseSafeLoader):  # type: ignore[misc]
    """Safe loader (libyaml's when present) that keeps dates as text (interchange files are read as JSON data)."""

    yaml_constructors = {
        **yaml.SafeLoader.yaml_constructors,
        "tag:yaml.org,2002:timestamp": yaml.SafeLoader.construct_yaml_str,
    }


class _DuplicateKey(Exception):
    def __init__(self, key: str, position: int) -> None:
        super().__init__(key)
        self.key, self.position = key, position


class _UniqueKeyLoader(_SafeLoader):
    """The safe loader refusing a mapping that names a key twice (YAML keeps the last one silently)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, (str, int, float, bool)) or key is None:
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicate key {str(key)!r}", key_node.start_mark
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _unique_json(text: str) -> Any:
    """``json.loads`` refusing an object that names a key twice (:class:`_DuplicateKey` with where the second one starts)."""
    decoder: Any = json.JSONDecoder(object_pairs_hook=dict)
    parts: Any = json.decoder  # the pure-Python parser's pieces, which typeshed does not list
    whitespace = parts.WHITESPACE.match

    def parse_object(s_and_end: tuple[str, int], *args: Any) -> tuple[Any, int]:
        s, start = s_and_end
        pairs, end = parts.JSONObject(s_and_end, *args[:3], list, *args[4:])
        if len({key for key, _ in pairs}) < len(pairs):
            seen: set[str] = set()
            position = start
            while True:  # walk the object again to find where the repeated key is written
                position = whitespace(s, position).end()
                key, after = parts.scanstring(s, position + 1)
                if key in seen:
                    raise _DuplicateKey(key, position)
                seen.add(key)
                position = whitespace(s, after).end() + 1
                _, position = scan_once(s, whitespace(s, position).end())
                position = whitespace(s, position).end() + 1
        return dict(pairs), end

    decoder.parse_object = parse_object
    scan_once = getattr(json.scanner, "py_make_scanner")(decoder)  # noqa: B009 - not in typeshed
    decoder.scan_once = scan_once
    return decoder.decode(text)


def read_document(path: Path) -> Any:
    """Read a JSON or YAML file into plain data (see :func:`_read_document`); nesting too deep for the parsers is refused, located at the file."""
    try:
        return _read_document(path)
    except RecursionError:
        raise ModelInputError([Problem(str(path), 1, 1, "", "document nests too deeply to be read")]) from None


def _read_document(path: Path) -> Any:
    """Read a JSON or YAML file into plain data; a file that cannot be read raises :class:`ModelInputError`.

    YAML is read with PyYAML's safe loader because Threagile models use YAML anchors and merge keys
    (``<<: *base``), which the model loader refuses; the values it expands to are counted, so an
    alias bomb is refused instead of filling memory.
    """
    display = str(path)
    if path.is_dir():
        raise ModelInputError([Problem(display, 1, 1, "", "is a folder", "give the file")])
    if not path.is_file():
        raise ModelInputError([Problem(display, 1, 1, "", "no such file", "check the path")])
    if path.stat().st_size > max_file_bytes():
        raise ModelInputError([Problem(display, 1, 1, "", f"file is over the {max_file_bytes()}-byte limit")])
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ModelInputError(
            [Problem(display, raw[: exc.start].count(b"\n") + 1, 1, "", "file is not valid UTF-8", "save it as UTF-8")]
        ) from None
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        try:
            return _unique_json(text)  # plain already: string keys, no dates, no aliases
        except _DuplicateKey as exc:
            line = text.count("\n", 0, exc.position) + 1
            column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
            raise ModelInputError([Problem(display, line, column, "", f"duplicate key {exc.key!r}")]) from None
        except json.JSONDecodeError as exc:
            raise ModelInputError([Problem(display, exc.lineno, exc.colno, "", f"invalid JSON: {exc.msg}")]) from None
    else:
        try:
            data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            raise ModelInputError([Problem(display, line, column, "", _yaml_message(exc))]) from None
        except yaml.YAMLError as exc:
            raise ModelInputError([Problem(display, 1, 1, "", f"invalid YAML: {exc}")]) from None
    return _plain(data, display, [0])


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    if isinstance(exc, yaml.constructor.ConstructorError) and (exc.problem or "").startswith("duplicate key"):
        return str(exc.problem)
    return f"invalid YAML: {exc.problem or exc.context}"


def _plain(value: Any, display: str, budget: list[int]) -> Any:
    """A copy of ``value`` with dates as text and every mapping key a string, counting values against :data:`MAX_NODES`."""
    budget[0] += 1
    if budget[0] > MAX_NODES:
        raise ModelInputError(
            [Problem(display, 1, 1, "", f"document expands to more than {MAX_NODES} values (YAML aliases?)")]
        )
    if isinstance(value, Mapping):
        return {str(k): _plain(v, display, budget) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, display, budget) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def validation_problems(display: str, error: ValidationError, base: tuple[Any, ...] = ()) -> list[Problem]:
    return [problem(display, (*base, *e["loc"]), e["msg"]) for e in error.errors(include_url=False)]


def _texts(value: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every text in ``value`` (mapping keys too, at the pointer they open) with its path, in document order."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str):
                yield (*path, key), key
            yield from _texts(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*path, index))


def _at(document: Any, path: tuple[Any, ...]) -> Any:
    """The value at ``path`` in ``document``, or ``None`` when the path leads nowhere."""
    for part in path:
        if isinstance(document, Mapping) and part in document:
            document = document[part]
        elif isinstance(document, list) and isinstance(part, int) and 0 <= part < len(document):
            document = document[part]
        else:
            return None
    return document


def _source_of_text(source: Any, origin: tuple[Any, ...], text: str) -> tuple[Any, ...] | None:
    """The pointer of the text of the file, under ``origin``, that the model's ``text`` came from: the same text,
    else one holding it or held in it, else the first text there the model could not hold either."""
    element = _at(source, origin)
    if element is None:
        return None
    found = [(path, value) for path, value in _texts(element, origin) if uncarriable_text(value) is not None]
    if origin and isinstance(origin[-1], str) and uncarriable_text(origin[-1]) is not None:
        found.insert(0, (origin, origin[-1]))  # the element's key (a Threagile asset's title)
    for matches in (
        lambda value: value == text,
        lambda value: text in value or value in text,
        lambda value: True,
    ):
        for path, value in found:
            if matches(value):
                return path
    return None


def _uncarriable(
    data: dict[str, Any], origins: dict[tuple[str, int], tuple[Any, ...]], display: str, source: Any
) -> list[Problem]:
    """A problem for each text of the built model that no model file can hold, as the model reader refuses it
    (:func:`factorysec.yamlio.uncarriable_text`), at the text of the file it came from."""
    problems: list[Problem] = []
    for path, text in _texts(data, ()):
        refused = uncarriable_text(text)
        if refused is None:
            continue
        message, hint = refused
        depth = 2 if len(path) >= 2 and isinstance(path[1], int) else 1
        origin = origins.get((path[0], path[1] if depth == 2 else SINGLE), ())
        at = _source_of_text(source, origin, text)
        if at is None:
            at, message = origin, f"{'.'.join(str(p) for p in path[depth if origin else 0 :])}: {message}"
        problems.append(Problem(display, 0, 0, pointer(at), message, hint, place=f"{display}:{pointer(at)}"))
    return problems


def build_model(
    data: dict[str, Any],
    origins: dict[tuple[str, int], tuple[Any, ...]],
    display: str,
    catalog: Catalog,
    source: Any = None,
) -> FactoryModel:
    """Validate the model built from an interchange file with the model's own checks, as ``check`` does, against
    ``catalog`` (the one the user chose).

    ``origins`` maps each model element (section, index) to the pointer of the element of the
    file it came from in ``source`` (the file's data), so that every problem names the place in
    the file the user can fix. A text the model reader would refuse (a control character, a lone
    surrogate) is refused here, as the written model would not be read back.
    """
    refused = _uncarriable(data, origins, display, source)
    if refused:
        raise ModelInputError(refused)

    def located(path: tuple[Any, ...], message: str) -> Problem:
        depth = 2 if len(path) >= 2 and isinstance(path[1], int) else 1
        origin = origins.get((path[0], path[1] if depth == 2 else SINGLE)) if path else None
        model_field = ".".join(str(p) for p in path[depth:]) if origin is not None else ".".join(str(p) for p in path)
        return problem(
            display, origin if origin is not None else (), f"{model_field}: {message}" if model_field else message
        )

    try:
        model = FactoryModel.model_validate(data)
    except ValidationError as error:
        raise ModelInputError([located(tuple(e["loc"]), e["msg"]) for e in error.errors(include_url=False)]) from None
    findings = check_model(model, _model_ids(model), catalog)
    if findings:
        raise ModelInputError(
            [located(path, f"{message} ({hint})" if hint else message) for path, message, hint in findings]
        )
    return model
