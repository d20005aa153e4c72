"""The discovery package's names: lazy, and each meaning one thing whatever was imported before."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

_NAMES_IN_A_FRESH_INTERPRETER = """
import json, sys, types
import factorysec.discovery as package
loaded_by_package = "factorysec.discovery.drift" in sys.modules or "numpy" in sys.modules
if sys.argv[1] == "module-first":
    import factorysec.discovery.drift
first = package.drift
from factorysec.discovery import drift as imported, drift_report, DriftReport
import factorysec.discovery.drift as module
print(json.dumps({
    "loaded_by_package": loaded_by_package,
    "drift_is_the_module": isinstance(first, types.ModuleType) and first is imported is module is package.drift,
    "drift_report_is_the_function": drift_report is module.drift and callable(drift_report),
    "report_class": DriftReport is module.DriftReport,
}))
"""


def _names(order: str) -> dict[str, bool]:
    done = subprocess.run(
        [sys.executable, "-c", _NAMES_IN_A_FRESH_INTERPRETER, order], capture_output=True, text=True, check=True
    )
    facts: dict[str, bool] = json.loads(done.stdout)
    return facts


def test_drift_names_the_module_whether_or_not_it_was_imported_first() -> None:
    for order in ("package-first", "module-first"):
        assert _names(order) == {
            "loaded_by_package": False,
            "drift_is_the_module": True,
            "drift_report_is_the_function": True,
            "report_class": True,
        }, order


def test_an_unknown_name_is_an_attribute_error() -> None:
    import factorysec.discovery as package

    with pytest.raises(AttributeError, match="nothing_here"):
        package.__getattr__("nothing_here")


def test_a_run_over_zeek_logs_imports_neither_numpy_nor_the_capture_reader() -> None:
    """Choosing the reader, the `Partial` container, the C conn.log pass and the inventory need no capture code (nor rich)."""
    from tests.discovery.discovery_support import GEEK_151020, discover_in_a_fresh_interpreter

    answer, loaded = discover_in_a_fresh_interpreter(GEEK_151020)
    assert answer["inventory"]["flows"]
    for module in (
        "numpy",
        "factorysec.discovery.pcap",
        "factorysec.discovery.flowtable",
        "factorysec.discovery.parts",
        "rich",  # the terminal renderers' library: a JSON run has no use for it
    ):
        assert module not in loaded, module


def test_the_readers_capture_magics_are_the_capture_readers() -> None:
    from factorysec.discovery.pcap import PCAP_MAGICS, PCAPNG_SHB
    from factorysec.discovery.readers import CAPTURE_MAGICS

    assert frozenset({*PCAP_MAGICS, PCAPNG_SHB}) == CAPTURE_MAGICS


_SPLIT_CONN_LOG_THEN_LIST_MODULES = """
import json, sys
from factorysec.cli import app
from factorysec.discovery import command, zeek
command.MIN_PART_BYTES = 1000  # the small real log split in parts, as a big one would be
parts = []
real_merge = zeek.merge_conn_parts
zeek.merge_conn_parts = lambda path, done: parts.append(len(done)) or real_merge(path, done)
app(["discover", sys.argv[1], "--jobs", "2", "--format", "json"], standalone_mode=False)
sys.stdout.flush()
print(json.dumps({"parts": parts, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def test_a_conn_log_split_over_jobs_imports_neither_numpy_nor_the_capture_reader() -> None:
    """With --jobs, the command imports the capture reader (and numpy) before its workers fork only when a capture is
    among the inputs: a conn.log read in parts needs neither, and numpy alone was 0.05-0.1 CPU-s of serial start-up."""
    import json
    import subprocess
    import sys

    from tests.discovery.discovery_support import GEEK_151020

    done = subprocess.run(
        [sys.executable, "-c", _SPLIT_CONN_LOG_THEN_LIST_MODULES, str(GEEK_151020)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout)["inventory"]["flows"]
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report["parts"] == [2]
    assert "concurrent.futures.process" in report["modules"]
    for module in ("numpy", "factorysec.discovery.pcap", "factorysec.discovery.flowtable"):
        assert module not in report["modules"], module
