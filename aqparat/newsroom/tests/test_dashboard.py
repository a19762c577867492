"""The dashboard's cost does not grow with the newsroom's backlog."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aqparat.news.services import translation_source_record
from aqparat.news.tests.factories import editions_build, publish, story_build
from aqparat.newsroom.selectors import newsroom_day

pytestmark = pytest.mark.django_db


def stale_stories(count: int, editions: Any) -> None:
    for n in range(count):
        story = story_build(editions, {"kk": f"Жаңалық {n}", "ru": f"Новость {n}"})
        translation_source_record(translation=story["ru"], source=story["kk"])
        story["kk"].lead = "Мәтін өзгерді."
        publish(story["kk"])


def queries(call: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def test_stale_translations_are_counted_in_a_fixed_number_of_queries() -> None:
    editions = editions_build()
    stale_stories(2, editions)
    assert newsroom_day().stale_translations == 2
    few = queries(newsroom_day)
    stale_stories(6, editions)
    assert newsroom_day().stale_translations == 8
    assert queries(newsroom_day) == few
