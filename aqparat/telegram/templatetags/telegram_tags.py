from typing import Any

from django import template
from django.utils.translation import get_language

from aqparat.core.pagecache import ALL, fragment
from aqparat.telegram.selectors import FollowLink, follow_fragment_name, follow_link

register = template.Library()


@register.simple_tag(takes_context=True)
def telegram_follow(context: Any) -> FollowLink | None:
    """`{% telegram_follow as follow %}`: the channel of the edition being read.

    Kept as a fragment of every page: the channels are saved with the site settings,
    which retire every page."""
    site_settings = context.get("site_settings")
    if not site_settings:
        return None
    language = get_language() or "kk"

    def build() -> tuple[FollowLink | None, list[str]]:
        link = follow_link(site_settings=site_settings, language_code=language)
        return link, [ALL]

    name = follow_fragment_name(site_settings.pk, language)
    link: FollowLink | None = fragment(context.get("request"), name, build)
    return link
