"""A fuzz harness over the whole CLI: generated inputs, one command each, judged on how the process ends.

A case is a command line and the files it reads, written into an empty working
folder. It ends *clean* when the command

- exits with a documented code (0 success, 1 threshold met, 2 invalid input),
- raises nothing but the exit (no traceback, in-process or printed), and
- changes nothing in the working folder except the output paths it was given.

Inputs come in these kinds: model YAML text with bytes mutated, workbook bytes
mutated (the whole file, or one part inside the zip), capture bytes mutated
(pcap, pcapng, Zeek conn and modbus logs), models whose string fields hold
terminal markup, escapes, control and formula-like text, and random arguments;
then the other files users hand the tool: the vulnerability intake's (CSAF 2.0
advisories, the KEV catalog, CycloneDX and SPDX SBOMs, CycloneDX VEX, the
decisions file, an earlier ``vulns`` JSON output, the ``--cache`` file) and the
interchange importers' (OTM JSON and YAML, Threagile YAML, the ``--mapping``
file). Each of those is a real file (or one the tool wrote) with its bytes
mutated, or rebuilt with wrong types, missing keys, huge and negative numbers,
deep nesting, repeated ids and keys, odd Unicode and other encodings, or
replaced by an empty file or a folder (see :func:`document_variant`).

``tests/test_fuzz_cli.py`` runs a bounded number of cases in the test suite;
``scripts/fuzz.sh`` runs many more and prints the tally.
"""

from __future__ import annotations

import copy
import functools
import gc
import io
import json
import os
import re
import tempfile
import traceback
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from factorysec.cli import app
from tests.shared_folder import shared_data

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "annex-a"
FIXTURES = ROOT / "tests" / "fixtures"
DOCUMENTED_EXITS = frozenset({0, 1, 2})
TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""What a terminal acts on instead of showing (as :mod:`factorysec.report.inert` lists it): C0 and C1 controls but tab
and line feed, DEL, bidirectional marks and overrides."""


@dataclass(frozen=True)
class Case:
    """One command line run in an empty folder holding ``files``; it may write only ``outputs`` (a folder: anything under it)."""

    kind: str
    argv: tuple[str, ...]
    files: tuple[tuple[str, bytes], ...]
    outputs: frozenset[str] = frozenset()
    terminal: bool = False
    """Also judge what was printed: no control character a terminal would act on (an escape, a bidi override) raw."""
    then: tuple[str, ...] = ()
    """A command run after the first ends with 0 (``check`` on the model an import wrote), which must end with 0 too."""

    def describe(self) -> str:
        names = ", ".join(f"{name} ({len(data)} bytes)" for name, data in self.files)
        return f"[{self.kind}] factorysec {' '.join(self.argv)}  <- {names}"


@dataclass
class Outcome:
    exit_code: int
    crash: str | None = None
    strays: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return self.exit_code in DOCUMENTED_EXITS and self.crash is None and not self.strays

    def problem(self) -> str:
        if self.crash:
            return f"crash: {self.crash}"
        if self.strays:
            return f"wrote outside its output path: {', '.join(self.strays)}"
        return f"undocumented exit code {self.exit_code}"


# --- running ---------------------------------------------------------------------------


def _listing(folder: Path) -> dict[str, tuple[int, int]]:
    listing: dict[str, tuple[int, int]] = {}
    for path in sorted(folder.rglob("*")):
        stat = path.lstat()
        listing[path.relative_to(folder).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return listing


def _allowed(name: str, outputs: frozenset[str]) -> bool:
    return any(name == out or name.startswith(out + "/") for out in outputs)


@contextmanager
def _inside(folder: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


FIXED_MTIME_NS = 1_700_000_000_000_000_000
"""Modification time every input file is given, so that a ``--cache`` file made once for the same inputs is current."""

TEMP_FOLDER = "system-temp"
"""Where the case's temporary files go: a folder watched like the rest, so a temporary file left behind is a stray."""


@contextmanager
def _temporary_files_in(folder: Path) -> Iterator[None]:
    """Point Python's temporary-file functions (and TMPDIR for child processes) at ``folder`` for one case."""
    saved_tempdir, saved_env = tempfile.tempdir, os.environ.get("TMPDIR")
    tempfile.tempdir = str(folder)
    os.environ["TMPDIR"] = str(folder)
    try:
        yield
    finally:
        tempfile.tempdir = saved_tempdir
        if saved_env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved_env


def crash_summary(exc_info: Any) -> str:
    """The exception and the innermost frames of factorysec code, on one line: ``Type at file:line fn <- ...: message``."""
    kind, value, tb = exc_info
    frames = [f for f in traceback.extract_tb(tb) if "factorysec" in f.filename] or traceback.extract_tb(tb)[-1:]
    where = " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames[-3:]))
    return f"{kind.__name__} at {where}: {ascii(str(value))[:160]}"


DATA_FORMATS = frozenset({"json", "sarif", "html", "xlsx"})
"""Output formats read by programs: their text is judged by their own syntax (JSON escapes what it must), not as shown."""


def _shown(case: Case, result: Result) -> str:
    """What a person sees of the run: standard error, and standard output unless it is a data format."""
    fmt = case.argv[case.argv.index("--format") + 1] if "--format" in case.argv[:-1] else "text"
    return result.stderr + ("" if fmt in DATA_FORMATS else result.stdout)


def run_case(case: Case) -> Outcome:
    """Run one case in a fresh folder and judge how it ended."""
    with tempfile.TemporaryDirectory(prefix="factorysec-fuzz-") as workdir:
        folder = Path(workdir)
        for name, data in case.files:
            target = folder / name
            if name.endswith("/"):  # a folder where the command expects a file
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            os.utime(target, ns=(FIXED_MTIME_NS, FIXED_MTIME_NS))  # the --cache key holds it: a kept cache matches
        scratch = folder / TEMP_FOLDER
        scratch.mkdir()
        before = _listing(folder)
        gc.collect()  # finalise what an earlier case left behind now, so that its 'Exception ignored' text is not printed into this case's output
        with _inside(folder), _temporary_files_in(scratch):
            # color: click leaves escape sequences in, as on a terminal, so that one printed raw is seen
            result = CliRunner().invoke(app, list(case.argv), catch_exceptions=True, color=case.terminal)
        after = _listing(folder)
        strays = sorted(
            name
            for name in set(before) | set(after)
            if name != TEMP_FOLDER and before.get(name) != after.get(name) and not _allowed(name, case.outputs)
        )
        crash = None
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            crash = crash_summary(result.exc_info)
        elif "Traceback (most recent call last)" in result.output:
            crash = "a traceback was printed: " + result.output.split("Traceback (most recent call last)", 1)[1][-300:]
        elif case.terminal and (raw := TERMINAL_CONTROL.search(_shown(case, result))) is not None:
            shown = raw.string
            crash = f"printed a raw control character {raw.group()!a}: {shown[max(0, raw.start() - 80) : raw.start() + 20]!a}"
        if crash is None and not strays and result.exit_code == 0 and case.then:
            with _inside(folder), _temporary_files_in(scratch):
                after_result = CliRunner().invoke(app, list(case.then), catch_exceptions=True)
            if after_result.exit_code != 0:
                shown = " ".join(case.then)
                crash = f"'{shown}' after it ended with {after_result.exit_code}: {after_result.output[-300:]!a}"
        return Outcome(result.exit_code, crash, strays)


# --- seeds -----------------------------------------------------------------------------


def _read(path: Path) -> bytes:
    return path.read_bytes()


@functools.cache
def folder_seed() -> tuple[tuple[str, bytes], ...]:
    """The Annex A current factory as a folder ``current/``; change files name it as their base."""
    return tuple((f"current/{p.name}", _read(p)) for p in sorted((EXAMPLES / "current").glob("*.yaml")))


YAML_SEEDS: tuple[Path, ...] = (
    FIXTURES / "report" / "small-factory.yaml",
    FIXTURES / "lifecycle" / "factory.yaml",
    FIXTURES / "plan" / "small.yaml",
    EXAMPLES / "case-1-first-added.yaml",
    EXAMPLES / "case-2-after-review.yaml",
)


@functools.cache
def workbook_seed() -> bytes:
    from factorysec.catalog import load_catalog
    from factorysec.model import load_model
    from factorysec.model.workbook import model_workbook

    buffer = io.BytesIO()
    model_workbook(load_model(FIXTURES / "lifecycle" / "factory.yaml"), load_catalog()).save(buffer)
    return buffer.getvalue()


def _pcap_from(packets: list[tuple[float, bytes, int]]) -> bytes:
    import struct

    out = bytearray(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    for stamp, frame, length in packets:
        seconds = int(stamp)
        out += struct.pack("<IIII", seconds, int((stamp - seconds) * 1e6), len(frame), length) + frame
    return bytes(out)


@functools.cache
def capture_seeds() -> tuple[tuple[str, bytes], ...]:
    """Small real captures and logs (file name, bytes); a hand-built Modbus pcap when the shared data is absent."""
    modbus_frame = (
        bytes(12)
        + b"\x08\x00"
        + bytes.fromhex("4500003c00004000400600000a0000010a000002")
        + bytes.fromhex("c350 01f6 00000000 00000000 5018 2000 0000 0000".replace(" ", ""))
        + bytes.fromhex("0001000000060110000a0001")
    )
    seeds: list[tuple[str, bytes]] = [
        ("hand.pcap", _pcap_from([(1_700_000_000.0, modbus_frame, len(modbus_frame))] * 3))
    ]
    data = shared_data("ics-captures")
    if data is None:
        return tuple(seeds)
    for path in (
        data / "IEC-60870" / "IEC104_SQ" / "IEC104_SQ.pcapng",
        data / "BACNET" / "BACnetL_SchedRPM" / "BACnetL_SchedRPM.pcapng",
    ):
        if path.is_file():
            seeds.append((path.name, path.read_bytes()))
    for path in (data / "MODBUS" / "Modbus" / "conn.log", data / "MODBUS" / "Modbus" / "modbus.log"):
        if path.is_file():
            lines = path.read_bytes().splitlines(keepends=True)
            seeds.append((path.name, b"".join(lines[:40] + lines[-1:])))
    return tuple(seeds)


# --- mutations -------------------------------------------------------------------------

NASTY_PIECES = (
    "[bold]",
    "[/bold]",
    "[/]",
    "[link=https://evil.example]",
    "[red on white]",
    "\x1b[31m",
    "\x1b]8;;https://x\x07",
    "\x1b[2J",
    "\x0c",
    "\x00",
    "\x0b",
    "\x07",
    "\x7f",
    "\r",
    "\r\n",
    "\u2028",
    "\u202e",
    "\ufeff",
    "\ud7ff",
    "\U0001f525",
    '=HYPERLINK("https://evil.example","x")',
    "+SUM(1)",
    "-1+1",
    "@cmd",
    "<script>alert(1)</script>",
    "<svg onload=x>",
    "]]>",
    "&amp;",
    "&#0;",
    "{{ x }}",
    "{% raw %}",
    "${x}",
    "| a | b |",
    "`code`",
    "**b**",
    "_i_",
    "# h",
    "[x](javascript:alert(1))",
    "\\",
    "'",
    '"',
    ";",
    ": ",
    "- ",
    "#",
    "a",
    "Z",
    "0",
    " ",
    "\t",
    "\n",
    "ä",
    "工場",
    "x" * 40,
)
"""Pieces of text users paste: terminal markup and escapes, control characters, formula, HTML, SVG and Markdown syntax."""

nasty_text = st.lists(st.sampled_from(NASTY_PIECES) | st.characters(codec="utf-8"), min_size=0, max_size=8).map("".join)


@st.composite
def mutated_bytes(draw: st.DrawFn, seed: bytes) -> bytes:
    """``seed`` with a few edits: flipped bytes, inserted or deleted spans, a truncation, a duplicated span."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        operation = draw(st.sampled_from(("flip", "insert", "delete", "truncate", "duplicate", "set")))
        position = draw(st.integers(0, max(0, len(data) - 1)))
        if operation == "flip" and data:
            data[position] ^= draw(st.integers(1, 255))
        elif operation == "set" and data:
            data[position] = draw(st.sampled_from((0x00, 0xFF, 0x7F, 0x80, 0x0A, 0x3A, 0x5B, 0x7B, 0x26, 0x2A, 0x21)))
        elif operation == "insert":
            data[position:position] = draw(
                st.binary(max_size=16) | nasty_text.map(lambda t: t.encode("utf-8", "surrogatepass"))
            )
        elif operation == "delete":
            del data[position : position + draw(st.integers(1, 64))]
        elif operation == "truncate":
            del data[position:]
        elif operation == "duplicate":
            data[position:position] = data[position : position + draw(st.integers(1, 64))]
    return bytes(data)


@st.composite
def mutated_text(draw: st.DrawFn, seed: str) -> bytes:
    """YAML text with lines changed: a line duplicated, dropped, re-indented, or given nasty text."""
    lines = seed.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        operation = draw(st.sampled_from(("duplicate", "drop", "indent", "insert", "replace-value")))
        if operation == "duplicate":
            lines.insert(index, lines[index])
        elif operation == "drop":
            del lines[index]
        elif operation == "indent":
            lines[index] = draw(st.sampled_from(("  ", "\t", " "))) + lines[index]
        elif operation == "insert":
            lines.insert(index, draw(nasty_text) + "\n")
        elif ":" in lines[index]:
            key, _ = lines[index].split(":", 1)
            lines[index] = f"{key}: {draw(nasty_text)}\n"
    return "".join(lines).encode("utf-8", "surrogatepass")


FREE_TEXT = frozenset(
    {
        "name",
        "title",
        "note",
        "notes",
        "justification",
        "evidence",
        "description",
        "location",
        "statement",
        "owner_note",
        "carries",
    }
)
"""Fields that hold free text rather than ids or enum values."""


def _string_paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _string_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _string_paths(item, (*path, index))
    elif isinstance(value, str):
        yield path


def _replace(document: Any, path: tuple[Any, ...], text: str) -> None:
    target = document
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = text


# --- cases -----------------------------------------------------------------------------

MODEL = "model.yaml"
YAML_COMMANDS: tuple[tuple[tuple[str, ...], frozenset[str]], ...] = (
    (("check", MODEL), frozenset()),
    (("analyze", MODEL), frozenset()),
    (("analyze", MODEL, "--format", "json", "--fail-on", "high"), frozenset()),
    (("analyze", MODEL, "--out", "out.txt", "--lang", "ja"), frozenset({"out.txt"})),
    (("checklist", MODEL, "--format", "json"), frozenset()),
    (("review", "current", MODEL), frozenset()),
    (("review", MODEL, "--format", "json"), frozenset()),
    (("workbook", "export", MODEL, "--out", "out.xlsx"), frozenset({"out.xlsx"})),
    (("report", MODEL, "--out", "report"), frozenset({"report"})),
)


@st.composite
def yaml_cases(draw: st.DrawFn, with_report: bool = True) -> Case:
    seed = draw(st.sampled_from(YAML_SEEDS))
    text = seed.read_text(encoding="utf-8")
    data = draw(mutated_text(text) | mutated_bytes(text.encode("utf-8")))
    commands = YAML_COMMANDS if with_report else YAML_COMMANDS[:-1]
    argv, outputs = draw(st.sampled_from(commands))
    return Case("yaml", argv, ((MODEL, data), *folder_seed()), outputs)


@st.composite
def decisions_cases(draw: st.DrawFn) -> Case:
    decisions = (
        "decisions:\n"
        "  - {finding: THREAT-WIRELESS@transport-zone, status: accepted, owner: ot, justification: isolated VLAN, review_by: 2020-01-01}\n"
        "  - {finding: GONE@nowhere, status: mitigated, owner: it, justification: fixed}\n"
    )
    data = draw(mutated_text(decisions) | mutated_bytes(decisions.encode("utf-8")))
    argv = draw(
        st.sampled_from(
            (
                ("analyze", "current", "--fail-on", "medium"),
                ("analyze", "current", "--format", "json", "--decisions", "decisions.yaml"),
            )
        )
    )
    return Case("decisions", argv, (("decisions.yaml", data), *folder_seed()))


WORKBOOK = "model.xlsx"
WORKBOOK_COMMANDS: tuple[tuple[tuple[str, ...], frozenset[str]], ...] = (
    (("check", WORKBOOK), frozenset()),
    (("analyze", WORKBOOK, "--format", "json"), frozenset()),
    (("workbook", "import", WORKBOOK, "--out", "out.yaml"), frozenset({"out.yaml"})),
)


@st.composite
def _inner_mutation(draw: st.DrawFn, seed: bytes) -> bytes:
    """The workbook with one part inside the zip mutated, so the damage reaches openpyxl's XML parsing."""
    with zipfile.ZipFile(io.BytesIO(seed)) as archive:
        parts = [(info.filename, archive.read(info.filename)) for info in archive.infolist()]
    index = draw(st.integers(0, len(parts) - 1))
    name, data = parts[index]
    parts[index] = (name, draw(mutated_bytes(data)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part_name, part_data in parts:
            archive.writestr(part_name, part_data)
    return out.getvalue()


@st.composite
def workbook_cases(draw: st.DrawFn) -> Case:
    seed = workbook_seed()
    data = draw(_inner_mutation(seed) | mutated_bytes(seed))
    argv, outputs = draw(st.sampled_from(WORKBOOK_COMMANDS))
    return Case("workbook", argv, ((WORKBOOK, data), *folder_seed()), outputs)


@st.composite
def capture_cases(draw: st.DrawFn) -> Case:
    name, seed = draw(st.sampled_from(capture_seeds()))
    data = draw(mutated_bytes(seed))
    argv, outputs = draw(
        st.sampled_from(
            (
                (("discover", name), frozenset[str]()),
                (("discover", name, "--format", "json"), frozenset[str]()),
                (("discover", name, "--model", "current"), frozenset[str]()),
                (("discover", name, "--init", "starter", "--out", "drift.txt"), frozenset({"starter", "drift.txt"})),
                (("discover", name, "--model", "current", "--change", "change.yaml"), frozenset({"change.yaml"})),
            )
        )
    )
    return Case("capture", argv, ((name, data), *folder_seed()), outputs)


@st.composite
def string_cases(draw: st.DrawFn, with_report: bool = True) -> Case:
    """A valid model whose string fields (names, notes, ids, justifications ...) hold nasty text."""
    seed = draw(st.sampled_from(YAML_SEEDS[:3]))
    document = yaml.safe_load(seed.read_text(encoding="utf-8"))
    paths = list(_string_paths(document))
    free = [path for path in paths if path and path[-1] in FREE_TEXT]
    pool = free if free and draw(st.integers(0, 9)) < 8 else paths  # mostly text the model keeps, so the outputs see it
    for path in draw(st.lists(st.sampled_from(pool), min_size=1, max_size=6, unique=True)):
        _replace(document, path, draw(nasty_text))
    data = json.dumps(document, ensure_ascii=draw(st.booleans()), default=str).encode("utf-8", "surrogatepass")
    commands = YAML_COMMANDS if with_report else YAML_COMMANDS[:-1]
    argv, outputs = draw(st.sampled_from(commands))
    return Case("strings", argv, ((MODEL, data), *folder_seed()), outputs)


@st.composite
def argument_cases(draw: st.DrawFn) -> Case:
    word = draw(
        nasty_text
        | st.sampled_from(
            ("measures", "checklist-items", "NET-ZONE-BOUNDARY-FILTERING", "THREAT-WIRELESS@x", "REQ-", "@", "")
        )
    )
    argv = draw(
        st.sampled_from(
            (
                ("explain", word),
                ("explain", word, "--lang", "ja"),
                ("catalog", word),
                ("catalog", word, "--format", "json"),
                ("analyze", "current", "--lang", word),
                ("analyze", "current", "--fail-on", word),
                ("analyze", "current", "--format", word),
                ("check", word),
            )
        )
    )
    return Case("arguments", argv, folder_seed())


# --- documents: the vulnerability intake's and the interchange importers' inputs -----------

HUGE_NUMBERS: tuple[Any, ...] = (
    -1,
    0,
    2**63,
    -(2**63),
    10**400,
    1e308,
    -1e308,
    float("inf"),
    float("nan"),
    0.1,
)
"""Numbers at the edges: negative, zero, past 64 bits, past a float (``10**400``), infinite and NaN (which Python's
JSON writer spells ``Infinity`` and ``NaN`` and its reader accepts)."""

_DEEP = "DEEPNESTINGMARK"
_DUPLICATE = "DUPLICATEKEYMARK"
"""Markers put into a document and replaced in its text once written: nesting too deep to build as data (the value),
and a key named twice, which no dict can hold (the start of the second key)."""


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in ``value``: containers, leaves and the document itself."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def _parent(document: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        document = document[part]
    return document


@st.composite
def wrong_value(draw: st.DrawFn, old: Any) -> Any:
    """A value of another type than ``old``, or an edge of its own type."""
    return draw(
        st.sampled_from(HUGE_NUMBERS)
        | st.sampled_from((None, True, False, "", [], {}, [old], {"x": old}, str(old)[:40], "x" * 5000))
        | nasty_text
        | st.just(_DEEP)
    )


@st.composite
def edited_document(draw: st.DrawFn, document: Any) -> Any:
    """``document`` (decoded JSON or YAML) with one to four edits: a key or item removed, a value of another type,
    a string full of nasty text, a key renamed, an item repeated (ids named twice), a key named twice, deep nesting."""
    document = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, 4))):
        paths = list(_paths(document))
        path = draw(st.sampled_from(paths[1:] or paths))
        if not path:
            document = draw(wrong_value(document))
            continue
        parent, key = _parent(document, path), path[-1]
        operation = draw(
            st.sampled_from(("delete", "retype", "text", "rename", "repeat", "repeat", "twice", "same-id", "deep"))
        )
        if operation == "delete":
            del parent[key]
        elif operation == "retype":
            parent[key] = draw(wrong_value(parent[key]))
        elif operation == "text":
            parent[key] = draw(nasty_text)
        elif operation == "deep":
            parent[key] = _DEEP
        elif operation == "rename" and isinstance(parent, dict):
            parent[draw(nasty_text | st.sampled_from(("id", "name", "type", "", "0")))] = parent.pop(key)
        elif operation == "repeat" and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
        elif operation == "twice" and isinstance(parent, dict) and isinstance(key, str):
            parent[_DUPLICATE + key] = draw(wrong_value(parent[key]) | st.just(parent[key]))
        elif operation == "same-id" and isinstance(parent, dict):
            ids = [p for p in paths if p and p[-1] == "id" and p != path]
            if ids:
                parent["id"] = _parent(document, ids[0])["id"]
    return document


def _deep_text(depth: int, flow: bool) -> str:
    return ("[" * depth + "]" * depth) if flow or depth % 2 else ('{"a": ' * depth + "0" + "}" * depth)


@st.composite
def document_variant(draw: st.DrawFn, seed: bytes, yaml_text: bool = False) -> bytes:
    """A document made from ``seed`` (the bytes of a JSON, or with ``yaml_text`` YAML, file): its bytes mutated,
    its data edited (:func:`edited_document`) and written again (as JSON, or YAML), in another encoding, or a
    degenerate file (empty, blank, ``null``, a list, a lone number, only a byte order mark)."""
    choice = draw(st.integers(0, 9))
    if choice <= 2:
        return draw(mutated_bytes(seed))
    if choice == 3:
        return draw(
            st.sampled_from(
                (b"", b" \n", b"null", b"[]", b"{}", b'"x"', b"0", b"\xef\xbb\xbf", b"\xff\xfe{\x00}\x00", b"\x00")
            )
        )
    document = yaml.safe_load(seed) if yaml_text else json.loads(seed)
    if draw(st.integers(0, 3)) > 0:
        document = draw(edited_document(document))
    as_yaml = yaml_text and draw(st.integers(0, 3)) > 0
    depth = draw(st.sampled_from((70, 2000, 100_000)))
    if as_yaml:
        text = yaml.safe_dump(document, allow_unicode=draw(st.booleans()), sort_keys=False, width=1000)
        text = text.replace(_DEEP, _deep_text(depth, flow=True))
    else:
        text = json.dumps(document, ensure_ascii=draw(st.booleans()), allow_nan=True, default=str)
        text = text.replace(json.dumps(_DEEP), _deep_text(depth, flow=False))
    text = text.replace(_DUPLICATE, "")
    encoding = draw(st.sampled_from(("utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "latin-1", "cp932")))
    return text.encode(encoding, "replace" if encoding in ("latin-1", "cp932") else "surrogatepass")


@st.composite
def nasty_file_name(draw: st.DrawFn, suffix: str) -> str:
    """A file name that reaches the messages: mostly plain, sometimes with escapes, bidi overrides or markup in it."""
    if draw(st.integers(0, 4)) > 0:
        return "file" + suffix
    stem = draw(
        st.lists(
            st.sampled_from(("\x1b[31m", "\u202e", "\x07", "[bold]", "a", "\r", "\x7f", "\u2066")),
            min_size=1,
            max_size=4,
        )
    )
    return "".join(stem).replace("/", "") + suffix


# --- the vulnerability intake ---------------------------------------------------------------

PLANT = ROOT / "tests" / "vulnerability" / "fixtures" / "plant"
ADVISORY_SEEDS = (
    "2019/icsa-19-225-01.json",  # Delta Electronics DOPSoft: the plant's AGV control PC
    "2022/icsa-22-314-07.json",  # Omron NJ/NX: the SCADA
    "2023/icsa-23-297-01.json",  # Cisco IOS XE (Stratix 5800): CVE-2023-20198, in KEV
    "2020/icsa-20-282-02.json",  # Mitsubishi MELSEC iQ-R: the warehouse and press PLCs
)
"""Real CISA advisories that match the test plant's assets, so that the intake goes past reading into matching."""


def _shared(holding: str) -> Path:
    found = shared_data(holding)
    if found is None:
        raise FileNotFoundError(f"shared/data/{holding} not found beside the repository (set FACTORYSEC_SHARED)")
    return found


@functools.cache
def plant_seed() -> tuple[tuple[str, bytes], ...]:
    """The vulnerability tests' plant (the Annex A factory with asset identities) as a folder ``plant/``."""
    return tuple((f"plant/{p.name}", _read(p)) for p in sorted(PLANT.glob("*.yaml")))


@functools.cache
def advisory_seeds() -> tuple[tuple[str, bytes], ...]:
    folder = _shared("csaf/cisa-ot")
    return tuple((name.split("/")[-1], (folder / name).read_bytes()) for name in ADVISORY_SEEDS)


@functools.cache
def kev_seed() -> bytes:
    """The KEV catalog cut to the entries the plant's advisories name and a few others (the whole is 1.2 MB)."""
    catalog = json.loads((_shared("kev") / "known_exploited_vulnerabilities.json").read_bytes())
    wanted = {"CVE-2023-20198", "CVE-2023-20273"}
    entries = [e for e in catalog["vulnerabilities"] if e.get("cveID") in wanted] + catalog["vulnerabilities"][:6]
    return json.dumps({**catalog, "count": len(entries), "vulnerabilities": entries}, indent=1).encode()


SBOM_SEEDS: tuple[tuple[str, Any], ...] = (
    (
        "cyclonedx",
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.5",
            "version": 1,
            "components": [
                {
                    "type": "firmware",
                    "bom-ref": "cpu-fw",
                    "name": "MELSEC iQ-R",
                    "version": "20",
                    "supplier": {"name": "Mitsubishi Electric"},
                    "components": [{"type": "library", "name": "zlib", "version": "1.2.11", "publisher": "zlib"}],
                },
                {"type": "application", "name": "NX", "version": "1.40", "manufacturer": {"name": "Omron"}},
                {"type": "library", "name": "openssl", "version": "3.0.1"},
            ],
        },
    ),
    (
        "spdx",
        {
            "spdxVersion": "SPDX-2.3",
            "SPDXID": "SPDXRef-DOCUMENT",
            "name": "press-plc",
            "packages": [
                {
                    "SPDXID": "SPDXRef-cpu",
                    "name": "MELSEC iQ-R",
                    "versionInfo": "20",
                    "supplier": "Organization: Mitsubishi Electric (psirt@example.com)",
                    "externalRefs": [
                        {
                            "referenceCategory": "PACKAGE-MANAGER",
                            "referenceType": "purl",
                            "referenceLocator": "pkg:generic/melsec@20",
                        }
                    ],
                },
                {"SPDXID": "SPDXRef-nx", "name": "NX", "versionInfo": "1.40", "originator": "Organization: Omron"},
                {"SPDXID": "SPDXRef-x", "name": "x", "supplier": "NOASSERTION"},
            ],
        },
    ),
)

VEX_SEED: dict[str, Any] = {
    "bomFormat": "CycloneDX",
    "specVersion": "1.5",
    "version": 1,
    "metadata": {"authors": [{"name": "Warehouse vendor PSIRT"}]},
    "vulnerabilities": [
        {
            "id": "CVE-2023-20198",
            "analysis": {"state": "not_affected", "justification": "code_not_reachable", "detail": "web UI disabled"},
            "affects": [{"ref": "production-router"}],
        },
        {
            "id": "CVE-2020-16850",
            "analysis": {"state": "exploitable", "response": ["will_not_fix"], "detail": "isolated cell"},
            "affects": [{"ref": "automated-warehouse"}, {"ref": "press-plc"}],
            "properties": [{"name": "factorysec:decision-owner", "value": "ot-security"}],
        },
        {"id": "CVE-2023-20273", "analysis": {"state": "resolved"}, "affects": [{"ref": "production-router"}]},
        {"id": "CVE-2023-20273", "analysis": {"state": "in_triage"}, "affects": [{"ref": "scada"}]},
    ],
}

VULN_DECISIONS = (
    "decisions:\n"
    "  - {finding: VULN-CVE-2023-20198@production-router, status: false-positive, owner: ot-security,\n"
    "     justification: the Web UI feature is disabled on this switch}\n"
    "  - {finding: VULN-CVE-2020-16850@automated-warehouse, status: in-progress, owner: ot-security,\n"
    "     justification: firmware update planned, review_by: 2020-01-01}\n"
    "  - {finding: VULN-CVE-1999-0001@nowhere, status: accepted, owner: ot-security, justification: old}\n"
)

PREVIOUS_SEED: dict[str, Any] = {
    "findings": [
        {"id": "VULN-CVE-2023-20198@production-router", "state": "affected", "decision": None},
        {
            "id": "VULN-CVE-2020-16850@automated-warehouse",
            "state": "cannot-decide",
            "decision": {"status": "in-progress"},
        },
        {"id": "VULN-CVE-2019-0001@scada", "state": "fixed"},
    ]
}


def _advisory_arguments(names: list[str]) -> tuple[str, ...]:
    return tuple(arg for name in names for arg in ("--advisories", f"adv/{name}"))


def _vulns_inputs() -> tuple[tuple[str, bytes], ...]:
    return (*plant_seed(), *((f"adv/{name}", data) for name, data in advisory_seeds()))


@functools.cache
def cache_seed() -> bytes:
    """The ``--cache`` file a run over the plant and the seed advisories writes, current for the harness's inputs."""
    case = Case(
        "seed", ("vulns", "plant", "--advisories", "adv", "--cache", "c.cache"), _vulns_inputs(), frozenset({"c.cache"})
    )
    with tempfile.TemporaryDirectory(prefix="factorysec-fuzz-seed-") as workdir:
        folder = Path(workdir)
        for name, data in case.files:
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
            os.utime(folder / name, ns=(FIXED_MTIME_NS, FIXED_MTIME_NS))
        with _inside(folder):
            result = CliRunner().invoke(app, list(case.argv))
        if result.exit_code != 0:
            raise RuntimeError(f"the cache seed run failed: {result.output}")
        return (folder / "c.cache").read_bytes()


VULNS_OUTPUTS: tuple[tuple[tuple[str, ...], frozenset[str]], ...] = (
    ((), frozenset()),
    (("--format", "json"), frozenset()),
    (("--format", "markdown", "--fail-on", "scheduled"), frozenset()),
    (("--format", "html", "--out", "out.html"), frozenset({"out.html"})),
    (("--format", "xlsx", "--out", "out.xlsx"), frozenset({"out.xlsx"})),
    (
        ("--format", "sarif", "--vex", "vex.json", "--csaf-vex", "csaf-vex.json"),
        frozenset({"vex.json", "csaf-vex.json"}),
    ),
)
"""What a ``vulns`` run writes (every renderer sees the text the inputs carry), and the paths it may write."""


@st.composite
def advisory_cases(draw: st.DrawFn) -> Case:
    """One advisory of the seeds broken (the others read), for ``vulns``, ``analyze`` or ``report``."""
    seeds = advisory_seeds()
    index = draw(st.integers(0, len(seeds) - 1))
    name = draw(nasty_file_name(".json"))
    files: list[tuple[str, bytes]] = [*plant_seed()]
    for position, (seed_name, seed) in enumerate(seeds):
        if position == index:
            files.append((f"adv/{name}" + ("/" if draw(st.integers(0, 30)) == 0 else ""), draw(document_variant(seed))))
        elif draw(st.booleans()):
            files.append((f"adv/{seed_name}", seed))
    extra, outputs = draw(st.sampled_from(VULNS_OUTPUTS))
    argv = draw(
        st.sampled_from(
            (
                ("vulns", "plant", "--advisories", "adv", *extra),
                ("vulns", "plant", "--advisories", f"adv/{name}", *extra),
                ("vulns", "plant", "--advisories", "adv", "--cache", "c.cache"),
                ("analyze", "plant", "--advisories", "adv", "--format", "json"),
                ("analyze", "plant", "--advisories", "adv", "--fail-on", "high"),
            )
        )
    )
    if "--cache" in argv:
        outputs = frozenset({"c.cache"})
    return Case("advisory", argv, tuple(files), outputs, terminal=True)


@st.composite
def report_advisory_cases(draw: st.DrawFn) -> Case:
    """A broken advisory into every file of a report folder."""
    case = draw(advisory_cases())
    return Case(
        case.kind,
        ("report", "plant", "--out", "report", "--advisories", "adv"),
        case.files,
        frozenset({"report"}),
        terminal=True,
    )


@st.composite
def intake_file_cases(draw: st.DrawFn) -> Case:
    """A broken KEV catalog, SBOM, VEX, decisions file, earlier JSON output or cache, beside good advisories."""
    kind = draw(st.sampled_from(("kev", "sbom", "vex", "vuln-decisions", "previous", "cache")))
    name = draw(nasty_file_name(".yaml" if kind == "vuln-decisions" else ".json"))
    folder = "/" if draw(st.integers(0, 30)) == 0 else ""
    advisories = _advisory_arguments([n for n, _ in advisory_seeds()])
    extra, outputs = draw(st.sampled_from(VULNS_OUTPUTS))
    files = _vulns_inputs()
    if kind == "kev":
        data = draw(document_variant(kev_seed()))
        argv = draw(
            st.sampled_from(
                (
                    ("vulns", "plant", *advisories, "--kev", name, *extra),
                    ("analyze", "plant", *advisories, "--kev", name, "--format", "json"),
                )
            )
        )
    elif kind == "sbom":
        _, document = draw(st.sampled_from(SBOM_SEEDS))
        data = draw(document_variant(json.dumps(document, indent=1).encode()))
        asset = draw(st.sampled_from(("press-plc", "press-plc", "scada", "nowhere", "")))
        argv = draw(
            st.sampled_from(
                (
                    ("vulns", "plant", *advisories, "--sbom", f"{asset}={name}", *extra),
                    ("analyze", "plant", *advisories, "--sbom", f"{asset}={name}", "--format", "json"),
                )
            )
        )
    elif kind == "vex":
        data = draw(document_variant(json.dumps(VEX_SEED, indent=1).encode()))
        argv = ("vulns", "plant", *advisories, "--vex-in", name, *extra)
    elif kind == "vuln-decisions":
        data = draw(document_variant(VULN_DECISIONS.encode(), yaml_text=True))
        argv = draw(
            st.sampled_from(
                (
                    ("vulns", "plant", *advisories, "--decisions", name, *extra),
                    ("analyze", "plant", *advisories, "--decisions", name, "--fail-on", "medium"),
                )
            )
        )
    elif kind == "previous":
        data = draw(document_variant(json.dumps(PREVIOUS_SEED).encode()))
        argv = ("vulns", "plant", *advisories, "--previous", name, *extra)
    else:
        data = draw(mutated_bytes(cache_seed()) | document_variant(cache_seed().split(b"\n")[0]))
        name = "c.cache"
        argv = ("vulns", "plant", "--advisories", "adv", "--cache", name, *extra)
        outputs = outputs | {name}
    return Case(kind, argv, (*files, (name + folder, data)), outputs, terminal=True)


# --- the interchange importers --------------------------------------------------------------

INTERCHANGE_MODEL = EXAMPLES / "all-cases-reviewed.yaml"


@functools.cache
def interchange_seeds() -> tuple[tuple[str, str, bytes], ...]:
    """(format, file name, bytes): the upstream OTM and Threagile examples, and the Annex A model as each is exported."""
    from factorysec.analysis import analyze
    from factorysec.catalog import load_catalog
    from factorysec.interchange.otm import export_otm
    from factorysec.interchange.threagile import export_threagile
    from factorysec.model import load_model
    from factorysec.model.writer import dump_data

    shared = _shared("interchange")
    catalog = load_catalog()
    model = load_model(INTERCHANGE_MODEL)
    assessment = analyze(model, catalog)
    otm, _ = export_otm(model, assessment, catalog)
    threagile, _ = export_threagile(model, assessment, catalog)
    return (
        ("otm", "upstream.json", (shared / "otm" / "EXAMPLE.json").read_bytes()),
        ("otm", "upstream.yaml", (shared / "otm" / "EXAMPLE.yaml").read_bytes()),
        ("otm", "plant.otm.json", json.dumps(otm, indent=1, ensure_ascii=False).encode()),
        ("threagile", "upstream.yaml", (shared / "threagile" / "example-threagile.yaml").read_bytes()),
        ("threagile", "plant.threagile.yaml", dump_data(threagile).encode()),
    )


MAPPING_SEED = (
    "zone_kinds:\n  internet: external\n  private: production\n  execution-environment: engineering\n"
    "component_types:\n  web-service: {type: software, component: packaged-software}\n"
    "  identity-store-ldap: {type: software}\n"
)


@st.composite
def import_cases(draw: st.DrawFn) -> Case:
    """An OTM or Threagile file (or a ``--mapping`` file) broken, imported into a model, a folder or a change file."""
    fmt, seed_name, seed = draw(st.sampled_from(interchange_seeds()))
    suffix = "." + seed_name.rsplit(".", 1)[1]
    name = draw(nasty_file_name(suffix))
    folder = "/" if draw(st.integers(0, 30)) == 0 else ""
    mapping_broken = draw(st.integers(0, 5)) == 0
    files: list[tuple[str, bytes]] = []
    if mapping_broken:
        files += [
            (name, seed),
            ("mapping.yaml" + folder, draw(document_variant(MAPPING_SEED.encode(), yaml_text=True))),
        ]
    else:
        files.append((name + folder, draw(document_variant(seed, yaml_text=suffix == ".yaml"))))
        files.append(("mapping.yaml", MAPPING_SEED.encode()))
    argv, outputs = draw(
        st.sampled_from(
            (
                (("import", fmt, name, "--out", "out.yaml"), frozenset({"out.yaml"})),
                (("import", fmt, name, "--out", "out.yaml", "--mapping", "mapping.yaml"), frozenset({"out.yaml"})),
                (
                    ("import", fmt, name, "--out", "outdir", "--report", "report.json"),
                    frozenset({"outdir", "report.json"}),
                ),
                (("import", fmt, name, "--out", "change.yaml", "--base", "current"), frozenset({"change.yaml"})),
            )
        )
    )
    written = "outdir/model.yaml" if "outdir" in argv else argv[argv.index("--out") + 1]
    if "outdir" in argv:
        files.append(("outdir/", b""))
    if "--base" in argv:
        files += folder_seed()
    return Case(f"import-{fmt}", argv, tuple(files), outputs, terminal=True, then=("check", written))


def document_cases() -> st.SearchStrategy[Case]:
    """Every kind of file the vulnerability intake and the importers read."""
    return st.one_of(advisory_cases(), intake_file_cases(), import_cases())


def model_cases(with_report: bool = True) -> st.SearchStrategy[Case]:
    """Every kind of model input: YAML, decisions, workbooks, captures, nasty strings, arguments."""
    return st.one_of(
        yaml_cases(with_report),
        decisions_cases(),
        workbook_cases(),
        capture_cases(),
        string_cases(with_report),
        argument_cases(),
    )


def all_cases(with_report: bool = True) -> st.SearchStrategy[Case]:
    return st.one_of(model_cases(with_report), document_cases())


CASE_GROUPS = {"all": all_cases, "models": model_cases, "documents": lambda: document_cases()}
"""What ``--inputs`` chooses among."""


# --- the long run (scripts/fuzz.sh) -----------------------------------------------------


def _save(folder: Path, case: Case, outcome: Outcome) -> None:
    """Keep a failing input: its files and a command.txt with the command line and what went wrong."""
    for name, data in case.files:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    (folder / "command.txt").write_text(
        f"cd {folder} && factorysec {' '.join(map(repr, case.argv))}\n{outcome.problem()}\n", encoding="utf-8"
    )


def main(argv: list[str] | None = None) -> int:
    """Run ``--examples`` generated cases, print a tally and one line per distinct failure; exit 1 if any case failed."""
    import argparse
    import collections
    import time

    from hypothesis import HealthCheck, Phase, given, settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--examples", type=int, default=2000, help="how many inputs to try")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: a new one each run)")
    parser.add_argument(
        "--save", type=Path, default=None, help="folder to keep the first input of each distinct failure in"
    )
    parser.add_argument(
        "--inputs",
        choices=sorted(CASE_GROUPS),
        default="all",
        help="models: model YAML, workbooks, captures, strings, arguments; documents: the vulnerability intake's and the importers' files",
    )
    options = parser.parse_args(argv)
    tally: collections.Counter[str] = collections.Counter()
    failures: dict[str, tuple[int, Case, Outcome]] = {}
    started = time.monotonic()

    @settings(
        max_examples=options.examples,
        phases=[Phase.generate],
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(CASE_GROUPS[options.inputs]())
    def explore(case: Case) -> None:
        outcome = run_case(case)
        tally["tried"] += 1
        tally[f"tried {case.kind}"] += 1
        tally[f"exit {outcome.exit_code}"] += 1
        if outcome.clean:
            tally["clean"] += 1
        else:
            tally["failed"] += 1
            signature = (
                f"{case.kind} {case.argv[0]}: {outcome.crash.split(': ', 1)[0] if outcome.crash else outcome.problem()}"
            )
            count, first, _ = failures.get(signature, (0, case, outcome))
            failures[signature] = (count + 1, first, outcome)
            if count == 0 and options.save is not None:
                _save(options.save / f"failure-{len(failures)}", case, outcome)
        if tally["tried"] % 100 == 0:
            print(
                f"  {tally['tried']} tried, {tally['clean']} clean, {tally['failed']} failed ({time.monotonic() - started:.0f} s)",
                flush=True,
            )

    if options.seed is not None:
        from hypothesis import seed

        explore = seed(options.seed)(explore)
    explore()
    print(
        f"\ninputs tried: {tally['tried']}  clean exits: {tally['clean']}  failures: {tally['failed']}  ({time.monotonic() - started:.0f} s)"
    )
    print(
        "by kind: "
        + ", ".join(f"{key[6:]} {value}" for key, value in sorted(tally.items()) if key.startswith("tried "))
    )
    print(
        "exit codes: "
        + ", ".join(f"{key[5:]}: {value}" for key, value in sorted(tally.items()) if key.startswith("exit "))
    )
    for signature, (count, case, outcome) in sorted(failures.items(), key=lambda item: -item[1][0]):
        print(f"\n{count} x {signature}\n   first input: {case.describe()}\n   {outcome.problem()[:300]}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
