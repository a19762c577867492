"""Admin forms of news pages."""

from __future__ import annotations

from typing import Any

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.widgets.slug import SlugInput

from aqparat.translit.slugs import slug_formatters


class NewsPageForm(WagtailAdminPageForm):
    """The slug preview uses the page's language table (Kazakh 2021, Russian ICAO), so
    what an editor sees in the admin is what the server saves."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "slug" not in self.fields:
            return
        locale = self.instance.locale if self.instance.locale_id else None
        if locale is None and self.parent_page is not None:
            locale = self.parent_page.locale
        if locale is not None:
            formatters = slug_formatters(locale.language_code)
            if formatters:
                self.fields["slug"].widget = SlugInput(formatters=formatters)
