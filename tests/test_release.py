"""The release installs: the wheel built from this tree, installed into a fresh
virtualenv, migrates, collects its static files and renders pages in Kazakh, with
no file of the checkout on the path.

The wheel is built without build isolation and installed without its dependencies
(no network in tests): the fresh virtualenv sees the suite's own site-packages
through a path file, which adds that directory but not the editable install of this
checkout it holds (a path file's own path files are not read).
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
import redis

ROOT = Path(__file__).resolve().parents[1]
PAGES = """
import aqparat, django
from django.test import Client
from django.utils import translation
django.setup()
print("package", aqparat.__file__)
client = Client(HTTP_HOST="news.example.kz", HTTP_X_FORWARDED_PROTO="https")
for path in ("/admin/login/", "/kk/no-such-page/", "/robots.txt"):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="kk")
    print("page", path, response.status_code, "Бет табылмады" in response.text)
with translation.override("kk"):
    print("kk", translation.gettext("Most read today"))
"""


def _tree(destination: Path) -> None:
    """The checkout's files as git sees them (tracked or new, none ignored)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],  # noqa: S607
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode()  # fmt: skip
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run(  # noqa: S603
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _redis_url() -> str:
    """Production settings require Redis: the machine's, on a database of its own."""
    url = "redis://127.0.0.1:6379/11"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()
    except redis.RedisError:
        pytest.skip("production settings need Redis on 127.0.0.1:6379")
    return url


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git to list the tree")
def test_the_built_wheel_installs_migrates_and_renders(tmp_path: Path) -> None:
    source = tmp_path / "source"
    _tree(source)
    dist = tmp_path / "dist"
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    base_env.pop("PYTHONPATH", None)
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
          "--no-build-isolation", "--wheel-dir", str(dist), str(source)],
         tmp_path, base_env)  # fmt: skip
    (wheel,) = dist.glob("aqparat-*.whl")

    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {
        path.relative_to(source).as_posix()
        for path in (source / "aqparat").rglob("*")
        if path.is_file() and "tests" not in path.parts
    }
    assert shipped - names == set(), "files of the package missing from the wheel"
    for language in ("kk", "ru"):
        assert f"aqparat/locale/{language}/LC_MESSAGES/django.mo" in names

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path, base_env)
    python = venv / "bin" / "python"
    where = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    purelib = Path(_run([str(python), "-c", where], tmp_path, base_env).strip())
    (purelib / "suite-dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
          "--no-deps", str(wheel)], tmp_path, base_env)  # fmt: skip

    site = tmp_path / "site"
    site.mkdir()
    env = {
        **{k: v for k, v in base_env.items() if k not in ("REDIS_URL", "DATABASE_URL")},
        "DJANGO_SETTINGS_MODULE": "aqparat.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "news.example.kz",
        "DATABASE_URL": f"sqlite:///{site / 'db.sqlite3'}",
        "REDIS_URL": _redis_url(),
        "AQPARAT_BASE_URL": "https://news.example.kz",
        "AQPARAT_VAR_DIR": str(site / "var"),
    }
    _run([str(python), "-m", "django", "migrate", "--noinput", "-v", "0"], site, env)
    address = _run([str(python), "-m", "django", "site_address"], site, env)
    assert "https://news.example.kz" in address, address
    _run([str(python), "-m", "django", "collectstatic", "--noinput", "-v", "0"], site,
         env)  # fmt: skip
    out = _run([str(python), "-c", PAGES], site, env).splitlines()

    package = next(line for line in out if line.startswith("package "))
    assert str(purelib) in package, package  # the installed wheel, not the checkout
    pages = {
        line.split()[1]: line.split()[2:] for line in out if line.startswith("page")
    }
    assert pages["/admin/login/"][0] == "200"
    # Our own 404 template, in Kazakh from the compiled catalogue.
    assert pages["/kk/no-such-page/"] == ["404", "True"]
    assert pages["/robots.txt"][0] == "200"
    assert "kk Бүгін көп оқылғандар" in out, out
    # The demo newsroom (its staff share a printed password) is not installed.
    demo = subprocess.run(  # noqa: S603
        [str(python), "-m", "django", "help", "load_demo_newsroom"],
        cwd=site, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert demo.returncode != 0 and "Unknown command" in demo.stderr, demo.stderr
