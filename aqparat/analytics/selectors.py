"""Reads of audience figures."""

from __future__ import annotations

from aqparat.analytics.models import PageViewCount


def page_views_total(*, page_id: int) -> int:
    """The stored view total of one page; 0 before its first counted view."""
    views = PageViewCount.objects.filter(page_id=page_id).values_list(
        "views", flat=True
    )
    return next(iter(views), 0)
