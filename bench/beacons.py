"""`make bench`: the view beacon under load, and the most-read ranking at scale.

1. Beacons per second, against the naive counter (bench/naive_urls.py: one
   `UPDATE ... SET views = views + 1` per request through the whole middleware
   stack, the first version anyone writes), both measured in the same run on the
   same database. A fresh demo newsroom is served by gunicorn with two workers,
   as in production. wrk POSTs beacons for one article, each from a different reader
   (a unique X-Real-IP, trusted as the client address here), so every beacon takes
   the full path: bot check, dedupe, rate limit, buffer write. After the run the
   buffer is folded, and the count must have grown by the number of 204s wrk saw
   (plus at most one request per connection still in flight when wrk stopped).
   The same load then goes through the front cache we ship (deploy/nginx/), which
   answers beacons itself and logs them: the count is checked after the fold has
   read the log, and the fold's own rate (log lines per second) is reported, since
   it, not nginx, bounds what the counter sustains.
   It runs on the embedded default (SQLite and the SQLite buffer), then on
   PostgreSQL + Redis when they answer on 127.0.0.1 (BENCH_DATABASE_URL and
   BENCH_REDIS_URL change where).
2. Most read at scale. 100 000 generated articles and 10 million views (daily rows
   for every article's first days, hourly rows for the last eight days). The time
   is for the uncached most-read selector, per period, on each database.

Needs Debian's `wrk`, nginx-light and libnginx-mod-http-cache-purge. Results also go
to bench/results/beacons.json.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import ROOT, free_port, front_cache, gunicorn, manage, wait_for

DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "32")
PG_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aqparat_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
ARTICLES, VIEWS = 100_000, 10_000_000

# Each wrk thread numbers its requests; thread id and counter make a unique reader.
WRK_SCRIPT = """
-- `thread_id` is a global: setup() sets it in each thread's own Lua state.
local counter = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end
function request()
  counter = counter + 1
  local a = counter % 250
  local b = math.floor(counter / 250) % 250
  local c = math.floor(counter / 62500) % 250
  local ip = string.format("%d.%d.%d.%d", thread_id, c, b, a)
  return wrk.format("POST", "/v/", {
    ["Content-Type"] = "text/plain;charset=UTF-8",
    ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) Chrome/124.0 Safari/537.36",
    ["X-Real-IP"] = ip,
  }, "p=PAGE_ID")
end
"""
# Through the front cache: the id in the address, as beacon.js sends it, and the
# reader's address in X-Forwarded-For, which the site trusts from REAL_IP_FROM.
WRK_FRONT_SCRIPT = (
    WRK_SCRIPT.replace('"/v/"', '"/v/?p=PAGE_ID"')
    .replace('["X-Real-IP"]', '["X-Forwarded-For"]')
    .replace('}, "p=PAGE_ID")', '}, "")')
    # Other readers than the first run's, or the repeat window would drop them.
    .replace("thread_id, c, b, a", "thread_id + 100, c, b, a")
)


def python(env: dict[str, str], code: str) -> str:
    script = "import django;django.setup()\n" + code
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def prepare_postgres() -> None:
    name = PG_URL.rsplit("/", 1)[1]
    admin = PG_URL.rsplit("/", 1)[0] + "/postgres"
    create = f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0"
    for sql in (f"DROP DATABASE IF EXISTS {name}", create):
        subprocess.run(["psql", admin, "-q", "-c", sql], check=True)  # noqa: S603, S607
    subprocess.run(  # noqa: S603
        ["redis-cli", "-u", REDIS_URL, "flushdb"],  # noqa: S607
        check=True, capture_output=True,
    )  # fmt: skip


def beacons(env: dict[str, str], tmp: Path) -> dict[str, Any]:
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    manage(env, "load_demo_newsroom")
    page_id = python(env, (
        "from aqparat.news.models import ArticlePage\n"
        "print(ArticlePage.objects.filter(locale__language_code='en', alias_of=None)"
        ".order_by('pk').values_list('pk', flat=True).first())"
    ))  # fmt: skip
    count = (
        "from aqparat.analytics.selectors import page_views_total\n"
        f"print(page_views_total(page_id={page_id}))"
    )
    manage(env, "fold_views")
    before = int(python(env, count))
    server_env = {**env, "AQPARAT_CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
                  "AQPARAT_BEACONS_PER_MINUTE": "1000000000"}  # fmt: skip
    script = tmp / "beacon.lua"
    script.write_text(WRK_SCRIPT.replace("PAGE_ID", page_id).replace("PATH", "/v/"))
    out = serve_and_load(server_env, script, "/v/")
    if re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        raise SystemExit(f"bench: beacons failed:\n{out}")
    sent = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    started = time.perf_counter()
    manage(env, "fold_views")
    fold_seconds = time.perf_counter() - started
    after = int(python(env, count))
    front = through_front_cache(env, server_env, tmp, page_id, count)
    naive = naive_counter(env, tmp, page_id)
    sustained = min(front["beacons_per_second"], front["fold_lines_per_second"])
    front["ratio_to_naive"] = round(sustained / naive["per_second"], 2)
    return {
        "front_cache": front,
        "naive_update_per_second": naive["per_second"],
        "naive_none_lost": naive["none_lost"],
        "ratio_to_naive": round(rps / naive["per_second"], 2),
        "beacons_sent": sent,
        "beacons_per_second": rps,
        "p50_ms": float(p50.group(1)) * scale[p50.group(2)] if p50 else None,
        "counted_after_fold": after - before,
        "fold_seconds": round(fold_seconds, 2),
        # wrk stops with up to one request per connection in flight: the server may
        # have counted those although wrk never saw their answers.
        "none_lost": sent <= after - before <= sent + int(CONNECTIONS),
    }


def through_front_cache(
    env: dict[str, str], server_env: dict[str, str], tmp: Path, page_id: str,
    count: str,
) -> dict[str, Any]:  # fmt: skip
    """The same load through the shipped nginx site: nginx answers and logs, the
    fold reads the log. The app behind it serves nothing but the wait_for."""
    front_dir = Path(tempfile.mkdtemp(prefix="aqparat-bench-front-"))
    front_dir.chmod(0o755)
    log = front_dir / "beacons.log"
    folding = {**server_env, "AQPARAT_BEACON_LOG": str(log)}
    before = int(python(env, count))
    app_port, port = free_port(), free_port()
    app = gunicorn(server_env, app_port)
    nginx = None
    try:
        wait_for(f"http://127.0.0.1:{app_port}/en/")
        nginx = front_cache(
            tmp=front_dir, port=port, upstream_port=app_port,
            var=Path(env["AQPARAT_VAR_DIR"]), workers=os.cpu_count() or 2,
            beacon_log=log,
        )  # fmt: skip
        wait_for(f"http://127.0.0.1:{port}/en/")
        script = tmp / "front.lua"
        script.write_text(WRK_FRONT_SCRIPT.replace("PAGE_ID", page_id))
        out = wrk_load(script, f"http://127.0.0.1:{port}/v/")
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(timeout=30)
        app.terminate()
        app.wait(timeout=30)
    if re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        raise SystemExit(f"bench: beacons through the front cache failed:\n{out}")
    sent = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    lines = log.read_bytes().count(b"\n")
    started = time.perf_counter()
    manage(folding, "fold_views")
    fold_seconds = time.perf_counter() - started
    after = int(python(env, count))
    return {
        "beacons_sent": sent,
        "beacons_per_second": float(
            re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)  # type: ignore[union-attr]
        ),
        "log_lines": lines,
        "counted_after_fold": after - before,
        "fold_seconds": round(fold_seconds, 2),
        "fold_lines_per_second": round(lines / fold_seconds),
        "none_lost": sent <= after - before <= sent + int(CONNECTIONS),
    }


def wrk_load(script: Path, url: str) -> str:
    return subprocess.run(  # noqa: S603
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency",  # noqa: S607
         "-s", str(script), url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip


def serve_and_load(server_env: dict[str, str], script: Path, path: str) -> str:
    """Serve the app with gunicorn (2 sync workers) and load `path` with wrk."""
    port = free_port()
    app = gunicorn(server_env, port)
    try:
        wait_for(f"http://127.0.0.1:{port}/en/")
        return wrk_load(script, f"http://127.0.0.1:{port}{path}")
    finally:
        app.terminate()
        app.wait(timeout=30)


def naive_counter(env: dict[str, str], tmp: Path, page_id: str) -> dict[str, Any]:
    """The baseline: UPDATE ... SET views = views + 1 per request, same server."""
    read = (
        "from aqparat.analytics.models import PageViewCount\n"
        f"print(PageViewCount.objects.get_or_create(page_id={page_id})[0].views)"
    )
    before = int(python(env, read))
    script = tmp / "naive.lua"
    script.write_text(WRK_SCRIPT.replace("PAGE_ID", page_id).replace("PATH", "/naive/"))
    naive_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.naive_settings"}
    out = serve_and_load(naive_env, script, "/naive/")
    if re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        raise SystemExit(f"bench: the naive counter failed:\n{out}")
    sent = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    counted = int(python(env, read)) - before
    return {
        "per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "none_lost": sent <= counted <= sent + int(CONNECTIONS),
    }


def most_read_at_scale(env: dict[str, str]) -> dict[str, Any]:
    generated = python(
        env,
        "import json; from bench.scale_data import generate, time_most_read\n"
        f"print(json.dumps(generate(articles={ARTICLES}, views={VIEWS})))",
    )
    timing = python(
        env,
        "import json; from bench.scale_data import time_most_read\n"
        "print(json.dumps(time_most_read()))",
    )
    return {**json.loads(generated), "most_read_ms": json.loads(timing)}


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("bench: needs `wrk` (apt-get install wrk)")
    beacons_only = "--beacons-only" in sys.argv
    results: dict[str, Any] = {}
    tmp = Path(tempfile.mkdtemp(prefix="aqparat-bench-beacons-"))
    embedded = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "aqparat.settings.dev",
        "AQPARAT_VAR_DIR": str(tmp / "var"), "DATABASE_URL": "", "REDIS_URL": "",
        "AQPARAT_LOG_LEVEL": "WARNING",
    }  # fmt: skip
    print("bench: beacons on the embedded default (SQLite) ...", flush=True)
    results["embedded"] = {"beacons": beacons(embedded, tmp)}
    if not beacons_only:
        print("bench: most read at 100 000 articles, 10 million views (SQLite) ...",
              flush=True)  # fmt: skip
        results["embedded"]["most_read"] = most_read_at_scale(embedded)
    if reachable("127.0.0.1", 5432) and reachable("127.0.0.1", 6379):
        prepare_postgres()
        served = {**embedded, "AQPARAT_VAR_DIR": str(tmp / "var-pg"),
                  "DATABASE_URL": PG_URL, "REDIS_URL": REDIS_URL}  # fmt: skip
        print("bench: beacons on PostgreSQL + Redis ...", flush=True)
        results["postgres_redis"] = {"beacons": beacons(served, tmp)}
        if not beacons_only:
            print("bench: most read at scale (PostgreSQL) ...", flush=True)
            results["postgres_redis"]["most_read"] = most_read_at_scale(served)
    report(results)


def report(results: dict[str, Any]) -> None:
    print("\nView beacons (gunicorn, 2 workers, every beacon a new reader), against a")
    print("naive UPDATE ... SET views = views + 1 per request on the same server")
    print(f"  {'':16}{'beacons/s':>10}{'p50 ms':>8}{'sent':>9}{'counted':>9}"
          f"{'no loss':>8}{'fold s':>8}{'naive/s':>9}{'ratio':>7}")  # fmt: skip
    for name, result in results.items():
        b = result["beacons"]
        print(f"  {name:16}{b['beacons_per_second']:>10.0f}{b['p50_ms']:>8.2f}"
              f"{b['beacons_sent']:>9}{b['counted_after_fold']:>9}"
              f"{b['none_lost']!s:>8}{b['fold_seconds']:>8}"
              f"{b['naive_update_per_second']:>9.0f}"
              f"{b['ratio_to_naive']:>7}")  # fmt: skip
    print(
        "\nThe same beacons through the front cache (nginx answers and logs them; the"
    )
    print("fold reads the log); the ratio takes the slower of nginx and the fold")
    print(f"  {'':16}{'beacons/s':>10}{'sent':>9}{'counted':>9}{'no loss':>8}"
          f"{'fold s':>8}{'fold/s':>9}{'ratio':>7}")  # fmt: skip
    for name, result in results.items():
        f = result["beacons"]["front_cache"]
        print(f"  {name:16}{f['beacons_per_second']:>10.0f}{f['beacons_sent']:>9}"
              f"{f['counted_after_fold']:>9}{f['none_lost']!s:>8}"
              f"{f['fold_seconds']:>8}{f['fold_lines_per_second']:>9}"
              f"{f['ratio_to_naive']:>7}")  # fmt: skip
    print("\nMost read (uncached selector), median of 7 runs")
    for name, result in results.items():
        if "most_read" not in result:
            continue
        m = result["most_read"]
        print(
            f"  {name:16}{m['articles']} articles, {m['views']} views, "
            f"{m['daily_rows']} daily + {m['hourly_rows']} hourly rows: "
            f"24 h {m['most_read_ms']['24h']} ms, 7 days {m['most_read_ms']['7d']} ms"
        )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "beacons.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
