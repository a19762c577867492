"""What gets installed is what was reviewed: pyproject.toml's ranges start above the
last security releases of Django and Wagtail, the lock files pin every dependency
with hashes inside those ranges, `make test` and `make run` install from them, and
the versions running the suite are the locked ones."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
# The last security releases when this was written (Django 5.2.19 and Wagtail 8.0.1,
# autumn 2026): raise these with each security release, never lower them.
SECURITY_FLOORS = {"django": Version("5.2.19"), "wagtail": Version("8.0.1")}
LOCKS = {"requirements.lock": [], "requirements-dev.lock": ["dev"]}


def _project() -> dict[str, object]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _requirements(extras: list[str]) -> list[Requirement]:
    project = _project()["project"]
    assert isinstance(project, dict)
    names = list(project["dependencies"])
    for extra in extras:
        names += project["optional-dependencies"][extra]
    return [Requirement(name) for name in names]


def _locked(lock: str) -> dict[str, tuple[Version, int]]:
    """{name: (version, number of hashes)} of a lock file written by `make lock`."""
    text = (ROOT / lock).read_text(encoding="utf-8")
    pins: dict[str, tuple[Version, int]] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = re.match(r"([A-Za-z0-9_.\-\[\],]+)==([^\s;\\]+)", block)
        if match:
            name = canonicalize_name(match[1].split("[")[0])
            pins[name] = (Version(match[2]), block.count("--hash=sha256:"))
    return pins


def test_the_ranges_start_above_the_last_security_releases() -> None:
    for requirement in _requirements([]):
        floor = SECURITY_FLOORS.get(canonicalize_name(requirement.name))
        if floor is None:
            continue
        lowest = [
            Version(spec.version)
            for spec in requirement.specifier
            if spec.operator in (">=", "==", "~=")
        ]
        assert lowest and min(lowest) >= floor, requirement
        assert not requirement.specifier.contains(f"{floor.major}.{floor.minor}.0")


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_every_dependency_is_locked_with_hashes_within_its_range(lock: str) -> None:
    pins = _locked(lock)
    assert pins, f"{lock} pins nothing"
    for name, (_, hashes) in pins.items():
        assert hashes >= 1, f"{name} has no hash in {lock}"
    for requirement in _requirements(LOCKS[lock]):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement} is not in {lock}: run `make lock`"
        assert requirement.specifier.contains(pins[name][0], prereleases=True), (
            f"{lock} pins {name} {pins[name][0]}, outside {requirement}: `make lock`"
        )


def test_the_suite_runs_on_the_locked_versions() -> None:
    pins = _locked("requirements-dev.lock")
    for requirement in _requirements(["dev"]):
        name = canonicalize_name(requirement.name)
        assert Version(version(name)) == pins[name][0], name


def test_make_installs_from_the_locks_and_runs_bandit() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--require-hashes -r requirements.lock" in makefile
    assert "--require-hashes -r requirements-dev.lock" in makefile
    test_target = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert "bandit -q -c pyproject.toml -r aqparat" in test_target
