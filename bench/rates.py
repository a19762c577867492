"""`make bench`, part 3: the National Bank feed and the header ticker.

- parse time of a full `rates_all.xml` document (the fake bank's, 12 items) and of a
  40-currency archive document, in microseconds;
- the ticker's render time and SQL queries with a cold cache and with a warm one.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2000"))


def timed(fn: object, rounds: int) -> float:
    """Median microseconds of `fn()` over `rounds` calls."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1e6


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="aqparat-bench-rates-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="aqparat.settings.dev", AQPARAT_VAR_DIR=str(tmp)
    )
    sys.path.insert(0, str(ROOT))
    from aqparat.rates.fake_server import FakeNationalBank, get_rates, rates_all

    bank = FakeNationalBank().start()
    os.environ["AQPARAT_NBK_BASE_URL"] = bank.base_url
    for command in (["migrate", "--noinput"], ["fetch_rates"]):
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *command], cwd=ROOT, check=True,
            capture_output=True, env=os.environ,
        )  # fmt: skip
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.template import Context, Template
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from aqparat.rates.parser import parse_rates

    latest = rates_all(bank.newest).encode()
    archive = get_rates(bank.newest, bank.newest).encode()
    big = archive.replace(
        b"</rates>", archive.split(b"\n", 2)[2].split(b"</rates>")[0] * 3 + b"</rates>"
    )
    template = Template("{% load rates_tags %}{% rates_ticker %}")
    request = RequestFactory().get("/en/", HTTP_HOST="localhost")

    def render() -> str:
        return template.render(Context({"request": request}))

    def cold() -> str:
        cache.clear()
        return render()

    render()
    with CaptureQueriesContext(connection) as warm_queries:
        render()
    with CaptureQueriesContext(connection) as cold_queries:
        cold()
    print(f"\nParse rates_all.xml ({len(latest)} bytes): "
          f"{timed(lambda: parse_rates(latest), ROUNDS):.0f} µs")  # fmt: skip
    print(f"Parse a 40-item archive document ({len(big)} bytes): "
          f"{timed(lambda: parse_rates(big), ROUNDS):.0f} µs")  # fmt: skip
    print(
        f"Ticker, warm cache: {timed(render, ROUNDS):.0f} µs, "
        f"{len(warm_queries)} queries"
    )
    print(
        f"Ticker, cold cache: {timed(cold, ROUNDS // 4):.0f} µs, "
        f"{len(cold_queries)} queries"
    )
    bank.stop()


if __name__ == "__main__":
    main()
