from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.utils.translation import get_language
from wagtail.models import Page

from aqparat.analytics.selectors import most_read, page_views_total

register = template.Library()


@register.simple_tag
def view_count(page: Page) -> int:
    """The page's stored view total; an alias (the Latin edition) shows its source's,
    since it is the same story."""
    return page_views_total(page_id=page.alias_of_id or page.pk)


@register.inclusion_tag("components/most_read.html")
def most_read_block() -> dict[str, Any]:
    """The edition's most read stories of the day (cached for a minute), for the
    pages that show them: the feature reaches the page by a tag, the page does not
    call the feature."""
    return {"items": most_read(language=get_language() or settings.LANGUAGE_CODE)}
