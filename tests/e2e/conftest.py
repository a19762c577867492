"""Browser journeys: a real server (gunicorn, like `make run`) behind the front cache
we ship (nginx from deploy/nginx/, purged by the application, answering beacons),
and Debian's chromium.

The server runs in its own process on its own database (a fresh SQLite file, or the
database in AQPARAT_E2E_DATABASE_URL), migrated and loaded with the demo newsroom,
so a journey sees exactly what a reader of a fresh install would. Without nginx
(a machine that has not run .ci/run's apt-get line) the journeys reach gunicorn
directly and say so at the end.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from aqparat.rates.fake_server import FakeNationalBank
from aqparat.telegram.fake_server import FakeTelegram
from tests.e2e.processes import (
    E2E_HEALTH_TOKEN,
    HAS_FRONT_CACHE,
    ROOT,
    free_port,
    front_cache,
    gunicorn,
)

SCREENSHOTS = Path(__file__).with_name("screenshots")
E2E_REDIS_URL = os.environ.get("AQPARAT_E2E_REDIS_URL", os.environ.get("REDIS_URL", ""))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SKIP_REASON = (
    "browser tests skipped: Debian's chromium is not installed "
    "(apt-get install chromium; .ci/run installs it)"
)
NO_FRONT_CACHE = (
    "browser journeys reached gunicorn directly: nginx and its purge module are not"
    " installed (apt-get install nginx-light libnginx-mod-http-cache-purge;"
    " .ci/run does)"
)
FRONT_PORT = free_port()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
            needs_browser = {"browser", "page"} & set(getattr(item, "fixturenames", ()))
            if CHROMIUM is None and needs_browser:
                item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=600,
    )


@pytest.fixture(scope="session")
def manage(e2e_env: dict[str, str]) -> Callable[..., None]:
    """Run a management command against the browser tests' server's database."""
    return lambda *args: _manage(e2e_env, *args)


@pytest.fixture(scope="session")
def national_bank() -> Iterator[FakeNationalBank]:
    server = FakeNationalBank().start()
    yield server
    server.stop()


E2E_TELEGRAM_TOKEN = "123456789:AAe2eTokenForTheLocalFakeBotApiOnly"  # noqa: S105


@pytest.fixture(scope="session")
def telegram_fake() -> Iterator[FakeTelegram]:
    """The Bot API the server and its worker post to: the demo's channels."""
    server = FakeTelegram(E2E_TELEGRAM_TOKEN).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def e2e_env(
    tmp_path_factory: pytest.TempPathFactory,
    national_bank: FakeNationalBank,
    telegram_fake: FakeTelegram,
) -> dict[str, str]:
    """The environment of the browser tests' server, for management commands too."""
    var_dir = tmp_path_factory.mktemp("e2e-var")
    front = {
        "AQPARAT_FRONT_CACHE_PURGE_URL": f"http://127.0.0.1:{FRONT_PORT}/_purge",
        "AQPARAT_BEACON_LOG": str(var_dir / "beacons.log"),
    }
    return {
        **os.environ,
        **(front if HAS_FRONT_CACHE else {}),
        "DJANGO_SETTINGS_MODULE": "aqparat.settings.dev",
        "AQPARAT_VAR_DIR": str(var_dir),
        "DATABASE_URL": os.environ.get("AQPARAT_E2E_DATABASE_URL", ""),
        # A Redis database of their own: the suite empties its own cache before
        # every test, which must not empty the servers' (their purge index).
        "REDIS_URL": E2E_REDIS_URL,
        "AQPARAT_NBK_BASE_URL": national_bank.base_url,
        "AQPARAT_TELEGRAM_API_URL": telegram_fake.base_url,
        "AQPARAT_TELEGRAM_BOT_TOKEN": E2E_TELEGRAM_TOKEN,
        "AQPARAT_HEALTH_TOKEN": E2E_HEALTH_TOKEN,
    }


@pytest.fixture(scope="session")
def server_url(
    e2e_env: dict[str, str],
    national_bank: FakeNationalBank,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """Where readers and staff reach the site: the front cache, in front of gunicorn."""
    env = e2e_env
    if E2E_REDIS_URL:  # nothing from an earlier run: cached pages, queued tasks
        import redis

        redis.Redis.from_url(E2E_REDIS_URL).flushdb()
    _manage(env, "migrate", "--noinput")
    _manage(env, "collectstatic", "--noinput")
    _manage(env, "load_demo_newsroom")
    newest = national_bank.newest
    # The ticker and the rates page's charts get their rates through the real client.
    _manage(
        env,
        "fetch_rates",
        "--date",
        f"{newest - timedelta(days=89)}",
        "--to",
        f"{newest}",
    )
    _manage(env, "fetch_rates")
    if HAS_FRONT_CACHE:
        # As an operator does: the site's address is where readers reach it, so a
        # page's full URL (what a publication purges when the page cache never
        # stored it, e.g. its 404 before it went live) names the front cache's entry.
        _manage(env, "shell", "-c", (
            "from wagtail.models import Site\n"
            "site = Site.objects.get(is_default_site=True)\n"
            f"site.hostname, site.port = '127.0.0.1', {FRONT_PORT}\n"
            "site.save()  # and its signal retires the cached root paths"
        ))  # fmt: skip
    server = gunicorn(env, workers=2)
    if not HAS_FRONT_CACHE:
        try:
            yield server.url
        finally:
            server.stop()
        return
    try:
        front = front_cache(
            port=FRONT_PORT, upstream=server.url, var_dir=Path(env["AQPARAT_VAR_DIR"]),
            beacon_log=env["AQPARAT_BEACON_LOG"], tmp=tmp_path_factory.mktemp("nginx"),
        )  # fmt: skip
    except BaseException:
        server.stop()
        raise
    try:
        yield front.url
    finally:
        front.stop()
        server.stop()


# Every Content-Security-Policy violation any page of any journey met, in any frame:
# what the page's `securitypolicyviolation` events said, and what chromium printed
# ("... violates the following Content Security Policy directive ..."). A journey
# that ends with one here fails (`_no_csp_violations`).
CSP_VIOLATIONS: list[str] = []
_CSP_BINDING = "__aqparatCspViolation"
_CSP_LISTENER = f"""
document.addEventListener("securitypolicyviolation", (event) => {{
    window.{_CSP_BINDING}(
        `${{event.effectiveDirective}} blocked ${{event.blockedURI || "inline"}}`
        + ` in ${{event.documentURI}} (${{event.sourceFile}}:${{event.lineNumber}})`
        + ` ${{event.sample}}`
    );
}}, true);
"""


def _watch_csp(context: Any) -> Any:
    """Collect the violations of every page `context` opens, in CSP_VIOLATIONS."""
    context.expose_binding(
        _CSP_BINDING, lambda source, text: CSP_VIOLATIONS.append(f"event: {text}")
    )
    context.add_init_script(_CSP_LISTENER)

    def console(message: Any) -> None:
        if "Content Security Policy" in message.text:
            CSP_VIOLATIONS.append(f"console: {message.text} ({message.location})")

    context.on("console", console)
    return context


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's chromium; every context and page it opens collects the violations
    of the site's Content-Security-Policy (`CSP_VIOLATIONS`)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        new_context = chromium.new_context

        def watched_context(**options: Any) -> Any:
            return _watch_csp(new_context(**options))

        def watched_page(**options: Any) -> Any:
            # As Browser.new_page does: a context of its own (left open until the
            # browser closes: an empty context costs nothing).
            return watched_context(**options).new_page()

        chromium.new_context = watched_context  # type: ignore[method-assign]
        chromium.new_page = watched_page  # type: ignore[method-assign]
        yield chromium
        chromium.close()


@pytest.fixture
def csp_violations() -> list[str]:
    """The violations seen so far in this test; a test that provokes some on
    purpose removes them once it has checked them."""
    return CSP_VIOLATIONS


@pytest.fixture(autouse=True)
def _no_csp_violations() -> Iterator[None]:
    """No journey may meet a Content-Security-Policy violation: every script, style,
    image, frame and request of the site's pages, public and admin, is allowed."""
    CSP_VIOLATIONS.clear()
    yield
    seen = list(CSP_VIOLATIONS)
    CSP_VIOLATIONS.clear()
    assert not seen, "Content-Security-Policy violations:\n" + "\n".join(seen)


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


PHONE_WIDTH = 390


@pytest.fixture
def phone(browser: object) -> Iterator[object]:
    """A page on a phone's screen (390x844, touch, a mobile viewport)."""
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": PHONE_WIDTH, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS


MEASURED: dict[str, str] = {}


@pytest.fixture(scope="session")
def measured() -> dict[str, str]:
    """Figures a journey measures (a page's height, an editor's clicks), printed in
    the run's summary."""
    return MEASURED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for name, figure in MEASURED.items():
        terminalreporter.write_line(f"measured: {name}: {figure}")
    if CHROMIUM is None:
        terminalreporter.write_line(SKIP_REASON, yellow=True)
    if not HAS_FRONT_CACHE:
        terminalreporter.write_line(NO_FRONT_CACHE, yellow=True)
