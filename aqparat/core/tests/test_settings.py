"""Production settings refuse to start without their secrets; the default needs none."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
REQUIRED = ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL")
GOOD = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "news.example.kz",
    "DATABASE_URL": "postgres://aqparat@127.0.0.1:5432/aqparat",
}


def load_settings(module: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in REQUIRED}
    clean.update(env, DJANGO_SETTINGS_MODULE=module)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.DEBUG)",
        ],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("missing", REQUIRED)
def test_production_refuses_to_start_without_each_secret(missing: str) -> None:
    env = {k: v for k, v in GOOD.items() if k != missing}
    result = load_settings("aqparat.settings.production", env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_starts_with_its_secrets() -> None:
    result = load_settings("aqparat.settings.production", GOOD)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_production_passes_the_deploy_checklist() -> None:
    clean = {k: v for k, v in os.environ.items() if k not in REQUIRED}
    clean.update(GOOD, DJANGO_SETTINGS_MODULE="aqparat.settings.production")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_default_settings_need_no_environment(tmp_path: Path) -> None:
    result = load_settings("aqparat.settings.dev", {"AQPARAT_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def settings_summary(env: dict[str, str]) -> list[str]:
    script = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'],"
        " s.HUEY['huey_class'])"
    )
    clean = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="aqparat.settings.dev")
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.split()


def test_embedded_default_is_sqlite_local_cache_and_huey_on_sqlite(
    tmp_path: Path,
) -> None:
    assert settings_summary({"AQPARAT_VAR_DIR": str(tmp_path)}) == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
        "huey.SqliteHuey",
    ]


def test_database_and_redis_urls_switch_to_postgresql_and_redis(tmp_path: Path) -> None:
    assert settings_summary(
        {
            "AQPARAT_VAR_DIR": str(tmp_path),
            "DATABASE_URL": "postgres://aqparat@127.0.0.1:5432/aqparat",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        }
    ) == [
        "django.db.backends.postgresql",
        "django.core.cache.backends.redis.RedisCache",
        "huey.RedisHuey",
    ]
