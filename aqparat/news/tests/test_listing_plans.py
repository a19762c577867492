"""Listings whose cost does not grow with the archive (docs/subsystems/scale.md),
proved by PostgreSQL's plans: each reads an index from the newest end and stops,
instead of reading every article of the edition. The plans are asked with
sequential scans off, so a table this small still shows which index a query can
use; a query that can use none aggregates or ranks every row whatever the setting.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aqparat.news.selectors import article_latest_change, home_page_blocks
from aqparat.news.tests.factories import (
    ArticlePageFactory,
    SectionPageFactory,
    newsroom_build,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL's plans (CI's 2nd pass)"
    ),
]


def plan_of(sql: str) -> str:
    """PostgreSQL's plan for `sql`, with sequential scans off."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(line for (line,) in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    return plan


def plans(run: Callable[[], Any], containing: str) -> list[str]:
    """The plans of the queries `run` makes whose SQL contains `containing`."""
    with CaptureQueriesContext(connection) as queries:
        run()
    found = [
        plan_of(query["sql"])
        for query in queries.captured_queries
        if containing in query["sql"]
    ]
    assert found, f"no query with {containing!r}"
    return found


@pytest.fixture
def newsroom() -> Any:
    built = newsroom_build()
    now = timezone.now()
    for title in ("Economy", "Culture"):
        section = SectionPageFactory(parent=built.home, title=title)
        for n in range(8):
            moment = now - timedelta(hours=n)
            ArticlePageFactory(
                parent=section, first_published_at=moment, last_published_at=moment
            )
    return built


def test_last_modified_reads_the_newest_publication_off_an_index(
    newsroom: Any,
) -> None:
    """The newest first, one row: never an aggregate over every article (which
    `Max()` joined to the article table was, however it was indexed)."""
    (plan,) = plans(
        lambda: article_latest_change(under=newsroom.home), "last_published_at"
    )
    assert plan.startswith("Limit"), plan
    assert "Aggregate" not in plan, plan
    # And the page table has the index that serves that order on a large archive
    # (on a small one the planner may as well sort the edition's few pages).
    newest = plan_of(
        "SELECT last_published_at FROM wagtailcore_page"
        " WHERE last_published_at IS NOT NULL"
        " ORDER BY last_published_at DESC LIMIT 1"
    )
    assert "Index Only Scan Backward using aqparat_page_last_published" in newest or (
        "Index Scan Backward using aqparat_page_last_published" in newest
    ), newest


def test_the_home_page_reads_each_sections_newest_and_no_more(newsroom: Any) -> None:
    """One query for every section's block, no window over the whole archive: each
    section's part stops at its newest few (on a large archive, read off the
    publication-time index; here the planner may sort the small section)."""
    (plan,) = plans(lambda: home_page_blocks(home=newsroom.home), "UNION ALL")
    assert "WindowAgg" not in plan, plan
    sections = 3  # News, Economy, Culture
    assert len(re.findall(r"->\s+Limit", plan)) == sections, plan
