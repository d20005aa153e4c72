"""Reading an interchange file, locating its problems by JSON pointer, and checking the model built from it.

Problems read ``file:/json/pointer: message`` (a parse error ``file:line:column: message``),
one per line, as :class:`~factorysec.model.problems.Problem` so that the CLI prints them as it
prints ``check``'s.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from factorysec.catalog import Catalog
from factorysec.model.entities import FactoryModel
from factorysec.model.loader import _model_ids
from factorysec.model.problems import ModelInputError, Problem
from factorysec.model.references import check_model
from factorysec.yamlio import max_file_bytes

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
            return json.loads(text)  # plain already: string keys, no dates, no aliases
        except json.JSONDecodeError as exc:
            raise ModelInputError([Problem(display, exc.lineno, exc.colno, "", f"invalid JSON: {exc.msg}")]) from None
    else:
        try:
            data = yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a SafeLoader subclass
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            raise ModelInputError(
                [Problem(display, line, column, "", f"invalid YAML: {exc.problem or exc.context}")]
            ) from None
        except yaml.YAMLError as exc:
            raise ModelInputError([Problem(display, 1, 1, "", f"invalid YAML: {exc}")]) from None
    return _plain(data, display, [0])


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


def build_model(
    data: dict[str, Any], origins: dict[tuple[str, int], tuple[Any, ...]], display: str, catalog: Catalog
) -> FactoryModel:
    """Validate the model built from an interchange file with the model's own checks, as ``check`` does, against
    ``catalog`` (the one the user chose).

    ``origins`` maps each model element (section, index) to the pointer of the element of the
    file it came from, so that every problem names the place in the file the user can fix.
    """

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
