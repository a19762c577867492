"""Two app nodes and two workers, as docs/deployment.md lays them out, on this
machine: two gunicorn servers on their own ports and their own var folders, two huey
consumers (each running the periodic schedule), PostgreSQL, Redis and media on an
S3-compatible server (moto's, at the wire), behind the nginx front cache we ship
balancing between the nodes (deploy/nginx/, two `server` lines).

It proves that the nodes share everything a reader or an editor can tell apart: an
upload through node A renders through node B; a publication on node A is what node B
and the front cache show; node A and one consumer killed with SIGKILL in the middle
of readers' traffic lose no request, no scheduled publication, no Telegram post and
no counted view; and each periodic job runs exactly once a minute across both
consumers.

PostgreSQL and Redis only (the PostgreSQL + Redis pass of .ci/run): the embedded
default is one node by design. The cluster has a database and a Redis database of
its own beside the browser journeys' (their names end in `_nodes`, /11).
"""

from __future__ import annotations

import io
import json
import os
import random
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from aqparat.rates.fake_server import FakeNationalBank
from aqparat.telegram.fake_server import FakeTelegram
from bench.common import UTF8, free_port
from tests.e2e.conftest import CHROMIUM, E2E_REDIS_URL, _manage
from tests.e2e.processes import (
    E2E_HEALTH_TOKEN,
    HAS_FRONT_CACHE,
    Server,
    consumer,
    front_cache,
    gunicorn,
    shell,
    stop,
)

E2E_DATABASE_URL = os.environ.get("AQPARAT_E2E_DATABASE_URL", "")
pytestmark = [
    pytest.mark.skipif(
        not E2E_DATABASE_URL.startswith("postgres") or not E2E_REDIS_URL,
        reason="two-node test skipped: it runs on PostgreSQL and Redis "
        "(AQPARAT_E2E_DATABASE_URL, AQPARAT_E2E_REDIS_URL; .ci/run's second pass)",
    ),
    pytest.mark.skipif(
        not HAS_FRONT_CACHE,
        reason="two-node test skipped: nginx and its purge module are not installed "
        "(apt-get install nginx-light libnginx-mod-http-cache-purge; .ci/run does)",
    ),
    pytest.mark.skipif(CHROMIUM is None, reason="two-node test skipped: no chromium"),
]
TOKEN = "222222222:AAtwoNodesTokenForTheLocalFakeBotApi"  # noqa: S105
PASSWORD = "two-nodes-passphrase"  # noqa: S105 - set on the test's own database
BUCKET = "aqparat-nodes"
# The periodic jobs of an every-minute schedule: each runs once a minute, not once
# a minute per consumer.
EVERY_MINUTE = (
    "newsroom-publication-run",
    "telegram-sweep",
    "news-front-page-expiries",
    "analytics-fold",
    "core-interrupted-jobs",
)
PUBLIC_PHOTOS = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": [
                f"arn:aws:s3:::{BUCKET}/images/*",
                f"arn:aws:s3:::{BUCKET}/avatar_images/*",
            ],
        }
    ],
}
READER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


@dataclass
class Cluster:
    url: str  # the front cache, balancing between the nodes
    node_a: Server
    node_b: Server
    env: dict[str, str]
    telegram: FakeTelegram
    s3: Any
    consumers: list[subprocess.Popen[bytes]]
    # When both consumers had run their start-up work (their first minute after).
    both_from: datetime
    # The article the readers of the kill test view, and its count before them.
    article: dict[str, Any]
    views_before: int
    killed_at: datetime | None = None
    counts: dict[str, int] = field(default_factory=dict)


def _own(url: str, suffix: str) -> str:
    """`url` with its database's name ending in `suffix`."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=parts.path + suffix))


def _empty_database(url: str) -> None:
    import psycopg

    name = urllib.parse.urlsplit(url).path.lstrip("/")
    server = urllib.parse.urlunsplit(
        urllib.parse.urlsplit(url)._replace(path="/postgres")
    )
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 {UTF8}')


def _node(env: dict[str, str], var: Path) -> Server:
    """An app node: gunicorn with a var folder of its own, killable as a whole."""
    return gunicorn({**env, "AQPARAT_VAR_DIR": str(var)}, workers=2, own_session=True)


def _worker(env: dict[str, str], var: Path) -> subprocess.Popen[bytes]:
    """A worker as deploy/systemd/aqparat-worker.service runs it: the schedule too."""
    return consumer({**env, "AQPARAT_VAR_DIR": str(var)}, workers=2)


def _at_second(second: int) -> None:
    """Sleep until the clock's seconds read `second`."""
    time.sleep((second - time.time() % 60) % 60)


def _queue_empty(env: dict[str, str], within: float = 240) -> None:
    """Wait until the consumers have done what the demo queued (its renditions)."""
    shell(env, (
        "import time\nfrom huey.contrib.djhuey import HUEY\n"
        f"deadline = time.monotonic() + {within}\n"
        "while HUEY.pending_count() and time.monotonic() < deadline:\n"
        "    time.sleep(0.5)\n"
        "assert not HUEY.pending_count(), HUEY.pending_count()"
    ))  # fmt: skip


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    import boto3
    import redis
    from moto.server import ThreadedMotoServer

    tmp = tmp_path_factory.mktemp("two-nodes")
    database = _own(E2E_DATABASE_URL, "_nodes")
    _empty_database(database)
    redis_url = urllib.parse.urlunsplit(
        urllib.parse.urlsplit(E2E_REDIS_URL)._replace(path="/11")
    )
    redis.Redis.from_url(redis_url).flushdb()
    s3_server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    s3_server.start()
    host, port = s3_server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    keys = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **keys)
    s3.create_bucket(Bucket=BUCKET)
    # The policy docs/deployment.md gives: renditions and avatars public, nothing
    # else (moto enforces it for unsigned requests).
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_PHOTOS))
    telegram = FakeTelegram(TOKEN).start()
    bank = FakeNationalBank().start()
    front_port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "aqparat.settings.dev",
        "DJANGO_SECRET_KEY": "two-nodes-share-one-secret-key-" + "x" * 20,
        "DATABASE_URL": database,
        "REDIS_URL": redis_url,
        "AQPARAT_VAR_DIR": str(tmp / "setup"),
        "AQPARAT_STATIC_ROOT": str(tmp / "static"),
        "AQPARAT_MEDIA_BUCKET": BUCKET,
        "AQPARAT_MEDIA_ENDPOINT_URL": endpoint,
        "AQPARAT_MEDIA_REGION": "us-east-1",
        "AQPARAT_MEDIA_ACCESS_KEY_ID": "testing",
        "AQPARAT_MEDIA_SECRET_ACCESS_KEY": "testing",
        "AQPARAT_BASE_URL": f"http://127.0.0.1:{front_port}",
        "AQPARAT_FRONT_CACHE_PURGE_URL": f"http://127.0.0.1:{front_port}/_purge",
        # The front cache's log, on the host of both workers (docs/deployment.md).
        "AQPARAT_BEACON_LOG": str(tmp / "beacons.log"),
        "AQPARAT_NBK_BASE_URL": bank.base_url,
        "AQPARAT_TELEGRAM_API_URL": telegram.base_url,
        "AQPARAT_TELEGRAM_BOT_TOKEN": TOKEN,
        "AQPARAT_HEALTH_TOKEN": E2E_HEALTH_TOKEN,
    }
    started: list[Any] = []
    try:
        _manage(env, "migrate", "--noinput")
        _manage(env, "collectstatic", "--noinput")
        _manage(env, "load_demo_newsroom")
        _manage(env, "site_address")
        shell(env, (
            "from django.contrib.auth import get_user_model\n"
            "from wagtail.users.models import UserProfile\n"
            "user = get_user_model().objects.get(username='editor')\n"
            f"user.set_password({PASSWORD!r}); user.save()\n"
            "profile = UserProfile.get_for_user(user)\n"
            "profile.preferred_language = 'en'; profile.save()"
        ))  # fmt: skip
        node_a = _node(env, tmp / "node-a")
        started.append(node_a)
        node_b = _node(env, tmp / "node-b")
        started.append(node_b)
        (tmp / "nginx").mkdir()
        front = front_cache(
            port=front_port, upstream=[node_a.url, node_b.url], var_dir=tmp,
            beacon_log=env["AQPARAT_BEACON_LOG"], tmp=tmp / "nginx",
        )  # fmt: skip
        started.append(front)
        # The workers start ten seconds apart early in a minute, so that each runs
        # the schedule once a minute, ten seconds after the other, and the work
        # each does once at its start (core/tasks.py) is over within that minute.
        _at_second(3)
        first = _worker(env, tmp / "worker-1")
        started.append(first)
        time.sleep(10)
        second = _worker(env, tmp / "worker-2")
        started.append(second)
        _queue_empty(env)
        # The article readers will view, and its count before (a fold of the test's
        # own, before the minutes whose runs the last test counts).
        article = _an_article(env)
        views_before = int(shell(env, FOLD.format(page_id=article["id"])))
        both_from = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(
            minutes=1
        )
        yield Cluster(
            url=front.url, node_a=node_a, node_b=node_b, env=env, telegram=telegram,
            s3=s3, consumers=[first, second], both_from=both_from, article=article,
            views_before=views_before,
        )  # fmt: skip
    finally:
        for process in reversed(started):
            if isinstance(process, Server):
                process.stop()
            elif process.poll() is None:
                stop(process)
        telegram.stop()
        bank.stop()
        s3_server.stop()


def _get(url: str, **headers: str) -> tuple[int, str, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return (
                response.status,
                response.read().decode(errors="replace"),
                {k.lower(): v for k, v in response.headers.items()},
            )
    except urllib.error.HTTPError as error:
        return error.code, "", {}


def _sign_in(browser: Any, base: str) -> Any:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(base + "/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/admin/")
    return page


def _jpeg(path: Path) -> Path:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), (30, 110, 60)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_an_upload_through_node_a_renders_through_node_b(
    cluster: Cluster, browser: Any, tmp_path: Path
) -> None:
    on_a = _sign_in(browser, cluster.node_a.url)
    on_a.goto(cluster.node_a.url + "/admin/images/add/")
    on_a.fill("#id_title", "Uploaded through node A")
    on_a.fill("#id_credit", "Node A")
    on_a.fill("#id_alt_en", "A green test card")
    on_a.set_input_files("#id_file", str(_jpeg(tmp_path / "node-a.jpg")))
    with on_a.expect_navigation():
        on_a.get_by_role("button", name="Upload").click()
    assert "/admin/images/add/" not in on_a.url, on_a.locator("main").inner_text()
    image = json.loads(shell(cluster.env, (
        "import json\nfrom aqparat.images.models import CustomImage\n"
        "image = CustomImage.objects.get(title='Uploaded through node A')\n"
        "print(json.dumps({'id': image.pk, 'file': image.file.name}))"
    )))  # fmt: skip
    assert not list((Path(cluster.env["AQPARAT_VAR_DIR"]).parent).rglob("node-a*.jpg"))
    # Node B (another browser, so nothing of A's pages is at hand) renders it from
    # the bucket and puts the rendition there.
    on_b = _sign_in(browser, cluster.node_b.url)
    on_b.goto(f"{cluster.node_b.url}/admin/images/{image['id']}/")
    preview = on_b.locator(".focal-point-chooser img, img.show-transparency").first
    source = preview.get_attribute("src") or ""
    endpoint = cluster.env["AQPARAT_MEDIA_ENDPOINT_URL"]
    assert source.startswith(f"{endpoint}/{BUCKET}/images/"), source
    status, _, headers = _get(source)
    assert status == 200 and headers["content-type"].startswith("image/"), headers
    rendition = urllib.parse.unquote(source.split(f"/{BUCKET}/", 1)[1])
    for key in (image["file"], rendition):  # in the bucket, not on a node's disk
        assert cluster.s3.head_object(Bucket=BUCKET, Key=key)["ContentLength"] > 0
    # The original (an embargoed story's photo) is the application's to read only.
    assert _get(f"{endpoint}/{BUCKET}/{image['file']}")[0] == 403


def _an_article(env: dict[str, str]) -> dict[str, Any]:
    return json.loads(shell(env, (
        "import json\nfrom aqparat.news.models import ArticlePage, SectionPage\n"
        "news = SectionPage.objects.get(slug='news', locale__language_code='en')\n"
        "a = ArticlePage.objects.live().child_of(news)"  # the desk editor's section
        ".order_by('-first_published_at').first()\n"
        "print(json.dumps({'id': a.pk, 'url': a.url, 'title': a.title}))"
    )))  # fmt: skip


def test_a_publication_on_node_a_reaches_readers_on_node_b_and_the_front_cache(
    cluster: Cluster, browser: Any
) -> None:
    article = _an_article(cluster.env)
    for _ in range(2):
        status, _, headers = _get(cluster.url + article["url"])
    assert status == 200 and headers["x-cache-status"] == "HIT", headers
    _get(cluster.node_b.url + article["url"])  # in node B's page cache too
    corrected = "Corrected on node A, read on node B"
    editor = _sign_in(browser, cluster.node_a.url)
    editor.goto(f"{cluster.node_a.url}/admin/pages/{article['id']}/edit/")
    editor.fill("#id_title", corrected)
    editor.locator(".footer__container [data-w-dropdown-target='toggle']").click()
    with editor.expect_navigation():
        editor.locator("button[name='action-publish']").click()
    published = time.monotonic()
    for base in (cluster.url, cluster.node_b.url):
        while corrected not in _get(base + article["url"])[1]:
            assert time.monotonic() - published < 2.0, f"still old at {base}"
            time.sleep(0.05)


@dataclass
class Traffic:
    """Readers through the front cache: pages nginx does not keep (searches, a
    page with a query of its own) and view beacons, from many addresses."""

    url: str
    article_id: int
    article_url: str
    sent: Counter[str] = field(default_factory=Counter)
    failed: list[str] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_reader: int = 0

    def reader(self) -> int:
        with self.lock:
            self.next_reader += 1
            return self.next_reader

    def run(self, seed: int) -> None:
        rng = random.Random(seed)
        while not self.stopping.is_set():
            kind = rng.choice(("search", "page", "beacon", "beacon"))
            n = self.reader()
            address = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
            headers = {"User-Agent": READER_AGENT, "X-Forwarded-For": address}
            if kind == "beacon":
                request = urllib.request.Request(  # noqa: S310
                    f"{self.url}/v/?p={self.article_id}", data=b"", headers=headers,
                    method="POST",
                )  # fmt: skip
                expected = 204
            else:
                path = (
                    f"/en/search/?q=astana+{n % 7}"
                    if kind == "search"
                    else f"{self.article_url}?from=test{n}"
                )
                request = urllib.request.Request(self.url + path, headers=headers)  # noqa: S310
                expected = 200
            try:
                with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                    response.read()
                    ok = response.status == expected
                    status = str(response.status)
            except urllib.error.HTTPError as error:
                ok, status = False, str(error.code)
            except OSError as error:
                ok, status = False, repr(error)
            with self.lock:
                self.sent[kind] += 1
                if not ok:
                    self.failed.append(f"{kind}: {status}")


FOLD = """
import json, time
from aqparat.analytics.selectors import page_views_total
from aqparat.analytics.services import views_fold
from aqparat.core.jobs import job_run
deadline = time.monotonic() + 120
# The workers' fold, under its lock: when a worker's holds it, after that one.
while job_run("analytics-fold", views_fold) is None:
    assert time.monotonic() < deadline
    time.sleep(0.5)
print(page_views_total(page_id={page_id}))
"""


def _scheduled(env: dict[str, str], titles: list[str], go_live: datetime) -> None:
    shell(env, (
        "from aqparat.news.models import ArticlePage, SectionPage\n"
        "from django.utils.dateparse import parse_datetime\n"
        "section = SectionPage.objects.get(slug='news', locale__language_code='en')\n"
        "photo = ArticlePage.objects.live().child_of(section)[0].lead_image\n"
        f"for title in {titles!r}:\n"
        "    article = ArticlePage(title=title, slug='', lead='For the test.',\n"
        "        body=[], lead_image=photo, live=False)\n"
        "    section.add_child(instance=article)\n"
        f"    article.go_live_at = parse_datetime({go_live.isoformat()!r})\n"
        "    article.save_revision().publish()"
    ))  # fmt: skip


def _live_and_posted(cluster: Cluster, titles: list[str]) -> dict[str, int]:
    posts = [
        m.get("text") or m.get("caption") or ""
        for m in cluster.telegram.messages("@aqparat_en")
    ]
    live = json.loads(shell(cluster.env, (
        "import json\nfrom aqparat.news.models import ArticlePage\n"
        f"print(json.dumps(ArticlePage.objects.live().filter(title__in={titles!r})"
        ".count()))"
    )))  # fmt: skip
    return {
        "live": live,
        "posted": sum(any(t in post for t in titles) for post in posts),
    }


def test_a_node_and_a_worker_killed_mid_traffic_lose_nothing(
    cluster: Cluster, measured: dict[str, str]
) -> None:
    article, before = cluster.article, cluster.views_before
    # Both workers run the schedule for two whole minutes before one dies (the
    # next test counts their runs); stories scheduled for the minute after.
    kill_at = cluster.both_from + timedelta(minutes=2, seconds=50)
    titles = [f"Scheduled story {n} of the two-node test" for n in range(1, 4)]
    _scheduled(cluster.env, titles, kill_at.replace(second=0) + timedelta(minutes=1))
    time.sleep(max(0.0, (kill_at - datetime.now(UTC)).total_seconds() - 35))
    traffic = Traffic(cluster.url, article["id"], article["url"])
    threads = [
        threading.Thread(target=traffic.run, args=(seed,), daemon=True)
        for seed in range(4)
    ]
    for thread in threads:
        thread.start()
    try:
        time.sleep(max(5.0, (kill_at - datetime.now(UTC)).total_seconds() - 20))
        # Node A, master and workers at once: nothing of it answers any more.
        os.killpg(cluster.node_a.process.pid, signal.SIGKILL)
        cluster.node_a.process.wait(timeout=10)
        time.sleep(max(0.0, (kill_at - datetime.now(UTC)).total_seconds()))
        cluster.consumers[0].kill()
        cluster.consumers[0].wait(timeout=10)
        cluster.killed_at = datetime.now(UTC)
        # The survivor publishes the stories at their minute and posts each once.
        deadline = time.monotonic() + 150
        while (state := _live_and_posted(cluster, titles)) != {"live": 3, "posted": 3}:
            assert time.monotonic() < deadline, state
            time.sleep(2)
        time.sleep(3)  # any second post would have come by now
    finally:
        traffic.stopping.set()
        for thread in threads:
            thread.join(timeout=90)
    assert _live_and_posted(cluster, titles) == {"live": 3, "posted": 3}
    assert traffic.failed == [], traffic.failed[:20]
    after = int(shell(cluster.env, FOLD.format(page_id=article["id"])))
    assert after - before == traffic.sent["beacon"]
    cluster.counts = {
        "requests": sum(traffic.sent.values()), "failed": len(traffic.failed),
        "publications": 3, "posts": 3, "views": after - before,
    }  # fmt: skip
    measured["two nodes, node A and a worker killed"] = (
        f"{sum(traffic.sent.values())} requests ({dict(traffic.sent)}), "
        f"{len(traffic.failed)} failed; 3 scheduled stories published and posted "
        f"once; {after - before} of {traffic.sent['beacon']} views counted"
    )


RUNS = """
import json
from collections import Counter
from django.utils.dateparse import parse_datetime
from aqparat.core.models import JobRun
runs = JobRun.objects.filter(
    job__in={jobs!r}, started_at__gte=parse_datetime({start!r}),
    started_at__lt=parse_datetime({end!r}),
).exclude(error="interrupted")
print(json.dumps(Counter(
    f"{{run.job}} {{run.started_at:%H:%M}}" for run in runs
)))
"""


def test_each_periodic_job_ran_once_a_minute_across_both_workers(
    cluster: Cluster, measured: dict[str, str]
) -> None:
    end = cluster.killed_at or datetime.now(UTC)
    end = end.replace(second=0, microsecond=0)
    minutes = int((end - cluster.both_from).total_seconds() // 60)
    assert minutes >= 2, "the workers ran side by side for under two whole minutes"
    runs = json.loads(shell(cluster.env, RUNS.format(
        jobs=list(EVERY_MINUTE), start=cluster.both_from.isoformat(),
        end=end.isoformat(),
    )))  # fmt: skip
    expected = {
        f"{job} {cluster.both_from + timedelta(minutes=m):%H:%M}": 1
        for job in EVERY_MINUTE
        for m in range(minutes)
    }
    assert runs == expected
    measured["periodic jobs across two workers"] = (
        f"{len(EVERY_MINUTE)} every-minute jobs, {minutes} minutes: once each a minute"
    )
