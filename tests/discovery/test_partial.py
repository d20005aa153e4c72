"""Partial results merge in any order and grouping to exactly the single-run inventory."""

from __future__ import annotations

import json
import random
from dataclasses import fields
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factorysec.cli import app
from factorysec.discovery import command
from factorysec.discovery.command import discover, write_partial
from tests.discovery.discovery_support import (
    DATA,
    GEEK_151020,
    S7_DIR,
    SYN,
    SYN_ACK,
    tcp_frame,
    write_pcap,
)

runner = CliRunner()


def _generated_capture(path: Path, seed: int) -> Path:
    """Random TCP sessions, some with handshakes, some already running, over IPv4 and IPv6."""
    rng = random.Random(seed)
    frames = []
    t = 1_600_000_000.0
    for _ in range(60):
        v6 = rng.random() < 0.3
        client = f"fd00::{rng.randrange(1, 9)}" if v6 else f"10.0.{rng.randrange(3)}.{rng.randrange(1, 9)}"
        server = f"fd00::{rng.randrange(10, 14)}" if v6 else f"10.1.0.{rng.randrange(1, 5)}"
        cport, sport = rng.randrange(30000, 60000), rng.choice([102, 502, 44818, 40000, 8080])
        if rng.random() < 0.5:
            frames += [tcp_frame(client, server, cport, sport, SYN), tcp_frame(server, client, sport, cport, SYN_ACK)]
        for _ in range(rng.randrange(1, 6)):
            if rng.random() < 0.5:
                frames.append(tcp_frame(client, server, cport, sport, 0x18, b"q" * rng.randrange(20)))
            else:
                frames.append(tcp_frame(server, client, sport, cport, 0x18, b"r" * rng.randrange(20)))
    write_pcap(path, [(t + i * 0.001, f, len(f)) for i, f in enumerate(frames)])
    return path


def test_merging_partials_in_any_order_and_grouping_gives_the_single_run(tmp_path: Path) -> None:
    files = [
        GEEK_151020,
        DATA / "Additional-Captures" / "4SICS-GeekLounge-151022" / "snmp.log",
        *sorted(S7_DIR.parent.rglob("*.pcapng")),
        *sorted(S7_DIR.parent.glob("s7comm_*/conn.log")),
        _generated_capture(tmp_path / "g1.pcap", 1),
        _generated_capture(tmp_path / "g2.pcap", 2),
    ]
    single = discover(files)
    rng = random.Random(11)
    for round_ in range(4):
        order = files[:]
        rng.shuffle(order)
        cuts = sorted(rng.sample(range(1, len(order)), rng.randrange(1, 4)))
        groups = [order[a:b] for a, b in zip([0, *cuts], [*cuts, len(order)], strict=True)]
        partials = []
        for i, group in enumerate(groups):
            target = tmp_path / f"r{round_}-{i}.partial"
            write_partial(group, target)
            partials.append(target)
        rng.shuffle(partials)
        merged = discover(partials)
        assert merged.hosts == single.hosts
        assert merged.flows == single.flows
        assert merged == single


def test_jobs_gives_the_same_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(command, "MIN_PART_BYTES", 1000)  # read by two processes, as bigger inputs are
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        _generated_capture(folder / f"c{i}.pcap", i)
    (folder / "conn.log").write_bytes(GEEK_151020.read_bytes())
    one = runner.invoke(app, ["discover", str(folder), "--format", "json"])
    two = runner.invoke(app, ["discover", str(folder), "--format", "json", "--jobs", "2"])
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout


def test_partial_on_the_command_line(tmp_path: Path) -> None:
    a, b = tmp_path / "a.partial", tmp_path / "b.partial"
    assert runner.invoke(app, ["discover", str(GEEK_151020), "--partial", str(a)]).exit_code == 0
    assert runner.invoke(app, ["discover", str(S7_DIR), "--partial", str(b)]).exit_code == 0
    merged = runner.invoke(app, ["discover", str(b), str(a), "--format", "json"])
    direct = runner.invoke(app, ["discover", str(GEEK_151020), str(S7_DIR), "--format", "json"])
    assert merged.exit_code == 0 and merged.stdout == direct.stdout
    bad = tmp_path / "bad.partial"
    bad.write_text('{"factorysec_partial": 1, "records": [{"client": 5}]}')
    result = runner.invoke(app, ["discover", str(bad)])
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {bad}: invalid partial result at records.0.client")
    clash = runner.invoke(app, ["discover", str(GEEK_151020), "--partial", str(a), "--init", str(tmp_path)])
    assert clash.exit_code == 2


def test_dask_cluster_runs_the_same_map_and_merge(tmp_path: Path) -> None:
    import distributed  # the optional extra `factorysec[distributed]`, installed by the test lock

    files = [GEEK_151020, S7_DIR, _generated_capture(tmp_path / "g.pcap", 3)]
    bad = tmp_path / "bad.pcap"
    bad.write_bytes(b"\xd4\xc3\xb2\xa1" + bytes(10))
    with (
        distributed.LocalCluster(n_workers=2, processes=False, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        from factorysec.discovery.distributed import read_on_cluster
        from factorysec.discovery.inventory import build_inventory
        from factorysec.discovery.readers import expand_inputs
        from factorysec.discovery.vendor import vendor_of

        got = read_on_cluster(expand_inputs([*files, bad]), client)
        merged = build_inventory(got.records, got.sources, vendor_of)
        assert merged == discover([*files, bad])
        [unread] = [s for s in merged.sources if s.not_read]
        assert unread.path == str(bad)
        on_cluster = runner.invoke(
            app, ["discover", *map(str, files), "--dask", cluster.scheduler_address, "--format", "json"]
        )
        alone = runner.invoke(app, ["discover", *map(str, files), "--format", "json"])
        assert on_cluster.exit_code == 0, on_cluster.output
        assert on_cluster.stdout == alone.stdout


def test_a_file_read_directly_and_through_its_partial_counts_once(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    folder.mkdir()
    capture = _generated_capture(folder / "c.pcap", 4)
    write_partial([capture], folder / "c.partial")
    assert discover([folder]) == discover([capture])


def test_a_partial_crosses_processes_with_its_records_as_they_were() -> None:
    """Pickled (from a --jobs or Dask worker) a partial's records travel as columns and come back equal: the same
    values, types and field order, operations and absent MAC addresses included; an empty partial too."""
    import pickle

    from factorysec.discovery.partial import Partial
    from factorysec.discovery.readers import read_input
    from factorysec.discovery.types import ControlOperation, FlowRecord
    from tests.discovery.discovery_support import DATA

    capture_records, capture_stats = read_input(max(DATA.rglob("*.pcapng"), key=lambda p: p.stat().st_size))
    log_records, log_stats = read_input(sorted(DATA.rglob("conn.log"))[0])
    records = capture_records + log_records
    assert capture_records and len(log_records) >= 10
    written = FlowRecord(
        client="10.0.0.1",
        server="10.0.0.2",
        transport="tcp",
        port=502,
        protocol="modbus-tcp",
        evidence="payload",
        packets=4,
        bytes=240,
        first_seen=1.0,
        last_seen=2.5,
        source="a.pcap",
        operations=(
            ControlOperation(protocol="modbus-tcp", operation="write", code=6, count=2, first_seen=1.0, last_seen=2.0),
        ),
    )
    sent = Partial([*records, written], [capture_stats, log_stats])
    came = pickle.loads(pickle.dumps(sent))
    assert came.records == sent.records and came.sources == sent.sources and came.parts == []
    for before, after in zip(sent.records, came.records, strict=True):
        assert repr(after) == repr(before) and hash(after) == hash(before)
        assert [type(getattr(after, f.name)) for f in fields(after)] == [
            type(getattr(before, f.name)) for f in fields(before)
        ]
    assert came.records[-1].operations[0].operation == "write"
    assert any(r.client_mac is None for r in came.records) and any(r.client_mac for r in came.records)
    empty = pickle.loads(pickle.dumps(Partial()))
    assert (empty.records, empty.sources, empty.parts) == ([], [], [])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"client": "not-an-ip"}, "records.0.client: 'not-an-ip' is not an IP address"),
        ({"server": "10.0.0.999"}, "records.0.server: '10.0.0.999' is not an IP address"),
        ({"port": 99999}, "records.0.port: 99999 is not a port (0 to 65535)"),
        ({"packets": -5}, "records.0.packets: -5 is not a count"),
        ({"bytes": 10**30}, "records.0.bytes: 1000000000000000000000000000000 is not a count"),
        ({"first_seen": float("nan")}, "records.0.first_seen: nan is not a time"),
        ({"direction": "bogus"}, "records.0.direction: 'bogus' is not one of handshake, protocol"),
    ],
)
def test_a_partial_record_no_reader_writes_is_refused(tmp_path: Path, change: dict[str, object], message: str) -> None:
    """Its types alone let an edited or damaged partial put these into the inventory."""
    good = tmp_path / "good.partial"
    assert runner.invoke(app, ["discover", str(GEEK_151020), "--partial", str(good)]).exit_code == 0
    body = json.loads(good.read_text(encoding="utf-8"))
    body["records"][0].update(change)
    bad = tmp_path / "bad.partial"
    bad.write_text(json.dumps(body), encoding="utf-8")
    result = runner.invoke(app, ["discover", str(bad)])
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {bad}: invalid partial result at {message}"), result.output
