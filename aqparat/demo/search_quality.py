"""The judged query set against the demo newsroom: runs every judged query the way
the site does (search.selectors.article_search_ids) and scores it (search/metrics.py).
It lives with the demo because its judgements name the demo's stories (judged/).
Used by search/tests/test_quality.py, `manage.py search_quality` and bench/search.py."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test.utils import override_settings
from wagtail.search.backends import get_search_backend

from aqparat.demo.services import DEMO_NAMESPACE
from aqparat.news.models import ArticlePage
from aqparat.search.metrics import Judged, QualityRow, quality_row
from aqparat.search.selectors import article_search_ids

JUDGED_DIR = Path(__file__).parent / "judged"
BASELINE_FILE = JUDGED_DIR / "baseline.json"
LANGUAGES = ("kk", "ru", "en")


def judged_set(language: str) -> list[dict[str, Any]]:
    data = json.loads((JUDGED_DIR / f"{language}.json").read_text(encoding="utf-8"))
    return list(data["queries"])


def demo_page_ids(language: str) -> dict[str, int]:
    """Fixture key -> page id in one edition. The demo gives every story the
    translation key uuid5(DEMO_NAMESPACE, "article:<key>")."""
    rows = ArticlePage.objects.filter(
        locale__language_code=language, alias_of__isnull=True
    ).values_list("translation_key", "pk", "slug")
    by_translation = {key: pk for key, pk, _slug in rows}
    ids = {slug: pk for _key, pk, slug in rows}
    for key in _fixture_keys(language):
        pk = by_translation.get(uuid.uuid5(DEMO_NAMESPACE, f"article:{key}"))
        if pk is not None:
            ids[key] = pk
    return ids


def _fixture_keys(language: str) -> set[str]:
    keys: set[str] = set()
    for query in judged_set(language):
        keys.update(query["relevant"])
    return keys


def quality_measure(language: str, *, stem: bool | None = None) -> QualityRow:
    """recall@10, MRR and zero-result rate of `language`'s judged queries."""
    ids = demo_page_ids(language)
    runs = []
    for query in judged_set(language):
        ranked = article_search_ids(query=query["q"], language_code=language, stem=stem)
        relevant = frozenset(ids[key] for key in query["relevant"] if key in ids)
        runs.append(Judged(ranked=ranked, relevant=relevant))
    return quality_row(language, runs)


def articles_reindex(*, stem: bool) -> None:
    """Rebuild the articles' index entries with stemming on or off."""
    with override_settings(AQPARAT_SEARCH_STEMMING=stem):
        backend = get_search_backend()
        backend.add_bulk(ArticlePage, list(ArticlePage.get_indexed_objects()))


def quality_tables() -> dict[str, list[QualityRow]]:
    """Both tables, stemming off then on; leaves the index as settings say."""
    tables = {}
    for label, stem in (("without stemming", False), ("with stemming", True)):
        articles_reindex(stem=stem)
        tables[label] = [quality_measure(code, stem=stem) for code in LANGUAGES]
    articles_reindex(stem=settings.AQPARAT_SEARCH_STEMMING)
    return tables


def baseline_load() -> dict[str, dict[str, dict[str, float]]]:
    """Per database vendor, per language: the stored figures."""
    return dict(json.loads(BASELINE_FILE.read_text(encoding="utf-8")))
