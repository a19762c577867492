"""The published OpenAPI schema tells the truth: property-based checks with
schemathesis against a real local server (pytest-django's live_server, on
127.0.0.1) holding a small newsroom. Bounded and derandomised, so CI stays fast and
repeatable, on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import schemathesis
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from pytest_django.live_server_helper import LiveServer
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from aqparat.analytics.models import HourlyPageViews, PageViewCount
from aqparat.api.tests.conftest import Newsroom
from aqparat.news.models import ArticleAuthor, ArticleSourceAttribution
from aqparat.news.tests.factories import (
    AuthorFactory,
    SourceFactory,
    editions_build,
    publish,
)
from aqparat.rates.services import RateRow, rates_store

DAY = date(2026, 11, 27)
EXAMPLES = 25  # per operation and generation mode: about 300 requests in all
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _demo_newsroom() -> None:
    """What a reader of a fresh install sees, in small: three editions (and the
    Latin one), stories with authors, sources, tags and views, and today's rates."""
    newsroom = Newsroom(editions_build(("kk", "ru", "en")))
    author, source = AuthorFactory(), SourceFactory()
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    for n, titles in enumerate(
        [
            {
                "kk": "Астанада жиын өтті",
                "ru": "В Астане прошла встреча",
                "en": "Talks",
            },
            {"kk": "Теңге нығайды", "en": "The tenge firmed"},
            {"ru": "Погода на неделю"},
        ]
    ):
        for code, page in newsroom.story(titles).items():
            ArticleAuthor.objects.create(page=page, author=author)
            ArticleSourceAttribution.objects.create(page=page, source=source)
            page.tags.add("Экономика", f"story-{n}")
            publish(page)
            PageViewCount.objects.create(page=page, views=10 + n)
            HourlyPageViews.objects.create(page=page, language=code, hour=hour, views=n)
    rates_store(
        rows=[
            RateRow("USD", DAY, Decimal("498.51"), 1, Decimal("-1.2"), "DOWN"),
            RateRow("RUB", DAY, Decimal("4.81"), 1, Decimal("0.02"), "UP"),
        ]
    )  # fmt: skip


@pytest.fixture
def api_url(live_server: LiveServer) -> Iterator[str]:
    _demo_newsroom()
    # The live server listens on IPv4 loopback; say so rather than resolve a name.
    yield live_server.url.replace("://localhost:", "://127.0.0.1:")


def run_operation(operation: Any, base_url: str, mode: Any) -> None:
    checks = [*CHECKS, negative_data_rejection] if mode.name == "NEGATIVE" else CHECKS

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case: Any) -> None:
        case.call_and_validate(base_url=base_url, checks=checks)

    check()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_api_keeps_to_its_schema(api_url: str) -> None:
    schema = schemathesis.openapi.from_url(f"{api_url}/api/v1/openapi.json")
    operations = [
        result.ok() for result in schema.get_all_operations() if isinstance(result, Ok)
    ]
    assert len(operations) == 6
    for operation in operations:
        run_operation(operation, api_url, schemathesis.GenerationMode.POSITIVE)
        if len(operation.query) or len(operation.path_parameters):
            # Wrong values must be refused (a 4xx), not ignored.
            run_operation(operation, api_url, schemathesis.GenerationMode.NEGATIVE)


def _objects(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if node.get("type") == "object":
            yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _objects(value)


def test_every_object_in_the_schema_is_closed(client: Client) -> None:
    """So that schemathesis fails on any field the schema does not list."""
    components = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    responses = [body for name, body in components.items() if name.endswith("Out")]
    objects = list(_objects(responses))
    assert len(objects) >= 10
    assert all(node.get("additionalProperties") is False for node in objects)
    assert client.get("/api/v1/docs").status_code == 200
