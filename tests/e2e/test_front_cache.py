"""The front cache we ship: nginx started from deploy/nginx/aqparat.conf.template in
front of a gunicorn server on the demo newsroom, purged by the application; the
browser journeys go through the same one.

A page is kept after its first reader; a correction, a new story and the breaking
banner reach readers through it within 2 s of the editor's commit (made in a process
of its own, as the admin or the huey consumer would); staff and searches are never
kept; static files are nginx's own, immutable; of the uploads nginx serves
renditions only, and documents are the application's, never kept; beacons are
answered and logged by nginx and counted by the application's fold.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.processes import HAS_FRONT_CACHE, shell

pytestmark = pytest.mark.skipif(
    not HAS_FRONT_CACHE,
    reason="front cache tests skipped: nginx and its purge module are not installed "
    "(apt-get install nginx-light libnginx-mod-http-cache-purge; .ci/run does)",
)
WITHIN = 2.0  # seconds


@dataclass
class Front:
    url: str
    env: dict[str, str]


@pytest.fixture(scope="module")
def front(e2e_env: dict[str, str], server_url: str) -> Front:
    """The browser journeys' site: nginx from the shipped template in front of
    gunicorn (tests/e2e/conftest.py), purged by the application."""
    return Front(url=server_url, env=e2e_env)


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: str


def fetch(base: str, path: str, **headers: str) -> Reply:
    return _open(urllib.request.Request(base + path, headers=headers))  # noqa: S310


def _open(request: urllib.request.Request) -> Reply:
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


def status_of(base: str, path: str, **headers: str) -> tuple[int, dict[str, str]]:
    """The status and headers, whatever the status (a 404, a redirect not followed)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(base + path, headers=headers)  # noqa: S310
    try:
        with opener.open(request, timeout=10) as response:
            response.read()
            return response.status, {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}


def test_originals_and_documents_are_never_served_from_media(front: Front) -> None:
    """nginx serves renditions (never sniffed) and nothing else of the uploads; a
    document, private or not, goes through the application every time."""
    found = shell(front.env, (
        "from django.core.files.base import ContentFile\n"
        "from wagtail.documents.models import Document\n"
        "from wagtail.models import Collection, CollectionViewRestriction\n"
        "from aqparat.images.models import CustomImage\n"
        "image = CustomImage.objects.order_by('pk').first()\n"
        "rendition = image.get_rendition('fill-640x360|format-webp')\n"
        "root = Collection.get_first_root_node()\n"
        "private = root.add_child(name='Front cache: private')\n"
        "CollectionViewRestriction.objects.create(collection=private,"
        " restriction_type='login')\n"
        "docs = [Document.objects.create(title=name, collection=where,"
        " file=ContentFile(b'%PDF-1.4', name=name))"
        " for name, where in (('public.pdf', root), ('private.pdf', private))]\n"
        "print(image.file.url, rendition.url, *(d.file.url for d in docs),"
        " *(d.url for d in docs))"
    ))  # fmt: skip
    original, rendition, *files = found.split()
    public_doc, private_doc = files[2:]
    try:
        status, headers = status_of(front.url, rendition)
        assert status == 200 and headers["x-content-type-options"] == "nosniff"
        assert "x-cache-status" not in headers  # nginx's own file
        for path in (original, *files[:2]):
            assert status_of(front.url, path)[0] == 404, path
        for _ in range(2):
            status, headers = status_of(front.url, public_doc)
            assert status == 200, public_doc
            assert headers["content-disposition"].startswith("attachment")
            assert "sandbox" in headers["content-security-policy"]
            assert "x-cache-status" not in headers  # never kept
            status, headers = status_of(front.url, private_doc)
            assert status == 302 and "login" in headers["location"], private_doc
            assert "x-cache-status" not in headers
    finally:
        shell(front.env, (
            "from wagtail.documents.models import Document\n"
            "from wagtail.models import Collection\n"
            "Document.objects.filter(title__in=('public.pdf', 'private.pdf'))"
            ".delete()\n"
            "Collection.objects.filter(name='Front cache: private').delete()"
        ))  # fmt: skip


def post(base: str, path: str, body: bytes, headers: dict[str, str]) -> Reply:
    return _open(urllib.request.Request(base + path, data=body, headers=headers))  # noqa: S310


def views_of(front: Front, pk: int) -> int:
    return int(shell(front.env, (
        "from aqparat.analytics.selectors import page_views_total\n"
        f"print(page_views_total(page_id={pk}))"
    )))  # fmt: skip


def test_beacons_are_answered_by_nginx_and_counted_from_its_log(front: Front) -> None:
    """Each reader's beacon counts once after the fold; bots and repeats do not; a
    page cached before the id moved into the address (the id in the body) still
    counts through the application."""
    pk, _, _, _ = an_article(front)
    log = Path(front.env["AQPARAT_BEACON_LOG"])
    reader = "Mozilla/5.0 (X11; Linux x86_64) Chrome/124.0 Safari/537.36"
    fold = "from aqparat.analytics.services import views_fold; views_fold()"
    shell(front.env, fold)
    before = views_of(front, pk)
    lines = log.read_bytes().count(b"\n") if log.exists() else 0
    beacons = [
        ("203.0.113.1", reader),
        ("203.0.113.1", reader),  # a repeat
        ("203.0.113.2", reader),
        ("203.0.113.3", "Googlebot/2.1"),
    ]
    for address, agent in beacons:
        headers = {"User-Agent": agent, "X-Forwarded-For": address}
        answer = post(front.url, f"/v/?p={pk}", b"", headers)
        assert answer.status == 204 and answer.headers["cache-control"] == "no-store"
        assert "x-frame-options" not in answer.headers  # nginx's, not the app's
    old_style = {"User-Agent": reader, "Content-Type": "text/plain"}
    post(front.url, "/v/", f"p={pk}".encode(), old_style)
    assert log.read_bytes().count(b"\n") == lines + 4  # the old-style one: the app's
    shell(front.env, fold)
    assert views_of(front, pk) == before + 3
