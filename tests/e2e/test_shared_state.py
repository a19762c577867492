"""Every process sees the same state: on the embedded default (SQLite, no Redis) two
gunicorn servers and the huey consumer share one cache, so what one process changes
(rates fetched by the consumer, a Latin spelling, site settings, navigation, a
publication, a banner) shows on the next page of every other process, within 2 s,
however long the cached copies it retires had left to live."""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest

from aqparat.rates.fake_server import FakeNationalBank
from tests.e2e.processes import Server, consumer, gunicorn, shell, stop

WITHIN = 2.0  # seconds


@pytest.fixture(scope="module")
def servers(e2e_env: dict[str, str], server_url: str) -> Iterator[list[Server]]:
    """Two servers of one gunicorn process each, on the demo's database."""
    started = [gunicorn(e2e_env, workers=1), gunicorn(e2e_env, workers=1)]
    yield started
    for server in started:
        server.stop()


@pytest.fixture(scope="module")
def huey_consumer(e2e_env: dict[str, str], server_url: str) -> Iterator[None]:
    process = consumer(e2e_env, poll_seconds=0.5)
    yield
    stop(process)


def page(server: Server, path: str) -> str:
    with urllib.request.urlopen(server.url + path, timeout=10) as response:  # noqa: S310
        return str(response.read().decode())


def shown_everywhere(
    servers: list[Server], path: str, shows: Callable[[str], bool]
) -> float:
    """Seconds until every server's `path` shows what `shows` looks for; fails after
    WITHIN seconds."""
    start = time.monotonic()
    waiting = list(servers)
    while waiting:
        waiting = [s for s in waiting if not shows(page(s, path))]
        elapsed = time.monotonic() - start
        assert not waiting or elapsed < WITHIN, (
            f"{path} on {[s.url for s in waiting]} still old after {elapsed:.1f} s"
        )
        time.sleep(0.05)
    return time.monotonic() - start


def warmed(servers: list[Server], path: str, shows: Callable[[str], bool]) -> None:
    """Every server renders `path` (filling its caches) with the state before."""
    for server in servers:
        assert shows(page(server, path)), f"{path} on {server.url} before the change"


def nav(html: str) -> str:
    return html.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]


def ticker_date(html: str) -> str:
    head = html.split('id="rates-ticker-title"', 1)[1]
    return head.split('datetime="', 1)[1].split('"', 1)[0]


def test_rates_the_consumer_fetches_show_on_every_server(
    servers: list[Server],
    huey_consumer: None,
    national_bank: FakeNationalBank,
    e2e_env: dict[str, str],
) -> None:
    today = national_bank.newest
    warmed(servers, "/en/", lambda html: ticker_date(html) == f"{today}")
    asked = len(national_bank.requests)
    national_bank._newest = today + timedelta(days=1)  # the bank publishes tomorrow's
    try:
        shell(e2e_env, "from aqparat.rates.tasks import fetch_rates_now\n"
                       "fetch_rates_now()")  # fmt: skip
        deadline = time.monotonic() + 30
        while len(national_bank.requests) == asked:  # the consumer takes the task
            assert time.monotonic() < deadline, "the consumer never fetched"
            time.sleep(0.05)
        tomorrow = f"{today + timedelta(days=1)}"
        shown_everywhere(servers, "/en/", lambda html: ticker_date(html) == tomorrow)
    finally:
        national_bank._newest = None


def test_a_latin_spelling_shows_on_every_server(
    servers: list[Server], e2e_env: dict[str, str]
) -> None:
    section = shell(e2e_env, (
        "from aqparat.news.models import SectionPage\n"
        "print(SectionPage.objects.live().filter(locale__language_code='kk')"
        ".order_by('path').first().title)"
    ))  # fmt: skip
    spelling = "Spelling-Chosen-By-An-Editor"
    warmed(servers, "/kk-latn/", lambda html: spelling not in html)
    shell(e2e_env, (
        "from aqparat.translit.models import LatinSpelling\n"
        f"LatinSpelling.objects.create(cyrillic={section!r}, latin={spelling!r})"
    ))  # fmt: skip
    try:
        shown_everywhere(servers, "/kk-latn/", lambda html: spelling in html)
    finally:
        shell(e2e_env, (
            "from aqparat.translit.models import LatinSpelling\n"
            f"LatinSpelling.objects.get(latin={spelling!r}).delete()"
        ))  # fmt: skip


SITE_SETTINGS = (
    "from wagtail.models import Site\n"
    "from aqparat.core.models import SiteSettings\n"
    "settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))\n"
)


def test_site_settings_show_on_every_server(
    servers: list[Server], e2e_env: dict[str, str]
) -> None:
    currency = 'rate__code" title='
    warmed(servers, "/en/", lambda html: html.count(currency) == 3)
    shell(e2e_env, SITE_SETTINGS + (
        "settings.ticker_currencies = 'USD,EUR,RUB,CNY'; settings.save()"
    ))  # fmt: skip
    try:
        shown_everywhere(servers, "/en/", lambda html: ">CNY</abbr>" in html)
    finally:
        shell(e2e_env, SITE_SETTINGS + (
            "settings.ticker_currencies = 'USD,EUR,RUB'; settings.save()"
        ))  # fmt: skip


SECTION = (
    "from aqparat.news.models import SectionPage\n"
    "section = SectionPage.objects.live()"
    ".get(slug='news', locale__language_code='en')\n"
)


def test_navigation_shows_on_every_server(
    servers: list[Server], e2e_env: dict[str, str]
) -> None:
    renamed = "Newsroom Desk Renamed"
    title = shell(e2e_env, SECTION + "print(section.title)")
    warmed(servers, "/en/", lambda html: renamed not in nav(html))
    rename = "section.title = {!r}; section.save_revision().publish()"
    shell(e2e_env, SECTION + rename.format(renamed))
    try:
        shown_everywhere(servers, "/en/", lambda html: renamed in nav(html))
    finally:
        shell(e2e_env, SECTION + rename.format(title))


def test_a_publication_shows_on_every_server(
    servers: list[Server], e2e_env: dict[str, str]
) -> None:
    corrected = "Correction published a moment ago"
    warmed(servers, "/en/news/", lambda html: corrected not in html)
    shell(e2e_env, SECTION + (
        "from aqparat.news.models import ArticlePage\n"
        "story = ArticlePage.objects.live().child_of(section).order_by("
        "'-first_published_at').first()\n"
        f"story.title = {corrected!r}; story.save_revision().publish()"
    ))  # fmt: skip
    shown_everywhere(servers, "/en/news/", lambda html: corrected in html)


def test_a_banner_shows_on_every_server(
    servers: list[Server], e2e_env: dict[str, str]
) -> None:
    text = "Breaking: the banner every process shows"
    warmed(servers, "/en/", lambda html: text not in html)
    shell(e2e_env, (
        "from datetime import timedelta\n"
        "from django.utils import timezone\n"
        "from aqparat.news.models import BreakingBanner\n"
        f"BreakingBanner.objects.create(language='en', text={text!r},\n"
        "    expires_at=timezone.now() + timedelta(hours=1))"
    ))  # fmt: skip
    try:
        shown_everywhere(servers, "/en/", lambda html: text in html)
    finally:
        shell(e2e_env, (
            "from aqparat.news.models import BreakingBanner\n"
            f"BreakingBanner.objects.filter(text={text!r}).delete()"
        ))  # fmt: skip
