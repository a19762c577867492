"""Site-wide template tags: share links, the pagination block and static assets."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from babel.dates import format_date
from babel.numbers import format_decimal
from django import template
from django.conf import settings
from django.core.files.storage import storages
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.rich_text import RichText, expand_db_html

register = template.Library()


@register.simple_tag
def asset(path: str) -> str:
    """`{% static path %}`, looked up once a process for each path: the manifest
    lookup (hashing and normalising the name) was about 20 µs a call, seven calls
    an article page. A process's static files and their manifest do not change
    under it (a deployment starts new processes); a change of the static storage
    (a test's settings) makes a new storage object, so a new entry here."""
    return static_url(path)


@register.simple_tag
def chrome(template_name: str, **values: str) -> SafeString:
    """A component that prints no data, only translations, URLs and static
    addresses, with `values` (e.g. the header's search form): rendered once a
    process for each language, as its text cannot change inside one (catalogues
    and URLs are loaded at start). Rendered without the request or the page: a
    component that needs either is not chrome."""
    language = get_language() or settings.LANGUAGE_CODE
    values_ = tuple(sorted(values.items()))
    return _chrome(template_name, language, get_script_prefix(), values_)


@lru_cache(maxsize=64)
def _chrome(
    template_name: str,
    language: str,
    script_prefix: str,  # what {% url %} starts with: part of the key
    values: tuple[tuple[str, str], ...],
) -> SafeString:
    with translation.override(language):
        # A template's own output, autoescaped as it rendered.
        return SafeString(get_template(template_name).render(dict(values)))  # nosec


def static_url(path: str) -> str:
    """`static(path)`, kept for the current static storage (`asset`)."""
    return _static_url(storages["staticfiles"], path)


@lru_cache(maxsize=256)
def _static_url(storage: Any, path: str) -> str:
    return static(path)


# Plain links only: no third-party script ever loads on our pages.
_SHARE_TARGETS = (
    ("telegram", _("Telegram"), "https://t.me/share/url?", "url", "text"),
    ("whatsapp", _("WhatsApp"), "https://wa.me/?", None, "text"),
    (
        "facebook",
        _("Facebook"),
        "https://www.facebook.com/sharer/sharer.php?",
        "u",
        None,
    ),
    ("x", _("X"), "https://x.com/intent/post?", "url", "text"),
    ("vk", _("VK"), "https://vk.com/share.php?", "url", "title"),
)


def share_link_list(*, url: str, title: str) -> list[dict[str, str]]:
    """Share URLs for one page, in the order readers see them."""
    links = []
    for key, label, base, url_param, text_param in _SHARE_TARGETS:
        params: dict[str, str] = {}
        if url_param:
            params[url_param] = url
        if text_param:
            params[text_param] = title if url_param else f"{title} {url}"
        links.append(
            {"key": key, "label": str(label), "href": base + urlencode(params)}
        )
    return links


@register.filter
def rich_text(value: RichText | str | None) -> SafeString:
    """Wagtail's `|richtext` (page links, documents and embedded photos expanded)
    without its template: Wagtail renders each value through
    `wagtailcore/shared/richtext.html`, which prints `{{ html|safe }}`, a template
    render of its own for every paragraph of a story (about 30 µs each). The HTML
    is the same; we do not override that template."""
    source = value.source if isinstance(value, RichText) else value
    # Wagtail's own HTML: the rich text editor's sanitised storage format, expanded.
    return mark_safe(expand_db_html(source or ""))  # noqa: S308 # nosec


@register.filter
def iso_datetime(value: datetime | None) -> str:
    """Machine-readable local time with its offset, e.g. 2023-11-16T09:58:00+06:00.

    Django's `date:"c"` keeps microseconds, which HTML's datetime attribute rejects.
    """
    if value is None:
        return ""
    return localtime(value).isoformat(timespec="seconds")


@register.filter
def local_datetime(value: datetime | None) -> str:
    """Day and time in local time, e.g. 16.11.2023 09:58, as every listing prints
    it: Django's `date:"d.m.Y H:i"` gives the same at seven times the cost (it
    parses the format at each call), and a page prints up to a dozen."""
    if value is None:
        return ""
    return localtime(value).strftime("%d.%m.%Y %H:%M")


def babel_locale() -> str:
    """The Babel (CLDR) locale of the active language; the Latin edition formats as
    Kazakh and is transliterated on the way out."""
    language = (get_language() or "en").split("-")[0]
    return {"kk": "kk_KZ", "ru": "ru_RU", "en": "en_US"}.get(language, "en_US")


@register.filter
def number(value: int | float | None) -> str:
    """A number as the language writes it: 1,098 / 1 098 (CLDR, via Babel)."""
    if value is None:
        return ""
    return format_decimal(value, locale=babel_locale())


@register.filter
def medium_date(value: date | None) -> str:
    """A short date with the month's name: Nov 29, 2026 / 29 нояб. 2026 г."""
    if value is None:
        return ""
    return format_date(value, format="medium", locale=babel_locale())
