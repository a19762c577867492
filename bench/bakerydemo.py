"""The Wagtail peer the performance issue names: wagtail/bakerydemo's blog page,
served the way `make bench` serves ours (gunicorn's sync workers on loopback, as
many as cores, its production settings on SQLite, nothing cached in front), so the
uncached article's ratio to it is measured in the same run.

Needs a checkout of https://github.com/wagtail/bakerydemo in BENCH_BAKERYDEMO and
the Python it declares (.python-version; BENCH_BAKERYDEMO_PYTHON, else
`python<version>` on PATH). The checkout is copied to a folder of the run's own,
with a virtualenv of its requirements/base.txt plus gunicorn and whitenoise (its
production settings serve static files with whitenoise): nothing is written into
it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.common import free_port, wait_for

BLOG_PAGE = "/blog/icelandic-baking/"


def checkout() -> Path | None:
    found = os.environ.get("BENCH_BAKERYDEMO", "")
    return Path(found) if found else None


def _python(source: Path) -> str:
    declared = (source / ".python-version").read_text().strip()
    python = os.environ.get("BENCH_BAKERYDEMO_PYTHON") or f"python{declared}"
    try:
        subprocess.run([python, "--version"], check=True, capture_output=True)  # noqa: S603
    except (OSError, subprocess.CalledProcessError):
        raise SystemExit(
            f"bench: bakerydemo declares Python {declared}: put a working "
            f"python{declared} on PATH or name one in BENCH_BAKERYDEMO_PYTHON"
        ) from None
    return python


@contextmanager
def served(source: Path, workers: int) -> Iterator[str]:
    """bakerydemo with its demo content on a free port; yields the blog page's URL."""
    folder = Path(tempfile.mkdtemp(prefix="aqparat-bench-bakerydemo-"))
    try:
        yield from _served(source, folder, workers)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _served(source: Path, folder: Path, workers: int) -> Iterator[str]:
    site = folder / "bakerydemo"
    shutil.copytree(source, site, ignore=shutil.ignore_patterns(".git", "node_modules"))
    venv = folder / "venv"
    subprocess.run([_python(source), "-m", "venv", str(venv)], check=True)  # noqa: S603
    python = str(venv / "bin" / "python")
    subprocess.run(  # noqa: S603
        [python, "-m", "pip", "install", "-q", "-r", "requirements/base.txt",
         "gunicorn", "whitenoise"],
        cwd=site, check=True,
    )  # fmt: skip
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bakerydemo.settings.production",
        "DJANGO_SECRET_KEY": "bench-only",
        "DATABASE_NAME": str(folder / "bakerydemo.sqlite3"),
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback, as ours
    }
    for name in ("DATABASE_URL", "REDIS_URL", "REDIS_TLS_URL"):
        env.pop(name, None)
    for command in (
        ("migrate", "--noinput"),
        ("load_initial_data",),
        ("collectstatic", "--noinput"),
    ):
        subprocess.run(  # noqa: S603
            [python, "manage.py", *command, "-v", "0"],
            cwd=site, env=env, check=True, capture_output=True,
        )  # fmt: skip
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [python, "-m", "gunicorn", "bakerydemo.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--no-control-socket"],
        cwd=site, env=env, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}{BLOG_PAGE}"
    try:
        wait_for(url)
        with urllib.request.urlopen(url) as response:
            if b"<html" not in response.read().lower():
                raise SystemExit(f"bench: {url} is not bakerydemo's blog page")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
