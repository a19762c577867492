"""News template tags: the section navigation, the attributed lead and the related
stories."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.template.loader import get_template
from django.utils.safestring import SafeString
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from aqparat.core.middleware import note_last_modified
from aqparat.core.pagecache import ALL, fragment, fragments, shared_html, story
from aqparat.core.selectors import site_settings_for_request
from aqparat.core.templatetags.core_tags import share_link_list
from aqparat.news.models import (
    ArticleSourceAttribution,
    SourceRelation,
    editions_fragment_name,
    related_fragment_name,
    section_nav_fragment_name,
)
from aqparat.news.selectors import (
    Editions,
    StoryLink,
    article_list_related,
    breaking_banner_state,
    edition_nav,
    language_tag,
    listing_photos,
    page_editions,
    page_url_for_request,
    site_root_url,
)
from aqparat.translit.latin import to_latin
from aqparat.translit.selectors import latin_spellings

register = template.Library()

_PHRASES = {
    SourceRelation.CITING: _("{outlet} reports, citing {source}"),
    SourceRelation.BASED_ON: _("{outlet} reports, based on material from {source}"),
    SourceRelation.REPRINT: _("reprinted from {source}"),
}


@register.simple_tag(takes_context=True)
def section_nav(context: dict[str, Any]) -> SafeString:
    """The edition's sections, the page's own marked: rendered once a section of
    an edition and kept (pagecache.shared_html; navigation retires `ALL`)."""
    nav = edition_nav(language_code=get_language() or settings.LANGUAGE_CODE)
    current = nav.section_of(context["page"]) if context.get("page") else None

    def render() -> str:
        sections = [
            {"item": item, "is_current": current is not None and item == current}
            for item in nav.sections
        ]
        return get_template("components/section_nav.html").render(
            {"home": nav.home, "sections": sections}
        )

    name = section_nav_fragment_name(current.path if current else None)
    return shared_html(context.get("request"), name, render)


def attribution_parts(
    *, outlet: str, attributions: list[ArticleSourceAttribution]
) -> list[dict[str, Any]]:
    """One phrase per attribution, split around the source so it can be marked up."""
    parts = []
    for attribution in attributions:
        phrase = str(
            format_lazy(
                _PHRASES[SourceRelation(attribution.relation)],
                outlet=outlet,
                source="\0",
            )
        )
        before, _sep, after = phrase.partition("\0")
        parts.append({"before": before, "source": attribution.source, "after": after})
    return parts


@register.inclusion_tag("components/article_lead.html", takes_context=True)
def article_lead(
    context: dict[str, Any], page: Any, sources: list[Any]
) -> dict[str, Any]:
    """The standfirst, ending with its structured attribution: '…, Aqparat reports,
    citing MFA.'"""
    outlet = site_settings_for_request(request=context["request"]).outlet_name
    parts = attribution_parts(outlet=outlet, attributions=sources)
    text = page.lead.strip()
    if parts:
        text = text.rstrip(" .")
    return {"lead": text, "parts": parts}


@register.simple_tag(takes_context=True)
def editions(context: dict[str, Any]) -> Editions:
    """This page in every language edition; for the switcher and hreflang links.

    Kept as a fragment: it changes when a translation of the page is published or
    withdrawn (its story) or the navigation does (every page)."""
    page = context.get("page")
    current = get_language() or settings.LANGUAGE_CODE

    def build() -> tuple[Editions, list[str]]:
        dependencies = [ALL]
        if page is not None and page.translation_key:
            dependencies.append(story(page.translation_key))
        return page_editions(page=page, current=current), dependencies

    name = editions_fragment_name(page.pk if page is not None else None, current)
    editions_: Editions = fragment(context.get("request"), name, build)
    return editions_


@register.simple_tag(takes_context=True)
def site_root(context: dict[str, Any]) -> str:
    """The Wagtail site's root URL: the host of hreflang links, as of canonical URLs,
    sitemaps and feeds."""
    return site_root_url(request=context["request"])


@register.filter
def bcp47(language_code: str) -> str:
    return language_tag(language_code)


@register.inclusion_tag("components/share_links.html", takes_context=True)
def share_links(context: dict[str, Any], page: Any) -> dict[str, Any]:
    """Plain share links to the page's canonical address; the Latin edition shares
    its headline in Latin script."""
    request = context["request"]
    path = page_url_for_request(page=page, request=request) or page.url
    url = site_root_url(request=request) + path
    title = page.title
    if get_language() == settings.LATIN_EDITION_LANGUAGE:
        title = to_latin(title, overrides=latin_spellings())
    return {"links": share_link_list(url=url, title=title), "page_url": url}


@register.inclusion_tag("components/breaking_banner.html", takes_context=True)
def breaking_banner(context: dict[str, Any]) -> dict[str, Any]:
    """The edition's breaking-news line; cached, so usually query-free."""
    request = context.get("request")
    state = breaking_banner_state(language_code=get_language() or "kk")
    note_last_modified(request, state.changed_at)
    return {"banner": state.banner, "url": state.url}


@register.simple_tag(takes_context=True)
def article_cards(
    context: dict[str, Any], articles: Any, heading: str = "h3", lead: bool = False
) -> list[str]:
    """Each article's card as HTML, kept as fragments: a card shows its story (its
    photo, headline, time) and what every page prints (photo texts), so a correction
    of the story or a change of those retires it. All of a list's cards are read in
    two cache round trips."""
    request = context.get("request")
    template = get_template("components/article_card.html")
    articles = list(articles)
    photos: dict[int, Any] | None = None

    def builder(article: Any) -> Any:
        def build() -> tuple[str, list[str]]:
            nonlocal photos
            if photos is None:  # the first card not in the cache: all photos at once
                photos = listing_photos(articles)
            if article.lead_image_id:
                article.lead_image = photos.get(article.lead_image_id)
            html = template.render(
                {"article": article, "lead": lead, "heading": heading,
                 "request": request}
            )  # fmt: skip
            return html, [story(article.translation_key), ALL]

        return build

    parts = [(f"news:card:{a.pk}:{heading}:{int(lead)}", builder(a)) for a in articles]
    cards: list[str] = fragments(request, parts)
    return cards


@register.simple_tag(takes_context=True)
def article_card(
    context: dict[str, Any], article: Any, heading: str = "h3", lead: bool = False
) -> str:
    """One article's card (`article_cards`), e.g. the home page's lead story."""
    return article_cards(context, [article], heading=heading, lead=lead)[0]


@register.inclusion_tag("components/related_stories.html", takes_context=True)
def related_stories(context: dict[str, Any], page: Any) -> dict[str, Any]:
    """Stories to read next (one query; the ranking is article_list_related's),
    kept as a fragment.

    The page shows their headlines, so a correction of one retires it too."""
    request = context.get("request")

    def build() -> tuple[list[StoryLink], list[str]]:
        articles = article_list_related(
            article=page, limit=settings.AQPARAT_RELATED_COUNT
        )
        links = [
            StoryLink(a.title, a.get_url(request=request), a.first_published_at)
            for a in articles
        ]
        return links, [story(a.translation_key) for a in articles]

    return {"articles": fragment(request, related_fragment_name(page.pk), build)}
