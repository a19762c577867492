from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.apps import AppConfig


def hold(name: str) -> None:
    """While `<AQPARAT_E2E_HOLD_DIR>/<name>.hold` exists, wait, having said so in
    `<name>.started`: the test kills the consumer meanwhile."""
    folder = Path(os.environ["AQPARAT_E2E_HOLD_DIR"])
    held = folder / f"{name}.hold"
    if held.exists():
        (folder / f"{name}.started").touch()
        while held.exists():
            time.sleep(0.1)


class WorkersConfig(AppConfig):
    name = "tests.e2e.workers"
    label = "e2e_workers"

    def ready(self) -> None:
        """Every periodic job waits once it holds its lock and its run is recorded
        (core.jobs.job_run, replaced in this process only)."""
        from aqparat.core import jobs

        job_run = jobs.job_run

        def held_run(name: str, function: Callable[[], Any]) -> Any:
            def held() -> Any:
                hold(name)
                return function()

            return job_run(name, held)

        jobs.job_run = held_run
