"""The lock files pin what pyproject.toml asks for: a dependency added or a range changed without `bash scripts/lock.sh` fails here."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def pins(lock: Path) -> dict[str, list[tuple[str, str]]]:
    """Every pinned package of a lock file: name -> [(version, marker)]."""
    found: dict[str, list[tuple[str, str]]] = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            found.setdefault(canonicalize_name(match.group(1)), []).append(
                (match.group(2), (match.group(3) or "").strip())
            )
    return found


def hashed(lock: Path) -> bool:
    """Whether every pin of the lock carries at least one sha256 hash."""
    text = lock.read_text(encoding="utf-8")
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text)
    return all("--hash=sha256:" in block for block in blocks if PIN.match(block.splitlines()[0]))


def wanted(extras: bool) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    names = list(project["project"]["dependencies"]) + list(project["build-system"]["requires"])
    if extras:
        for group in project["project"].get("optional-dependencies", {}).values():
            names += group
    return [Requirement(name) for name in names]


@pytest.mark.parametrize(("lock_name", "extras"), [("main.lock", False), ("test.lock", True)])
def test_every_dependency_of_pyproject_is_pinned_within_its_range(lock_name: str, extras: bool) -> None:
    lock = ROOT / "requirements" / lock_name
    pinned = pins(lock)
    problems = []
    for requirement in wanted(extras):
        versions = pinned.get(canonicalize_name(requirement.name))
        if not versions:
            problems.append(f"{requirement.name}: not in {lock_name}")
            continue
        outside = [version for version, _ in versions if version not in requirement.specifier]
        if outside:
            problems.append(
                f"{requirement.name}: {lock_name} pins {', '.join(outside)}, pyproject asks {requirement.specifier}"
            )
    assert not problems, "run `bash scripts/lock.sh`: " + "; ".join(problems)


@pytest.mark.parametrize("lock_name", ["main.lock", "test.lock"])
def test_every_pin_is_hash_checked(lock_name: str) -> None:
    assert hashed(ROOT / "requirements" / lock_name)


def test_the_check_sees_a_range_the_lock_does_not_meet(tmp_path: Path) -> None:
    """The parser above reads pins, so a pin outside a range is seen (guards against a regex that reads nothing)."""
    lock = tmp_path / "x.lock"
    lock.write_text("pydantic==1.10.0 \\\n    --hash=sha256:00\n", encoding="utf-8")
    version, _ = pins(lock)["pydantic"][0]
    assert version not in Requirement("pydantic>=2.7,<3").specifier
    assert len(pins(ROOT / "requirements" / "test.lock")) > 30
