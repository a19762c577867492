"""The front cache we ship: nginx started from deploy/nginx/aqparat.conf.template in
front of a gunicorn server on the demo newsroom, purged by the application.

A page is kept after its first reader; a correction, a new story and the breaking
banner reach readers through it within 2 s of the editor's commit (made in a process
of its own, as the admin or the huey consumer would); staff and searches are never
kept; static files are nginx's own, immutable.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.processes import ROOT, Server, free_port, gunicorn, shell, stop

NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")
pytestmark = pytest.mark.skipif(
    NGINX is None or not PURGE_MODULE.exists(),
    reason="front cache tests skipped: nginx and its purge module are not installed "
    "(apt-get install nginx-light libnginx-mod-http-cache-purge; .ci/run does)",
)
WITHIN = 2.0  # seconds

# What Debian's /etc/nginx/nginx.conf gives the site, in a folder of the test's own.
MAIN_CONF = """\
{user}
load_module {module};
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/aqparat.conf;
}}
"""


@dataclass
class Front:
    url: str
    env: dict[str, str]


@pytest.fixture(scope="module")
def front(
    e2e_env: dict[str, str], server_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Front]:
    assert NGINX is not None
    port = free_port()
    env = {
        **e2e_env,
        "AQPARAT_FRONT_CACHE_PURGE_URL": f"http://127.0.0.1:{port}/_purge",
    }
    app: Server = gunicorn(env, workers=2)
    tmp = tmp_path_factory.mktemp("nginx")
    var = Path(e2e_env["AQPARAT_VAR_DIR"])
    site = subprocess.run(  # noqa: S603
        [ROOT / "deploy" / "nginx" / "render"],
        env={**os.environ, "LISTEN_PORT": f"127.0.0.1:{port}",
             "UPSTREAM": app.url.removeprefix("http://"),
             "STATIC_ROOT": str(var / "static"), "MEDIA_ROOT": str(var / "media"),
             "CACHE_DIR": str(tmp / "cache")},
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    (tmp / "aqparat.conf").write_text(site)
    user = "user root;" if os.geteuid() == 0 else ""
    main = MAIN_CONF.format(user=user, module=PURGE_MODULE, tmp=tmp)
    (tmp / "nginx.conf").write_text(main)
    nginx = subprocess.Popen(  # noqa: S603
        [NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"]
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                fetch(url, "/en/")
                break
            except OSError:
                assert time.monotonic() < deadline, (tmp / "error.log").read_text()
                time.sleep(0.2)
        yield Front(url=url, env=env)
    finally:
        stop(nginx)
        app.stop()


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: str


def fetch(base: str, path: str, **headers: str) -> Reply:
    request = urllib.request.Request(base + path, headers=headers)  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return Reply(
            response.status,
            {k.lower(): v for k, v in response.headers.items()},
            response.read().decode(),
        )


def shown_within(front: Front, path: str, shows: Callable[[str], bool]) -> float:
    start = time.monotonic()
    while not shows(fetch(front.url, path).body):
        elapsed = time.monotonic() - start
        assert elapsed < WITHIN, f"{path} still old through nginx after {elapsed:.1f} s"
        time.sleep(0.05)
    return time.monotonic() - start


def kept(front: Front, path: str) -> None:
    fetch(front.url, path)
    assert fetch(front.url, path).headers["x-cache-status"] == "HIT", path


def an_article(front: Front) -> tuple[int, str, str, str]:
    """The newest English story: its id, address, section's address and title."""
    found = shell(front.env, (
        "from aqparat.news.models import ArticlePage\n"
        "a = ArticlePage.objects.live().filter(locale__language_code='en')"
        ".order_by('-first_published_at').first()\n"
        "print(a.pk, a.url, a.get_parent().url, a.title, sep='|')"
    ))  # fmt: skip
    pk, url, section, title = found.split("|", 3)
    return int(pk), url, section, title


def retitle(front: Front, pk: int, title: str) -> None:
    shell(front.env, (
        "from aqparat.news.models import ArticlePage\n"
        f"a = ArticlePage.objects.get(pk={pk})\n"
        f"a.title = {title!r}\n"
        "a.save_revision().publish()"
    ))  # fmt: skip


def test_a_correction_reaches_readers_through_the_front_cache(front: Front) -> None:
    pk, url, section, title = an_article(front)
    for path in (url, section, "/en/", "/en/rss/"):
        kept(front, path)
    corrected = "Corrected headline, sent through the front cache"
    retitle(front, pk, corrected)
    try:
        for path in (url, section, "/en/", "/en/rss/"):
            shown_within(front, path, lambda html: corrected in html)
    finally:  # the other journeys read the demo as it was
        retitle(front, pk, title)


def test_a_new_story_reaches_the_listings_through_the_front_cache(
    front: Front,
) -> None:
    pk, _, section, _ = an_article(front)
    for path in (section, "/en/"):
        kept(front, path)
    title = "A story published while the front page was cached"
    shell(front.env, (
        "from aqparat.news.models import ArticlePage\n"
        f"section = ArticlePage.objects.get(pk={pk}).get_parent().specific\n"
        f"story = ArticlePage(title={title!r}, slug='', lead='A lead.', body=[])\n"
        "section.add_child(instance=story)\n"
        "story.save_revision().publish()"
    ))  # fmt: skip
    try:
        for path in (section, "/en/"):
            shown_within(front, path, lambda html: title in html)
    finally:
        shell(front.env, (
            "from aqparat.news.models import ArticlePage\n"
            f"ArticlePage.objects.get(title={title!r}).delete()"
        ))  # fmt: skip
    for path in (section, "/en/"):  # and a deletion takes it off again
        shown_within(front, path, lambda html: title not in html)


def test_the_banner_reaches_every_page_through_the_front_cache(front: Front) -> None:
    _, url, section, _ = an_article(front)
    for path in (url, section, "/en/"):
        kept(front, path)
    text = "Breaking: a banner through the front cache"
    shell(front.env, (
        "from datetime import timedelta\n"
        "from django.utils import timezone\n"
        "from aqparat.news.models import BreakingBanner\n"
        f"BreakingBanner.objects.create(language='en', text={text!r}, "
        "starts_at=timezone.now() - timedelta(minutes=1), "
        "expires_at=timezone.now() + timedelta(hours=1))"
    ))  # fmt: skip
    try:
        for path in (url, section, "/en/"):
            shown_within(front, path, lambda html: text in html)
    finally:
        shell(front.env, (
            "from aqparat.news.models import BreakingBanner\n"
            f"BreakingBanner.objects.filter(text={text!r}).delete()"
        ))  # fmt: skip


def test_staff_and_searches_are_never_kept(front: Front) -> None:
    for _ in range(2):
        signed_in = fetch(front.url, "/en/", Cookie="sessionid=not-a-real-session")
        assert signed_in.headers["x-cache-status"] == "BYPASS"
        search = fetch(front.url, "/en/search/?q=tenge")
        assert search.headers["x-cache-status"] == "BYPASS"
    # Tracking parameters share the page's entry.
    kept(front, "/en/")
    tracked = fetch(front.url, "/en/?utm_source=telegram&utm_medium=channel")
    assert tracked.headers["x-cache-status"] == "HIT"


def test_static_files_are_nginx_own_and_immutable(front: Front) -> None:
    css = fetch(front.url, "/static/css/site.css")
    assert css.status == 200
    assert "immutable" in css.headers["cache-control"]
    assert "x-cache-status" not in css.headers  # never reached the application
