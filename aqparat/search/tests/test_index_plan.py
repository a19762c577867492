"""On PostgreSQL a search finds its matches in the GIN index of the very expression
modelsearch queries, `title || body` (search.0002): without it each query read
every index entry (docs/subsystems/search.md). The plan is asked with sequential
scans off, so a table this small still shows which index it can use."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aqparat.news.tests.factories import editions_build, story_build
from aqparat.news.tests.test_listing_plans import plan_of
from aqparat.search.selectors import article_search_ids

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL's plans (CI's 2nd pass)"
    ),
]


def test_the_match_is_an_index_scan_of_the_whole_document() -> None:
    story = story_build(editions_build(), {"en": "Astana hosts a water summit"})
    with CaptureQueriesContext(connection) as queries:
        assert article_search_ids(query="water summit", language_code="en") == [
            story["en"].pk
        ]
    # The expression modelsearch matches (so the index must be of exactly this) ...
    expression = (
        '("wagtailsearch_indexentry"."title" || "wagtailsearch_indexentry"."body") @@'
    )
    assert any(expression in q["sql"] for q in queries.captured_queries)
    # ... is found through the index (a plan of its own: on tables this small the
    # planner starts the whole query from the edition's few pages instead).
    plan = plan_of(
        "SELECT id FROM wagtailsearch_indexentry"
        " WHERE (title || body) @@ to_tsquery('simple', 'water & summit')"
    )
    assert "Bitmap Index Scan on aqparat_search_document_gin" in plan, plan
