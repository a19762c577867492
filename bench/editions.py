"""`make bench`, part 2: what the Kazakh Latin edition costs against the Cyrillic one.

Builds a fresh demo newsroom in a temporary folder, then renders the same story as
/kk/... and /kk-latn/... in one process (warm caches, as in production), alternating
the two so that both see the same machine. Reports the median render time of each,
their ratio, and how much of the Latin time is the transliteration of the HTML.
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
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "200"))


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="aqparat-bench-editions-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="aqparat.settings.dev",
        AQPARAT_VAR_DIR=str(tmp),
        DJANGO_ALLOWED_HOSTS="testserver",
    )
    for command in (
        ["migrate", "--noinput"],
        ["collectstatic", "--noinput"],
        ["load_demo_newsroom"],
    ):
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *command], cwd=ROOT, check=True,
            capture_output=True,
        )  # fmt: skip
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client
    from wagtail.models import Page

    from aqparat.news.models import ArticlePage
    from aqparat.translit.middleware import html_to_latin

    kk = ArticlePage.objects.live().filter(locale__language_code="kk").first()
    assert kk is not None
    latin = Page.objects.get(
        translation_key=kk.translation_key, locale__language_code="kk-latn"
    )
    client = Client()
    timings: dict[str, list[float]] = {"kk": [], "kk-latn": []}
    for url in (kk.url, latin.url):
        client.get(url)  # warm the caches
    for _ in range(ROUNDS):
        for code, url in (("kk", kk.url), ("kk-latn", latin.url)):
            start = time.perf_counter()
            response = client.get(url)
            timings[code].append(time.perf_counter() - start)
            assert response.status_code == 200
    html = client.get(kk.url).content.decode()
    start = time.perf_counter()
    for _ in range(ROUNDS):
        html_to_latin(html, overrides={})
    translit_ms = (time.perf_counter() - start) / ROUNDS * 1000
    kk_ms = statistics.median(timings["kk"]) * 1000
    latin_ms = statistics.median(timings["kk-latn"]) * 1000
    print(f"\nThe same story, {ROUNDS} renders each (median, warm caches):")
    print(f"  /kk/       {kk_ms:7.2f} ms")
    print(f"  /kk-latn/  {latin_ms:7.2f} ms   ratio {latin_ms / kk_ms:.2f}")
    print(f"  of which transliterating {len(html)} bytes of HTML: {translit_ms:.2f} ms")


if __name__ == "__main__":
    main()
