"""The reference deployment under deploy/ names what the code reads."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


def _read_by_settings() -> set[str]:
    names: set[str] = set()
    pattern = re.compile(
        r"""(?:os\.environ\.get|os\.environ\[|env_bool|env_list)\(?\s*["']([A-Z_]+)["']"""
    )
    for path in (ROOT / "aqparat" / "settings").glob("*.py"):
        names.update(pattern.findall(path.read_text(encoding="utf-8")))
    return names


def test_the_environment_file_names_every_variable_the_settings_read() -> None:
    example = (DEPLOY / "aqparat.env.example").read_text(encoding="utf-8")
    named = set(re.findall(r"^#? ?([A-Z][A-Z_]+)=", example, re.M))
    read = _read_by_settings()
    assert len(read) > 40  # the pattern still finds the settings' reads
    assert read - named == set()


def test_the_units_run_the_installed_release_with_that_environment() -> None:
    for name, program in (("aqparat-web", "aqparat.gunicorn_conf"),
                          ("aqparat-worker", "run_huey")):  # fmt: skip
        unit = configparser.ConfigParser(strict=False, interpolation=None)
        unit.read(DEPLOY / "systemd" / f"{name}.service", encoding="utf-8")
        service = unit["Service"]
        assert service["EnvironmentFile"] == "/etc/aqparat/aqparat.env"
        assert program in service["ExecStart"]
        assert service["ExecStart"].startswith("/opt/aqparat/venv/bin/")
        assert service["User"] == "aqparat" and service["Restart"] == "always"
        assert unit["Install"]["WantedBy"] == "multi-user.target"
        # Every variable the unit uses is in the environment file.
        example = (DEPLOY / "aqparat.env.example").read_text(encoding="utf-8")
        for variable in re.findall(r"\$\{?([A-Z_]+)", service["ExecStart"]):
            assert re.search(rf"^{variable}=", example, re.M), variable


def test_the_front_cache_balances_between_every_app_node_named() -> None:
    """UPSTREAM names one node or several (spaces or commas): one `server` line
    each, and nothing of the variable left for nginx to read as its own."""
    import subprocess

    site = subprocess.run(  # noqa: S603 - our own script
        [DEPLOY / "nginx" / "render"],
        env={"PATH": "/usr/bin:/bin", "LISTEN_PORT": "80", "STATIC_ROOT": "/s",
             "MEDIA_ROOT": "/m", "CACHE_DIR": "/c",
             "UPSTREAM": "10.0.0.11:8000, 10.0.0.12:8000 10.0.0.13:8000"},
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    upstream = re.search(r"upstream aqparat_app \{(.*?)\}", site, re.S)
    assert upstream is not None
    servers = re.findall(r"^\s*server (\S+) max_fails=1 fail_timeout=5s;$",
                         upstream.group(1), re.M)  # fmt: skip
    assert servers == ["10.0.0.11:8000", "10.0.0.12:8000", "10.0.0.13:8000"]
    assert "${" not in site  # every name substituted


def test_every_worker_runs_the_schedule() -> None:
    """No worker is told --no-periodic: each job's minute goes to one of them
    (core/queue.py), and one worker's loss stops nothing."""
    for path in (
        DEPLOY / "aqparat.env.example",
        DEPLOY / "systemd" / "aqparat-worker.service",
    ):
        assert "--no-periodic" not in path.read_text(encoding="utf-8")
