"""What the benchmarks share: a free port, waiting for a server, manage.py, and a
run of one benchmark module per database, each in a fresh one."""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")

# What Debian's /etc/nginx/nginx.conf gives the site, in a folder of the bench's own,
# plus `extra` (another server block).
NGINX_CONF = """
{user}
load_module {module};
worker_processes {workers};
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    {extra}
    include {tmp}/aqparat.conf;
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# gunicorn as `make run` and a production install start it (aqparat/gunicorn_conf.py).
GUNICORN = [sys.executable, "-m", "gunicorn", "-c", "python:aqparat.gunicorn_conf",
            "aqparat.wsgi", "--no-control-socket"]  # fmt: skip


def gunicorn(
    env: dict[str, str], port: int, workers: int = 2
) -> subprocess.Popen[bytes]:
    """The app served as in production: gunicorn's sync workers on loopback."""
    return subprocess.Popen(  # noqa: S603
        [*GUNICORN, "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
        cwd=ROOT, env=env, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def front_cache(
    *, tmp: Path, port: int, upstream_port: int | Sequence[int], var: Path,
    workers: int, beacon_log: Path | None = None, extra: str = "",
) -> subprocess.Popen[bytes]:  # fmt: skip
    """nginx with the site we ship (deploy/nginx/) on `port`, in front of the app on
    `upstream_port` (or balancing between the app nodes on several); its folder is
    `tmp`. Up when the caller's wait_for says so."""
    ports = [upstream_port] if isinstance(upstream_port, int) else upstream_port
    site = subprocess.run(  # noqa: S603
        [ROOT / "deploy" / "nginx" / "render"],
        env={**os.environ, "LISTEN_PORT": f"127.0.0.1:{port}",
             "UPSTREAM": " ".join(f"127.0.0.1:{p}" for p in ports),
             "STATIC_ROOT": str(var / "static"), "MEDIA_ROOT": str(var / "media"),
             "CACHE_DIR": str(tmp / "cache"),
             "BEACON_LOG": str(beacon_log or tmp / "beacons.log")},
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    (tmp / "aqparat.conf").write_text(site)
    (tmp / "nginx.conf").write_text(NGINX_CONF.format(
        user="user root;" if os.geteuid() == 0 else "", module=PURGE_MODULE,
        workers=workers, tmp=tmp, extra=extra,
    ))  # fmt: skip
    return subprocess.Popen(  # noqa: S603
        ["nginx", "-p", str(tmp), "-c", str(tmp / "nginx.conf"),  # noqa: S607
         "-g", "daemon off;"]
    )  # fmt: skip


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"bench: {url} did not answer within {seconds} s")


def manage(env: dict[str, str], *args: str) -> str:
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip


# A UTF-8 ctype, so PostgreSQL lower-cases and trigrams Cyrillic (kazakh.md 4.3).
UTF8 = "ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8'"


def backends_run(
    *,
    module: str,
    pg_url: str,
    var_prefix: str,
    setup: Sequence[Sequence[str]] = (("migrate", "--noinput"),),
    extra_env: dict[str, str] | None = None,
    backends: Sequence[str] = ("sqlite", "postgresql"),
) -> None:
    """Run `python -m <module> --backend B` on SQLite, then on a fresh PostgreSQL
    database at `pg_url` (skipped, with a line, when the server is not reachable),
    each after the manage.py commands in `setup`."""
    for backend in backends:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "aqparat.settings.dev",
            "AQPARAT_VAR_DIR": tempfile.mkdtemp(prefix=var_prefix),
            "DATABASE_URL": "",
            **(extra_env or {}),
        }
        if backend == "postgresql":
            name = pg_url.rsplit("/", 1)[1]
            admin = pg_url.rsplit("/", 1)[0] + "/postgres"
            drop = f"DROP DATABASE IF EXISTS {name}"
            create = f"CREATE DATABASE {name} TEMPLATE template0 {UTF8}"
            try:
                for sql in (drop, create):
                    subprocess.run(  # noqa: S603
                        ["psql", admin, "-q", "-c", sql],  # noqa: S607
                        check=True,
                        capture_output=True,
                    )
            except (OSError, subprocess.CalledProcessError):
                print("  postgresql: not reachable on 127.0.0.1, skipped")
                continue
            env["DATABASE_URL"] = pg_url
        for command in setup:
            manage(env, *command)
        subprocess.run(  # noqa: S603
            [sys.executable, "-m", module, "--backend", backend],
            cwd=ROOT, env=env, check=True,
        )  # fmt: skip


def backends_main(measure: Callable[[str], None], **run: Any) -> None:
    """A database benchmark's command line: `--backend B` measures in this process
    (configured by backends_run's environment); without it, backends_run(**run)
    prepares each backend and calls this module again."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=("sqlite", "postgresql"))
    args = parser.parse_args()
    if args.backend:
        measure(args.backend)
    else:
        backends_run(**run)


def page_clone(source: Any, section: Any, number: int) -> Any:
    """An unsaved copy of `source`'s page row as child `number` of `section`, with
    its own path, slug and translation key, for bulk inserts of generated stories
    (no revisions: a benchmark's stories are rows, not edits)."""
    import uuid

    from wagtail.models import Page

    fields = [f for f in Page._meta.concrete_fields if f.column != "id"]
    page = Page(**{f.attname: getattr(source, f.attname) for f in fields})
    page.path = Page._get_path(section.path, section.depth + 1, number)
    page.numchild = 0
    page.slug = f"bench-{number}"
    page.url_path = f"{section.url_path}{page.slug}/"
    page.translation_key = uuid.uuid4()
    page.latest_revision_id = page.live_revision_id = None
    return page
