"""The background schedule that keeps shown counts at most a minute behind."""

from __future__ import annotations

from datetime import datetime

import pytest
from huey.contrib.djhuey import HUEY

from aqparat.analytics.tasks import fold_views
from aqparat.telegram.tasks import sweep_telegram_outbox


@pytest.mark.parametrize("task", [fold_views, sweep_telegram_outbox])
@pytest.mark.parametrize("minute", [0, 1, 17, 59])
def test_runs_every_minute(task: object, minute: int) -> None:
    moment = datetime(2026, 3, 2, 9, minute)  # noqa: DTZ001 - huey ticks in naive UTC
    due = {type(t).__name__ for t in HUEY.read_periodic(moment)}
    assert type(task.s()).__name__ in due  # type: ignore[attr-defined]
