"""RSS 2.0 feeds per edition and per section (`/<lang>/rss/`, `/<lang>/rss/<slug>/`).

Django's `Rss201rev2Feed` writes the channel, `atom:link rel="self"` (from the
request's path), guid, pubDate, `dc:creator` for authors without an e-mail,
categories and the lead photo as an enclosure. Every string passes `xml_clean`
first: Django refuses the control characters word processors paste into headlines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Page

from aqparat.core.selectors import site_settings_for_request
from aqparat.news.models import ArticlePage, SectionPage
from aqparat.news.selectors import (
    article_body_html,
    language_tag,
    page_filter_visible,
    site_root_url,
)
from aqparat.syndication.selectors import (
    FEED_RENDITION,
    UrlFor,
    feed_article_list,
    url_for_paths,
)
from aqparat.syndication.sitemaps import xml_clean


@dataclass(frozen=True)
class FeedScope:
    language_code: str
    outlet: str
    section: Page | None
    url_for: UrlFor


class ArticleFeed(Feed):
    feed_type = Rss201rev2Feed

    def get_object(
        self, request: HttpRequest, section_slug: str | None = None
    ) -> FeedScope:
        code = get_language() or settings.LANGUAGE_CODE
        section = None
        if section_slug is not None:
            section = page_filter_visible(
                SectionPage.objects.filter(
                    locale__language_code=code, slug=section_slug
                )
            ).first()
            if section is None:
                raise Http404(section_slug)
        outlet = site_settings_for_request(request=request).outlet_name
        return FeedScope(code, outlet, section, url_for_paths())

    def feed_url(self, obj: FeedScope) -> str:
        # atom:self on the Wagtail site's root, as items and sitemaps (Django
        # would take the request's Host).
        return self._root_url + self._request.path

    def title(self, obj: FeedScope) -> str:
        if obj.section is None:
            return xml_clean(obj.outlet)
        return xml_clean(f"{obj.section.title} — {obj.outlet}")

    def link(self, obj: FeedScope) -> str:
        home = f"{self._root_url}/{obj.language_code}/"
        if obj.section is not None:
            return obj.url_for(obj.section.url_path) or home
        return home

    def description(self, obj: FeedScope) -> str:
        if obj.section is None:
            text = _("The latest news from %(outlet)s.") % {"outlet": obj.outlet}
        else:
            text = _("The latest news in %(section)s from %(outlet)s.") % {
                "section": obj.section.title,
                "outlet": obj.outlet,
            }
        return xml_clean(text)

    def items(self, obj: FeedScope) -> list[ArticlePage]:
        return feed_article_list(
            language_code=obj.language_code,
            under=obj.section,
            limit=settings.AQPARAT_FEED_ITEMS,
            full_text=settings.AQPARAT_FEED_FULL_TEXT,
        )

    def item_title(self, item: ArticlePage) -> str:
        return xml_clean(item.title)

    def item_description(self, item: ArticlePage) -> str:
        lead = f"<p>{escape(item.lead)}</p>"
        if settings.AQPARAT_FEED_FULL_TEXT:
            return xml_clean(lead + article_body_html(article=item))
        return xml_clean(item.lead)

    def item_link(self, item: ArticlePage) -> str:
        return self._url_for(item.url_path) or ""

    def item_guid_is_permalink(self, item: ArticlePage) -> bool:
        return True

    def item_pubdate(self, item: ArticlePage) -> datetime | None:
        published: datetime | None = getattr(item, "published", None)
        return published or item.first_published_at

    def item_updateddate(self, item: ArticlePage) -> datetime | None:
        return item.last_published_at

    def item_author_name(self, item: ArticlePage) -> str | None:
        names = [xml_clean(row.author.name) for row in item.article_authors.all()]
        return ", ".join(names) or None

    def item_categories(self, item: ArticlePage) -> list[str]:
        return [xml_clean(row.tag.name) for row in item.tagged_items.all()]

    def item_enclosures(self, item: ArticlePage) -> list[Enclosure]:
        image = item.lead_image
        if image is None:
            return []
        try:
            rendition = image.get_rendition(FEED_RENDITION)
            # RSS wants the length: a storage stat per item (cheap on local disk;
            # on remote storage, a request each; store it on the rendition then).
            size = rendition.file.size
        except (OSError, ValueError):
            return []  # a missing file: the item goes out without its photo
        url = rendition.url
        if "://" not in url:
            url = self._root_url + url
        return [Enclosure(url, str(size), "image/jpeg")]

    def get_feed(self, obj: FeedScope, request: HttpRequest) -> Any:
        # A feed object serves one request (views.py makes one each time), so the
        # request and the URL builder may live on it for the item methods.
        self._request = request
        self._root_url = site_root_url(request=request)
        self._url_for = obj.url_for
        self.language = language_tag(obj.language_code)
        return super().get_feed(obj, request)
