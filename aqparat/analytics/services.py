"""Writes of audience figures."""

from __future__ import annotations

from aqparat.analytics.models import PageViewCount


def page_views_set(*, page_id: int, views: int) -> None:
    """Set a page's stored total, e.g. when importing figures from an old site."""
    PageViewCount.objects.update_or_create(page_id=page_id, defaults={"views": views})
