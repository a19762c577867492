"""The control: a periodic job under huey's `lock_task`, as every periodic job was
before core/jobs.py. Each run says so in `<AQPARAT_E2E_HOLD_DIR>/old-lock.runs`."""

from __future__ import annotations

import os
from pathlib import Path

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from tests.e2e.workers.apps import hold

CONTROL = "e2e-old-lock"


@db_periodic_task(crontab(minute="*"))
@lock_task(CONTROL)
def old_lock_control() -> None:
    with (Path(os.environ["AQPARAT_E2E_HOLD_DIR"]) / "old-lock.runs").open("a") as runs:
        runs.write("run\n")
    hold(CONTROL)
