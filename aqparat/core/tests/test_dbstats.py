"""SQLite's planner statistics, refreshed daily and after migrate; PostgreSQL keeps
its own."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from huey.contrib.djhuey import HUEY

from aqparat.core.tasks import database_statistics_refresh

pytestmark = pytest.mark.django_db


def test_the_daily_task_analyses_sqlite_and_leaves_postgresql_alone() -> None:
    with CaptureQueriesContext(connection) as queries:
        database_statistics_refresh.call_local()
    # The job's own run record (core/jobs.py) aside: what it says to the database.
    said = [
        query["sql"] for query in queries
        if "core_jobrun" not in query["sql"] and "SAVEPOINT" not in query["sql"]
    ]  # fmt: skip
    if connection.vendor == "sqlite":
        assert "ANALYZE" in said
        assert "PRAGMA optimize" in said
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_stat1")
            assert cursor.fetchone()[0] > 0
    else:
        assert said == []


def test_it_is_a_periodic_task_once_a_day() -> None:
    def due(moment: datetime) -> bool:
        names = {type(task).__name__ for task in HUEY.read_periodic(moment)}
        return type(database_statistics_refresh.s()).__name__ in names

    assert due(datetime(2026, 3, 1, 3, 17))  # noqa: DTZ001 (huey ticks in naive UTC)
    assert not due(datetime(2026, 3, 1, 4, 17))  # noqa: DTZ001
