"""`make bench`: the reference pages against nginx serving the same bytes, in one run.

For each database (SQLite on the embedded default; then PostgreSQL + Redis when they
answer on 127.0.0.1) it builds a fresh demo newsroom, serves it with gunicorn (as many
sync workers as cores, as `make run`) and measures with wrk on loopback:

  static       nginx serving the article's HTML bytes from a file (the ceiling)
  front        the front cache we ship (deploy/nginx/aqparat.conf.template);
               these two in alternate rounds (BENCH_PAIR_ROUNDS), the front's
               ratio the median of the rounds' ratios
  app cache    gunicorn answering from the app's page cache (core/pagecache.py)
  article, home, section, search
               gunicorn rendering every request (AQPARAT_PAGE_CACHE=off)
  no fragments the article with no fragment read from the cache either
               (AQPARAT_FRAGMENT_CACHE=off): a page's first render after a change
  bakerydemo   the Wagtail peer the performance issue names, its blog page uncached
               on the same server settings (bench/bakerydemo.py; SQLite run, when
               BENCH_BAKERYDEMO names a checkout), in turns with the uncached
               article, and the article's ratio to it (the median of the rounds')

and reports req/s, p50 and p99 latency, each as a ratio of nginx static; the memory
of a gunicorn worker (`worker_memory`); the SQL queries of a warm article render; and
freshness: the seconds from an editor's publication of a correction to the first
reader who sees it through the front cache. Needs Debian's wrk, nginx-light and
libnginx-mod-http-cache-purge. Results go to bench/results/pages-<backend>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench import bakerydemo
from bench.common import (
    PURGE_MODULE,
    ROOT,
    backends_run,
    free_port,
    front_cache,
    gunicorn,
    wait_for,
)

ARTICLE = "/en/news/almaty-and-busan-mark-first-year-of-friendship-and-cooperation/"
HOME = "/en/"
SECTION = "/en/news/"
SEARCH = "/en/search/?q=tenge"
DURATION = os.environ.get("BENCH_DURATION", "10s")
# nginx static and the front cache are measured in turns, this many rounds of
# PAIR_DURATION each: at 60,000 req/s one 10 s run of either varies by ±10 % on
# these two cores (wrk's and nginx's threads share them), more than the gap between
# the two; the ratio reported is the median of each round's front / static.
PAIR_ROUNDS = int(os.environ.get("BENCH_PAIR_ROUNDS", "7"))
PAIR_DURATION = os.environ.get("BENCH_PAIR_DURATION", "4s")
# Between two runs in turns: a slow server still works through the requests wrk
# left queued (bakerydemo: 50 of them at 0.65 s each, over 2 workers), which would
# otherwise overlap the next run of the other.
PAIR_SETTLE_SECONDS = float(os.environ.get("BENCH_PAIR_SETTLE", "2"))
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "50")
PG_URL = os.environ.get(
    "BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/aqparat_bench_pages"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")

STATIC_SERVER = """
    server {{
        listen 127.0.0.1:{port};
        location / {{ root {root}; default_type text/html; }}
    }}
"""


def wrk(url: str, duration: str = DURATION) -> dict[str, float]:
    out = subprocess.run(  # noqa: S603
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{duration}", "--latency", url],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}

    def percentile(name: str) -> float:
        found = re.search(rf"{name}%\s+([\d.]+)(us|ms|s)", out)
        return float(found.group(1)) * scale[found.group(2)] if found else float("nan")

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"bench: {url} answered {errors.group(1)} errors:\n{out}")
    return {"requests_per_second": rps, "p50_ms": percentile("50"),
            "p99_ms": percentile("99")}  # fmt: skip


def in_turns(
    base: str, other: str
) -> tuple[dict[str, Any], dict[str, Any], list[float]]:
    """`base` and `other` in PAIR_ROUNDS alternate rounds: the median round of each,
    and each round's other / base (the base run just before it: the machine's drift
    cancels), sorted."""

    def settled(url: str) -> dict[str, Any]:
        time.sleep(PAIR_SETTLE_SECONDS)
        return wrk(url, PAIR_DURATION)

    rounds = [(settled(base), settled(other)) for _ in range(PAIR_ROUNDS)]

    def median_row(index: int) -> dict[str, Any]:
        rows = sorted((pair[index] for pair in rounds),
                      key=lambda row: row["requests_per_second"])  # fmt: skip
        return dict(rows[len(rows) // 2])

    ratios = sorted(second["requests_per_second"] / first["requests_per_second"]
                    for first, second in rounds)  # fmt: skip
    return median_row(0), median_row(1), ratios


def static_and_front(static: str, front: str) -> dict[str, dict[str, Any]]:
    """nginx static and the front cache in turns; the front's `of_static` is the
    median of the rounds' ratios."""
    static_row, front_row, ratios = in_turns(static, front)
    static_row["of_static"] = 1.0
    front_row["of_static"] = statistics.median(ratios)
    front_row["of_static_rounds"] = ratios
    return {"nginx static": static_row, "front cache": front_row}


def count_queries(env: dict[str, str], path: str) -> int:
    script = (
        "import django;django.setup();"
        "from django.db import connection;from django.test import Client;"
        "from django.test.utils import CaptureQueriesContext;c=Client();"
        f"c.get('{path}');"
        "ctx=CaptureQueriesContext(connection);ctx.__enter__();"
        f"c.get('{path}');ctx.__exit__(None,None,None);print(len(ctx))"
    )
    return int(
        subprocess.run(  # noqa: S603
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={**env, "DJANGO_ALLOWED_HOSTS": "testserver"},
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )


def worker_memory(master: subprocess.Popen[bytes]) -> dict[str, float]:
    """What a worker costs, in MiB: the proportional set size (PSS: each shared
    page split among the processes that map it) of the master and all its workers,
    divided by the workers, so the master's share is counted too; and the largest
    peak resident size (VmHWM, shared pages counted whole) among the workers."""
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text()
    workers = children.split()
    pss = 0.0
    for pid in [str(master.pid), *workers]:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        pss += int(re.search(r"^Pss:\s+(\d+) kB", rollup, re.M).group(1)) / 1024  # type: ignore[union-attr]
    peaks = []
    for pid in workers:
        status = Path(f"/proc/{pid}/status").read_text()
        found = re.search(r"VmHWM:\s+(\d+) kB", status)
        if found:
            peaks.append(int(found.group(1)) / 1024)
    return {
        "pss_per_worker": pss / max(len(workers), 1),
        "peak_rss": max(peaks, default=float("nan")),
    }


def freshness(env: dict[str, str], front: str) -> float:
    """Seconds from the start of an editor's publication to the first reader who
    sees the correction through the front cache (a reader polls all along)."""
    corrected = f"A correction at {time.time():.0f}"
    seen: list[float] = []

    def reader() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with urllib.request.urlopen(front + ARTICLE, timeout=10) as response:  # noqa: S310
                if corrected in response.read().decode():
                    seen.append(time.time())
                    return
            time.sleep(0.02)

    polling = threading.Thread(target=reader)
    polling.start()
    code = (
        "import time\n"
        "from aqparat.news.models import ArticlePage\n"
        "a = ArticlePage.objects.get(locale__language_code='en', "
        f"url_path__endswith={ARTICLE.removeprefix('/en')!r})\n"
        f"a.title = {corrected!r}\n"
        "started = time.time()\n"
        "a.save_revision().publish()\n"
        "print(started)"
    )
    started = float(
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        ).stdout.strip()
    )  # fmt: skip
    polling.join()
    if not seen:
        raise SystemExit("bench: the correction never reached the front cache")
    return seen[0] - started


def measure(backend: str) -> dict[str, Any]:
    env = dict(os.environ)
    if backend == "postgresql":
        env["REDIS_URL"] = REDIS_URL
        subprocess.run(  # noqa: S603
            ["redis-cli", "-u", REDIS_URL, "flushdb"],  # noqa: S607
            check=True, capture_output=True,
        )  # fmt: skip
    tmp = Path(tempfile.mkdtemp(prefix="aqparat-bench-"))
    tmp.chmod(0o755)
    var = Path(env["AQPARAT_VAR_DIR"])
    workers = os.cpu_count() or 2
    cached_port, plain_port, front_port, static_port = (free_port() for _ in range(4))
    front = f"http://127.0.0.1:{front_port}"
    cached_env = {**env, "AQPARAT_FRONT_CACHE_PURGE_URL": f"{front}/_purge"}
    plain_env = {**env, "AQPARAT_PAGE_CACHE": "off"}
    cold_env = {**plain_env, "AQPARAT_FRAGMENT_CACHE": "off"}
    cold_port = free_port()
    cached = gunicorn(cached_env, cached_port, workers)
    plain = gunicorn(plain_env, plain_port, workers)
    cold = gunicorn(cold_env, cold_port, workers)
    nginx = None
    try:
        wait_for(f"http://127.0.0.1:{cached_port}{ARTICLE}")
        wait_for(f"http://127.0.0.1:{plain_port}{ARTICLE}")
        wait_for(f"http://127.0.0.1:{cold_port}{ARTICLE}")
        with urllib.request.urlopen(f"http://127.0.0.1:{plain_port}{ARTICLE}") as r:
            html = r.read()
        (tmp / "static").mkdir()
        (tmp / "static" / "article.html").write_bytes(html)
        nginx = front_cache(
            tmp=tmp, port=front_port, upstream_port=cached_port, var=var,
            workers=workers,
            extra=STATIC_SERVER.format(port=static_port, root=tmp / "static"),
        )  # fmt: skip
        wait_for(f"http://127.0.0.1:{static_port}/article.html")
        wait_for(front + ARTICLE)
        plain_url = f"http://127.0.0.1:{plain_port}"
        static_url = f"http://127.0.0.1:{static_port}/article.html"
        results: dict[str, Any] = {
            "backend": backend,
            "workers": workers,
            "html_bytes": len(html),
            "sql_queries_warm": {
                "article": count_queries(plain_env, ARTICLE),
                "home": count_queries(plain_env, HOME),
            },
            "runs": {
                **static_and_front(static_url, front + ARTICLE),
                "app cache": wrk(f"http://127.0.0.1:{cached_port}{ARTICLE}"),
                "uncached article": wrk(plain_url + ARTICLE),
                "no fragments": wrk(f"http://127.0.0.1:{cold_port}{ARTICLE}"),
                "uncached home": wrk(plain_url + HOME),
                "uncached section": wrk(plain_url + SECTION),
                "uncached search": wrk(plain_url + SEARCH),
            },
            "worker_mib": {
                "app cache": worker_memory(cached),
                "uncached": worker_memory(plain),
            },
            "freshness_seconds": freshness(cached_env, front),
        }
        peer = bakerydemo.checkout()
        if backend == "sqlite" and peer is not None:
            # After the others: its own virtualenv and content must not overlap them.
            for server in (cached, cold):
                server.terminate()
            with bakerydemo.served(peer, workers) as blog:
                # In turns with our uncached article, as static and front above.
                _, blog_row, ratios = in_turns(plain_url + ARTICLE, blog)
                results["runs"]["bakerydemo blog"] = blog_row
                results["article_to_bakerydemo"] = statistics.median(
                    [1 / ratio for ratio in ratios]
                )
                results["article_to_bakerydemo_rounds"] = sorted(
                    1 / ratio for ratio in ratios
                )
    finally:
        if nginx is not None:
            nginx.terminate()
        for server in (cached, plain, cold):
            server.terminate()
            server.wait(timeout=30)
    return results


def report(results: dict[str, Any]) -> None:
    runs = results["runs"]
    static = runs["nginx static"]["requests_per_second"]
    size = results["html_bytes"]
    print(f"\n{results['backend']}: {results['workers']} gunicorn workers, wrk -t2 "
          f"-c{CONNECTIONS} {DURATION}, article of {size} bytes")  # fmt: skip
    print(f"  {'':18}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'of nginx':>10}")
    for name, row in runs.items():
        rps = row["requests_per_second"]
        ratio = row.get("of_static", rps / static)
        print(f"  {name:18}{rps:>10.0f}{row['p50_ms']:>9.2f}{row['p99_ms']:>9.2f}"
              f"{ratio:>10.4f}")  # fmt: skip
    rounds = runs["front cache"]["of_static_rounds"]
    each = ", ".join(f"{r:.3f}" for r in rounds)
    print(f"  nginx static and the front cache: {len(rounds)} rounds of "
          f"{PAIR_DURATION} in turns, the front's at {each} of static "
          f"(the median is the ratio above; goal >= 0.90)")  # fmt: skip
    queries = results["sql_queries_warm"]
    memory = results["worker_mib"]
    if "bakerydemo blog" in runs:
        each = ", ".join(f"{r:.2f}" for r in results["article_to_bakerydemo_rounds"])
        print(f"  uncached article / bakerydemo's uncached blog page: "
              f"{results['article_to_bakerydemo']:.2f}x, the median of {PAIR_ROUNDS} "
              f"rounds in turns ({each}; the issue's goal: 5x)")  # fmt: skip
    elif bakerydemo.checkout() is None:
        print("  bakerydemo: skipped (BENCH_BAKERYDEMO names no checkout of "
              "github.com/wagtail/bakerydemo)")  # fmt: skip
    print(f"  SQL queries, warm: article {queries['article']}, home {queries['home']}")
    for name, row in memory.items():
        print(f"  memory per worker ({name}): {row['pss_per_worker']:.0f} MiB "
              f"(PSS, the master's share included), peak RSS "
              f"{row['peak_rss']:.0f} MiB")  # fmt: skip
    print(f"  a correction reached readers through the front cache after "
          f"{results['freshness_seconds']:.2f} s")  # fmt: skip
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    path = out / f"pages-{results['backend']}.json"
    path.write_text(json.dumps(results, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend")
    backend = parser.parse_args().backend
    if backend:
        report(measure(backend))
        return
    for tool in ("wrk", "nginx"):
        if shutil.which(tool) is None:
            raise SystemExit(f"bench: needs `{tool}` (apt-get install wrk nginx-light)")
    if not PURGE_MODULE.exists():
        raise SystemExit("bench: needs apt-get install libnginx-mod-http-cache-purge")
    print("bench: the reference pages, on each database ...", flush=True)
    backends_run(
        module="bench.article_page",
        pg_url=PG_URL,
        var_prefix="aqparat-bench-var-",
        setup=(
            ("migrate", "--noinput"),
            ("collectstatic", "--noinput"),
            ("load_demo_newsroom",),
        ),
    )


if __name__ == "__main__":
    main()
