from typing import Any

from django import template
from django.utils.translation import get_language

from aqparat.telegram.selectors import FollowLink, follow_link

register = template.Library()


@register.simple_tag(takes_context=True)
def telegram_follow(context: Any) -> FollowLink | None:
    """`{% telegram_follow as follow %}`: the channel of the edition being read."""
    site_settings = context.get("site_settings")
    if not site_settings:
        return None
    return follow_link(
        site_settings=site_settings, language_code=get_language() or "kk"
    )
