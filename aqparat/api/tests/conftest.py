"""A small trilingual newsroom for the API's tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from django.test import Client
from wagtail.models import Page

from aqparat.images.renditions import renditions_make
from aqparat.news.models import ArticlePage
from aqparat.news.tests.factories import Editions, editions_build, story_build


@dataclass
class Newsroom:
    editions: Editions

    def story(self, titles: dict[str, str], **fields: Any) -> dict[str, ArticlePage]:
        """One published story in the given languages; `fields` set on every page
        afterwards (e.g. first_published_at), as stored values."""
        pages = story_build(self.editions, titles)
        for page in pages.values():
            if fields:
                ArticlePage.objects.filter(pk=page.pk).update(**fields)
                page.refresh_from_db()
        if fields:
            ArticlePage.objects.filter(
                alias_of__in=[p.pk for p in pages.values()]
            ).update(**fields)
        renditions_make(image_ids=[p.lead_image_id for p in pages.values()])
        return pages


def latin_of(page: Page) -> ArticlePage:
    return ArticlePage.objects.get(alias_of=page)


def almaty(text: str) -> datetime:
    return datetime.fromisoformat(text)


def get_json(client: Client, url: str, status: int = 200, **params: Any) -> Any:
    response = client.get(url, params)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


@pytest.fixture
def newsroom(db: None) -> Newsroom:
    return Newsroom(editions_build(("kk", "ru", "en")))
