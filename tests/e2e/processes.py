"""The processes of a deployment, for the end-to-end tests: gunicorn servers, the huey
consumer and one-off `manage.py shell` runs, all on the browser tests' database."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def shell(env: dict[str, str], code: str) -> str:
    """Run `code` in a `manage.py shell` of its own; what it prints."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    return result.stdout.strip()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str

    def stop(self) -> None:
        stop(self.process)


def gunicorn(env: dict[str, str], *, workers: int) -> Server:
    """A gunicorn server of `workers` processes, as `make run` starts it; up when
    this returns."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable, "-m", "gunicorn", "aqparat.wsgi",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--no-control-socket",
        ],
        cwd=ROOT, env=env,
    )  # fmt: skip
    server = Server(process, f"http://127.0.0.1:{port}")
    try:
        _wait_until_up(server.url)
    except RuntimeError:
        server.stop()
        raise
    return server


def _wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/en/", timeout=5):  # noqa: S310
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the e2e server at {url} did not start in {seconds} s")


def consumer(
    env: dict[str, str], *, poll_seconds: float = 1.0
) -> subprocess.Popen[bytes]:
    """The huey consumer (`manage.py run_huey`), looking for work at least every
    `poll_seconds`."""
    return subprocess.Popen(  # noqa: S603
        [
            sys.executable, "manage.py", "run_huey", "--workers", "1",
            "--delay", "0.1", "--max-delay", str(poll_seconds),
        ],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
