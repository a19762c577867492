from __future__ import annotations

from django import template

from aqparat.analytics.selectors import page_views_total

register = template.Library()


@register.simple_tag
def view_count(page_id: int) -> int:
    """The page's stored view total."""
    return page_views_total(page_id=page_id)
