"""Load a model path into a checked :class:`FactoryModel`, or fail with every problem at once."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import hashlib
import json
import re
import typing
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails, PydanticUndefined

from factorysec.model.entities import (
    COLLECTIONS,
    COUNTRY_PATTERN,
    IDENTIFIED_COLLECTIONS,
    LISTED_TWICE,
    OWN_ERRORS,
    Bcp,
    Factory,
    FactoryModel,
    section_adapter,
)
from factorysec.model.introspect import unwrap_annotation
from factorysec.model.problems import ModelInputError, Problem, field_path
from factorysec.model.references import CatalogIds, check_catalog_ids, check_model, check_references_only
from factorysec.model.sources import SourcedDocument, SourceMap, assemble
from factorysec.perf import paused_gc
from factorysec.problem_texts import TEMPLATES
from factorysec.problems import Said
from factorysec.yamlio import Path_, YamlReadError


@dataclass
class LoadedModel:
    """A valid model with the map back to its source files."""

    model: FactoryModel
    sources: SourceMap
    change_title: str | None = None
    base: LoadedModel | None = None

    @property
    def digest(self) -> str:
        return model_digest(self.model)


DIGEST_EXCLUDED = frozenset({"reviews"})
"""Sections the digest leaves out: a review record names the digest of the model it reviewed."""
EARLIER_SCHEME_ABSENT: dict[str, frozenset[str]] = {
    "assets": frozenset({"procured", "data_separation"}),
    "requirements": frozenset({"parts"}),
    "conduits": frozenset({"instructions_from"}),
}
"""Fields added after the earlier digest scheme was replaced, by section: the builds that printed it had no such field
and wrote no key for it, so :func:`earlier_model_digest` leaves each out while every entry leaves it at its default.
A model that sets one was never digested by those builds: its earlier digest keeps the field and matches no review
they recorded, so setting it counts as a change. A field added to the model later joins this list, or every review
recorded under the earlier scheme stops counting."""
_DIGEST_CHUNK = 2048
"""Entries serialised at once: the digest never holds the whole model's JSON (over 100 MB at 100k assets)."""


def model_digest(model: FactoryModel) -> str:
    """A short digest of what the model states, excluding review records, for the PDCA check of Step 3.

    It is the SHA-256 of ``model.model_dump_json(by_alias=True,
    exclude_defaults=True, exclude={"reviews"})``: compact JSON, fields in the
    schema's order (every mapping in the model is a pydantic model, so the
    order is fixed and no key sorting is needed), and every field whose value
    is its default left out, at every level. So a field a later factorysec adds
    (whatever its default: None, an empty list, False, a fixed value) leaves
    the digest of a model that does not use it as it was, and a review keeps
    counting after an upgrade. A field whose absence differs from its empty
    value (``data.derived_from``: absent is "not known", ``[]`` is "made from
    nothing else") has the default None, so ``[]`` is stated and hashed; a
    field whose default is ``[]`` cannot tell the two apart in the model either,
    and hashes neither. Two different models give different JSON: a field left
    out holds its default, one written holds another value.

    The JSON is produced by pydantic-core section by section, large lists a
    chunk of entries at a time, and hashed as it comes, so the bytes hashed are
    exactly those of the one-piece dump. :func:`earlier_model_digest` is the
    scheme before this one.
    """
    return _digest(model, stated_only=True)


def earlier_model_digest(model: FactoryModel) -> str:
    """The digest earlier factorysec builds printed for ``model``: every field, those at their default included.

    The SHA-256 of ``model.model_dump_json(by_alias=True, exclude={"reviews"})``, with the fields those builds did not
    have yet (:data:`EARLIER_SCHEME_ABSENT`) left out.
    It changed whenever a release added a field, even one the model leaves
    empty; the PDCA check still counts a review that names it for this model
    (:mod:`factorysec.analysis.lifecycle.pdca`), so the reviews recorded before
    the change of scheme keep counting.
    """
    return _digest(model, stated_only=False)


def _unset_later_fields(section: str, entries: object) -> dict[str, set[str]] | None:
    """The fields of :data:`EARLIER_SCHEME_ABSENT` that no entry of ``section`` sets, as an ``exclude`` for its dump."""
    later = EARLIER_SCHEME_ABSENT.get(section)
    if not later or not isinstance(entries, list):
        return None
    unset: set[str] = set()
    for field in later:
        if all(_at_default(entry, field) for entry in entries):
            unset.add(field)
    return {"__all__": unset} if unset else None


def _at_default(entry: BaseModel, field: str) -> bool:
    info = type(entry).model_fields[field]
    return bool(getattr(entry, field) == info.get_default(call_default_factory=True))


def _digest(model: FactoryModel, *, stated_only: bool) -> str:
    digest = hashlib.sha256()
    separator = b"{"
    for name, (key, adapter, is_list, default) in _digest_fields(type(model)).items():
        if name in DIGEST_EXCLUDED:
            continue
        value = getattr(model, name)
        if stated_only and default is not PydanticUndefined and value == default:
            continue
        digest.update(separator + key + b":")
        separator = b","
        absent = None if stated_only else _unset_later_fields(name, value)
        if not is_list:
            digest.update(adapter.dump_json(value, by_alias=True, exclude_defaults=stated_only))
            continue
        digest.update(b"[")
        for start in range(0, len(value), _DIGEST_CHUNK):
            chunk = adapter.dump_json(
                value[start : start + _DIGEST_CHUNK], by_alias=True, exclude_defaults=stated_only, exclude=absent
            )
            digest.update(chunk[1:-1] if start == 0 else b"," + chunk[1:-1])
        digest.update(b"]")
    digest.update(b"}" if separator == b"," else b"{}")
    return digest.hexdigest()[:16]


@functools.cache
def _digest_fields(cls: type[FactoryModel]) -> dict[str, tuple[bytes, TypeAdapter[Any], bool, Any]]:
    """Per field of ``cls`` (:class:`FactoryModel` or a subclass): its JSON key, a serialiser for its value, whether the value is a list, and its default (``PydanticUndefined`` when required)."""
    fields: dict[str, tuple[bytes, TypeAdapter[Any], bool, Any]] = {}
    for name, info in cls.model_fields.items():
        key = json.dumps(info.serialization_alias or info.alias or name, ensure_ascii=False).encode()
        annotation: Any = info.annotation
        adapter = section_adapter(name) if cls is FactoryModel else TypeAdapter(annotation)
        default = info.get_default(call_default_factory=True, validated_data={})
        fields[name] = (key, adapter, typing.get_origin(annotation) is list, default)
    return fields


def load_model(path: str | Path, catalog: CatalogIds | None = None) -> FactoryModel:
    """Load and check the model at ``path``; raise :class:`ModelInputError` on any problem.

    Catalog ids are checked against ``catalog``, the one the caller chose (the
    CLI passes the guideline's); without one they are not checked here:
    run :func:`check_against_catalog` before relying on them.
    """
    return load_model_with_sources(path, catalog).model


def load_model_with_sources(
    path: str | Path, catalog: CatalogIds | None = None, *, note_entries: bool = False
) -> LoadedModel:
    """Load and check the model at ``path``, keeping where each element was written; catalog ids as :func:`load_model` says.

    ``note_entries``: note each element's line while the files are first read,
    for outputs that cite elements by line (SARIF) without parsing them again.

    The collector is paused while the model is built (see :func:`~factorysec.perf.paused_gc`):
    every command, not only ``analyze``, loads about three times faster for it.
    """
    with paused_gc():
        return _load_model_with_sources(Path(path), catalog, note_entries)


def check_against_catalog(loaded: LoadedModel, catalog: CatalogIds) -> None:
    """Check a loaded model's catalog ids (and its base's, for a change file) against ``catalog``; raise :class:`ModelInputError` naming file and line."""
    problems = [
        _problem(loaded.sources, path, field_path(path), message, hint)
        for path, message, hint in check_catalog_ids(loaded.model, catalog)
    ]
    if problems:
        raise ModelInputError(problems)
    if loaded.base is not None:
        check_against_catalog(loaded.base, catalog)


def _load_model_with_sources(path: Path, catalog: CatalogIds | None, note_entries: bool = False) -> LoadedModel:
    if path.suffix.lower() == ".xlsx":
        from factorysec.model.workbook import read_workbook

        document = read_workbook(path)
    else:
        try:
            document = assemble(path, validate_entries=True, note_entries=note_entries)
        except YamlReadError as exc:
            raise ModelInputError(exc.problems) from None
    return validate_document(document, catalog)


def validate_document(document: SourcedDocument, catalog: CatalogIds | None = None) -> LoadedModel:
    """Validate an assembled document: structure first, then references and catalog ids (against ``catalog``, when given)."""
    model, problems = _document_problems(document.data, document.sources, catalog)
    problems[:0] = document.problems
    if problems or model is None:
        raise ModelInputError(document.sources.safety_problems() or problems)
    base = validate_document(document.base, catalog) if document.base is not None else None
    return LoadedModel(model, document.sources, document.change_title, base)


@dataclass(frozen=True)
class Excerpt:
    """Part of a model, for checking one edited entry without the rest: see :func:`check_excerpt`.

    ``data`` holds the ``factory`` section and some entries of other sections
    (raw, as a document holds them); ``indices`` gives, per list section, the
    index each of those entries has in the whole model (ascending, so the
    excerpt keeps the model's order); ``ids`` the ids every identified section
    of the whole model holds (with the edit applied) for each section the
    excerpt's entries may refer to.
    """

    data: dict[str, Any]
    indices: dict[str, list[int]]
    ids: dict[str, set[str]]


def check_excerpt(excerpt: Excerpt, catalog: CatalogIds | None = None) -> list[Problem]:
    """The problems ``factorysec check`` finds in the entries of ``excerpt``, placed at their index in the whole model.

    This is :func:`validate_document`'s own code (the same pydantic classes, the
    same reference checks, the same messages) run on the excerpt, with the
    whole model's ids standing in for those the excerpt lacks. It finds every
    problem of the whole model when the model was valid before the edit and
    the excerpt holds the edited entry and every entry whose checks read it
    (what :mod:`factorysec.workspace.factories.neighbours` gathers): the
    entries it names that placement, cycles and checklist scope follow, the
    entries that name it, the entry holding the same id or natural key.
    """
    moved = _mover(excerpt.indices)
    _, problems = _document_problems(excerpt.data, SourceMap({}, {}, {}), catalog, excerpt.ids, moved)
    return sorted(set(problems))


def _mover(indices: dict[str, list[int]]) -> typing.Callable[[Path_], Path_]:
    def moved(path: Path_) -> Path_:
        if len(path) >= 2 and isinstance(path[0], str) and isinstance(path[1], int) and path[0] in indices:
            return (path[0], indices[path[0]][path[1]], *path[2:])
        return path

    return moved


_PLACE_IN_MESSAGE = re.compile(r"\b(?P<section>[a-z_]+)\[(?P<index>\d+)\]")


def _unchanged(path: Path_) -> Path_:
    return path


def _document_problems(
    data: dict[str, Any],
    sources: SourceMap,
    catalog: CatalogIds | None,
    ids: dict[str, set[str]] | None = None,
    moved: typing.Callable[[Path_], Path_] = _unchanged,
) -> tuple[FactoryModel | None, list[Problem]]:
    """The model and every problem of ``data`` (structure, references, catalog ids), each placed by ``moved``.

    ``ids`` (the ids of each section, read from ``data`` when None) lets a
    caller check an excerpt against the ids of a whole model; ``moved`` places
    a path of the excerpt in the whole model (the indices a message names too).
    """
    problems: list[Problem] = []
    model: FactoryModel | None = None
    if "factory" not in data:
        problems.append(
            _problem(sources, (), "", Said("missing_section", name="factory"), Said("missing_section.factory.hint"))
        )
    try:
        model = FactoryModel.model_validate(data)
    except ValidationError as exc:
        problems.extend(
            _convert(sources, typing.cast(ErrorDetails, {**error, "loc": moved(tuple(error["loc"]))}))
            for error in exc.errors(include_url=False)
            if not (
                error["type"] == "missing" and tuple(error["loc"]) == ("factory",)
            )  # reported above, with a better hint
        )
        model = None
    raw_ids = ids if ids is not None else (_raw_ids(data) if model is None else _model_ids(model))
    partial = model if model is not None else _partial_model(data)
    findings = check_model(partial, raw_ids, catalog)
    if model is None:
        findings.extend(check_references_only(_invalid_entries_model(data), raw_ids, catalog))
    for path, message, hint in findings:
        place = moved(path)
        if place is not path:
            message = _rewritten(
                message,
                lambda text: _PLACE_IN_MESSAGE.sub(
                    lambda match: field_path(moved((match["section"], int(match["index"])))), text
                ),
            )
        problems.append(_problem(sources, place, field_path(place), message, hint))
    return model, problems


def _rewritten(text: str, change: typing.Callable[[str], str]) -> str:
    """``text`` changed by ``change``; a :class:`Said` keeps its code, the text of its parameters changed."""
    if isinstance(text, Said):
        params = {
            name: _rewritten(value, change) if isinstance(value, str) else value for name, value in text.params.items()
        }
        return Said(text.code, **params)
    return change(text)


def _problem(sources: SourceMap, path: Path_, field: str, message: str, hint: str = "") -> Problem:
    file, line, col = sources.locate(path)
    return Problem(file, line, col, field, message, hint, sources.place(path))


def _raw_ids(data: dict[str, Any]) -> dict[str, set[str]]:
    """Ids present in the raw document per section, valid entries or not, so that one bad entry does not also show as a dangling reference.

    Entries already validated when their file was read (see :func:`factorysec.model.sources.assemble`) are models, not mappings.
    """
    ids: dict[str, set[str]] = {}
    for key in COLLECTIONS:
        entries = data.get(key)
        if isinstance(entries, list):
            ids[key] = {entry_id for entry_id in map(_entry_id, entries) if isinstance(entry_id, str)}
    return ids


def _entry_id(entry: Any) -> Any:
    if isinstance(entry, dict):
        return entry.get("id")
    return getattr(entry, "id", None) if isinstance(entry, BaseModel) else None


def _model_ids(model: FactoryModel) -> dict[str, set[str]]:
    """What :func:`_raw_ids` finds when the whole document is valid: the ids of the model's entries, read without a loop in Python.

    Valid entries hold their ids unchanged, and entries of sections without
    ids cannot hold an ``id`` key (unknown fields are refused).
    """
    return {key: set(map(_ID, getattr(model, key))) for key in IDENTIFIED_COLLECTIONS}


_ID = attrgetter("id")


def _partial_model(data: dict[str, Any]) -> FactoryModel:
    """The entries that are valid on their own, for reference checks when the document as a whole is not.

    An invalid entry is kept as ``None`` so that every entry keeps its index in the document.
    """
    values: dict[str, Any] = {}
    for key in COLLECTIONS:
        entries = data.get(key)
        item_type = typing.get_args(FactoryModel.model_fields[key].annotation)[0]
        valid: list[Any] = []
        if isinstance(entries, list):
            for entry in entries:
                try:
                    valid.append(item_type.model_validate(entry))
                except ValidationError:
                    valid.append(None)  # keep the place, so that later entries keep their index
        values[key] = valid
    for key, kind in (("factory", Factory), ("bcp", Bcp)):
        try:
            values[key] = kind.model_validate(data.get(key)) if data.get(key) is not None else None
        except ValidationError:
            values[key] = None
    return FactoryModel.model_construct(**values)


def _invalid_entries_model(data: dict[str, Any]) -> FactoryModel:
    """The entries that are invalid on their own, without their invalid fields, so their references can still be checked.

    Valid entries are ``None`` here (they are checked in full elsewhere); indices match the document.
    """
    values: dict[str, Any] = {}
    for key in COLLECTIONS:
        entries = data.get(key)
        item_type = typing.get_args(FactoryModel.model_fields[key].annotation)[0]
        kept: list[Any] = []
        for entry in entries if isinstance(entries, list) else []:
            try:
                item_type.model_validate(entry)
                kept.append(None)
            except ValidationError as exc:
                if not isinstance(entry, dict):
                    kept.append(None)
                    continue
                failing = {error["loc"][0] for error in exc.errors(include_url=False) if error["loc"]}
                # YAML 1.2 keeps keys such as 1 or true typed; they are never field names (pydantic reports them)
                kept.append(
                    item_type.model_construct(
                        **{k: v for k, v in entry.items() if k not in failing and isinstance(k, str)}
                    )
                )
        values[key] = kept
    return FactoryModel.model_construct(**values)


def _convert(sources: SourceMap, error: ErrorDetails) -> Problem:
    loc: Path_ = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    if kind == "extra_forbidden":
        name = str(loc[-1])
        allowed = _allowed_fields(loc[:-1])
        suggestion = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        hint = (
            Said("did_you_mean", suggestion=suggestion[0])
            if suggestion
            else (Said("unknown_field.allowed", allowed=", ".join(allowed)) if allowed else Said("remove_it"))
        )
        return _problem(sources, loc, field_path(loc), Said("unknown_field", name=name), hint)
    if kind == "missing":
        return _problem(sources, loc[:-1], field_path(loc), Said("missing_field", name=str(loc[-1])), Said("add_it"))
    if kind in {"enum", "literal_error"}:
        expected = error.get("ctx", {}).get("expected", "")
        options = [part.strip(" '") for part in expected.replace(" or ", ",").split(",") if part.strip(" '")]
        suggestion = difflib.get_close_matches(str(value), options, n=1, cutoff=0.5)
        listed = ", ".join(options)
        hint = Said("did_you_mean", suggestion=suggestion[0]) if suggestion else Said("use_one_of", options=listed)
        return _problem(sources, loc, field_path(loc), Said("not_allowed", value=str(value), options=listed), hint)
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return _problem(
            sources,
            loc,
            field_path(loc),
            Said("expected_mapping", got=_describe(value)),
            Said("expected_mapping.hint"),
        )
    if kind == "list_type":
        return _problem(
            sources, loc, field_path(loc), Said("expected_list", got=_describe(value)), Said("expected_list.hint")
        )
    if kind == "string_type":
        return _not_text(sources, loc, value)
    if kind == LISTED_TWICE:
        ctx = error.get("ctx", {})
        place = (*loc, ctx.get("index", 0))  # the repeat, not the list: its own line
        count, earlier = int(ctx.get("count", 2)), str(ctx.get("earlier", ctx.get("value", "")))
        repeated = Said(
            "listed",
            value=str(ctx.get("value", "")),
            times=Said("listed.twice") if count == 2 else Said("listed.times", count=count),
            spelled="" if earlier == ctx.get("value") else Said("listed.first_as", earlier=earlier),
        )
        return _problem(sources, place, field_path(place), repeated, Said("listed.hint"))
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return _problem(sources, loc, field_path(loc), Said("expected_whole_number", got=_describe(value)), "")
    if kind == "finite_number":
        return _problem(sources, loc, field_path(loc), Said("finite_number", got=_describe(value)), "")
    if kind in {"bool_type", "bool_parsing"}:
        return _problem(sources, loc, field_path(loc), Said("expected_bool", got=_describe(value)), "")
    if kind in OWN_ERRORS:
        return _problem(sources, loc, field_path(loc), Said(kind, **error.get("ctx", {})), "")
    if kind == "string_pattern_mismatch":
        pattern = str(error.get("ctx", {}).get("pattern", ""))
        if pattern == COUNTRY_PATTERN:
            return _problem(
                sources,
                loc,
                field_path(loc),
                Said("not_country", value=str(value)),
                Said("not_country.hint"),
            )
        return _bad_id(sources, loc, str(value), pattern)
    message = error["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    got = _describe(value)
    return _problem(sources, loc, field_path(loc), _pydantic_message(error, message, got), "")


def _pydantic_message(error: ErrorDetails, message: str, got: str) -> Said:
    """A pydantic error without a message of ours: pydantic's English (and the value, when it does not name it), and
    a Japanese text from its type and parameters."""
    return pydantic_said(error, message if got in message else f"{message} (got {got})")


def pydantic_said(error: ErrorDetails, english: str) -> Said:
    """Pydantic's ``error`` as ``english`` says it, and in Japanese from its type and parameters (``ctx``)."""
    kind = error["type"]
    ctx = {name: str(value) for name, value in error.get("ctx", {}).items() if name not in {"msg", "got", "type"}}
    code = f"pydantic.{kind}" if f"pydantic.{kind}" in TEMPLATES else "pydantic.other"
    if "error" in ctx:
        ctx["error"] = _date_error(ctx["error"])
    if "expected" in ctx:  # "'a', 'b' or 'c'": the options, as the model's own enum problems list them
        ctx["expected"] = ", ".join(
            part.strip(" '") for part in ctx["expected"].replace(" or ", ",").split(",") if part.strip(" '")
        )
    return Said(code, msg=english, got=_describe(error.get("input")), type=kind, **ctx)


def _date_error(text: str) -> Said:
    """The reason speedate gives for a date it cannot read, said in each language."""
    if text.startswith("month value is outside"):
        return Said("date_error.month", text=text)
    if text.startswith("day value is outside"):
        return Said("date_error.day", text=text)
    return Said("date_error.other", text=text)


def _bad_id(sources: SourceMap, loc: Path_, value: str, pattern: str) -> Problem:
    """An id that breaks its pattern: element ids (any case), catalog ids and protocol ids (lowercase)."""
    if "A-Z" in pattern:
        return _problem(
            sources,
            loc,
            field_path(loc),
            Said("bad_identifier", value=value),
            Said("bad_identifier.hint"),
        )
    what, keep = ("bad_protocol_id", "a-z0-9.+/_-") if "+" in pattern else ("bad_catalog_id", "a-z0-9./-")
    fixed = re.sub(rf"[^{keep}]+", "-", value.lower()).strip("-._/+")
    suggestion = Said("id_suggestion", fixed=fixed) if fixed and re.fullmatch(pattern, fixed) else ""
    return _problem(sources, loc, field_path(loc), Said(what, value=value), Said(f"{what}.hint", suggestion=suggestion))


def _not_text(sources: SourceMap, loc: Path_, value: Any) -> Problem:
    """YAML 1.2 reads ``true``, ``12``, ``1e3``, ``0o17`` as non-text; say so and show how to quote it."""
    if value is None:
        return _problem(
            sources,
            loc,
            field_path(loc),
            Said("expected_text", got=Said("got.nothing")),
            Said("expected_text.after_colon"),
        )
    if isinstance(value, dict | list):
        return _problem(
            sources,
            loc,
            field_path(loc),
            Said("expected_text", got=_describe(value)),
            Said("expected_text.single"),
        )
    written = sources.written_text(loc)
    if written is None:
        written = value.isoformat() if isinstance(value, dt.date) else str(value)
    got = Said("got.date", date=value.isoformat()) if isinstance(value, dt.date) else _describe(value)
    quoted = written.replace("\\", "\\\\").replace('"', '\\"')
    return _problem(
        sources, loc, field_path(loc), Said("expected_text", got=got), Said("expected_text.quote", quoted=quoted)
    )


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return Said("got.mapping")
    if isinstance(value, list):
        return Said("got.list")
    if value is None:
        return Said("got.nothing")
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _allowed_fields(loc: Path_) -> list[str]:
    """Field names (as written in YAML) accepted at ``loc``, for 'did you mean' hints."""
    current: Any = FactoryModel
    for part in loc:
        current = unwrap_annotation(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else None
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            fields = {(f.alias or name): f for name, f in current.model_fields.items()}
            current = fields[part].annotation if part in fields else None
        else:
            return []
    current = unwrap_annotation(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or name for name, f in current.model_fields.items()]
    return []
