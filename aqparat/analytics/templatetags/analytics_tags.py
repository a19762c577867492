from __future__ import annotations

from django import template
from wagtail.models import Page

from aqparat.analytics.selectors import page_views_total

register = template.Library()


@register.simple_tag
def view_count(page: Page) -> int:
    """The page's stored view total; an alias (the Latin edition) shows its source's,
    since it is the same story."""
    return page_views_total(page_id=page.alias_of_id or page.pk)
