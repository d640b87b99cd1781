"""The lock files pin, with hashes, a version inside every range of pyproject.toml (README
"Reproducible installs"): a dependency added to pyproject.toml without `make lock` fails here."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+) \\$", re.MULTILINE)


def pins(lock: str) -> dict[str, str]:
    return {canonicalize_name(name): version for name, version in PIN.findall((ROOT / lock).read_text())}


@pytest.mark.parametrize(
    ("lock", "groups"),
    [
        ("requirements.txt", ["dependencies", "s3"]),
        ("requirements-dev.txt", ["dependencies", "dev"]),
    ],
)
def test_every_dependency_is_pinned_inside_its_range(lock, groups):
    pinned = pins(lock)
    wrong = []
    for group in groups:
        specs = (
            PYPROJECT["dependencies"]
            if group == "dependencies"
            else PYPROJECT["optional-dependencies"][group]
        )
        for spec in specs:
            requirement = Requirement(spec)
            version = pinned.get(canonicalize_name(requirement.name))
            if version is None or not requirement.specifier.contains(version, prereleases=True):
                wrong.append(f"{requirement} -> {version}")
    assert wrong == [], f"run `make lock`: {wrong}"


@pytest.mark.parametrize("lock", ["requirements.txt", "requirements-dev.txt"])
def test_every_pin_carries_hashes(lock):
    blocks = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / lock).read_text().split("\n\n", 1)[-1])
    unhashed = [block.split()[0] for block in blocks if "==" in block and "--hash=sha256:" not in block]
    assert unhashed == []
