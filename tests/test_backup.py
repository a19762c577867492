"""Backup and restore (issue 17, item 7): a site's backup restored into an empty
database renders the reference article with its photo and its count, and a restore
never overwrites a site."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = "/en/news/almaty-and-busan-mark-first-year-of-friendship-and-cooperation/"
RENDER = (
    "import django; django.setup()\n"
    "from django.test import Client\n"
    "c = Client()\n"
    f"page = c.get('{REFERENCE}')\n"
    "html = page.content.decode()\n"
    "import re\n"
    'photo = re.search(r\'src="(?:https?://[^/"]+)?(/media/images/[^"]+)"\', html)\n'
    "photo = photo.group(1)\n"
    "print(page.status_code, '1,098 views' in html, c.get(photo).status_code)\n"
)


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


def _site(tmp_path: Path, name: str, database_url: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("DATABASE_URL", "REDIS_URL", "AQPARAT_VAR_DIR")}  # fmt: skip
    return {
        **clean,
        "DJANGO_SETTINGS_MODULE": "aqparat.settings.dev",
        "AQPARAT_VAR_DIR": str(tmp_path / name),
        "DATABASE_URL": database_url,
    }


def _postgres_databases() -> tuple[str, str]:
    if shutil.which("psql") is None:
        pytest.skip("no psql")
    base = "postgres://postgres@127.0.0.1:5432"
    names = [f"aqparat_backup_{uuid.uuid4().hex[:8]}_{n}" for n in ("a", "b")]
    for name in names:
        made = subprocess.run(  # noqa: S603
            ["psql", f"{base}/postgres", "-q", "-c",  # noqa: S607
             f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' "
             "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if made.returncode != 0:
            pytest.skip(f"PostgreSQL not reachable on 127.0.0.1: {made.stderr}")
    return f"{base}/{names[0]}", f"{base}/{names[1]}"


def _drop(*urls: str) -> None:
    for url in urls:
        base, name = url.rsplit("/", 1)
        subprocess.run(  # noqa: S603
            ["psql", f"{base}/postgres", "-q", "-c",  # noqa: S607
             f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
            capture_output=True, check=False,
        )  # fmt: skip


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_backup_restored_into_an_empty_site_renders_the_reference_story(
    backend: str, tmp_path: Path
) -> None:
    source_url = target_url = ""
    if backend == "postgresql":
        source_url, target_url = _postgres_databases()
    try:
        source = _site(tmp_path, "source", source_url)
        for command in (("migrate", "--noinput"), ("load_demo_newsroom",)):
            done = _manage(source, *command)
            assert done.returncode == 0, done.stderr
        backup = tmp_path / "site.tar.gz"
        made = _manage(source, "backup", str(backup))
        assert made.returncode == 0, made.stderr
        assert f"the {backend} database" in made.stdout
        assert int(re.search(r"(\d+) media files", made.stdout).group(1)) > 40  # type: ignore[union-attr]
        # A new node: nothing but the backup (no migrate, no demo).
        target = _site(tmp_path, "target", target_url)
        restored = _manage(target, "restore", str(backup))
        assert restored.returncode == 0, restored.stderr
        # As on any new node, the release's static files (not a backup's business).
        assert _manage(target, "collectstatic", "--noinput").returncode == 0
        page = subprocess.run(  # noqa: S603
            [sys.executable, "-c", RENDER], cwd=ROOT,
            env={**target, "DJANGO_ALLOWED_HOSTS": "testserver"},
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert page.stdout.split() == ["200", "True", "200"], page.stderr
        # Again into the site it just made: refused, and the site is intact.
        again = _manage(target, "restore", str(backup))
        assert again.returncode != 0 and "not empty" in again.stderr
        assert _manage(target, "backup", str(backup)).returncode != 0  # no overwrite
    finally:
        if backend == "postgresql":
            _drop(source_url, target_url)


def test_a_file_that_is_not_a_backup_is_refused_with_the_reason(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.tar.gz"
    bogus.write_bytes(b"not a tar file at all")
    target = _site(tmp_path, "target", "")
    refused = _manage(target, "restore", str(bogus))
    assert refused.returncode != 0
    assert "is not an Aqparat backup" in refused.stderr
