"""Discovery's pydantic models are built when first used, and the readers make their records and statistics
without validating them: a text run builds none of them, and what the readers make is what validation makes."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel

from factorysec.discovery.command import DiscoveryResult, run
from factorysec.discovery.pcap import read_capture
from factorysec.discovery.zeek import read_zeek_log
from tests.discovery.discovery_support import (
    DATA,
    GEEK_151020,
    MODBUS_DIR,
    S7_PCAPNG,
    epb_packets,
    modbus_write_frame,
    write_pcap,
)

_RUN_THEN_BUILT_MODELS = """
import json, sys
from pydantic import BaseModel
from factorysec.cli import app
try:
    app(["discover", *sys.argv[1:]], standalone_mode=False)
finally:
    sys.stdout.flush()
import factorysec.discovery.command, factorysec.discovery.drift_types, factorysec.discovery.partial
import factorysec.discovery.types
import pydantic.plugin._loader as plugins
built = sorted(
    f"{m.__name__}.{name}"
    for m in (factorysec.discovery.command, factorysec.discovery.drift_types, factorysec.discovery.partial,
              factorysec.discovery.types)
    for name, value in vars(m).items()
    if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == m.__name__
    and value.__pydantic_complete__
)
import os
kept = "PYDANTIC_DISABLE_PLUGINS" not in os.environ
print(json.dumps({"built": built, "plugins_scanned": plugins._plugins is not None, "environment_kept": kept}), file=sys.stderr)
"""


@pytest.mark.parametrize(
    ("options", "built"),
    [((), []), (("--format", "json"), ["factorysec.discovery.command.DiscoveryResult"])],
    ids=["text", "json"],
)
def test_a_run_builds_only_what_it_writes_with(options: tuple[str, ...], built: list[str]) -> None:
    """Each model class built at import cost ~0.04 CPU-s of every run, and the first one built outside Typer's
    parameters scanned the installed packages for pydantic plugins (0.03-0.07): `discover` over a capture and a
    conn.log builds no model to write text, only the result's serializer to write JSON, and scans for no plugin."""
    done = subprocess.run(
        [sys.executable, "-c", _RUN_THEN_BUILT_MODELS, str(S7_PCAPNG), str(GEEK_151020), *options],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "192.168.1.35" in done.stdout
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report == {"built": built, "plugins_scanned": False, "environment_kept": True}


def _same_as_validated(made: BaseModel) -> None:
    again = type(made).model_validate(made.model_dump())
    assert again == made and made == again and hash(again) == hash(made)
    assert again.model_dump_json(indent=2) == made.model_dump_json(indent=2)
    assert [type(v) for v in again.__dict__.values()] == [type(v) for v in made.__dict__.values()]
    assert list(again.__dict__) == list(made.__dict__)
    assert pickle.loads(pickle.dumps(made)) == again


def test_capture_records_and_statistics_are_what_validation_makes(tmp_path: Path) -> None:
    """The capture's records (with control operations), statistics (with skip counts) and hosts' roles."""
    cut = tmp_path / "cut.pcapng"
    whole = S7_PCAPNG.read_bytes()
    cut.write_bytes(whole[: len(whole) * 2 // 3])  # a record cut short: a skip count with its position
    writes = tmp_path / "writes.pcap"  # Modbus writes: control operations on the flow
    frames = [modbus_write_frame(f, (3, 6, 16)[i % 3]) for i, (_, f, _) in enumerate(epb_packets(S7_PCAPNG)[:12])]
    write_pcap(writes, [(1.0 + i, f, len(f)) for i, f in enumerate(frames)])
    captures = [S7_PCAPNG, cut, writes, *sorted(MODBUS_DIR.rglob("*.pcap*"))[:3]]
    operations = skipped = 0
    for path in captures:
        records, stats = read_capture(path)
        _same_as_validated(stats)
        skipped += len(stats.skipped)
        for record in records:
            _same_as_validated(record)
            for op in record.operations:
                operations += 1
                _same_as_validated(op)
    assert operations and skipped
    result = run(captures[:2], None)
    assert isinstance(result, DiscoveryResult)
    _same_as_validated(result)
    assert any(h.protocols for h in result.inventory.hosts)
    for host in result.inventory.hosts:
        for role in host.protocols:
            _same_as_validated(role)


def test_zeek_statistics_are_what_validation_makes(tmp_path: Path) -> None:
    """A conn.log's statistics with lines left out, and the other logs' statistics."""
    damaged = tmp_path / "conn.log"
    lines = GEEK_151020.read_text().splitlines(keepends=True)
    body = [i for i, line in enumerate(lines) if not line.startswith("#")]
    lines[body[3]] = "not\ta\tconn\trow\n"
    damaged.write_text("".join(lines))
    _, stats = read_zeek_log(damaged)
    assert stats.skipped and stats.skipped[0].positions
    _same_as_validated(stats)
    read = 0
    for kind in ("snmp", "modbus", "dnp3"):  # an SNMP log's statistics carry the identities it found
        for log in sorted(DATA.rglob(f"{kind}.log"))[:3]:
            _, found = read_zeek_log(log)
            _same_as_validated(found)
            read += 1
    assert read >= 5
