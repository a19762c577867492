"""`make bench`: what the reference article page costs, against nginx on the same bytes.

It builds a fresh demo newsroom in a temporary directory (SQLite by default, or
DATABASE_URL / REDIS_URL when set), serves it with gunicorn as `make run` does, and
measures with wrk on loopback:

  1. static  - nginx serving the article's HTML bytes from a file (the baseline);
  2. app     - gunicorn rendering the page on every request (no cache);
  3. cached  - nginx as a front cache before gunicorn, honouring our Cache-Control.

It also reports the page's HTML size (raw and gzipped) and its SQL queries. Needs
Debian's `wrk` and `nginx` (apt-get install wrk nginx-light). Results also go to
bench/results/article_page.json.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path
from typing import Any

from bench.common import ROOT, free_port, manage, wait_for

ARTICLE = "/en/news/almaty-and-busan-mark-first-year-of-friendship-and-cooperation/"
DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "32")

NGINX_CONF = """
worker_processes {workers};
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    proxy_cache_path {tmp}/cache keys_zone=pages:10m;
    server {{
        listen 127.0.0.1:{static_port};
        location / {{ root {tmp}/static; default_type text/html; }}
    }}
    server {{
        listen 127.0.0.1:{cache_port};
        location / {{
            proxy_pass http://127.0.0.1:{app_port};
            proxy_cache pages;
            proxy_set_header Host $http_host;
        }}
    }}
}}
"""


def wrk(url: str) -> dict[str, float]:
    out = subprocess.run(  # noqa: S603
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency", url],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    latency = float(p50.group(1)) * scale[p50.group(2)] if p50 else float("nan")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"bench: {url} answered {errors.group(1)} errors:\n{out}")
    return {"requests_per_second": rps, "p50_ms": latency}


def count_queries(env: dict[str, str]) -> int:
    script = (
        "import django;django.setup();"
        "from django.db import connection;from django.test import Client;"
        "from django.test.utils import CaptureQueriesContext;c=Client();"
        f"c.get('{ARTICLE}');"
        "ctx=CaptureQueriesContext(connection);ctx.__enter__();"
        f"c.get('{ARTICLE}');ctx.__exit__(None,None,None);print(len(ctx))"
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


def main() -> None:
    for tool in ("wrk", "nginx"):
        if shutil.which(tool) is None:
            raise SystemExit(f"bench: needs `{tool}` (apt-get install wrk nginx-light)")
    tmp = Path(tempfile.mkdtemp(prefix="aqparat-bench-"))
    tmp.chmod(0o755)  # nginx workers run as an unprivileged user
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "aqparat.settings.dev",
        "AQPARAT_VAR_DIR": str(tmp / "var"),
    }
    print("bench: building a fresh demo newsroom ...", flush=True)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    manage(env, "load_demo_newsroom")
    workers = os.cpu_count() or 2
    app_port, static_port, cache_port = free_port(), free_port(), free_port()
    app = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "aqparat.wsgi", "--bind",
         f"127.0.0.1:{app_port}", "--workers", str(workers), "--no-control-socket"],
        cwd=ROOT, env=env, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    nginx = None
    try:
        app_url = f"http://127.0.0.1:{app_port}{ARTICLE}"
        wait_for(app_url)
        with urllib.request.urlopen(app_url) as response:
            html = response.read()
        (tmp / "static").mkdir()
        (tmp / "static" / "article.html").write_bytes(html)
        conf = tmp / "nginx.conf"
        conf.write_text(NGINX_CONF.format(
            workers=workers, tmp=tmp, static_port=static_port,
            cache_port=cache_port, app_port=app_port,
        ))  # fmt: skip
        nginx = subprocess.Popen(  # noqa: S603
            ["nginx", "-c", str(conf), "-g", "daemon off;"]  # noqa: S607
        )
        wait_for(f"http://127.0.0.1:{static_port}/article.html")
        results = {
            "html_bytes": len(html),
            "html_gzip_bytes": len(gzip.compress(html, 6)),
            "sql_queries_warm": count_queries(env),
            "workers": workers,
            "static": wrk(f"http://127.0.0.1:{static_port}/article.html"),
            "app": wrk(app_url),
            "cached": wrk(f"http://127.0.0.1:{cache_port}{ARTICLE}"),
        }
    finally:
        if nginx is not None:
            nginx.terminate()
        app.terminate()
        app.wait(timeout=30)
    report(results)


def report(results: dict[str, Any]) -> None:
    static = results["static"]["requests_per_second"]
    print(f"\nArticle page {ARTICLE}")
    print(f"  HTML size         {results['html_bytes']} bytes "
          f"({results['html_gzip_bytes']} gzipped)")  # fmt: skip
    print(f"  SQL queries       {results['sql_queries_warm']} (warm caches)")
    print(f"  {'':18}{'req/s':>10}{'p50 ms':>10}{'vs nginx':>10}")
    for name in ("static", "app", "cached"):
        row = results[name]
        ratio = row["requests_per_second"] / static
        print(f"  {name:18}{row['requests_per_second']:>10.0f}{row['p50_ms']:>10.2f}"
              f"{ratio:>10.4f}")  # fmt: skip
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "article_page.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
