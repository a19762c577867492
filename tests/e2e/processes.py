"""The processes of a deployment, for the end-to-end tests: gunicorn servers, the front
cache we ship (nginx), the huey consumer and one-off `manage.py shell` runs, all on the
browser tests' database."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.common import GUNICORN, PURGE_MODULE, free_port
from bench.common import front_cache as bench_front_cache

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
HAS_FRONT_CACHE = NGINX is not None and PURGE_MODULE.exists()
# What monitoring sends for the health endpoints' details (core/health.py).
E2E_HEALTH_TOKEN = "e2e-monitoring-token"  # noqa: S105 - the tests' own


def shell(env: dict[str, str], code: str) -> str:
    """Run `code` in a `manage.py shell` of its own; what it prints."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    return result.stdout.strip()


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str

    def stop(self) -> None:
        stop(self.process)


def gunicorn(env: dict[str, str], *, workers: int, own_session: bool = False) -> Server:
    """A gunicorn server of `workers` processes, as `make run` starts it; up when
    this returns. In a session of its own when asked, so that the whole server,
    master and workers, can be killed at once (a node that dies)."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [*GUNICORN, "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
        cwd=ROOT, env=env, start_new_session=own_session,
    )  # fmt: skip
    return _started(Server(process, f"http://127.0.0.1:{port}"))


def _started(server: Server, failure: Callable[[], str] | None = None) -> Server:
    """`server` once it answers; stopped, with `failure()` as the error when one is
    given, when it does not."""
    try:
        _wait_until_up(server.url)
    except RuntimeError:
        server.stop()
        if failure is None:
            raise
        raise RuntimeError(failure()) from None
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


def front_cache(*, port: int, upstream: str | list[str], var_dir: Path,
                beacon_log: str, tmp: Path) -> Server:  # fmt: skip
    """nginx with the site rendered from deploy/nginx/aqparat.conf.template (as the
    benchmarks start it), in front of `upstream` (balancing between several), on
    `port`; up when this returns."""
    upstreams = [upstream] if isinstance(upstream, str) else upstream
    process = bench_front_cache(
        tmp=tmp, port=port, upstream_port=[int(u.rsplit(":", 1)[1]) for u in upstreams],
        var=var_dir, workers=1, beacon_log=Path(beacon_log),
    )  # fmt: skip
    return _started(
        Server(process, f"http://127.0.0.1:{port}"),
        failure=lambda: (tmp / "nginx-error.log").read_text(),
    )


def consumer(
    env: dict[str, str], *, poll_seconds: float = 1.0, workers: int = 1
) -> subprocess.Popen[bytes]:
    """The huey consumer (`manage.py run_huey`) with `workers` threads, looking for
    work at least every `poll_seconds`."""
    return subprocess.Popen(  # noqa: S603
        [
            sys.executable, "manage.py", "run_huey", "--workers", str(workers),
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
