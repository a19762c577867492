"""`make bench`: what one hostile beacon costs a worker, admitted and over the limit.

Crawler detection is the costly part of a beacon (its patterns are quadratic in an
unbroken word, bounded by the User-Agent cap); the per-client rate limit comes
before it, so a client over its limit should cost one short write whatever header
it sends. Timed in one process on the embedded default's SQLite views buffer (a
fresh file): the median of each case, each beacon with a different header so that
nothing could be memoised (Crawler-Detect keeps its own memo of what it saw).
Results also go to bench/results/beacon_cost.json.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "beacon_cost.json"
CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0 Safari/537.36"
)


def worst(n: int) -> str:
    """The costliest shape found after the 512/64 cap: eight 60-letter words."""
    return "Mozilla/5.0 " + " ".join(f"{chr(97 + n % 26) * 59}{n}" for _ in range(8))


def timed(call: object, runs: int) -> float:
    """Median milliseconds of `call(n)` over `runs` calls."""
    samples = []
    for n in range(runs):
        start = time.perf_counter()
        call(n)  # type: ignore[operator]
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="aqparat-beacon-cost-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aqparat.settings.dev")
    os.environ["AQPARAT_VIEWS_BUFFER_PATH"] = str(tmp / "views.sqlite3")
    os.environ["REDIS_URL"] = ""
    import django

    django.setup()
    from django.test import override_settings

    from aqparat.analytics.services import beacon_record

    base = 1e9 // 60 * 60
    results = {}
    with override_settings(AQPARAT_BEACONS_PER_MINUTE=10**9):
        results["admitted_chrome_ms"] = timed(
            lambda n: beacon_record(page_id=1, ip=f"10.1.{n // 250}.{n % 250}",
                                    user_agent=f"{CHROME} {n}", now=base),
            200,
        )  # fmt: skip
        results["admitted_worst_ms"] = timed(
            lambda n: beacon_record(page_id=1, ip=f"10.2.{n // 250}.{n % 250}",
                                    user_agent=worst(n), now=base),
            200,
        )  # fmt: skip
    with override_settings(AQPARAT_BEACONS_PER_MINUTE=1):
        beacon_record(page_id=1, ip="10.3.0.1", user_agent=CHROME, now=base)
        results["over_limit_worst_ms"] = timed(
            lambda n: beacon_record(page_id=1, ip="10.3.0.1",
                                    user_agent=worst(1000 + n), now=base),
            200,
        )  # fmt: skip
    results["ratio_admitted_worst_to_over_limit"] = (
        results["admitted_worst_ms"] / results["over_limit_worst_ms"]
    )
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    for name, value in results.items():
        print(f"{name:40} {value:10.3f}")


if __name__ == "__main__":
    main()
