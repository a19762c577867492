"""`make lighthouse`: Lighthouse 12 (mobile, its defaults) on the demo's home and
reference article, in Debian's chromium, against a fresh demo served by gunicorn.

Prints the four category scores of each page and the audits that cost points;
the reports go to bench/results/lighthouse-<page>.json. Needs Node.js and npm
(`make lighthouse` installs the pinned Lighthouse into bench/lighthouse/) and
Debian's chromium.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from bench.article_page import ARTICLE
from bench.common import ROOT, free_port, gunicorn, manage, wait_for

PAGES = {"home": "/en/", "article": ARTICLE}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
LIGHTHOUSE = ROOT / "bench" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)


def main() -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit(
            "lighthouse: needs Debian's chromium (apt-get install chromium)"
        )
    if not LIGHTHOUSE.exists():
        raise SystemExit("lighthouse: run `make lighthouse` (it installs Lighthouse)")
    var = Path(tempfile.mkdtemp(prefix="aqparat-lighthouse-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "aqparat.settings.dev",
        "AQPARAT_VAR_DIR": str(var),
        "DATABASE_URL": "",
    }
    print("lighthouse: building a fresh demo newsroom ...", flush=True)
    for command in (("migrate", "--noinput"), ("collectstatic", "--noinput"),
                    ("load_demo_newsroom",)):  # fmt: skip
        manage(env, *command)
    port = free_port()
    server = gunicorn(env, port)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + PAGES["home"])
        print(f"  {'':10}" + "".join(f"{c:>16}" for c in CATEGORIES))
        for name, path in PAGES.items():
            report = out / f"lighthouse-{name}.json"
            subprocess.run(  # noqa: S603
                [str(LIGHTHOUSE), base + path, "--quiet", "--output=json",
                 f"--output-path={report}", f"--chrome-flags={CHROME_FLAGS}",
                 f"--only-categories={','.join(CATEGORIES)}"],
                env={**os.environ, "CHROME_PATH": chromium}, check=True,
            )  # fmt: skip
            result = json.loads(report.read_text())
            scores = [round(result["categories"][c]["score"] * 100) for c in CATEGORIES]
            print(f"  {name:10}" + "".join(f"{s:>16}" for s in scores))
            for audit in result["audits"].values():
                if (
                    audit.get("score") is not None
                    and audit["score"] < 1
                    and (audit.get("scoreDisplayMode") in {"binary", "numeric"})
                ):
                    print(f"      - {audit['id']}: {audit['title']} ({audit['score']})")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
