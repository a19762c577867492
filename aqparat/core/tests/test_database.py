"""The embedded default's SQLite is tuned for a web server with a worker beside it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PRAGMAS = (
    "from django.db import connection as c;cur=c.cursor();"
    "print(*[cur.execute(f'PRAGMA {p}').fetchone()[0]"
    " for p in ('journal_mode','busy_timeout','foreign_keys','synchronous')],"
    " c.settings_dict['OPTIONS']['transaction_mode'])"
)


def test_embedded_sqlite_uses_wal_busy_timeout_and_immediate_transactions(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="aqparat.settings.dev", AQPARAT_VAR_DIR=str(tmp_path)
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django;django.setup();" + PRAGMAS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    # synchronous=NORMAL is 1: safe with WAL, and much faster than FULL.
    assert result.stdout.split() == ["wal", "20000", "1", "1", "IMMEDIATE"]
    assert (tmp_path / "aqparat.db").exists()
