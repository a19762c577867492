"""Settings from the environment: a bare machine runs, production refuses to guess."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
REQUIRED = ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL",
            "AQPARAT_BASE_URL")  # fmt: skip
GOOD = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "news.example.kz",
    "DATABASE_URL": "postgres://aqparat@127.0.0.1:5432/aqparat",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "AQPARAT_BASE_URL": "https://news.example.kz",
}
SUMMARY = (
    "from django.conf import settings as s;"
    "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'],"
    " s.HUEY['huey_class'])"
)
PRAGMAS = (
    "import django;django.setup();"
    "from django.db import connection as c;cur=c.cursor();"
    "print(*[cur.execute(f'PRAGMA {p}').fetchone()[0]"
    " for p in ('journal_mode','busy_timeout','foreign_keys','synchronous')],"
    " c.settings_dict['OPTIONS']['transaction_mode'])"
)


def run(
    module: str, env: dict[str, str], *args: str
) -> subprocess.CompletedProcess[str]:
    """Run Python in a fresh process with `module` as settings and only `env` set
    of the variables the settings read (the test run's own are removed)."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in (*REQUIRED, "REDIS_URL", "AQPARAT_VAR_DIR")
    }
    clean.update(env, DJANGO_SETTINGS_MODULE=module)
    return subprocess.run(  # noqa: S603
        [sys.executable, *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def python(
    module: str, env: dict[str, str], script: str
) -> subprocess.CompletedProcess[str]:
    return run(module, env, "-c", script)


@pytest.mark.parametrize("missing", REQUIRED)
def test_production_refuses_to_start_without_each_secret(missing: str) -> None:
    env = {k: v for k, v in GOOD.items() if k != missing}
    result = python("aqparat.settings.production", env, SUMMARY)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_starts_with_its_secrets_and_passes_the_deploy_checklist(
    tmp_path: Path,
) -> None:
    env = {**GOOD, "AQPARAT_VAR_DIR": str(tmp_path)}
    result = run("aqparat.settings.production", env, "manage.py", "check", "--deploy",
                 "--fail-level", "WARNING")  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_bare_machine_gets_sqlite_a_shared_file_cache_and_huey_on_sqlite(
    tmp_path: Path,
) -> None:
    result = python("aqparat.settings.dev", {"AQPARAT_VAR_DIR": str(tmp_path)}, SUMMARY)
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "aqparat.core.cache.SharedDiskCache",
        "aqparat.core.queue.SqliteHuey",
    ]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_database_and_redis_urls_switch_to_postgresql_and_redis(tmp_path: Path) -> None:
    env = {
        "AQPARAT_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://aqparat@127.0.0.1:5432/aqparat",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    assert python("aqparat.settings.dev", env, SUMMARY).stdout.split() == [
        "django.db.backends.postgresql",
        "aqparat.core.cache.SharedRedisCache",
        "aqparat.core.queue.RedisHuey",
    ]


def test_embedded_sqlite_uses_wal_busy_timeout_and_immediate_transactions(
    tmp_path: Path,
) -> None:
    result = python("aqparat.settings.dev", {"AQPARAT_VAR_DIR": str(tmp_path)}, PRAGMAS)
    # synchronous=NORMAL (1) is safe with WAL and much faster than FULL.
    assert result.stdout.split() == ["wal", "20000", "1", "1", "IMMEDIATE"], (
        result.stderr
    )
    assert (tmp_path / "aqparat.db").exists()


@pytest.mark.parametrize("entry", ["aqparat.wsgi", "aqparat.asgi"])
def test_the_servers_entry_points_default_to_production(
    entry: str, tmp_path: Path
) -> None:
    """An operator who forgets DJANGO_SETTINGS_MODULE gets production's demands,
    not the dev settings' quiet defaults (no HTTPS-only cookies, no HSTS); only
    manage.py and `make run` default to dev."""
    script = f"import {entry}; from django.conf import settings as s; " + (
        "print(s.SETTINGS_MODULE, s.DEBUG, s.SESSION_COOKIE_SECURE)"
    )
    dropped = (*REQUIRED, "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    bare = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=ROOT, env=clean,
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert bare.returncode != 0 and "ImproperlyConfigured" in bare.stderr
    ready = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=ROOT,
        env={**clean, **GOOD, "AQPARAT_VAR_DIR": str(tmp_path)},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert ready.stdout.split() == ["aqparat.settings.production", "False", "True"]


def test_the_proxy_header_and_hsts_commitments_are_settings(tmp_path: Path) -> None:
    script = (
        "from django.conf import settings as s;"
        "print(s.SECURE_PROXY_SSL_HEADER, s.SECURE_HSTS_PRELOAD,"
        " s.SECURE_HSTS_INCLUDE_SUBDOMAINS)"
    )
    env = {**GOOD, "AQPARAT_VAR_DIR": str(tmp_path)}
    default = python("aqparat.settings.production", env, script)
    assert default.stdout.split() == ["('HTTP_X_FORWARDED_PROTO',", "'https')",
                                      "True", "True"]  # fmt: skip
    chosen = python(
        "aqparat.settings.production",
        {**env, "DJANGO_SECURE_PROXY_SSL_HEADER": "", "DJANGO_SECURE_HSTS_PRELOAD":
         "false", "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS": "false"},
        script,
    )  # fmt: skip
    assert chosen.stdout.split() == ["None", "False", "False"], chosen.stderr
