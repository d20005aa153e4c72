"""A fuzz harness over the whole CLI: generated inputs, one command each, judged on how the process ends.

A case is a command line and the files it reads, written into an empty working
folder. It ends *clean* when the command

- exits with a documented code (0 success, 1 threshold met, 2 invalid input),
- raises nothing but the exit (no traceback, in-process or printed), and
- changes nothing in the working folder except the output paths it was given.

Inputs come in five kinds: model YAML text with bytes mutated, workbook bytes
mutated (the whole file, or one part inside the zip), capture bytes mutated
(pcap, pcapng, Zeek conn and modbus logs), models whose string fields hold
terminal markup, escapes, control and formula-like text, and random arguments.

``tests/test_fuzz_cli.py`` runs a bounded number of cases in the test suite;
``scripts/fuzz.sh`` runs many more and prints the tally.
"""

from __future__ import annotations

import functools
import gc
import io
import json
import os
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
from typer.testing import CliRunner

from factorysec.cli import app
from tests.shared_folder import shared_data

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "annex-a"
FIXTURES = ROOT / "tests" / "fixtures"
DOCUMENTED_EXITS = frozenset({0, 1, 2})


@dataclass(frozen=True)
class Case:
    """One command line run in an empty folder holding ``files``; it may write only ``outputs`` (a folder: anything under it)."""

    kind: str
    argv: tuple[str, ...]
    files: tuple[tuple[str, bytes], ...]
    outputs: frozenset[str] = frozenset()

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


def run_case(case: Case) -> Outcome:
    """Run one case in a fresh folder and judge how it ended."""
    with tempfile.TemporaryDirectory(prefix="factorysec-fuzz-") as workdir:
        folder = Path(workdir)
        for name, data in case.files:
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        scratch = folder / TEMP_FOLDER
        scratch.mkdir()
        before = _listing(folder)
        gc.collect()  # finalise what an earlier case left behind now, so that its 'Exception ignored' text is not printed into this case's output
        with _inside(folder), _temporary_files_in(scratch):
            result = CliRunner().invoke(app, list(case.argv), catch_exceptions=True)
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


def all_cases(with_report: bool = True) -> st.SearchStrategy[Case]:
    return st.one_of(
        yaml_cases(with_report),
        decisions_cases(),
        workbook_cases(),
        capture_cases(),
        string_cases(with_report),
        argument_cases(),
    )


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
    @given(all_cases())
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
