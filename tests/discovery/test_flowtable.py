"""The flow table's remembered signature verdicts change nothing but the time they take, and stay bounded."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from factorysec.discovery import flowtable, pcap
from factorysec.discovery.pcap import read_capture
from factorysec.discovery.types import FlowRecord, SourceStats
from tests.discovery.discovery_support import DATA, tcp_frame, write_pcap


def _polled(path: Path, seed: int, numbered: bool = False) -> None:
    """Many sessions polling PLCs with the same Modbus and S7 requests and the same replies, as a plant does
    (`numbered`: each Modbus request with its own transaction number, so no two payloads are alike)."""
    rng = random.Random(seed)
    modbus_read, modbus_reply = bytes.fromhex("000100000006010300000010"), bytes.fromhex("00010000000501030200ff")
    s7_job = bytes.fromhex("0300001f02f080320100000c00000e00000401120a10020001000084000000")
    frames: list[tuple[float, bytes, int]] = []
    for session in range(300):
        client, server = f"10.1.{session % 7}.{session % 250 + 1}", f"10.2.0.{rng.randint(1, 20)}"
        port, request, reply = (502, modbus_read, modbus_reply) if session % 3 else (102, s7_job, s7_job)
        for n in range(3):
            if numbered and port == 502:
                request = (session * 3 + n).to_bytes(2, "big") + modbus_read[2:]
            frames.append((1.0 + len(frames), tcp_frame(client, server, 40000 + session, port, payload=request), 0))
            frames.append((1.0 + len(frames), tcp_frame(server, client, port, 40000 + session, payload=reply), 0))
    write_pcap(path, [(ts, frame, len(frame)) for ts, frame, _ in frames])


@pytest.fixture(scope="module")
def captures(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The real captures, and generated ones in which many sessions repeat the same requests and replies."""
    folder = tmp_path_factory.mktemp("memo")
    made = [folder / f"polled{seed}.pcap" for seed in range(3)]
    for seed, path in enumerate(made):
        _polled(path, seed, numbered=seed == 2)
    return sorted(DATA.rglob("*.pcap*")) + made


def _read_all(captures: list[Path]) -> list[tuple[list[FlowRecord], SourceStats]]:
    return [read_capture(p) for p in captures]


def test_remembered_verdicts_give_the_same_flows(captures: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    check = flowtable.signature_verdict

    def counted(ip_proto: int, port: int, payload: bytes) -> int:
        calls.append(port)
        return check(ip_proto, port, payload)

    monkeypatch.setattr(flowtable, "signature_verdict", counted)
    remembered = _read_all(captures)
    with_memo = len(calls)
    calls.clear()

    class Forgetful(dict[tuple[int, int, int, bytes], int]):
        def __setitem__(self, key: tuple[int, int, int, bytes], value: int) -> None:
            """Remembers nothing."""

    class Unremembering(flowtable.FlowTable):
        def __init__(self, source: str) -> None:
            super().__init__(source)
            self._verdicts = Forgetful()

    monkeypatch.setattr(pcap, "FlowTable", Unremembering)
    forgotten = _read_all(captures)
    assert remembered == forgotten
    assert sum(r.evidence == "payload" for records, _ in remembered for r in records) >= 6
    assert 0 < with_memo < len(calls) / 2  # the memo spared most checks


def _largest_memo(captures: list[Path], monkeypatch: pytest.MonkeyPatch, bound: int) -> int:
    sizes: list[int] = []
    record = flowtable.FlowTable._record_samples

    def watched(self: flowtable.FlowTable, *args: Any) -> None:
        """Records the samples of a batch or chunk (both paths come here), then notes the memo's size."""
        record(self, *args)
        sizes.append(len(self._verdicts))

    monkeypatch.setattr(flowtable, "VERDICT_MEMO", bound)
    monkeypatch.setattr(flowtable.FlowTable, "_record_samples", watched)
    monkeypatch.setattr(pcap, "CHUNK_BYTES", 4096)
    for p in captures:
        pcap.read_part(p)
    return max(sizes)


def test_the_memo_stays_bounded(captures: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    per_batch = 4096 // 40  # a 4 KiB chunk holds fewer packets (each at least 40 bytes with its record header)
    assert _largest_memo(captures, monkeypatch, 1 << 30) > 8 + per_batch  # unbounded, it outgrows what the bound allows
    assert (
        _largest_memo(captures, monkeypatch, 8) <= 8 + 1 + per_batch
    )  # emptied once past 8, so one batch above it at most


def test_control_operations_merged_across_chunks_are_counted_once_per_side_and_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each chunk's operations are kept as columns and merged now and then (here every few chunks): the counts,
    first and last times per (side, code) are those of every operation added, in (side, code) order."""
    import numpy as np

    from factorysec.discovery import protocols

    assert max(protocols.CONTROL_OPERATIONS) < flowtable._OP_CODES
    monkeypatch.setattr(flowtable, "_OPS_MERGE_ROWS", 8)
    rng = np.random.default_rng(3)
    table = flowtable.FlowTable("ops")
    expected: dict[tuple[int, int], list[float]] = {}
    for _chunk in range(40):
        n = int(rng.integers(1, 30))
        side = rng.integers(0, 12, n)
        code = rng.choice([5, 6, 16, 260, 530], n)
        when = rng.uniform(0, 100, n)
        table._add_operations(side, code, when)
        for s, c, t in zip(side.tolist(), code.tolist(), when.tolist(), strict=True):
            slot = expected.setdefault((s, c), [0, t, t])
            slot[0] += 1
            slot[1], slot[2] = min(slot[1], t), max(slot[2], t)
    assert len(table._ops) < 40  # merged along the way, not one entry a chunk
    st = table.state()
    got = zip(st.op_side.tolist(), st.op_code.tolist(), st.op_count.tolist(), st.op_first.tolist(), st.op_last.tolist())
    assert [(s, c, n, lo, hi) for s, c, n, lo, hi in got] == [
        (s, c, n, lo, hi) for (s, c), (n, lo, hi) in sorted(expected.items())
    ]
    assert flowtable.FlowTable("none").state().op_side.size == 0
